"""A Jinja2 environment safe for templates from anywhere: plain data in, bounded work out.

A template folder may come from a colleague or a download, so a template is treated as
untrusted code. Three walls, after Jinja's own sandbox guide and Django's template engine:

1. **Plain data.** Templates see immutable records, tuples, strings and numbers made from the
   content, never model objects: a pydantic model's methods (`parse_raw` unpickles) are simply
   not there. The few Python helpers a template needs are listed by name (`TEMPLATE_CALLS`);
   template_data.py makes this view.
2. **An allow-list, not a block-list.** Only record fields, loop variables and namespaces can
   be read as attributes; only macros, listed helpers and a few globals can be called; only
   filters whose work is bounded by their input are available.
3. **Bounded work.** Every loop, call, attribute read, filter and join checks a deadline; string
   and list growth through `*`, `+`, `%`, `**`, `~` and filters is capped; output is capped;
   recursion and anything else that goes wrong becomes a TemplateError with its line.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from worksheetgen.template_data import Helper, Record

TIME_LIMIT = 5.0  # seconds of CPU time for one template (its own thread's); a shipped sheet takes about 0.01 s
WALL_GRACE = 1.5  # however busy the machine, a render also ends this much later on the wall clock
MAX_INCLUDE_DEPTH = 20  # `{% include %}`s inside one another; the shipped templates go 1 deep
MAX_TEXT = 2_000_000  # characters in any one string a template makes (a shipped sheet: ~20,000)
MAX_ITEMS = 100_000  # items in any one list or range a template makes
MAX_POWER_BITS = 4_096  # size of an integer `**` may make
BIG_TEXT = 100_000  # characters: making a text longer than this checks the memory at once, not every 1,024 steps
MEMORY_HEADROOM = 512 << 20  # bytes a render may add to the process before it stops (a backstop)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MAX_DEPTH = 24  # lists in lists a template may make

LOOP_VARIABLES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0"}
    | {"previtem", "nextitem", "cycle", "changed"}
)
BOUNDED_FILTERS = frozenset(
    {"abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape"}
    | {"first", "float", "forceescape", "format", "groupby", "int", "items", "join", "last"}
    | {"length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace"}
    | {"reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags"}
    | {"sum", "title", "trim", "truncate", "unique", "upper", "wordcount"}
)
_FORMAT_WIDTH = re.compile(r"%(\([^)]*\))?[-#0 +]*(\*|\d{4,}|\d*\.(\*|\d{4,}))")


# The environment ---------------------------------------------------------------------------


class _Generator(CodeGenerator):
    """Jinja's code generator with every loop and `~` join passed through the environment's guards."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        guarded = nodes.Call(nodes.EnvironmentAttribute("loop_guard"), [node.iter], [], None, None)
        node = nodes.For(node.target, guarded, node.body, node.else_, node.test, node.recursive, lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        """Each include is counted while it runs, so one that includes itself is stopped at a fixed
        depth (not by the clock or Python's recursion limit, which a busy machine reaches late)."""
        self.writeline("with environment.included():", node)
        self.indent()
        super().visit_Include(node, frame)
        self.outdent()

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        """Only plain template text is written as a constant: Jinja would otherwise run a filter on
        constants while compiling, outside every limit (`{{ 1|round(-10**8) }}` hung there)."""
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def visit_List(self, node: nodes.List, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.made(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        if node.ctx != "load":  # `{% for a, b in ... %}` and `{% set a, b = ... %}` name targets
            super().visit_Tuple(node, frame)
            return
        self.write("environment.made(")
        super().visit_Tuple(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.made(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for sheet templates; `start()` sets the clock before each render."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "+", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._render = threading.local()  # the clock and shapes of the render on this thread
        self.filters = {name: _bounded_filter(self, f) for name, f in self.filters.items() if name in BOUNDED_FILTERS}
        self.filters["format"] = _bounded_filter(self, _format)
        self.globals = {
            "range": self.safe_range,
            "dict": dict,
            "namespace": Namespace,
            "cycler": Cycler,
            "joiner": Joiner,
        }

    def start(self) -> None:
        """Set the clock and the memory baseline for one render on this thread."""
        self._render.deadline = (
            time.thread_time() + TIME_LIMIT
        )  # CPU time: a busy machine slows a render, never fails it
        self._render.wall_deadline = time.monotonic() + TIME_LIMIT + WALL_GRACE
        self._render.ticks = 0
        self._render.baseline = resident_bytes()
        self._render.shapes = {}  # id -> (container, depth, weight) of what this render made
        self._render.includes = 0  # `{% include %}`s running inside one another

    @contextlib.contextmanager
    def included(self) -> Iterator[None]:
        """Around each `{% include %}`: a template including itself (or two including each other)
        is stopped at MAX_INCLUDE_DEPTH, the same way every run."""
        state = self._render
        state.includes = getattr(state, "includes", 0) + 1
        try:
            if state.includes > MAX_INCLUDE_DEPTH:
                raise RecursionError(f"templates included more than {MAX_INCLUDE_DEPTH} deep")
            yield
        finally:
            state.includes -= 1

    def finish(self) -> None:
        """Let go of what the render made."""
        self._render.shapes = {}

    def tick(self) -> None:
        state = self._render
        late = time.monotonic() > getattr(state, "wall_deadline", math.inf)
        if late or time.thread_time() > getattr(state, "deadline", math.inf):
            raise SecurityError(f"it ran for more than {TIME_LIMIT:g} second{'' if TIME_LIMIT == 1 else 's'}")
        state.ticks = getattr(state, "ticks", 0) + 1
        if state.ticks % 1024 == 0:
            self._check_memory()

    def _check_memory(self) -> None:
        if resident_bytes() - getattr(self._render, "baseline", math.inf) > MEMORY_HEADROOM:
            raise SecurityError(f"it needed more than {MEMORY_HEADROOM >> 20} MB of memory")

    def made(self, value: Any) -> Any:
        """A list, tuple or dict a template wrote: refused if nested too deep (hashing one crashes
        Python) or if printing it would pass the text cap (nested lists doubled)."""
        self.tick()
        depth, weight = 1, 2
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, jinja2.Undefined):  # `[content.titel]` printed `[Undefined]`
                child._fail_with_undefined_error()
            child_depth, child_weight = self._shape(child)
            depth, weight = max(depth, child_depth + 1), weight + child_weight + 2
        if depth > MAX_DEPTH:
            raise SecurityError(f"it nested lists more than {MAX_DEPTH} deep")
        if weight > MAX_TEXT:
            raise SecurityError(f"it made a list of more than {MAX_TEXT:,} characters")
        self._shapes()[id(value)] = (value, depth, weight)
        return value

    def _shapes(self) -> dict[int, tuple[Any, int, int]]:
        if not hasattr(self._render, "shapes"):
            self._render.shapes = {}
        shapes: dict[int, tuple[Any, int, int]] = self._render.shapes
        return shapes

    def _shape(self, value: Any) -> tuple[int, int]:
        """Depth and printed size of a value: known for containers the template made, else measured."""
        known = self._shapes().get(id(value))
        if known is not None and known[0] is value:
            return known[1], known[2]
        if isinstance(value, list | tuple | dict):
            return _depth(value), _weight(value)
        return 0, len(value) if isinstance(value, str) else 8

    def bounded(self, value: Any) -> Any:
        """A made string or list within the caps (checked after each join, so growth stops early)."""
        self.tick()
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise SecurityError(f"it made a text of more than {MAX_TEXT:,} characters")
        if isinstance(value, str) and len(value) > BIG_TEXT:
            self._check_memory()  # WEAK 11: 1,500 texts of 2 million emoji (8 MB each) in one dict()
        if isinstance(value, list | tuple) and (len(value) > MAX_ITEMS or _weight(value) > MAX_TEXT):
            raise SecurityError(f"it made a list of more than {MAX_ITEMS:,} items or {MAX_TEXT:,} characters")
        return value

    def loop_guard(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every loop checks the clock as it goes, so nested loops cannot run for ever."""
        for count, item in enumerate(iterable):
            if count % 256 == 0:
                self.tick()
            yield item

    def safe_range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_ITEMS:
            raise SecurityError(f"range() is limited to {MAX_ITEMS:,} numbers")
        return numbers

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*" and isinstance(left, str | list | tuple) ^ isinstance(right, str | list | tuple):
            sequence, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(times, int) and max(len(sequence), _weight(sequence)) * times > MAX_TEXT:
                raise SecurityError("it repeated a text or list too many times")
        integers = isinstance(left, int) and isinstance(right, int)
        if operator == "*" and integers and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
            raise SecurityError("it made too large a number")
        powers = operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
        if powers and right * math.log2(abs(left)) > MAX_POWER_BITS:
            raise SecurityError("it raised a number to too high a power")
        if operator == "%" and isinstance(left, str):
            return self.bounded(_format(left, *(right if isinstance(right, tuple) else (right,))))
        return self.bounded(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        if isinstance(obj, Record) and attribute not in obj:
            return self._no_field(obj, attribute)
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]
        if not isinstance(obj, Record | LoopContext | Namespace | TemplateModule | Cycler | Joiner):
            return self.unsafe_undefined(obj, attribute)  # strings, numbers, lists: no attributes at all
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        if isinstance(obj, Record) and isinstance(argument, str) and argument not in obj:
            return self._no_field(obj, argument)
        return super().getitem(obj, argument)

    def _no_field(self, record: Record, name: str) -> jinja2.Undefined:
        """A missing field, named in the teacher's terms with the nearest real one."""
        close = difflib.get_close_matches(name, list(record), n=1)
        hint = f"{record!r} has no field {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
        return self.undefined(hint=hint.replace("<", "").replace(">", ""), obj=record, name=name)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.tick()
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Only data: a record's fields, a loop's variables, a namespace's names, an import's macros."""
        if isinstance(obj, Record):
            return attr in obj
        if isinstance(obj, LoopContext):
            return attr in LOOP_VARIABLES
        if isinstance(obj, Cycler | Joiner):
            return attr in {"next", "current", "reset"}
        return isinstance(obj, Namespace | TemplateModule) and not attr.startswith("_")

    def is_safe_callable(self, obj: Any) -> bool:
        """Only macros, listed helpers, the loop's own helpers and the globals given above."""
        if isinstance(obj, Macro | Helper | Cycler | Joiner | LoopContext) or obj is Cycler or obj is Joiner:
            return True  # the classes are the globals `cycler()` and `joiner()` (WEAK 10: once refused)
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, LoopContext | Cycler | Joiner):
            return True
        if owner is self:
            return getattr(obj, "__func__", None) in (BoundedEnvironment.loop_guard, BoundedEnvironment.safe_range)
        return obj is dict or obj is Namespace


def _bounded_filter(env: BoundedEnvironment, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that checks the clock, and the size of what it would join or returns."""

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        env.tick()
        if function.__name__ in {"sync_do_join", "do_join", "do_replace"}:
            args = tuple(_measured(a) for a in args)
            _check_growth(function.__name__, args, kwargs)
        if function.__name__ == "sync_do_sum" or function.__name__ == "do_sum":
            start = kwargs.get("start", args[3] if len(args) > 3 else 0)
            if not isinstance(start, int | float):
                raise SecurityError("sum adds numbers only")
        if function.__name__ in {"do_batch", "sync_do_slice", "do_slice"}:
            _check_parts(args, kwargs)
        if function.__name__ in {"sync_do_map", "do_map"}:
            return env.bounded(_defined(function(*args, **kwargs)))
        return env.bounded(function(*args, **kwargs))

    return bounded


def _check_parts(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The count given to batch or slice: at most MAX_ITEMS. `slice` is an async variant, which
    Jinja passes the eval context first (WEAK 10: the sequence was read as the count, so every
    `|slice` was refused)."""
    given = args[1:] if args and isinstance(args[0], EvalContext) else args
    count = given[1] if len(given) > 1 else kwargs.get("slices", kwargs.get("linecount"))
    if not isinstance(count, int) or isinstance(count, bool) or count > MAX_ITEMS:
        raise SecurityError(f"batch and slice are limited to {MAX_ITEMS:,} parts")


def _defined(items: Iterable[Any]) -> Iterator[Any]:
    """`map(attribute='trem')` gives an Undefined for each item (Jinja's attribute getter passes
    them on): the first is the error naming the field, as a misspelt `content.trem` is."""
    for item in items:
        if isinstance(item, jinja2.Undefined):
            item._fail_with_undefined_error()
        yield item


def _measured(value: Any) -> Any:
    """A filter's input made concrete and refused up front if joining it would pass the cap."""
    if isinstance(value, Iterator | range | dict | set | frozenset):  # lazy or keyed: made a list to measure
        value = list(itertools.islice(value, MAX_ITEMS + 1))
    if _weight(value) > MAX_TEXT:
        raise SecurityError(f"it made a text of more than {MAX_TEXT:,} characters")
    return value


def _check_growth(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """What `join` or `replace` would make, estimated from its inputs, refused before it is made."""
    texts = [a for a in args if isinstance(a, str)]
    if name == "do_replace" and len(texts) >= 3:
        text, old, new = texts[:3]
        pieces = len(text) + 1 if old == "" else len(text) // max(1, len(old))
        estimate = len(text) + pieces * len(new)
    elif name != "do_replace":
        items = next((a for a in args if isinstance(a, list | tuple)), ())
        separator = kwargs.get("d", texts[0] if texts else "")
        estimate = _weight(items) + len(items) * len(str(separator))
    else:
        return
    if estimate > MAX_TEXT:
        raise SecurityError(f"it made a text of more than {MAX_TEXT:,} characters")


def _depth(value: Any, level: int = 0) -> int:
    """How deep lists nest in `value` (stops counting past MAX_DEPTH)."""
    if level > MAX_DEPTH or not isinstance(value, list | tuple | dict):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(c, level + 1) for c in children), default=0)


def _weight(value: Any, depth: int = 0) -> int:
    """Roughly how many characters printing `value` takes (stops counting past the cap)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, list | tuple) and depth < 8:
        total = 0
        for item in value:
            total += _weight(item, depth + 1) + 2
            if total > MAX_TEXT:
                break
        return total
    return 8


def _format(text: str, *args: Any, **kwargs: Any) -> str:
    """`"%s"|format(x)` with widths and precisions kept small, so a format cannot fill memory."""
    if _FORMAT_WIDTH.search(str(text)):
        raise SecurityError("a format width or precision is too large")
    try:
        return str(text) % (kwargs or args)
    except (TypeError, ValueError, KeyError) as exc:
        raise SecurityError(f"format: {exc}") from None


# A backstop for memory ----------------------------------------------------------------------


def resident_bytes() -> int:
    """The process's resident memory (Linux; 0 elsewhere, where the caps above still hold).

    Read every 1,024 steps of a template, so growth the caps do not foresee stops within about
    MEMORY_HEADROOM; unlike an address-space limit this never touches the process's other threads.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0
