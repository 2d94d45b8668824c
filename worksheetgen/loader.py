"""Load a content file: YAML to typed `Content`, with every problem located and reported at once.

PyYAML on its own turns `no` into False and `1:30` into 90, keeps the last of two duplicate
keys, expands aliases without limit ("billion laughs"), recurses once per level of nesting,
and refuses a control character pasted from Word without saying where. Here YAML is read
as a stream of parser events (libyaml's fast parser where installed) and built into plain
data by a loop with its own stack: every scalar stays the string the teacher typed;
duplicate keys, aliases and deep nesting are errors at their line; control characters are
removed with a warning at their line and column; and each value remembers its place so that
schema errors can point at it. After a syntax error, the top-level section holding it is set
aside and the file read again, so the problems after it are reported too.

What the reading gives (`yamltree.Tree`: data and positions) and the explaining of schema
errors at those positions (`schema_errors.py`) are modules of their own; this one reads.
"""

from __future__ import annotations

import re
import typing
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from worksheetgen.errors import ContentError, Problem
from worksheetgen.inputs import CONTENT, read_text
from worksheetgen.model import Content
from worksheetgen.schema_errors import validate
from worksheetgen.textclean import char_name, clean_text
from worksheetgen.yamltree import EMPTY, MAX_EVENTS, KeyPath, Position, Tree, at, dotted

MAX_DEPTH = 32  # content nests five levels deep; far more is a mistake or an attack
MAX_SYNTAX_ERRORS = 10  # sections set aside before the rest of the file is left unread
MAX_CHARACTER_WARNINGS = 10  # removed characters named one by one, then counted
NOTES_SUFFIXES = (".txt", ".md", ".markdown", ".text")

_YAML_TAG = "tag:yaml.org,2002:"
_NULLS = ("", "~", "null", "Null", "NULL")
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: 20 to 70 times faster

# What YAML refuses (control characters, non-characters, lone surrogates), and the line
# separators it counts as line breaks where editors do not (NEL, U+2028, U+2029).
_UNREADABLE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_AS_SPACE = frozenset("\x0b\x0c\x85\u2028\u2029")  # line and page breaks keep their word break
_SECTION = re.compile(r"(?![\s#\]}-]|\.\.\.)([^\n]*?):(?:[ \t]|$)")  # a top-level `key:` line
_TOO_DEEP = "nested too deep"
_UNCLOSED = {  # the parser's context for a construct that runs on to where it fails, and what it is
    "while scanning a quoted scalar": "a quote",
    "while parsing a flow sequence": "a list `[`",
    "while parsing a flow mapping": "a mapping `{`",
}
_KNOWN_KEY = re.compile(rf"^[\"']?(?:{'|'.join(Content.model_fields)})[\"']?[ \t]*:", re.MULTILINE)
_KEYISH = re.compile(r"^\s*(?:-(?:\s|$)|[\"']?[\w-]+(?: [\w-]+){0,2}[\"']?:(?:\s|$)|[\[\]{}|>\"'])")


@dataclass(frozen=True)
class Loaded:
    """A validated content file and the warnings met while reading it."""

    content: Content
    path: Path
    warnings: list[Problem]
    positions: dict[KeyPath, Position] = field(default_factory=dict)  # where each value is, for later messages


