"""What every PDF block needs: fonts, paragraph styles, the layout, and the table padding.

Kit is handed down the block tree (a cell gets a copy with the cell styles), so the renderer's
modules share one set of styles rather than each making its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, TableStyle

from worksheetgen.layout import Layout
from worksheetgen.render.pdfflowables import PdfParagraph, TickedParagraph
from worksheetgen.render.pdffonts import TICK_BOX, Fonts, tick_box_size

TINT = colors.Color(0.9, 0.9, 0.9)


@dataclass(frozen=True)
class Kit:
    """What every block needs to become flowables: fonts, paragraph styles and the layout."""

    fonts: Fonts
    styles: dict[str, ParagraphStyle]
    layout: Layout
    in_cell: bool = False  # KeepTogether cannot live inside a table cell
    instructions: bool = False  # numbered lists are a pupil sheet's instructions: kept with their task

    @property
    def box(self) -> float:
        """The type size of a tick box: the layout's side (5 mm; 7 mm in large print)."""
        return tick_box_size(self.layout.tick_box)

    def keep_together(self, flowables: list[Flowable]) -> list[Flowable]:
        return flowables if self.in_cell else [KeepTogether(flowables)]

    def para(self, text: str, style: str, bold: bool = False) -> PdfParagraph:
        markup = self.fonts.markup(text, self.box)
        return ticked(f"<b>{markup}</b>" if bold else markup, boxed(self.styles[style], markup))

    def with_cell_style(self, align: str) -> Kit:
        cell = self.styles["cell_center" if align == "center" else "cell"]
        small = self.styles["cell_small"]
        return replace(self, styles={**self.styles, "body": cell, "key": cell, "small": small}, in_cell=True)


def boxed(style: ParagraphStyle, markup: str, *, spaced: bool = False) -> ParagraphStyle:
    """The style, or for a paragraph holding a 5 mm tick box, the style with lines that grow to fit it.

    `spaced` (with SpacedParagraph): growing lines ("max" auto leading) set the last line a sixth
    of the leading above its foot, where a plain paragraph leaves the leading less the type size
    below its last line; the difference is added after the paragraph, so its last line is as far
    from the next paragraph as a plain paragraph's would be (an instruction's wrapped line never
    crowds the next instruction)."""
    if TICK_BOX not in markup:
        return style
    if not spaced:
        return ParagraphStyle(style.name + "-boxed", parent=style, autoLeading="max")
    _, descent = pdfmetrics.getAscentDescent(style.fontName, style.fontSize)
    leading = style.leading
    lost = max(0.0, (leading - style.fontSize) - max(leading / 6, -descent))
    return ParagraphStyle(style.name + "-boxed", parent=style, autoLeading="max", spaceAfter=style.spaceAfter + lost)


def ticked(markup: str, style: ParagraphStyle) -> PdfParagraph:
    """A paragraph; one holding a tick box is drawn exactly inside its height (TickedParagraph).
    Its growing lines are drawn lower than reportlab counts them, by more the bigger the box is
    beside the text (7 mm in large print): counted, its last line would sit on the border of the
    box, cell or table below it."""
    return (TickedParagraph if TICK_BOX in markup else PdfParagraph)(markup, style)


def paragraph_styles(layout: Layout, fonts: Fonts) -> dict[str, ParagraphStyle]:
    """Paragraph styles for the layout's type size; headings are bold, nothing is italic."""
    size, small = layout.body_size, layout.small_size
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        bulletFontName=fonts.regular,
        bulletFontSize=size,
        fontSize=size,
        leading=size * layout.line_spacing,
        alignment=TA_LEFT,
        spaceAfter=size * 0.5,
        # No paragraph leaves one line alone at the foot of a page (orphan) or at the top of the
        # next (widow): a key's paragraph once opened a Letter page with "1937 quotas." alone.
        allowWidows=0,
        allowOrphans=0,
    )
    bold = {"parent": base, "fontName": fonts.bold}
    return {
        "body": base,
        "instruction": ParagraphStyle("instruction", parent=base, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=small, leading=small * 1.3, allowWidows=1),
        "key": ParagraphStyle("key", parent=base),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=2, leading=size * 1.3),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=small, leading=small * 1.3, spaceAfter=2),
        "cell_center": ParagraphStyle(
            "cell_center", parent=base, spaceAfter=2, leading=size * 1.3, alignment=TA_CENTER
        ),
        "title": ParagraphStyle("title", **bold, fontSize=size + 8, leading=(size + 8) * 1.2, spaceAfter=2),
        "question": ParagraphStyle("question", **bold, fontSize=size + 2, leading=(size + 2) * 1.3, spaceAfter=size),
        "h1": ParagraphStyle(
            "h1", **bold, fontSize=size + 3, leading=(size + 3) * 1.3, spaceBefore=size * 0.6, spaceAfter=size * 0.4
        ),
        "h2": ParagraphStyle(
            "h2", **bold, fontSize=size + 1, leading=(size + 1) * 1.3, spaceBefore=size * 0.4, spaceAfter=size * 0.3
        ),
    }


def table_style(kit: Kit, commands: list[tuple[object, ...]]) -> TableStyle:
    """Every table uses our embedded font, even for empty cells (else reportlab adds Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), kit.fonts.regular), *commands])


PAD_X, PAD_TOP, PAD_BOTTOM = 6, 4, 5
TIGHT_PAD = (
    2  # points above a cell's text in a `rows="tight"` table; below it, only its 2 pt space after (DOCX: TIGHT_MARGIN)
)
