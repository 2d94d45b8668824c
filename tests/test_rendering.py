"""Renderer guarantees: reproducible bytes, literal teacher text, no silent missing glyphs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.readback import docx_text, pdf_text
from worksheetgen.document import Document, Tier
from worksheetgen.errors import RenderError
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path


def build(content: Content, tier: Tier = Tier.core, seed: int = 0, key: bool = False) -> Document:
    document, _ = build_document(content, Sheet("gap-fill", tier, key), seed, search_path())
    return document


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_same_content_and_seed_give_identical_bytes(shipped: Content, fmt: str) -> None:
    first = render(build(shipped, seed=3), fmt)
    second = render(build(shipped, seed=3), fmt)
    assert first == second
    other = render(build(shipped, seed=4), fmt)
    assert other != first


def test_markup_characters_print_literally(tmp_path: Path) -> None:
    content = Content(
        title="Causes & consequences",
        key_question="Why did Tsar <Nicholas II> abdicate when x < y?",
        summary=["First sentence here. The Tsar <Nicholas II> & his <b>court fell. The end came."],
    )
    document = build(content)
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        path = tmp_path / f"sheet.{fmt}"
        path.write_bytes(render(document, fmt))
        text = read(path)
        assert "Tsar <Nicholas II> & his <b>court fell." in text
        assert "Causes & consequences" in text


def test_characters_missing_from_the_font_are_reported_not_boxed() -> None:
    content = Content(title="Berlin 柏林", key_question="Why?", summary=["One. Two 柏林. Three."])
    with pytest.raises(RenderError, match=r"U\+67CF"):
        render(build(content), "pdf")


def test_cyrillic_and_macrons_render_with_real_glyphs(tmp_path: Path) -> None:
    content = Content(title="Ежов, Gdańsk, Tōhoku", key_question="Ποιος;", summary=["One. Two. Three."])
    path = tmp_path / "s.pdf"
    path.write_bytes(render(build(content), "pdf"))
    text = pdf_text(path)
    assert "Ежов, Gdańsk, Tōhoku" in text and "Ποιος;" in text


def test_docx_zip_has_fixed_timestamps(shipped: Content) -> None:
    import io

    data = render(build(shipped), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_body_and_key_paragraphs_never_leave_one_line_alone_on_a_page() -> None:
    """Head of department (Letter keys): a causation-grid key page opened with "1937 quotas."
    alone, an essay-planner key page with one line of the model paragraph. Body and key text keep
    at least two lines of a paragraph at the foot and at the top of a page."""
    from worksheetgen.layout import layout_for
    from worksheetgen.render.pdffonts import fonts_for
    from worksheetgen.render.pdfkit import paragraph_styles

    layout = layout_for(Tier.core)
    styles = paragraph_styles(layout, fonts_for(layout.typeface))
    for name in ("body", "key", "instruction"):
        assert styles[name].allowWidows == 0 and styles[name].allowOrphans == 0, name
