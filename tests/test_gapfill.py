"""Gap choice follows PEDAGOGY.md 1.1 for every tier, for marked and unmarked passages."""

from __future__ import annotations

import random
import re

import pytest

from tests.conftest import DATA
from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill import prepare
from worksheetgen.kinds.gap_fill.gaps import hint_for
from worksheetgen.kinds.gap_fill.passage import split_passage
from worksheetgen.kinds.gap_fill.records import GapFill
from worksheetgen.loader import load_content
from worksheetgen.model import Content

RANGES = {Tier.support: (6, 8), Tier.core: (10, 12), Tier.challenge: (12, 15)}


def visible_text(sheet: GapFill) -> str:
    return " ".join(p.text for para in sheet.paragraphs for p in para if p.gap is None)


def occurs(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize("tier", list(Tier))
def test_gap_counts_and_placement_follow_the_rules(shipped: Content, tier: Tier) -> None:
    sheet = prepare(shipped, tier, random.Random(1))
    low, high = RANGES[tier]
    assert low <= len(sheet.answers) <= high
    sentences = split_passage(list(shipped.summary))
    gapped = [i for i, s in enumerate(sentences) if any(a.answer in s.text for a in sheet.answers)]
    assert 0 not in gapped and len(sentences) - 1 not in gapped
    text = visible_text(sheet)
    for answer in sheet.answers:
        assert not occurs(answer.answer, text), f"{answer.answer} is visible in the passage"
    assert [a.number for a in sheet.answers] == list(range(1, len(sheet.answers) + 1))


def test_support_bank_is_exact_answers_with_first_letter_hints(shipped: Content) -> None:
    sheet = prepare(shipped, Tier.support, random.Random(1))
    assert sorted(sheet.bank) == sorted(a.answer for a in sheet.answers)
    assert sheet.hinted == len(sheet.answers), "the shipped support passage pairs every gap's first letter"
    assert all(a.hint.startswith(a.answer[0]) for a in sheet.answers)
    assert not any(re.fullmatch(r"[\d,]+", a.answer) for a in sheet.answers)
    assert sheet.glossed


def test_core_bank_has_distractors_that_fit_no_gap(shipped: Content) -> None:
    sheet = prepare(shipped, Tier.core, random.Random(1))
    assert 2 <= len(sheet.distractors) <= 4
    passage = " ".join(shipped.summary)
    for word in sheet.distractors:
        assert word in sheet.bank
        assert not occurs(word, passage.replace("[[", "").replace("]]", ""))


def test_challenge_has_no_bank_and_gaps_dates_and_numbers(shipped: Content) -> None:
    sheet = prepare(shipped, Tier.challenge, random.Random(1))
    assert sheet.bank == ()
    assert sum(bool(re.fullmatch(r"[\d,]+", a.answer)) for a in sheet.answers) >= 3


@pytest.mark.parametrize("seed", range(20))
def test_word_bank_is_never_in_gap_order(shipped: Content, seed: int) -> None:
    sheet = prepare(shipped, Tier.support, random.Random(seed))
    assert list(sheet.bank) != [a.answer for a in sheet.answers]


def test_same_seed_same_sheet_different_seed_different_bank(shipped: Content) -> None:
    first = prepare(shipped, Tier.core, random.Random("7"))
    assert first == prepare(shipped, Tier.core, random.Random("7"))
    assert first.bank != prepare(shipped, Tier.core, random.Random("8")).bank


def test_unmarked_passage_gets_automatic_gaps_from_terms_and_numbers() -> None:
    content = load_content(DATA / "water-cycle.yaml").content
    sheet = prepare(content, Tier.challenge, random.Random(3))
    answers = {a.answer.lower() for a in sheet.answers}
    terms = {t.term for t in content.glossary}
    assert answers & terms
    assert answers & {"97", "3,000"}
    assert len(sheet.answers) >= 6


def test_alternative_spellings_come_from_marks_and_people(shipped: Content) -> None:
    sheet = prepare(shipped, Tier.challenge, random.Random(1))
    by_answer = {a.answer: a.alternatives for a in sheet.answers}
    people = {p.short_name: p.alternatives for p in shipped.people if p.alternatives}
    for name, alternatives in people.items():
        if name in by_answer:
            assert set(alternatives) - {name} <= set(by_answer[name])


def test_hint_shows_the_first_letter_in_a_blank_that_does_not_give_away_the_length() -> None:
    assert hint_for("Kirov").startswith("K_") and set(hint_for("Kirov")[1:]) == {"_"}
    assert hint_for("show trial").startswith("s_")
    assert len(hint_for("Kirov")) == len(hint_for("Tukhachevsky")) == len(hint_for("NKVD"))


def test_a_marked_answer_repeated_elsewhere_is_skipped_with_a_note() -> None:
    content = Content(
        title="T",
        key_question="Why?",
        summary=["Start here. The [[Tsar]] fell. Then the Tsar left. It ended."],
    )
    sheet = prepare(content, Tier.core, random.Random(0))
    assert sheet.answers == ()
    assert any("Tsar" in note for note in sheet.notes)


def test_a_passage_with_30000_marked_gaps_is_searched_for_the_first_thousand(shipped: Content) -> None:
    """Fifth red-team pass: every distinct answer was counted over the whole passage (70 s)."""
    import time

    from worksheetgen.kinds.gap_fill.passage import MAX_CANDIDATES

    summary = [" ".join(f"The [[word{p}x{i}]] was here." for i in range(12)) for p in range(2500)]
    content = shipped.model_copy(update={"summary": summary, "summary_support": []})
    started = time.monotonic()
    sheet = prepare(content, Tier.core, random.Random(0))
    assert time.monotonic() - started < 10
    assert any(f"only the first {MAX_CANDIDATES:,} of 30,000 marked gaps" in note for note in sheet.notes)


# Dates never break between day and month (issue 12) --------------------------------------

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Sept|Oct|Nov|Dec)"
)
_DAY_THEN_MONTH = re.compile(
    rf"(?<![\w,.–-])\d{{1,2}} {_MONTH}\b"
)  # a plain space: a line may end there (not in a range)


