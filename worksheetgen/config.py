"""Settings a teacher keeps in a file: `worksheetgen.toml` in the folder they work in.

    templates = ["my-templates"]   # searched before the built-in templates

Paths are relative to the file. Command-line options come first, then the file's.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from worksheetgen.errors import ContentError, Problem

CONFIG_NAME = "worksheetgen.toml"


@dataclass(frozen=True)
class Config:
    templates: tuple[Path, ...] = ()


def load_config(folder: Path | None = None) -> Config:
    """Read `worksheetgen.toml` from `folder` (default: the working folder), if there is one."""
    path = (folder or Path.cwd()) / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(str(path), f"not valid TOML: {exc}")]) from None
    unknown = sorted(set(data) - {"templates"})
    if unknown:
        raise ContentError([Problem(str(path), f"unknown setting {unknown[0]!r}; expected: templates")])
    templates = data.get("templates", [])
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        raise ContentError([Problem(str(path), 'templates: expected a list of folder names, like ["my-templates"]')])
    return Config(tuple(path.parent / t for t in templates))
