"""One print-ready PDF from many sheets: a contents page, then each sheet on an odd page.

Double-sided printing puts odd pages on the front of a sheet of paper, so starting every
worksheet on an odd page means no pupil gets the end of one sheet on the back of another.

pikepdf (qpdf) does the merging and stamping. Pages are copied one sheet at a time, keeping
one copy of each identical object: a font every sheet embeds, or a variant's drawing that
thirty pupils' named copies share, is stored once. So a class's print file is little bigger
than its distinct pages, and merging holds one sheet in memory at a time, however big the class.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf

from worksheetgen.output import write_atomic_with

CARDS_TITLE = "Cut-out cards"  # the renderer's bookmark on the page where a card sheet starts

# The same input always gives the same bytes (deterministic_id); streams are written as they
# are, already compressed by reportlab (decoding and compressing again took four fifths of a save).
SAVE: dict[str, Any] = {
    "deterministic_id": True,
    "stream_decode_level": pikepdf.StreamDecodeLevel.none,
    "compress_streams": False,
}


@dataclass(frozen=True)
class Part:
    """One sheet to merge: what the contents page calls it, its PDF (bytes or a file), and its
    page count if already known (saves opening the file twice)."""

    label: str
    detail: str
    pdf: bytes | Path
    pages: int | None = None


@dataclass(frozen=True)
class Entry:
    """A contents line: the part and the pages it occupies in the merged file."""

    label: str
    detail: str
    first: int
    last: int
    cards: int = 0  # the page its card sheet (to cut out) starts on; 0: none


def page_count(pdf: bytes | Path) -> int:
    with _open(pdf) as document:
        return len(document.pages)


def next_odd(page: int) -> int:
    return page if page % 2 else page + 1


def layout_entries(
    parts: list[Part], counts: list[int], contents_pages: int, cards: list[int] | None = None
) -> list[Entry]:
    """Where each part starts and ends, each starting on an odd page after the contents, and
    where its card sheet starts (`cards`: the page within the part, 0 for none)."""
    entries = []
    page = next_odd(contents_pages + 1)
    for part, count, card in zip(parts, counts, cards or [0] * len(parts), strict=True):
        entries.append(Entry(part.label, part.detail, page, page + count - 1, page + card - 1 if card else 0))
        page = next_odd(page + count)
    return entries


def card_sheet_page(document: pikepdf.Pdf) -> int:
    """The page (from 1) where a sheet's cut-out cards start, found by the renderer's bookmark; 0: none."""
    if "/Outlines" not in document.Root:
        return 0
    with document.open_outline() as outline:
        for item in outline.root:
            if item.title == CARDS_TITLE and isinstance(item.destination, pikepdf.Array):
                return int(document.pages.index(pikepdf.Page(item.destination[0]))) + 1
    return 0


Contents = Callable[[list[Entry]], bytes]
CONTENTS_LINES = 30  # rows on a contents page (A4: about 30 under the title, 38 after): a first guess, then checked


def merge_for_duplex(parts: list[Part], contents: Contents) -> tuple[bytes, list[Entry]]:
    """Contents first, then every part on an odd page, blank backs where needed; bookmarks per part."""
    buffer = io.BytesIO()
    with PrintFile() as merged:
        for part in parts:
            merged.add(part)
        entries = merged.write(contents, buffer)
    return buffer.getvalue(), entries


def write_print_file(path: Path, parts: list[Part], contents: Contents) -> list[Entry]:
    """`merge_for_duplex` straight into a file (atomically)."""
    with PrintFile() as merged:
        for part in parts:
            merged.add(part)
        return merged.save(path, contents)


class PrintFile:
    """A print file built a sheet at a time, as the sheets are written: each is copied in and
    closed before the next, so memory holds only what the file itself holds. The contents
    page goes in front at the end, when every sheet's place is known; the file takes its
    title and language from it."""

    def __init__(self) -> None:
        self.merged = pikepdf.new()
        self.copier = _Copier(self.merged)
        self.parts: list[Part] = []
        self.counts: list[int] = []
        self.cards: list[int] = []

    def __enter__(self) -> PrintFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.merged.close()

    def add(self, part: Part) -> None:
        """Copy a sheet in, on the page where it starts (counted as if there were no contents).

        A card sheet to cut out starts on an odd page of its own, and every page of cards has a
        blank back: cutting out cards printed back to back would cut through the cards behind
        them (the cards run to the end of the sheet)."""
        with _open(part.pdf) as source:
            pages = self.copier.pages(source)
            cards = card_sheet_page(source)
        if cards:
            pages, cards = self._cards_on_their_own_leaves(pages, cards)
        _pad(self.merged, layout_entries([*self.parts, part], [*self.counts, len(pages)], 0)[-1].first - 1)
        self.merged.pages.extend(pages)
        self.parts.append(part)
        self.counts.append(len(pages))
        self.cards.append(cards)

    def _cards_on_their_own_leaves(self, pages: list[pikepdf.Page], cards: int) -> tuple[list[pikepdf.Page], int]:
        """The sheet's pages with blanks so each card page is the front of a leaf with a blank back;
        where the cards now start."""
        head, card_pages = pages[: cards - 1], pages[cards - 1 :]
        box = card_pages[0].mediabox
        if len(head) % 2:
            head.append(_blank(self.merged, box))
        spaced: list[pikepdf.Page] = []
        for number, page in enumerate(card_pages):
            spaced += [_blank(self.merged, box), page] if number else [page]
        return head + spaced, len(head) + 1

    def save(self, path: Path, contents: Contents) -> list[Entry]:
        entries: list[Entry] = []
        write_atomic_with(path, lambda handle: entries.extend(self.write(contents, handle)))
        return entries

    def write(self, contents: Contents, out: BinaryIO) -> list[Entry]:
        """The contents in front (with a blank back if it ends on an odd page), bookmarks, saved."""
        merged = self.merged
        contents_pdf, entries = _contents_that_fit(self.parts, self.counts, self.cards, contents)
        with _open(contents_pdf) as first:
            front = self.copier.pages(first)
            if "/Lang" in first.Root:
                merged.Root.Lang = first.Root.Lang
            merged.trailer.Info = merged.make_indirect(self.copier.copy_direct(first.docinfo))
        lead = entries[0].first - 1 if entries else len(front)  # pages before the first sheet
        for place, page in enumerate(front):
            merged.pages.insert(place, page)
        for place in range(len(front), lead):
            merged.pages.insert(place, _blank(merged, merged.pages[place - 1].mediabox))
        _pad(merged, len(merged.pages) + len(merged.pages) % 2)
        with merged.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(f"{e.label} ({e.detail})", e.first - 1) for e in entries)
        merged.save(out, **SAVE)
        return entries


def _open(pdf: bytes | Path) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def _contents_that_fit(
    parts: list[Part], counts: list[int], cards: list[int], contents: Contents
) -> tuple[bytes, list[Entry]]:
    """The contents page(s) and the entries they list: the page numbers depend on how many
    pages the contents take, so lay out again until the two agree (usually at once: a first
    guess from the number of lines)."""
    pages = max(1, -(-len(parts) // CONTENTS_LINES))
    for _ in range(4):
        entries = layout_entries(parts, counts, pages, cards)
        pdf = contents(entries)
        took = page_count(pdf)
        if took == pages:
            break
        pages = took
    return pdf, entries


def _pad(document: pikepdf.Pdf, pages: int) -> None:
    """Blank pages (the size of the last one) until the document has `pages` pages."""
    while len(document.pages) < pages:
        document.pages.append(_blank(document, document.pages[-1].mediabox))


def _blank(document: pikepdf.Pdf, box: pikepdf.Array) -> pikepdf.Page:
    """An empty page: the back of a sheet that ends on an odd page."""
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=pikepdf.Array(box), Resources=pikepdf.Dictionary())
    return pikepdf.Page(document.make_indirect(page))


class _Copier:
    """Copies pages into one PDF, storing each distinct object once.

    Every object is copied with its data at once (so its source can be closed straight away)
    and looked up by what it holds: its dictionary, after its own references are copied, and
    a hash of its stream data. Identical fonts and drawings from different sheets become one.
    """

    def __init__(self, target: pikepdf.Pdf) -> None:
        self.target = target
        self.known: dict[bytes, pikepdf.Object] = {}

    def pages(self, source: pikepdf.Pdf) -> list[pikepdf.Page]:
        """The source's pages as pages of the target, not yet placed in it."""
        copied: dict[tuple[int, int], pikepdf.Object] = {}  # this source's objects, by number
        pages = []
        for page in source.pages:
            fields = {key: self._copy(value, copied) for key, value in page.obj.items() if key != "/Parent"}
            pages.append(pikepdf.Page(self.target.make_indirect(pikepdf.Dictionary(fields))))
        return pages

    def copy_direct(self, value: pikepdf.Object) -> pikepdf.Object:
        return self._container(value, {})

    def _copy(self, value: object, copied: dict[tuple[int, int], pikepdf.Object]) -> object:
        if not isinstance(value, pikepdf.Object):
            return value  # numbers, booleans and null come out of pikepdf as plain Python values
        if value.is_indirect:
            if value.objgen not in copied:
                copied[value.objgen] = self._shared(value, copied)
            return copied[value.objgen]
        return self._container(value, copied)

    def _container(self, value: pikepdf.Object, copied: dict[tuple[int, int], pikepdf.Object]) -> pikepdf.Object:
        """A direct dictionary or array with its references copied; names and strings as they are."""
        if not isinstance(value, pikepdf.Dictionary | pikepdf.Array):
            return value
        text = value.unparse()
        if b" R" not in text:  # no references inside (a font's widths): copied whole, by qpdf
            return pikepdf.Object.parse(text)
        if isinstance(value, pikepdf.Array):
            return pikepdf.Array([self._copy(item, copied) for item in value])
        return pikepdf.Dictionary({key: self._copy(item, copied) for key, item in value.items()})

    def _shared(self, value: pikepdf.Object, copied: dict[tuple[int, int], pikepdf.Object]) -> pikepdf.Object:
        """The target's one copy of an indirect object, made the first time it is seen."""
        if isinstance(value, pikepdf.Stream):
            data = value.read_raw_bytes()
            head = value.stream_dict.unparse()
            fields = None if b" R" not in head else self._fields(value, copied)  # most hold plain values
            head = head.replace(b"/Filter [ /FlateDecode ]", b"/Filter /FlateDecode") if fields is None else b""
            key = b"S" + (head or pikepdf.Dictionary(fields).unparse()) + hashlib.sha256(data).digest()
            if key not in self.known:
                stream = pikepdf.Stream(self.target, data)
                for name, item in (fields or self._fields(value, copied)).items():
                    stream[name] = item
                self.known[key] = stream
            return self.known[key]
        made = self._container(value, copied)
        if isinstance(made, pikepdf.Dictionary) and made.get("/Type") == pikepdf.Name.Font and "/Name" in made:
            del made["/Name"]  # obsolete, and differs between sheets (F1, F2 ...) for the same font
        key = b"O" + made.unparse()
        if key not in self.known:
            self.known[key] = self.target.make_indirect(made)
        return self.known[key]

    def _fields(self, stream: pikepdf.Stream, copied: dict[tuple[int, int], pikepdf.Object]) -> dict[str, object]:
        """A stream's dictionary, copied, without the length (set from the data)."""
        return {k: _single(self._copy(v, copied)) for k, v in stream.stream_dict.items() if k != "/Length"}


def _single(value: object) -> object:
    """`[/FlateDecode]` as `/FlateDecode`: reportlab writes a filter list of one, qpdf a name."""
    return value[0] if isinstance(value, pikepdf.Array) and len(value) == 1 else value


def stamp_copies(base: bytes, stamps: bytes) -> Iterator[bytes]:
    """A copy of `base` for each run of its page count in `stamps`, each stamp page drawn on top
    of the matching base page: each pupil's name on their copy of a sheet.

    A stamp page goes in as a form under a fixed name, so the same input always gives the
    same bytes (pikepdf's own add_overlay picks a random name)."""
    with pikepdf.open(io.BytesIO(stamps)) as overlay:
        pages = page_count(base)
        for start in range(0, len(overlay.pages), pages):
            with pikepdf.open(io.BytesIO(base)) as document:
                for page, top in zip(document.pages, overlay.pages[start : start + pages], strict=True):
                    form = document.copy_foreign(top.as_form_xobject())
                    name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/WsgStamp"))
                    page.contents_add(b"q\n", prepend=True)
                    page.contents_add(b"\nQ q " + bytes(name.unparse()) + b" Do Q\n")
                yield _save(document)


def _save(document: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    document.save(out, **SAVE)
    return out.getvalue()
