"""Schema errors at their place: pydantic's errors as `FILE:LINE:COL: key.path: expected ..., found ...`.

Split from `loader.py`, which reads YAML: this half only explains, in a teacher's words and with
a "did you mean" for a misspelt key, what the model refused, at the position the reading kept.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from worksheetgen.errors import MAX_SHOWN, Problem
from worksheetgen.model import FROM_FILE, Content
from worksheetgen.yamltree import KeyPath, Position, Tree, dotted


def validate(data: Any, tree: Tree) -> Content | None:
    """Validate against the model; every error is located and explained, except where already reported."""
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        line, column = tree.positions.get((), (None, None))
        tree.problems.append(
            Problem(tree.file, f"expected a mapping of keys such as `title:`, found {found}", line, column)
        )
        return None
    try:
        return Content.model_validate(data, context=FROM_FILE)
    except ValidationError as exc:
        errors = [error for error in exc.errors() if _new(error, tree)]
        # "did you mean" for the ones that will be shown: 60,000 unknown keys cost seconds otherwise
        tree.problems.extend(_schema_problem(error, tree, n < MAX_SHOWN) for n, error in enumerate(errors))
        return None


def _new(error: Any, tree: Tree) -> bool:
    """False for errors already reported another way: under a refused value, in a section set aside,
    or a key missing from a file that could not be read to its end."""
    path = tuple(part for part in error["loc"] if isinstance(part, str | int))
    if any(path[:end] in tree.refused for end in range(len(path) + 1)):
        return False
    if path and path[0] in tree.unread:
        return False
    # A missing key may be in the part not read, or in what a refused merge (`<<: *alias`) would have given.
    return not (error["type"] == "missing" and (tree.incomplete or (*path[:-1], "<<") in tree.refused))


def _schema_problem(error: Any, tree: Tree, suggest: bool = True) -> Problem:
    """One pydantic error as `FILE:LINE:COL: path: expected ..., found ...`."""
    path = tuple(part for part in error["loc"] if isinstance(part, str | int))
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        position = tree.positions.get((*path[:-1], "<key>", key), tree.positions.get(path))
        message = f"unknown key {key!r}" + (_suggestion(key, path[:-1]) if suggest else "")
    else:
        position = _nearest_position(path, tree)
        message = _explain(error)
    line, column = position if position else (None, None)
    return Problem(tree.file, message, line, column, dotted(path))


def _nearest_position(path: KeyPath, tree: Tree) -> Position | None:
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
    if kind == "text_too_long":
        return str(error["msg"])
    if kind == "less_than_equal":  # a bound on a count (essay_questions[].marks: at most 100)
        expected = f"expected a number no more than {error['ctx']['le']:,}"
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
