"""Read generated PDF and DOCX files back the way a teacher (or a printer) would see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import docx
import pdfplumber
import pypdfium2 as pdfium
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pypdf import PdfReader

MM = 72 / 25.4


def pdf_text(path: Path) -> str:
    """All text, pages joined, whitespace collapsed (line wraps become spaces). pypdf reads in
    pure Python, so a file several tests read (the session's lesson pack) is read once."""
    stat = Path(path).stat()
    return _read_text(Path(path), (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=256)
def _read_text(path: Path, stamp: tuple[int, int]) -> str:
    """`stamp` (modified time, size) reads a file again when it has been rewritten."""
    reader = PdfReader(path)
    return squash(" ".join(page.extract_text() or "" for page in reader.pages))


def pdf_words(path: Path) -> str:
    """The same words as `pdf_text`, read by pdfium (C) in a tenth of the time: for checks on
    which words print, over many files. Only the running footer's place in the text differs."""
    document = pdfium.PdfDocument(path)
    try:
        return squash(" ".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


Edge = tuple[float, float, float, float]  # x0, x1, top, bottom


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    chars: list[dict]  # pdfplumber char dicts: text, x0, x1, top, bottom, fontname, size
    edges: tuple[Edge, ...] = ()  # drawn lines and the sides of drawn rectangles


def pdf_pages(path: Path) -> list[Page]:
    """Each page's size, characters and drawn edges, as pdfplumber gives them (`pdfplumber_pages`).
    pdfminer reads a PDF in pure Python, so a file is read once however many checks look at it."""
    stat = path.stat()
    return list(_read_pages(Path(path), (stat.st_mtime_ns, stat.st_size)))


@lru_cache(maxsize=16)
def _read_pages(path: Path, stamp: tuple[int, int]) -> tuple[Page, ...]:
    """`stamp` (modified time, size) reads a file again when it has been rewritten.

    pdfplumber's own pages are pdfminer's layout objects, each turned into a dict of some thirty
    attributes (colours, graphic state, marked content): over half its time on a sheet. Here the
    same layout objects give only what the checks read, in pdfplumber's coordinates (`top` from
    the page's top edge), and rectangles their four sides as pdfplumber's `rect_edges` do;
    test_readback checks the two readers agree."""
    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    with open(path, "rb") as file:
        for page in PDFPage.get_pages(file):
            interpreter.process_page(page)
            layout = device.get_result()
            x0, y0, x1, y1 = page.mediabox
            height = y1 - y0
            chars: list[dict] = []
            lines: list[Edge] = []
            rects: list[Edge] = []
            _collect(layout, height, chars, lines, rects)
            pages.append(Page(float(x1 - x0), float(height), chars, (*lines, *rects)))
    return tuple(pages)


def _collect(container: LTContainer, height: float, chars: list[dict], lines: list[Edge], rects: list[Edge]) -> None:
    for item in container:
        if isinstance(item, LTChar):
            top, bottom = height - item.y1, height - item.y0
            text, font, size = item.get_text(), item.fontname, item.size
            chars.append({"text": text, "x0": item.x0, "x1": item.x1, "top": top, "bottom": bottom})
            chars[-1] |= {"fontname": font, "size": size}
        elif isinstance(item, LTLine):
            lines.append((item.x0, item.x1, height - item.y1, height - item.y0))
        elif isinstance(item, LTRect):
            top, bottom = height - item.y1, height - item.y0
            rects += [(item.x0, item.x1, top, top), (item.x0, item.x1, top + item.height, bottom)]
            rects += [(item.x0, item.x0, top, bottom), (item.x1, item.x1, top, bottom)]
        elif isinstance(item, LTContainer):  # a form XObject (LTFigure): pdfplumber reads inside it
            _collect(item, height, chars, lines, rects)


def pdfplumber_pages(path: Path) -> list[Page]:
    """The same as `pdf_pages`, read through pdfplumber itself (the reference `pdf_pages` must match)."""
    with pdfplumber.open(path) as pdf:
        return [
            Page(
                float(p.width),
                float(p.height),
                [{k: c[k] for k in ("text", "x0", "x1", "top", "bottom", "fontname", "size")} for c in p.chars],
                tuple((e["x0"], e["x1"], e["top"], e["bottom"]) for e in p.lines + p.rect_edges),
            )
            for p in pdf.pages
        ]


def chars_outside(path: Path, margin_mm: float) -> list[str]:
    """Characters closer than `margin_mm` to any page edge (should be none)."""
    limit = margin_mm * MM
    bad = []
    for number, page in enumerate(pdf_pages(path), start=1):
        for c in page.chars:
            if c["x0"] < limit or c["x1"] > page.width - limit or c["top"] < limit or c["bottom"] > page.height - limit:
                bad.append(f"page {number}: {c['text']!r} at ({c['x0']:.0f}, {c['top']:.0f})")
    return bad


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Every font used on every page, and whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def docx_paragraph_texts(path: Path) -> list[str]:
    """Body paragraphs and table-cell paragraphs, in document order."""
    document = docx.Document(str(path))
    texts = []
    for block in document.element.body.iter():
        if block.tag.endswith("}p"):
            texts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return texts


def docx_text(path: Path) -> str:
    return squash(" ".join(docx_paragraph_texts(path)))


def chars_crossing_lines(path: Path, tolerance: float = 1.0) -> list[str]:
    """Characters that a drawn line (a cell border, a writing line) passes through."""
    bad = []
    for number, page in enumerate(pdf_pages(path), start=1):
        vertical = [e for e in page.edges if e[1] - e[0] < 0.5]
        horizontal = [e for e in page.edges if e[3] - e[2] < 0.5]
        for c in page.chars:
            if c["text"].isspace():
                continue
            x0, x1 = c["x0"] + tolerance, c["x1"] - tolerance
            top, bottom = c["top"] + tolerance + 1, c["bottom"] - tolerance - 1
            hit = any(x0 < e[0] < x1 and e[2] < bottom and e[3] > top for e in vertical) or any(
                top < e[2] < bottom and e[0] < x1 and e[1] > x0 for e in horizontal
            )
            if hit:
                bad.append(f"page {number}: {c['text']!r} at ({c['x0']:.0f}, {c['top']:.0f})")
    return bad


# Child order the OOXML schema requires (Word refuses files that break it; LibreOffice does not).
SCHEMA_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription".split(),
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
    "hideMark".split(),
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange".split(),
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em "
    "lang eastAsianLayout specVanish oMath".split(),
}


def docx_schema_order_errors(path: Path) -> list[str]:
    """Table, cell, paragraph and run properties whose children are out of schema order."""
    errors = []
    body = docx.Document(str(path)).element.body
    for parent, order in SCHEMA_ORDER.items():
        for element in body.iter(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{parent}"):
            names = [child.tag.split("}")[1] for child in element]
            positions = [order.index(n) if n in order else -1 for n in names]
            if -1 in positions or positions != sorted(set(positions)):  # in order, and each once
                errors.append(f"{parent}: {names}")
    return errors


def overprinted_chars(path: Path, overlap: float = 0.3) -> list[str]:
    """Characters drawn on top of other characters (text from one row spilling into another)."""
    bad = []
    for number, page in enumerate(pdf_pages(path), start=1):
        buckets: dict[tuple[int, int], list[dict]] = {}
        for c in page.chars:
            if c["text"].isspace() or c["x1"] - c["x0"] < 0.5:
                continue
            key = (int(c["x0"] // 20), int(c["top"] // 20))
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for other in buckets.get((key[0] + dx, key[1] + dy), ()):
                        if _overlap(c, other) > overlap:
                            where = f"{c['x0']:.0f},{c['top']:.0f}"
                            bad.append(f"page {number}: {c['text']!r} over {other['text']!r} at {where}")
            buckets.setdefault(key, []).append(c)
    return bad


def _overlap(a: dict, b: dict) -> float:
    """Shared area as a share of the smaller box."""
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return width * height / smaller if smaller else 0.0
