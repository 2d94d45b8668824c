"""The gate (issue 13): no `TODO` and no empty activity reaches a pupil's sheet or a key without --draft.

Drafts come from the importer on notes of the corpus (tests/data/corpus/); hand-made content
gives cases whose answer is known from the file itself (a placeholder key question is on every
sheet; two glossary terms are too few for key terms). Every output is read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import DATA
from tests.corpus import CORPUS
from tests.readback import docx_text, pdf_text, squash
from tests.test_cli import invoke as run  # in this process: the process is not what these check
from worksheetgen.document import DRAFT_LABEL, Tier
from worksheetgen.gate import NEEDS, check_sheet, placeholders, review
from worksheetgen.importer import import_file
from worksheetgen.kinds import PREPARERS
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import (
    Options,
    Sheet,
    build_document,
    build_sheet,
    checked_document,
    generate,
    list_kinds,
    pack,
)
from worksheetgen.resources import shipped_topics
from worksheetgen.templating import search_path

ROOT = Path(__file__).resolve().parent.parent
ERROR = re.compile(
    r"^error: (?P<file>[^:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<path>[\w.\[\]]+): (?P<message>.*)$"
)
NOTES = ("great-fire-of-london.md", "electric-circuits.txt")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each notes file imported once, written where `build` reads it."""
    folder = tmp_path_factory.mktemp("drafts")
    paths = {}
    for name in NOTES:
        path = folder / f"{Path(name).stem}.yaml"
        path.write_text(import_file(CORPUS / name).yaml, encoding="utf-8")
        paths[name] = path
    return paths


def hand_made(folder: Path, **changes: object) -> Path:
    """The shipped topic with some keys changed: everything else is finished."""
    data = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    data.update(changes)
    path = folder / "topic.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    """The line a top-level key is on, read from the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{key}:"))


def errors(stderr: str) -> list[re.Match[str]]:
    found = [ERROR.match(line) for line in stderr.splitlines() if line.startswith("error: ")]
    return [m for m in found if m]


def pdf_pages_text(path: Path) -> list[str]:
    return [squash(page.extract_text() or "") for page in PdfReader(path).pages]


