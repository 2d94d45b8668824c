"""Document blocks to WordprocessingML: one `match` over every Block type, so mypy finds one
left out. Each block becomes the Word construct a teacher edits best: named styles, real
numbered lists, tables with fixed widths, writing lines as bordered table rows."""

from __future__ import annotations

from typing import assert_never

from worksheetgen import document as d
from worksheetgen.layout import Layout, column_widths, kept_tail
from worksheetgen.render.docx_fit import text_width
from worksheetgen.render.docx_measure import CELL_PADDING, about_height, narrowest, taller_than_page
from worksheetgen.render.docx_shell import FIRST_LIST_ID
from worksheetgen.render.docx_xml import (
    Container,
    cell_with_text,
    inline_runs,
    table_cell,
    table_row,
    text_run,
    write_paragraph,
    write_table,
)


def add_blocks(container: Container, blocks: tuple[d.Block, ...], layout: Layout, width: float) -> None:
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
    write_paragraph(container, "Body", text_run(d.LEFT_BLANK), center=True)
    _page_break(container)


def _add_block(container: Container, block: d.Block, layout: Layout, width: float) -> None:
    """Write one block into the body or a table cell; `width` is the space it has, in mm.
    A `match` over every Block type, so mypy finds one left out."""
    match block:
        case d.Heading():
            write_paragraph(container, f"Heading {min(block.level, 2)}", text_run(block.text))
        case d.Paragraph():
            write_paragraph(container, block.style.capitalize(), inline_runs(block.inlines))
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
        write_paragraph(container, "Body", _PAGE_BREAK)


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
        write_paragraph(container, "Instruction", inline_runs(item.inlines), numbering=list_id, keep_with_next=keep,
                   space_after=after)  # fmt: skip


LIST_SPACE_AFTER = 2 / 25.4 * 72  # 2 mm under a list, in points, as in the PDF


def _add_word_bank(container: Container, block: d.WordBank, layout: Layout, width: float) -> None:
    columns = layout.word_bank_columns(len(block.words))
    words = [word for entry in block.words for word in entry.split(" ") if word]  # no-break spaces hold
    longest = max((text_width(word, layout.body_size, layout) for word in words), default=0.0)
    while columns > 1 and width / d.MM_PER_PT / columns < longest + CELL_PADDING:  # never split a word
        columns -= 1
    title = table_row([table_cell(cell_with_text(text_run(block.title, bold=True)), width, span=columns, shade=True)])
    rows = [
        table_row(
            table_cell(cell_with_text(text_run(word)), width / columns)
            for word in _padded(block.words[start : start + columns], columns)
        )
        for start in range(0, len(block.words), columns)
    ]
    write_table(container, [width / columns] * columns, [title, *rows], inner=False, size=10, space=4)


def _padded(words: tuple[str, ...], columns: int) -> tuple[str, ...]:
    return words + ("",) * (columns - len(words))


def _add_writing_lines(container: Container, block: d.WritingLines, layout: Layout, width: float) -> None:
    """One table row per line, exact height, bottom border only: the pitch survives editing."""
    if block.label:
        write_paragraph(container, "Instruction", text_run(block.label))
    pitch = block.pitch or layout.line_pitch
    line = table_cell(cell_with_text(""), width, borders={"bottom": "single"}, border_size=4, border_color="808080")
    write_table(container, [width], [table_row([line], pitch, "exact")] * block.count, outer=False, inner=False)


_CELL_BORDER = {"solid": "single", "dashed": "dashed", "none": "nil"}


def _add_table(container: Container, block: d.Table, layout: Layout, width: float) -> None:
    """A real Word table: fixed column widths, merged spans, minimum row heights, cell borders."""
    widths = [w * d.MM_PER_PT for w in column_widths(block.widths, narrowest(block, layout), width / d.MM_PER_PT)]
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
                table_cell(content, cell_width, span=cell.span, borders=edges, shade=cell.shade or r < block.header)
            )
            column += cell.span
        # Rows move whole, as in the PDF, under repeated header rows too (LibreOffice 7.4.7 keeps
        # every row of the large-print causation grid and ranking ladder; it split a ladder's rungs
        # over pages when rows under a header could split).
        keep = not taller_than_page(row, widths, layout)
        # A row with a height and no text (a diamond box, the gap between rows) is exactly that
        # tall: LibreOffice grew an empty large-print row to its empty paragraph's line height.
        empty = row.height is not None and all(_blank(cell.blocks) for cell in row.cells)
        rule = "exact" if empty else "atLeast"
        rows.append(table_row(cells, row.height, rule, keep=keep, header=r < block.header))
    grid = block.border == "grid"
    write_table(container, widths, rows, outer=grid, inner=grid, tight=block.tight)


def _blank(blocks: tuple[d.Block, ...]) -> bool:
    """Whether a cell holds nothing but empty paragraphs (or nothing at all)."""
    return all(isinstance(b, d.Paragraph) and not d.plain_text(b.inlines).strip() for b in blocks)


def _fill_cell(
    content: Container, blocks: tuple[d.Block, ...], layout: Layout, width: float, *, center: bool = False,
    keep_with_next: bool = False,
) -> Container:  # fmt: skip
    """A cell's content (into the empty cell `content`): at least one paragraph, a paragraph last."""
    for block in blocks or (d.Paragraph(()),):
        if isinstance(block, d.Paragraph):
            write_paragraph(content, "Cell", inline_runs(block.inlines), center=center, keep_with_next=keep_with_next)
        else:
            _add_block(content, block, layout, width)
    return content


def _add_box(container: Container, block: d.Box, layout: Layout, width: float) -> None:
    """A one-cell table kept on one page, unless it is taller than a page: then, as in the PDF,
    it starts where the page has room and splits."""
    title = (d.Paragraph((d.Run(block.title, bold=True),)),) if block.title else ()
    content = _fill_cell(container.cell(), (*title, *block.blocks), layout, width - 4)
    keep = about_height((*title, *block.blocks), layout, width - 4) <= layout.frame_height.pt
    write_table(container, [width], [table_row([table_cell(content, width)], keep=keep)], size=8)
