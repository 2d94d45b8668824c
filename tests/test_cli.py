"""The command line: wiring, file names, exit codes, and no tracebacks for bad input."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import traceback
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
    """`python -m worksheetgen ARGS` in a process of its own: for start-up, signals, the umask,
    workers that must die with their parent, and anything else a process is the point of."""
    return subprocess.run([sys.executable, "-m", "worksheetgen", *args], capture_output=True, text=True, cwd=cwd)


def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`worksheetgen ARGS` in this process, through `main()` as the console script runs it: the
    same exit codes, `error:` lines and output as `run`, without starting Python and importing
    the renderers again (over a second of CPU a call). An exception `main()` lets through is
    printed as a traceback with exit status 1, as the process would."""
    from worksheetgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = (sys.argv, os.getcwd(), signal.getsignal(signal.SIGTERM), dict(os.environ))
    code: int = 0
    try:
        sys.argv = ["worksheetgen", *args]
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
            except Exception:  # noqa: BLE001 - what the process would print before dying
                traceback.print_exc()
                code = 1
    finally:
        sys.argv = saved[0]
        os.chdir(saved[1])
        signal.signal(signal.SIGTERM, saved[2])
        os.environ.clear()
        os.environ.update(saved[3])
    return subprocess.CompletedProcess(["worksheetgen", *args], code, out.getvalue(), err.getvalue())


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
    result = invoke("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    for fragment in expected:
        assert any(f"{path}{fragment}" in line for line in lines), result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["build"], ["batch", "roster.csv"], ["preview"]])
def test_a_misspelt_sheet_kind_is_a_usage_mistake_with_the_nearest_kind(tmp_path: Path, command: list[str]) -> None:
    result = invoke(*command, "--sheet", "gapfill", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "'gapfill' is not a sheet kind; did you mean 'gap-fill'?" in result.stderr
    assert "diamond-nine" in result.stderr  # and every kind there is
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_missing_content_is_clear() -> None:
    result = invoke("build", "no-such-topic")
    assert result.returncode == 1 and "content 'no-such-topic' not found" in result.stderr


def test_choices_are_accepted_in_any_case(tmp_path: Path) -> None:
    result = invoke(
        "build",
        *("--sheet", "Gap-Fill", "--tier", "SUPPORT", "--format", "PDF", "--paper", "A4", "--profile", "Dyslexia"),
        *("--no-key", "--out", str(tmp_path)),
    )
    assert result.returncode == 0, result.stderr
    written = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")]
    assert written == ["dyslexia/stalins-purges_gap-fill_support.pdf"]  # each set in its own folder
    assert f"Wrote 1 file to {tmp_path}/dyslexia/" in result.stdout  # not "1 files"; the set folder named


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--tier", "hard", "'hard' is not a tier. Choose support, core or challenge."),
        ("--paper", "A5", "'A5' is not a paper size. Choose a4 or letter."),
        ("--profile", "larg-print", "'larg-print' is not a print profile; did you mean 'large-print'?"),
        ("--format", "odt", "'odt' is not a format. Choose pdf or docx."),
        ("--seed", "seven", "'seven' is not a whole number of 0 or more."),
    ],
)
def test_a_wrong_choice_says_what_is_allowed_in_plain_words(option: str, value: str, expected: str) -> None:
    result = invoke("build", option, value)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Value error" not in result.stderr and "Input should" not in result.stderr


def test_verbose_is_accepted_after_the_command_too() -> None:
    result = invoke("build", "missing.yaml", "--verbose")
    assert result.returncode == 1, result.stderr
    assert "Traceback" in result.stderr and "error: missing.yaml: file not found" in result.stderr


COMMANDS = ["build", "pack", "batch", "preview", "list", "validate", "new", "import", "trust", "schema", "serve"]


