"""Font subsets that every PDF of a run shares, so a print file merged from them embeds each face once.

reportlab embeds a TrueType font as subsets of up to 256 characters, numbered in the order a
document first uses them, so two sheets embed different subsets of the same face. Within
`share_glyphs`, each document's subsets start with the run's characters in a fixed order:
the embedded fonts come out byte-identical across the run's sheets, and the print file's
merge keeps one copy (`printfile`). Characters outside the shared set still print, in a
subset of the sheet's own after the shared ones.

Since the run's PDFs embed the same subsets, each is made and compressed once per process
and kept (`_Face`): the same bytes as making it again, without the cost.
"""

from __future__ import annotations

from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

_SHARED: ContextVar[str] = ContextVar("shared_glyphs", default="")


def share_glyphs(characters: str) -> None:
    """Give every PDF rendered from now on (in this thread) subsets that start with these
    characters, in code-point order; '' returns to reportlab's own order."""
    _SHARED.set("".join(sorted(set(characters))))


class SharedSubsetFont(TTFont):  # type: ignore[misc]
    """A TTFont whose subsets in each document start with the shared characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.face.__class__ = _Face
        self.face.made = OrderedDict()

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        if doc not in self.state and _SHARED.get():
            have = self.face.charToGlyph
            super().splitString("".join(c for c in _SHARED.get() if ord(c) in have), doc)
            state = self.state[doc]
            state.nextCode = (state.nextCode + 255) & ~255  # the sheet's own characters: the next subset
        return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]


KEPT = 16  # subsets kept per face, and compressed font files kept (a run uses a few)


class _Flate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """reportlab's Flate filter for embedded font files, remembering the last few it compressed."""

    def __init__(self) -> None:
        self.done: OrderedDict[bytes, bytes] = OrderedDict()

    def encode(self, text: bytes | str) -> bytes:
        if not isinstance(text, bytes):
            return super().encode(text)  # type: ignore[no-any-return]
        found = self.done.get(text)  # the same bytes object each time: its hash is kept with it
        if found is None:
            found = self.done[text] = super().encode(text)
            while len(self.done) > KEPT:
                self.done.popitem(last=False)
        return found


_FLATE = _Flate()


class _Face(TTFontFace):  # type: ignore[misc]
    """A font face that makes each subset once and has its font file compressed once."""

    made: OrderedDict[tuple[int, ...], bytes]

    def makeSubset(self, subset: list[int]) -> bytes:  # noqa: N802 (reportlab's name)
        key = tuple(subset)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = super().makeSubset(subset)
            while len(self.made) > KEPT:
                self.made.popitem(last=False)
        return found

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:  # noqa: N802
        reference = super().addSubsetObjects(doc, fontname, subset)
        stream = getattr(doc, "idToObject", {}).get(f"fontFile:{self.filename}({fontname})")
        if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [_FLATE]  # the same filter name in the PDF, and the same bytes
        return reference


_REPORTLABS_CMAP = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap (what copying text out of the PDF gives), with a character
    past U+FFFF written as UTF-16, a surrogate pair, as PDF asks: reportlab wrote U+1F600 (😀,
    in a pupil's name) as `<1F600>`, which readers take as U+1F60 (`ὠ`)."""
    cmap: str = _REPORTLABS_CMAP(fontname, subset)
    for code, point in enumerate(subset):
        if point > 0xFFFF:
            utf16 = chr(point).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"\n<{code:02X}> <{point:04X}>\n", f"\n<{code:02X}> <{utf16}>\n", 1)
    return cmap


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up by name when a font's objects are added
