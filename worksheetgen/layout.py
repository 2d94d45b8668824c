"""Print layout shared by both renderers: paper, profile, type sizes and writing-line pitch.

Values follow PEDAGOGY.md (print defaults, the cross-form tier table, and §3 on dyslexia and
large print). A Letter page is laid out for its own size (reflowed), never scaled from A4;
a large-print sheet runs onto more pages rather than shrinking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from worksheetgen.choices import Profile as Profile  # its home, so that --help need not load this module
from worksheetgen.document import Mm, Tier

TICK_BOX = "☐"
TICK_BOX_EM = 0.72  # DejaVu Sans (the PDF's face, LibreOffice's fallback for it) draws the box 0.72 em square
GAP_RULE = "_" * 14  # a fixed-width blank: gap length never gives away word length

PAPER_SIZES = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}


class Typeface(StrEnum):
    """Neutral font choices; each renderer maps them to a real font."""

    sans = "sans"  # DejaVu Sans in PDF, Arial in DOCX
    readable = "readable"  # Andika (designed for literacy) in PDF and DOCX; Word falls back to Verdana


@dataclass(frozen=True)
class PrintSettings:
    """How to print: one value object passed from the command line to the renderers."""

    paper: str = "a4"
    profile: Profile = Profile.standard
    cream: bool = False


DEFAULT_PRINT = PrintSettings()  # A4, standard profile, white paper


@dataclass(frozen=True)
class Layout:
    TEMPLATE_CALLS: ClassVar[tuple[str, ...]] = ("diamond",)  # methods a template may call (sandbox.py)

    paper: str
    body_size: float  # pt
    line_spacing: float  # multiple of the font size
    line_pitch: Mm  # distance between writing lines
    typeface: Typeface = Typeface.sans
    letter_spacing: float = 0.0  # pt added between characters (DOCX; see README for PDF)
    small_size: float = 10  # notes and table captions; never below body size in access profiles
    cream: bool = False
    min_size: float = 0.0  # the smallest type the profile allows anywhere on the page (0: no rule)
    margin_side: Mm = Mm(20)
    margin_top: Mm = Mm(15)  # page edge to the header
    margin_bottom: Mm = Mm(15)  # page edge to the footer
    body_top: Mm = Mm(30)  # page edge to the content
    body_bottom: Mm = Mm(25)

    @property
    def size(self) -> tuple[Mm, Mm]:
        return PAPER_SIZES[self.paper]

    def diamond(self, tier: str) -> Diamond:
        """The diamond nine's boxes and the gaps between them for a tier (see `Diamond`)."""
        return _diamond(self, tier)

    @property
    def tick_box(self) -> Mm:
        """The side of a printed tick box: 5 mm to tick with a pen, 7 mm in large print."""
        return Mm(7 if self.body_size >= 16 else 5)

    @property
    def tick_box_size(self) -> float:
        """The type size (pt) at which a tick box prints `tick_box` square (the DOCX's Tick Box style)."""
        return float(math.ceil(self.tick_box.pt / TICK_BOX_EM))

    @property
    def header_size(self) -> float:
        """The name line (or TEACHER COPY): smaller than the body, never below the profile's least."""
        return max(10.0, self.small_size - 2, self.min_size)

    @property
    def footer_size(self) -> float:
        """Footer and page numbers: small on a standard sheet, the profile's least otherwise."""
        return max(8.0, self.min_size)

    @property
    def marker_size(self) -> float:
        return max(14.0, self.min_size)

    @property
    def frame_width(self) -> Mm:
        """The width the body text may use: between the side margins."""
        return Mm(self.size[0].value - 2 * self.margin_side.value)

    @property
    def list_indent(self) -> Mm:
        """How far a numbered list's text sits from its number (room for "10.")."""
        return Mm(self.body_size * 0.6)

    def word_bank_columns(self, words: int) -> int:
        """Columns of a word bank: four for a long bank, three at most in large print so a
        long word still fits its column."""
        columns = 4 if words > 6 else max(1, min(3, words))
        return min(columns, 3) if self.body_size >= 16 else columns

    @property
    def frame_height(self) -> Mm:
        """The height the body text may use on one page."""
        return Mm(self.size[1].value - self.body_top.value - self.body_bottom.value)


