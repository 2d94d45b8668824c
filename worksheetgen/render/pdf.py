"""PDF renderer (reportlab): each Document block becomes a Platypus flowable.

Teacher text is escaped before it reaches Paragraph markup, every cell is a Paragraph so
it wraps, tall rows may split across pages, and the embedded Unicode font is checked
for every character before anything is drawn.
"""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import GAP_RULE, Layout, layout_for
from worksheetgen.resources import font_file

PAPER = {"a4": A4, "letter": LETTER}
FONT = "WSG-Sans"
FONT_BOLD = "WSG-Sans-Bold"
GREY_LINE = colors.Color(0.55, 0.55, 0.55)
TINT = colors.Color(0.9, 0.9, 0.9)


@lru_cache(maxsize=1)
def _fonts() -> tuple[TTFont, TTFont]:
    """Register the shipped DejaVu Sans once per process."""
    regular = TTFont(FONT, str(font_file("DejaVuSans.ttf")))
    bold = TTFont(FONT_BOLD, str(font_file("DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return regular, bold


def render_pdf(document: d.Document, paper: str = "a4") -> bytes:
    """Render a Document to PDF bytes; identical input gives identical bytes."""
    regular, _ = _fonts()
    check_glyphs(document, regular)
    layout = layout_for(document.meta.tier, paper)
    styles = _styles(layout)
    buffer = io.BytesIO()
    doc = _doc_template(buffer, document.meta, layout)
    story = [*_title(document.meta, styles), *_flowables(document.blocks, styles, layout, doc.width)]
    doc.build(story, canvasmaker=_numbered_canvas(document.meta, layout))
    return buffer.getvalue()


def check_glyphs(document: d.Document, font: TTFont) -> None:
    """Refuse to print characters the font lacks (they would come out as black boxes)."""
    texts = [*d.iter_text(document.blocks), document.meta.title, document.meta.key_question, document.meta.credit]
    cmap = font.face.charToGlyph
    missing: dict[str, str] = {}
    for text in texts:
        for char in text:
            if ord(char) not in cmap and not char.isspace() and char not in missing:
                missing[char] = text
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X}) in {t[:40]!r}" for c, t in missing.items())
        raise RenderError(f"the PDF font has no glyph for: {listed}; replace these characters")


# Page set-up -------------------------------------------------------------------------------


def _doc_template(buffer: io.BytesIO, meta: d.Meta, layout: Layout) -> BaseDocTemplate:
    width, height = PAPER[layout.paper]
    doc = BaseDocTemplate(
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
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame])])
    return doc


def _numbered_canvas(meta: d.Meta, layout: Layout) -> type[Canvas]:
    """A canvas that draws header and footer after the last page, so it knows 'of N'."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["initialFontName"] = FONT  # else every page declares an unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _furniture(self, meta, layout, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _furniture(canvas: Canvas, meta: d.Meta, layout: Layout, page: int, total: int) -> None:
    """Header (Name / Class / Date, tier marker) and footer (topic, credit, page x of y)."""
    width, height = canvas._pagesize
    left = layout.margin_side.pt
    right = width - layout.margin_side.pt
    top = height - layout.margin_top.pt
    size = 10
    canvas.setFont(FONT_BOLD if meta.is_key else FONT, size)
    canvas.drawString(left, top - size, meta.header_label)
    canvas.setFont(FONT, 14)
    canvas.drawRightString(right, top - 12, meta.marker)
    canvas.setStrokeColor(GREY_LINE)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 18, right, top - 18)
    bottom = layout.margin_bottom.pt
    canvas.line(left, bottom + 14, right, bottom + 14)
    canvas.setFont(FONT, 8)
    footer = meta.topic + (f"  ·  Source: {meta.credit}" if meta.credit else "")
    canvas.drawString(left, bottom + 4, _fit(footer, right - left - 70, 8))
    canvas.drawRightString(right, bottom + 4, f"Page {page} of {total}")


def _fit(text: str, width: float, size: float) -> str:
    """Shorten a footer line with an ellipsis so it never runs past the margin."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


# Styles ------------------------------------------------------------------------------------


def _styles(layout: Layout) -> dict[str, ParagraphStyle]:
    size = layout.body_size
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        bulletFontName=FONT,
        fontSize=size,
        leading=size * layout.line_spacing,
        alignment=TA_LEFT,
        spaceAfter=size * 0.5,
    )
    return {
        "body": base,
        "instruction": ParagraphStyle("instruction", parent=base, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=size - 2, leading=(size - 2) * 1.3),
        "key": ParagraphStyle("key", parent=base),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=2, leading=size * 1.3),
        "cell_center": ParagraphStyle(
            "cell_center", parent=base, spaceAfter=2, leading=size * 1.3, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=size + 8, leading=(size + 8) * 1.2, spaceAfter=2
        ),
        "question": ParagraphStyle(
            "question", parent=base, fontName=FONT_BOLD, fontSize=size + 2, leading=(size + 2) * 1.3, spaceAfter=size
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size + 3,
            leading=(size + 3) * 1.3,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.4,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
            spaceBefore=size * 0.4,
            spaceAfter=size * 0.3,
        ),
    }


# Blocks to flowables -----------------------------------------------------------------------


def _title(meta: d.Meta, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        PdfParagraph(escape(meta.title), styles["title"]),
        PdfParagraph(escape(meta.key_question), styles["question"]),
    ]


