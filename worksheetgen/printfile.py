"""One print-ready PDF from many sheets: a contents page, then each sheet on an odd page.

Double-sided printing puts odd pages on the front of a sheet of paper, so starting every
worksheet on an odd page means no pupil gets the end of one sheet on the back of another.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter


@dataclass(frozen=True)
class Part:
    """One sheet to merge: what the contents page calls it, and its PDF."""

    label: str
    detail: str
    pdf: bytes


@dataclass(frozen=True)
class Entry:
    """A contents line: the part and the pages it occupies in the merged file."""

    label: str
    detail: str
    first: int
    last: int


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def next_odd(page: int) -> int:
    return page if page % 2 else page + 1


def layout_entries(parts: list[Part], counts: list[int], contents_pages: int) -> list[Entry]:
    """Where each part starts and ends, each starting on an odd page after the contents."""
    entries = []
    page = next_odd(contents_pages + 1)
    for part, count in zip(parts, counts, strict=True):
        entries.append(Entry(part.label, part.detail, page, page + count - 1))
        page = next_odd(page + count)
    return entries


def merge_for_duplex(parts: list[Part], contents: Callable[[list[Entry]], bytes]) -> tuple[bytes, list[Entry]]:
    """Contents first, then every part on an odd page, blank backs where needed; bookmarks per part."""
    readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    contents_pdf, entries = _contents_that_fit(parts, [len(r.pages) for r in readers], contents)
    writer = PdfWriter()
    _append(writer, PdfReader(io.BytesIO(contents_pdf)))
    for reader, entry in zip(readers, entries, strict=True):
        while len(writer.pages) < entry.first - 1:
            _blank(writer)
        _append(writer, reader)
        writer.add_outline_item(title=f"{entry.label} ({entry.detail})", page_number=entry.first - 1)
    if len(writer.pages) % 2:
        _blank(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), entries


def _contents_that_fit(
    parts: list[Part], counts: list[int], contents: Callable[[list[Entry]], bytes]
) -> tuple[bytes, list[Entry]]:
    """The contents page(s) and the entries they list: the page numbers depend on how many
    pages the contents take, so lay out again until the two agree (once or twice)."""
    pages = 1
    for _ in range(4):
        entries = layout_entries(parts, counts, pages)
        pdf = contents(entries)
        if page_count(pdf) == pages:
            break
        pages = page_count(pdf)
    return pdf, entries


def _append(writer: PdfWriter, reader: PdfReader) -> None:
    for page in reader.pages:
        writer.add_page(page)


def _blank(writer: PdfWriter) -> None:
    last = writer.pages[-1]
    writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))


def overlay_pages(base: bytes, overlay: bytes) -> bytes:
    """Draw each overlay page on top of the matching base page (a pupil's name on a sheet)."""
    writer = PdfWriter(clone_from=io.BytesIO(base))
    stamp = PdfReader(io.BytesIO(overlay))
    for page, top in zip(writer.pages, stamp.pages, strict=True):
        page.merge_page(top)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
