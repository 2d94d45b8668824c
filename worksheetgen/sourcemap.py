"""Which template line wrote each line of a template's output.

The markup parser only knows lines of the rendered output, but a teacher needs the line of
their template. Rendering is done chunk by chunk (Jinja's `generate`); after each chunk the
innermost running template frame says which template is writing and, through Jinja's own
debug map, at which line. Jinja records the line of the last tag or expression before a run
of plain text, so plain text is found in the template source from that line on, which gives
its exact line.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import jinja2


class Origin(NamedTuple):
    """A chunk of output: the output line it starts on, and the template frame that wrote it
    (a tuple: one is made for every chunk). Template lines are worked out only when an error
    needs one (`Rendered.where`)."""

    output_line: int
    namespace: dict[str, Any]  # the compiled template's globals, which name the Template
    code_line: int  # a line of the template's compiled Python code
    text: str

    @property
    def template(self) -> jinja2.Template | None:
        owner = self.namespace.get("__jinja_template__")
        return owner if isinstance(owner, jinja2.Template) else None

    @property
    def literal(self) -> bool:
        """Plain template text (not a {{ value }}, which is Markup): its line breaks are the template's."""
        return type(self.text) is str


@dataclass(frozen=True)
class Rendered:
    """A rendered template and where each chunk of it came from."""

    name: str
    text: str
    origins: tuple[Origin, ...] = ()

    def where(self, output_line: int | None) -> str:
        """`name.j2:LINE` for an output line (the element's line as the XML parser gives it)."""
        origin = _origin_for(self.origins, output_line) if output_line else None
        template = origin.template if origin is not None else None
        if origin is None or template is None or output_line is None:
            return self.name if not output_line else f"{self.name}, output line {output_line}"
        name = template.name or self.name
        reported = template.get_corresponding_lineno(origin.code_line)
        index = output_line - origin.output_line
        exact = _literal_line(template, reported, origin.text, index) if origin.literal else None
        return f"{name}:{exact or reported}"


@dataclass(frozen=True)
class Untraced(Rendered):
    """A template rendered without noting where each chunk came from (a quarter of the time):
    `again` renders it once more, traced, the first time an error asks where a line came from.
    A built-in template renders plain, read-only data, so the second rendering is the first."""

    again: Callable[[], Rendered] | None = field(default=None, compare=False, repr=False)

    def where(self, output_line: int | None) -> str:
        if self.again is None:
            return super().where(output_line)
        if "_traced" not in self.__dict__:
            object.__setattr__(self, "_traced", self.again())
        traced: Rendered = self.__dict__["_traced"]
        return traced.where(output_line)


def render_untraced(
    template: jinja2.Template, context: dict[str, Any], max_chars: int, again: Callable[[], Rendered]
) -> Untraced:
    """Render like `render_traced`, without the origins (see `Untraced`)."""
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > max_chars:
            raise jinja2.exceptions.SecurityError(f"its output passed {max_chars:,} characters")
        parts.append(chunk)
    return Untraced(template.name or "", "".join(parts), again=again)


def render_traced(template: jinja2.Template, context: dict[str, Any], max_chars: int | None = None) -> Rendered:
    """Render like `template.render`, noting the template frame that wrote each chunk; stop
    with a SecurityError as soon as the output passes `max_chars`."""
    origins: list[Origin] = []
    parts: list[str] = []
    line, size = 1, 0
    includes: dict[tuple[types.CodeType, int], bool] = {}
    outer = template.generate(context)
    for chunk in outer:
        size += len(chunk)
        if max_chars is not None and size > max_chars:
            raise jinja2.exceptions.SecurityError(f"its output passed {max_chars:,} characters")
        frame = _writer(outer, includes)
        if frame is not None and chunk:
            origins.append(Origin(line, frame.f_globals, frame.f_lineno, chunk))
        parts.append(chunk)
        line += chunk.count("\n")
    return Rendered(template.name or "", "".join(parts), tuple(origins))


def _writer(outer: Any, includes: dict[tuple[types.CodeType, int], bool]) -> types.FrameType | None:
    """The innermost template frame now paused on a chunk. An {% include %} loops over the
    included template's generator, held in the local `gen`; reading locals is slow, so which
    lines are such loops is remembered."""
    frame = None
    generator = outer.gi_yieldfrom  # Template.generate delegates to the compiled root function
    while isinstance(generator, types.GeneratorType) and generator.gi_frame is not None:
        frame = generator.gi_frame
        generator = generator.gi_yieldfrom
        if generator is None:
            place = (frame.f_code, frame.f_lineno)
            if includes.get(place, True):
                inner = frame.f_locals.get("gen") if "gen" in frame.f_code.co_varnames else None
                includes[place] = isinstance(inner, types.GeneratorType) and inner.gi_frame is not None
                generator = inner if includes[place] else None
    return frame


def _literal_line(template: jinja2.Template, after: int, chunk: str, index: int) -> int | None:
    """The template line of line `index` of plain text `chunk`, found in the template's source
    line by line from line `after` on (Jinja joins text across a comment, so the chunk as a
    whole need not appear there)."""
    env = template.environment
    try:
        source = env.loader.get_source(env, template.name)[0] if env.loader and template.name else ""
    except jinja2.TemplateNotFound:
        return None
    position = 0
    for _ in range(after - 1):
        position = source.find("\n", position) + 1
        if position == 0:
            return None
    found = -1
    for number, piece in enumerate(chunk.split("\n")[: index + 1]):
        if number:  # the piece after a line break starts on a later source line
            position = source.find("\n", position) + 1
            if position == 0:
                return None
        found = source.find(piece, position)
        if found < 0:
            return None
        position = found + len(piece)
    return source.count("\n", 0, found) + 1


def _origin_for(origins: tuple[Origin, ...], output_line: int) -> Origin | None:
    """The chunk that most likely holds an element ending on `output_line`: the first whose
    piece of that line opens a tag, else the first with text on it, else the one before."""
    candidates: list[tuple[Origin, str]] = []
    before = None
    for origin in origins:
        if origin.output_line > output_line:
            break
        pieces = origin.text.split("\n")
        index = output_line - origin.output_line
        if index < len(pieces) and pieces[index].strip():
            candidates.append((origin, pieces[index]))
        before = origin
    for origin, piece in candidates:
        if "<" in piece and origin.literal:
            return origin
    return candidates[0][0] if candidates else before