@pytest.mark.parametrize("topic", ["stalins-purges", "tsar-abdication"])
def test_every_printed_date_keeps_its_day_with_its_month(topic: str) -> None:
    from tests.topics import document
    from worksheetgen.document import iter_text
    from worksheetgen.pipeline import list_kinds

    for kind in list_kinds():
        for tier in Tier:
            for key in (False, True):
                text = " ".join(iter_text(document(topic, kind, tier, key)[0].blocks))  # no-break spaces kept
                assert not _DAY_THEN_MONTH.findall(text), f"{kind} {tier.value} key={key}"


def test_a_date_is_never_split_across_lines_in_the_pdf_or_the_docx(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The second topic's support passage has '2 March 1917' where an A4 line ended after '2'."""
    import io

    import docx
    import pdfplumber

    from tests.conftest import write_sheet
    from tests.topics import content

    tsar = content("tsar-abdication")
    pdf = write_sheet(tsar, "gap-fill", Tier.support, False, "pdf", tmp_path)
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as opened:
        lines = [line for page in opened.pages for line in (page.extract_text() or "").split("\n")]
    assert any("March 1917" in line for line in lines)
    for line, after in zip(lines, lines[1:], strict=False):
        assert not (re.search(r"(?<![\w,.])\d{1,2}$", line) and re.match(_MONTH, after)), (line, after)
    written = write_sheet(tsar, "gap-fill", Tier.support, False, "docx", tmp_path)
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    assert "2\u00a0March 1917" in text and not _DAY_THEN_MONTH.search(text)


# Issue 12: plain hints, a glossed scapegoat, plausible distractors, each gap's own wrong answer ------


def _key_docx(tier: Tier, key: bool, tmp_path, seed: int = 0):  # type: ignore[no-untyped-def]
    import docx

    from tests.conftest import write_sheet
    from tests.topics import content

    return docx.Document(str(write_sheet(content("stalins-purges"), "gap-fill", tier, key, "docx", tmp_path, seed)))


def _text(document) -> str:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    return " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p")))


def test_support_says_plainly_that_first_letters_are_given_and_glosses_scapegoat(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _text(_key_docx(Tier.support, False, tmp_path))
    assert "The first letter of each answer is given." in text
    assert "shared by two or more words" not in text
    assert "scapegoat: Someone blamed for other people’s faults." in text


@pytest.mark.parametrize("seed", range(10))
def test_core_distractors_are_the_same_kind_of_word_as_the_answers(shipped: Content, seed: int) -> None:
    from worksheetgen.kinds.gap_fill.bank import word_kind

    sheet = prepare(shipped, Tier.core, random.Random(f"{seed}/gap-fill/core"))
    people = {p.short_name for p in shipped.people}
    kinds = {word_kind(a.answer, people) for a in sheet.answers}
    assert len(sheet.distractors) == 3
    for word in sheet.distractors:
        assert word_kind(word, people) in kinds, (word, kinds)  # no lone year beside names and terms


def test_key_names_each_gaps_own_likely_wrong_answer_and_why(shipped: Content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Read from the Word key: a row per gap that has a confusable word in the bank, e.g. Yezhov for
    Yagoda; no misconception that is about none of the answers."""
    sheet = prepare(shipped, Tier.core, random.Random("0/gap-fill/core"))
    key = _key_docx(Tier.core, True, tmp_path)
    table = next(t for t in key.tables if t.rows[0].cells[2].text == "Likely wrong answer")
    answers = {str(a.number): a.answer for a in sheet.answers}
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) >= 4
    for number, answer, wrong, why in rows:
        assert answers[number] == answer and wrong != answer and wrong in sheet.bank
        assert why in [p.role for p in shipped.people] + [t.simple for t in shipped.glossary]
    assert ["Yagoda", "Yezhov"] in [r[1:3] for r in rows]
    text = _text(key)
    assert "At least 3 million people were executed" not in text  # no answer on this sheet is about it


def test_challenge_key_accepts_each_gaps_own_alternatives(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _key_docx(Tier.challenge, True, tmp_path)
    table = next(t for t in key.tables if t.rows[0].cells[2].text == "Also accept")
    accepted = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    assert "programme" in accepted["platform"] and "manifesto" in accepted["platform"]
    assert "admissions of guilt" in accepted["confessions"]
