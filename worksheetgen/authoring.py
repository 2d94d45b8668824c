"""Helping teachers write content: a starter file, and the format as JSON Schema for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from worksheetgen.errors import OutputError
from worksheetgen.model import Content
from worksheetgen.output import write_atomic
from worksheetgen.resources import PACKAGE


def starter_text(title: str) -> str:
    """A commented starter content file for `title` that validates and builds every kind."""
    text = (PACKAGE / "starter.yaml").read_text(encoding="utf-8")
    quoted = _yaml_string(title)
    return (
        text.replace("__TITLE__", quoted)
        .replace("__QUESTION__", _yaml_string(f"Why did {title} happen?"))
        .replace("__ESSAY__", _yaml_string(f"Explain why {title} happened."))
    )


def write_new(path: Path, title: str, *, force: bool = False) -> None:
    """Write a starter file, never over a teacher's existing file unless forced."""
    if path.exists() and not force:
        raise OutputError(f"'{path}' already exists; choose another name with --out, or add --force to replace it")
    write_atomic(path, starter_text(title).encode("utf-8"))


def content_schema() -> dict[str, Any]:
    """The content format as JSON Schema (draft 2020-12), for completion and inline errors.

    Text fields also accept numbers and booleans: an editor reads `date: 1934` as a number,
    but worksheetgen keeps it as the text "1934", so the editor must not call it an error.
    """
    schema = _widen_text(Content.model_json_schema())
    return {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "worksheetgen content"}


def _widen_text(node: Any) -> Any:
    if isinstance(node, dict):
        widened = {key: _widen_text(value) for key, value in node.items()}
        if widened.get("type") == "string" and "enum" not in widened:
            widened["type"] = ["string", "number", "boolean"]
        return widened
    if isinstance(node, list):
        return [_widen_text(item) for item in node]
    return node


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