@dataclass(frozen=True)
class Diamond:
    """A diamond nine's geometry in mm: its boxes, and the gaps between them where the challenge
    tier draws and labels arrows. A cut-out card is exactly a box's size."""

    TEMPLATE_CALLS: ClassVar[tuple[str, ...]] = ("columns",)

    box_width: float
    box_height: float
    row_gap: float  # between rows of boxes (0: none)
    column_gap: float  # between boxes side by side (0: they share an edge)

    def columns(self) -> str:
        """A table's `widths` (relative, mm) in which rows of 1, 2 and 3 boxes, the gaps between
        them, make a diamond: nine columns, each box 2 or 3 of them wide (see diamond-nine.j2)."""
        box, gap = self.box_width, self.column_gap
        half, rest = (box + gap) / 2, (box - gap) / 2
        return ",".join(f"{w:.1f}" for w in (half, rest, gap, rest, gap, rest, gap, rest, half))


def _diamond(layout: Layout, tier: str) -> Diamond:
    """Large print boxes are taller (16 pt card titles), and support's (a line under each card's
    title says what the cause was, at 14 pt). Challenge leaves room for arrows between
    boxes side by side and between rows; in large print a card title already needs the whole
    third of the page, so only the rows are apart (on Letter, 18 mm shorter, hardly)."""
    large = layout.body_size >= 16
    challenge = 32 if layout.body_size > 12 else 30  # dyslexia's 13 pt: a two-line title and tick boxes
    height = (41.5 if layout.paper == "letter" else 42) if large else 36 if tier == "support" else challenge
    if tier != "challenge":
        return Diamond(layout.frame_width.value / 3, height, 0, 0)
    if large:
        return Diamond(layout.frame_width.value / 3, height, 1 if layout.paper == "letter" else 6, 0)
    column_gap = 10  # room for an arrow; boxes stay 50 mm wide (PEDAGOGY: about 55 x 30 mm)
    return Diamond((layout.frame_width.value - 2 * column_gap) / 3, height, 10, column_gap)


def layout_for(tier: Tier, settings: PrintSettings = DEFAULT_PRINT) -> Layout:
    """Type size and spacing for a tier under a print profile (PEDAGOGY.md 1.8 and 3)."""
    support = tier is Tier.support
    paper, cream = settings.paper, settings.cream
    if settings.profile is Profile.dyslexia:
        size = 14 if support else 13
        return Layout(
            paper,
            size,
            1.5,
            Mm(10 if support else 9),
            Typeface.readable,
            letter_spacing=0.5,
            small_size=size if support else 12,  # a support pupil reads nothing below 14 pt
            cream=cream,
            min_size=12,
        )
    if settings.profile is Profile.large_print:
        size = 18 if support else 16
        return Layout(paper, size, 1.5, Mm(12), Typeface.sans, small_size=16, cream=cream, min_size=16)
    size = 14 if support else 12
    # Support: evidence lists, sentence starters and pre-placed events are read, never below 14 pt.
    return Layout(paper, size, 1.5, Mm(10 if support else 8), small_size=size if support else size - 2, cream=cream)


def kept_tail(rows: int) -> int:
    """How many of a table's last rows move to a new page together when the table splits: a
    page never holds one lone row or card of a table (the 1940 row of a timeline, a seventh
    card), and a longer table carries a quarter of its rows, up to three. 0: the table is too
    short to split sensibly at all (then it moves whole, as any short table does)."""
    if rows < 3:
        return 0
    return min(3, max(2, rows // 4))


def column_widths(relative: Sequence[float], minimum: Sequence[float], total: float) -> list[float]:
    """Absolute column widths in proportion to `relative`, but none narrower than its minimum
    (the longest word it holds, at the profile's size, plus padding: a word is never split).

    A column that is too narrow takes what it lacks from the others, in proportion to what they
    have to spare. If the minimums add up to more than the total (a word wider than the page),
    each column gets the mean of its proportional width and its share of the minimums: none is
    left without room, and the widest words break inside their cells."""
    share = sum(relative) or 1.0
    widths = [total * r / share for r in relative]
    need = sum(minimum)
    if need >= total:
        return [(w + total * m / need) / 2 for w, m in zip(widths, minimum, strict=True)]
    for _ in range(len(widths)):
        short = [i for i, (w, m) in enumerate(zip(widths, minimum, strict=True)) if w < m - 0.01]
        if not short:
            break
        lacking = sum(minimum[i] - widths[i] for i in short)
        for i in short:
            widths[i] = minimum[i]
        spare = {i: widths[i] - minimum[i] for i in range(len(widths)) if i not in short}
        room = sum(spare.values())
        for i, extra in spare.items():
            widths[i] -= lacking * extra / room
    return widths
