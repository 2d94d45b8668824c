"""Settings a teacher keeps in a file: `worksheetgen.toml` in the folder they work in.

    templates = ["my-templates"]   # searched before the built-in templates

Paths are relative to the file. Command-line options come first, then the file's.

A folder can come from anywhere (a colleague's share, a download), and its templates decide
what is printed on every sheet, so a `worksheetgen.toml` that names template folders is used
only once the teacher has trusted it with `worksheetgen trust` (as `direnv allow` and
`mise trust` do). Trust is kept per file and per content: an edited file must be trusted again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from worksheetgen.errors import ContentError, Problem, WorksheetError

CONFIG_NAME = "worksheetgen.toml"
MAX_CONFIG_BYTES = 64_000


@dataclass(frozen=True)
class Config:
    templates: tuple[Path, ...] = ()
    untrusted: Path | None = None  # a config file found but not yet trusted (its templates unused)


def load_config(folder: Path | None = None) -> Config:
    """Read `worksheetgen.toml` from `folder` (default: the working folder), if there is one."""
    path = (folder or Path.cwd()) / CONFIG_NAME
    if not path.is_file():
        return Config()
    data = _read(path)
    templates = tuple(path.parent / t for t in data.get("templates", []))
    if templates and not is_trusted(path):
        return Config(untrusted=path)
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


def untrusted_warning(path: Path) -> str:
    return (
        f"{path} names template folders, which are not used until you trust them: check the"
        " templates are from someone you know, then run `worksheetgen trust` in that folder"
    )


# The trust list ------------------------------------------------------------------------------


def trust_file() -> Path:
    """Where trusted config files are listed: the user's own settings folder, not the project's."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "worksheetgen" / "trusted.json"


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    return _trusted().get(_key(path)) == _fingerprint(path)


def trust(folder: Path) -> Path:
    """Trust `folder`'s worksheetgen.toml as it is now; the config file's path."""
    from worksheetgen.output import write_atomic

    path = folder / CONFIG_NAME
    if not path.is_file():
        raise WorksheetError(f"no {CONFIG_NAME} in {str(folder)!r}; nothing to trust")
    _read(path)
    trusted = _trusted()
    trusted[_key(path)] = _fingerprint(path)
    store = trust_file()
    store.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(store, (json.dumps(trusted, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path
