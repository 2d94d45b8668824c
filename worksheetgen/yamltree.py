"""What the loader reads YAML into: plain data, and the line and column of every key and value.

Its own module so the two halves of loading share it without importing each other: `loader`
fills a `Tree` from parser events, and `schema_errors` reads its positions to put each schema
error at its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from worksheetgen.errors import Problem

Position = tuple[int, int]
KeyPath = tuple[str | int, ...]

MAX_EVENTS = 100_000  # parser events read: the shipped topic has 1,339 (33 a KB), so 2 MB of it has 67,000


class _Empty:
    """No document at all: an empty file, or only comments."""


EMPTY: Any = _Empty()


@dataclass
class Tree:
    """Plain data from YAML plus the position of every value and every key."""

    file: str
    data: Any = EMPTY
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    refused: set[KeyPath] = field(default_factory=set)  # values already reported: no schema error under them
    unread: set[str] = field(default_factory=set)  # top-level keys set aside after a syntax error
    aliased: set[str] = field(default_factory=set)  # anchors whose aliases were reported
    incomplete: bool = False  # part of the file was not read: a "missing" key may be in it
    budget: int = MAX_EVENTS  # parser events this reading may take
    read: int = 0  # parser events it took

    def problem(self, event: yaml.Event, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.file, message, *at(event), dotted(path)))
        self.refused.add(path)

    def place(self, path: KeyPath, event: yaml.Event) -> None:
        self.positions[path] = at(event)


def at(event: yaml.Event) -> Position:
    """1-based line and column where an event starts (the parser gives every event a mark)."""
    mark: Any = event.start_mark
    return mark.line + 1, mark.column + 1


def dotted(path: KeyPath) -> str:
    """`('causes', 2, 'title')` -> `causes[2].title`, the way a teacher reads a key path."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def strings(value: Any) -> Iterator[str]:
    """Every text in plain data (mappings, lists, strings), in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
