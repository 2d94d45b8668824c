"""PDF renderer (reportlab): each Document block becomes a Platypus flowable.

Teacher text is escaped before it reaches Paragraph markup, every cell is a Paragraph so
it wraps, tall rows may split across pages, and the embedded Unicode font is checked
for every character before anything is drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import assert_never

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreakIfNotEmpty,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import DEFAULT_PRINT, GAP_RULE, Layout, PrintSettings, column_widths, kept_tail, layout_for
from worksheetgen.render.pdfbudget import refuse_past_page_limit
from worksheetgen.render.pdfflow import FillingTemplate, better, chain_kept, keep_with_next, pull_back
from worksheetgen.render.pdfflowables import (
    CardSheetStart,
    OddPageStart,
    PdfParagraph,
    SpacedParagraph,
    TallBox,
    TickedParagraph,
)
from worksheetgen.render.pdffonts import TICK_BOX, Fonts, check_glyphs, check_text, fonts_for, tick_box_size
from worksheetgen.render.pdfpage import GREY_LINE, doc_template, numbered_canvas, render_name_overlay

__all__ = ["check_printable", "render_name_overlay", "render_pdf"]
TINT = colors.Color(0.9, 0.9, 0.9)


@dataclass(frozen=True)
class Kit:
    """What every block needs to become flowables: fonts, paragraph styles and the layout."""

    fonts: Fonts
    styles: dict[str, ParagraphStyle]
    layout: Layout
    in_cell: bool = False  # KeepTogether cannot live inside a table cell
    instructions: bool = False  # numbered lists are a pupil sheet's instructions: kept with their task

    @property
    def box(self) -> float:
        """The type size of a tick box: the layout's side (5 mm; 7 mm in large print)."""
        return tick_box_size(self.layout.tick_box)

    def keep_together(self, flowables: list[Flowable]) -> list[Flowable]:
        return flowables if self.in_cell else [KeepTogether(flowables)]

    def para(self, text: str, style: str, bold: bool = False) -> PdfParagraph:
        markup = self.fonts.markup(text, self.box)
        return ticked(f"<b>{markup}</b>" if bold else markup, boxed(self.styles[style], markup))

    def with_cell_style(self, align: str) -> Kit:
        cell = self.styles["cell_center" if align == "center" else "cell"]
        small = self.styles["cell_small"]
        return replace(self, styles={**self.styles, "body": cell, "key": cell, "small": small}, in_cell=True)


