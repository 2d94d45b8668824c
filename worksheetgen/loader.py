"""Load a content file: YAML to typed `Content`, with every problem located and reported at once.

PyYAML on its own turns `no` into False and `1:30` into 90 and keeps the last of two
duplicate keys. Here every scalar stays the string the teacher typed, duplicates are
errors, and each value remembers its line and column so that schema errors can point at it.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from worksheetgen.errors import ContentError, Problem
from worksheetgen.model import Content
from worksheetgen.textclean import clean_text

Position = tuple[int, int]
KeyPath = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_NULL_TAG = _YAML_TAG + "null"


@dataclass
class _Tree:
    """Plain data from YAML plus the position of every value and every key."""

    file: str
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, node: yaml.Node, path: KeyPath, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, message, mark.line + 1, mark.column + 1, dotted(path)))


@dataclass(frozen=True)
class Loaded:
    """A validated content file and the warnings met while reading it."""

    content: Content
    path: Path
    warnings: list[Problem]


def dotted(path: KeyPath) -> str:
    """`('causes', 2, 'title')` -> `causes[2].title`, the way a teacher reads a key path."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_content(path: Path) -> Loaded:
    """Read, parse and validate one content file; raise ContentError listing every problem."""
    name = str(path)
    text = _read_text(path)
    tree = _Tree(name)
    data = _to_data(_compose(text, name), tree)
    if tree.problems:
        raise ContentError(tree.problems)
    content = _validate(data, tree)
    return Loaded(content, path, tree.warnings)


def _read_text(path: Path) -> str:
    """Read a file as UTF-8 (a BOM is dropped); say where the first undecodable byte is."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError([Problem(str(path), "file not found")]) from None
    except IsADirectoryError:
        raise ContentError([Problem(str(path), "expected a YAML file, found a folder")]) from None
    except OSError as exc:
        raise ContentError([Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        found = raw[exc.start : exc.start + 1].hex()
        message = f"expected UTF-8 text, found byte 0x{found}; save the file as UTF-8"
        raise ContentError([Problem(str(path), message, line, column)]) from None


class _Loader(yaml.SafeLoader):
    """A safe loader used only for composing nodes; nothing is ever constructed by tag."""


def _compose(text: str, name: str) -> yaml.Node:
    """Parse YAML to a node tree, translating syntax errors into located problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, f"not valid YAML: {exc}")]) from None
    if node is None:
        raise ContentError([Problem(name, "file is empty: expected a topic with at least `title:`")])
    return node


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """Turn PyYAML's wording into what to do about it."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = (exc.problem or "").strip()
    if "'\\t'" in problem or "\\t" in problem:
        message = "tab used for indentation; indent with spaces"
    elif "mapping values are not allowed" in problem:
        message = "a colon inside a value; put the whole value in quotes"
    else:
        context = f" {exc.context}" if exc.context else ""
        message = f"YAML syntax error{context}: {problem}"
    return Problem(name, message, line, column)


def _to_data(node: yaml.Node, tree: _Tree, path: KeyPath = ()) -> Any:
    """Build plain data from nodes: strings as typed, positions recorded, duplicates refused."""
    tree.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if not node.tag.startswith(_YAML_TAG) or "python" in node.tag:
        tree.problem(node, path, f"unsupported YAML tag {node.tag!r}; write plain text")
        return None
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, tree, path)
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, tree, (*path, i)) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node, tree, path)


def _mapping(node: yaml.MappingNode, tree: _Tree, path: KeyPath) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            tree.problem(key_node, path, "expected a plain key name, found a list or mapping")
            continue
        key = key_node.value
        if key in first_seen:
            tree.problem(key_node, (*path, key), f"duplicate key {key!r} (first on line {first_seen[key]})")
            continue
        first_seen[key] = key_node.start_mark.line + 1
        tree.positions[(*path, "<key>", key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        result[key] = _to_data(value_node, tree, (*path, key))
    return result


def _scalar(node: yaml.ScalarNode, tree: _Tree, path: KeyPath) -> str | None:
    """Keep the text as typed; an empty plain value means 'not given'."""
    if node.style is None and (node.value == "" or node.tag == _NULL_TAG):
        return None
    text, notes = clean_text(node.value)
    line, column = tree.positions[path]
    for note in notes:
        tree.warnings.append(Problem(tree.file, note, line, column, dotted(path)))
    return text


def _validate(data: Any, tree: _Tree) -> Content:
    """Validate against the model; every error is located and explained."""
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        line, column = tree.positions[()]
        raise ContentError(
            [Problem(tree.file, f"expected a mapping of keys such as `title:`, found {found}", line, column)]
        )
    try:
        return Content.model_validate(data)
    except ValidationError as exc:
        problems = [_schema_problem(error, tree) for error in exc.errors()]
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ContentError(problems) from None


def _schema_problem(error: Any, tree: _Tree) -> Problem:
    """One pydantic error as `FILE:LINE:COL: path: expected ..., found ...`."""
    path = tuple(part for part in error["loc"] if isinstance(part, str | int))
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        position = tree.positions.get((*path[:-1], "<key>", key), tree.positions.get(path))
        message = f"unknown key {key!r}" + _suggestion(key, path[:-1])
    else:
        position = _nearest_position(path, tree)
        message = _explain(error)
    line, column = position if position else (None, None)
    return Problem(tree.file, message, line, column, dotted(path))


def _nearest_position(path: KeyPath, tree: _Tree) -> Position | None:
    """The position of the value, or of the closest parent that exists (for missing keys)."""
    for end in range(len(path), -1, -1):
        if path[:end] in tree.positions:
            return tree.positions[path[:end]]
    return None


_EXPECTED = {
    "missing": "required key is missing",
    "string_type": "expected text",
    "list_type": "expected a list (lines starting with '- ')",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_too_short": "expected text, found an empty value",
    "too_short": "expected at least one item",
    "greater_than": "expected a number above zero",
}


def _explain(error: Any) -> str:
    """Say what was expected and what was found."""
    kind = error["type"]
    expected = _EXPECTED.get(kind)
    if kind == "enum":
        expected = f"expected one of {error['ctx']['expected']}"
    if expected is None:
        expected = error["msg"][0].lower() + error["msg"][1:]
    if kind == "missing":
        return expected
    return f"{expected}, found {_describe(error.get('input'))}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _suggestion(key: str, parent: KeyPath) -> str:
    """'did you mean ...?' from the keys the model allows at this place."""
    model = _model_at(parent)
    if model is None:
        return ""
    close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of: {', '.join(model.model_fields)}"


def _model_at(path: KeyPath) -> type[BaseModel] | None:
    """Walk the schema along a key path to the model that holds the last key."""
    model: type[BaseModel] = Content
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        inner = _model_in(info.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside `list[X]`, `X | None` or `X`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
