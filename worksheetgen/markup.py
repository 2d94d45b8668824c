"""Parse the block markup that templates write into Document blocks.

The vocabulary, what each element may hold and its attributes with their limits are one
table, `markup_spec.ELEMENTS`, which also prints the README's table. Everything a template
writes is checked against it: an unknown element, child or attribute (`stlye`), bare text
where it would be lost, or a bad value is a `TemplateError` naming the template and line,
never a traceback or a silently dropped piece of the sheet.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import NoReturn, cast

from lxml import etree

from worksheetgen import markup_spec as spec
from worksheetgen.document import (
    Align,
    Block,
    Box,
    Cell,
    CellBorder,
    Gap,
    Heading,
    HeadingLevel,
    Inline,
    Mm,
    NumberedList,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Row,
    Run,
    Table,
    TableBorder,
    WordBank,
    WritingLines,
)
from worksheetgen.errors import TemplateError
from worksheetgen.sourcemap import Rendered
from worksheetgen.wording import counted, keep_dates_together, keep_dates_together_in

_SPACE = re.compile(r"[ \t\r\n]+")  # not \s: non-breaking spaces must survive
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
)
A4_FRAME = Mm(170)
Values = dict[str, object]


def parse_sheet(rendered: Rendered, width: Mm = A4_FRAME) -> tuple[str, tuple[Block, ...]]:
    """Parse a rendered template (a `<sheet title="...">` element) into its title and blocks;
    `width` is the page's text width, to check that table columns leave room for text."""
    try:
        root = etree.fromstring(_utf8(rendered), _PARSER)
    except etree.XMLSyntaxError as exc:
        # lxml's message ends ", line L, column C", after a line break for some errors (a NUL)
        message = " ".join(re.sub(r",\s*line \d+, column (\d+)\s*$", r" (column \1)", exc.msg).split())
        raise TemplateError(f"template {rendered.where(exc.lineno)}: wrote malformed markup: {message}") from None
    parser = _Parser(rendered)
    if root.tag != "sheet":
        parser.fail(root, f"the outer element must be <sheet>, found <{root.tag}>")
    values = parser.check(root, 0)
    return cast(str, values["title"]), parser.blocks(root, width.value, 0)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 does not allow


def _utf8(rendered: Rendered) -> bytes:
    """The rendered text as UTF-8; half a surrogate pair (`"\\udc80"` in a template) is not text."""
    control = _NOT_XML.search(rendered.text)
    if control:  # lxml's own message for these ran over two lines
        line = rendered.text.count("\n", 0, control.start()) + 1
        code = f"U+{ord(control.group()):04X}"
        raise TemplateError(
            f"template {rendered.where(line)}: wrote {code}, a control character that cannot be in a sheet"
        )
    try:
        return rendered.text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = rendered.text.count("\n", 0, exc.start) + 1
        code = f"U+{ord(rendered.text[exc.start]):04X}"
        raise TemplateError(
            f"template {rendered.where(line)}: wrote {code}, half of a surrogate pair, which is not a character"
        ) from None


