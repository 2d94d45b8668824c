"""PDF renderer (reportlab): each Document block becomes a Platypus flowable.

Teacher text is escaped before it reaches Paragraph markup, every cell is a Paragraph so
it wraps, tall rows may split across pages, and the embedded Unicode font is checked
for every character before anything is drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import groupby
from typing import assert_never
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreakIfNotEmpty,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import GAP_RULE, Layout, PrintSettings, Typeface, layout_for
from worksheetgen.render.marks import draw_draft
from worksheetgen.render.subsets import SharedSubsetFont
from worksheetgen.resources import font_file

PAPER = {"a4": A4, "letter": LETTER}
GREY_LINE = colors.Color(0.55, 0.55, 0.55)
TINT = colors.Color(0.9, 0.9, 0.9)
CREAM = colors.Color(1.0, 0.973, 0.906)
FALLBACK = "WSG-DejaVu"  # DejaVu Sans covers what a readable face lacks (shapes, Greek, ...)
FACES = {
    Typeface.sans: ("WSG-DejaVu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    Typeface.readable: ("WSG-Andika", "Andika-Regular.ttf", "Andika-Bold.ttf"),
}


class PdfParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its line breaks for the last width it was given.

    Tables and KeepTogether ask each paragraph its height several times at the same width,
    and breaking lines is most of the time spent drawing a sheet; the result depends on the
    width only, so it is worked out once.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if availWidth != self._wrapped_at or "blPara" not in self.__dict__:  # split() may drop it
            super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self.width, self.height


@dataclass(frozen=True)
class Fonts:
    """The registered primary face, its bold, and the characters it has."""

    regular: str
    bold: str
    cmap: frozenset[int]
    fallback_cmap: frozenset[int]

    @cached_property
    def printable(self) -> frozenset[str]:
        """The characters the primary face has, as characters (to check text a set at a time)."""
        return frozenset(map(chr, self.cmap))

    def face_for(self, text: str) -> str:
        """The primary face if it has every character, else the fallback (for one-line furniture)."""
        return self.regular if all(ord(c) in self.cmap for c in text) else FALLBACK

    def markup(self, text: str) -> str:
        """Escaped Paragraph markup; runs of characters the primary face lacks use the fallback."""
        if self.cmap.issuperset(map(ord, text)):
            return escape(text)
        out = []
        for fallback, run in groupby(text, key=lambda c: ord(c) not in self.cmap and not c.isspace()):
            chunk = escape("".join(run))
            out.append(f'<font face="{FALLBACK}">{chunk}</font>' if fallback else chunk)
        return "".join(out)


@lru_cache(maxsize=2)
def fonts_for(typeface: Typeface) -> Fonts:
    """Register a face (and DejaVu Sans as fallback) once per process."""
    fallback = _register(*FACES[Typeface.sans])
    primary = _register(*FACES[typeface])
    return Fonts(FACES[typeface][0], FACES[typeface][0] + "-Bold", primary, fallback)


@lru_cache(maxsize=2)
def _register(name: str, regular_file: str, bold_file: str) -> frozenset[int]:
    regular = SharedSubsetFont(name, str(font_file(regular_file)))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(SharedSubsetFont(name + "-Bold", str(font_file(bold_file))))
    bold = name + "-Bold"
    pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name, boldItalic=bold)
    return frozenset(regular.face.charToGlyph)


@dataclass(frozen=True)
class Kit:
    """What every block needs to become flowables: fonts, paragraph styles and the layout."""

    fonts: Fonts
    styles: dict[str, ParagraphStyle]
    layout: Layout
    in_cell: bool = False  # KeepTogether cannot live inside a table cell

    def keep_together(self, flowables: list[Flowable]) -> list[Flowable]:
        return flowables if self.in_cell else [KeepTogether(flowables)]

    def para(self, text: str, style: str, bold: bool = False) -> PdfParagraph:
        markup = self.fonts.markup(text)
        return PdfParagraph(f"<b>{markup}</b>" if bold else markup, self.styles[style])

    def with_cell_style(self, align: str) -> Kit:
        cell = self.styles["cell_center" if align == "center" else "cell"]
        small = self.styles["cell_small"]
        return replace(self, styles={**self.styles, "body": cell, "key": cell, "small": small}, in_cell=True)


def render_pdf(document: d.Document, settings: PrintSettings | str = "a4") -> bytes:
    """Render a Document to PDF bytes; identical input gives identical bytes."""
    settings = PrintSettings(paper=settings) if isinstance(settings, str) else settings
    layout = layout_for(document.meta.tier, settings)
    fonts = fonts_for(layout.typeface)
    check_glyphs(document, fonts)
    kit = Kit(fonts, _styles(layout, fonts), layout)
    buffer = io.BytesIO()
    doc = _doc_template(buffer, document.meta, layout)
    story = [*_title(document.meta, kit), *_flowables(document.blocks, kit, doc.width)]
    try:
        doc.build(story, canvasmaker=_numbered_canvas(document.meta, kit))
    except LayoutError as exc:
        raise RenderError(f"{document.meta.title}: {_explain_layout(str(exc))}") from None
    return buffer.getvalue()


def _explain_layout(message: str) -> str:
    """reportlab's LayoutError, said so that a teacher can find the text to shorten."""
    if "runs past" in message:
        return f"{message}: a very long word in a narrow box, or far more content than one sheet holds"
    found = re.search(r"Paragraph at 0x[0-9a-fA-F]+>([^'\"\\]{1,60})", message)
    tall = re.search(r"tallest cell ([\d.]+) points", message)
    what = f" (it starts {found.group(1)!r})" if found else ""
    size = f": {float(tall.group(1)):.0f} pt tall" if tall else ""
    return f"one block of text is too long to fit on a page{size}{what}; shorten it or split it up"


