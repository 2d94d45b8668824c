"""Output files as a school technician finds them on a shared drive: readable by other staff,
one folder per set so no set replaces another, clear refusals for a file or a link in the
way, no debris from killed runs and no workers left running, big classes split for the copier."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from pypdf import PdfReader

from tests.readback import pdf_text, squash
from tests.test_batch import write_roster
from worksheetgen.batch import plan_jobs
from worksheetgen.document import Document, Tier
from worksheetgen.output import TEMP_SUFFIX, remove_stale_temporaries, set_name
from worksheetgen.pipeline import Options, generate, resolve_content
from worksheetgen.roster import read_roster

GAP_FILL = ("--sheet", "gap-fill", "--tier", "core")


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process, with the umask a user's login gives it."""
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    command = [sys.executable, "-m", "worksheetgen", *args]
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=preexec, timeout=300)


def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in this process (tests.test_cli.invoke), where the process is not what is checked."""
    from tests.test_cli import invoke

    return invoke(*args)


def fonts_of(path: Path) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }


# Modes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_files_get_the_mode_the_umask_gives_a_new_file(tmp_path: Path, umask: int, mode: int) -> None:
    """On a shared drive other staff must be able to open and print the sheets."""
    out = tmp_path / "out"
    assert run("build", *GAP_FILL, "--out", str(out), umask=umask).returncode == 0
    roster = write_roster(tmp_path, "name,class\nAnn Smith,9X\nBen Jones,9X\n")
    result = run("batch", str(roster), "--sheet", "gap-fill", "--out", str(out / "class"), umask=umask)
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 4 + 4 + 1 + 4  # build; the pupils' sheets, their print file and the keys
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(mode)}


# One folder per set ------------------------------------------------------------------------


def test_sets_are_named_by_what_differs_from_the_usual_set() -> None:
    assert set_name() == ""
    assert set_name(profile="dyslexia", cream=True) == "dyslexia_cream"
    assert set_name(paper="letter", seed=7) == "letter_seed-7"
    assert set_name(profile="large-print", paper="letter", cream=True, seed=3) == "large-print_cream_letter_seed-3"


def test_a_dyslexia_set_and_a_seed_7_set_in_one_folder_are_both_kept(tmp_path: Path) -> None:
    """The report: dyslexia and cream, then --seed 7, wrote the same file and lost the first."""
    out = tmp_path / "handouts"
    sheet = ("--sheet", "diamond-nine", "--tier", "core", "--out", str(out))
    first = invoke("build", *sheet, "--profile", "dyslexia", "--cream")
    assert first.returncode == 0, first.stderr
    second = invoke("build", *sheet, "--seed", "7")
    assert second.returncode == 0, second.stderr
    dyslexia = out / "dyslexia_cream" / "stalins-purges_diamond-nine_core.pdf"
    seeded = out / "seed-7" / "stalins-purges_diamond-nine_core.pdf"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "dyslexia_cream/stalins-purges_diamond-nine_core.pdf",
        "dyslexia_cream/stalins-purges_diamond-nine_core_key.pdf",
        "seed-7/stalins-purges_diamond-nine_core.pdf",
        "seed-7/stalins-purges_diamond-nine_core_key.pdf",
    ]
    assert any(f.startswith("Andika") for f in fonts_of(dyslexia))
    assert not any(f.startswith("Andika") for f in fonts_of(seeded))
    assert b"1 .973 .906 rg" in PdfReader(dyslexia).pages[0].get_contents().get_data()  # cream
    assert (out / "seed-7" / "stalins-purges_diamond-nine_core.docx").exists()


def test_pack_and_batch_keep_their_sets_apart_too(tmp_path: Path) -> None:
    out = tmp_path / "out"
    packed = invoke("pack", "--sheet", "gap-fill", "--tier", "core", "--paper", "letter", "--out", str(out))
    assert packed.returncode == 0, packed.stderr
    assert "print this one: stalins-purges_print.pdf" in packed.stdout
    letter = out / "letter" / "stalins-purges_print.pdf"
    assert [round(float(x)) for x in PdfReader(letter).pages[1].mediabox[2:]] == [612, 792]
    roster = write_roster(tmp_path, "name,class\nAnn Smith,9X\n")
    for seed in ("0", "7"):
        result = invoke("batch", str(roster), "--sheet", "gap-fill", "--seed", seed, "--out", str(out))
        assert result.returncode == 0, result.stderr
    for folder in (out, out / "seed-7"):
        assert (folder / "9X" / "Ann-Smith_gap-fill.pdf").exists() and (folder / "9X" / "9X_print.pdf").exists()
        assert (folder / "keys" / "9X_stalins-purges_gap-fill_core_variant-A_key.pdf").exists()


# A file or a link where a folder should be ------------------------------------------------


@pytest.mark.parametrize("command", ["build", "pack", "batch"])
def test_an_output_folder_that_is_a_file_is_refused_saying_so(tmp_path: Path, command: str) -> None:
    handouts = tmp_path / "handouts"
    handouts.write_text("my notes", encoding="utf-8")
    roster = write_roster(tmp_path, "name\nAnn\n")
    args = {"build": GAP_FILL, "pack": GAP_FILL, "batch": (str(roster), "--sheet", "gap-fill")}[command]
    result = invoke(command, *args, "--out", str(handouts))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"error: '{handouts}' is a file, not a folder: choose another output folder with --out, or move the file\n"
    )
    assert handouts.read_text(encoding="utf-8") == "my notes"


def test_a_linked_class_folder_is_not_written_through(tmp_path: Path) -> None:
    """`out/9X -> ../elsewhere`: the run stops before writing, saying which link."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "9X").symlink_to(Path("..") / "elsewhere")
    roster = write_roster(tmp_path, "name,class\nAnn Smith,9X\n")
    result = invoke("batch", str(roster), "--sheet", "gap-fill", "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: '{out / '9X'}' is a link to '../elsewhere'; worksheetgen does not write through links" in (
        result.stderr
    )
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in out.iterdir()) == ["9X"]


