"""Read the gap-fill PDFs and DOCX files back and check what a teacher would check."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from tests.conftest import sheet_file
from tests.pagecheck import PageView, read_pages
from tests.readback import chars_outside, docx_text, embedded_fonts, pdf_pages, pdf_text
from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill.passage import passage_of
from worksheetgen.layout import Layout, PrintSettings, Profile, layout_for
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

WORD = re.compile(r"\w+(?:['’.,]\w+)*")
GAP = re.compile(r"\((\d+)\)\s")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def key_answers(path: Path) -> list[str]:
    """The answers column of the key's table, read from the DOCX key."""
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells[:2]] == ["Gap", "Answer"]
    return [row.cells[1].text for row in table.rows[1:]]


def passage_words_without(content: Content, tier: Tier, answers: list[str]) -> Counter[str]:
    passage = re.sub(r"\[\[([^\]|]+)[^\]]*\]\]", r"\1", " ".join(passage_of(content, tier)))
    remaining = words(passage)
    for answer in answers:
        remaining -= words(answer)
    return remaining


def occurrences(answer: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(answer)}(?!\w)", text, re.IGNORECASE))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("tier", list(Tier))
def test_sheet_holds_title_instructions_and_passage(
    gapfill_out: dict[str, Path], shipped: Content, tier: Tier, fmt: str
) -> None:
    path = sheet_file(gapfill_out, tier, fmt)
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    assert "Gap-fill: Stalin's Purges" in text
    assert "Why did the purges happen?" in text
    assert ("no word bank" in text) == (tier is Tier.challenge)
    if fmt == "pdf":
        assert "1. " in text or "1.Read" in text.replace(" ", "")
    else:  # a Word numbered list: the numbers are not typed into the text
        assert 'w:numId w:val="' in docx.Document(str(path)).element.body.xml
    answers = key_answers(sheet_file(gapfill_out, tier, "docx", key=True))
    missing = passage_words_without(shipped, tier, answers) - words(text)
    assert not missing, f"passage words missing from the {fmt}: {sorted(missing)[:10]}"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("tier", list(Tier))
def test_gaps_match_the_key_and_never_show_the_answer(gapfill_out: dict[str, Path], tier: Tier, fmt: str) -> None:
    path = sheet_file(gapfill_out, tier, fmt)
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    answers = key_answers(sheet_file(gapfill_out, tier, "docx", key=True))
    gaps = [int(n) for n in GAP.findall(text)]
    assert gaps == list(range(1, len(answers) + 1))
    in_bank = 0 if tier is Tier.challenge else 1
    for answer in answers:
        glossed = f"{answer}: " in text  # support may explain a hard answer ('scapegoat: ...') in its key-words box
        assert occurrences(answer, text) == in_bank + glossed, f"{answer!r} shows outside the word bank"


@pytest.mark.parametrize("tier", list(Tier))
def test_key_lists_every_answer_and_the_completed_passage(gapfill_out: dict[str, Path], tier: Tier) -> None:
    answers = key_answers(sheet_file(gapfill_out, tier, "docx", key=True))
    key_pdf = pdf_text(sheet_file(gapfill_out, tier, "pdf", key=True))
    assert "Completed passage" in key_pdf
    assert f"1 mark per gap, {len(answers)} in total" in key_pdf
    for number, answer in enumerate(answers, start=1):
        assert f"({number}) {answer}" in key_pdf


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("key", [False, True])
@pytest.mark.parametrize("tier", list(Tier))
def test_every_character_is_inside_the_margins(gapfill_out: dict[str, Path], tier: Tier, key: bool, paper: str) -> None:
    path = sheet_file(gapfill_out, tier, "pdf", key=key, paper=paper)
    assert chars_outside(path, margin_mm=15) == []
    sides = [c for page in pdf_pages(path) for c in page.chars if c["x0"] < 20 * 72 / 25.4 - 0.5]
    assert sides == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_paper_size_is_real(gapfill_out: dict[str, Path], paper: str) -> None:
    expected = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}[paper]
    for page in pdf_pages(sheet_file(gapfill_out, Tier.core, "pdf", paper=paper)):
        assert (round(page.width, 2), round(page.height, 2)) == expected
    section = docx.Document(str(sheet_file(gapfill_out, Tier.core, "docx", paper=paper))).sections[0]
    width_mm = {"a4": 210, "letter": 215.9}[paper]
    assert abs(section.page_width - Mm(width_mm)) < Mm(0.1)


@pytest.mark.parametrize("tier", list(Tier))
def test_every_font_is_embedded(gapfill_out: dict[str, Path], tier: Tier) -> None:
    fonts = embedded_fonts(sheet_file(gapfill_out, tier, "pdf"))
    assert fonts and all(fonts.values()), fonts


def test_docx_is_editable_word(gapfill_out: dict[str, Path]) -> None:
    document = docx.Document(str(sheet_file(gapfill_out, Tier.core, "docx")))
    section = document.sections[0]
    assert "Name:" in section.header.paragraphs[0].text and "Class:" in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    styles = {s.name for s in document.styles}
    assert {"Title", "Heading 2", "Instruction", "Body", "Key", "Gap"} <= styles
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Instruction", "Body"} <= used
    bank = document.tables[0]
    assert bank.rows[0].cells[0].text == "Word bank"
    assert abs(section.left_margin - Mm(20)) < Mm(0.1)


def test_pdf_metadata(gapfill_out: dict[str, Path]) -> None:
    from pypdf import PdfReader

    meta = PdfReader(sheet_file(gapfill_out, Tier.core, "pdf")).metadata
    assert meta.title == "Gap-fill: Stalin's Purges"
    assert meta.subject == "Why did the purges happen?"


# Page balance (head of department) ---------------------------------------------------------------


def _views(content: Content, tier: Tier, settings: PrintSettings) -> tuple[list[PageView], Layout]:
    document, _ = build_document(content, Sheet("gap-fill", tier), 0, search_path(), settings)
    layout = layout_for(tier, settings)
    return read_pages(render(document, "pdf", settings), layout), layout


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("profile", [Profile.standard, Profile.dyslexia])
def test_support_fits_one_page(shipped: Content, profile: Profile, paper: str) -> None:
    """On Letter the passage's last four lines went onto a page 2 of their own: the word bank and
    the key-words box now stand side by side."""
    views, _ = _views(shipped, Tier.support, PrintSettings(paper, profile))
    assert len(views) == 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("profile", list(Profile))
def test_challenge_follow_up_questions_share_a_page_and_the_last_page_is_no_sliver(
    shipped: Content, profile: Profile, paper: str
) -> None:
    """Question 2 sat alone on the last page (a fifth full) in dyslexia and large print."""
    views, layout = _views(shipped, Tier.challenge, PrintSettings(paper, profile))
    holding = [{q for q in ("1.Using", "2.Which") for line in view.lines if line.text.startswith(q)} for view in views]
    assert {"1.Using", "2.Which"} in holding, holding
    fill = (views[-1].content_bottom - layout.body_top.pt) / layout.frame_height.pt
    assert fill >= 0.4, f"last page {fill:.0%} full"
