"""DOCX renderer: an editable sheet built from named styles and real tables.

Teachers restyle a whole sheet by editing one style; grids are Word tables with fixed
column widths; writing lines are table rows with a bottom border, so their pitch
survives editing in Word and LibreOffice.

docx_shell.py makes the package shell once per layout (styles, page, header and footer parts,
properties). Each sheet's body is then written as WordprocessingML text, each element in
schema order: python-docx's object model looks every child up by XPath on each insert and
cost about 90 ms a sheet, where writing the markup directly costs one or two. All text
passes through `escape` in `_run`; everything else in the markup is ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import assert_never

from docx.oxml.ns import nsmap
from lxml import etree

from worksheetgen import document as d
from worksheetgen.layout import (
    DEFAULT_PRINT,
    GAP_RULE,
    TICK_BOX,
    Layout,
    PrintSettings,
    column_widths,
    kept_tail,
    layout_for,
)
from worksheetgen.render.docx_fit import BOLD, footer_label, name_line, text_width
from worksheetgen.render.docx_shell import FIRST_LIST_ID, NUMBERING, numbering_part, twips
from worksheetgen.render.docx_shell import shell as make_shell
from worksheetgen.render.ooxml import stamp, write_parts
from worksheetgen.textclean import xml_escape as escape

CELL_MARGINS = (("top", 85), ("left", 113), ("bottom", 85), ("right", 113))  # twips: 1.5 mm, 2 mm
_PART_START = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<w:{{tag}} xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}">'
)


def warm_up(settings: Iterable[PrintSettings], language: str) -> None:
    """Make the package shells for these settings (every tier) now, before workers are forked."""
    for each in settings:
        for tier in d.Tier:
            make_shell(layout_for(tier, each), language)


def render_docx(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bytes:
    """Render a Document to DOCX bytes; identical input gives identical bytes."""
    layout = layout_for(document.meta.tier, settings)
    shell = make_shell(layout, document.meta.language)
    meta = document.meta
    parts = dict(shell.parts)
    body = Container(instructions=not meta.is_key, blank_first=_cards_on_an_even_page(document, settings))
    parts["word/document.xml"] = _document_part(shell.parts["word/document.xml"], document, layout, body)
    parts[NUMBERING] = numbering_part(shell.parts[NUMBERING], body.lists, layout)
    parts[shell.header] = _furniture("hdr", _header_paragraph(meta, layout))
    parts[shell.footer] = _furniture("ftr", _footer_paragraph(meta, layout))
    parts["docProps/core.xml"] = _core_properties(shell.parts["docProps/core.xml"], meta)
    return write_parts(stamp(parts))


def _cards_on_an_even_page(document: d.Document, settings: PrintSettings) -> bool:
    """Whether the sheet's card sheet would start on an even page: the PDF's layout says (the DOCX
    is laid out to break where the PDF does), so only a sheet with cards is laid out as a PDF too."""
    if not any(d.starts_card_sheet(block) for block in document.blocks):
        return False
    from worksheetgen.render.pdf import leaves_a_page_blank  # reportlab only for a sheet with cards

    return leaves_a_page_blank(document, settings)


# Per-sheet parts ---------------------------------------------------------------------------

_CORE: dict[str, Callable[[d.Meta], str]] = {
    "{http://purl.org/dc/elements/1.1/}title": lambda meta: meta.title,
    "{http://purl.org/dc/elements/1.1/}subject": lambda meta: meta.key_question,
    "{http://purl.org/dc/elements/1.1/}language": lambda meta: meta.language,
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords": (
        lambda meta: f"{meta.sheet}; {meta.tier.value}"
    ),
}


def _core_properties(shell_part: bytes, meta: d.Meta) -> bytes:
    """Title, subject, language and keywords; OOXML allows at most 255 characters in each."""
    root = etree.fromstring(shell_part)
    for element in root:
        if element.tag in _CORE:
            text = _CORE[element.tag](meta)
            element.text = text if len(text) <= 255 else text[:254] + "…"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[no-any-return]


def _document_part(shell_part: bytes, document: d.Document, layout: Layout, body: Container) -> bytes:
    """The shell's document part with the sheet's body before its section properties."""
    _paragraph(body, "Title", _run(document.meta.title))
    _paragraph(body, "Key Question", _run(document.meta.key_question))
    _add_blocks(body, document.blocks, layout, layout.frame_width.value)
    before, section = shell_part.split(b"<w:sectPr", 1)
    return before + "".join(body.items).encode() + b"<w:sectPr" + section


def _furniture(tag: str, paragraph: str) -> bytes:
    """A header (hdr) or footer (ftr) part holding one paragraph."""
    return (_PART_START.format(tag=tag) + paragraph + f"</w:{tag}>").encode()


def _header_paragraph(meta: d.Meta, layout: Layout) -> str:
    """Name / Class / Date (or what the page is for) and the tier marker at the right margin."""
    draft = _run("DRAFT   ", bold=True) if meta.draft else ""
    runs = draft + _run(name_line(meta.header_label, layout), bold=meta.is_key) + _run("\t" + meta.marker)
    return _paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value, space_after=0)


def _footer_paragraph(meta: d.Meta, layout: Layout) -> str:
    """The topic and source, then 'Page x of y' at the right margin, on one line."""
    label = footer_label(meta, layout)
    runs = _run(label + "\tPage ") + _field("PAGE") + _run(" of ") + _field("NUMPAGES")
    return _paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value, space_after=0)


def _field(name: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/>'
        f'<w:instrText xml:space="preserve"> {name} </w:instrText>'
        '<w:fldChar w:fldCharType="separate"/><w:t>1</w:t><w:fldChar w:fldCharType="end"/></w:r>'
    )


# WordprocessingML ----------------------------------------------------------------------------


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


def _paragraph(
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


def _run(text: str, *, bold: bool = False, style: str = "") -> str:
    """A run of text; tabs and line breaks become Word's own tab and break elements, and each
    tick box a run of its own in the Tick Box style (5 mm, large print 7 mm: not body size)."""
    if not text:
        return ""
    if TICK_BOX in text and not style:
        parts = _TICK_BOXES.split(text)
        return "".join(_run(part, bold=bold, style="TickBox" if part == TICK_BOX else "") for part in parts)
    properties = (f'<w:rStyle w:val="{style}"/>' if style else "") + ("<w:b/>" if bold else "")
    pieces = (
        _PIECE_MARKUP.get(piece) or f'<w:t xml:space="preserve">{escape(piece)}</w:t>'
        for piece in _PIECES.split(text)
        if piece
    )
    return "<w:r>" + (f"<w:rPr>{properties}</w:rPr>" if properties else "") + "".join(pieces) + "</w:r>"


def _inlines(inlines: Iterable[d.Inline]) -> str:
    runs = []
    for item in inlines:
        if isinstance(item, d.Run):
            runs.append(_run(item.text, bold=item.bold))
        else:
            runs.append(_run(f"({item.number})\u00a0", style="Gap") + _run(item.hint or GAP_RULE))
    return "".join(runs)


# Blocks ------------------------------------------------------------------------------------


def _add_blocks(container: Container, blocks: tuple[d.Block, ...], layout: Layout, width: float) -> None:
    # each block and the one after it (None after the last; no blocks at all is no pair)
    for block, following in zip(blocks, [*blocks[1:], None], strict=False):
        if isinstance(block, d.PageBreak) and following and d.starts_card_sheet(following) and container.blank_first:
            _blank_page_before_cards(container)
        else:
            _add_block(container, block, layout, width)


def _blank_page_before_cards(container: Container) -> None:
    """Where the PDF leaves a page blank before a card sheet, so does the DOCX: a page holding only
    the note, so the cards start on an odd page, the front of a leaf of their own. (A section that
    starts on an odd page would do it in Word, but LibreOffice then sets the card sheet's text
    against the header.)"""
    _page_break(container)
    _paragraph(container, "Body", _run(d.LEFT_BLANK), center=True)
    _page_break(container)


def _add_block(container: Container, block: d.Block, layout: Layout, width: float) -> None:
    """Write one block into the body or a table cell; `width` is the space it has, in mm.
    A `match` over every Block type, so mypy finds one left out."""
    match block:
        case d.Heading():
            _paragraph(container, f"Heading {min(block.level, 2)}", _run(block.text))
        case d.Paragraph():
            _paragraph(container, block.style.capitalize(), _inlines(block.inlines))
        case d.NumberedList():
            _add_numbered(container, block)
        case d.WordBank():
            _add_word_bank(container, block, layout, width)
        case d.WritingLines():
            _add_writing_lines(container, block, layout, width)
        case d.Table():
            _add_table(container, block, layout, width)
        case d.Box():
            _add_box(container, block, layout, width)
        case d.PageBreak():
            _page_break(container)
        case _:
            assert_never(block)


_PAGE_BREAK = '<w:r><w:br w:type="page"/></w:r>'


def _page_break(container: Container) -> None:
    """Break at the end of the last paragraph: a paragraph of its own for the break would, when the
    page is already full, spill onto a new page and leave it blank."""
    items = container.items
    if items and items[-1].startswith("<w:p>"):
        items[-1] = items[-1].removesuffix("</w:p>") + _PAGE_BREAK + "</w:p>"
    else:
        _paragraph(container, "Body", _PAGE_BREAK)


def _add_numbered(container: Container, block: d.NumberedList) -> None:
    """A real Word numbered list (its own numbering, starting at 1), so the numbers follow
    when a teacher adds, removes or reorders an item. Kept on one page, as in the PDF; on a pupil
    sheet with the start of the task that follows it too."""
    list_id = FIRST_LIST_ID + len(container.lists)
    container.lists.append(list_id)
    last = len(block.items) - 1
    for index, item in enumerate(block.items):
        keep = not container.in_cell and (index < last or container.instructions)
        after = LIST_SPACE_AFTER if index == last else None
        _paragraph(container, "Instruction", _inlines(item.inlines), numbering=list_id, keep_with_next=keep,
                   space_after=after)  # fmt: skip


LIST_SPACE_AFTER = 2 / 25.4 * 72  # 2 mm under a list, in points, as in the PDF


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


def _table(
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


def _row(cells: Iterable[str], height: d.Mm | None = None, rule: str = "atLeast", *, keep: bool = False,
         header: bool = False) -> str:  # fmt: skip
    """A table row: a minimum (or exact) height, kept whole on one page, repeated as a header."""
    properties = "<w:cantSplit/>" if keep else ""
    properties += f'<w:trHeight w:val="{twips(height.value)}" w:hRule="{rule}"/>' if height else ""
    properties += '<w:tblHeader w:val="true"/>' if header else ""
    return "<w:tr>" + (f"<w:trPr>{properties}</w:trPr>" if properties else "") + "".join(cells) + "</w:tr>"


def _cell(
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
        _paragraph(container, "Cell End")
    else:
        _paragraph(container, "Table Gap", line=space)


def _cell_content(runs: str) -> Container:
    container = Container(in_cell=True)
    _paragraph(container, "Cell", runs)
    return container


def _add_word_bank(container: Container, block: d.WordBank, layout: Layout, width: float) -> None:
    columns = layout.word_bank_columns(len(block.words))
    words = [word for entry in block.words for word in entry.split(" ") if word]  # no-break spaces hold
    longest = max((text_width(word, layout.body_size, layout) for word in words), default=0.0)
    while columns > 1 and width / d.MM_PER_PT / columns < longest + CELL_PADDING:  # never split a word
        columns -= 1
    title = _row([_cell(_cell_content(_run(block.title, bold=True)), width, span=columns, shade=True)])
    rows = [
        _row(
            _cell(_cell_content(_run(word)), width / columns)
            for word in _padded(block.words[start : start + columns], columns)
        )
        for start in range(0, len(block.words), columns)
    ]
    _table(container, [width / columns] * columns, [title, *rows], inner=False, size=10, space=4)


def _padded(words: tuple[str, ...], columns: int) -> tuple[str, ...]:
    return words + ("",) * (columns - len(words))


def _add_writing_lines(container: Container, block: d.WritingLines, layout: Layout, width: float) -> None:
    """One table row per line, exact height, bottom border only: the pitch survives editing."""
    if block.label:
        _paragraph(container, "Instruction", _run(block.label))
    pitch = block.pitch or layout.line_pitch
    line = _cell(_cell_content(""), width, borders={"bottom": "single"}, border_size=4, border_color="808080")
    _table(container, [width], [_row([line], pitch, "exact")] * block.count, outer=False, inner=False)


_CELL_BORDER = {"solid": "single", "dashed": "dashed", "none": "nil"}


def _add_table(container: Container, block: d.Table, layout: Layout, width: float) -> None:
    """A real Word table: fixed column widths, merged spans, minimum row heights, cell borders."""
    widths = [w * d.MM_PER_PT for w in column_widths(block.widths, _narrowest(block, layout), width / d.MM_PER_PT)]
    rows = []
    tail = kept_tail(len(block.rows) - block.header)  # the last rows move over together, as in the PDF
    for r, row in enumerate(block.rows):
        cells = []
        column = 0
        keep_next = row.keep_with_next or (tail > 0 and len(block.rows) - tail <= r < len(block.rows) - 1)
        for cell in row.cells:
            cell_width = sum(widths[column : column + cell.span])
            edges = (
                dict.fromkeys(("top", "left", "bottom", "right"), _CELL_BORDER[cell.border]) if cell.border else None
            )
            content = _fill_cell(
                container.cell(), cell.blocks, layout, cell_width, center=cell.align == "center",
                keep_with_next=keep_next,
            )  # fmt: skip
            cells.append(
                _cell(content, cell_width, span=cell.span, borders=edges, shade=cell.shade or r < block.header)
            )
            column += cell.span
        # Rows move whole, as in the PDF, under repeated header rows too (LibreOffice 7.4.7 keeps
        # every row of the large-print causation grid and ranking ladder; it split a ladder's rungs
        # over pages when rows under a header could split).
        keep = not _taller_than_page(row, widths, layout)
        # A row with a height and no text (a diamond box, the gap between rows) is exactly that
        # tall: LibreOffice grew an empty large-print row to its empty paragraph's line height.
        empty = row.height is not None and all(_blank(cell.blocks) for cell in row.cells)
        rule = "exact" if empty else "atLeast"
        rows.append(_row(cells, row.height, rule, keep=keep, header=r < block.header))
    grid = block.border == "grid"
    _table(container, widths, rows, outer=grid, inner=grid, tight=block.tight)


def _blank(blocks: tuple[d.Block, ...]) -> bool:
    """Whether a cell holds nothing but empty paragraphs (or nothing at all)."""
    return all(isinstance(b, d.Paragraph) and not d.plain_text(b.inlines).strip() for b in blocks)


CELL_PADDING = 2 * CELL_MARGINS[1][1] / 20 + 2  # points: both side margins and a little to spare


def _narrowest(block: d.Table, layout: Layout) -> list[float]:
    """How narrow each column may be, in points: its longest word (bold, to be safe) in a cell
    of its own, and the cell margins; LibreOffice and Word break a longer word mid-word."""
    least = [0.0] * len(block.widths)
    for row in block.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1 and column < len(least):
                words = [word for text in d.iter_text(cell.blocks) for word in text.split()]
                longest = max((text_width(word, layout.body_size, layout) * BOLD for word in words), default=0.0)
                least[column] = max(least[column], longest + CELL_PADDING)
            column += cell.span
    return least


def _taller_than_page(row: d.Row, widths: list[float], layout: Layout) -> bool:
    """Whether a row's text would fill more than a page: only such a row may split across
    pages, as in the PDF (elsewhere whole rows move, so a cause stays beside its evidence)."""
    column = 0
    for cell in row.cells:
        room = sum(widths[column : column + cell.span]) / d.MM_PER_PT - 12
        lines = sum(1 + int(text_width(text, layout.body_size, layout) // room) for text in d.iter_text(cell.blocks))
        if lines * layout.body_size * 1.3 > layout.frame_height.pt:
            return True
        column += cell.span
    return False


def _fill_cell(
    content: Container, blocks: tuple[d.Block, ...], layout: Layout, width: float, *, center: bool = False,
    keep_with_next: bool = False,
) -> Container:  # fmt: skip
    """A cell's content (into the empty cell `content`): at least one paragraph, a paragraph last."""
    for block in blocks or (d.Paragraph(()),):
        if isinstance(block, d.Paragraph):
            _paragraph(content, "Cell", _inlines(block.inlines), center=center, keep_with_next=keep_with_next)
        else:
            _add_block(content, block, layout, width)
    return content


