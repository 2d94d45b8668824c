"""Where the built-in templates, content and fonts live, installed or in a checkout.

A wheel carries `templates/` and `content/` inside the package; a source checkout keeps
them at the top of the repository. Both are found from any working folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def builtin_templates() -> Path:
    return _data_dir("templates")


def builtin_content() -> Path:
    return _data_dir("content")


def font_file(name: str) -> Path:
    return PACKAGE / "fonts" / name


def shipped_topics() -> dict[str, Path]:
    """Shipped content files by name (file name without `.yaml`)."""
    return {p.stem: p for p in sorted(builtin_content().glob("*.yaml"))}
