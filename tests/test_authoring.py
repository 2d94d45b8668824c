"""Authoring helpers: the starter file, and the JSON Schema editors use."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.readback import pdf_text
from tests.test_cli import invoke as run  # in this process: the process is not what these check
from worksheetgen.authoring import SCHEMA_FILE, content_schema, essay_question_for, key_question_for, write_new
from worksheetgen.errors import OutputError
from worksheetgen.loader import load_content
from worksheetgen.pipeline import Options, generate, list_kinds, resolve_content


def test_new_writes_a_starter_that_validates_and_builds_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "revolution.yaml"
    write_new(path, "the 1905 Revolution")
    content = load_content(path).content
    assert content.title == "the 1905 Revolution"
    report = generate(path, Options(out=tmp_path / "out", formats=("pdf",), key=False))
    assert len(report.written) == len(list_kinds()) * 3
    assert "the 1905 Revolution" in pdf_text(tmp_path / "out" / "revolution_gap-fill_core.pdf")


@pytest.mark.parametrize(
    ("title", "question", "essay"),
    [
        (
            "The Weimar Republic",
            "Why was the Weimar Republic significant?",
            "Explain why the Weimar Republic was significant.",
        ),
        ("The 1905 Revolution", "Why did the 1905 Revolution happen?", "Explain why the 1905 Revolution happened."),
        ("The Murder of Kirov", "Why did the Murder of Kirov happen?", "Explain why the Murder of Kirov happened."),
        ("The Tudors", "Why were the Tudors significant?", "Explain why the Tudors were significant."),
        ("Why did the Tsar abdicate?", "Why did the Tsar abdicate?", "Why did the Tsar abdicate? Explain your answer."),
    ],
)
def test_new_asks_a_sensible_key_question(title: str, question: str, essay: str) -> None:
    assert (key_question_for(title), essay_question_for(title)) == (question, essay)


def test_new_refuses_a_blank_title_as_a_usage_mistake(tmp_path: Path) -> None:
    for title in ("", "   ", "?!"):
        result = run("new", title, cwd=tmp_path)
        assert result.returncode == 2 and "a topic needs a title" in result.stderr, result.stderr
    assert not (tmp_path / "content").exists()


def test_the_starter_names_its_file_and_the_schema_as_readme_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_new(Path("content/weimar.yaml"), "The Weimar Republic")
    text = Path("content/weimar.yaml").read_text(encoding="utf-8")
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    modeline = "# yaml-language-server: $schema=../content.schema.json"
    assert modeline in text and modeline in readme
    assert f"worksheetgen schema --out {SCHEMA_FILE}" in text and f"worksheetgen schema --out {SCHEMA_FILE}" in readme
    assert "worksheetgen validate content/weimar.yaml" in text
    assert load_content(Path("content/weimar.yaml")).content.key_question == "Why was the Weimar Republic significant?"


def test_new_takes_a_title_without_quotes_and_names_the_file_without_characters_a_shell_trips_on(
    tmp_path: Path,
) -> None:
    result = run("new", "Stalin's", "Purges", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["stalins-purges.yaml"]
    assert load_content(tmp_path / "content" / "stalins-purges.yaml").content.title == "Stalin's Purges"


def test_new_never_overwrites_a_teachers_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my notes", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists"):
        write_new(path, "Anything")
    assert path.read_text(encoding="utf-8") == "my notes"
    result = run("new", "Anything", "--out", str(path))
    assert result.returncode == 1 and path.read_text(encoding="utf-8") == "my notes"


def test_schema_accepts_the_shipped_content_as_an_editor_reads_it() -> None:
    schema = content_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    as_an_editor_reads_it = yaml.safe_load(resolve_content(None).read_text(encoding="utf-8"))
    jsonschema.validate(as_an_editor_reads_it, schema)


def test_schema_catches_what_the_loader_catches() -> None:
    validator = jsonschema.Draft202012Validator(content_schema())
    bad = {"title": "T", "key_question": "Q", "cuases": [], "causes": [{"id": "a", "title": "A", "category": "x"}]}
    messages = sorted(error.message for error in validator.iter_errors(bad))
    assert any("cuases" in m for m in messages)
    assert any("'x' is not one of" in m for m in messages)


def test_schema_command_prints_json(tmp_path: Path) -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "worksheetgen content"


def test_the_starter_agrees_with_the_schema_as_an_editor_reads_it() -> None:
    """The starter had `marks: "12"` where the schema says a whole number: an editor using the
    schema flagged the file `new` had just written."""
    from worksheetgen.authoring import starter_text

    as_an_editor_reads_it = yaml.safe_load(starter_text("The 1905 Revolution"))
    errors = [e.message for e in jsonschema.Draft202012Validator(content_schema()).iter_errors(as_an_editor_reads_it)]
    assert errors == []