class _Parser:
    """One sheet's parse: checks each element against the spec, then builds its block."""

    def __init__(self, rendered: Rendered) -> None:
        self.rendered = rendered
        self.elements = 0

    def fail(self, element: etree._Element, message: str) -> NoReturn:
        raise TemplateError(f"template {self.rendered.where(element.sourceline)}: {message}")

    # Checking against the spec ---------------------------------------------------------------

    def check(self, element: etree._Element, depth: int) -> Values:
        """Children, bare text and attributes of one element; its attribute values, parsed."""
        self.elements += 1
        if self.elements > spec.MAX_ELEMENTS:
            self.fail(element, f"more than {spec.MAX_ELEMENTS:,} elements in one sheet")
        if depth > spec.MAX_DEPTH:
            self.fail(element, f"boxes and tables nest more than {spec.MAX_DEPTH} deep")
        rule = spec.ELEMENTS[element.tag]
        if not rule.text and _has_text(element.text):
            self.fail(element, f"text {_quote(element.text)} cannot be directly inside <{element.tag}>")
        for child in element:
            self._check_child(element, child, rule)
        for name in element.attrib:
            if name not in rule.attributes:
                self._unknown_attribute(element, str(name))
        return {name: self._value(element, name, kind) for name, kind in rule.attributes.items()}

    def _check_child(self, parent: etree._Element, child: etree._Element, rule: spec.Element) -> None:
        if not isinstance(child.tag, str):  # an entity reference left unexpanded
            self.fail(child, f"only elements and text may be inside <{parent.tag}>")
        if child.tag not in spec.ELEMENTS:
            known = ", ".join(f"<{t}>" for t in spec.ELEMENTS)
            self.fail(
                child, f"unknown element <{child.tag}>{_did_you_mean(child.tag, spec.ELEMENTS)}; use one of {known}"
            )
        if child.tag not in rule.children:
            holds = rule.holds().replace("`", "")
            self.fail(child, f"<{child.tag}> cannot be inside <{parent.tag}>, which holds {holds}")
        if not rule.text and _has_text(child.tail):
            self.fail(child, f"text {_quote(child.tail)} cannot be directly inside <{parent.tag}>")

    def _unknown_attribute(self, element: etree._Element, name: str) -> NoReturn:
        rule = spec.ELEMENTS[element.tag]
        allowed = ", ".join(rule.attributes) or "none"
        hint = _did_you_mean(name, rule.attributes)
        self.fail(element, f"<{element.tag}> has no attribute {name!r}{hint} (it takes: {allowed})")

    def _value(self, element: etree._Element, name: str, kind: spec.Value) -> object:
        raw = element.get(name)
        if raw is None:
            return None if isinstance(kind, spec.Length | spec.Widths) else kind.default
        parsed = _parse(kind, raw)
        if parsed is None:
            self.fail(element, f"{name}={_shown(raw)} on <{element.tag}> must be {kind.expected()}")
        return parsed

    # Building blocks ---------------------------------------------------------------------------

    def blocks(self, element: etree._Element, width: float, depth: int) -> tuple[Block, ...]:
        """The child blocks; a page break at the start or after another makes only a blank page,
        so it is dropped (5,000 of them were blamed on 'one block of text is too long')."""
        built: list[Block] = []
        for child in element:
            block = self.block(child, width, depth)
            if not (isinstance(block, PageBreak) and (not built or isinstance(built[-1], PageBreak))):
                built.append(block)
        return tuple(built)

    def block(self, element: etree._Element, width: float, depth: int) -> Block:
        values = self.check(element, depth)
        return _BUILDERS[element.tag](self, element, values, width, depth)

    def inlines(self, element: etree._Element) -> tuple[Inline, ...]:
        """Mixed text, <b> and <gap/> into runs, with HTML-like whitespace collapsing."""
        parts: list[Inline] = []
        _add_text(parts, element.text, bold=False)
        for child in element:
            values = self.check(child, 0)
            if child.tag == "b":
                _add_text(parts, child.text, bold=True)
            else:
                parts.append(Gap(cast(int, values["n"]), cast(str, values["hint"])))
            _add_text(parts, child.tail, bold=False)
        gaps = sum(isinstance(part, Gap) for part in parts)
        if gaps > spec.MAX_GAPS:  # 19,990 side by side are one long word to break: over a minute of layout
            self.fail(element, f"<{element.tag}> holds {gaps:,} <gap/>s, more than {spec.MAX_GAPS:,}; split it up")
        size = sum(len(part.text) for part in parts if isinstance(part, Run))
        if size > spec.MAX_PARAGRAPH:  # a 360 KB paragraph took 27 s to lay out, in a table cell 113 s
            self.fail(
                element, f"<{element.tag}> holds {size:,} characters, more than {spec.MAX_PARAGRAPH:,}; split it up"
            )
        return _trim(parts)

    def paragraph(self, element: etree._Element, values: Values, width: float, depth: int) -> Paragraph:
        return Paragraph(self.inlines(element), cast(ParagraphStyle, values["style"]))

    def heading(self, element: etree._Element, values: Values, width: float, depth: int) -> Heading:
        return Heading(_words(element.text), cast(HeadingLevel, int(element.tag[1])))

    def numbered(self, element: etree._Element, values: Values, width: float, depth: int) -> NumberedList:
        items = []
        for li in element:
            self.check(li, depth)
            items.append(Paragraph(self.inlines(li)))
        return NumberedList(tuple(items))

    def wordbank(self, element: etree._Element, values: Values, width: float, depth: int) -> WordBank:
        for w in element:
            self.check(w, depth)
        return WordBank(tuple(_words(w.text) for w in element), cast(str, values["title"]))

    def lines(self, element: etree._Element, values: Values, width: float, depth: int) -> WritingLines:
        pitch = cast(float | None, values["pitch"])
        return WritingLines(cast(int, values["count"]), Mm(pitch) if pitch else None, cast(str, values["label"]))

    def table(self, element: etree._Element, values: Values, width: float, depth: int) -> Table:
        if not 1 <= len(element) <= spec.MAX_ROWS:
            self.fail(element, f"a <table> holds 1 to {spec.MAX_ROWS} rows (<tr>), not {len(element)}")
        checked = [(tr, self.check(tr, depth + 1), [self.check(td, depth + 1) for td in tr]) for tr in element]
        columns = max(sum(cast(int, cell["span"]) for cell in cells) for _, _, cells in checked)
        widths = cast(tuple[float, ...] | None, values["widths"]) or (1.0,) * columns
        self._check_columns(element, widths, width)
        header = cast(int, values["header"])
        if header > len(element):
            self.fail(element, f"header={header} on a <table> of {counted(len(element), 'row')}")
        column_mm = [width * w / sum(widths) - spec.CELL_PADDING_MM for w in widths]
        rows = tuple(self.row(tr, row, cells, column_mm, depth + 1) for tr, row, cells in checked)
        return Table(rows, widths, header, cast(TableBorder, values["border"]), values["rows"] == "tight")

    def _check_columns(self, element: etree._Element, widths: tuple[float, ...], width: float) -> None:
        if len(widths) > spec.MAX_COLUMNS:
            self.fail(element, f"a <table> has at most {spec.MAX_COLUMNS} columns, not {len(widths)}")
        for number, share in enumerate(widths, 1):
            text = width * share / sum(widths) - spec.CELL_PADDING_MM
            if text < spec.MIN_COLUMN_MM:
                self.fail(
                    element,
                    f"widths={_shown(element.get('widths', ''))} leave column {number} {max(text, 0):.1f} mm for text "
                    f"(at least {spec.MIN_COLUMN_MM:g} mm; the table is {width:.0f} mm wide here): "
                    "make it wider or use fewer columns",
                )

    def row(
        self, element: etree._Element, values: Values, cells: list[Values], column_mm: list[float], depth: int
    ) -> Row:
        """A row's cells, each given the width of the columns it spans, which it must fill exactly."""
        if not cells:
            self.fail(element, "a <tr> holds at least one <td>")
        built, column = [], 0
        for td, cell in zip(element, cells, strict=True):
            span = cast(int, cell["span"])
            inner = sum(column_mm[column : column + span]) + spec.CELL_PADDING_MM * (span - 1)
            built.append(self.cell(td, cell, inner, depth))
            column += span
        if column != len(column_mm):
            self.fail(element, f"every row must fill {counted(len(column_mm), 'column')} (the widths), counting spans")
        height = cast(float | None, values["height"])
        return Row(tuple(built), Mm(height) if height else None, keep_with_next=values["keep"] == "next")

    def cell(self, element: etree._Element, values: Values, width: float, depth: int) -> Cell:
        if any(child.tag in spec.CELL_BLOCKS for child in element):
            if _has_text(element.text) or any(_has_text(c.tail) or c.tag in spec.INLINE for c in element):
                self.fail(element, "a <td> holds text (with <b>, <gap/>) or blocks such as <p>, not both")
            blocks = self.blocks(element, width, depth)
        else:
            blocks = (Paragraph(self.inlines(element), cast(ParagraphStyle, values["style"])),)
        return Cell(
            blocks,
            span=cast(int, values["span"]),
            border=cast(CellBorder | None, values["border"]),
            shade=values["shade"] == "1",
            align=cast(Align, values["align"]),
        )

    def box(self, element: etree._Element, values: Values, width: float, depth: int) -> Box:
        return Box(self.blocks(element, width - spec.BOX_PADDING_MM, depth + 1), cast(str, values["title"]))

    def pagebreak(self, element: etree._Element, values: Values, width: float, depth: int) -> PageBreak:
        return PageBreak()


