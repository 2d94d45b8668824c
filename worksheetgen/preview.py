"""Pages to PNG for a quick look without a PDF viewer (pypdfium2: no system tools needed)."""

from __future__ import annotations

from pathlib import Path

from worksheetgen.errors import WorksheetError


def preview_pdf(pdf: Path, out: Path, dpi: int = 60) -> list[Path]:
    """Write `<name>-<page>.png` for every page of `pdf` into `out`; return the files."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, FileNotFoundError) as exc:
        raise WorksheetError(f"{pdf}: cannot open as a PDF ({exc})") from None
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number, page in enumerate(document, start=1):
        path = out / f"{pdf.stem}-{number}.png"
        page.render(scale=dpi / 72).to_pil().save(path)
        written.append(path)
    document.close()
    return written
