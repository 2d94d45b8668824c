"""The content loader: values as typed, and every problem located and explained at once."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    (message,) = problems(write(tmp_path, text))
    assert expected in message


def test_bom_is_ignored_and_cp1252_bytes_are_located(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_content(bom).content.title == "Test"
    cp1252 = tmp_path / "cp.yaml"
    cp1252.write_bytes(MINIMAL.encode() + b"period: Tsar\x92s fall\n")
    (message,) = problems(cp1252)
    assert message == f"{cp1252}:3:13: expected UTF-8 text, found byte 0x92; save the file as UTF-8"


def test_control_characters_are_cleaned_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, 'title: "Line\\x0bbreak\\x07"\nkey_question: Why?\n')
    loaded = load_content(path)
    assert loaded.content.title == "Line\nbreak"
    assert [w.path for w in loaded.warnings] == ["title", "title"]


def test_missing_file(tmp_path: Path) -> None:
    (message,) = problems(tmp_path / "nope.yaml")
    assert message.endswith("file not found")
