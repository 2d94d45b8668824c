"""Sheet templates: Jinja2 on a visible search path, rendering block markup.

A template writes a small XML vocabulary (`<h1>`, `<p>`, `<gap/>`, `<table>`, ...) that
`markup.parse_sheet` turns into Document blocks. Autoescaping makes teacher text such as
`Tsar <Nicholas II>` safe; StrictUndefined makes a typo an error instead of a blank. A
template folder may come from anywhere, so templates run in `sandbox.BoundedEnvironment`
on plain data, and may read only files inside their own folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path, PosixPath, WindowsPath
from typing import Any

import jinja2

from worksheetgen.errors import TemplateError
from worksheetgen.resources import builtin_templates
from worksheetgen.sandbox import MAX_TEXT, BoundedEnvironment
from worksheetgen.sourcemap import Rendered, render_traced, render_untraced
from worksheetgen.template_data import plain

MAX_TEMPLATE_BYTES = 64_000  # a shipped template is under 10 KB; compiling grows faster than size
MAX_KIND_NAME = 64  # characters in a kind's name (it becomes part of file names)


def search_path(user_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """User template folders first, then the built-in ones; a folder that is not there is an error."""
    for folder in user_dirs:
        if not folder.exists():
            raise TemplateError(f"template folder {str(folder)!r} not found")
        if not folder.is_dir():
            raise TemplateError(f"template folder {str(folder)!r} is a file; give the folder that holds your .j2 files")
    return (*user_dirs, builtin_templates())


# Template folders named in a trusted worksheetgen.toml: for each (by its real path), the hash of
# every file in it when the trust was checked. Trust is checked as the settings are read; the
# templates are read later, while the sheets are built, so each is checked again as it is read.
# Forked workers inherit this; the isolated child is sent it (`trusted_templates`).
_TRUSTED: dict[str, tuple[dict[str, bytes], str]] = {}


if sys.platform == "win32":
    _PathBase = WindowsPath
else:
    _PathBase = PosixPath


class TrustedFolder(_PathBase):
    """A template folder named in a trusted worksheetgen.toml, by the real path it had when its files
    were hashed. The loader uses it as it is (never resolving the name again) and refuses it if its
    record is missing or the folder has been relinked: it is never read as a --templates folder."""


def trust_templates(files: dict[str, dict[str, bytes]], config: Path) -> None:
    """Record the files of the template folders `config` names, as they were when its trust matched."""
    for folder, hashes in files.items():
        _TRUSTED[folder] = (hashes, str(config))


def trusted_templates() -> dict[str, tuple[dict[str, bytes], str]]:
    return dict(_TRUSTED)


def restore_trusted_templates(trusted: dict[str, tuple[dict[str, bytes], str]]) -> None:
    _TRUSTED.clear()
    _TRUSTED.update(trusted)


class FolderLoader(jinja2.BaseLoader):
    """Templates from a list of folders, never from outside them (symlinks and `..` included)."""

    def __init__(self, folders: Sequence[Path]) -> None:
        # A trusted config's folder is already its real path (resolved as its trust was checked);
        # resolving it again would follow a link swapped in since, to a folder never checked.
        self.folders = [f if isinstance(f, TrustedFolder) else Path(os.path.realpath(f)) for f in folders]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.replace("\\", "/").split("/")
        if template.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise TemplateError(f"template {template!r}: a template can use only files inside its own folder")
        for folder in self.folders:
            if isinstance(folder, TrustedFolder):
                _check_still_trusted(folder)
            candidate = folder.joinpath(*parts)
            if not os.path.lexists(candidate):
                continue
            real = Path(os.path.realpath(candidate))
            if not real.is_relative_to(folder):
                raise TemplateError(f"template {template!r} links outside its folder {str(folder)!r}; refused")
            return self._read(real, template, folder)
        raise jinja2.TemplateNotFound(template)

    def _read(self, path: Path, name: str, folder: Path) -> tuple[str, str, Callable[[], bool]]:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise TemplateError(f"template {name!r} is not a regular file; refused")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"template {name!r} is over {MAX_TEMPLATE_BYTES:,} bytes; refused")
        data = _read_once(path, name)
        _check_trusted(data, path, name, folder)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(f"template {name!r} is not UTF-8 text (byte {exc.start})") from None
        mtime = info.st_mtime
        return source, str(path), lambda: path.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        return sorted({p.name for folder in self.folders for p in folder.glob("*.j2")})


def _read_once(path: Path, name: str) -> bytes:
    """A template's bytes, read once (what is checked is what is compiled), never through a link
    or a pipe swapped in since it was looked at."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise TemplateError(f"template {name!r} is not a regular file; refused")
            data = file.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"template {name!r} cannot be read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"template {name!r} is over {MAX_TEMPLATE_BYTES:,} bytes; refused")
    return data


