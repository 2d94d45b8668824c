"""Page checks a head of department makes before photocopying, read back from a rendered PDF.

One pdfplumber pass per PDF gives every page's words, characters and drawings; the checks
compare them with the Document the PDF was rendered from (which words it may print) and the
layout it was rendered for (its type sizes and page frame).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from worksheetgen import document as d
from worksheetgen.layout import GAP_RULE, Layout, PrintSettings, Profile, layout_for

MM = 72 / 25.4
MINIMUM_SIZE = {Profile.standard: 0.0, Profile.dyslexia: 12.0, Profile.large_print: 16.0}
SUPPORT_SIZE = 14.0  # PEDAGOGY print defaults: nothing a support pupil reads in the body is smaller
FILLED = 0.20  # no page of a sheet of two or more pages holds less than this share of its frame
SPLIT = re.compile(r"[\s\u00a0]+|(?<=\ufffe)")  # pdfium marks a hyphen at a line end \ufffe


@dataclass(frozen=True)
class Line:
    """One printed line of text: its words, position and the style of its characters."""

    text: str
    top: float
    bottom: float
    size: float  # the largest character size on the line
    bold: bool  # every non-space character is bold
    least: float = 99.0  # the smallest character size on the line


@dataclass(frozen=True)
class PageView:
    """What one page shows: its lines of text, its smallest character and how far down it is used."""

    height: float
    lines: list[Line]
    words: list[str]
    smallest: float
    content_bottom: float  # lowest text or drawing inside the body frame (0 if none)
    box_sizes: list[float]  # the type size of every tick box (☐) on the page
    crossed: list[str]  # characters a drawn line runs through (see `_crossed`)


def read_pages(pdf: bytes, layout: Layout) -> list[PageView]:
    """Every page of a PDF, read once (with pdfium: a tenth of the time pdfplumber takes)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [_read_page(document[number], layout) for number in range(len(document))]
    finally:
        document.close()


def _read_page(page: pdfium.PdfPage, layout: Layout) -> PageView:
    height = page.get_height()
    text = page.get_textpage()
    top, bottom = layout.body_top.pt, height - layout.body_bottom.pt
    chars = []
    spans = []  # each character's (text, left, right, top, bottom): top a cap height, bottom a descent
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, low, high = (ctypes.c_double() for _ in range(4))
    for index in range(text.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(text, index))
        if char.isspace() or raw.FPDFText_IsGenerated(text, index):
            continue
        raw.FPDFText_GetCharOrigin(text, index, x, y)
        size = raw.FPDFText_GetFontSize(text, index)
        chars.append((height - y.value, char, size, raw.FPDFText_GetFontWeight(text, index) >= 600, x.value))
        if char != "_":  # a writing rule set as underscores is meant to sit on its line
            raw.FPDFText_GetCharBox(text, index, left, right, low, high)
            base = height - y.value
            spans.append((char, left.value, right.value, base - 0.7 * size, base + 0.2 * size))
    words = [w.replace("\ufffe", "-") for w in SPLIT.split(text.get_text_range()) if w]
    drawn = []
    segments = []
    for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
        _, low_, _, high_ = item.get_bounds()
        if top - 1 <= height - high_ and height - low_ <= bottom + 1:
            drawn.append(height - low_)
        segments += _segments(item, height)
    lines = _lines(chars)
    inside = [line.bottom for line in lines if top - 1 <= line.top and line.bottom <= bottom + 1]
    boxes = [c[2] for c in chars if c[1] == "☐"]
    smallest = min((c[2] for c in chars), default=99.0)
    crossed = _crossed(spans, segments)
    return PageView(height, lines, words, smallest, max([*drawn, *inside], default=0.0), boxes, crossed)


