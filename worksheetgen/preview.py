"""Pages to PNG for a quick look without a PDF viewer (pypdfium2: no system tools needed).

A PDF can declare a page of any size: a 200,000-point page at 300 dpi would be a bitmap of
nearly a trillion pixels. Each page is drawn at the resolution asked for, or at a lower one
that keeps its bitmap within MAX_PIXELS, with a warning saying so.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from worksheetgen.errors import WorksheetError
from worksheetgen.inputs import PDF, open_input

MAX_PIXELS = 20_000_000  # an A3 page at 300 dpi is 17.4 million; 20 million RGB pixels are 60 MB
MAX_SIDE = 20_000  # pixels along one edge (a long thin page)
MAX_PAGES = 200  # a quick look, not a conversion


def preview_pdf(pdf: Path, out: Path, dpi: int = 60) -> tuple[list[Path], list[str]]:
    """Write `<name>-<page>.png` for the pages of `pdf` into `out`; return the files and any warnings."""
    import pypdfium2 as pdfium

    with open_input(pdf, PDF) as handle:
        try:
            document = pdfium.PdfDocument(handle)
        except pdfium.PdfiumError as exc:
            raise WorksheetError(f"{pdf}: cannot open as a PDF ({exc})") from None
        try:
            return _write_pages(document, pdf, out, dpi)
        finally:
            document.close()


def _write_pages(document: Any, pdf: Path, out: Path, dpi: int) -> tuple[list[Path], list[str]]:
    out.mkdir(parents=True, exist_ok=True)
    written, warnings = [], []
    if len(document) > MAX_PAGES:
        warnings.append(f"{pdf}: {len(document):,} pages; only the first {MAX_PAGES} are previewed")
    for number in range(min(len(document), MAX_PAGES)):
        page = document[number]
        scale = _scale(page.get_size(), dpi)
        if scale < dpi / 72:
            width, height = page.get_size()
            warnings.append(
                f"{pdf}: page {number + 1} is {width:,.0f} x {height:,.0f} pt: drawn at {scale * 72:.2g} dpi instead "
                f"of {dpi}, to keep its image within {MAX_PIXELS // 1_000_000} million pixels"
            )
        path = out / f"{pdf.stem}-{number + 1}.png"
        page.render(scale=scale).to_pil().save(path)
        written.append(path)
    return written, warnings


def _scale(size: tuple[float, float], dpi: int) -> float:
    """Pixels per point: the dpi asked for, or less, so the bitmap stays within MAX_PIXELS and MAX_SIDE."""
    width, height = (max(1.0, side) if math.isfinite(side) else 1.0 for side in size)
    within = min(math.sqrt(MAX_PIXELS / (width * height)), MAX_SIDE / max(width, height))
    return min(dpi / 72, within * 0.999)  # pdfium rounds each edge up to a whole pixel