def _check_still_trusted(folder: TrustedFolder) -> None:
    """A trusted config's folder must have its record (the hashes its trust matched) and still be
    where it was: a folder moved or relinked since is refused, never read unchecked."""
    config = _TRUSTED.get(str(folder), ({}, "worksheetgen.toml"))[1]
    if str(folder) not in _TRUSTED or os.path.realpath(folder) != str(folder):
        raise TemplateError(
            f"template folder {str(folder)!r} named in {config!r} is not the folder that was trusted (it was"
            " moved or relinked while the sheets were being built): expected the folder as trusted, found"
            " it changed; check the templates, then run `worksheetgen trust` in that folder again"
        )


def _check_trusted(data: bytes, path: Path, name: str, folder: Path) -> None:
    """A template from a folder a trusted worksheetgen.toml names must be as it was when the trust
    was checked: a file changed, added or swapped since (while a pack was being built) is refused."""
    trusted = _TRUSTED.get(str(folder))
    if trusted is None:
        if isinstance(folder, TrustedFolder):  # never read unchecked (_check_still_trusted refuses it first)
            _check_still_trusted(folder)
        return  # the built-in folder, or one named with --templates (the teacher named it)
    hashes, config = trusted
    if hashlib.sha256(data).digest() != hashes.get(os.path.relpath(path, folder)):
        raise TemplateError(
            f"template {name!r} in {str(folder)!r} has changed since {config!r} was trusted (it changed"
            " while the sheets were being built): expected the template as trusted, found different"
            " content; check the templates, then run `worksheetgen trust` in that folder again"
        )