def _add_box(container: Container, block: d.Box, layout: Layout, width: float) -> None:
    """A one-cell table kept on one page, unless it is taller than a page: then, as in the PDF,
    it starts where the page has room and splits."""
    title = (d.Paragraph((d.Run(block.title, bold=True),)),) if block.title else ()
    content = _fill_cell(container.cell(), (*title, *block.blocks), layout, width - 4)
    keep = _about_height((*title, *block.blocks), layout, width - 4) <= layout.frame_height.pt
    _table(container, [width], [_row([_cell(content, width)], keep=keep)], size=8)


def _about_height(blocks: tuple[d.Block, ...], layout: Layout, width: float) -> float:
    """About how tall some blocks are in points, `width` in mm (on the short side: the text at
    the cell style's 1.3 line spacing, a table as its tallest cells)."""
    room = width / d.MM_PER_PT - 12
    total = 0.0
    for block in blocks:
        if isinstance(block, d.WritingLines):
            total += block.count * (block.pitch or layout.line_pitch).pt
        elif isinstance(block, d.Table):
            widths = column_widths(block.widths, [0.0] * len(block.widths), width)
            for row in block.rows:
                starts = [sum(c.span for c in row.cells[:i]) for i in range(len(row.cells))]
                cells = [
                    _about_height(cell.blocks, layout, sum(widths[start : start + cell.span]))
                    for cell, start in zip(row.cells, starts, strict=True)
                ]
                total += max([row.height.pt if row.height else 0.0, *cells]) + 6
        elif isinstance(block, d.Box):
            total += _about_height(block.blocks, layout, width - 4) + 12
        else:
            total += sum(
                (1 + int(text_width(text, layout.body_size, layout) // room)) * layout.body_size * 1.3
                for text in d.iter_text((block,))
            )
    return total
