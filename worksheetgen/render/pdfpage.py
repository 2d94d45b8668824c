"""The PDF page around the content: paper, frame, cream background, header and footer.

Header and footer are drawn after the last page (so the footer knows 'of N') at the profile's
sizes: large print puts even the page numbers at 16 pt. Nothing is shrunk below the profile's
least size or clipped mid-word: a name line gives up underscores, a footer a shorter credit.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.layout import Layout, PrintSettings, layout_for
from worksheetgen.render.marks import draw_draft
from worksheetgen.render.pdffonts import FALLBACK, Fonts, check_glyphs, fonts_for

PAPER = {"a4": A4, "letter": LETTER}
GREY_LINE = colors.Color(0.55, 0.55, 0.55)
CREAM = colors.Color(1.0, 0.973, 0.906)
ELLIPSIS = "…"
CARDS_KEY, CARDS_TITLE = "wsg-cards", "Cut-out cards"  # the bookmark a print file finds card sheets by
CARD_SHEET = d.CARD_SHEET  # a paragraph starting with it heads a card sheet to cut out


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


def doc_template(
    buffer: io.BytesIO, meta: d.Meta, layout: Layout, kind: type[SheetTemplate] = SheetTemplate, **extra: object
) -> BaseDocTemplate:
    width, height = PAPER[layout.paper]
    doc = kind(
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
        **extra,
    )
    doc.MAX_PAGES = min(meta.page_limit, kind.MAX_PAGES)  # fewer for a teacher's own templates
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


def numbered_canvas(meta: d.Meta, layout: Layout, fonts: Fonts) -> type[Canvas]:
    """A canvas that draws header and footer after the last page, so it knows 'of N'."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["initialFontName"] = fonts.regular  # else every page declares Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []
            self.card_pages: set[int] = set()  # where a card sheet to cut out starts (see mark_cards)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            footer = _footer(meta, layout, fonts, self._pagesize[0], total)  # measured once, not per page
            for state in self._pages:
                self.__dict__.update(state)
                _furniture(self, meta, layout, fonts, (self._pageNumber, total), footer)
                if self._pageNumber == min(self.card_pages, default=0):
                    self.bookmarkPage(CARDS_KEY)
                    self.addOutlineEntry(CARDS_TITLE, CARDS_KEY, 0)
                super().showPage()
            super().save()

    return NumberedCanvas


def _footer(meta: d.Meta, layout: Layout, fonts: Fonts, width: float, total: int) -> str:
    """The footer line for every page: the longest form that fits beside the widest page number."""
    size = layout.footer_size
    widest = pdfmetrics.stringWidth(f"Page {total} of {total}", fonts.regular, size)
    return footer_that_fits(meta.footer_labels, fonts, width - 2 * layout.margin_side.pt - widest - 20, size)


def _furniture(canvas: Canvas, meta: d.Meta, layout: Layout, fonts: Fonts, page: tuple[int, int], footer: str) -> None:
    """Header (Name / Class / Date, tier marker) and footer (topic, credit, page x of y)."""
    width, height = canvas._pagesize
    left, right = layout.margin_side.pt, width - layout.margin_side.pt
    top, bottom = height - layout.margin_top.pt, layout.margin_bottom.pt
    header_label(canvas, meta.header_label, meta.is_key, layout, fonts)
    canvas.setFont(FALLBACK, layout.marker_size)
    canvas.drawRightString(right, top - layout.marker_size * 0.85, meta.marker)
    canvas.setStrokeColor(GREY_LINE)
    canvas.setLineWidth(0.5)
    rule = top - layout.header_size - 8
    canvas.line(left, rule, right, rule)
    size = layout.footer_size
    descent = -pdfmetrics.getFont(fonts.regular).face.descent * size / 1000
    baseline = bottom + max(4.0, descent + 1)  # descenders stay above the bottom margin
    canvas.line(left, baseline + size * 0.8 + 3, right, baseline + size * 0.8 + 3)
    canvas.setFont(fonts.regular, size)
    canvas.drawRightString(right, baseline, "Page {} of {}".format(*page))
    canvas.setFont(fonts.face_for(footer), size)
    canvas.drawString(left, baseline, footer)
    if meta.draft:
        draw_draft(canvas, fonts.bold)