@lru_cache(maxsize=8)
def environment(path: tuple[Path, ...]) -> BoundedEnvironment:
    """One sandboxed, strict, autoescaping environment per search path. The built-in templates'
    compiled code is kept between runs (`builtin_bytecode`); a teacher's folder is always compiled afresh."""
    return BoundedEnvironment(
        loader=FolderLoader(path),
        bytecode_cache=builtin_bytecode() if path == (builtin_templates(),) else None,
        optimized=False,  # never evaluate a template's constants while compiling: `1|round(-10**8)` hung there
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=1)
def builtin_bytecode() -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates, for the built-in templates only, in the user's cache
    folder (`$XDG_CACHE_HOME/worksheetgen/templates`, else `~/.cache/...`), used only if this
    user owns it and nobody else may write there. Compiling them costs a run a few hundredths
    of a second each, a pack about a quarter of a second. A cached template is used only if its
    source is unchanged, and the file names carry a fingerprint of the sandbox's compiler, this
    module and Jinja's version, so code compiled by another version of either is never loaded.
    (Not the temporary folder: the web page's builds must leave nothing there.)"""
    here = Path(__file__).parent
    fingerprint = hashlib.sha256(jinja2.__version__.encode())
    for module in ("sandbox.py", "templating.py"):
        fingerprint.update((here / module).read_bytes())
    folder = private_cache_folder("templates")
    if folder is None:  # no private cache folder to be had: compile each time
        return None
    return jinja2.FileSystemBytecodeCache(str(folder), f"__worksheetgen_{fingerprint.hexdigest()[:16]}_%s.cache")


def private_cache_folder(name: str) -> Path | None:
    """`$XDG_CACHE_HOME/worksheetgen/NAME` (else `~/.cache/...`), made if need be, if this user
    owns it and nobody else may write there; else None (nothing is kept)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "worksheetgen" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return folder if info.st_uid == owner and not info.st_mode & 0o022 else None


def _private_cache_folder() -> Path | None:
    return private_cache_folder("templates")


def available_kinds(path: tuple[Path, ...]) -> list[str]:
    """Kind names found on the search path: every `<kind>.j2` that is not a key or partial."""
    kinds: set[str] = set()
    for folder in path:
        for file in folder.glob("*.j2"):
            name = file.name.removesuffix(".j2")
            if not name.startswith("_") and "." not in name and len(name) <= MAX_KIND_NAME:
                kinds.add(name)
    return sorted(kinds)


def load_template(name: str, path: tuple[Path, ...]) -> jinja2.Template:
    """Find and compile a template; a missing or broken one is a TemplateError with its line."""
    env = environment(path)
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        searched = "\n  ".join(str(p) for p in path)
        missing = f"{name!r}" if exc.name == name else f"{exc.name!r} (included by {name!r})"
        raise TemplateError(f"template {missing} not found; searched:\n  {searched}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.name or name}:{exc.lineno}: {exc.message}") from None
    except (RecursionError, SyntaxError, MemoryError):  # Python's own compiler has nesting limits too
        raise TemplateError(f"template {name}: its expressions or blocks nest too deeply to read") from None


def render_template(name: str, path: tuple[Path, ...], context: dict[str, Any]) -> Rendered:
    """Render one template to block markup; with a teacher's template folder on the path, in a
    child process with hard limits (isolation.py), else here."""
    if path[:-1]:
        load_template(name, path)  # syntax errors, missing files: found here, at no cost
        from worksheetgen.isolation import render_isolated

        return render_isolated(name, path, context)
    return render_here(name, path, context)


def render_here(name: str, path: tuple[Path, ...], context: dict[str, Any], traced: bool = False) -> Rendered:
    """Render one template to block markup on plain data; every failure names the template and
    line, and the result knows which template line wrote each output line (for markup errors):
    noted as it renders with `traced`, else worked out by rendering again when first asked."""
    template = load_template(name, path)
    env = environment(path)
    data = {key: plain(value) for key, value in context.items()}
    if traced:
        return _render(name, template, env, lambda: render_traced(template, data, max_chars=MAX_TEXT))
    again = partial(render_here, name, path, data, traced=True)
    return _render(name, template, env, lambda: render_untraced(template, data, MAX_TEXT, again))


def _render(name: str, template: jinja2.Template, env: BoundedEnvironment, run: Callable[[], Rendered]) -> Rendered:
    env.start()
    try:
        return run()  # stops as soon as its output passes MAX_TEXT
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:  # in an included template
        raise TemplateError(f"template {exc.name or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} (included by {name!r}) not found") from None
    except RecursionError:
        raise TemplateError(f"template {name}{_line(template)}: it calls itself without end") from None
    except MemoryError:
        raise TemplateError(f"template {name}{_line(template)}: it needed too much memory; refused") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"template {name}{_line(template)}: refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name}{_line(template)}: {exc.message}") from None
    except Exception as exc:  # any runtime failure inside template code (1/0, bad format, ...)
        raise TemplateError(f"template {name}{_line(template)}: {_describe(exc)}") from None
    finally:
        env.finish()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _line(template: jinja2.Template) -> str:
    """`:line` of the template (or the template it included) where rendering failed."""
    import sys

    tb = sys.exc_info()[2]
    place = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = f" ({Path(filename).name}:{tb.tb_lineno})" if filename != template.filename else f":{tb.tb_lineno}"
        tb = tb.tb_next
    return place