def render_pdf(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bytes:
    """Render a Document to PDF bytes; identical input gives identical bytes.

    A sheet with a near-empty page is laid out a second time with the page before it a little
    shorter, and that layout kept if it is better (see pdfflow)."""
    return _render(document, settings)[0]


def leaves_a_page_blank(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bool:
    """Whether the PDF leaves a page blank so that its card sheet starts on an odd page (the
    DOCX, which has no page layout of its own to ask, does the same). A sheet's PDF is rendered
    just before its DOCX (a batch's without the name: that changes no page break), so the answer
    of the last layout of the same blocks is reused rather than laid out again."""
    last = _LAST_LAYOUT.get("sheet")
    if last and last[0] is document.blocks and last[1:3] == (document.meta.tier, settings):
        return last[3]
    return _render(document, settings)[1]


_LAST_LAYOUT: dict[str, tuple[tuple[d.Block, ...], d.Tier, PrintSettings, bool]] = {}  # the last sheet laid out


def _render(document: d.Document, settings: PrintSettings) -> tuple[bytes, bool]:
    pdf, blank = _layout(document, settings)
    _LAST_LAYOUT["sheet"] = (document.blocks, document.meta.tier, settings, blank)
    return pdf, blank


def _layout(document: d.Document, settings: PrintSettings) -> tuple[bytes, bool]:
    layout = layout_for(document.meta.tier, settings)
    fonts = fonts_for(layout.typeface)
    check_glyphs(document, fonts)
    pdf, fills, blank = _build(document, layout, fonts, {})
    short = pull_back(fills, layout.frame_height.pt)
    if short:
        try:
            again, new_fills, new_blank = _build(document, layout, fonts, short)
        except RenderError:  # the shorter page cannot hold a block that fitted before
            return pdf, blank
        if better(fills, new_fills):
            return again, new_blank
    return pdf, blank


def _build(
    document: d.Document, layout: Layout, fonts: Fonts, short: dict[int, float]
) -> tuple[bytes, list[float], bool]:
    """One layout of the sheet: its PDF, how full each page's frame is, and whether a page was
    left blank before a card sheet."""
    kit = Kit(fonts, _styles(layout, fonts), layout, instructions=not document.meta.is_key)
    buffer = io.BytesIO()
    doc = doc_template(buffer, document.meta, layout, FillingTemplate, short=short)
    try:
        refuse_past_page_limit(document.blocks, layout, fonts.regular, min(document.meta.page_limit, doc.MAX_PAGES))
        story = chain_kept([*_title(document.meta, kit), *_flowables(document.blocks, kit, doc.width)])
        doc.build(story, canvasmaker=numbered_canvas(document.meta, layout, fonts))
    except RowsTooTallError as exc:
        raise RenderError(f"{document.meta.title}: {exc}") from None
    except LayoutError as exc:
        own = document.meta.page_limit <= d.OWN_PAGE_LIMIT
        raise RenderError(f"{document.meta.title}: {_explain_layout(str(exc), own)}") from None
    return buffer.getvalue(), doc.fills, doc.blanked


def _explain_layout(message: str, own: bool = False) -> str:
    """reportlab's LayoutError, said so that a teacher can find the text to shorten."""
    if "runs past" in message and own:
        return (
            f"{message}, the most a sheet from your own templates may run to (a built-in sheet may run to "
            "150): does a loop in the template repeat more than it should?"
        )
    if "runs past" in message:
        return f"{message}: a very long word in a narrow box, or far more content than one sheet holds"
    found = re.search(r"Paragraph at 0x[0-9a-fA-F]+>([^'\"\\]{1,60})", message)
    tall = re.search(r"tallest cell ([\d.]+) points", message)
    what = f" (it starts {found.group(1)!r})" if found else ""
    size = f": {float(tall.group(1)):.0f} pt tall" if tall else ""
    return f"one block of text is too long to fit on a page{size}{what}; shorten it or split it up"


def check_printable(texts: Iterable[str], settings: PrintSettings) -> None:
    """Check text against the profile's fonts before anything is rendered or written."""
    check_text(texts, fonts_for(layout_for(d.Tier.core, settings).typeface))


# Styles ------------------------------------------------------------------------------------


def _styles(layout: Layout, fonts: Fonts) -> dict[str, ParagraphStyle]:
    """Paragraph styles for the layout's type size; headings are bold, nothing is italic."""
    size, small = layout.body_size, layout.small_size
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        bulletFontName=fonts.regular,
        bulletFontSize=size,
        fontSize=size,
        leading=size * layout.line_spacing,
        alignment=TA_LEFT,
        spaceAfter=size * 0.5,
    )
    bold = {"parent": base, "fontName": fonts.bold}
    return {
        "body": base,
        "instruction": ParagraphStyle("instruction", parent=base, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=small, leading=small * 1.3),
        "key": ParagraphStyle("key", parent=base),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=2, leading=size * 1.3),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=small, leading=small * 1.3, spaceAfter=2),
        "cell_center": ParagraphStyle(
            "cell_center", parent=base, spaceAfter=2, leading=size * 1.3, alignment=TA_CENTER
        ),
        "title": ParagraphStyle("title", **bold, fontSize=size + 8, leading=(size + 8) * 1.2, spaceAfter=2),
        "question": ParagraphStyle("question", **bold, fontSize=size + 2, leading=(size + 2) * 1.3, spaceAfter=size),
        "h1": ParagraphStyle(
            "h1", **bold, fontSize=size + 3, leading=(size + 3) * 1.3, spaceBefore=size * 0.6, spaceAfter=size * 0.4
        ),
        "h2": ParagraphStyle(
            "h2", **bold, fontSize=size + 1, leading=(size + 1) * 1.3, spaceBefore=size * 0.4, spaceAfter=size * 0.3
        ),
    }


# Blocks to flowables -----------------------------------------------------------------------


