"""The checkers themselves must catch what they look for (a check that cannot fail is no check)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.readback import chars_crossing_lines, chars_outside, embedded_fonts, overprinted_chars


def test_checkers_catch_overflow_crossing_and_unembedded_fonts(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(200, 400, "crossed")
    canvas.line(215, 390, 215, 420)  # a cell border through the text
    canvas.drawString(560, 300, "overflow")  # runs past the right edge
    canvas.drawString(100, 600, "first row")
    canvas.drawString(104, 603, "spilled")  # text drawn over other text
    canvas.save()
    assert chars_crossing_lines(path) == ["page 1: 'o' at (210, 432)"]
    assert chars_outside(path, margin_mm=15)
    assert embedded_fonts(path) == {"/Helvetica": False}
    assert overprinted_chars(path) and all("page 1" in hit for hit in overprinted_chars(path))