def check_glyphs(document: d.Document, fonts: Fonts) -> None:
    """Refuse to print characters no font has (they would come out as black boxes)."""
    meta = document.meta
    check_text([*d.iter_text(document.blocks), meta.title, meta.key_question, meta.credit, meta.header_label], fonts)


def check_printable(texts: Iterable[str], settings: PrintSettings) -> None:
    """Check text against the profile's fonts before anything is rendered or written."""
    check_text(texts, fonts_for(layout_for(d.Tier.core, settings).typeface))


def check_text(texts: Iterable[str], fonts: Fonts) -> None:
    missing: dict[str, str] = {}
    for text in texts:
        lacking = set(text) - fonts.printable  # a set at a time: usually empty
        for char in dict.fromkeys(c for c in text if c in lacking):  # in reading order
            if ord(char) not in fonts.fallback_cmap and not char.isspace():
                missing.setdefault(char, text)
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X}) in {t[:40]!r}" for c, t in missing.items())
        raise RenderError(f"the PDF fonts have no glyph for: {listed}; replace these characters")


# Page set-up -------------------------------------------------------------------------------


class SheetTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A document template that stops, instead of looping forever, when a block keeps
    splitting into itself: either nothing is placed, or a sliver on page after page (a
    table row holding a taller table that cannot split cleanly)."""

    STUCK = 50  # calls in a row at one spot; a real sheet has at most a few empty flowables
    MAX_PAGES = 150  # 200 causes make a 40-page ranking ladder in large print

    _spot: tuple[int, float] = (-1, 0.0)
    _stuck: int = 0

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        spot = (self.page, getattr(getattr(self, "frame", None), "_y", 0.0))  # no frame before page 1
        self._stuck = self._stuck + 1 if spot == self._spot else 0
        self._spot = spot
        if self._stuck > self.STUCK:
            raise LayoutError(f"Flowable {flowables[0].identity(60)} cannot be placed")
        if self.page > self.MAX_PAGES:
            raise LayoutError(f"the sheet runs past {self.MAX_PAGES} pages")
        super().handle_flowable(flowables)


def _doc_template(buffer: io.BytesIO, meta: d.Meta, layout: Layout) -> BaseDocTemplate:
    width, height = PAPER[layout.paper]
    doc = SheetTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=layout.margin_side.pt,
        rightMargin=layout.margin_side.pt,
        topMargin=layout.body_top.pt,
        bottomMargin=layout.body_bottom.pt,
        title=meta.title,
        author="worksheetgen",
        subject=meta.key_question,
        creator="worksheetgen",
        lang=meta.language,
        invariant=1,
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    background = {"onPage": _cream_page} if layout.cream else {}
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], **background)])
    return doc


def _cream_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """A cream page for readers who find white glare hard (cream paper is better still)."""
    canvas.saveState()
    canvas.setFillColor(CREAM)
    canvas.rect(0, 0, *doc.pagesize, stroke=0, fill=1)
    canvas.restoreState()


def _numbered_canvas(meta: d.Meta, kit: Kit) -> type[Canvas]:
    """A canvas that draws header and footer after the last page, so it knows 'of N'."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["initialFontName"] = kit.fonts.regular  # else every page declares Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _furniture(self, meta, kit, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _furniture(canvas: Canvas, meta: d.Meta, kit: Kit, page: int, total: int) -> None:
    """Header (Name / Class / Date, tier marker) and footer (topic, credit, page x of y)."""
    layout, fonts = kit.layout, kit.fonts
    width, height = canvas._pagesize
    left, right = layout.margin_side.pt, width - layout.margin_side.pt
    top, bottom = height - layout.margin_top.pt, layout.margin_bottom.pt
    header_label(canvas, meta.header_label, meta.is_key, kit)
    canvas.setFont(FALLBACK, 14)
    canvas.drawRightString(right, top - 12, meta.marker)
    canvas.setStrokeColor(GREY_LINE)
    canvas.setLineWidth(0.5)
    rule = top - _header_size(layout) - 8
    canvas.line(left, rule, right, rule)
    canvas.line(left, bottom + 14, right, bottom + 14)
    footer = meta.footer_label
    page_label = f"Page {page} of {total}"
    canvas.setFont(fonts.regular, 8)
    canvas.drawRightString(right, bottom + 4, page_label)
    face = fonts.face_for(footer)
    canvas.setFont(face, 8)
    room = right - left - pdfmetrics.stringWidth(page_label, fonts.regular, 8) - 20
    canvas.drawString(left, bottom + 4, _fit(footer, face, room, 8))
    if meta.draft:
        draw_draft(canvas, fonts.bold)