def docx_furniture(path: Path) -> str:
    """The header and footer text of every section (each is on every page of the section)."""
    word = docx.Document(str(path))
    parts = [p.text for s in word.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return squash(" ".join(parts))


# validate ---------------------------------------------------------------------------------------


def test_validate_lists_every_todo_at_its_line_and_calls_the_file_a_draft(drafts: dict[str, Path]) -> None:
    path = drafts["great-fire-of-london.md"]
    lines = path.read_text("utf-8").splitlines()
    todo_lines = [n for n, line in enumerate(lines, 1) if "TODO" in line and not line.lstrip().startswith("#")]
    assert todo_lines, "the import should leave something to write"
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr  # valid content: the draft is a warning, not an error
    assert result.stdout.startswith(f"draft: {path}") and f"{len(todo_lines)} values still TODO" in result.stdout
    placeholders = [line for line in result.stderr.splitlines() if "still a placeholder" in line]
    assert len(placeholders) == len(todo_lines)
    for number, warning in zip(todo_lines, placeholders, strict=True):
        assert warning.startswith(f"warning: {path}:{number}:"), warning


def test_validate_names_the_kinds_the_content_cannot_fill_and_the_fields_that_would(drafts: dict[str, Path]) -> None:
    path = drafts["electric-circuits.txt"]
    data = yaml.safe_load(path.read_text("utf-8"))
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr
    if not data.get("sources"):
        assert "source-analysis needs at least 1 source, found none: add 1 under `sources:`" in result.stderr
    if not data.get("causes"):
        assert "ranking-ladder needs at least 3 causes, found none: add 3 under `causes:`" in result.stderr
    minimal = path.with_name("minimal.yaml")
    minimal.write_text("title: Rivers\nkey_question: How do rivers shape the land?\nglossary:\n"
                       "  - term: meander\n    definition: A bend in a river.\n", encoding="utf-8")  # fmt: skip
    result = run("validate", str(minimal))
    assert f"warning: {minimal}:4:3: glossary: key-terms needs at least 4 terms with definitions, found 1: " \
           "add 3 under `glossary:`" in result.stderr  # fmt: skip
    assert result.stdout.startswith(f"ok: {minimal}; not enough yet for {len(NEEDS)} sheet kinds")


def test_validate_says_only_ok_for_finished_content() -> None:
    result = run("validate", str(shipped_topics()["stalins-purges"]))
    assert result.returncode == 0 and result.stdout.strip() == f"ok: {shipped_topics()['stalins-purges']}"
    assert "warning" not in result.stderr


# build, pack, batch: kept back without --draft -------------------------------------------------


def test_a_placeholder_on_every_sheet_keeps_every_sheet_back_at_its_line(tmp_path: Path) -> None:
    path = hand_made(tmp_path, key_question="TODO: write the key question?")
    out = tmp_path / "out"
    result = run("build", str(path), "-s", "gap-fill", "-s", "timeline", "-t", "core", "-o", str(out))
    assert result.returncode == 1
    found = errors(result.stderr)
    assert len(found) == 1 and found[0]["path"] == "key_question"
    assert int(found[0]["line"]) == line_of(path, "key_question")
    assert "keeps back gap-fill (core, with keys), timeline (core, with keys)" in found[0]["message"]
    assert "4 sheets not built, so nothing was:" in result.stderr and "--draft" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_build_keeps_back_a_kind_given_too_little_and_builds_the_rest(tmp_path: Path) -> None:
    shipped = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    path = hand_made(tmp_path, glossary=shipped["glossary"][:2])
    out = tmp_path / "out"
    result = run("build", str(path), "-s", "key-terms", "-s", "gap-fill", "-t", "support", "-o", str(out))
    assert result.returncode == 1
    found = errors(result.stderr)
    assert [(m["path"], int(m["line"])) for m in found] == [("glossary", line_of(path, "glossary") + 1)]
    assert "key-terms needs at least 4 terms with definitions, found 2: add 2 under `glossary:`" in found[0]["message"]
    assert "2 sheets not built (the 2 others were)" in result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"topic_gap-fill_support{key}.{fmt}" for key in ("", "_key") for fmt in ("docx", "pdf")]
    for pdf in out.glob("*.pdf"):
        assert "DRAFT" not in pdf_text(pdf) and "TODO" not in pdf_text(pdf)


def test_an_imported_draft_builds_only_finished_sheets(tmp_path: Path, drafts: dict[str, Path]) -> None:
    path = drafts["great-fire-of-london.md"]
    lines = path.read_text("utf-8").splitlines()
    out = tmp_path / "out"
    result = run("build", str(path), "-t", "core", "-o", str(out))
    kept = {s for s, _ in generate(path, Options(tiers=(Tier.core,), out=tmp_path / "again")).kept_back}
    assert kept, "an imported draft should have something to finish"
    assert result.returncode == 1
    for match in errors(result.stderr):
        assert match["file"] == str(path)
        if match["line"] and "placeholder" in match["message"]:
            assert "TODO" in lines[int(match["line"]) - 1]
    for kind in list_kinds():
        for sheet in (Sheet(kind, Tier.core), Sheet(kind, Tier.core, True)):
            files = list(out.glob(f"*_{kind}_core{'_key' if sheet.is_key else ''}.*"))
            assert len(files) == (0 if sheet in kept else 2), (sheet, files)
    for pdf in out.glob("*.pdf"):
        words = pdf_text(pdf)
        assert "TODO" not in words and "DRAFT" not in words, pdf.name
    for word in out.glob("*.docx"):
        assert "TODO" not in docx_text(word) and "DRAFT" not in docx_furniture(word), word.name


