"""The content loader: values as typed, and every problem located and explained at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_cli import invoke as run  # in this process: the process is not what these check
from worksheetgen.errors import ContentError
from worksheetgen.loader import load_content

MINIMAL = "title: Test\nkey_question: Why?\n"


def write(tmp_path: Path, text: str, name: str = "lesson.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(path)
    return [str(p) for p in caught.value.problems]


def test_misspelt_key_and_wrong_type_are_reported_together_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL + "cuases:\n  - id: a\n" + "essay_questions:\n  - text: Explain why.\n    marks: twelve\n",
    )
    found = problems(path)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:3:1: cuases: unknown key 'cuases'; did you mean 'causes'?")
    assert found[1].startswith(f"{path}:7:12: essay_questions[0].marks: expected a whole number, found 'twelve'")


def test_tab_indentation_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "glossary:\n\t- term: purge\n")
    (message,) = problems(path)
    assert message == f"{path}:4:1: tab used for indentation; indent with spaces"


def test_values_are_kept_as_typed(tmp_path: Path) -> None:
    path = write(tmp_path, "title: no\nkey_question: 1:30\nperiod: 1917/18\nlevels: [1934, NO, 1914-06-28]\n")
    content = load_content(path).content
    assert (content.title, content.key_question, content.period) == ("no", "1:30", "1917/18")
    assert content.levels == ["1934", "NO", "1914-06-28"]


def test_duplicate_keys_are_errors_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "title: Again\n")
    (message,) = problems(path)
    assert message == f"{path}:3:1: title: duplicate key 'title' (first on line 1)"


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path, "title: Test\n")
    (message,) = problems(path)
    assert message == f"{path}:1:1: key_question: required key is missing"


def test_wrong_enum_lists_the_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL + "causes:\n  - id: a\n    title: A\n    category: politcal\n    timescale: trigger\n"
        "    evidence: [x]\n",
    )
    (message,) = problems(path)
    assert message.startswith(f"{path}:6:15: causes[0].category: expected one of 'political', 'economic'")
    assert message.endswith("found 'politcal'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file is empty"),
        ("# only a comment\n", "file is empty"),
        ("- a\n- b\n", "expected a mapping of keys such as `title:`, found a list"),
        ("title: !!python/object/apply:os.system ['echo hacked']\n", "unsupported YAML tag"),
        ("title: Why did war break out: a summary\n", "a colon inside a value; put the whole value in quotes"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(write(tmp_path, text))
    assert any(expected in message for message in found), found


def test_bom_is_ignored_and_cp1252_is_read_with_a_warning_naming_the_encoding(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_content(bom).content.title == "Test"
    for prefix in (b"", b"\xef\xbb\xbf"):  # Notepad's "ANSI", and a BOM before cp1252 bytes
        cp1252 = tmp_path / "cp.yaml"
        cp1252.write_bytes(prefix + MINIMAL.encode() + b"period: Tsar\x92s fall \x96 1917\n")
        loaded = load_content(cp1252)
        assert loaded.content.period == "Tsar’s fall – 1917"
        (warning,) = loaded.warnings
        assert str(warning).startswith(f"{cp1252}:3:13: not UTF-8 (byte 0x92): decoded as cp1252 (Windows")


def test_control_characters_are_cleaned_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, 'title: "Line\\x0bbreak\\x07"\nkey_question: Why?\n')
    loaded = load_content(path)
    assert loaded.content.title == "Line\nbreak"
    assert [w.path for w in loaded.warnings] == ["title", "title"]


def test_missing_file(tmp_path: Path) -> None:
    (message,) = problems(tmp_path / "nope.yaml")
    assert message.endswith("file not found")


# Hostile and awkward files: bounded, located, and every problem at once -------------------------------


def test_aliases_are_refused_at_their_line_so_nothing_expands_or_loops(tmp_path: Path) -> None:
    laughs = MINIMAL + 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    laughs += "".join(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    start = time.process_time()
    found = problems(write(tmp_path, laughs))
    assert time.process_time() - start < 2
    assert any(m.startswith(f"{tmp_path / 'lesson.yaml'}:4:12: lol1[0]: YAML alias `*a0` repeats") for m in found)
    assert len(found) == 19  # ten unknown keys, and the aliases of each of nine anchors refused once
    path = write(tmp_path, MINIMAL + "levels: &a [x, *a]\n")
    assert problems(path) == [
        f"{path}:3:16: levels[1]: YAML alias `*a` repeats the value marked `&a` (set on line 3); content does not "
        "use anchors and aliases (every use of this one is refused): write the value out"
    ]


def test_an_alias_as_a_merge_key_is_one_problem(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "glossary:\n  - &t {term: purge, definition: removal}\n  - <<: *t\n")
    (message,) = problems(path)
    assert message.startswith(
        f"{path}:5:9: glossary[1].<<: YAML alias `*t` repeats the value marked `&t` (set on line 4)"
    )


@pytest.mark.parametrize("depth", [40, 490, 100_000])
def test_deep_nesting_is_one_located_problem_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, MINIMAL + "levels: " + "[" * depth + "]" * depth + "\nperiod: [a, b]\n")
    found = problems(path)
    assert found[0].startswith(f"{path}:3:")
    assert found[0].endswith("lists or mappings nested more than 32 levels deep; content needs five at most")
    assert found[1:] == [f"{path}:4:9: period: expected text, found a list"]  # the rest is still checked


def test_raw_control_characters_are_removed_with_their_line_and_column(tmp_path: Path) -> None:
    raw = "title: The Tsar\x07s fall\nkey_question: Why?\x0bHow?\nperiod: 1917\x0c18\x00 \ufffe\x1b\n"
    loaded = load_content(write(tmp_path, raw))
    content = loaded.content
    assert (content.title, content.key_question, content.period) == ("The Tsars fall", "Why? How?", "1917 18")
    assert [str(w).split(": ", 1)[0].rsplit(":", 2)[1:] + [w.message] for w in loaded.warnings] == [
        ["1", "16", "U+0007 (bell) removed"],
        ["2", "19", "U+000B (vertical tab: a line break in Word) replaced by a space"],
        ["3", "13", "U+000C (form feed: a page break) replaced by a space"],
        ["3", "16", "U+0000 (null) removed"],
        ["3", "18", "U+FFFE (control character) removed"],
        ["3", "19", "U+001B (escape) removed"],
    ]


def test_line_separators_do_not_shift_later_line_numbers(tmp_path: Path) -> None:
    for separator in ("\x85", "\u2028", "\u2029"):
        path = write(tmp_path, f"title: Tsar{separator}Nicholas\nkey_question: Why?\ncuases: []\n")
        assert problems(path) == [f"{path}:3:1: cuases: unknown key 'cuases'; did you mean 'causes'?"]


def test_a_bom_leaves_error_columns_right(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: T\nkey_question: Why did war break out: a summary\n")
    assert problems(path) == [f"{path}:2:36: a colon inside a value; put the whole value in quotes"]


def test_a_syntax_error_duplicate_keys_and_schema_problems_are_reported_together(tmp_path: Path) -> None:
    text = (
        "title: Test\n"
        "title: Again\n"  # duplicate
        "key_question: Why did war break out: a summary\n"  # syntax: an unquoted colon
        "cuases: []\n"  # unknown key
        'period: "1917\n'  # a quote never closed
        "summary: [one, two\n"  # a list never closed
        "essay_questions:\n  - text: Explain.\n    marks: twelve\n"  # wrong type
    )
    path = write(tmp_path, text)
    assert problems(path) == [
        f"{path}:2:1: title: duplicate key 'title' (first on line 1)",
        f"{path}:3:36: a colon inside a value; put the whole value in quotes",
        f"{path}:4:1: cuases: unknown key 'cuases'; did you mean 'causes'?",
        f"{path}:5:9: a quote opened here is not closed",
        f"{path}:6:10: a list `[` opened here is not closed",
        f"{path}:9:12: essay_questions[0].marks: expected a whole number, found 'twelve'",
    ]


def test_what_yaml_cannot_read_past_is_said_and_what_came_before_is_checked(tmp_path: Path) -> None:
    """An error before the first top-level key leaves nothing to resynchronise on."""
    path = write(tmp_path, "- a\n  b: c\ntitle: T\n")
    assert problems(path) == [
        f"{path}:1:1: expected a mapping of keys such as `title:`, found a list",
        f"{path}:2:4: a colon inside a value; put the whole value in quotes",
    ]


def test_a_second_document_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "---\ntitle: Other\n")
    assert problems(path) == [
        f"{path}:3:1: a second document starts here (`---`): a content file holds one topic",
    ]


def test_a_huge_flat_list_is_cut_short_in_bounded_time(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "levels: [" + "x, " * 600_000 + "]\n")  # 1.8 MB
    start = time.process_time()
    (message,) = problems(path)
    assert time.process_time() - start < 10
    assert message.endswith("more than 100,000 keys and values: a topic has hundreds; the rest is unread")


def test_sixty_thousand_unknown_keys_print_fifty_problems_and_a_count(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "".join(f"k{n}: v\n" for n in range(60_000)))
    start = time.process_time()
    with pytest.raises(ContentError) as caught:
        load_content(path)
    assert time.process_time() - start < 10
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:3:1: k0: unknown key 'k0'; expected one of: title, key_question")
    assert len(lines) == 51 and lines[-1].endswith("more problems: fix these first")


def test_many_syntax_errors_in_a_big_file_share_one_reading_budget(tmp_path: Path) -> None:
    entries = "".join(f"  - term: t{n}\n    definition: d\n" for n in range(10_000))  # 60,000 parser events
    path = write(tmp_path, MINIMAL + "glossary:\n" + entries + "".join(f"x{i}: a: b\n" for i in range(12)))
    start = time.process_time()
    found = problems(path)
    assert time.process_time() - start < 10
    assert len(found) == 2 and f"{path}:20004:6: a colon inside a value; put the whole value in quotes" in found
    assert found[0].endswith(  # found while reading the file again without the x0 section
        "more than 100,000 keys and values, counting the readings again after syntax errors: "
        "a topic has hundreds; the rest is unread"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.txt", "THE TSAR\n\nThe Tsar fell in 1917: a summary of what happened.\nMore prose.\n"),
        ("notes.md", "# The Tsar\n\n- The army was badly led\n- Losses: millions\n"),
        ("notes.yaml", "The Tsar fell in 1917.\nThe army was badly led, and losses were huge.\n"),
    ],
)
def test_notes_given_as_content_point_to_import(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path, text, name)
    (message,) = problems(path)
    assert message.startswith(f"{path}: expected a content file (YAML with `title:` and `key_question:`), found ")
    assert message.endswith(f"this looks like notes. To turn notes into a content file run: worksheetgen import {path}")


def test_notes_given_to_build_or_batch_point_to_import(tmp_path: Path) -> None:
    notes = write(tmp_path, "THE TSAR\n\nThe Tsar fell in 1917: a summary.\nThe army was badly led.\n", "notes.md")
    roster = write(tmp_path, "name\nAnn\n", "roster.csv")
    suggestion = f"this looks like notes. To turn notes into a content file run: worksheetgen import {notes}\n"
    for command in (("build", str(notes)), ("batch", str(roster), "--content", str(notes))):
        result = run(*command, "--out", str(tmp_path / "out"))
        assert result.returncode == 1 and result.stderr.startswith(f"error: {notes}: expected a content file")
        assert result.stderr.endswith(suggestion)
    assert not (tmp_path / "out").exists()


def test_content_in_a_txt_file_is_still_content(tmp_path: Path) -> None:
    assert load_content(write(tmp_path, MINIMAL, "topic.txt")).content.title == "Test"
    (message,) = problems(write(tmp_path, "title: T\n", "broken.txt"))  # a mistake in content, not notes
    assert message.endswith("key_question: required key is missing")


def test_a_value_longer_than_the_cap_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Fifth red-team pass: 300 KB of one cause's evidence took a minute of layout per sheet."""
    from worksheetgen.model import MAX_TEXT

    path = tmp_path / "topic.yaml"
    path.write_text(f"title: T\nkey_question: Why?\nsummary:\n  - {'word ' * (MAX_TEXT // 4)}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(path)
    message = str(caught.value)
    assert "topic.yaml:4:" in message and f"at most {MAX_TEXT:,} characters" in message, message


def test_a_sentence_value_has_a_lower_cap_than_a_passage(tmp_path: Path) -> None:
    """BROKEN 13: values meant to be a sentence or two hold at most MAX_SENTENCE characters, an
    evidence item (printed in a narrow cell of the grid's key) MAX_EVIDENCE, so what the built-in
    templates make fits their pages; a passage paragraph may still hold up to MAX_TEXT."""
    from worksheetgen.model import MAX_EVIDENCE, MAX_SENTENCE, MAX_TEXT

    path = tmp_path / "topic.yaml"
    long = "word " * (MAX_TEXT // 5 - 1)
    cause = f"  - id: a\n    title: {long}\n    category: political\n    timescale: trigger\n"
    causes = f"causes:\n{cause}    evidence: [{long}]\n"
    path.write_text(f"title: T\nkey_question: Why?\nsummary:\n  - {long}\n{causes}", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(path)
    title, message = [str(problem) for problem in caught.value.problems]
    assert f"topic.yaml:7:12: causes[0].title: expected at most {MAX_SENTENCE:,} characters" in title, title
    assert f"topic.yaml:10:16: causes[0].evidence[0]: expected at most {MAX_EVIDENCE:,} characters" in message, message
    path.write_text(f"title: T\nkey_question: Why?\nsummary:\n  - {long}\n", encoding="utf-8")
    assert len(load_content(path).content.summary[0]) > MAX_SENTENCE


@pytest.mark.parametrize("command", ["validate", "build", "pack"])
def test_marks_too_large_for_an_essay_question_are_an_error_not_an_overflow(tmp_path: Path, command: str) -> None:
    """The fourth red-team pass: `marks:` of 309 digits made build, pack and validate an OverflowError
    traceback (the mark scheme divides it into levels as a float). An exam question is worth at most
    100 marks (the shipped ones 12 to 25)."""
    question = "essay_questions:\n  - text: Explain why the Tsar fell.\n    marks: {marks}\n"
    path = write(tmp_path, MINIMAL + question.format(marks="9" * 309))
    args = (command, str(path)) if command == "validate" else (command, str(path), "--out", str(tmp_path / "out"))
    if command == "build":
        args += ("--sheet", "essay-planner", "--format", "pdf")
    done = run(*args)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [
        f"error: {path}:5:12: essay_questions[0].marks: expected a number no more than 100, found '{'9' * 37}...'"
    ]
    assert not (tmp_path / "out").exists()
    assert problems(write(tmp_path, MINIMAL + question.format(marks=101), "101.yaml")) == [
        f"{tmp_path / '101.yaml'}:5:12: essay_questions[0].marks: expected a number no more than 100, found '101'"
    ]
    assert load_content(write(tmp_path, MINIMAL + question.format(marks=100), "100.yaml")).content is not None


def test_a_card_line_longer_than_a_card_holds_is_an_error_at_its_line(tmp_path: Path) -> None:
    """A support diamond card is cut to the size of its box: a 165-character `card_line` ran the
    card far past it, so the cards no longer fitted the diamond."""
    from worksheetgen.model import CARD_LINE

    shipped = Path(__file__).parents[1] / "content" / "stalins-purges.yaml"
    text = shipped.read_text(encoding="utf-8").replace(
        'card_line: "Collectivisation made many angry"', f'card_line: "{"angry " * 20}"'
    )
    (message,) = problems(write(tmp_path, text, "topic.yaml"))
    assert ".card_line: expected at most" in message and f"{CARD_LINE} characters" in message, message
    assert "(this has 119)" in message, message  # 20 words and the spaces between them