def footer_that_fits(labels: Sequence[str], fonts: Fonts, room: float, size: float) -> str:
    """The longest form of the footer that fits on one line; the shortest, cut by width, if none does."""
    for label in labels:
        if pdfmetrics.stringWidth(label, fonts.face_for(label), size) <= room:
            return label
    shortest = labels[-1]
    return fit(shortest, fonts.face_for(shortest), room, size)


def header_label(canvas: Canvas, label: str, bold: bool, layout: Layout, fonts: Fonts) -> None:
    """The name line (or 'TEACHER COPY') beside the tier marker, at the profile's header size:
    writing lines (underscores) shorten to make room before the type may shrink, and the type
    never shrinks below the profile's least size."""
    width, height = canvas._pagesize
    left, right, top = layout.margin_side.pt, width - layout.margin_side.pt, height - layout.margin_top.pt
    face = fonts.face_for(label)
    face = face + "-Bold" if bold else face
    room = right - left - layout.marker_size * 2  # leave space for the tier marker
    size = layout.header_size
    label = shorten_rules(label, lambda text: pdfmetrics.stringWidth(text, face, size), room)
    size = max(min(size, room / max(1.0, pdfmetrics.stringWidth(label, face, 1))), layout.min_size)
    canvas.setFont(face, size)
    canvas.drawString(left, top - layout.header_size, fit(label, face, room, size))


def shorten_rules(label: str, measure: Callable[[str], float], room: float) -> str:
    """Shorten every run of underscores in proportion (to no fewer than 4) until the label fits."""
    runs = [len(m.group()) for m in re.finditer(r"_{4,}", label)]
    if not runs or measure(label) <= room:
        return label
    for percent in range(95, 0, -5):
        pieces = re.split(r"_{4,}", label)
        rules = ["_" * max(4, n * percent // 100) for n in runs]
        shorter = "".join(piece + rule for piece, rule in zip(pieces, [*rules, ""], strict=True))
        if measure(shorter) <= room:
            return shorter
    return shorter


def render_name_overlay(metas: Sequence[d.Meta], settings: PrintSettings, pages: int) -> bytes:
    """Pages holding only a pupil's name line, `pages` for each pupil in turn, to stamp onto a
    sheet rendered with `name_later` (one PDF for many pupils: its fonts are embedded once)."""
    layout = layout_for(metas[0].tier, settings)
    fonts = fonts_for(layout.typeface)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAPER[layout.paper], invariant=1, initialFontName=fonts.regular)
    for meta in metas:
        check_glyphs(d.Document(meta), fonts)
        for _ in range(pages):
            header_label(canvas, meta.header_label, meta.is_key, layout, fonts)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fit(text: str, face: str, width: float, size: float) -> str:
    """Shorten a line with an ellipsis so it never runs past the margin. The widths of the
    characters are summed once and the cut found by bisection, so a 40,000-character title
    costs one pass, not one measurement per character dropped."""
    if pdfmetrics.stringWidth(text, face, size) <= width:
        return text
    room = width - pdfmetrics.stringWidth(ELLIPSIS, face, size)
    font = pdfmetrics.getFont(face)
    text = text[: int(room / (size * 0.05)) + 1]  # no glyph that prints is narrower than a twentieth of its size
    widths = [font.stringWidth(char, size) for char in text]
    ends, total = [], 0.0
    for char_width in widths:
        total += char_width
        ends.append(total)
    keep = bisect_right(ends, room)
    return text[:keep].rstrip() + ELLIPSIS
