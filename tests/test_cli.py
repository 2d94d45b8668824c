"""The command line: wiring, file names, exit codes, and no tracebacks for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA
from worksheetgen.document import Tier
from worksheetgen.model import Content
from worksheetgen.pipeline import Options, Sheet, build_document, generate
from worksheetgen.templating import search_path
from worksheetgen.wording import counted

BAD = "title: Test\nkey_question: Why?\ncuases: []\nessay_questions:\n  - text: Why?\n    marks: lots\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worksheetgen", *args], capture_output=True, text=True, cwd=cwd)


def test_build_writes_named_sheets_and_keys(tmp_path: Path) -> None:
    result = run("build", "--sheet", "gap-fill", "--tier", "core", "--format", "pdf", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["stalins-purges_gap-fill_core.pdf", "stalins-purges_gap-fill_core_key.pdf"]


def test_build_no_key_any_topic_from_any_folder(tmp_path: Path) -> None:
    content = DATA / "water-cycle.yaml"
    result = run("build", str(content), "--sheet", "gap-fill", "--no-key", "--out", "sheets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "sheets").iterdir())
    assert len(names) == 6 and not any("key" in n for n in names)
    assert {n.split("_")[2].split(".")[0] for n in names} == {"support", "core", "challenge"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BAD, [":3:1: cuases: unknown key 'cuases'; did you mean 'causes'?", ":6:12: essay_questions[0].marks"]),
        ("title: Test\nkey_question: Why?\nglossary:\n\t- term: x\n", [":4:1: tab used for indentation"]),
    ],
)
def test_bad_content_exits_1_with_located_messages_and_no_traceback(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text(content, encoding="utf-8")
    result = run("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    for fragment in expected:
        assert any(f"{path}{fragment}" in line for line in lines), result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_kind_and_missing_content_are_clear(tmp_path: Path) -> None:
    result = run("build", "--sheet", "gapfill", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "unknown sheet kind 'gapfill'; available: " in result.stderr and "gap-fill" in result.stderr
    result = run("build", "no-such-topic")
    assert result.returncode == 1 and "content 'no-such-topic' not found" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("build", "--tier", "hard").returncode == 2


def test_list_shows_kinds_tiers_and_content() -> None:
    result = run("list")
    assert result.returncode == 0
    assert "gap-fill" in result.stdout and "support" in result.stdout and "stalins-purges" in result.stdout


def test_validate(tmp_path: Path) -> None:
    good = run("validate", str(DATA / "water-cycle.yaml"))
    assert good.returncode == 0 and "ok:" in good.stdout
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(BAD, encoding="utf-8")
    bad = run("validate", str(bad_file), str(DATA / "water-cycle.yaml"))
    assert bad.returncode == 1
    assert bad.stderr.count("error: ") == 2


def test_preview_renders_pages_to_png(tmp_path: Path) -> None:
    result = run("preview", "--tier", "support", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pngs = sorted(tmp_path.glob("*.png"))
    assert pngs and pngs[0].read_bytes().startswith(b"\x89PNG")
    from PIL import Image

    with Image.open(pngs[0]) as image:
        width, height = image.size
        assert abs(width - 210 / 25.4 * 60) <= 1 and abs(height - 297 / 25.4 * 60) <= 1
    bad = run("preview", str(tmp_path / "missing.pdf"), "--out", str(tmp_path))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


# What the teacher reads: each warning once, in good English ------------------------------------------------------

THIN = {
    "title": "The Strike",
    "key_question": "Why did the strike happen?",
    "summary": ["It began quietly. In 1901 the first [[strike]] broke out in the docks. It ended in silence."],
    "glossary": [{"term": "strike", "definition": "Refusing to work until demands are met."}],
    "events": [{"date": "1901", "title": "The dock strike"}],
    "causes": [
        {"id": "pay", "title": "Low pay", "category": "economic", "timescale": "long-term", "evidence": ["Wages fell."]}
    ],
}


@pytest.mark.parametrize(
    ("kind", "tier", "expected"),
    [
        ("gap-fill", Tier.support, "only 1 gap could be made for the support tier"),
        ("ranking-ladder", Tier.support, "only 1 cause in the content for a ladder of 5 rungs"),
        ("diamond-nine", Tier.core, "only 1 cause in the content; added 8 blank cards instead"),
        ("causation-grid", Tier.support, "only 1 cause for the support tier"),
        ("source-analysis", Tier.support, "the support tier needs 1 source; the content has 0"),
        ("key-terms", Tier.support, "only 1 term could be used for the support tier"),
        ("timeline", Tier.support, "only 1 event can be ordered"),
    ],
)
def test_warnings_count_in_good_english(kind: str, tier: Tier, expected: str) -> None:
    _, notes = build_document(Content.model_validate(THIN), Sheet(kind, tier), 0, search_path())
    assert any(expected in note for note in notes), notes


def test_counted_nouns() -> None:
    assert [counted(n, "gap") for n in (0, 1, 2)] == ["0 gaps", "1 gap", "2 gaps"]
    assert counted(1, "blank card") == "1 blank card" and counted(3, "person", "people") == "3 people"


def test_each_warning_is_given_once(tmp_path: Path) -> None:
    report = generate(DATA / "water-cycle.yaml", Options(kinds=("source-analysis",), formats=("docx",), out=tmp_path))
    assert report.warnings, "water-cycle.yaml has no sources: every tier should warn"
    assert len(report.warnings) == len(set(report.warnings)), report.warnings
    assert len(report.written) == 6  # three tiers, pupil copy and key: one warning per tier, not per file