def _flowables(
    blocks: tuple[d.Block, ...], styles: dict[str, ParagraphStyle], layout: Layout, width: float
) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        out.extend(_flowable(block, styles, layout, width))
    return out


def _flowable(block: d.Block, styles: dict[str, ParagraphStyle], layout: Layout, width: float) -> list[Flowable]:
    if isinstance(block, d.Heading):
        return [CondPageBreak(30 * mm), PdfParagraph(escape(block.text), styles[f"h{min(block.level, 2)}"])]
    if isinstance(block, d.Paragraph):
        return [PdfParagraph(inline_markup(block.inlines), styles[block.style])]
    if isinstance(block, d.NumberedList):
        return [_numbered(block, styles)]
    if isinstance(block, d.WordBank):
        return [_word_bank(block, styles, width), Spacer(1, 4 * mm)]
    if isinstance(block, d.WritingLines):
        return _writing_lines(block, styles, layout, width)
    if isinstance(block, d.Table):
        return [_table(block, styles, layout, width), Spacer(1, 3 * mm)]
    if isinstance(block, d.Box):
        return [KeepTogether([_box(block, styles, layout, width)]), Spacer(1, 3 * mm)]
    if isinstance(block, d.PageBreak):
        return [PdfPageBreak()]
    raise RenderError(f"the PDF renderer cannot draw {type(block).__name__}")


def inline_markup(inlines: tuple[d.Inline, ...]) -> str:
    """Paragraph mini-markup from runs and gaps; teacher text is always escaped."""
    out = []
    for item in inlines:
        if isinstance(item, d.Run):
            text = escape(item.text)
            out.append(f"<b>{text}</b>" if item.bold else text)
        else:
            blank = escape(item.hint) if item.hint else GAP_RULE
            out.append(f"<b>({item.number})</b>\u00a0{blank}")
    return "".join(out)


def _numbered(block: d.NumberedList, styles: dict[str, ParagraphStyle]) -> Flowable:
    style = ParagraphStyle("numbered", parent=styles["instruction"], leftIndent=7 * mm, bulletIndent=0)
    items = [PdfParagraph(inline_markup(p.inlines), style, bulletText=f"{n}.") for n, p in enumerate(block.items, 1)]
    return KeepTogether([*items, Spacer(1, 2 * mm)])


def _word_bank(block: d.WordBank, styles: dict[str, ParagraphStyle], width: float) -> Flowable:
    columns = 4 if len(block.words) > 6 else max(1, min(3, len(block.words)))
    cells = [PdfParagraph(escape(w), styles["cell"]) for w in block.words]
    rows: list[list[object]] = [[PdfParagraph(f"<b>{escape(block.title)}</b>", styles["cell"])] + [""] * (columns - 1)]
    rows += [
        cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns])) for i in range(0, len(cells), columns)
    ]
    table = Table(rows, colWidths=[width / columns] * columns, splitInRow=1)
    table.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _writing_lines(
    block: d.WritingLines, styles: dict[str, ParagraphStyle], layout: Layout, width: float
) -> list[Flowable]:
    pitch = (block.pitch or layout.line_pitch).pt
    table = Table([[""]] * block.count, colWidths=[width], rowHeights=[pitch] * block.count)
    table.setStyle(_table_style([("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY_LINE)]))
    label = [PdfParagraph(escape(block.label), styles["instruction"])] if block.label else []
    return [*label, table, Spacer(1, 3 * mm)]


def _table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """Every table uses our embedded font, even for empty cells (else reportlab adds Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


PAD_X, PAD_TOP, PAD_BOTTOM = 6, 4, 5
DASH = (4, 3)


def _table(block: d.Table, styles: dict[str, ParagraphStyle], layout: Layout, width: float) -> Flowable:
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
    for r, row in enumerate(block.rows):
        cells: list[object] = []
        needed = 0.0
        column = 0
        for cell in row.cells:
            cell_width = sum(col_widths[column : column + cell.span])
            flowables = _cell(cell, styles, layout, cell_width - 2 * PAD_X)
            needed = max(needed, _height(flowables, cell_width - 2 * PAD_X) + PAD_TOP + PAD_BOTTOM)
            cells += [flowables] + [""] * (cell.span - 1)
            commands += _cell_commands(block, cell, r, column)
            column += cell.span
        data.append(cells)
        heights.append(max(row.height.pt, needed) if row.height else None)
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header - 1), TINT))
    table = Table(data, colWidths=col_widths, rowHeights=heights, repeatRows=block.header, splitInRow=1)
    table.setStyle(_table_style(commands))
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


def _height(flowables: list[Flowable], width: float) -> float:
    """How tall a cell's content is at this width (to grow a minimum-height row, not overprint)."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _cell(cell: d.Cell, styles: dict[str, ParagraphStyle], layout: Layout, width: float) -> list[Flowable]:
    cell_style = styles["cell_center"] if cell.align == "center" else styles["cell"]
    cell_styles = {**styles, "body": cell_style, "key": cell_style}
    return _flowables(cell.blocks, cell_styles, layout, width)


def _box(block: d.Box, styles: dict[str, ParagraphStyle], layout: Layout, width: float) -> Flowable:
    inner = width - 16
    title = [PdfParagraph(f"<b>{escape(block.title)}</b>", styles["body"])] if block.title else []
    content = [*title, *_flowables(block.blocks, styles, layout, inner)]
    table = Table([[content]], colWidths=[width], splitInRow=1)
    table.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
