"""The checkers themselves must catch what they look for (a check that cannot fail is no check)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.readback import chars_crossing_lines, chars_outside, embedded_fonts, overprinted_chars, pdf_text, pdf_words


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


def test_pdfium_reads_the_same_words_as_pypdf(tmp_path: Path) -> None:
    """`pdf_words` stands in for `pdf_text` where many files are read: it must see the same words, debris too."""
    path = tmp_path / "words.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "The **Tsar** fell [[1917]] see https://example.org")
    canvas.showPage()
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "Page two: x < y & z")
    canvas.save()
    assert sorted(pdf_words(path).split()) == sorted(pdf_text(path).split())
    assert "**Tsar**" in pdf_words(path) and "[[1917]]" in pdf_words(path) and "x < y & z" in pdf_words(path)


def test_a_character_past_u_ffff_reads_back_as_itself(tmp_path: Path) -> None:
    """Attacker review W8: `Ann 😀` (a roster name) printed, but reportlab's ToUnicode map wrote
    U+1F600 as <1F600>, which readers took as U+1F60: copying the name gave `Ann ὠ`."""
    from reportlab.pdfbase import pdfmetrics

    import worksheetgen
    from worksheetgen.render.subsets import SharedSubsetFont

    font = SharedSubsetFont("EmojiTest", str(Path(worksheetgen.__file__).parent / "fonts" / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(font)
    path = tmp_path / "name.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("EmojiTest", 14)
    canvas.drawString(100, 700, "Ann \U0001f600 Smith")
    canvas.save()
    assert "Ann \U0001f600 Smith" in pdf_text(path) and "\u1f60" not in pdf_text(path)
    assert "\U0001f600" in pdf_words(path)


def test_pdf_pages_reads_what_pdfplumber_reads(tmp_path: Path, pack_out: Path) -> None:
    """`pdf_pages` reads pdfminer's layout itself (half pdfplumber's time): the same characters,
    coordinates, fonts and edges as pdfplumber, on sheets with tables, boxes and writing lines,
    large print and a form XObject (the DRAFT mark) included."""
    from tests.readback import pdf_pages, pdfplumber_pages

    path = tmp_path / "figure.pdf"
    canvas = Canvas(str(path), pagesize=(500, 700))
    canvas.beginForm("mark")
    canvas.setFont("Helvetica", 30)
    canvas.drawString(100, 100, "DRAFT")
    canvas.rect(90, 90, 200, 50)
    canvas.endForm()
    canvas.doForm("mark")
    canvas.setFont("Helvetica", 12)
    canvas.drawString(50, 600, "text")
    canvas.line(40, 590, 300, 590)
    canvas.save()
    sheets = [path, *(pack_out / f"stalins-purges_{kind}_support_key.pdf" for kind in ("causation-grid", "timeline"))]
    sheets += [pack_out / "stalins-purges_diamond-nine_core.pdf", pack_out / "stalins-purges_gap-fill_challenge.pdf"]
    for sheet in sheets:
        assert pdf_pages(sheet) == pdfplumber_pages(sheet), sheet.name
    assert [c["text"] for c in pdf_pages(path)[0].chars] == list("DRAFTtext")