def _header_size(layout: Layout) -> float:
    return max(10.0, layout.small_size - 2)


def header_label(canvas: Canvas, label: str, bold: bool, kit: Kit) -> None:
    """The name line (or 'TEACHER COPY'), shrunk to fit beside the tier marker if needed."""
    layout, fonts = kit.layout, kit.fonts
    width, height = canvas._pagesize
    left, right, top = layout.margin_side.pt, width - layout.margin_side.pt, height - layout.margin_top.pt
    face = fonts.face_for(label)
    face = face + "-Bold" if bold else face
    room = right - left - 30  # leave space for the tier marker
    size = min(_header_size(layout), room / max(1.0, pdfmetrics.stringWidth(label, face, 1)))
    canvas.setFont(face, size)
    canvas.drawString(left, top - _header_size(layout), label)


def render_name_overlay(metas: Sequence[d.Meta], settings: PrintSettings, pages: int) -> bytes:
    """Pages holding only a pupil's name line, `pages` for each pupil in turn, to stamp onto a
    sheet rendered with `name_later` (one PDF for many pupils: its fonts are embedded once)."""
    layout = layout_for(metas[0].tier, settings)
    fonts = fonts_for(layout.typeface)
    kit = Kit(fonts, {}, layout)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAPER[layout.paper], invariant=1, initialFontName=fonts.regular)
    for meta in metas:
        check_glyphs(d.Document(meta), fonts)
        for _ in range(pages):
            header_label(canvas, meta.header_label, meta.is_key, kit)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fit(text: str, face: str, width: float, size: float) -> str:
    """Shorten a footer line with an ellipsis so it never runs past the margin."""
    if pdfmetrics.stringWidth(text, face, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", face, size) > width:
        text = text[:-1]
    return text + "…"


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
    return out


def _flowable(block: d.Block, kit: Kit, width: float) -> list[Flowable]:
    """One block's flowables; a `match` over every Block type, so mypy finds one left out."""
    match block:
        case d.Heading():
            return [CondPageBreak(30 * mm), kit.para(block.text, f"h{block.level}")]
        case d.Paragraph():
            return [PdfParagraph(inline_markup(block.inlines, kit.fonts), kit.styles[block.style])]
        case d.NumberedList():
            return kit.keep_together(_numbered(block, kit))
        case d.WordBank():
            return [_spaced(_word_bank(block, kit, width), 4 * mm)]
        case d.WritingLines():
            return _writing_lines(block, kit, width)
        case d.Table():
            return [_spaced(_table(block, kit, width), 3 * mm)]
        case d.Box():  # a box is a one-cell table: what it holds cannot use KeepTogether
            return kit.keep_together([_spaced(_box(block, replace(kit, in_cell=True), width), 3 * mm)])
        case d.PageBreak():
            return [PageBreakIfNotEmpty()]
        case _:
            assert_never(block)


def inline_markup(inlines: tuple[d.Inline, ...], fonts: Fonts) -> str:
    """Paragraph mini-markup from runs and gaps; teacher text is always escaped."""
    out = []
    for item in inlines:
        if isinstance(item, d.Run):
            text = fonts.markup(item.text)
            out.append(f"<b>{text}</b>" if item.bold else text)
        else:
            blank = fonts.markup(item.hint) if item.hint else GAP_RULE
            out.append(f"<b>({item.number})</b>\u00a0{blank}")
    return "".join(out)


def _numbered(block: d.NumberedList, kit: Kit) -> list[Flowable]:
    indent = kit.layout.body_size * 0.6 * mm
    style = ParagraphStyle("numbered", parent=kit.styles["instruction"], leftIndent=indent, bulletIndent=0)
    items = [
        PdfParagraph(inline_markup(p.inlines, kit.fonts), style, bulletText=f"{n}.")
        for n, p in enumerate(block.items, 1)
    ]
    if items:
        items[-1].spaceAfter = 2 * mm
    return items


def _word_bank(block: d.WordBank, kit: Kit, width: float) -> Flowable:
    columns = 4 if len(block.words) > 6 else max(1, min(3, len(block.words)))
    if kit.layout.body_size >= 16:
        columns = min(columns, 3)
    cells = [kit.para(w, "cell") for w in block.words]
    rows: list[list[object]] = [[kit.para(block.title, "cell", bold=True)] + [""] * (columns - 1)]
    rows += [
        cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns])) for i in range(0, len(cells), columns)
    ]
    table = Table(rows, colWidths=[width / columns] * columns)
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
    return [*label, _spaced(table, 3 * mm)]


