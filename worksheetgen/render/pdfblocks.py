"""Document blocks to Platypus flowables: one `match` over every Block type, so mypy finds one
left out. Teacher text is escaped before it reaches Paragraph markup, and every table cell is a
Paragraph so it wraps."""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreakIfNotEmpty, Table

from worksheetgen import document as d
from worksheetgen.layout import GAP_RULE, column_widths, kept_tail
from worksheetgen.render.pdfflow import keep_with_next
from worksheetgen.render.pdfflowables import (
    CardSheetStart,
    OddPageStart,
    PdfParagraph,
    SpacedParagraph,
    TallBox,
    TickedParagraph,
)
from worksheetgen.render.pdffonts import Fonts
from worksheetgen.render.pdfkit import PAD_BOTTOM, PAD_TOP, PAD_X, TIGHT_PAD, TINT, Kit, boxed, table_style, ticked
from worksheetgen.render.pdfmeasure import bank_widths, content_height, narrowest
from worksheetgen.render.pdfpage import GREY_LINE
from worksheetgen.render.pdfrows import cell_commands, kept_chains, refuse_rows_taller_than_a_page


def title_flowables(meta: d.Meta, kit: Kit) -> list[Flowable]:
    return [kit.para(meta.title, "title"), kit.para(meta.key_question, "question")]


def block_flowables(blocks: tuple[d.Block, ...], kit: Kit, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        out.extend(_flowable(block, kit, width))
    for ticked_, following in zip(out, out[1:], strict=False):
        if isinstance(ticked_, TickedParagraph) and isinstance(following, TickedParagraph):
            ticked_.closes = False  # a tick-box line follows, no border: see TickedParagraph
    return out


def _flowable(block: d.Block, kit: Kit, width: float) -> list[Flowable]:
    """One block's flowables; a `match` over every Block type, so mypy finds one left out."""
    match block:
        case d.Heading():
            return [keep_with_next(kit.para(block.text, f"h{block.level}"))]
        case d.Paragraph():
            cards = not kit.in_cell and d.starts_card_sheet(block)
            markup = inline_markup(block.inlines, kit.fonts, kit.box)
            if not cards:
                return [ticked(markup, boxed(kit.styles[block.style], markup))]
            note = PdfParagraph(kit.fonts.markup(d.LEFT_BLANK, kit.box), kit.styles["cell_center"])
            blank = OddPageStart(note)  # the cards start on an odd page: the front of a leaf of their own
            return [PageBreakIfNotEmpty(), blank, CardSheetStart(markup, boxed(kit.styles[block.style], markup))]
        case d.NumberedList():  # instructions stay together, on the page where their task starts
            items = _numbered(block, kit)
            if kit.in_cell or not kit.instructions:
                return kit.keep_together(items)
            return [keep_with_next(f) for f in items]
        case d.WordBank():
            return [_spaced(_word_bank(block, kit, width), 4 * mm)]
        case d.WritingLines():
            return _writing_lines(block, kit, width)
        case d.Table():
            return [_spaced(_table(block, kit, width), 3 * mm)]
        case d.Box():  # a box is a one-cell table: what it holds cannot use KeepTogether
            box = _spaced(_box(block, replace(kit, in_cell=True), width), 3 * mm)
            if not kit.in_cell and box.wrap(width, kit.layout.frame_height.pt)[1] > kit.layout.frame_height.pt:
                return [TallBox(box, kit.layout.frame_height.pt / 4)]
            return kit.keep_together([box])
        case d.PageBreak():
            return [PageBreakIfNotEmpty()]
        case _:
            assert_never(block)


def inline_markup(inlines: tuple[d.Inline, ...], fonts: Fonts, box: float = 0.0) -> str:
    """Paragraph mini-markup from runs and gaps; teacher text is always escaped."""
    out = []
    for item in inlines:
        if isinstance(item, d.Run):
            text = fonts.markup(item.text, box)
            out.append(f"<b>{text}</b>" if item.bold else text)
        else:
            blank = fonts.markup(item.hint, box) if item.hint else GAP_RULE
            out.append(f"<b>({item.number})</b>\u00a0{blank}")
    return "".join(out)


def _numbered(block: d.NumberedList, kit: Kit) -> list[Flowable]:
    indent = kit.layout.body_size * 0.6 * mm
    style = ParagraphStyle("numbered", parent=kit.styles["instruction"], leftIndent=indent, bulletIndent=0)
    items = [
        SpacedParagraph(markup, boxed(style, markup, spaced=True), bulletText=f"{n}.")
        for n, markup in enumerate((inline_markup(p.inlines, kit.fonts, kit.box) for p in block.items), 1)
    ]
    if items:
        items[-1].spaceAfter = 2 * mm
    return items


def _word_bank(block: d.WordBank, kit: Kit, width: float) -> Flowable:
    columns = 4 if len(block.words) > 6 else max(1, min(3, len(block.words)))
    if kit.layout.body_size >= 16:
        columns = min(columns, 3)
    widths = bank_widths(block.words, kit, width, columns)
    columns = len(widths)
    cells = [kit.para(w, "cell") for w in block.words]
    rows: list[list[object]] = [[kit.para(block.title, "cell", bold=True)] + [""] * (columns - 1)]
    rows += [
        cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns])) for i in range(0, len(cells), columns)
    ]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        table_style(
            kit,
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ],
        )
    )
    return table


