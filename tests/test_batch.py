"""Class batches: Excel-saved rosters, named sheets per pupil, one duplex print file per class."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.readback import docx_text, pdf_text, squash
from tests.test_cli import invoke as run  # in this process: the process is not what these check
from worksheetgen.batch import BatchOptions, plan_jobs, run_batch
from worksheetgen.document import Tier
from worksheetgen.errors import ContentError
from worksheetgen.layout import Profile
from worksheetgen.pipeline import resolve_content
from worksheetgen.roster import Need, read_roster

ROSTER = (
    "name,class,tier,needs\nAnn Smith,9X,support,dyslexia\nBen Jones,9X,core,\nCal Wu,9X,core,\n"
    "Dee Roy,9Y,challenge,large-print\n"
)


def write_roster(tmp_path: Path, text: str | bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    roster = write_roster(root, ROSTER)
    run_batch(roster, resolve_content(None), BatchOptions(kinds=("gap-fill",), out=root / "out", workers=2))
    return root / "out"


def test_excel_rosters_are_read(tmp_path: Path) -> None:
    excel = '\ufeff Name ; Class ;Tier; Needs \r\n\r\nZoë Brontë ; 9X ; Support ; "dyslexia; large-print" \r\n;;;\r\n'
    pupils = read_roster(write_roster(tmp_path, excel.encode("utf-8"))).pupils
    assert [(p.name, p.group, p.tier) for p in pupils] == [("Zoë Brontë", "9X", Tier.support)]
    assert pupils[0].needs == {Need.dyslexia, Need.large_print}
    assert pupils[0].profile is Profile.large_print
    cp1252 = write_roster(tmp_path, "name,class\nSe\xe1n O\x92Brien,7C\n".encode("latin-1"), "cp.csv")
    roster = read_roster(cp1252)
    assert roster.pupils[0].name == "Seán O’Brien" and roster.pupils[0].tier is Tier.core
    assert "cp1252" in roster.warnings[0]


def test_control_characters_pasted_into_a_roster_are_removed_with_a_warning(tmp_path: Path) -> None:
    """A name copied from a web page or a spreadsheet cell can carry control characters; they
    would print as boxes in the sheet's header (or make the DOCX unreadable)."""
    roster = read_roster(write_roster(tmp_path, "name,class\nAnn\x07 Smith,9X\u3000\nBen\x0bJones,9X\n"))
    assert [(p.name, p.group) for p in roster.pupils] == [("Ann Smith", "9X"), ("Ben Jones", "9X")]
    assert any(w.endswith(":2: control characters removed") for w in roster.warnings), roster.warnings
    assert any(w.endswith(":3: page or line break characters turned into line breaks") for w in roster.warnings)


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, "name,tier,needs\nAnn,core,\n,core,\nBen,hard,\nCal,core,glasses\n")
    with pytest.raises(ContentError) as caught:
        read_roster(roster)
    found = [str(p) for p in caught.value.problems]
    assert found == [
        f"{roster}:3: name: expected a pupil's name, found an empty cell",
        f"{roster}:4: tier: expected a tier (support, core, challenge), found 'hard'",
        f"{roster}:5: needs: expected needs from (dyslexia, large-print), found 'glasses'",
    ]
    result = run("batch", str(roster), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_name_the_fonts_cannot_print_stops_the_batch_before_anything_is_written(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, "name,class,tier\nAnn Smith,9X,core\n李雷,9X,core\n")
    result = run("batch", str(roster), "--sheet", "gap-fill", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{roster}:3: name: the PDF fonts have no glyph for: '李' (U+674E)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_awkward_names_give_safe_readable_distinct_files(tmp_path: Path) -> None:
    names = ["O'Brien", "Zoë", "Ana/María", "CON", "..", "x" * 45, "zoë", " .hidden"]  # 45: the longest name
    roster = write_roster(tmp_path, "name\n" + "\n".join(names) + "\n")
    stems = [job.stem for job in plan_jobs(read_roster(roster).pupils)]
    assert stems[:4] == ["O'Brien", "Zoë", "Ana-María", "CON_"]
    assert len({s.lower() for s in stems}) == len(stems)
    assert all(s and not s.startswith(".") and len(s.encode()) < 120 for s in stems)
    out = tmp_path / "out"
    run_batch(roster, resolve_content(None), BatchOptions(kinds=("gap-fill",), out=out, workers=1))
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    assert (out / "no-class" / "Ana-María_gap-fill.pdf").exists()


def test_each_pupil_sheet_carries_their_name_class_and_needs(batch_out: Path) -> None:
    ann = batch_out / "9X" / "Ann-Smith_gap-fill.pdf"
    assert "Name: Ann Smith Class: 9X" in pdf_text(ann)
    fonts = {font for page in PdfReader(ann).pages for font in page["/Resources"]["/Font"].values()}
    assert any("Andika" in str(f.get_object()["/BaseFont"]) for f in fonts)  # dyslexia profile
    header = docx.Document(str(batch_out / "9Y" / "Dee-Roy_gap-fill.docx")).sections[0].header.paragraphs[0].text
    assert "Name: Dee Roy" in header and "Class: 9Y" in header
    assert "Name: Ben Jones" in pdf_text(batch_out / "9X" / "Ben-Jones_gap-fill.pdf")


def test_neighbours_get_different_word_bank_orders(batch_out: Path) -> None:
    def bank(path: Path) -> str:
        text = docx_text(path)
        return text[text.index("Word bank") :][:200]

    assert bank(batch_out / "9X" / "Ben-Jones_gap-fill.docx") != bank(batch_out / "9X" / "Cal-Wu_gap-fill.docx")


def test_same_seed_same_files(batch_out: Path, tmp_path: Path) -> None:
    roster = write_roster(tmp_path, ROSTER)
    run_batch(roster, resolve_content(None), BatchOptions(kinds=("gap-fill",), out=tmp_path / "again", workers=1))
    for name in ("9X/Ben-Jones_gap-fill.pdf", "9X/Ben-Jones_gap-fill.docx", "9X/9X_print.pdf"):
        assert (tmp_path / "again" / name).read_bytes() == (batch_out / name).read_bytes()


def test_class_print_file_starts_each_pupil_on_an_odd_page(batch_out: Path) -> None:
    reader = PdfReader(batch_out / "9X" / "9X_print.pdf")
    pages = [squash(p.extract_text() or "") for p in reader.pages]
    assert len(pages) % 2 == 0
    assert pages[0].startswith("Class 9X: Stalin's Purges")
    starts = {
        name: int(first) for name, first in re.findall(r"(Ann Smith|Ben Jones|Cal Wu) Gap-fill \S+ \w+ (\d+)", pages[0])
    }
    assert list(starts) == ["Ann Smith", "Ben Jones", "Cal Wu"]  # roster order
    for name, first in starts.items():
        assert first % 2 == 1
        assert f"Name: {name}" in pages[first - 1] and "Page 1 of" in pages[first - 1]
    assert "Dee Roy" not in " ".join(pages)  # another class, another print file
    assert (batch_out / "9Y" / "9Y_print.pdf").exists()


def test_each_key_names_the_pupils_it_is_for(batch_out: Path) -> None:
    keys = sorted((batch_out / "keys").glob("*.pdf"))
    assert [k.name for k in keys] == [
        "9X+9Y_stalins-purges_gap-fill_challenge_variant-A_key.pdf",
        "9X+9Y_stalins-purges_gap-fill_core_variant-A_key.pdf",
        "9X+9Y_stalins-purges_gap-fill_core_variant-B_key.pdf",
        "9X+9Y_stalins-purges_gap-fill_support_variant-A_key.pdf",
    ]
    assert "Variant A, for: Ben Jones (9X)" in pdf_text(keys[1])
    assert "Variant B, for: Cal Wu (9X)" in pdf_text(keys[2])
    assert "◆ B" in pdf_text(batch_out / "9X" / "Cal-Wu_gap-fill.pdf")


def test_profile_option_applies_to_pupils_without_needs(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, "name,needs\nAnn,\nBen,large-print\n")
    result = run("batch", str(roster), "--sheet", "gap-fill", "--profile", "dyslexia", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    sizes = {}
    for name in ("Ann", "Ben"):
        reader = PdfReader(tmp_path / "out" / "no-class" / f"{name}_gap-fill.pdf")
        sizes[name] = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Andika" in f for f in sizes["Ann"])  # the class-wide profile
    assert not any("Andika" in f for f in sizes["Ben"])  # her own need wins: large print


def test_keys_of_one_class_never_replace_another_classes(tmp_path: Path) -> None:
    """Batching 9Y after 9X into the same folder replaced keys/, so the keys named only 9Y's
    pupils: each class's keys are named for it, both sets are kept, and the run says where."""
    out = tmp_path / "out"
    for group, pupil in (("9X", "Ann Smith"), ("9Y", "Dee Roy")):
        roster = write_roster(tmp_path, f"name,class\n{pupil},{group}\n")
        result = run("batch", str(roster), "--sheet", "gap-fill", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert f"keys: {out / 'keys'}/{group}_*" in result.stdout
    keys = {p.name: p for p in (out / "keys").glob("*.pdf")}
    assert sorted(keys) == [f"{g}_stalins-purges_gap-fill_core_variant-A_key.pdf" for g in ("9X", "9Y")]
    assert "for: Ann Smith (9X)" in pdf_text(keys["9X_stalins-purges_gap-fill_core_variant-A_key.pdf"])
    assert "for: Dee Roy (9Y)" in pdf_text(keys["9Y_stalins-purges_gap-fill_core_variant-A_key.pdf"])
    no_class = write_roster(tmp_path, "name\nCal Wu\n", "set_3.csv")
    run_batch(no_class, resolve_content(None), BatchOptions(kinds=("gap-fill",), out=out, workers=1))
    assert (out / "keys" / "roster=set-3_stalins-purges_gap-fill_core_variant-A_key.pdf").exists()


def test_a_long_list_of_print_files_is_summed_up_on_the_last_line(tmp_path: Path) -> None:
    """A 10,000-pupil batch ended with one line of 20 KB: every print file's path."""
    rows = "".join(f"Pupil {n},Class{n},core\n" for n in range(7))
    roster = write_roster(tmp_path, "name,class,tier\n" + rows)
    out = tmp_path / "out"
    result = run("batch", str(roster), "--sheet", "gap-fill", "--out", str(out))
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert f"print files: {out / 'Class0' / 'Class0_print.pdf'}, " in last, last
    assert " and 4 more, each in its class folder; keys: " in last, last
    assert last.endswith(f"{out / 'keys'}/roster=roster_*"), last  # seven classes: the keys are named for the roster
    assert len(list(out.glob("*/*_print.pdf"))) == 7


def test_a_key_names_at_most_60_pupils_then_how_many_more() -> None:
    from worksheetgen.batch import KEY_NAMES, _key_tasks
    from worksheetgen.roster import Pupil

    pupils = [Pupil(n + 2, f"Pupil {n}", "9X", Tier.core, frozenset()) for n in range(300)]
    tasks = _key_tasks(plan_jobs(pupils), ("gap-fill",), "9X")
    assert [t.variant for t in tasks] == ["A", "B", "C"]
    assert tasks[0].pupils.startswith("Pupil 0 (9X), Pupil 3 (9X), ")
    assert tasks[0].pupils.count("(9X)") == KEY_NAMES - 2
    assert tasks[0].pupils.endswith(" and 42 more (each sheet names its variant)")


def test_no_two_sets_of_classes_or_rosters_share_a_key_name(tmp_path: Path) -> None:
    """Class `9X_9Y` and the classes 9X and 9Y both gave `9X-9Y`; a year group's roster saved as
    `9X.csv` gave class 9X's `9X`: each batch silently replaced the other's keys."""
    from worksheetgen.key_names import key_prefix
    from worksheetgen.roster import Pupil

    def prefix(roster: str, *groups: str) -> str:
        return key_prefix(tmp_path / roster, plan_jobs([Pupil(2, "Ann", g, Tier.core, frozenset()) for g in groups]))

    made = [
        prefix("a.csv", "9X_9Y"),
        prefix("a.csv", "9X", "9Y"),
        prefix("a.csv", "9X"),
        prefix("9X.csv", "9A", "9B", "9C", "9D"),
        prefix("9X.csv", ""),
        prefix("9X-9Y.csv", "9A", "9B", "9C", "9D"),
    ]
    assert made == ["9X-9Y", "9X+9Y", "9X", "roster=9X", "roster=9X", "roster=9X-9Y"]
    assert len(set(made[:4])) == 4
    # Red team: `..csv` and `...csv` (names that keep no letter or number) both gave `roster=class`
    nameless = [prefix(name, "") for name in ("..csv", "...csv", "-.csv")]
    assert len(set(nameless)) == 3 and all(p.startswith("roster=no-name-") for p in nameless), nameless
    assert prefix("..csv", "") == nameless[0]  # the same roster keeps its name, run after run
