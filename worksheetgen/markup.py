"""Parse the block markup that templates write into Document blocks.

The vocabulary is small and documented in the README ("Write a template"):
`h1 h2 p b gap ol li wordbank w lines table tr td box pagebreak`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from worksheetgen.document import (
    Block,
    Box,
    Cell,
    Gap,
    Heading,
    Inline,
    Mm,
    NumberedList,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Table,
    WordBank,
    WritingLines,
)
from worksheetgen.errors import TemplateError
from worksheetgen.wording import counted

_SPACE = re.compile(r"[ \t\r\n]+")  # not \s: non-breaking spaces must survive
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_PARAGRAPH_STYLES = {"body", "instruction", "small", "key"}


def parse_sheet(markup: str, template: str) -> tuple[str, tuple[Block, ...]]:
    """Parse a rendered template (a `<sheet title="...">` element) into its title and blocks."""
    try:
        root = etree.fromstring(markup.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(
            f"template {template} wrote malformed markup: {exc.msg} (output line {exc.lineno})"
        ) from None
    if root.tag != "sheet":
        raise TemplateError(f"template {template}: the outer element must be <sheet>, found <{root.tag}>")
    return root.get("title", ""), _children(root, template)


def _children(element: etree._Element, template: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for child in element:
        handler = _BLOCKS.get(child.tag)
        if handler is None:
            known = ", ".join(f"<{t}>" for t in _BLOCKS)
            place = f"template {template}, output line {child.sourceline}"
            raise TemplateError(f"{place}: unknown element <{child.tag}>; use one of {known}")
        blocks.append(handler(child, template))
    return tuple(blocks)


def _inlines(element: etree._Element, template: str) -> tuple[Inline, ...]:
    """Mixed text, <b> and <gap/> into runs, with HTML-like whitespace collapsing."""
    parts: list[Inline] = []
    _add_text(parts, element.text, bold=False)
    for child in element:
        if child.tag == "b":
            _add_text(parts, "".join(child.itertext()), bold=True)
        elif child.tag == "gap":
            parts.append(Gap(_int(child, "n", 0, template), child.get("hint", "")))
        else:
            raise TemplateError(
                f"template {template}: <{child.tag}> cannot be inside <{element.tag}> (output line {child.sourceline})"
            )
        _add_text(parts, child.tail, bold=False)
    return _trim(parts)


def _add_text(parts: list[Inline], text: str | None, bold: bool) -> None:
    if not text:
        return
    text = _SPACE.sub(" ", text)
    if parts and isinstance(parts[-1], Run) and parts[-1].bold == bold:
        parts[-1] = Run(parts[-1].text + text, bold)
    else:
        parts.append(Run(text, bold))


def _trim(parts: list[Inline]) -> tuple[Inline, ...]:
    if parts and isinstance(parts[0], Run):
        parts[0] = Run(parts[0].text.lstrip(), parts[0].bold)
    if parts and isinstance(parts[-1], Run):
        parts[-1] = Run(parts[-1].text.rstrip(), parts[-1].bold)
    return tuple(p for p in parts if not (isinstance(p, Run) and not p.text))


def _paragraph(element: etree._Element, template: str) -> Paragraph:
    style = element.get("style", "body")
    if style not in _PARAGRAPH_STYLES:
        raise TemplateError(
            f"template {template}: unknown paragraph style {style!r}; use one of {sorted(_PARAGRAPH_STYLES)}"
        )
    return Paragraph(_inlines(element, template), style)


def _heading(element: etree._Element, template: str) -> Heading:
    return Heading(_SPACE.sub(" ", "".join(element.itertext())).strip(), int(element.tag[1]))


def _list(element: etree._Element, template: str) -> NumberedList:
    return NumberedList(tuple(Paragraph(_inlines(li, template)) for li in element if li.tag == "li"))


def _wordbank(element: etree._Element, template: str) -> WordBank:
    words = tuple(_SPACE.sub(" ", "".join(w.itertext())).strip() for w in element if w.tag == "w")
    return WordBank(words, element.get("title", "Word bank"))


def _lines(element: etree._Element, template: str) -> WritingLines:
    pitch = _number(element, "pitch", template)
    return WritingLines(_int(element, "count", 1, template), Mm(pitch) if pitch else None, element.get("label", ""))


def _table(element: etree._Element, template: str) -> Table:
    rows = tuple(_row(tr, template) for tr in element if tr.tag == "tr")
    columns = max((sum(c.span for c in r.cells) for r in rows), default=0)
    widths_attr = element.get("widths")
    try:
        widths = tuple(float(w) for w in widths_attr.split(",")) if widths_attr else (1.0,) * columns
    except ValueError:
        raise TemplateError(f"template {template}: widths={widths_attr!r} must be numbers like '1,3'") from None
    if len(widths) != columns or any(sum(c.span for c in r.cells) != columns for r in rows):
        raise TemplateError(
            f"template {template}, output line {element.sourceline}: every row must fill "
            f"{counted(len(widths), 'column')} (the widths), counting spans"
        )
    border = _choice(element, "border", ("grid", "none"), "grid", template) or "grid"
    return Table(rows, widths, _int(element, "header", 0, template), border)


def _row(element: etree._Element, template: str) -> Row:
    height = _number(element, "height", template)
    cells = tuple(_cell(td, template) for td in element if td.tag == "td")
    keep = _choice(element, "keep", ("next",), None, template) == "next"
    return Row(cells, Mm(height) if height else None, keep_with_next=keep)


_CELL_BLOCKS = {"p", "lines", "ol", "table", "box", "h1", "h2", "wordbank"}


def _cell(element: etree._Element, template: str) -> Cell:
    if len(element) and all(child.tag in _CELL_BLOCKS for child in element):
        blocks = _children(element, template)
    else:
        blocks = (Paragraph(_inlines(element, template), element.get("style", "body")),)
    return Cell(
        blocks,
        span=_int(element, "span", 1, template),
        border=_choice(element, "border", ("solid", "dashed", "none"), None, template),
        shade=element.get("shade") == "1",
        align=_choice(element, "align", ("left", "center"), "left", template) or "left",
    )


def _choice(
    element: etree._Element, name: str, allowed: tuple[str, ...], default: str | None, template: str
) -> str | None:
    value: str | None = element.get(name, default)
    if value is not None and value not in allowed:
        raise TemplateError(
            f"template {template}, output line {element.sourceline}: {name}={value!r} on <{element.tag}>; "
            f"use one of {', '.join(allowed)}"
        )
    return value


def _int(element: etree._Element, name: str, default: int, template: str) -> int:
    """A whole-number attribute, or an error naming the template and output line."""
    value = element.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise TemplateError(
            f"template {template}, output line {element.sourceline}: {name}={value!r} on <{element.tag}> "
            "must be a whole number"
        ) from None


def _number(element: etree._Element, name: str, template: str) -> float | None:
    value = element.get(name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise TemplateError(
            f"template {template}, output line {element.sourceline}: "
            f"{name}={value!r} on <{element.tag}> must be a number"
        ) from None


def _box(element: etree._Element, template: str) -> Box:
    return Box(_children(element, template), element.get("title", ""))


def _pagebreak(element: etree._Element, template: str) -> PageBreak:
    return PageBreak()


_BLOCKS: dict[str, Callable[[etree._Element, str], Block]] = {
    "h1": _heading,
    "h2": _heading,
    "p": _paragraph,
    "ol": _list,
    "wordbank": _wordbank,
    "lines": _lines,
    "table": _table,
    "box": _box,
    "pagebreak": _pagebreak,
}
