"""Causation grid: read the PDFs and DOCX files back and check what a teacher would check.

The checklist table of the DOCX is read cell by cell (python-docx); the PDF text is read
for the legend, the prompts and the key's notes.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.table import Table as DocxTable

from tests.conftest import Builder, write_sheet
from tests.readback import docx_text, pdf_pages, pdf_text
from tests.topics import GEOGRAPHY, WITH_CAUSES, history_words, printed_text, rng
from tests.topics import content as topic_content
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.kinds.causation_grid import prepare
from worksheetgen.kinds.causes import essential_causes
from worksheetgen.kinds.language import framing
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Cause, Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "causation-grid"
GIVEN = {Tier.support: 6, Tier.core: 9, Tier.challenge: 4}
TYPE_LETTERS = {
    "political": "P",
    "economic": "E",
    "social": "So",
    "personal": "Pe",
    "international": "I",
    "ideological": "Id",
}
TIME_LETTERS = {"long-term": "L", "short-term": "S", "trigger": "T"}
ROW_TITLE = re.compile(r"^(\d+)\.\s*(.*)$", re.DOTALL)


def grid_table(path: Path) -> DocxTable:
    """The checklist table: the one whose second header row starts with 'Cause'."""
    for table in docx.Document(str(path)).tables:
        if len(table.rows) > 1 and table.rows[1].cells[0].text.strip() == "Cause":
            return table
    raise AssertionError(f"no checklist table in {path.name}")


def header_codes(table: DocxTable) -> list[str]:
    return [c.text.strip() for c in table.rows[1].cells]


def cause_rows(table: DocxTable) -> list[list[str]]:
    """Body rows (after the two header rows) that start with a numbered cause."""
    rows = []
    for row in table.rows[2:]:
        cells = [c.text.replace("\u00a0", " ").strip() for c in row.cells]  # dates hold no-break spaces
        if ROW_TITLE.match(cells[0]):
            rows.append(cells)
    return rows


def numbered_title(cell: str) -> tuple[int, str]:
    match = ROW_TITLE.match(cell)
    assert match, cell
    return int(match.group(1)), match.group(2)


def title_of(cell: str, causes: list[Cause]) -> Cause | None:
    """The content cause whose title starts the cell (after its number), if any."""
    _, text = numbered_title(cell)
    return next((c for c in causes if text.startswith(c.title)), None)


def tick_columns(content_causes: list[Cause]) -> list[str]:
    used = {c.category.value for c in content_causes} | {a.value for c in content_causes for a in c.also}
    types = [code for name, code in TYPE_LETTERS.items() if name != "ideological" or name in used]
    return ["L", "S", "T", *types]


@pytest.mark.parametrize("tier", list(Tier))
def test_grid_has_one_row_per_cause_with_a_tick_box_in_every_column(
    built: Builder, shipped: Content, tier: Tier
) -> None:
    table = grid_table(built(tier, False, "docx"))
    codes = header_codes(table)
    assert codes[0] == "Cause"
    ticks = codes[1:-1] if tier is not Tier.support else codes[1:]
    assert ticks[:8] == ["L", "S", "T", "P", "E", "So", "Pe", "I"]
    assert set(ticks) <= {"L", "S", "T", "P", "E", "So", "Pe", "I", "Id"}
    assert (codes[-1] == "Evidence") == (tier is not Tier.support)
    rows = cause_rows(table)
    blanks = [r for r in rows if "(your own cause)" in r[0]]
    given = [r for r in rows if r not in blanks]
    assert len(given) == GIVEN[tier]
    assert len(blanks) == (3 if tier is Tier.challenge else 0)
    assert [numbered_title(r[0])[0] for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        assert row[1 : 1 + len(ticks)] == ["☐"] * len(ticks)
        if tier is not Tier.support:
            assert row[-1] == "", "the evidence column is for the pupil to write in"
    titles = [title_of(r[0], shipped.causes) for r in given]
    assert all(titles) and len({t.id for t in titles if t}) == len(titles)


@pytest.mark.parametrize("topic", WITH_CAUSES)
@pytest.mark.parametrize("tier", list(Tier))
def test_every_seed_gives_the_same_causes_covering_every_time_scale(topic: str, tier: Tier) -> None:
    content = topic_content(topic)
    essential = {c.title for c in essential_causes(content.causes, framing(content).discipline)}
    printed = [[r.title for r in prepare(content, tier, rng(KIND, tier, seed)).given] for seed in range(10)]
    assert len({frozenset(p) for p in printed}) == 1, "the seed changed which causes this tier gets"
    assert len({tuple(p) for p in printed}) > 1, "the seed never changes the order"
    assert all(len(p) == min(GIVEN[tier], len(content.causes)) and essential <= set(p) for p in printed)
    scales = {c.title: c.timescale for c in content.causes}
    if tier is not Tier.challenge:
        assert {scales[t] for t in printed[0]} == set(scales.values())
    assert printed[0] != [c.title for c in content.causes if c.title in printed[0]]


def test_support_gives_a_clue_and_the_more_than_one_type_hint(built: Builder, shipped: Content) -> None:
    text = pdf_text(built(Tier.support, False, "pdf"))
    assert "a cause can fit more than one type" in text
    rows = cause_rows(grid_table(built(Tier.support, False, "docx")))
    for row in rows:
        cause = title_of(row[0], shipped.causes)
        assert cause is not None and "Clue: " + cause.evidence[0] in row[0]


@pytest.mark.parametrize("tier", list(Tier))
def test_legend_explains_every_letter_in_words(built: Builder, tier: Tier) -> None:
    text = pdf_text(built(tier, False, "pdf"))
    codes = header_codes(grid_table(built(tier, False, "docx")))
    names = {
        "L": "Long-term",
        "S": "Short-term",
        "T": "Trigger",
        **{v: k.capitalize() for k, v in TYPE_LETTERS.items()},
    }
    for code in codes:
        if code in names:
            assert f"{code} = {names[code]}" in text, code


def test_ideological_column_only_when_a_cause_uses_it() -> None:
    def cause(n: int, category: str, also: list[str] | None = None) -> Cause:
        return Cause.model_validate(
            {"id": f"c{n}", "title": f"Cause number {n}", "category": category, "also": also or [],
             "timescale": ["long-term", "short-term", "trigger"][n % 3], "evidence": [f"Fact {n}."]}
        )  # fmt: skip

    plain = [cause(n, "political") for n in range(6)]
    with_also = [*plain[:5], cause(5, "economic", ["ideological"])]
    for causes, expected in ((plain, False), (with_also, True)):
        content = Content(title="T", key_question="Q?", causes=causes)
        for tier in Tier:
            codes = [c.code for c in prepare(content, tier, random.Random(0)).type_columns]
            assert ("Id" in codes) == expected


@pytest.mark.parametrize("tier", list(Tier))
def test_key_mirrors_the_sheet_and_ticks_the_suggested_classification(
    built: Builder, shipped: Content, tier: Tier
) -> None:
    pupil = cause_rows(grid_table(built(tier, False, "docx")))
    key_table = grid_table(built(tier, True, "docx"))
    codes = header_codes(key_table)
    key = cause_rows(key_table)
    pupil_given = [(numbered_title(r[0])[0], title_of(r[0], shipped.causes)) for r in pupil]
    pupil_given = [(n, c) for n, c in pupil_given if c is not None]
    key_given = [(numbered_title(r[0])[0], title_of(r[0], shipped.causes)) for r in key[: len(pupil_given)]]
    assert key_given == pupil_given, "the key lists the same causes, with the same numbers, in the same order"
    for row in key:
        cause = title_of(row[0], shipped.causes)
        assert cause is not None
        marks = dict(zip(codes[1:], row[1:], strict=True))
        assert marks[TIME_LETTERS[cause.timescale.value]] == "✓"
        assert sum(marks[c] == "✓" for c in TIME_LETTERS.values()) == 1
        assert marks[TYPE_LETTERS[cause.category.value]] == "✓"
        for extra in cause.also:
            assert marks[TYPE_LETTERS[extra.value]] == "(✓)"
            assert "Arguable: also" in row[0] and extra.value.capitalize() in row[0]
        ticked = {code for code, mark in marks.items() if mark}
        expected = {TIME_LETTERS[cause.timescale.value], TYPE_LETTERS[cause.category.value]}
        assert ticked == expected | {TYPE_LETTERS[a.value] for a in cause.also}
        assert "Evidence: " + cause.evidence[0] in row[0]


@pytest.mark.parametrize("tier", list(Tier))
def test_key_notes_every_disputed_cause_and_marks_arguable(built: Builder, shipped: Content, tier: Tier) -> None:
    text = docx_text(built(tier, True, "docx"))  # no page furniture inside a disputed note
    assert "(✓) = arguable" in text
    for row in cause_rows(grid_table(built(tier, True, "docx"))):
        cause = title_of(row[0], shipped.causes)
        assert cause is not None
        if cause.disputed:
            assert cause.disputed in text


def test_challenge_has_own_cause_rows_a_matrix_and_a_judgement(built: Builder, shipped: Content) -> None:
    pupil = built(Tier.challenge, False, "docx")
    text = docx_text(pupil)
    assert "Which causes fit more than one cell" in text and "Which cause matters most?" in text
    matrices = [t for t in docx.Document(str(pupil)).tables if t.rows[0].cells[0].text == "" and len(t.rows) == 4]
    assert len(matrices) == 1
    assert [r.cells[0].text for r in matrices[0].rows[1:]] == ["L Long-term", "S Short-term", "T Trigger"]
    assert all(c.text == "" for r in matrices[0].rows[1:] for c in r.cells[1:])
    key_rows = cause_rows(grid_table(built(Tier.challenge, True, "docx")))
    in_key = {c.id for r in key_rows if (c := title_of(r[0], shipped.causes))}
    assert in_key == {c.id for c in shipped.causes}, "the key classifies every cause pupils might add"


@pytest.mark.parametrize("tier", list(Tier))
def test_pupil_sheet_is_at_most_two_pages(shipped: Content, tmp_path: Path, tier: Tier) -> None:
    for paper in ("a4", "letter"):
        assert len(pdf_pages(write_sheet(shipped, KIND, tier, False, "pdf", tmp_path, paper=paper))) <= 2


def test_same_seed_same_sheet_other_seed_other_order(shipped: Content) -> None:
    def order(seed: int) -> list[str]:
        return [r.title for r in prepare(shipped, Tier.core, random.Random(seed)).rows]

    assert order(3) == order(3)
    assert len({tuple(order(seed)) for seed in range(5)}) > 1
    first = build_document(shipped, Sheet(KIND, Tier.core), 3, search_path())[0]
    again = build_document(shipped, Sheet(KIND, Tier.core), 3, search_path())[0]
    assert render(first, "pdf") == render(again, "pdf")


def test_topic_without_causes_still_builds(tmp_path: Path) -> None:
    content = Content(title="Empty topic", key_question="Why?")
    for tier in Tier:
        for key in (False, True):
            document, notes = build_document(content, Sheet(KIND, tier, key), 0, search_path())
            assert "Empty topic" in pdf_text(write_sheet(content, KIND, tier, key, "pdf", tmp_path))
            assert notes


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("tier", [Tier.core, Tier.challenge])
def test_large_print_keeps_each_cause_on_the_page_of_its_evidence_line(
    shipped: Content, tmp_path: Path, tier: Tier, paper: str
) -> None:
    """Large print puts each cause's Evidence line in a row of its own below it: a page break
    between the two would leave a pupil writing evidence for a cause on the page before."""
    settings = PrintSettings(paper, Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    pdf = tmp_path / "grid.pdf"
    pdf.write_bytes(render(document, "pdf", settings))
    pages = [pdf_text_of_page(pdf, number) for number in range(len(pdf_pages(pdf)))]
    assert len(pages) > 1, "the check needs a grid that runs over a page break"
    for number, text in enumerate(pages, start=1):
        causes = [m.start() for m in re.finditer(r"(?m)^\d+\.", text)]
        if causes:
            assert "Evidence:" in text[causes[-1] :], f"page {number} ends with a cause whose Evidence line is overleaf"
    word = docx.Document(io.BytesIO(render(document, "docx", settings)))
    rows = [row for row in grid_table_of(word).rows if ROW_TITLE.match(row.cells[0].text.strip())]
    assert rows and all(_keeps_with_next(row) for row in rows), "a cause row in the DOCX does not keep with its next"


def pdf_text_of_page(path: Path, index: int) -> str:
    with pdfplumber.open(path) as document:
        return document.pages[index].extract_text() or ""


def grid_table_of(word: docx.document.Document) -> DocxTable:
    return next(t for t in word.tables if len(t.rows) > 1 and t.rows[1].cells[0].text.strip() == "Cause")


def _keeps_with_next(row: object) -> bool:
    return all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)  # type: ignore[attr-defined]


# Every topic, on the Document ---------------------------------------------------------------------


@pytest.mark.parametrize("topic", WITH_CAUSES)
def test_the_tiers_scaffold_differently(topic: str) -> None:
    sheets = {tier: prepare(topic_content(topic), tier, rng(KIND, tier)) for tier in Tier}
    support, core, challenge = (printed_text(topic, KIND, tier) for tier in Tier)
    assert "Clue:" in support and not sheets[Tier.support].evidence_column
    assert "Clue:" not in core and sheets[Tier.core].evidence_column
    assert len(sheets[Tier.support].given) < len(sheets[Tier.core].given)
    assert sheets[Tier.challenge].blank_rows and "(your own cause)" in challenge
    assert "Matrix" in challenge and "Matrix" not in core


@pytest.mark.parametrize("topic", GEOGRAPHY)
@pytest.mark.parametrize("tier", list(Tier))
def test_geography_types_are_physical_and_human_never_political(topic: str, tier: Tier) -> None:
    sheet = prepare(topic_content(topic), tier, rng(KIND, tier))
    codes = [c.code for c in sheet.type_columns]
    assert codes[:2] == ["Ph", "H"] and not {"P", "Pe", "Id", "I"} & set(codes)
    assert history_words(topic, KIND, tier) == []
    assert "Ph = Physical" in printed_text(topic, KIND, tier)


def test_storm_surge_is_a_physical_trigger_in_the_key() -> None:
    sheet = prepare(topic_content("coastal-flooding"), Tier.core, rng(KIND, Tier.core))
    surge = next(r for r in sheet.given if r.title == "A storm surge")
    marks = dict(
        zip([c.code for c in sheet.time_columns + sheet.type_columns], surge.time_marks + surge.type_marks, strict=True)
    )
    assert marks["T"] == marks["Ph"] == "✓" and marks["S"] == marks["H"] == ""


def test_the_key_example_of_two_types_comes_from_the_topic() -> None:
    for topic in WITH_CAUSES:
        example = prepare(topic_content(topic), Tier.challenge, rng(KIND, Tier.challenge)).example
        titled = [c for c in topic_content(topic).causes if c.also]
        assert example.startswith(titled[0].title) and example in printed_text(topic, KIND, Tier.challenge, key=True)
    assert "a rival" not in printed_text("coastal-flooding", KIND, Tier.challenge, key=True)


def test_another_subject_shows_only_the_types_its_causes_use() -> None:
    def cause(n: int, category: str) -> Cause:
        return Cause(id=f"c{n}", title=f"Cause {n}", category=category, timescale="short-term", evidence=["x"])

    science = Content(
        title="T", key_question="Why?", subject="Biology", causes=[cause(1, "physical"), cause(2, "human")]
    )
    assert [c.code for c in prepare(science, Tier.core, random.Random(0)).type_columns] == ["Ph", "H"]
    empty = Content(title="T", key_question="Why?", subject="TODO: subject")
    assert [c.code for c in prepare(empty, Tier.core, random.Random(0)).type_columns] == ["P", "E", "So", "Pe", "I"]
    document, _ = build_document(empty, Sheet(KIND, Tier.challenge), 0, search_path())
    assert render(document, "pdf").startswith(b"%PDF")


@pytest.mark.parametrize("profile", list(Profile))
def test_support_clues_are_support_body_text_14_pt_and_16_in_large_print(shipped: Content, profile: Profile) -> None:
    """PEDAGOGY.md print defaults: support body text is 14 pt; large print 16 pt or more. The
    clue is what a support pupil reads to classify the cause, so it is body text, not a note."""
    settings = PrintSettings(profile=profile)
    document, _ = build_document(shipped, Sheet(KIND, Tier.support), 0, search_path(), settings)
    least = 16 if profile is Profile.large_print else 14
    sizes = []
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        for page in pdf.pages:
            for word in page.extract_words(extra_attrs=["size"]):
                if word["text"] == "Clue:":
                    sizes.append(word["size"])
    assert len(sizes) == len(prepare(shipped, Tier.support, random.Random(0)).rows)
    assert min(sizes) >= least - 0.01, sizes


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_docx_tick_boxes_are_at_least_5_mm_and_7_in_large_print(shipped: Content, tier: Tier, profile: Profile) -> None:
    """Every tick box in the Word file is a run in the Tick Box character style, whose size prints
    the box at least 5 mm square (7 mm in large print); it was body size: 4 mm at 16 pt."""
    settings = PrintSettings(profile=profile)
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    word = docx.Document(io.BytesIO(render(document, "docx", settings)))
    boxes = [
        run
        for table in word.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if "☐" in run.text
    ]
    assert boxes and all(run.text == "☐" and run.style.name == "Tick Box" for run in boxes)
    size = word.styles["Tick Box"].font.size.pt
    side = 7 if profile is Profile.large_print else 5
    assert size * 0.72 >= side * 72 / 25.4 - 0.01  # DejaVu Sans draws ☐ 0.72 em square


PRINTS = [PrintSettings(profile=p) for p in Profile] + [PrintSettings("letter")]


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
def test_support_says_which_cause_mattered_most_on_three_lines(shipped: Content, settings: PrintSettings) -> None:
    """Head of department: support's 'Which cause mattered most?' had two lines (PEDAGOGY: at
    least three for any explain)."""
    document, _ = build_document(shipped, Sheet("causation-grid", Tier.support), 0, search_path(), settings)
    prompts = [b for b in document.blocks if isinstance(b, d.WritingLines) and b.label.startswith("Which cause")]
    assert len(prompts) == 1 and prompts[0].count >= 3