@pytest.mark.parametrize(("link", "args"), [("keys", ()), ("dyslexia", ("--profile", "dyslexia"))])
def test_linked_keys_and_set_folders_are_not_written_through(tmp_path: Path, link: str, args: tuple[str, ...]) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / link).symlink_to(elsewhere)
    roster = write_roster(tmp_path, "name\nAnn\n")
    command = ("batch", str(roster), "--sheet", "gap-fill") if link == "keys" else ("build", *GAP_FILL, *args)
    result = invoke(*command, "--out", str(out))
    assert result.returncode == 1 and "is a link to" in result.stderr
    assert list(elsewhere.iterdir()) == []


# Temporaries of killed runs ----------------------------------------------------------------

SLOW_WRITER = """
import sys
from pathlib import Path
from worksheetgen.output import write_atomic_with

def slowly(handle):
    handle.write(b"first half ")
    handle.flush()
    print("writing", flush=True)
    sys.stdin.readline()  # until told to go on
    handle.write(b"second half")

write_atomic_with(Path(sys.argv[1]), slowly)
"""


def slow_writer(path: Path) -> subprocess.Popen[str]:
    """Another run, part-way through writing `path` until a line is written to its input."""
    command = [sys.executable, "-c", SLOW_WRITER, str(path)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "writing\n"
    return process


def test_cleanup_beside_another_run_never_removes_its_temporary_in_flight(tmp_path: Path) -> None:
    target = tmp_path / "out" / "sheet.pdf"
    writer = slow_writer(target)
    [temporary] = target.parent.glob(f"*{TEMP_SUFFIX}")
    remove_stale_temporaries(target.parent)  # another run's cleanup, while the first still writes
    assert run("build", *GAP_FILL, "--format", "pdf", "--out", str(target.parent)).returncode == 0  # and a whole run
    assert temporary.exists()
    writer.communicate("go on\n", timeout=60)
    assert writer.returncode == 0
    assert target.read_bytes() == b"first half second half"
    assert not list(target.parent.glob(f"*{TEMP_SUFFIX}"))


def test_temporaries_of_a_killed_run_are_removed_from_every_folder_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    killed = [slow_writer(out / folder / "sheet.pdf") for folder in ("9X", "keys", "")]
    temporaries = sorted(out.rglob(f"*{TEMP_SUFFIX}"))
    assert len(temporaries) == 3
    for process in killed:
        process.send_signal(signal.SIGKILL)  # no handler runs: the temporaries stay behind
        process.communicate(timeout=60)
    assert all(t.exists() for t in temporaries)
    roster = write_roster(tmp_path, "name,class\nAnn Smith,9X\n")
    assert run("batch", str(roster), "--sheet", "gap-fill", "--out", str(out)).returncode == 0
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))