_BUILDERS: dict[str, Callable[[_Parser, etree._Element, Values, float, int], Block]] = {
    "h1": _Parser.heading,
    "h2": _Parser.heading,
    "p": _Parser.paragraph,
    "ol": _Parser.numbered,
    "wordbank": _Parser.wordbank,
    "lines": _Parser.lines,
    "table": _Parser.table,
    "box": _Parser.box,
    "pagebreak": _Parser.pagebreak,
}
assert set(_BUILDERS) == spec.BLOCKS, "every block element in the spec needs a builder"


# Values ------------------------------------------------------------------------------------


def _parse(kind: spec.Value, raw: str) -> object:
    """An attribute's value, or None when it breaks the spec's rule."""
    match kind:
        case spec.Text(longest=longest):
            return keep_dates_together(raw) if len(raw) <= longest else None
        case spec.Choice(values=values):
            return raw if raw in values else None
        case spec.Whole(low=low, high=high):
            number = _whole(raw)
            return number if number is not None and low <= number <= high else None
        case spec.Length(low=low, high=high):
            length = _finite(raw)
            return length if length is not None and low <= length <= high else None
        case spec.Widths():
            widths = [_finite(part) for part in raw.split(",")]
            fine = all(w is not None and 0 < w <= spec.MAX_WIDTH_SHARE for w in widths)
            return tuple(cast(list[float], widths)) if fine else None