def _table_style(kit: Kit, commands: list[tuple[object, ...]]) -> TableStyle:
    """Every table uses our embedded font, even for empty cells (else reportlab adds Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), kit.fonts.regular), *commands])


PAD_X, PAD_TOP, PAD_BOTTOM = 6, 4, 5
DASH = (4, 3)


def _table(block: d.Table, kit: Kit, width: float) -> Flowable:
    """A grid with spans, per-cell borders and minimum row heights that grow to fit."""
    total = sum(block.widths)
    col_widths = [width * w / total for w in block.widths]
    data: list[list[object]] = []
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
    ]
    heights: list[float | None] = []
    tallest = 0.0
    for r, row in enumerate(block.rows):
        cells: list[object] = []
        needed = 0.0
        column = 0
        for cell in row.cells:
            inner = sum(col_widths[column : column + cell.span]) - 2 * PAD_X
            flowables = _flowables(cell.blocks, kit.with_cell_style(cell.align), inner)
            needed = max(needed, _height(flowables, inner) + PAD_TOP + PAD_BOTTOM)
            cells += [flowables] + [""] * (cell.span - 1)
            commands += _cell_commands(block, cell, r, column)
            column += cell.span
        data.append(cells)
        if row.keep_with_next:
            commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
        heights.append(max(row.height.pt, needed) if row.height else None)
        tallest = max(tallest, needed)
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header - 1), TINT))
    # Rows split across pages only when one is taller than a page; otherwise whole rows move,
    # so a page never ends with a sliver of a row under a repeated header.
    split = int(tallest > kit.layout.frame_height.pt)
    table = Table(data, colWidths=col_widths, rowHeights=heights, repeatRows=block.header, splitInRow=split)
    table.setStyle(_table_style(kit, commands))
    return table


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
    inner = width - 16
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
