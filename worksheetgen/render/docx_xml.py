"""WordprocessingML written as text: paragraphs, runs, tables, rows and cells.

Each element's properties are written in schema order, as Word expects them. All teacher text
passes through `escape` in `text_run`; everything else in the markup is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from worksheetgen import document as d
from worksheetgen.layout import GAP_RULE, TICK_BOX
from worksheetgen.render.docx_shell import twips
from worksheetgen.textclean import xml_escape as escape

CELL_MARGINS = (("top", 85), ("left", 113), ("bottom", 85), ("right", 113))  # twips: 1.5 mm, 2 mm


@dataclass
class Container:
    """The body's or a table cell's elements, as markup, in order; `lists` holds the numbering
    id of each numbered list in the whole sheet (shared by the body and every cell in it)."""

    in_cell: bool = False
    items: list[str] = field(default_factory=list)
    lists: list[int] = field(default_factory=list)
    instructions: bool = True  # a pupil sheet's numbered lists are instructions, kept with their task
    blank_first: bool = False  # a page is left blank before the card sheet (as in the PDF)

    def cell(self) -> Container:
        """An empty table cell inside this container."""
        return Container(in_cell=True, lists=self.lists, instructions=self.instructions)


def write_paragraph(
    container: Container,
    style: str,
    runs: str = "",
    *,
    right_tab: float | None = None,
    hanging: float | None = None,
    center: bool = False,
    keep_with_next: bool = False,
    numbering: int | None = None,
    space_after: float | None = None,
    line: float | None = None,
) -> str:
    """Add a paragraph in a named style (by style id), its properties in schema order;
    `numbering` is the id of the numbered list it is an item of; `space_after` in points;
    `line` an exact line height in mm."""
    properties = f'<w:pStyle w:val="{style.replace(" ", "")}"/>'
    properties += "<w:keepNext/>" if keep_with_next else ""  # in a table row: keeps the next row with it
    if numbering is not None:
        properties += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering}"/></w:numPr>'
    if right_tab is not None or hanging is not None:
        tabs = f'<w:tab w:val="right" w:pos="{twips(right_tab)}"/>' if right_tab is not None else ""
        tabs += f'<w:tab w:val="left" w:pos="{twips(hanging)}"/>' if hanging is not None else ""
        properties += f"<w:tabs>{tabs}</w:tabs>"
    if space_after is not None or line is not None:
        after = f' w:after="{round(space_after * 20)}"' if space_after is not None else ""
        exact = f' w:line="{twips(line)}" w:lineRule="exact"' if line is not None else ""
        properties += f"<w:spacing{after}{exact}/>"
    if hanging is not None:
        properties += f'<w:ind w:left="{twips(hanging)}" w:hanging="{twips(hanging)}"/>'
    if center:
        properties += '<w:jc w:val="center"/>'
    paragraph = f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"
    container.items.append(paragraph)
    return paragraph


_PIECES = re.compile(r"(\t|\n)")
_TICK_BOXES = re.compile(f"({TICK_BOX})")
_PIECE_MARKUP = {"\t": "<w:tab/>", "\n": "<w:br/>"}


def text_run(text: str, *, bold: bool = False, style: str = "") -> str:
    """A run of text; tabs and line breaks become Word's own tab and break elements, and each
    tick box a run of its own in the Tick Box style (5 mm, large print 7 mm: not body size)."""
    if not text:
        return ""
    if TICK_BOX in text and not style:
        parts = _TICK_BOXES.split(text)
        return "".join(text_run(part, bold=bold, style="TickBox" if part == TICK_BOX else "") for part in parts)
    properties = (f'<w:rStyle w:val="{style}"/>' if style else "") + ("<w:b/>" if bold else "")
    pieces = (
        _PIECE_MARKUP.get(piece) or f'<w:t xml:space="preserve">{escape(piece)}</w:t>'
        for piece in _PIECES.split(text)
        if piece
    )
    return "<w:r>" + (f"<w:rPr>{properties}</w:rPr>" if properties else "") + "".join(pieces) + "</w:r>"


def inline_runs(inlines: Iterable[d.Inline]) -> str:
    runs = []
    for item in inlines:
        if isinstance(item, d.Run):
            runs.append(text_run(item.text, bold=item.bold))
        else:
            runs.append(text_run(f"({item.number})\u00a0", style="Gap") + text_run(item.hint or GAP_RULE))
    return "".join(runs)


def _borders(tag: str, edges: dict[str, str], size: int, color: str = "000000") -> str:
    """A borders element (tblBorders, tcBorders); `edges` maps each edge to single, dashed or nil."""
    lines = "".join(f'<w:{edge} w:val="{value}" w:sz="{size}" w:color="{color}"/>' for edge, value in edges.items())
    return f"<w:{tag}>{lines}</w:{tag}>"


def _table_borders(outer: bool, inner: bool) -> dict[str, str]:
    show = {True: "single", False: "nil"}
    return {"top": show[outer], "left": show[outer], "bottom": show[outer], "right": show[outer],
            "insideH": show[inner], "insideV": show[inner]}  # fmt: skip


_CELL_MARGINS = "".join(f'<w:{edge} w:w="{margin}" w:type="dxa"/>' for edge, margin in CELL_MARGINS)
TIGHT_MARGIN = {"top": 40, "bottom": 0}  # twips in a tight table: 2 pt above the text, its space after below
_TIGHT_CELL_MARGINS = "".join(
    f'<w:{edge} w:w="{TIGHT_MARGIN.get(edge, margin)}" w:type="dxa"/>' for edge, margin in CELL_MARGINS
)
_TABLE_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
    'w:noHBand="0" w:noVBand="1"/>'
)


def write_table(
    container: Container, widths: list[float], rows: list[str], *, outer: bool = True, inner: bool = True,
    size: int = 6, space: float = 3, tight: bool = False,
) -> None:  # fmt: skip
    """Add a table with fixed column widths (LibreOffice spreads columns evenly otherwise),
    table borders in eighths of a point, roomy cell margins (`tight`: less above and below the
    text), and `space` mm below it."""
    margins = _TIGHT_CELL_MARGINS if tight else _CELL_MARGINS
    properties = (
        f'<w:tblW w:w="{twips(sum(widths))}" w:type="dxa"/><w:jc w:val="left"/>'
        + _borders("tblBorders", _table_borders(outer, inner), size)
        + f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>{_TABLE_LOOK}'
    )
    grid = "".join(f'<w:gridCol w:w="{twips(width)}"/>' for width in widths)
    container.items.append(
        f"<w:tbl><w:tblPr>{properties}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    _after_table(container, space)


def table_row(cells: Iterable[str], height: d.Mm | None = None, rule: str = "atLeast", *, keep: bool = False,
         header: bool = False) -> str:  # fmt: skip
    """A table row: a minimum (or exact) height, kept whole on one page, repeated as a header."""
    properties = "<w:cantSplit/>" if keep else ""
    properties += f'<w:trHeight w:val="{twips(height.value)}" w:hRule="{rule}"/>' if height else ""
    properties += '<w:tblHeader w:val="true"/>' if header else ""
    return "<w:tr>" + (f"<w:trPr>{properties}</w:trPr>" if properties else "") + "".join(cells) + "</w:tr>"


def table_cell(
    content: Container, width: float, *, span: int = 1, borders: dict[str, str] | None = None,
    border_size: int = 6, border_color: str = "000000", shade: bool = False,
) -> str:  # fmt: skip
    """A table cell, its properties in schema order; `content` must end with a paragraph."""
    properties = f'<w:tcW w:w="{twips(width)}" w:type="dxa"/>'
    properties += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    properties += _borders("tcBorders", borders, border_size, border_color) if borders else ""
    properties += '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>' if shade else ""
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{''.join(content.items)}</w:tc>"


def _after_table(container: Container, space: float = 3) -> None:
    """The space the PDF leaves under a table (`space` mm, as an exact line height); in a cell,
    the small paragraph Word requires to end every cell. A paragraph is needed either way:
    two tables with nothing between them merge into one."""
    if container.in_cell:
        write_paragraph(container, "Cell End")
    else:
        write_paragraph(container, "Table Gap", line=space)


def cell_with_text(runs: str) -> Container:
    container = Container(in_cell=True)
    write_paragraph(container, "Cell", runs)
    return container
