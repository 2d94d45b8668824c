"""The PDF's faces: registered once per process, each with the set of characters it has.

A readable face (Andika) lacks some symbols; DejaVu Sans is the fallback for them, and a
character neither face has is refused before anything is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import groupby

from reportlab.pdfbase import pdfmetrics

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import Typeface
from worksheetgen.render.subsets import SharedSubsetFont
from worksheetgen.resources import font_file
from worksheetgen.textclean import xml_escape as escape

FALLBACK = "WSG-DejaVu"  # DejaVu Sans covers what a readable face lacks (shapes, Greek, ...)
FACES = {
    Typeface.sans: ("WSG-DejaVu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    Typeface.readable: ("WSG-Andika", "Andika-Regular.ttf", "Andika-Bold.ttf"),
}


@dataclass(frozen=True)
class Fonts:
    """The registered primary face, its bold, and the characters it has."""

    regular: str
    bold: str
    cmap: frozenset[int]
    fallback_cmap: frozenset[int]

    @cached_property
    def printable(self) -> frozenset[str]:
        """The characters the primary face has, as characters (to check text a set at a time)."""
        return frozenset(map(chr, self.cmap))

    def face_for(self, text: str) -> str:
        """The primary face if it has every character, else the fallback (for one-line furniture)."""
        return self.regular if all(ord(c) in self.cmap for c in text) else FALLBACK

    def markup(self, text: str, box: float = 0.0) -> str:
        """Escaped Paragraph markup; runs of characters the primary face lacks use the fallback,
        and a tick box is drawn `box` points (the type size; TICK_BOX_SIZE if 0)."""
        if self.cmap.issuperset(map(ord, text)):
            return _tick_boxes(escape(text), box)
        out = []
        for fallback, run in groupby(text, key=lambda c: ord(c) not in self.cmap and not c.isspace()):
            chunk = escape("".join(run))
            out.append(f'<font face="{FALLBACK}">{chunk}</font>' if fallback else chunk)
        return _tick_boxes("".join(out), box)


TICK_BOX = "☐"
TICK_BOX_SIZE = 20  # pt: DejaVu Sans draws the box 0.72 em square, so 5.1 mm
TICK_BOX_EM = 0.72  # the side of DejaVu Sans's box, in em


def tick_box_size(side: d.Mm) -> float:
    """The type size (pt) at which DejaVu Sans draws a tick box at least `side` square."""
    return float(math.ceil(side.pt / TICK_BOX_EM))


def _tick_boxes(markup: str, box: float = 0.0) -> str:
    size = f"{box or TICK_BOX_SIZE:g}"
    return markup.replace(TICK_BOX, f'<font size="{size}">{TICK_BOX}</font>') if TICK_BOX in markup else markup


@lru_cache(maxsize=2)
def fonts_for(typeface: Typeface) -> Fonts:
    """Register a face (and DejaVu Sans as fallback) once per process."""
    fallback = _register(*FACES[Typeface.sans])
    primary = _register(*FACES[typeface])
    return Fonts(FACES[typeface][0], FACES[typeface][0] + "-Bold", primary, fallback)


@lru_cache(maxsize=2)
def _register(name: str, regular_file: str, bold_file: str) -> frozenset[int]:
    regular = SharedSubsetFont(name, str(font_file(regular_file)))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(SharedSubsetFont(name + "-Bold", str(font_file(bold_file))))
    bold = name + "-Bold"
    pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name, boldItalic=bold)
    return frozenset(regular.face.charToGlyph)


def check_glyphs(document: d.Document, fonts: Fonts) -> None:
    """Refuse to print characters no font has (they would come out as black boxes)."""
    meta = document.meta
    check_text([*d.iter_text(document.blocks), meta.title, meta.key_question, meta.credit, meta.header_label], fonts)


def check_text(texts: Iterable[str], fonts: Fonts) -> None:
    missing: dict[str, str] = {}
    for text in texts:
        lacking = set(text) - fonts.printable  # a set at a time: usually empty
        for char in dict.fromkeys(c for c in text if c in lacking):  # in reading order
            if ord(char) not in fonts.fallback_cmap and not char.isspace():
                missing.setdefault(char, text)
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X}) in {t[:40]!r}" for c, t in missing.items())
        raise RenderError(f"the PDF fonts have no glyph for: {listed}; replace these characters")
