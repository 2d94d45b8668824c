"""Settings a teacher keeps in a file: `worksheetgen.toml` in the folder they work in.

    templates = ["my-templates"]   # searched before the built-in templates

Paths are relative to the file. Command-line options come first, then the file's.

A folder can come from anywhere (a colleague's share, a download), and its templates decide
what is printed on every sheet, so a `worksheetgen.toml` that names template folders is used
only once the teacher has trusted it with `worksheetgen trust` (as `direnv allow` and
`mise trust` do). Trust is kept per file and per content: the fingerprint covers the file and
every file, folder and link inside the template folders it names, so an edited file, or an
edited, added, removed or relinked template, must be trusted again (a colleague's share that
changes after you looked at it is not used until you look again).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from worksheetgen.errors import ContentError, Problem, WorksheetError

CONFIG_NAME = "worksheetgen.toml"
MAX_CONFIG_BYTES = 64_000
MAX_TRUSTED_ENTRIES = 500  # files, folders and links in the named template folders (the built-in folder has 20)
FINGERPRINT_VERSION = "2"  # 1 (no prefix): the file only; 2: the file and its template folders


@dataclass(frozen=True)
class Config:
    templates: tuple[Path, ...] = ()
    untrusted: Path | None = None  # a config file found but not yet trusted (its templates unused)
    changed: bool = False  # trusted once, but the file or its templates have changed since
    unreadable: str | None = None  # why its template folders cannot be checked (so never trusted)


def load_config(folder: Path | None = None) -> Config:
    """Read `worksheetgen.toml` from `folder` (default: the working folder), if there is one."""
    path = (folder or Path.cwd()) / CONFIG_NAME
    if not path.is_file():
        return Config()
    data = _read(path)
    templates = tuple(path.parent / t for t in data.get("templates", []))
    if templates:
        files: dict[str, dict[str, bytes]] = {}
        resolved: list[str] = []
        try:
            trusted = _trusted().get(_key(path)) == _fingerprint(path, files, resolved)
        except NotTrustableError as exc:
            return Config(untrusted=path, changed=_key(path) in _trusted(), unreadable=exc.reason)
        if not trusted:
            return Config(untrusted=path, changed=_key(path) in _trusted())
        # The templates are read later, while the sheets are built: the loader checks each one it
        # reads against the hash it had when it matched the trust (a file swapped mid-pack is refused).
        # Each folder is used by the real path it had when its files were hashed, never by its name:
        # a name relinked to another folder mid-build must not lead the loader (or the isolated child)
        # to a folder that was never checked.
        from worksheetgen.templating import TrustedFolder, trust_templates

        trust_templates(files, path)
        return Config(tuple(TrustedFolder(real) for real in resolved))
    return Config(templates)


def _read(path: Path) -> dict[str, list[str]]:
    """The file's settings, checked: every problem names the file."""
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ContentError([Problem(str(path), f"over {MAX_CONFIG_BYTES:,} bytes; is it the right file?")])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(str(path), f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise ContentError([Problem(str(path), "not valid TOML: lists nest too deeply")]) from None
    unknown = sorted(set(data) - {"templates"})
    if unknown:
        raise ContentError([Problem(str(path), f"unknown setting {unknown[0]!r}; expected: templates")])
    templates = data.get("templates", [])
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        raise ContentError([Problem(str(path), 'templates: expected a list of folder names, like ["my-templates"]')])
    return {"templates": templates}


def untrusted_warning(path: Path, changed: bool = False, unreadable: str | None = None) -> str:
    if unreadable is not None:
        return f"{path} names template folders that worksheetgen cannot check, so they are not used: {unreadable}"
    if changed:
        return (
            f"{path} or a template in the folders it names has changed since you trusted it (or it was trusted"
            " by a version that checked only the file), so they are not used: check the templates, then run"
            " `worksheetgen trust` in that folder again"
        )
    return (
        f"{path} names template folders, which are not used until you trust them: check the"
        " templates are from someone you know, then run `worksheetgen trust` in that folder"
    )


# The trust list ------------------------------------------------------------------------------


def trust_file() -> Path:
    """Where trusted config files are listed: the user's own settings folder, not the project's."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "worksheetgen" / "trusted.json"


class NotTrustableError(Exception):
    """The template folders a config names cannot all be checked (too many entries, or one that cannot
    be read), so the config is never trusted: `reason` says why, for the teacher."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fingerprint(
    path: Path, files: dict[str, dict[str, bytes]] | None = None, resolved: list[str] | None = None
) -> str:
    """The file's bytes and everything in the template folders it names, as one hash. NotTrustableError when
    there are too many entries to be a template folder, or one that cannot be read. `files`, if given,
    gets each folder's files' hashes (by the folder's real path, then the file's path inside it);
    `resolved`, if given, each folder's real path in order (resolved once: what was hashed)."""
    digest = hashlib.sha256(path.read_bytes())
    entries = [0]  # in all the folders together (one named 10,000 times counts 10,000 times)
    for name in _read(path)["templates"]:
        digest.update(b"\0folder\0" + name.encode("utf-8", "surrogateescape"))
        real = os.path.realpath(path.parent / name)
        if resolved is not None:
            resolved.append(real)
        if not _fold_folder(real, digest, entries, files.setdefault(real, {}) if files is not None else None):
            raise NotTrustableError(
                f"the template folders that {str(path)!r} names hold more than {MAX_TRUSTED_ENTRIES} files and"
                " folders (a folder counts each time it is named): a template folder holds your .j2 files"
            )
    return f"{FINGERPRINT_VERSION}:{digest.hexdigest()}"


