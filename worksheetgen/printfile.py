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


def layout_entries(parts: list[Part], contents_pages: int) -> list[Entry]:
    """Where each part starts and ends, each starting on an odd page after the contents."""
    entries = []
    page = next_odd(contents_pages + 1)
    for part in parts:
        count = page_count(part.pdf)
        entries.append(Entry(part.label, part.detail, page, page + count - 1))
        page = next_odd(page + count)
    return entries


def merge_for_duplex(parts: list[Part], contents: Callable[[list[Entry]], bytes]) -> tuple[bytes, list[Entry]]:
    """Contents first, then every part on an odd page, blank backs where needed; bookmarks per part."""
    provisional = contents(layout_entries(parts, 1))
    entries = layout_entries(parts, page_count(provisional))
    contents_pdf = contents(entries)
    writer = PdfWriter()
    _append(writer, contents_pdf)
    for part, entry in zip(parts, entries, strict=True):
        while len(writer.pages) < entry.first - 1:
            _blank(writer)
        _append(writer, part.pdf)
        writer.add_outline_item(title=f"{entry.label} ({entry.detail})", page_number=entry.first - 1)
    if len(writer.pages) % 2:
        _blank(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), entries


def _append(writer: PdfWriter, pdf: bytes) -> None:
    for page in PdfReader(io.BytesIO(pdf)).pages:
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
