"""The short cuts that keep `worksheetgen import` fast on big notes give exactly what the long way gave.

Timings are measured by bench/bench_limits.py; these tests only check that each quick path agrees with
the rule it stands in for, so the output of an import does not change.
"""

from __future__ import annotations

import re
import sys
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from worksheetgen import repair
from worksheetgen.importer import (
    SPEAKER_WORDS,
    Point,
    find_date,
    find_speaker,
    folds_back,
    import_notes,
    strip_markdown,
    wrap_words,
)

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


@given(st.text(st.characters(exclude_characters=">[<*_`")))
def test_text_without_markup_characters_only_has_its_spaces_tidied(text: str) -> None:
    assert strip_markdown(text) == re.sub(r"\s+", " ", text).strip()


@given(st.text(st.characters(exclude_categories=["Nd"])))
def test_a_sentence_without_digits_has_no_date(text: str) -> None:
    assert find_date(text) is None


def test_find_date_still_finds_dates() -> None:
    match = find_date("Kirov was murdered on 1st December 1934 in Leningrad.")
    assert match is not None and match.group(0) == "1st December 1934"


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


def _quote_after(words_between: int) -> tuple[str, re.Match[str]]:
    text = "Trotsky wrote " + "word " * words_between + "“we shall win the war soon” and then left."
    quote = re.search(r"“(.+?)”", text)
    assert quote is not None
    return text, quote


def test_a_name_at_most_speaker_words_before_a_quote_is_its_speaker() -> None:
    text, quote = _quote_after(SPEAKER_WORDS - 1)  # `wrote` is one of the words between
    assert find_speaker(text, quote, ["Trotsky"], {}) == "Trotsky"
    text, quote = _quote_after(SPEAKER_WORDS)
    assert find_speaker(text, quote, ["Trotsky"], {}) is None


def test_speakers_in_one_long_paragraph_are_each_the_nearest_name() -> None:
    said = "In town {} the leader Kamenev spoke. Kamenev said “we must act against them all” at once."
    lines = [said.format(i) for i in range(400)]  # no blank lines: one paragraph
    lines[4] = (
        "Nothing more was said for a while. Then “we must act against them all” was heard by nobody at all in town."
    )
    text, warnings = import_notes("\n".join(lines))
    assert text.count('speaker: "Kamenev"') == 20  # MAX_QUOTES
    assert any(w.startswith("line 5: quotation with no speaker near it") for w in warnings)