def test_pack_prints_only_finished_sheets_or_no_print_file(tmp_path: Path) -> None:
    shipped = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    path = hand_made(tmp_path, glossary=shipped["glossary"][:2])
    out = tmp_path / "out"
    result = run("pack", str(path), "-s", "key-terms", "-s", "timeline", "-t", "core", "-o", str(out))
    assert result.returncode == 1 and "keeps back key-terms (core, with keys)" in result.stderr
    printed = pdf_text(out / "topic_print.pdf")
    assert "Timeline" in printed and "Key terms" not in printed and "TODO" not in printed
    none = run("pack", str(path), "-s", "key-terms", "-t", "core", "-o", str(tmp_path / "none"))
    assert none.returncode == 1 and not (tmp_path / "none" / "topic_print.pdf").exists()
    assert "Traceback" not in none.stderr and "Wrote 0 files" in none.stdout


def test_batch_leaves_out_unfinished_kinds_for_every_pupil(tmp_path: Path) -> None:
    shipped = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    path = hand_made(tmp_path, glossary=shipped["glossary"][:2])
    roster = tmp_path / "roster.csv"
    roster.write_text("name,class,tier\nAna Lee,9X,support\nBen Ray,9X,core\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(roster), "-c", str(path), "-s", "key-terms", "-s", "gap-fill", "-o", str(out))
    assert result.returncode == 1
    found = errors(result.stderr)
    assert found and all(m["file"] == str(path) and m["line"] for m in found)
    assert "1 sheet kind not built (the other was)" in result.stderr
    assert not list(out.rglob("*key-terms*")) and len(list(out.rglob("*gap-fill*.pdf"))) == 4  # 2 pupils, 2 keys
    assert "Key terms" not in pdf_text(out / "9X" / "9X_print.pdf")
    nothing = run("batch", str(roster), "-c", str(path), "-s", "key-terms", "-o", str(tmp_path / "nothing"))
    assert (
        nothing.returncode == 1
        and "1 sheet kind not built, so nothing was:" in nothing.stderr
        and not (tmp_path / "nothing").exists()
    )


# --draft: built, and marked on every page ------------------------------------------------------


@pytest.fixture(scope="module")
def draft_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Draft runs of build, pack and batch of two unfinished kinds (and one finished kind, which
    stays unmarked), and the Word files laid out by LibreOffice."""
    root = tmp_path_factory.mktemp("draft")
    shipped = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    path = hand_made(root, glossary=shipped["glossary"][:2], sources=[])
    kinds = ("-s", "key-terms", "-s", "source-analysis")
    built = run("build", str(path), *kinds, "-s", "gap-fill", "-t", "support", "--draft", "-o", str(root / "build"))
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("printed as DRAFT: ") == 2
    packed = run("pack", str(path), *kinds, "-t", "core", "--draft", "-f", "pdf", "-o", str(root / "pack"))
    assert packed.returncode == 0, packed.stderr
    roster = root / "roster.csv"
    roster.write_text("name,class,tier\nAna Lee,9X,support\nBen Ray,9X,challenge\n", encoding="utf-8")
    batch = run("batch", str(roster), "-c", str(path), "-s", "source-analysis", "--draft", "-o", str(root / "batch"))
    assert batch.returncode == 0, batch.stderr
    words = sorted([*(root / "build").rglob("*.docx"), *(root / "batch").rglob("*.docx")])
    laid_out = root / "laid-out"
    soffice = shutil.which("soffice")
    if soffice:  # one call for every file (LibreOffice is slow to start)
        profile = f"-env:UserInstallation=file://{root / 'lo-profile'}"  # never one another run is using
        command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(laid_out), *map(str, words)]
        subprocess.run(command, capture_output=True, timeout=300, check=False)
    pdfs = [*(root / "build").rglob("*.pdf"), *(root / "pack").rglob("*.pdf"), *(root / "batch").rglob("*.pdf")]
    return {"pdf": sorted(pdfs), "docx": words, "laid-out": sorted(laid_out.glob("*.pdf")) if soffice else []}


def finished(path: Path) -> bool:
    """The gap-fill of the draft runs: its content is finished, so it is built unmarked."""
    return "gap-fill" in path.name


def test_draft_pdfs_say_draft_on_every_page(draft_outputs: dict[str, list[Path]]) -> None:
    assert len([p for p in draft_outputs["pdf"] if not finished(p)]) >= 10
    for pdf in draft_outputs["pdf"]:
        pages = pdf_pages_text(pdf)
        if finished(pdf):
            assert not any("DRAFT" in text for text in pages), pdf.name
            continue
        print_file = pdf.name.endswith("_print.pdf")
        for number, text in enumerate(pages[1:] if print_file else pages, start=2 if print_file else 1):
            if text or not print_file:  # a print file: its contents page, and blank backs for double-sided
                assert "DRAFT" in text and DRAFT_LABEL in text, (pdf.name, number, text[:80])


def test_draft_word_files_say_draft_in_their_header_and_footer(draft_outputs: dict[str, list[Path]]) -> None:
    assert len(draft_outputs["docx"]) >= 8
    for word in draft_outputs["docx"]:
        furniture = docx_furniture(word)
        if finished(word):
            assert "DRAFT" not in furniture, word.name
        else:
            assert furniture.startswith("DRAFT") and DRAFT_LABEL in furniture, (word.name, furniture)
    if not draft_outputs["laid-out"]:
        pytest.skip("LibreOffice is not installed")
    assert len(draft_outputs["laid-out"]) == len(draft_outputs["docx"])
    for pdf in draft_outputs["laid-out"]:
        for number, text in enumerate(pdf_pages_text(pdf), start=1):
            assert ("DRAFT" in text) != finished(pdf), (pdf.name, number)


def test_an_imported_draft_prints_with_draft_whole_and_marked(tmp_path: Path, drafts: dict[str, Path]) -> None:
    """The mark is added, nothing taken away: the draft's own events are on its timeline key."""
    path = drafts["electric-circuits.txt"]
    content = Content.model_validate(yaml.safe_load(path.read_text("utf-8")))
    out = tmp_path / "out"
    result = run("build", str(path), "-s", "timeline", "-t", "support", "-f", "pdf", "--draft", "-o", str(out))
    assert result.returncode == 0, result.stderr
    key = next((out / "draft").glob("*_timeline_support_key.pdf"))
    text = pdf_text(key)
    for event in content.events:
        assert squash(event.title)[:25] in text, event.title
    marked = "printed as DRAFT" in result.stderr
    assert all(("DRAFT" in page) == marked for page in pdf_pages_text(key))


# Finished content, and the kinds ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list_kinds())
def test_finished_content_builds_unchanged(shipped: Content, kind: str) -> None:
    search = search_path()
    for tier in Tier:
        for is_key in (False, True):
            sheet = Sheet(kind, tier, is_key)
            plain, _ = build_document(shipped, sheet, 0, search)
            for draft in (False, True):
                checked, _, unfinished = checked_document(shipped, sheet, 0, search, draft=draft)
                assert unfinished == () and checked == plain, (sheet, unfinished)


@pytest.mark.parametrize("kind", sorted(NEEDS))
def test_every_kind_refuses_empty_content_naming_the_field_to_fill(kind: str) -> None:
    content = Content(title="Rivers", key_question="How do rivers shape the land?")
    assert kind in PREPARERS
    for tier in Tier:
        document, _, prepared = build_sheet(content, Sheet(kind, tier), 0, search_path())
        unfinished = check_sheet(kind, document, prepared, content)
        assert [item.path for item in unfinished] == [(NEEDS[kind].field,)], (kind, tier)
        assert f"`{NEEDS[kind].field}:`" in unfinished[0].message and "found none" in unfinished[0].message


def test_no_template_prints_a_fallback_in_place_of_an_activity() -> None:
    for template in (ROOT / "templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"has no (sources|dated events)|\{\{ sheet\.distractors \| length \}\} definitions", text)


def test_a_placeholder_anywhere_in_hand_written_content_is_caught(tmp_path: Path) -> None:
    path = DATA / "great-fire.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"][0] = data["summary"][0] + " TODO check this date."
    content = Content.model_validate(data)
    document, _, prepared = build_sheet(content, Sheet("gap-fill", Tier.core), 0, search_path())
    assert [item.path for item in check_sheet("gap-fill", document, prepared, content)] == [("summary", 0)]


def test_the_import_benchmark_still_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_import.py")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "TODO" in result.stdout


def test_a_placeholder_in_your_own_template_is_caught_too(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mine.j2").write_text('<sheet title="Mine"><p>TODO: write the instructions</p></sheet>', "utf-8")
    out = tmp_path / "out"
    result = run("build", "-s", "mine", "-t", "core", "--templates", str(folder), "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the sheet prints a placeholder “TODO: write the instructions”" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    drafted = run("build", "-s", "mine", "-t", "core", "--templates", str(folder), "--draft", "-o", str(out))
    assert drafted.returncode == 0 and all(
        "DRAFT" in page for page in pdf_pages_text(next((out / "draft").glob("*_core.pdf")))
    )


def test_a_draft_never_replaces_a_finished_sheet(tmp_path: Path) -> None:
    """`pack X --draft` after `pack X` wrote over the finished `X_print.pdf` with a DRAFT one, exit 0:
    drafts go into a `draft` folder of their own, for pack, build and batch alike."""
    shipped = yaml.safe_load(shipped_topics()["stalins-purges"].read_text(encoding="utf-8"))
    path = hand_made(tmp_path, glossary=shipped["glossary"][:2])
    out = tmp_path / "out"
    finished_run = Options(kinds=("gap-fill",), tiers=(Tier.core,), formats=("pdf",), out=out)
    print_file = out / "topic_print.pdf"
    assert print_file in pack(path, finished_run).written
    before = print_file.read_bytes()
    report = pack(path, replace(finished_run, kinds=("gap-fill", "key-terms"), draft=True))
    assert print_file.read_bytes() == before and "DRAFT" not in pdf_text(print_file)
    assert out / "draft" / "topic_print.pdf" in report.written
    assert all(p.parent == out / "draft" for p in report.written)
    assert DRAFT_LABEL.split()[0] in pdf_text(out / "draft" / "topic_key-terms_core.pdf")
    assert generate(path, replace(finished_run, draft=True)).written[0].parent == out / "draft"


def test_only_the_sheets_being_built_get_warnings(tmp_path: Path, drafts: dict[str, Path]) -> None:
    """`pack` on an imported draft printed ~30 notes about sheets it was keeping back ("only 3
    causes ... added 6 blank cards"): only sheets built are warned about; the rest are listed once
    as what to finish."""
    options = Options(kinds=("diamond-nine", "gap-fill"), tiers=(Tier.core,), formats=("pdf",), out=tmp_path)
    report = generate(drafts["great-fire-of-london.md"], options)
    assert report.built == 2 and report.refused is not None  # gap-fill and its key; diamond-nine kept back
    assert report.warnings and all(w.startswith("gap-fill (core): ") for w in report.warnings), report.warnings
    assert "2 sheets not built (the 2 others were)" in str(report.refused)
    none = generate(drafts["great-fire-of-london.md"], replace(options, kinds=("diamond-nine",), key=False))
    assert none.warnings == [] and "1 sheet not built, so nothing was: " in str(none.refused)
    assert "print it marked DRAFT" in str(none.refused)


@pytest.mark.parametrize("name", NOTES)
def test_import_and_validate_give_the_same_counts_in_the_same_words(drafts: dict[str, Path], name: str) -> None:
    """`import` said "2 values to fill in" and "support needs 6 terms" where `validate` said "1 value
    still TODO" and "key-terms needs at least 4 terms": both now count TODO values alike, and
    each kind's least to build is said in the gate's words, what full sheets use apart."""
    imported = import_file(CORPUS / name)
    loaded = load_content(drafts[name])
    found = review(loaded, list_kinds())
    todo = sum(p.message.startswith("still a placeholder") for p in found)
    assert imported.todos == todo == len(list(placeholders(loaded.content)))
    said = {re.sub(r":.*", "", p.message) for p in found if " needs at least " in p.message}
    listed = " ".join(fix.text for fix in imported.checklist)
    assert said and all(phrase in listed for phrase in said), (said, listed)
    assert not re.search(r"\b(support|core|challenge) needs \d", listed)  # a full tier's count is not a need