def _title(meta: d.Meta, kit: Kit) -> list[Flowable]:
    return [kit.para(meta.title, "title"), kit.para(meta.key_question, "question")]


def _flowables(blocks: tuple[d.Block, ...], kit: Kit, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        out.extend(_flowable(block, kit, width))
    for ticked_, following in zip(out, out[1:], strict=False):
        if isinstance(ticked_, TickedParagraph) and isinstance(following, PdfParagraph):
            ticked_.closes = False  # a paragraph follows, no border: see TickedParagraph
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


def boxed(style: ParagraphStyle, markup: str, *, spaced: bool = False) -> ParagraphStyle:
    """The style, or for a paragraph holding a 5 mm tick box, the style with lines that grow to fit it.

    `spaced` (with SpacedParagraph): growing lines ("max" auto leading) set the last line a sixth
    of the leading above its foot, where a plain paragraph leaves the leading less the type size
    below its last line; the difference is added after the paragraph, so its last line is as far
    from the next paragraph as a plain paragraph's would be (an instruction's wrapped line never
    crowds the next instruction)."""
    if TICK_BOX not in markup:
        return style
    if not spaced:
        return ParagraphStyle(style.name + "-boxed", parent=style, autoLeading="max")
    _, descent = pdfmetrics.getAscentDescent(style.fontName, style.fontSize)
    leading = style.leading
    lost = max(0.0, (leading - style.fontSize) - max(leading / 6, -descent))
    return ParagraphStyle(style.name + "-boxed", parent=style, autoLeading="max", spaceAfter=style.spaceAfter + lost)


def ticked(markup: str, style: ParagraphStyle) -> PdfParagraph:
    """A paragraph; one holding a tick box is drawn exactly inside its height (TickedParagraph).
    Its growing lines are drawn lower than reportlab counts them, by more the bigger the box is
    beside the text (7 mm in large print): counted, its last line would sit on the border of the
    box, cell or table below it."""
    return (TickedParagraph if TICK_BOX in markup else PdfParagraph)(markup, style)


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
    widths = _bank_widths(block.words, kit, width, columns)
    columns = len(widths)
    cells = [kit.para(w, "cell") for w in block.words]
    rows: list[list[object]] = [[kit.para(block.title, "cell", bold=True)] + [""] * (columns - 1)]
    rows += [
        cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns])) for i in range(0, len(cells), columns)
    ]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        _table_style(
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
    table.setStyle(_table_style(kit, [("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY_LINE)]))
    label = [kit.para(block.label, "instruction")] if block.label else []
    # In a cell or box the DOCX ends the lines with a 2 pt paragraph, not a 3 mm gap: the same here.
    lines = _spaced(table, 2 if kit.in_cell else 3 * mm)
    if block.count <= KEPT_LINES and not kit.in_cell:  # a prompt and its lines are never split over pages
        return [KeepTogether([*label, lines])]
    return [*(keep_with_next(f) for f in label), lines]


KEPT_LINES = 12  # up to this many writing lines stay on one page (longer answers may run on)


def _table_style(kit: Kit, commands: list[tuple[object, ...]]) -> TableStyle:
    """Every table uses our embedded font, even for empty cells (else reportlab adds Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), kit.fonts.regular), *commands])


PAD_X, PAD_TOP, PAD_BOTTOM = 6, 4, 5
TIGHT_PAD = (
    2  # points above a cell's text in a `rows="tight"` table; below it, only its 2 pt space after (DOCX: TIGHT_MARGIN)
)
DASH = (4, 3)


def _table(block: d.Table, kit: Kit, width: float) -> Flowable:
    """A grid with spans, per-cell borders and minimum row heights that grow to fit."""
    col_widths = column_widths(block.widths, _narrowest(block, kit), width)
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
            flowables = _flowables(cell.blocks, kit.with_cell_style(cell.align), inner)
            needed = max(needed, _height(flowables, inner) + pad_top + pad_bottom)
            cells += [flowables] + [""] * (cell.span - 1)
            commands += _cell_commands(block, cell, r, column)
            column += cell.span
        data.append(cells)
        heights.append(max(row.height.pt, needed) if row.height else None)
        needs.append(max(row.height.pt if row.height else 0.0, needed))
        tallest = max(tallest, needed)
    _refuse_rows_taller_than_a_page(block, needs, kit.layout.frame_height.pt)
    commands += _kept_chains(block, needs, kit.layout.frame_height.pt)
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header - 1), TINT))
    tail = kept_tail(len(block.rows) - block.header)
    if tail and sum(needs[-tail:]) < kit.layout.frame_height.pt * 0.8:
        commands.append(("NOSPLIT", (0, len(block.rows) - tail), (-1, -1)))  # never a lone last row overleaf
    # Rows split across pages only when one is taller than a page; otherwise whole rows move,
    # so a page never ends with a sliver of a row under a repeated header.
    split = int(tallest > kit.layout.frame_height.pt)
    table = Table(data, colWidths=col_widths, rowHeights=heights, repeatRows=block.header, splitInRow=split)
    table.setStyle(_table_style(kit, commands))
    return table


class RowsTooTallError(LayoutError):  # type: ignore[misc]  # reportlab is untyped
    """Rows that must share a page (repeated header rows, a chain of `keep="next"`) and cannot."""


def _refuse_rows_taller_than_a_page(block: d.Table, heights: list[float], page: float) -> None:
    """reportlab blamed these on "one block of text is too long" (naming a short cell): say what
    it really is. Header rows repeat on every page, so they must fit one page with room to spare."""
    header = sum(heights[: block.header])
    if header > page:
        raise RowsTooTallError(
            f"the table's {block.header:,} header rows (repeated on every page) are {_mm(header)} tall together, "
            f"taller than a page ({_mm(page)}){_starts(block)}; make fewer rows header rows, or lower their height"
        )


def _kept_chains(block: d.Table, heights: list[float], page: float) -> list[tuple[object, ...]]:
    """Rows chained by `keep="next"` move to the next page together, as Word's "keep with next"
    does, where they fit one page (beside repeated header rows); a chain too tall for any page
    is let split where it must rather than refused: content that runs long (a long word in every
    box of a key's diamond) still prints."""
    header = sum(heights[: block.header])
    commands: list[tuple[object, ...]] = []
    first = None
    for r, row in enumerate(block.rows):
        if row.keep_with_next and first is None:
            first = r
        if (not row.keep_with_next or r == len(block.rows) - 1) and first is not None:  # the chain ends here
            if sum(heights[first : r + 1]) + (header if first >= block.header else 0) <= page:
                commands.append(("NOSPLIT", (0, first), (-1, r)))
            first = None
    return commands


def _mm(points: float) -> str:
    return f"{points / mm:,.0f} mm"


def _starts(block: d.Table) -> str:
    text = " ".join(" ".join(d.iter_text(cell.blocks)) for row in block.rows[:1] for cell in row.cells).split()
    return f" (the table starts {' '.join(text)[:40]!r})" if text else ""


def _narrowest(block: d.Table, kit: Kit) -> list[float]:
    """How narrow each column may be: its longest word (in a cell of its own) and the padding."""
    least = [0.0] * len(block.widths)
    for row in block.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1 and column < len(least):
                least[column] = max(least[column], longest_word(cell.blocks, kit) + 2 * PAD_X + 1)
            column += cell.span
    return least


def longest_word(blocks: tuple[d.Block, ...], kit: Kit) -> float:
    """The width of the widest word in some blocks, in the face and size each is printed in
    (a nested table counts its columns' words side by side)."""
    widest = 0.0
    for block in blocks:
        if isinstance(block, d.Table):
            widest = max(widest, sum(_narrowest(block, kit)))
        elif isinstance(block, d.Box):
            widest = max(widest, longest_word(block.blocks, kit) + 16)
        else:
            widest = max([widest, *(_word_width(word, bold, size, kit) for word, bold, size in _words(block, kit))])
    return widest


def _words(block: d.Block, kit: Kit) -> Iterable[tuple[str, bool, float]]:
    """The unbreakable words of a block: text, whether bold, and size (a gap and its number are one)."""
    size = kit.layout.body_size
    if isinstance(block, d.Heading):
        texts = [(block.text, True, size + (3 if block.level == 1 else 1))]
    elif isinstance(block, d.Paragraph | d.NumberedList):
        items = block.items if isinstance(block, d.NumberedList) else (block,)
        small = kit.layout.small_size if isinstance(block, d.Paragraph) and block.style == "small" else size
        texts = [
            (item.text if isinstance(item, d.Run) else f"({item.number})\u00a0{item.hint or GAP_RULE}", bold, small)
            for paragraph in items
            for item in paragraph.inlines
            for bold in [isinstance(item, d.Gap) or item.bold]
        ]
    else:
        texts = [(text, False, size) for text in d.iter_text((block,))]
    return [(word, bold, size) for text, bold, size in texts for word in text.split()]


BANK_CELL_ROOM = 14  # points of a word bank cell its text may not use (padding and a little air)


def _bank_widths(words: tuple[str, ...], kit: Kit, width: float, columns: int) -> list[float]:
    """Column widths of a word bank: as many columns as fit (at most `columns`) with no word, or
    words joined by no-break spaces, split over lines. Equal columns where they fit; else columns
    as wide as their longest entry needs, sharing what is left equally (a long term in one
    column need not cost the bank a column, and the bank a row)."""
    units = [max((_unit_width(u, kit) for u in unbreakable(w)), default=0.0) + BANK_CELL_ROOM for w in words]
    while columns > 1:
        if width / columns >= max(units, default=0.0):
            return [width / columns] * columns
        needed = [max(units[c::columns], default=0.0) for c in range(columns)]
        if sum(needed) <= width:
            spare = (width - sum(needed)) / columns
            return [n + spare for n in needed]
        columns -= 1
    return [width]


def unbreakable(text: str) -> list[str]:
    """The parts of `text` a line may not break: words, or words joined by no-break spaces."""
    return [part for part in re.split(r"[ \t\r\n]+", text) if part]


def _unit_width(unit: str, kit: Kit) -> float:
    """A word bank unit's printed width: a tick box is drawn `kit.box` points high."""
    boxes = unit.count(TICK_BOX)
    rest = unit.replace(TICK_BOX, "")
    box = float(pdfmetrics.stringWidth(TICK_BOX, kit.fonts.face_for(TICK_BOX), kit.box)) if boxes else 0.0
    return boxes * box + (_word_width(rest, False, kit.layout.body_size, kit) if rest else 0.0)


def _word_width(word: str, bold: bool, size: float, kit: Kit) -> float:
    face = kit.fonts.face_for(word)
    return float(pdfmetrics.stringWidth(word, face + "-Bold" if bold else face, size))


def _cell_commands(block: d.Table, cell: d.Cell, row: int, column: int) -> list[tuple[object, ...]]:
    start, end = (column, row), (column + cell.span - 1, row)
    commands: list[tuple[object, ...]] = []
    if cell.span > 1:
        commands.append(("SPAN", start, end))
    border = cell.border or ("solid" if block.border == "grid" else "none")
    if border == "solid":
        commands.append(("BOX", start, end, 0.8, colors.black))
    elif border == "dashed":
        commands.append(("BOX", start, end, 0.8, colors.black, None, DASH))
    if cell.shade:
        commands.append(("BACKGROUND", start, end, TINT))
    return commands


def _spaced(flowable: Flowable, space: float) -> Flowable:
    """Space after a block that, unlike a Spacer, never spills onto a new page."""
    flowable.spaceAfter = space
    return flowable


def _height(flowables: list[Flowable], width: float) -> float:
    """How tall a cell's content is at this width (to grow a minimum-height row, not overprint)."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _box(block: d.Box, kit: Kit, width: float) -> Flowable:
    """A one-cell table; its text set as the DOCX sets a box's (the cell style: 1.3 line spacing)."""
    inner = width - 16
    kit = replace(kit, styles={**kit.styles, "body": kit.styles["cell"]})
    title = [kit.para(block.title, "body", bold=True)] if block.title else []
    content = [*title, *_flowables(block.blocks, kit, inner)]
    table = Table([[content]], colWidths=[width], splitInRow=1)
    table.setStyle(
        _table_style(
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