def _whole(raw: str) -> int | None:
    try:
        return int(raw.strip()) if len(raw) <= 20 else None
    except ValueError:
        return None


def _finite(raw: str) -> float | None:
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# Text ----------------------------------------------------------------------------------------


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip())


def _shown(raw: str) -> str:
    """A value as typed, for a message: quoted, and cut short when long."""
    return repr(raw if len(raw) <= 40 else raw[:37] + "...")


def _quote(text: str | None) -> str:
    words = _SPACE.sub(" ", text or "").strip()
    return repr(words if len(words) <= 30 else words[:27] + "...")


def _words(text: str | None) -> str:
    return keep_dates_together(_SPACE.sub(" ", text or "").strip())


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _add_text(parts: list[Inline], text: str | None, bold: bool) -> None:
    if not text:
        return
    text = _SPACE.sub(" ", text)
    if parts and isinstance(parts[-1], Run) and parts[-1].bold == bold:
        parts[-1] = Run(parts[-1].text + text, bold)
    else:
        parts.append(Run(text, bold))


def _trim(parts: list[Inline]) -> tuple[Inline, ...]:
    """The runs without outer spaces or empty pieces, each date in them kept on one line."""
    texts = keep_dates_together_in([p.text if isinstance(p, Run) else "" for p in parts])  # a gap ends a date
    parts = [Run(text, p.bold) if isinstance(p, Run) else p for p, text in zip(parts, texts, strict=True)]
    if parts and isinstance(parts[0], Run):
        parts[0] = Run(parts[0].text.lstrip(), parts[0].bold)
    if parts and isinstance(parts[-1], Run):
        parts[-1] = Run(parts[-1].text.rstrip(), parts[-1].bold)
    return tuple(p for p in parts if not (isinstance(p, Run) and not p.text))
