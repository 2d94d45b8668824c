"""The output formats, in one place: how each is rendered, what a browser is told it is, and
whether a teacher edits it (an edited file is kept, never replaced). A new format is one entry
here and its renderer beside it; the CLI's `--format`, the web page and the pipeline read this.

Renderers are imported when first used, so `--help` never loads reportlab or python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from worksheetgen.document import Document
    from worksheetgen.layout import PrintSettings


@dataclass(frozen=True)
class Format:
    name: str  # also the file extension
    media_type: str
    render: Callable[[Document, PrintSettings], bytes]
    edited: Callable[[Path], bool] | None = None  # has a teacher changed this file since we wrote it?
    stamp: Callable[[bytes], bytes] | None = None  # the fingerprint `edited` checks, added as it is written


def _pdf(document: Document, settings: PrintSettings) -> bytes:
    from worksheetgen.render.pdf import render_pdf

    return render_pdf(document, settings)


def _docx(document: Document, settings: PrintSettings) -> bytes:
    from worksheetgen.render.docx import render_docx

    return render_docx(document, settings)


def _docx_edited(path: Path) -> bool:
    from worksheetgen.render.ooxml import is_ours_and_unchanged

    return not is_ours_and_unchanged(path)


def _pdf_edited(path: Path) -> bool:
    from worksheetgen.render.pdfmark import is_our_unchanged_pdf

    return not is_our_unchanged_pdf(path)


def _pdf_stamp(data: bytes) -> bytes:
    from worksheetgen.render.pdfmark import stamp_pdf

    return stamp_pdf(data)


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "application/pdf", _pdf, _pdf_edited, _pdf_stamp),
    "docx": Format(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx, _docx_edited
    ),
}
NAMES = tuple(FORMATS)


def edited_by_a_teacher(path: Path) -> bool:
    """True for an existing file of a format a teacher may edit (or export to, as Word does to
    PDF) that is no longer as we wrote it."""
    fmt = FORMATS.get(path.suffix.removeprefix("."))
    return bool(fmt and fmt.edited and path.exists() and fmt.edited(path))


def as_written(path: Path, data: bytes) -> bytes:
    """A sheet's bytes as they go to disk: with the fingerprint its format is checked by."""
    fmt = FORMATS.get(path.suffix.removeprefix("."))
    return fmt.stamp(data) if fmt and fmt.stamp else data
