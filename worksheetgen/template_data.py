"""What a template is given: plain read-only data, never the model objects it was made from.

A template may come from anyone (sandbox.py), so it sees immutable records, tuples, strings and
numbers made from the content: a pydantic model's methods (`parse_raw` unpickles) are simply not
there. The few Python helpers a template needs are listed by name on their class
(`TEMPLATE_CALLS`) and given as Helpers, whose results are plain too.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:  # a template's child process has only plain data: it never imports pydantic
    from pydantic import BaseModel


class Record:
    """Read-only named fields for a template: `content.title` or `content["title"]`, nothing else."""

    __slots__ = ("_fields", "_name")

    def __init__(self, name: str, fields: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a record is read-only")

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._fields == self._fields

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self._name}>"

    def __reduce__(self) -> tuple[type[Record], tuple[str, dict[str, Any]]]:
        """Pickled as its name and fields (for a template's child process, isolation.py)."""
        return (Record, (self._name, self._fields))


class Helper:
    """A Python helper a template may call, e.g. `sheet.widths(layout.body_size)`: its result is plain too."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[..., Any]) -> None:
        self._function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return plain(self._function(*args, **kwargs))

    def __repr__(self) -> str:
        return "<helper>"


def plain(value: Any) -> Any:
    """The template's view of a value: records, tuples and scalars, with no methods to call."""
    if value is None or isinstance(value, bool | int | float | Markup):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return Record("mapping", {str(k): plain(v) for k, v in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(plain(v) for v in value)
    if isinstance(value, Record | Helper):  # plain already (a child process is given plain data)
        return value
    if _is_model(value):
        if value.model_config.get("frozen") and not getattr(value, "TEMPLATE_CALLS", ()):  # (a helper holds its model)
            return _plain_frozen(value)
        return _plain_model(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record(value, {f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    raise TypeError(f"cannot give a template a {type(value).__name__}")


def _is_model(value: Any) -> bool:
    """A pydantic model? Asked without importing pydantic, which a process of only plain data never needs."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def _plain_model(value: BaseModel) -> Record:
    return _record(value, {name: getattr(value, name) for name in type(value).model_fields})


# A frozen model's view, made once per model object: the same content is given to every
# template of a run (a class batch renders it about 80 times), and a view is read-only.
_FROZEN: dict[int, tuple[weakref.ref[BaseModel], Record]] = {}


def _plain_frozen(value: BaseModel) -> Record:
    key = id(value)
    known = _FROZEN.get(key)
    if known is not None and known[0]() is value:
        return known[1]
    record = _plain_model(value)
    _FROZEN[key] = (weakref.ref(value, _forget(key)), record)
    return record


def _forget(key: int) -> Callable[[weakref.ref[BaseModel]], None]:
    """Drop a model's view when the model goes (its id may then be another object's)."""

    def forget(_: weakref.ref[BaseModel]) -> None:
        _FROZEN.pop(key, None)

    return forget


_PROPERTIES: dict[type, tuple[str, ...]] = {}


def _properties(cls: type) -> tuple[str, ...]:
    """A class's public properties (looked up once per class)."""
    if cls not in _PROPERTIES:
        names = (
            n
            for n in dir(cls)
            if isinstance(getattr(cls, n, None), property) and not n.startswith("_") and not _pydantic_own(n)
        )  # pydantic's own (`model_fields_set`, `model_extra`) are not the content's
        _PROPERTIES[cls] = tuple(names)
    return _PROPERTIES[cls]


def _pydantic_own(name: str) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and hasattr(pydantic.BaseModel, name)


def _record(obj: Any, fields: dict[str, Any]) -> Record:
    """Fields, properties and listed helpers of a model or dataclass, as a Record."""
    cls = type(obj)
    for name in _properties(cls):
        fields[name] = getattr(obj, name)
    record = {name: plain(value) for name, value in fields.items()}
    for name in getattr(cls, "TEMPLATE_CALLS", ()):
        record[name] = Helper(getattr(obj, name))
    return Record(cls.__name__, record)