def _unreadable(path: str, exc: OSError) -> NotTrustableError:
    """A folder that cannot be listed or a file that cannot be read: the templates loader may still open
    a file in it by name (a folder of mode 0300), so what trust cannot see, it must not vouch for."""
    what = os.path.basename(path) or path
    reason = exc.strerror or type(exc).__name__
    return NotTrustableError(
        f"expected template folders worksheetgen can read through, found {path!r} cannot be read"
        f" ({reason}): make {what!r} readable (for a folder, listable: chmod u+rx), then run"
        " `worksheetgen trust` in that folder again"
    )


def _fold_folder(root: str, digest: hashlib._Hash, entries: list[int], hashes: dict[str, bytes] | None = None) -> bool:
    """Every entry under the folder `root` (its real path), in a fixed order: each file's path and content
    (a file over the template size limit, which is never read, by its size), each link's target, each
    folder; devices and pipes by their type, never opened. False past MAX_TRUSTED_ENTRIES in all;
    NotTrustableError for a folder that cannot be listed or an entry that cannot be read (os.walk on its own
    skips a folder it cannot list, and the edits in it went unseen)."""
    from worksheetgen.templating import MAX_TEMPLATE_BYTES

    def refuse(exc: OSError) -> None:
        raise _unreadable(exc.filename or root, exc)

    entries[0] += 1
    if entries[0] > MAX_TRUSTED_ENTRIES:
        return False
    if not os.path.isdir(root):
        digest.update(b"\0missing")
        return True
    for here, folders, files in os.walk(root, onerror=refuse):
        folders.sort()
        for name in sorted([*folders, *files]):
            entries[0] += 1
            if entries[0] > MAX_TRUSTED_ENTRIES:
                return False
            full = os.path.join(here, name)
            label = os.path.relpath(full, root).encode("utf-8", "surrogateescape")
            try:
                info = os.lstat(full)
                if stat.S_ISLNK(info.st_mode):
                    digest.update(b"\0link\0" + label + b"\0" + os.fsencode(os.readlink(full)))
                elif stat.S_ISDIR(info.st_mode):
                    digest.update(b"\0folder\0" + label)
                elif stat.S_ISREG(info.st_mode) and info.st_size <= MAX_TEMPLATE_BYTES:
                    content = _file_hash(full)
                    digest.update(b"\0file\0" + label + b"\0" + content)
                    if hashes is not None:
                        hashes[os.path.relpath(full, root)] = content
                else:
                    digest.update(b"\0other\0" + label + f"\0{stat.S_IFMT(info.st_mode)}:{info.st_size}".encode())
            except OSError as exc:
                raise _unreadable(full, exc) from None
    return True


def _file_hash(path: str) -> bytes:
    """A regular file's hash, opened without following a link or waiting on a pipe swapped in for it;
    OSError when it cannot be read."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return b"not a file"
        return hashlib.sha256(file.read(1 << 20)).digest()


def _trusted() -> dict[str, str]:
    try:
        data = json.loads(trust_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _key(path: Path) -> str:
    """A config file is trusted where it was found, not where a link points: template folders are
    relative to where it is found, so a link to a trusted file must not carry its trust along."""
    return os.path.abspath(path)


def is_trusted(path: Path) -> bool:
    """Whether the config and its template folders are as the teacher trusted them (NotTrustableError when
    they cannot all be checked)."""
    return _trusted().get(_key(path)) == _fingerprint(path)


def trust(folder: Path) -> Path:
    """Trust `folder`'s worksheetgen.toml as it is now; the config file's path."""
    from worksheetgen.output import write_atomic

    path = folder / CONFIG_NAME
    if not path.is_file():
        raise WorksheetError(f"no {CONFIG_NAME} in {str(folder)!r}; nothing to trust")
    _read(path)
    try:
        fingerprint = _fingerprint(path)
    except NotTrustableError as exc:
        raise WorksheetError(f"{exc.reason}; nothing trusted") from None
    trusted = _trusted()
    trusted[_key(path)] = fingerprint
    store = trust_file()
    store.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(store, (json.dumps(trusted, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path
