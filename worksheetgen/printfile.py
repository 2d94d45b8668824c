"""One print-ready PDF from many sheets: a contents page, then each sheet on an odd page.

Double-sided printing puts odd pages on the front of a sheet of paper, so starting every
worksheet on an odd page means no pupil gets the end of one sheet on the back of another.

pikepdf (qpdf) does the merging and stamping: it copies each page's fonts and images across
without parsing its drawing, several times faster than a pure-Python PDF library.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

import pikepdf


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
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


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
    """Contents first, then every part on an odd page, blank backs where needed; bookmarks per part.

    The merged file starts as the contents PDF, so it keeps that one's title and language."""
    with ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(part.pdf))) for part in parts]
        contents_pdf, entries = _contents_that_fit(parts, [len(s.pages) for s in sources], contents)
        merged = stack.enter_context(pikepdf.open(io.BytesIO(contents_pdf)))
        for source, entry in zip(sources, entries, strict=True):
            _pad(merged, entry.first - 1)
            merged.pages.extend(source.pages)
        _pad(merged, len(merged.pages) + len(merged.pages) % 2)
        with merged.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(f"{e.label} ({e.detail})", e.first - 1) for e in entries)
        return _save(merged), entries


def _contents_that_fit(
    parts: list[Part], counts: list[int], contents: Callable[[list[Entry]], bytes]
) -> tuple[bytes, list[Entry]]:
    """The contents page(s) and the entries they list: the page numbers depend on how many
    pages the contents take, so lay out again until the two agree (once or twice)."""
    pages = 1
    for _ in range(4):
        entries = layout_entries(parts, counts, pages)
        pdf = contents(entries)
        took = page_count(pdf)
        if took == pages:
            break
        pages = took
    return pdf, entries


def _pad(document: pikepdf.Pdf, pages: int) -> None:
    """Blank pages (the size of the last one) until the document has `pages` pages."""
    while len(document.pages) < pages:
        box = document.pages[-1].mediabox
        document.add_blank_page(page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1])))


def overlay_pages(base: bytes, overlay: bytes) -> bytes:
    """Draw each overlay page on top of the matching base page (a pupil's name on a sheet).

    The overlay page goes in as a form under a fixed name, so the same input always gives
    the same bytes (pikepdf's own add_overlay picks a random name)."""
    with pikepdf.open(io.BytesIO(base)) as document, pikepdf.open(io.BytesIO(overlay)) as stamp:
        for page, top in zip(document.pages, stamp.pages, strict=True):
            form = document.copy_foreign(top.as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/WsgStamp"))
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ q " + bytes(name.unparse()) + b" Do Q\n")
        return _save(document)


def _save(document: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    document.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()