def test_a_cleanup_loop_beside_a_build_loses_nothing(tmp_path: Path) -> None:
    """The report: a cleanup loop beside `pack` deleted a temporary in flight and the run failed."""
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "worksheetgen", "build", "--sheet", "gap-fill", "--out", str(out)]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while build.poll() is None:
        remove_stale_temporaries(out)
    _, stderr = build.communicate()
    assert build.returncode == 0, stderr
    assert len(list(out.glob("*.pdf"))) == 6 and len(list(out.glob("*.docx"))) == 6


# Workers of a killed batch -----------------------------------------------------------------


def test_workers_die_with_a_batch_killed_outright(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, "name,tier\n" + "".join(f"Pupil {i},core\n" for i in range(60)))
    command = [sys.executable, "-m", "worksheetgen", "batch", str(roster), "--out", str(tmp_path / "out")]
    batch = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(batch.children()) < 2:
        time.sleep(0.05)
    workers = batch.children()
    assert len(workers) >= 2, "the batch should have started its workers"
    batch.send_signal(signal.SIGKILL)
    batch.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert [w for w in alive if w.status() != psutil.STATUS_ZOMBIE] == []


# Print files of big classes ----------------------------------------------------------------


def test_a_big_class_is_planned_in_parts_of_30_and_a_usual_class_in_one(tmp_path: Path) -> None:
    from worksheetgen.batch import _print_files

    def plan(pupils: int) -> list[tuple[str, str, int]]:
        roster = write_roster(tmp_path, "name,class\n" + "".join(f"P{i},9X\n" for i in range(pupils)))
        jobs = plan_jobs(read_roster(roster).pupils)
        return [(f.path, f.title, len(f.members)) for f in _print_files(jobs, ("gap-fill",))]

    assert plan(40) == [("9X/9X_print.pdf", "Class 9X", 40)]
    big = plan(1500)
    assert len(big) == 50 and {size for _, _, size in big} == {30}
    assert big[1] == ("9X/9X_part-2_print.pdf", "Class 9X, part 2 of 50", 30)


def test_a_class_of_41_prints_as_two_parts_with_every_pupil_on_their_pages(tmp_path: Path) -> None:
    names = [f"Pupil {i:02d}" for i in range(41)]
    roster = write_roster(tmp_path, "name,class\n" + "".join(f"{n},9X\n" for n in names))
    out = tmp_path / "out"
    result = run("batch", str(roster), "--sheet", "gap-fill", "--out", str(out))
    assert result.returncode == 0, result.stderr
    parts = [out / "9X" / "9X_part-1_print.pdf", out / "9X" / "9X_part-2_print.pdf"]
    assert f"print files: {parts[0]}, {parts[1]}" in result.stdout
    assert not (out / "9X" / "9X_print.pdf").exists()
    seen = []
    for number, part in enumerate(parts, 1):
        pages = [squash(page.extract_text() or "") for page in PdfReader(part).pages]
        assert pages[0].startswith(f"Class 9X, part {number} of 2: Stalin's Purges")
        for name, first, last in re.findall(r"(Pupil \d\d) Gap-fill \S+ \w+ (\d+)(?:-(\d+))?", " ".join(pages[:2])):
            seen.append(name)
            for page in range(int(first), int(last or first) + 1):
                assert f"Name: {name} Class: 9X" in pages[page - 1]
    assert seen == names  # everyone, once, in register order
    assert "Pupil 30" in pdf_text(out / "9X" / "Pupil-30_gap-fill.pdf")


def test_a_format_is_one_entry_in_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: a new format touches render/ only; the pipeline finds it in the registry."""
    from worksheetgen.document import iter_text
    from worksheetgen.render import formats

    def plain_text(document: Document, settings: object) -> bytes:
        return "\n".join([document.meta.sheet, *iter_text(document.blocks)]).encode()

    monkeypatch.setitem(formats.FORMATS, "txt", formats.Format("txt", "text/plain", plain_text))
    out = tmp_path / "out"
    generate(
        resolve_content(None), Options(kinds=("gap-fill",), tiers=(Tier.core,), formats=("txt",), key=False, out=out)
    )
    text = (out / "stalins-purges_gap-fill_core.txt").read_text()
    assert text.startswith("Gap-fill") and "Word bank" in text