def help_text(*command: str) -> str:
    result = invoke(*command, "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_reads_like_prose_not_code(command: str) -> None:
    text = help_text(command)
    assert not re.search(r"<[a-z]+[^>]*>|\{[A-Z]|range\b|\[default:", text), text  # <list[str]>, {ROSTER}, <int range>
    assert "Example" in text or command == "list"


def test_the_command_list_is_whole_and_names_every_command() -> None:
    text = help_text()
    listed = re.findall(r"^  ([a-z]+) +(.+)$", text.split("Commands:")[1], re.MULTILINE)
    assert [name for name, _ in listed] == COMMANDS
    assert not any(summary.endswith("...") for _, summary in listed), text


def test_batch_help_states_the_real_default_sheets() -> None:
    from worksheetgen.batch import DEFAULT_KINDS

    text = " ".join(help_text("batch").split())
    assert (
        f"Default: {DEFAULT_KINDS[0]}, {DEFAULT_KINDS[1]} and {DEFAULT_KINDS[2]}." in text and len(DEFAULT_KINDS) == 3
    )


def test_the_help_texts_copies_of_library_values_are_true() -> None:
    from worksheetgen import batch, cli, pipeline

    assert (cli.PAPERS, cli.FORMATS, cli.DEFAULT_TOPIC) == (pipeline.PAPERS, pipeline.FORMATS, pipeline.DEFAULT_TOPIC)
    assert cli.BATCH_KINDS == batch.DEFAULT_KINDS


def test_list_shows_kinds_tiers_and_content() -> None:
    result = invoke("list")
    assert result.returncode == 0
    assert "gap-fill" in result.stdout and "support" in result.stdout and "stalins-purges" in result.stdout


def test_validate(tmp_path: Path) -> None:
    good = invoke("validate", str(DATA / "water-cycle.yaml"))
    assert good.returncode == 0 and "ok:" in good.stdout
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(BAD, encoding="utf-8")
    bad = invoke("validate", str(bad_file), str(DATA / "water-cycle.yaml"))
    assert bad.returncode == 1
    assert bad.stderr.count("error: ") == 2


def test_preview_renders_pages_to_png(tmp_path: Path) -> None:
    result = invoke("preview", "--tier", "support", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pngs = sorted(tmp_path.glob("*.png"))
    assert pngs and pngs[0].read_bytes().startswith(b"\x89PNG")
    from PIL import Image

    with Image.open(pngs[0]) as image:
        width, height = image.size
        assert abs(width - 210 / 25.4 * 60) <= 1 and abs(height - 297 / 25.4 * 60) <= 1
    bad = invoke("preview", str(tmp_path / "missing.pdf"), "--out", str(tmp_path))
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
    options = Options(kinds=("source-analysis",), formats=("docx",), out=tmp_path, draft=True)  # it has no sources
    report = generate(DATA / "water-cycle.yaml", options)
    assert report.warnings, "water-cycle.yaml has no sources: every tier should warn"
    assert len(report.warnings) == len(set(report.warnings)), report.warnings
    assert len(report.written) == 6  # three tiers, pupil copy and key: one warning per tier, not per file


LONG = "x" * 300  # a name part no file system accepts


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--templates", LONG),
        ("build", "--out", f"{LONG}/y"),
        ("import", f"{LONG}.txt"),
        ("preview", "--out", LONG),
        ("trust", LONG),
        ("new", "Topic", "--out", f"{LONG}.yaml"),
    ],
    ids=lambda args: args[0] + " " + args[1],
)
def test_a_name_too_long_for_the_file_system_is_a_plain_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Fifth red-team pass: six commands gave `OSError: [Errno 36] File name too long` tracebacks."""
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: ") and ("too long" in result.stderr or "not found" in result.stderr)


def test_schema_never_replaces_an_existing_file_without_force(tmp_path: Path) -> None:
    """Fifth red-team pass: `schema --out content/weimar.yaml` replaced a teacher's content file."""
    (tmp_path / "weimar.yaml").write_text("title: Weimar\n", encoding="utf-8")
    result = run("schema", "--out", "weimar.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (tmp_path / "weimar.yaml").read_text(encoding="utf-8") == "title: Weimar\n"
    assert run("schema", "--out", "weimar.yaml", "--force", cwd=tmp_path).returncode == 0


def test_the_console_script_leaves_its_objects_out_of_the_collection_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    cli_app = importlib.import_module("worksheetgen.cli.app")  # the module (the package's `app` is the Typer app)
    calls: list[str] = []

    def main() -> None:
        calls.append("main")
        raise SystemExit(0)  # as Typer ends every command

    monkeypatch.setattr(cli_app, "main", main)
    monkeypatch.setattr(cli_app.gc, "freeze", lambda: calls.append("freeze"))
    with pytest.raises(SystemExit):
        cli_app.console()
    assert calls == ["main", "freeze"]
    done = subprocess.run([sys.executable, "-m", "worksheetgen", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage: worksheetgen" in done.stdout


def test_messages_point_the_right_way_for_the_file_given(tmp_path: Path) -> None:
    """A new user's wrong turns: each message names the command that takes what they gave."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,class,tier\nAnn Smith,9X,core\n", encoding="utf-8")
    out = ("--out", str(tmp_path / "out"))
    built = invoke("build", str(roster), *out)
    assert built.returncode == 1 and f"worksheetgen batch {roster}" in built.stderr, built.stderr
    assert "worksheetgen import" not in built.stderr
    word = DATA / "corpus" / "weimar-republic.docx"
    from_word = invoke("build", str(word), *out)
    assert from_word.returncode == 1 and f"worksheetgen import {word}" in from_word.stderr, from_word.stderr
    assert "worksheetgen new" not in from_word.stderr
    content = Path(__file__).resolve().parent.parent / "content" / "stalins-purges.yaml"
    swapped = invoke("batch", str(content), *out)
    assert swapped.returncode == 1 and "looks like a content file" in swapped.stderr, swapped.stderr
    assert f"--content {content}" in swapped.stderr and "expected a `name` column" not in swapped.stderr
    tier = invoke("batch", str(roster), "--tier", "support", *out)
    assert tier.returncode == 2 and "No such option" not in tier.stderr, tier.stderr
    assert "the roster's `tier` column" in tier.stderr
    assert not (tmp_path / "out").exists()


def test_a_shipped_topic_is_found_in_any_case_and_a_misspelt_one_gets_did_you_mean(tmp_path: Path) -> None:
    from worksheetgen.pipeline import resolve_content
    from worksheetgen.resources import shipped_topics

    assert resolve_content("Stalins-Purges") == resolve_content("STALINS-PURGES") == shipped_topics()["stalins-purges"]
    result = invoke("build", "stalin-purges", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "did you mean 'stalins-purges'?" in result.stderr, result.stderr


def test_no_content_given_is_the_shipped_topic_whatever_is_in_the_folder(tmp_path: Path) -> None:
    """Red team: a folder (or file) named `stalins-purges` in the working folder shadowed the default
    topic (`build --sheet gap-fill` said it expected a content file, found a folder; a file of that
    name was read as the content). No CONTENT is the shipped topic; a name given is a path first."""
    from worksheetgen.pipeline import resolve_content
    from worksheetgen.resources import shipped_topics

    (tmp_path / "stalins-purges").mkdir()
    result = invoke("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "stalins-purges_gap-fill_core.pdf").exists()
    (tmp_path / "stalins-purges").rmdir()
    (tmp_path / "stalins-purges").write_text("title: not the shipped one\n", encoding="utf-8")
    saved = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert resolve_content(None) == shipped_topics()["stalins-purges"]
        assert resolve_content("stalins-purges") == Path("stalins-purges")  # named: the path wins
    finally:
        os.chdir(saved)
