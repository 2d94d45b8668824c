"""Golden Documents: every kind x tier x pupil sheet and key, for two topics, as readable text.

A kind's behaviour is what its Document holds, so a change to a kind, a template or the markup
shows here as a plain-text diff a reviewer can read, without rendering a PDF. The files are
written by this module and compared by tests/test_golden.py; after a change you mean, refresh
them and read the diff before committing:

    python -m tests.golden --refresh

The text is a generic outline of the Document's dataclasses: each block by its class name, a
field only where it differs from its default, text quoted as Python strings (so spaces and
odd characters show), nested blocks indented.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

from tests.topics import document
from worksheetgen.document import Tier
from worksheetgen.pipeline import list_kinds

GOLDEN = Path(__file__).parent
TOPICS = ("stalins-purges", "tsar-abdication")  # the shipped topic and a second, from another period


def sheets() -> Iterator[tuple[str, str, Tier, bool]]:
    """Every golden sheet: (topic, kind, tier, key), in a stable order."""
    for topic in TOPICS:
        for kind in list_kinds():
            for tier in Tier:
                for key in (False, True):
                    yield topic, kind, tier, key


def path_of(topic: str, kind: str, tier: Tier, key: bool) -> Path:
    return GOLDEN / topic / f"{kind}_{tier.value}{'_key' if key else ''}.txt"


def golden_text(topic: str, kind: str, tier: Tier, key: bool) -> str:
    """The Document of one sheet (seed 0), and the notes the teacher is given, as text."""
    built, notes = document(topic, kind, tier, key)
    lines = [f"# {topic} {kind} {tier.value}{' key' if key else ''}: `python -m tests.golden --refresh` rewrites this"]
    lines += [f"note: {note!r}" for note in notes]
    lines += outline(built)
    return "\n".join(lines) + "\n"


def outline(value: object, indent: str = "") -> list[str]:
    """A dataclass as `Name field=value ...`, with its dataclass (or tuple-of-dataclass) fields below it."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return [indent + _scalar(value)]
    simple, nested = [], []
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if _is_default(field, item):
            continue
        if dataclasses.is_dataclass(item) and not _is_simple(item):
            nested.append((field.name, [item]))
        elif isinstance(item, tuple) and item and all(dataclasses.is_dataclass(part) for part in item):
            nested.append((field.name, list(item)))
        else:
            simple.append(f"{field.name}={_scalar(item)}")
    lines = [indent + " ".join([type(value).__name__, *simple])]
    for name, items in nested:
        lines.append(f"{indent}  {name}:")
        for item in items:
            lines.extend(outline(item, indent + "    "))
    return lines


def _is_simple(value: object) -> bool:
    """A value object with one field (an `Mm` length) is printed inline."""
    return len(dataclasses.fields(value)) == 1  # type: ignore[arg-type]


def _is_default(field: dataclasses.Field[object], value: object) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


def _scalar(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if dataclasses.is_dataclass(value) and _is_simple(value):
        inner = getattr(value, dataclasses.fields(value)[0].name)  # type: ignore[arg-type]
        return f"{type(value).__name__}({_scalar(inner)})"
    if isinstance(value, tuple):
        return "(" + ", ".join(_scalar(part) for part in value) + ")"
    return repr(value)


def refresh() -> list[Path]:
    """Rewrite every golden file, and remove those of sheets that no longer exist."""
    wanted = {path_of(*sheet): golden_text(*sheet) for sheet in sheets()}
    for stale in set(GOLDEN.glob("*/*.txt")) - set(wanted):
        stale.unlink()
    changed = []
    for path, text in wanted.items():
        path.parent.mkdir(exist_ok=True)
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8", newline="\n")
            changed.append(path)
    return changed
