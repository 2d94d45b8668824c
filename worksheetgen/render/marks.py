"""The DRAFT mark of a sheet built with `--draft` from unfinished content, drawn on a PDF page.

Large, diagonal and pale, with transparency: visible across the room, never hiding the text
under it. The footer of every page says it too, in words (`Meta.footer_label`), and a Word
file says it in its header, so a draft cannot be mistaken for a finished sheet in any format.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

WORD = "DRAFT"
SHADE = colors.Color(0.85, 0.1, 0.1)
ALPHA = 0.13  # pale enough to read any text beneath it
ANGLE = 40


def draw_draft(canvas: Canvas, face: str) -> None:
    """A diagonal DRAFT across the middle of the page, as wide as most of the page allows."""
    width, height = canvas._pagesize
    size = 0.75 * width / max(1.0, pdfmetrics.stringWidth(WORD, face, 1))
    canvas.saveState()
    canvas.setFillColor(SHADE)
    canvas.setFillAlpha(ALPHA)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(ANGLE)
    canvas.setFont(face, size)
    canvas.drawCentredString(0, -size / 3, WORD)
    canvas.restoreState()
