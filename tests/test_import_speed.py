"""The short cuts that keep `worksheetgen import` fast on big notes give exactly what the long way gave.

Timings are measured by bench/bench_limits.py; these tests only check that each quick path agrees with
the rule it stands in for, so the output of an import does not change.
"""

from __future__ import annotations

import re
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worksheetgen import repair
from worksheetgen.importer import import_notes
from worksheetgen.importer.causes import SPEAKER_WORDS, find_quotes
from worksheetgen.importer.dates import find_dates
from worksheetgen.importer.sentences import Point, _pysbd, split_sentences
from worksheetgen.importer.writing import folds_back, wrap_words

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


@given(
    words=st.lists(st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=30), min_size=1),
    width=st.integers(1, 100),
)
def test_wrap_words_makes_the_lines_textwrap_makes(words: list[str], width: int) -> None:
    text = " ".join(words)
    assert folds_back(text)
    expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    assert wrap_words(text, width) == expected


@given(st.text(st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u2029\ufeff\u3000\x00\x7f")))
def test_folds_back_is_the_old_white_space_rule(text: str) -> None:
    old_rule = r"\s\s|[^\S ]|^\s|\s$|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]"
    assert folds_back(text) == (not re.search(old_rule, text))


@given(st.lists(st.integers(1, 40), min_size=1, max_size=30), st.integers(1, 3))
def test_line_at_finds_the_line_a_scan_of_every_start_would(lengths: list[int], lines_per_part: int) -> None:
    starts, offset = [], 0
    for index, length in enumerate(lengths):
        starts.append((offset, 10 + index // lines_per_part))  # a repaired line can hold several
        offset += length + 1
    point = Point("x" * offset, 10, tuple(starts))
    for at in range(offset + 2):
        assert point.line_at(at) == max(line for start, line in starts if start <= at)


WORDS = st.sampled_from(
    "the army moved north and men were tired after long march rain fell for days Smith arrived in St "
    "Andrews Dr Mr J Q Adams rose to 2,500 c 1750 U.S. p.m. e.g. etc viz".split()
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda w: " ".join(w)[:1].upper() + " ".join(w)[1:])


@given(st.lists(st.tuples(SENTENCE, st.sampled_from([".", "!", "?"])), min_size=1, max_size=8))
def test_the_quick_cut_of_a_paragraph_gives_what_pysbd_gives(sentences: list[tuple[str, str]]) -> None:
    text = " ".join(f"{words}{mark}" for words, mark in sentences)
    assert [s for _, s in split_sentences(text)] == [s for _, s in _pysbd(text)]


@given(st.text(st.characters(exclude_categories=["Nd"], exclude_characters="JFMASONDjfmasond")))
def test_a_sentence_without_digits_month_names_or_number_words_has_no_date(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_still_finds_dates() -> None:
    found = find_dates("Kirov was murdered on 1st December 1934 in Leningrad.")
    assert [(w.text, w.label, w.sort) for w in found] == [("1st December 1934", "1 December 1934", "1934-12-01")]


def test_the_quick_tests_in_repair_skip_no_character_a_fix_would_change() -> None:
    controls = repair._LINE_BREAK.findall(EVERY_CHARACTER) + repair._CONTROL.findall(EVERY_CHARACTER)
    assert controls and not any(c.isprintable() for c in controls)
    spaces = repair._ODD_SPACE.findall(EVERY_CHARACTER) + repair._INVISIBLE.findall(EVERY_CHARACTER)
    assert spaces and not any(c.isascii() for c in spaces)
    between_letters = "a" + "a".join(EVERY_CHARACTER) + "a"
    lookalikes = set(repair._APOSTROPHE_LOOKALIKE.findall(between_letters))
    assert {c for c in lookalikes if c.isascii()} == {"`"}


def test_repairs_are_still_made_and_reported() -> None:
    text = "Stalin´s\x0cpurge\u00a0began [12].\nThe `Old Bolshevik`s` trial.\nplain line"
    lines, repairs = repair.repair_lines(text)
    assert lines == ["Stalin’s\npurge began.", "The `Old Bolshevik’s` trial.", "plain line"]
    assert [r.line for r in repairs] == [1, 1, 1, 1, 2]


def test_mac_quotes_need_the_misread_closing_quote() -> None:
    assert repair.has_mac_quotes("the governmentís plan")
    assert not repair.has_mac_quotes("ĎAll power to the Soviets")


def _quote_after(words_between: int) -> str:
    return "Trotsky wrote " + "word " * words_between + "“we shall win the war soon” and then left."


def test_a_name_at_most_speaker_words_before_a_quote_is_its_speaker() -> None:
    people = {"Trotsky": "Trotsky"}
    near, _ = find_quotes(_quote_after(SPEAKER_WORDS - 1), 1, people, None)  # `wrote` is one of the words between
    assert [q.speaker for q in near] == ["Trotsky"]
    far, skipped = find_quotes(_quote_after(SPEAKER_WORDS + 20), 1, people, None)
    assert far == [] and skipped == ["we shall win the war soon"]


def test_speakers_in_one_long_paragraph_are_each_the_nearest_name() -> None:
    said = "In town {} the leader Kamenev spoke. Kamenev said “we must act against them all” at once."
    lines = [said.format(i) for i in range(400)]  # no blank lines: one paragraph
    lines[4] = (
        "Nothing more was said for a while. Then “we must act against them all” was heard by nobody at all in town."
    )
    result = import_notes("\n".join(lines))
    text, warnings = result.yaml, result.warnings
    assert text.count('speaker: "Kamenev"') == 20  # MAX_QUOTES
    assert any(w.startswith("line 5: quotation with no speaker near it") for w in warnings)


def _names(count: int) -> str:
    """Short sentences that are only names (`Rive Zobata. Veroka Moto.`): no full stop pysbd can skip."""
    import random

    rng = random.Random(2)
    syllables = "ka ri to mo na ve li ro sa du pe ba zo ni ta gu".split()

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()

    return " ".join(f"{word()} {word()}." for _ in range(count))


def test_pysbd_reads_at_most_its_budget_and_the_plain_rule_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 MB of names took 22-69 s (pysbd builds regular expressions per piece); now pysbd reads 25,000 characters."""
    import time

    from worksheetgen.importer import sentences

    read: list[int] = []
    pysbd = sentences._pysbd
    monkeypatch.setattr(sentences, "_pysbd", lambda piece: read.append(len(piece)) or pysbd(piece))
    text = _names(75_000)  # 1 MB, one paragraph
    start = time.process_time()
    result = import_notes(text)
    assert time.process_time() - start < 10  # a hang guard: about 2 s of CPU
    assert 0 < sum(read) <= sentences.PYSBD_BUDGET
    assert "notes this long are read for events, terms, people and causes up to here (3000 sentences)" in "\n".join(
        result.warnings
    )


def test_the_plain_rule_keeps_initials_titles_abbreviations_and_quotations_whole() -> None:
    from worksheetgen.importer.sentences import plain_split

    text = (
        "Mr. J. Q. Adams met Dr. Smith in the U.S. Senate. He read No. 5 of the papers. "
        '"Vancouver! This is it!" he said. It ended c. 1750. Then came peace.'
    )
    assert [s for _, s in plain_split(text)] == [
        "Mr. J. Q. Adams met Dr. Smith in the U.S. Senate.",
        "He read No. 5 of the papers.",
        '"Vancouver! This is it!" he said.',
        "It ended c. 1750.",
        "Then came peace.",
    ]
    assert [s for _, s in plain_split(text)] == [s for _, s in _pysbd(text)]


@given(st.lists(st.tuples(SENTENCE, st.sampled_from([".", "!", "?"])), min_size=1, max_size=8))
def test_a_budget_of_nothing_gives_pysbds_sentences_on_plain_paragraphs(sentences: list[tuple[str, str]]) -> None:
    """The budget only decides who reads a piece: offsets and sentences keep the same form either way."""
    from worksheetgen.importer.sentences import Splitter

    text = " ".join(f"{words}{mark}" for words, mark in sentences)
    for start, sentence in Splitter(0).sentences(text):
        assert text[start : start + len(sentence)] == sentence


def test_many_different_names_are_merged_in_linear_time() -> None:
    """3,000 different people were compared each with each (4.5 million comparisons, about 40 s)."""
    import random
    import time

    from worksheetgen.importer.people import GIVEN, find_people

    rng = random.Random(3)
    given = sorted(GIVEN)
    surnames = [name.split()[-1] for name in _names(3_000).split(". ")]
    sentences = [
        (n, f"{rng.choice(given)} {rng.choice('ABCDEFGHKLMNPRST')}. {surname} arrived.")
        for n, surname in enumerate(surnames, start=1)
    ]
    start = time.process_time()
    people = find_people(sentences, [])
    assert time.process_time() - start < 5  # 0.2 s; before, about 40 s
    assert people
