"""Print layout shared by both renderers: paper, margins, type sizes and writing-line pitch.

Values follow PEDAGOGY.md (print defaults and the cross-form tier table). A Letter page is
laid out for its own size (reflowed), never scaled from A4.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheetgen.document import Mm, Tier

GAP_RULE = "_" * 14  # a fixed-width blank: gap length never gives away word length

PAPER_SIZES = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}


@dataclass(frozen=True)
class Layout:
    paper: str
    body_size: float  # pt
    line_spacing: float  # multiple of the font size
    line_pitch: Mm  # distance between writing lines
    margin_side: Mm = Mm(20)
    margin_top: Mm = Mm(15)  # page edge to the header
    margin_bottom: Mm = Mm(15)  # page edge to the footer
    body_top: Mm = Mm(30)  # page edge to the content
    body_bottom: Mm = Mm(25)

    @property
    def size(self) -> tuple[Mm, Mm]:
        return PAPER_SIZES[self.paper]


def layout_for(tier: Tier, paper: str = "a4") -> Layout:
    """Support gets bigger type and wider writing lines (PEDAGOGY.md 1.8)."""
    if tier is Tier.support:
        return Layout(paper, body_size=14, line_spacing=1.5, line_pitch=Mm(10))
    return Layout(paper, body_size=12, line_spacing=1.5, line_pitch=Mm(8))
