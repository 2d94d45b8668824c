"""Pages to PNG for a quick look without a PDF viewer (pypdfium2: no system tools needed).

A PDF can declare a page of any size: a 200,000-point page at 300 dpi would be a bitmap of
nearly a trillion pixels. Each page is drawn at the resolution asked for, or at a lower one
that keeps its bitmap within MAX_PIXELS, with a warning saying so.

A PDF from elsewhere is drawn in a child process under a wall-clock, CPU-time and memory
limit (as isolation.py runs a teacher's templates): pdfium drawing a 2 MB page of 100,000
lines took minutes and did not stop for SIGTERM. A PDF we have just built is drawn here.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from worksheetgen.errors import WorksheetError
from worksheetgen.inputs import PDF, open_input

MAX_PIXELS = 20_000_000  # an A3 page at 300 dpi is 17.4 million; 20 million RGB pixels are 60 MB
MAX_SIDE = 20_000  # pixels along one edge (a long thin page)
MAX_PAGES = 200  # a quick look, not a conversion
DRAW_SECONDS = 10.0  # wall clock for drawing a PDF from elsewhere (ours take well under a second a page)
DRAW_MEMORY = 1536 << 20  # bytes of address space for the child drawing it (a 20-million-pixel page is 60 MB)

Report = Callable[[str, str], None]


def preview_pdf(pdf: Path, out: Path, dpi: int = 60, *, ours: bool = False) -> tuple[list[Path], list[str]]:
    """Write `<name>-<page>.png` for the pages of `pdf` into `out`; return the files and any warnings.
    `ours`: a PDF this process has just built, drawn here; any other is drawn in a limited child."""
    if ours:
        return _preview_here(pdf, out, dpi)
    return _preview_isolated(pdf, out, dpi)


def _preview_isolated(pdf: Path, out: Path, dpi: int) -> tuple[list[Path], list[str]]:
    """Draw in a child (-I: isolated, as isolation.py's); it reports each page as it is written."""
    command = [sys.executable, "-I", "-c", "from worksheetgen.preview import child; child()"]
    payload = json.dumps({"pdf": str(pdf), "out": str(out), "dpi": dpi}).encode()
    try:
        done = subprocess.run(command, input=payload, capture_output=True, timeout=DRAW_SECONDS)
        answer, returncode = done.stdout, done.returncode
    except subprocess.TimeoutExpired as exc:
        answer, returncode = exc.stdout or b"", None
    pages: list[Path] = []
    warnings: list[str] = []
    for line in answer.decode("utf-8", "replace").splitlines():
        try:
            kind, value = json.loads(line)
        except ValueError:
            break  # a line cut off when the child was killed
        if kind == "error":
            raise WorksheetError(value)
        (pages.append(Path(value)) if kind == "page" else warnings.append(value))
    if returncode != 0:
        page = f"page {len(pages) + 1}"
        if returncode in (None, -9, -24):  # the wall clock; SIGKILL or SIGXCPU: the CPU-time limit
            raise WorksheetError(f"{pdf}: {page} takes too long to draw (more than {DRAW_SECONDS:.0f} seconds)")
        raise WorksheetError(f"{pdf}: {page} cannot be drawn: it needs more memory than a preview may use")
    return pages, warnings


def child() -> None:
    """The child's side: limits first, then draw, answering one JSON line per page or warning."""
    request = json.loads(sys.stdin.buffer.read())
    try:
        import resource
    except ImportError:  # not on Windows: the parent's wall-clock kill remains
        pass
    else:
        resource.setrlimit(resource.RLIMIT_AS, (DRAW_MEMORY, DRAW_MEMORY))
        cpu = int(DRAW_SECONDS) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    _end_with_parent()

    def report(kind: str, value: str) -> None:
        sys.stdout.write(json.dumps([kind, value]) + "\n")
        sys.stdout.flush()

    try:
        _preview_here(Path(request["pdf"]), Path(request["out"]), request["dpi"], report)
    except WorksheetError as error:
        report("error", str(error))
    except MemoryError:
        sys.exit(3)


def _end_with_parent() -> None:
    """If the parent is killed (SIGTERM, Ctrl+C) the child ends too, not at its CPU limit: pdfium
    draws through ctypes, which lets this thread run."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _preview_here(pdf: Path, out: Path, dpi: int, report: Report | None = None) -> tuple[list[Path], list[str]]:
    import pypdfium2 as pdfium

    with open_input(pdf, PDF) as handle:
        try:
            document = pdfium.PdfDocument(handle)
        except pdfium.PdfiumError as exc:
            raise WorksheetError(f"{pdf}: cannot open as a PDF ({exc})") from None
        try:
            return _write_pages(document, pdf, out, dpi, report or (lambda kind, value: None))
        finally:
            document.close()


def _write_pages(document: Any, pdf: Path, out: Path, dpi: int, report: Report) -> tuple[list[Path], list[str]]:
    from worksheetgen.output import make_folder, remove_stale_temporaries

    make_folder(out)
    remove_stale_temporaries(out)  # pictures are written as sheets are: a killed run leaves a temporary
    written, warnings = [], []
    if len(document) > MAX_PAGES:
        warnings.append(f"{pdf}: {len(document):,} pages; only the first {MAX_PAGES} are previewed")
        report("warning", warnings[-1])
    for number in range(min(len(document), MAX_PAGES)):
        page = document[number]
        scale = _scale(page.get_size(), dpi)
        if scale < dpi / 72:
            width, height = page.get_size()
            warnings.append(
                f"{pdf}: page {number + 1} is {width:,.0f} x {height:,.0f} pt: drawn at {scale * 72:.2g} dpi instead "
                f"of {dpi}, to keep its image within {MAX_PIXELS // 1_000_000} million pixels"
            )
            report("warning", warnings[-1])
        path = out / f"{pdf.stem}-{number + 1}.png"
        _write_png(path, page.render(scale=scale).to_pil())
        written.append(path)
        report("page", str(path))
    return written, warnings


def _write_png(path: Path, image: Any) -> None:
    """Save a page's picture as build writes a sheet: in one step, replacing a link at `path` rather than
    writing through it (PIL's save follows links: a link planted in the output folder overwrote its target),
    and refusing a named pipe or device there (PIL's save failed on one with a bare UnsupportedOperation)."""
    from worksheetgen.output import refuse_what_is_not_a_file, write_atomic_with

    refuse_what_is_not_a_file(path)
    write_atomic_with(path, lambda handle: image.save(handle, format="PNG"))


def _scale(size: tuple[float, float], dpi: int) -> float:
    """Pixels per point: the dpi asked for, or less, so the bitmap stays within MAX_PIXELS and MAX_SIDE."""
    width, height = (max(1.0, side) if math.isfinite(side) else 1.0 for side in size)
    within = min(math.sqrt(MAX_PIXELS / (width * height)), MAX_SIDE / max(width, height))
    return min(dpi / 72, within * 0.999)  # pdfium rounds each edge up to a whole pixel