def _segments(item: pdfium.PdfObject, height: float) -> list[tuple[float, float, float, float]]:
    """The straight lines a path draws (a border, a table rule, a writing line), top-down."""
    matrix = item.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    out, previous = [], None
    for index in range(raw.FPDFPath_CountSegments(item)):
        segment = raw.FPDFPath_GetPathSegment(item, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = matrix.on_point(x.value, y.value)
        if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_LINETO and previous is not None:
            out.append((previous[0], height - previous[1], point[0], height - point[1]))
        previous = point
    return out


def _crossed(
    spans: list[tuple[str, float, float, float, float]], segments: list[tuple[float, float, float, float]]
) -> list[str]:
    """Characters a drawn horizontal or vertical line runs through, between their cap height and
    the foot of their descenders (a border through a line of text, a rule through a tick box)."""
    found = []
    for char, left, right, top, bottom in spans:
        for x0, y0, x1, y1 in segments:
            across = abs(y0 - y1) < 0.5 and min(x0, x1) < right - 0.5 and max(x0, x1) > left + 0.5 and top < y0 < bottom
            down = abs(x0 - x1) < 0.5 and min(y0, y1) < bottom and max(y0, y1) > top and left + 0.3 < x0 < right - 0.3
            if across or down:
                found.append(char)
                break
    return found


def _lines(chars: list[tuple[float, str, float, bool, float]]) -> list[Line]:
    """Characters (baseline, text, size, bold, x) grouped into printed lines, top to bottom."""
    rows: dict[int, list[tuple[float, str, float, bool, float]]] = {}
    for c in chars:
        rows.setdefault(round(c[0]), []).append(c)
    out = []
    for baseline, row in sorted(rows.items()):
        row.sort(key=lambda c: c[4])
        size = max(c[2] for c in row)
        text = "".join(c[1] for c in row)
        least = min(c[2] for c in row)
        out.append(Line(text, baseline - size * 0.8, baseline + size * 0.2, size, all(c[3] for c in row), least))
    return out


def allowed_words(document: d.Document, pages: int) -> set[str]:
    """Every word the sheet may print: its text, its furniture, and the halves of a hyphenated
    word broken at its hyphen (a proper break). Runs of underscores (writing rules) count as one."""
    meta = document.meta
    texts = [*_texts(document.blocks), meta.title, meta.key_question, meta.header_label, *meta.footer_labels]
    texts += [d.LEFT_BLANK]  # the note on a page left blank before a card sheet
    texts += [meta.marker, *(f"Page {n} of {pages}" for n in range(1, pages + 1))]
    texts += [f"({n}) {n}." for n in range(1, 100)]  # gap and list numbers
    words: set[str] = set()
    for text in texts:
        for word in SPLIT.split(rules_as_one(text)):
            words.add(word)
            parts = word.split("-")
            words.update(f"{p}-" for p in parts[:-1])
            words.update(parts)
    return words


def rules_as_one(text: str) -> str:
    return re.sub(r"_+", "_", text)


def _texts(blocks: tuple[d.Block, ...]) -> list[str]:
    """The text of every block as the PDF prints it: a gap as its number and its rule or hint."""
    out = []
    for block in blocks:
        if isinstance(block, d.Paragraph):
            out.append(_inline_text(block.inlines))
        elif isinstance(block, d.NumberedList):
            out += [_inline_text(item.inlines) for item in block.items]
        elif isinstance(block, d.Table):
            out += [text for row in block.rows for cell in row.cells for text in _texts(cell.blocks)]
        elif isinstance(block, d.Box):
            out += [block.title, *_texts(block.blocks)]
        else:
            out += d.iter_text((block,))
    return out


def _inline_text(inlines: tuple[d.Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, d.Run) else f"({i.number}) {i.hint or GAP_RULE}" for i in inlines)


def problems(document: d.Document, pdf: bytes, settings: PrintSettings) -> list[str]:
    """Everything wrong with a rendered sheet's pages (empty when it is print-ready)."""
    layout = layout_for(document.meta.tier, settings)
    views = read_pages(pdf, layout)
    found: list[str] = []
    allowed = allowed_words(document, len(views))
    frame = layout.frame_height.pt
    for number, view in enumerate(views, start=1):
        broken = sorted({w for w in map(rules_as_one, view.words) if w not in allowed})
        if broken:
            found.append(f"page {number}: words not in the sheet (split or clipped): {broken[:6]}")
        if any("…" in w and "…" not in "".join(allowed) for w in view.words):
            found.append(f"page {number}: text cut short with an ellipsis")
        minimum = MINIMUM_SIZE[settings.profile]
        if view.smallest < minimum - 0.05:
            small = sorted({line.text[:30] for line in view.lines if line.size < minimum - 0.05})
            found.append(f"page {number}: characters of {view.smallest:.1f} pt (< {minimum}): {small[:3]}")
        body = [line for line in view.lines if line.top >= layout.body_top.pt - 1]
        body = [line for line in body if line.bottom <= view.height - layout.body_bottom.pt + 1]
        support = document.meta.tier is d.Tier.support and not document.meta.is_key
        least = max(minimum, SUPPORT_SIZE if support else 0.0)
        small = sorted({line.text[:30] for line in body if line.least < least - 0.05})
        if small:
            found.append(f"page {number}: body text below {least} pt: {small[:3]}")
        if view.crossed:
            found.append(f"page {number}: a drawn line runs through text: {''.join(view.crossed)[:40]!r}")
        if body and body[-1].bold and body[-1].size > layout.body_size + 0.5:
            found.append(f"page {number}: ends with the heading {body[-1].text!r}")
        filled = (view.content_bottom - layout.body_top.pt) / frame
        left_blank = "".join(line.text for line in body) == "".join(d.LEFT_BLANK.split())
        cards_next = number < len(views) and d.CARD_SHEET in views[number].words
        if left_blank and not (number % 2 == 0 and cards_next):
            found.append(f"page {number}: left blank, but not the back of a page before a card sheet")
        if len(views) > 1 and filled < FILLED and not left_blank:
            found.append(f"page {number}: only {filled:.0%} filled")
    return found


def fills(views: list[PageView], layout: Layout) -> list[float]:
    """How far down its body frame each page is used (0 to 1), as the 20% check measures it."""
    return [(view.content_bottom - layout.body_top.pt) / layout.frame_height.pt for view in views]


def pages_with(views: list[PageView], text: str) -> list[int]:
    """The pages (from 1) with a printed line containing `text` (spaces ignored: lines are read without them)."""
    wanted = text.replace(" ", "")
    return [n for n, view in enumerate(views, start=1) if any(wanted in line.text for line in view.lines)]