def load_content(path: Path) -> Loaded:
    """Read, parse and validate one content file; raise ContentError listing every problem."""
    decoded = read_text(path, CONTENT)
    tree = Tree(str(path))
    if decoded.warning:
        tree.warnings.append(decoded.warning)
    text = _remove_unreadable(decoded.text, tree)
    data = _parse(text, tree)
    content = validate(data, tree) if data is not None else None
    if content is None or tree.problems:
        _refuse_notes(path, text)
        raise ContentError(sorted(tree.problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Loaded(content, path, tree.warnings, tree.positions)


def _refuse_notes(path: Path, text: str) -> None:
    """Notes given where content is expected get a pointer to `import`, not a YAML parser message."""
    if _KNOWN_KEY.search(text):  # a content file, with mistakes in it
        return
    _refuse_roster(path, text)
    lines = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    prose = [line for line in lines if not _KEYISH.match(line)]
    if path.suffix.lower() in NOTES_SUFFIXES or (len(prose) >= 2 and 2 * len(prose) >= len(lines)):
        found = f"{len(prose)} line{'s' if len(prose) > 1 else ''} of prose and " if prose else ""
        message = (
            f"expected a content file (YAML with `title:` and `key_question:`), found {found}no `title:`: "
            f"this looks like notes. To turn notes into a content file run: worksheetgen import {path}"
        )
        raise ContentError([Problem(str(path), message)])


def _refuse_roster(path: Path, text: str) -> None:
    """A class list given where content is expected gets a pointer to `batch`."""
    from worksheetgen.roster import HEADER_WITHIN, looks_like_a_header

    rows = [line for line in text.split("\n", 50)[:50] if line.strip()][:HEADER_WITHIN]
    if path.suffix.lower() in (".csv", ".tsv") or any(looks_like_a_header(row) for row in rows):
        message = (
            "expected a content file (YAML with `title:` and `key_question:`), found a class list: to make a named "
            f"sheet for every pupil on it run: worksheetgen batch {path} --content your-topic.yaml"
        )
        raise ContentError([Problem(str(path), message)])


# Characters ------------------------------------------------------------------------------------


def _remove_unreadable(text: str, tree: Tree) -> str:
    """Remove what YAML refuses, each named at its line and column; line numbers stay as editors count them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = list(_UNREADABLE.finditer(text))
    if not found:
        return text
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    for number, match in enumerate(found):
        line, column = _line_column(starts, match.start())
        if number == MAX_CHARACTER_WARNINGS:
            more = f"{len(found) - number} more control characters removed or replaced by a space, the first here"
            tree.warnings.append(Problem(tree.file, more, line, column))
            break
        done = "replaced by a space" if match.group() in _AS_SPACE else "removed"
        tree.warnings.append(Problem(tree.file, f"{char_name(match.group())} {done}", line, column))
    return _UNREADABLE.sub(lambda m: " " if m.group() in _AS_SPACE else "", text)


def _line_column(starts: list[int], offset: int) -> Position:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


# YAML ------------------------------------------------------------------------------------------


def _parse(text: str, tree: Tree) -> Any:
    """Plain data from the YAML; after a syntax error, set its top-level section aside and read again."""
    lines = text.split("\n")
    budget = MAX_EVENTS  # for all the readings together: a big file with many errors is not read ten times
    for _ in range(MAX_SYNTAX_ERRORS):
        attempt = Tree(tree.file, budget=budget)
        try:
            _build(yaml.parse("\n".join(lines), Loader=_PARSER), attempt)
        except yaml.MarkedYAMLError as error:
            budget -= attempt.read
            tree.problems.append(_syntax_problem(error, lines, tree.file))
            if _set_aside(error, lines, tree):
                continue
            attempt.incomplete = True  # what was read before the error is still checked
        return _merge(attempt, tree)
    tree.problems.append(Problem(tree.file, f"more than {MAX_SYNTAX_ERRORS} YAML syntax errors; the rest is unchecked"))
    return None


def _merge(attempt: Tree, tree: Tree) -> Any:
    """The last reading's data and findings, kept with the syntax errors found before it."""
    tree.positions.update(attempt.positions)
    tree.problems.extend(attempt.problems)
    tree.warnings.extend(attempt.warnings)
    tree.refused |= attempt.refused
    tree.incomplete = tree.incomplete or attempt.incomplete
    if attempt.data is EMPTY:
        if not tree.problems:
            tree.problems.append(Problem(tree.file, "file is empty: expected a topic with at least `title:`"))
        return None
    return attempt.data


def _set_aside(error: yaml.MarkedYAMLError, lines: list[str], tree: Tree) -> bool:
    """Blank the top-level sections from where the broken part starts to where it was found.

    Blanked, not removed, so every later line keeps its number. False when the error is not
    inside a top-level `key:` section: then nothing after it can be read reliably.
    """
    marks = [m for m in (error.context_mark, error.problem_mark) if m is not None]
    if error.context in _UNCLOSED and error.context_mark:  # it ran on to the end: only its start is at fault
        marks = [error.context_mark]
    first, last = min(m.line for m in marks), max(m.line for m in marks)
    starts = [i for i, line in enumerate(lines) if _SECTION.match(line)]
    begin = max((s for s in starts if s <= first), default=None)
    if begin is None:
        return False
    end = min((s for s in starts if s > last), default=len(lines))
    for start in (s for s in starts if begin <= s < end):
        key = _SECTION.match(lines[start])
        tree.unread.add(key.group(1).strip("\"' ") if key else "")
    lines[begin:end] = [""] * (end - begin)
    return True


def _syntax_problem(error: yaml.MarkedYAMLError, lines: list[str], name: str) -> Problem:
    """Turn the parser's wording into what to do about it."""
    mark = error.problem_mark or error.context_mark
    assert mark is not None  # a MarkedYAMLError always has one of them
    problem, context = (error.problem or "").strip(), error.context or ""
    at = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        message = "tab used for indentation; indent with spaces"
    elif problem == _TOO_DEEP or "maximum nesting depth" in problem:
        message = f"lists or mappings nested more than {MAX_DEPTH} levels deep; content needs five at most"
    elif "mapping values are not allowed" in problem:
        message = "a colon inside a value; put the whole value in quotes"
    elif error.context_mark and error.context_mark.line != mark.line and context in _UNCLOSED:
        mark = error.context_mark
        message = f"{_UNCLOSED[context]} opened here is not closed"
    else:
        where = ""
        if error.context_mark and error.context_mark.line != mark.line:
            where = f" (begun on line {error.context_mark.line + 1})"
        message = f"YAML syntax error {context}{where}: {problem}".replace("error :", "error:")
    return Problem(name, message, mark.line + 1, mark.column + 1)


@dataclass
class _Frame:
    """A mapping or list being filled: where it is and, for a mapping, the key waiting for its value."""

    value: dict[str, Any] | list[Any]
    path: KeyPath
    key: str | None = None
    skip_value: bool = False  # the key was refused: its value is passed over
    seen: dict[str, int] = field(default_factory=dict)  # key -> its line, for duplicates


def _build(events: Iterator[yaml.Event], tree: Tree) -> None:
    """Plain data from parser events into `tree.data`, by a loop: nesting is bounded by us, not the stack.

    Filled in place as it is read, so the part before a syntax error can still be checked.
    """
    stack: list[_Frame] = []
    anchors: dict[str, int] = {}  # anchor -> its line, to name it when an alias is refused
    for event in events:
        tree.read += 1
        if tree.read > tree.budget:
            again = "" if tree.budget == MAX_EVENTS else ", counting the readings again after syntax errors"
            message = f"more than {MAX_EVENTS:,} keys and values{again}: a topic has hundreds; the rest is unread"
            tree.problems.append(Problem(tree.file, message, *at(event)))
            tree.incomplete = True
            return
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent) and tree.data is not EMPTY:
            message = "a second document starts here (`---`): a content file holds one topic"
            tree.problems.append(Problem(tree.file, message, *at(event)))
            return
        elif isinstance(event, yaml.NodeEvent):
            if event.anchor is not None:
                anchors.setdefault(event.anchor, at(event)[0])
            frame = stack[-1] if stack else None
            if isinstance(frame, _Frame) and isinstance(frame.value, dict) and frame.key is None:
                _key(frame, event, events, anchors, tree)
                continue
            if frame is not None and frame.skip_value:
                frame.key, frame.skip_value = None, False
                _skip(event, events)
                continue
            if isinstance(event, yaml.CollectionStartEvent) and len(stack) >= MAX_DEPTH:
                # Reported like libyaml's own limit (1,000 levels): a syntax error, its section set aside.
                raise yaml.MarkedYAMLError(problem=_TOO_DEEP, problem_mark=typing.cast(yaml.Mark, event.start_mark))
            _value(frame, event, events, anchors, tree, stack)


def _path(frame: _Frame | None) -> KeyPath:
    """The key path of the next value in `frame`."""
    if frame is None:
        return ()
    if isinstance(frame.value, dict):
        assert frame.key is not None
        return (*frame.path, frame.key)
    return (*frame.path, len(frame.value))


def _key(
    frame: _Frame, event: yaml.NodeEvent, events: Iterator[yaml.Event], anchors: dict[str, int], tree: Tree
) -> None:
    """A mapping key: plain text, not seen before in this mapping; otherwise its value is passed over."""
    if not isinstance(event, yaml.ScalarEvent):
        if isinstance(event, yaml.AliasEvent):
            _refuse_alias(event, frame.path, anchors, tree)
        else:
            tree.problem(event, frame.path, "expected a plain key name, found a list or mapping")
        _skip(event, events)
        frame.key, frame.skip_value = "", True
        return
    key = event.value
    if key in frame.seen:
        tree.problem(event, (*frame.path, key), f"duplicate key {key!r} (first on line {frame.seen[key]})")
        frame.key, frame.skip_value = key, True
        return
    frame.seen[key] = at(event)[0]
    tree.place((*frame.path, "<key>", key), event)
    frame.key = key


def _value(
    frame: _Frame | None,
    event: yaml.NodeEvent,
    events: Iterator[yaml.Event],
    anchors: dict[str, int],
    tree: Tree,
    stack: list[_Frame],
) -> None:
    """A value: text as typed, or a new mapping or list to fill; aliases and tags are refused."""
    path = _path(frame)
    tree.place(path, event)
    value: Any = None
    tag = getattr(event, "tag", None)
    if isinstance(event, yaml.AliasEvent):
        _refuse_alias(event, path, anchors, tree)
    elif tag is not None and (not tag.startswith(_YAML_TAG) or "python" in tag):
        tree.problem(event, path, f"unsupported YAML tag {tag!r}; write plain text")
        _skip(event, events)
    elif isinstance(event, yaml.ScalarEvent):
        value = _scalar(event, path, tree)
    elif isinstance(event, yaml.CollectionStartEvent):
        value = {} if isinstance(event, yaml.MappingStartEvent) else []
    _attach(frame, value, tree)
    if isinstance(value, dict | list):
        stack.append(_Frame(value, path))


def _attach(frame: _Frame | None, value: Any, tree: Tree) -> None:
    if frame is None:
        tree.data = value
    elif isinstance(frame.value, dict):
        assert frame.key is not None
        frame.value[frame.key] = value
        frame.key = None
    else:
        frame.value.append(value)


def _skip(event: yaml.Event, events: Iterator[yaml.Event]) -> None:
    """Pass over a refused value: if it is a collection, everything up to its end."""
    depth = 1 if isinstance(event, yaml.CollectionStartEvent) else 0
    while depth:
        following = next(events)
        if isinstance(following, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(following, yaml.CollectionEndEvent):
            depth -= 1


def _refuse_alias(event: yaml.AliasEvent, path: KeyPath, anchors: dict[str, int], tree: Tree) -> None:
    """Aliases are refused, not expanded (no "billion laughs", no loops); each anchor is named once."""
    name = event.anchor or ""
    if name in tree.aliased:
        tree.refused.add(path)
        return
    tree.aliased.add(name)
    where = f" (set on line {anchors[name]})" if name in anchors else ""
    message = (
        f"YAML alias `*{name}` repeats the value marked `&{name}`{where}; content does not use anchors and "
        "aliases (every use of this one is refused): write the value out"
    )
    tree.problem(event, path, message)


def _scalar(event: yaml.ScalarEvent, path: KeyPath, tree: Tree) -> str | None:
    """Keep the text as typed; an empty plain value (or `~`, `null`) means 'not given'."""
    if not event.style and event.tag is None and event.value in _NULLS:
        return None
    text, notes = clean_text(event.value)
    line, column = tree.positions[path]
    for note in notes:
        tree.warnings.append(Problem(tree.file, note, line, column, dotted(path)))
    return text
