"""Key-term matching (PEDAGOGY.md 1.5): read the sheets back and check what a teacher would check."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.table import Table as DocxTable

from tests.conftest import DATA
from tests.pagecheck import fills, read_pages
from tests.readback import docx_text, pdf_text
from worksheetgen import document as doc
from worksheetgen.document import Tier
from worksheetgen.kinds.key_terms import KeyTerms, prepare
from worksheetgen.layout import PrintSettings, Profile, layout_for
from worksheetgen.loader import load_content
from worksheetgen.model import Content, Term
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "key-terms"
SEED = 5
COUNTS = {Tier.support: (6, 0), Tier.core: (10, 2)}


def sheet_for(content: Content, tier: Tier, seed: int = SEED) -> KeyTerms:
    """The prepared sheet exactly as the pipeline makes it for this seed."""
    return prepare(content, tier, random.Random(f"{seed}/{KIND}/{tier.value}"))


def glossary(content: Content) -> dict[str, Term]:
    return {t.term: t for t in content.glossary}


def names(text: str, term: Term) -> bool:
    forms = [term.term, *term.alternatives]
    return any(re.search(rf"(?<!\w){re.escape(f)}(?:e?s)?(?!\w)", text, re.IGNORECASE) for f in forms)


def table_with(path: Path, first_cell: str) -> DocxTable:
    for table in docx.Document(str(path)).tables:
        if table.rows[0].cells[0].text.strip() == first_cell:
            return table
    raise AssertionError(f"no table starting {first_cell!r} in {path.name}")


def numbered(text: str) -> tuple[str, str]:
    """'3. OGPU' -> ('3', 'OGPU'); 'C. The Soviet...' -> ('C', 'The Soviet...')."""
    match = re.fullmatch(r"(\w+)\.\s+(.*)", text.strip(), re.DOTALL)
    assert match, f"not numbered or lettered: {text!r}"
    return match.group(1), match.group(2)


# The choice of terms and definitions --------------------------------------------------------


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_tier_has_the_right_number_of_terms_and_distractors(shipped: Content, tier: Tier) -> None:
    sheet = sheet_for(shipped, tier)
    terms, distractors = COUNTS[tier]
    assert len(sheet.terms) == terms
    assert len(sheet.distractors) == distractors
    assert len(sheet.definitions) == terms + distractors
    assert [t.number for t in sheet.terms] == list(range(1, terms + 1))
    assert [d.letter for d in sheet.definitions] == [chr(ord("A") + i) for i in range(terms + distractors)]


def test_support_prints_the_simple_definitions_and_core_the_full_ones(shipped: Content) -> None:
    terms = glossary(shipped)
    for t in sheet_for(shipped, Tier.support).terms:
        assert t.shown == (terms[t.term].simple or terms[t.term].definition)
    for t in sheet_for(shipped, Tier.core).terms:
        full = terms[t.term].definition
        # The full definition, or its start: the main clause, without a closing aside such as "(from 1929)".
        assert t.shown == full or (full.startswith(t.shown.rstrip(".")) and len(t.shown.split()) >= 7)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_matching_is_one_to_one_and_unambiguous(shipped: Content, tier: Tier, seed: int) -> None:
    sheet = sheet_for(shipped, tier, seed)
    terms = glossary(shipped)
    by_letter = {d.letter: d for d in sheet.definitions}
    assert len(by_letter) == len(sheet.definitions)
    assert sorted(t.letter for t in sheet.terms) == sorted(d.letter for d in sheet.definitions if d.number)
    for t in sheet.terms:
        assert by_letter[t.letter].term == t.term and by_letter[t.letter].number == t.number
    chosen = [terms[t.term] for t in sheet.terms]
    for d in sheet.distractors:
        assert d.term in terms and d.term not in {t.term for t in sheet.terms}
    # No printed definition names its own term, or another term on the sheet (or an alternative form
    # of it): pupils must match meanings, not words.
    for d in sheet.definitions:
        assert not names(d.text, Term(term=d.term, definition="-")), d.text
        assert not any(names(d.text, term) for term in chosen if term.term != d.term), d.text


@pytest.mark.parametrize("seed", range(30))
def test_definitions_are_never_in_term_order(shipped: Content, seed: int) -> None:
    for tier in (Tier.support, Tier.core):
        sheet = sheet_for(shipped, tier, seed)
        order = [d.number for d in sheet.definitions if d.number is not None]
        assert order != sorted(order)


def test_definitions_are_well_shuffled_not_just_two_swapped(shipped: Content) -> None:
    in_place = total = 0
    for seed in range(20):
        sheet = sheet_for(shipped, Tier.core, seed)
        in_place += sum(ord(t.letter) - ord("A") == t.number - 1 for t in sheet.terms)
        total += len(sheet.terms)
    assert in_place < 0.3 * total


def test_distractor_letters_are_mixed_in_not_always_last(shipped: Content) -> None:
    positions = set()
    for seed in range(20):
        sheet = sheet_for(shipped, Tier.core, seed)
        positions.update(i for i, d in enumerate(sheet.definitions) if d.number is None)
    assert positions - {10, 11}, "distractors always come last"


def test_same_seed_same_sheet_other_seeds_same_terms_in_another_order(shipped: Content) -> None:
    first = sheet_for(shipped, Tier.core, 1)
    assert first == sheet_for(shipped, Tier.core, 1)
    others = [sheet_for(shipped, Tier.core, seed) for seed in range(2, 6)]
    assert all([t.term for t in o.terms] == [t.term for t in first.terms] for o in others)
    assert all({d.term for d in o.distractors} == {d.term for d in first.distractors} for o in others)
    assert any([d.text for d in o.definitions] != [d.text for d in first.definitions] for o in others)


def test_same_seed_gives_identical_pdf_bytes(shipped: Content) -> None:
    def pdf(seed: int) -> bytes:
        document, _ = build_document(shipped, Sheet(KIND, Tier.core), seed, search_path())
        return render(document, "pdf")

    assert pdf(3) == pdf(3)
    assert pdf(3) != pdf(4)


# Reading the pupil sheets back ---------------------------------------------------------------


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_pupil_table_has_numbered_terms_left_and_lettered_definitions_right(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    sheet = sheet_for(shipped, tier)
    table = table_with(built(tier, False, "docx"), "Key term")
    rows = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(sheet.definitions)
    terms = [numbered(left) for left, _ in rows if left]
    assert terms == [(str(t.number), t.term) for t in sheet.terms]
    definitions = [numbered(right) for _, right in rows]
    assert definitions == [(d.letter, d.text) for d in sheet.definitions]
    # The printed definitions are the glossary's, and never in the order of the terms.
    texts = [text for _, text in definitions]
    assert texts != [t.shown for t in sheet.terms] + [d.text for d in sheet.distractors]


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_pupil_answer_grid_has_an_empty_box_to_write_in_per_term(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    grid = table_with(built(tier, False, "docx"), "Term")
    cells = [c.text.strip() for c in grid.rows[0].cells[1:]]
    assert cells == [str(n) for n in range(1, COUNTS[tier][0] + 1)]
    assert len(grid.rows) == 2 and grid.rows[1].cells[0].text.strip() == "Letter"
    assert [c.text for c in grid.rows[1].cells[1:]] == [""] * COUNTS[tier][0], "the letters are the pupil's to write"
    assert grid.rows[1].height is not None and grid.rows[1].height.mm >= 10, "a box big enough to write a letter in"


@pytest.mark.parametrize("tier", list(Tier))
def test_pdf_and_docx_show_the_same_terms(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    sheet = sheet_for(shipped, tier)
    for text in (pdf_text(built(tier, False, "pdf")), docx_text(built(tier, False, "docx"))):
        for t in sheet.terms:
            assert f"{t.number}. {t.term}" in text
        for d in sheet.definitions:
            assert f"{d.letter}. {d.text}" in text


def test_challenge_asks_for_own_definitions_and_a_sentence_and_prints_none(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    sheet = sheet_for(shipped, Tier.challenge)
    assert len(sheet.terms) == 8 and not sheet.definitions
    path = built(Tier.challenge, False, "docx")
    text = docx_text(path)
    assert "three of these terms in one sentence" in text and shipped.key_question in text
    terms = glossary(shipped)
    for t in sheet.terms:
        assert terms[t.term].definition not in text and (terms[t.term].simple or "@") not in text
    table = table_with(path, "Key term")
    assert [numbered(r.cells[0].text)[1] for r in table.rows[1:]] == [t.term for t in sheet.terms]
    for row in table.rows[1:]:
        lines = row.cells[1].tables
        assert lines and len(lines[0].rows) >= 2, "each term needs writing lines"
        assert round(lines[0].rows[0].height.mm) == 8


# Reading the keys back -------------------------------------------------------------------------


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_key_grid_matches_the_pupil_sheet(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    """Each letter in the key's grid points, on the pupil sheet, to that term's glossary definition."""
    terms = glossary(shipped)
    pupil = table_with(built(tier, False, "docx"), "Key term")
    printed = dict(numbered(row.cells[1].text) for row in pupil.rows[1:])
    grid = table_with(built(tier, True, "docx"), "Term")
    numbers = [c.text.strip() for c in grid.rows[0].cells[1:]]
    letters = [c.text.strip() for c in grid.rows[1].cells[1:]]
    pupil_terms = dict(numbered(row.cells[0].text) for row in pupil.rows[1:] if row.cells[0].text.strip())
    assert numbers == list(pupil_terms)
    assert len(set(letters)) == len(letters)
    for number, letter in zip(numbers, letters, strict=True):
        term = terms[pupil_terms[number]]
        expected = term.simple if tier is Tier.support and term.simple else term.definition
        assert expected.startswith(printed[letter].rstrip(".")), (number, letter)


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_key_lists_full_definitions_and_marks_distractors_not_used(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    sheet = sheet_for(shipped, tier)
    terms = glossary(shipped)
    table = table_with(built(tier, True, "docx"), "Key term")
    rows = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
    answers = [r for r in rows if not r[0].startswith("not used")]
    assert [(*numbered(r[0]), r[1], r[2]) for r in answers] == [
        (str(t.number), t.term, t.letter, terms[t.term].definition) for t in sheet.terms
    ]
    unused = [r for r in rows if r[0].startswith("not used")]
    assert len(unused) == len(sheet.distractors)
    for row, d in zip(unused, sheet.distractors, strict=True):
        assert row[1] == d.letter and d.term in row[0] and row[2] == d.text
    assert f"{len(sheet.terms)} in total" in docx_text(built(tier, True, "docx"))


def test_challenge_key_has_model_definitions_and_a_sentence_using_three_terms(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    sheet = sheet_for(shipped, Tier.challenge)
    terms = glossary(shipped)
    path = built(Tier.challenge, True, "docx")
    text = docx_text(path)
    for t in sheet.terms:
        assert terms[t.term].definition in text
    assert len(sheet.sentence_terms) == 3 and set(sheet.sentence_terms) <= {t.term for t in sheet.terms}
    sentence = next(p for p in docx.Document(str(path)).paragraphs if p.text.startswith("The purges happened because"))
    bold = [r.text for r in sentence.runs if r.bold]
    assert len(bold) == 3
    for word, term in zip(bold, sheet.sentence_terms, strict=True):
        assert names(word, terms[term])
    assert sentence.text.endswith(".")


def test_a_topic_without_causes_or_simple_definitions_still_builds() -> None:
    content = load_content(DATA / "water-cycle.yaml").content
    support = prepare(content, Tier.support, random.Random(0))
    assert len(support.terms) == 6 and all(t.shown == t.definition for t in support.terms)
    challenge = prepare(content, Tier.challenge, random.Random(0))
    assert challenge.sentence == () and challenge.notes
    for tier in Tier:
        for key in (False, True):
            document, _ = build_document(content, Sheet(KIND, tier, key), 0, search_path())
            assert render(document, "pdf").startswith(b"%PDF")


@pytest.mark.parametrize(
    ("profile", "paper", "pages"),
    [("standard", "a4", 1), ("standard", "letter", 1), ("dyslexia", "a4", 2), ("large-print", "a4", 2)],
)
def test_core_matching_exercise_is_on_one_side_where_it_fits(
    shipped: Content, profile: str, paper: str, pages: int
) -> None:
    """Issue 12: on A4 and Letter the grid and the whole matching table share one side (tight
    rows). In large print it cannot fit one side; in the dyslexia profile Word's wider font runs to
    two pages, so the PDF does too. Where it splits, page one is well filled, never left near
    empty by a table moved whole to page two."""
    settings = PrintSettings(paper, Profile(profile))
    document, _ = build_document(shipped, Sheet(KIND, Tier.core), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    layout = layout_for(Tier.core, settings)
    views = read_pages(pdf, layout)
    assert len(views) == pages
    first = (views[0].content_bottom - layout.body_top.pt) / layout.frame_height.pt
    assert first > 0.8


# Print layout: the head of department's review (one side where it fits, no near-empty side) ------


def _pupil_pages(shipped: Content, tier: Tier, settings: PrintSettings) -> list[float]:
    """How full each page of the pupil sheet is, read back from its PDF."""
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    layout = layout_for(tier, settings)
    return fills(read_pages(render(document, "pdf", settings), layout), layout)


PRINTS = [
    pytest.param(PrintSettings(paper, profile), id=f"{profile.value}-{paper}")
    for profile in Profile
    for paper in ("a4", "letter")
]


@pytest.mark.parametrize("settings", PRINTS)
@pytest.mark.parametrize("tier", [Tier.support, Tier.core], ids=lambda t: t.value)
def test_matching_sheet_is_one_side_or_every_side_is_well_used(
    shipped: Content, tier: Tier, settings: PrintSettings
) -> None:
    """A matching table that runs over takes its last third (at least three rows) with it: never a
    second side holding two or three rows (dyslexia core was 9 + 3 rows, large print support 4 + 2)."""
    used = _pupil_pages(shipped, tier, settings)
    assert len(used) == 1 or min(used) >= 0.25, used


def test_large_print_support_matching_fits_one_a4_side(shipped: Content) -> None:
    """Six terms at 18 pt: with tight rows the grid and the whole table share one side."""
    assert len(_pupil_pages(shipped, Tier.support, PrintSettings(profile=Profile.large_print))) == 1


@pytest.mark.parametrize("settings", [p for p in PRINTS if "large" not in p.id])
def test_challenge_second_side_is_not_left_near_empty(shipped: Content, settings: PrintSettings) -> None:
    """Eight terms run to two sides anyway: the definitions get three lines each, so the second
    side is more than half used (it was a third: two terms and the sentence task)."""
    used = _pupil_pages(shipped, Tier.challenge, settings)
    assert len(used) == 2 and min(used) >= 0.5, used


def test_challenge_definitions_get_at_least_24_mm_to_write_in(shipped: Content) -> None:
    """Three lines at 8-9 mm, or large print's two at 12 mm: room for one or two sentences."""
    for profile in Profile:
        settings = PrintSettings(profile=profile)
        document, _ = build_document(shipped, Sheet(KIND, Tier.challenge), 0, search_path(), settings)
        pitch = layout_for(Tier.challenge, settings).line_pitch.value
        table = next(b for b in document.blocks if isinstance(b, doc.Table) and "My definition" in str(b))
        for row in table.rows[1:]:
            lines = next(b for b in row.cells[1].blocks if isinstance(b, doc.WritingLines))
            assert lines.count * (lines.pitch or doc.Mm(pitch)).value >= 24, (profile, lines)