def _writing_lines(block: d.WritingLines, kit: Kit, width: float) -> list[Flowable]:
    pitch = (block.pitch or kit.layout.line_pitch).pt
    table = Table([[""]] * block.count, colWidths=[width], rowHeights=[pitch] * block.count)
    table.setStyle(table_style(kit, [("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY_LINE)]))
    label = [kit.para(block.label, "instruction")] if block.label else []
    # In a cell or box the DOCX ends the lines with a 2 pt paragraph, not a 3 mm gap: the same here.
    lines = _spaced(table, 2 if kit.in_cell else 3 * mm)
    if block.count <= KEPT_LINES and not kit.in_cell:  # a prompt and its lines are never split over pages
        return [KeepTogether([*label, lines])]
    return [*(keep_with_next(f) for f in label), lines]


KEPT_LINES = 12  # up to this many writing lines stay on one page (longer answers may run on)


def _table(block: d.Table, kit: Kit, width: float) -> Flowable:
    """A grid with spans, per-cell borders and minimum row heights that grow to fit."""
    col_widths = column_widths(block.widths, narrowest(block, kit), width)
    data: list[list[object]] = []
    pad_top, pad_bottom = (TIGHT_PAD, 0) if block.tight else (PAD_TOP, PAD_BOTTOM)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad_top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad_bottom),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
    ]
    heights: list[float | None] = []
    needs: list[float] = []
    tallest = 0.0
    for r, row in enumerate(block.rows):
        cells: list[object] = []
        needed = 0.0
        column = 0
        for cell in row.cells:
            inner = sum(col_widths[column : column + cell.span]) - 2 * PAD_X
            flowables = block_flowables(cell.blocks, kit.with_cell_style(cell.align), inner)
            needed = max(needed, content_height(flowables, inner) + pad_top + pad_bottom)
            cells += [flowables] + [""] * (cell.span - 1)
            commands += cell_commands(block, cell, r, column)
            column += cell.span
        data.append(cells)
        heights.append(max(row.height.pt, needed) if row.height else None)
        needs.append(max(row.height.pt if row.height else 0.0, needed))
        tallest = max(tallest, needed)
    refuse_rows_taller_than_a_page(block, needs, kit.layout.frame_height.pt)
    commands += kept_chains(block, needs, kit.layout.frame_height.pt)
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header - 1), TINT))
    tail = kept_tail(len(block.rows) - block.header)
    if tail and sum(needs[-tail:]) < kit.layout.frame_height.pt * 0.8:
        commands.append(("NOSPLIT", (0, len(block.rows) - tail), (-1, -1)))  # never a lone last row overleaf
    # Rows split across pages only when one is taller than a page; otherwise whole rows move,
    # so a page never ends with a sliver of a row under a repeated header.
    split = int(tallest > kit.layout.frame_height.pt)
    table = Table(data, colWidths=col_widths, rowHeights=heights, repeatRows=block.header, splitInRow=split)
    table.setStyle(table_style(kit, commands))
    return table


def _spaced(flowable: Flowable, space: float) -> Flowable:
    """Space after a block that, unlike a Spacer, never spills onto a new page."""
    flowable.spaceAfter = space
    return flowable


def _box(block: d.Box, kit: Kit, width: float) -> Flowable:
    """A one-cell table; its text set as the DOCX sets a box's (the cell style: 1.3 line spacing)."""
    inner = width - 16
    kit = replace(kit, styles={**kit.styles, "body": kit.styles["cell"]})
    title = [kit.para(block.title, "body", bold=True)] if block.title else []
    content = [*title, *block_flowables(block.blocks, kit, inner)]
    table = Table([[content]], colWidths=[width], splitInRow=1)
    table.setStyle(
        table_style(
            kit,
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ],
        )
    )
    return table
