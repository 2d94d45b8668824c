"""Essay planner: read the sheets back and check what a History teacher would check.

The question per tier, three PEEL tables of four labelled rows with writing lines at the tier's
pitch, the support evidence bank and model paragraph, linking strips, the challenge extras, the
self-check, and a key that mirrors the sheet (indicative plan, model paragraph, levels,
misconceptions). Also: paragraphs never split inside a row, and the same seed gives the same sheet.
"""

from __future__ import annotations

import functools
import io
import random
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm as DocxMm
from docx.table import Table as DocxTable
from pypdf import PdfReader

from tests.pagecheck import read_pages
from tests.readback import docx_text, pdf_text, squash
from tests.topics import GEOGRAPHY, TOPICS, WITH_CAUSES, history_words, printed_text, rng
from tests.topics import content as topic_content
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.kinds import essay_planner as ep
from worksheetgen.layout import PrintSettings, Profile, layout_for
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "essay-planner"
LABELS = ("Point", "Evidence", "Explain", "Link")
PEEL_LINES = 3  # writing lines in each row of a PEEL table
DATA = Path(__file__).parent / "data"


def build(content: Content, tier: Tier, key: bool = False, seed: int = 0, fmt: str = "pdf", paper: str = "a4") -> bytes:
    document, _ = build_document(content, Sheet(KIND, tier, key), seed, search_path(), PrintSettings(paper))
    return render(document, fmt, PrintSettings(paper))


@pytest.fixture(scope="module")
def files(shipped: Content, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[Tier, bool, str], Path]:
    """Every tier, pupil copy and key, as PDF and DOCX (A4, seed 0)."""
    root = tmp_path_factory.mktemp("essay-planner")
    out = {}
    for tier in Tier:
        for key in (False, True):
            for fmt in ("pdf", "docx"):
                path = root / f"{tier.value}{'_key' if key else ''}.{fmt}"
                path.write_bytes(build(shipped, tier, key, fmt=fmt))
                out[tier, key, fmt] = path
    return out


def text_of(files: dict[tuple[Tier, bool, str], Path], tier: Tier, key: bool = False) -> str:
    """The printed text: the PDF for pupil sheets (boxes never split); the DOCX for keys, whose
    running text crosses pages (PDF text would have page furniture in the middle)."""
    if key:
        return docx_text(files[tier, key, "docx"])
    return _pdf_text(files[tier, key, "pdf"])


@functools.lru_cache(maxsize=16)
def _pdf_text(path: Path) -> str:
    return pdf_text(path)


def prepared(content: Content, tier: Tier, seed: int = 0) -> ep.EssayPlanner:
    return ep.prepare(content, tier, random.Random(f"{seed}/{KIND}/{tier.value}"))


def all_tables(tables: list[DocxTable]) -> Iterator[DocxTable]:
    """Tables and the tables nested in their cells (boxes hold the PEEL tables)."""
    for table in tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from all_tables(cell.tables)


def peel_tables(path: Path) -> list[DocxTable]:
    found = []
    for table in all_tables(docx.Document(str(path)).tables):
        firsts = [row.cells[0].paragraphs[0].text.split(" ")[0] for row in table.rows]
        if firsts == list(LABELS):
            found.append(table)
    return found


def box_with(path: Path, title: str) -> DocxTable:
    for table in all_tables(docx.Document(str(path)).tables):
        cell = table.rows[0].cells[0]
        if len(table.rows) == 1 and cell.paragraphs and cell.paragraphs[0].text.startswith(title):
            return table
    raise AssertionError(f"no box titled {title!r}")


def writing_lines(cell_or_table: DocxTable) -> list[DocxTable]:
    """Writing-line tables (one bottom-bordered row per line) directly inside a box or cell."""
    cell = cell_or_table.rows[0].cells[0] if isinstance(cell_or_table, DocxTable) else cell_or_table
    return [t for t in cell.tables if all(not c.text for row in t.rows for c in row.cells)]


# The question and its factors ----------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_each_tier_plans_the_right_exam_question(files: dict, shipped: Content, tier: Tier) -> None:
    text = text_of(files, tier)
    gcse = next(q for q in shipped.essay_questions if q.marks == 12 and q.text.startswith("Explain why"))
    a_level = max(shipped.essay_questions, key=lambda q: q.marks)
    question = a_level if tier is Tier.challenge else gcse
    assert squash(question.text) in text
    assert f"The question ({question.marks} marks)" in text
    assert ("You may use:" in text) == bool(question.stimulus)
    for bullet in question.stimulus:
        assert f"• {bullet}" in text
    assert "my own factor" in text and "not in the question" in text
    other = gcse if tier is Tier.challenge else a_level
    assert squash(other.text) not in text


def test_question_choice_without_an_a_level_question_or_any_question(shipped: Content) -> None:
    gcse_only = shipped.model_copy(update={"essay_questions": [q for q in shipped.essay_questions if q.marks < 20]})
    assert prepared(gcse_only, Tier.challenge).question.marks == 12
    bare = Content(title="T", key_question="Why did the war start?")
    planner = prepared(bare, Tier.core)
    assert planner.question.text == "Why did the war start?"
    assert any("no essay_questions" in n for n in planner.notes)


# The PEEL paragraphs -------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_three_peel_tables_of_four_rows_with_lines_at_the_tier_pitch(files: dict, tier: Tier) -> None:
    tables = peel_tables(files[tier, False, "docx"])
    assert len(tables) == 3
    pitch = DocxMm(layout_for(tier).line_pitch.value)
    for table in tables:
        for row in table.rows:
            lines = writing_lines(row.cells[1])
            if "(model)" in row.cells[0].text:  # a model is for reading: its text, no lines
                assert lines == [] and row.cells[1].text.strip()
                continue
            assert len(lines) == 1
            assert 3 <= len(lines[0].rows) <= 4
            assert all(abs(r.height - pitch) < DocxMm(0.1) for r in lines[0].rows)


@pytest.mark.parametrize("tier", list(Tier))
def test_paragraph_one_and_two_come_from_the_question_and_one_is_my_own(files: dict, tier: Tier) -> None:
    text = text_of(files, tier)
    own = re.findall(r"\d\. My own factor: one that is not in the question", text)
    from_question = re.findall(r"\d\. From the question: ", text)
    assert len(own) + len(from_question) == 3
    assert len(own) >= 1


@pytest.mark.parametrize("tier", list(Tier))
def test_introduction_conclusion_and_linking_strips_have_room_to_write(files: dict, tier: Tier) -> None:
    path = files[tier, False, "docx"]
    intro = writing_lines(box_with(path, "Introduction"))
    conclusion = writing_lines(box_with(path, "Conclusion"))
    assert len(intro) == 1 and 4 <= len(intro[0].rows) <= 5
    assert len(conclusion) == 1 and 5 <= len(conclusion[0].rows) <= 6
    text = text_of(files, tier)
    assert "Linking factors 1 and 2:" in text and "Linking factors 2 and 3:" in text
    strips = [t for t in all_tables(docx.Document(str(path)).tables) if t.rows[0].cells[0].text.startswith("⇅")]
    assert len(strips) == 2
    assert all(len(writing_lines(t)) == 1 for t in strips)


def test_starters_are_full_on_support_short_on_core_and_absent_on_challenge(files: dict) -> None:
    support, core, challenge = (text_of(files, t) for t in Tier)
    full = [
        "One reason the purges happened was the murder of Kirov (1 December 1934).",
        "For example, the show trials …",
    ]
    full += ["This meant that Stalin …", "Therefore, this helps to explain why the purges happened because …"]
    full += ["The purges happened for several linked reasons: …", "Overall, … was the most important reason because"]
    for starter in full:
        assert starter in support
        assert starter not in core and starter not in challenge
    for short in ("One reason…", "For example…", "This meant that…", "Therefore…", "Overall…"):
        assert short in core
        assert short not in challenge


# Support: evidence bank and model paragraph ----------------------------------------------------


def content_facts(content: Content) -> set[str]:
    facts = {e for c in content.causes for e in c.evidence}
    facts |= {f"{e.date}: {e.title.rstrip('.')}." for e in content.events}
    facts |= {f"{s.label}: {s.value}." for s in content.statistics}
    return facts


def test_support_evidence_bank_holds_10_to_12_facts_from_the_content(shipped: Content) -> None:
    planner = prepared(shipped, Tier.support)
    facts = [f.text for b in planner.paragraphs for f in b.bank]
    assert 10 <= len(facts) <= 12
    assert len(set(facts)) == len(facts)
    assert set(facts) <= content_facts(shipped)
    for block in planner.paragraphs:
        assert len(block.bank) >= 2, block.number
    murder = next(c.title for c in shipped.causes if c.id == "kirov_murder")
    kirov = next(b for b in planner.paragraphs if b.cause == murder)
    assert sum(f.factor == murder for f in kirov.bank) >= 2


def test_support_sheet_prints_every_bank_fact_with_a_tick_box(files: dict, shipped: Content) -> None:
    text = text_of(files, Tier.support)
    planner = prepared(shipped, Tier.support)
    for fact in (f for b in planner.paragraphs for f in b.bank):
        assert f"☐ {squash(fact.text)}" in text or f"{squash(fact.text)}" in text
    assert text.count("☐ ") >= 10 + len(planner.mark_scheme.checks)


def test_core_bank_is_key_terms_only_and_challenge_has_no_bank(files: dict, shipped: Content) -> None:
    core_docx = docx.Document(str(files[Tier.core, False, "docx"]))
    bank = next(t for t in core_docx.tables if t.rows[0].cells[0].text.startswith("Key terms"))
    words = [c.text for row in bank.rows[1:] for c in row.cells if c.text]
    assert 6 <= len(words) <= 12
    glossary = {t.term for t in shipped.glossary}
    # a no-break space holds each box to its term, and the term's words together (one line each)
    assert all(w.startswith("☐\u00a0") and " " not in w and w[2:].replace("\u00a0", " ") in glossary for w in words)
    challenge = text_of(files, Tier.challenge)
    assert not any(fact in challenge for fact in content_facts(shipped) if len(fact) > 30)
    assert "Key terms" not in challenge


def test_support_starts_paragraph_one_as_a_model_and_the_key_completes_it(files: dict, shipped: Content) -> None:
    planner = prepared(shipped, Tier.support)
    model = planner.model
    assert model is not None and planner.model_number == 1
    sheet = text_of(files, Tier.support)
    assert "Point (model)" in sheet and "Explain (finish it)" in sheet
    point = f"One reason the purges happened was {model.cause}."
    assert point in sheet and f"For example, {model.evidence[0]}" in sheet
    assert "This matters because it was the trigger: …" in sheet
    key = text_of(files, Tier.support, key=True)
    assert "This completes paragraph 1" in key
    assert f"One important reason why the purges happened was {model.cause}." in key
    explained = "This matters because it was the trigger: on its own it did not cause the purges"
    assert explained in key and explained not in sheet
    assert f"It also links to {model.partner}" in key
    cause = next(c for c in shipped.causes if c.title == model.factor)
    for evidence in cause.evidence:
        assert evidence[1:] in key  # written into the prose (first letter may be lower case)


# Challenge extras and the self-check -----------------------------------------------------------


def test_challenge_asks_for_a_counter_argument_and_a_historians_view(files: dict, shipped: Content) -> None:
    path = files[Tier.challenge, False, "docx"]
    for title in ("Counter-argument", "A historian’s view"):
        lines = writing_lines(box_with(path, title))
        assert len(lines) == 1 and len(lines[0].rows) >= 3
    text = text_of(files, Tier.challenge)
    for interpretation in shipped.interpretations[:2]:
        assert "Conquest" in text and "Getty" in text
        assert squash(interpretation.view) in text
    assert "Link to another factor" in text
    assert "Counter-argument" not in text_of(files, Tier.core)


@pytest.mark.parametrize("tier", [Tier.core, Tier.challenge])
def test_self_check_quotes_the_level_descriptors_the_key_prints(files: dict, tier: Tier) -> None:
    pupil = docx.Document(str(files[tier, False, "docx"]))
    box = next(t for t in all_tables(pupil.tables) if t.rows[0].cells[0].text.startswith("Self-check"))
    items = [p.text for p in box.rows[0].cells[0].paragraphs if p.text.startswith("☐ My plan ")]
    key_levels = next(
        t
        for t in all_tables(docx.Document(str(files[tier, True, "docx"])).tables)
        if t.rows[0].cells[0].text == "Level"
    )
    descriptors = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in key_levels.rows[1:]}
    key = text_of(files, tier, key=True)
    assert len(items) >= 3
    for item in items:
        match = re.search(r"(Level \d) \((\d+–\d+)\): “(.+)”$|Mark scheme note: “(.+)”$", item)
        assert match, item
        if match.group(1):
            marks, descriptor = descriptors[match.group(1)]
            assert match.group(2) == marks and match.group(3) in descriptor, item
        else:
            assert match.group(4) in key, item
    wording = " ".join(items)
    if tier is Tier.challenge:
        assert "counter-argument" in wording and "historian’s view" in wording
        view = next(item for item in items if "historian’s view as evidence" in item)
        assert "naming a historian without using the view earns nothing extra" in view
    else:
        assert "beyond the bullet points" in wording and "judgement" not in wording


# The key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_key_level_descriptors_table(files: dict, shipped: Content, tier: Tier) -> None:
    table = next(
        t
        for t in all_tables(docx.Document(str(files[tier, True, "docx"])).tables)
        if t.rows[0].cells[0].text == "Level"
    )
    assert [c.text for c in table.rows[0].cells] == ["Level", "Marks", "Descriptor"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    marks = 25 if tier is Tier.challenge else 12
    assert [r[0] for r in rows] == [f"Level {n}" for n in range(len(rows), 0, -1)]
    assert len(rows) == (5 if tier is Tier.challenge else 4)
    bands = [tuple(int(x) for x in r[1].split("–")) for r in reversed(rows)]
    assert bands[0][0] == 1 and bands[-1][1] == marks
    assert all(a[1] + 1 == b[0] for a, b in zip(bands, bands[1:], strict=False))
    key = text_of(files, tier, key=True)
    if tier is Tier.challenge:
        assert "weighs the relative importance" in rows[0][2] and "not the exam board’s wording" in key
    else:
        assert "coherent, sustained and logically structured" in rows[0][2]
        assert "No access to Level 4 for answers that do not go beyond the stimulus points." in key


@pytest.mark.parametrize("tier", list(Tier))
def test_key_plan_covers_the_main_factors_and_their_links(files: dict, shipped: Content, tier: Tier) -> None:
    key = text_of(files, tier, key=True)
    main = {c.id: c for c in shipped.causes}
    for cause_id in ("opposition_in_party", "kirov_murder", "stalin_personality", "fear_of_war"):
        cause = main[cause_id]
        assert f"{cause.title} ({cause.category.value}, {cause.timescale.value})" in key
    assert "A strong judgement, for example:" in key and "was the trigger" in key
    assert "Links to make explicit:" in key and "→" in key
    assert "[Point]" in key and "[Evidence]" in key and "[Explain]" in key and "[Link]" in key


SECTION = re.compile(
    r"^(Introduction|Paragraphs? \d(?: and \d)?|Linking strips|Counter-argument|A historian’s view|Conclusion)[.,]"
)


@pytest.mark.parametrize("tier", list(Tier))
def test_key_is_short_and_each_common_wrong_answer_belongs_to_a_section_of_the_sheet(
    files: dict, shipped: Content, tier: Tier
) -> None:
    """PEDAGOGY 1.3 and 1.7: the key is the plan, one model paragraph and the levels; each common
    wrong answer sits under the section of the pupil sheet where a pupil would write it."""
    key = docx.Document(str(files[tier, True, "docx"]))
    pupil = text_of(files, tier)
    section, wrong = "", []
    for paragraph in key.paragraphs:
        found = SECTION.match(paragraph.text)
        if found:
            section = found.group(1)
        if paragraph.text.startswith("Common wrong answer:"):
            assert section, paragraph.text
            wrong.append((section, paragraph.text))
    sections = {s for s, _ in wrong}
    assert {"Introduction", "Linking strips", "Conclusion"} <= sections
    assert sum(s.startswith("Paragraph") for s in sections) >= 2
    printed = {"Linking strips": "Linking factors"}
    for section in sections:  # each is a section the pupil sheet prints
        if section.startswith("Paragraph"):
            assert all(f"{n}. " in pupil for n in re.findall(r"\d", section)), section
        else:
            assert printed.get(section, section) in pupil, section
    placed = prepared(shipped, tier).misconceptions
    assert 0 < len(placed) < len(shipped.misconceptions)  # only those a pupil could write here
    for m in placed:
        assert any(squash(m.wrong) in squash(text) for _, text in wrong), m.wrong
    pages = len(PdfReader(files[tier, True, "pdf"]).pages)
    assert pages <= (5 if tier is Tier.support else 3)


def test_key_mirrors_the_support_evidence_bank_in_printed_order(files: dict, shipped: Content) -> None:
    sheet = docx_text(files[Tier.support, False, "docx"])  # DOCX: no page furniture inside the text
    key = docx_text(files[Tier.support, True, "docx"])
    key_banks = key[key.index("The sheet, section by section") : key.index("Model PEEL paragraph")]
    for block in prepared(shipped, Tier.support).paragraphs:
        facts = [squash(f.text) for f in block.bank]
        on_sheet = [sheet.index(f) for f in facts]
        in_key = [key_banks.index(f) for f in facts]
        assert on_sheet == sorted(on_sheet) and in_key == sorted(in_key), block.number


def test_key_names_the_view_each_historian_supports(files: dict) -> None:
    key = text_of(files, Tier.challenge, key=True)
    assert "Robert Conquest (as on the sheet)" in key and "J. Arch Getty (as on the sheet)" in key
    assert "supports the cause “Stalin’s suspicion" in key
    assert "Counter-argument" in key


# Layout ----------------------------------------------------------------------------------------

MM = 72 / 25.4


def is_writing_line(line: dict) -> bool:
    """A grey horizontal rule (cell borders are black)."""
    colour = line.get("stroking_color") or (0,)
    grey = all(isinstance(c, float | int) and 0.3 < c < 0.9 for c in colour)
    return grey and abs(line["top"] - line["bottom"]) < 0.5 and line["x1"] - line["x0"] > 40 * MM


def peel_rows_per_page(pdf: bytes) -> list[list[tuple[str, int]]]:
    """For each page: each PEEL label (bold, in the label column) and the writing lines beside it.

    A row split inside itself would show as writing lines at the top of a page with no label.
    """
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = [
            page.crop((0, 0, 60 * MM, page.height)).extract_words(extra_attrs=["fontname"]) for page in document.pages
        ]
        labels = [[w for w in ws if w["text"] in LABELS and "Bold" in w["fontname"]] for ws in words]
        label_x = min(w["x0"] for page in labels for w in page)
        pages = []
        for page, page_labels in zip(document.pages, labels, strict=True):
            lines = [ln for ln in page.lines if ln["x0"] > label_x + 20 * MM and is_writing_line(ln)]
            marks = sorted([(w["top"], w["text"]) for w in page_labels] + [(ln["top"], "") for ln in lines])
            rows: list[tuple[str, int]] = []
            for _, text in marks:
                if text:
                    rows.append((text, 0))
                elif rows:
                    rows[-1] = (rows[-1][0], rows[-1][1] + 1)
                else:
                    rows.append(("(continued)", 1))
            pages.append(rows)
    return pages


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("tier", list(Tier))
def test_paragraphs_never_split_inside_a_row_and_no_page_is_blank(
    files: dict, shipped: Content, tier: Tier, paper: str
) -> None:
    pdf = files[tier, False, "pdf"].read_bytes() if paper == "a4" else build(shipped, tier, paper=paper)
    pages = peel_rows_per_page(pdf)
    rows = [row for page in pages for row in page]
    assert [label for label, _ in rows] == list(LABELS) * 3
    model = 2 if tier is Tier.support else 0  # support's paragraph 1: Point and Evidence are a model
    assert [count for _, count in rows] == [0] * model + [PEEL_LINES] * (12 - model), pages
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            body = [c for c in page.chars if 32 * MM < c["top"] < page.height - 27 * MM]
            assert body, f"page {number} is blank"
    assert len(pages) <= 6


PACKED = 0.40  # every page but the last of a planner is at least this full


PRINTS = [PrintSettings(profile=p) for p in Profile] + [PrintSettings("letter")]


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
@pytest.mark.parametrize("tier", list(Tier))
def test_pages_are_packed_and_each_peel_box_is_whole_where_it_fits(
    shipped: Content, tier: Tier, settings: PrintSettings
) -> None:
    """Issue 12: no page of a planner (but the last) under 40% full, and each PEEL paragraph's
    four rows on one page; large print support's paragraph is taller than a page, so its table
    may split once, between Evidence and Explain (the two halves whole), which fills the page
    a whole table left half blank (A4 page 4) and saves a page on Letter."""
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    layout = layout_for(tier, settings)
    fills = [(p.content_bottom - layout.body_top.pt) / layout.frame_height.pt for p in read_pages(pdf, layout)]
    assert all(fill >= PACKED for fill in fills[:-1]), [round(f, 2) for f in fills]
    pages = [[label for label, _ in page] for page in peel_rows_per_page(pdf)]
    if tier is Tier.support and settings.profile is Profile.large_print:
        whole = [
            page.count("Point") == page.count("Evidence") and page.count("Explain") == page.count("Link")
            for page in pages
        ]
    else:
        whole = [page.count("Point") == page.count("Link") for page in pages]
    assert all(whole) and "(continued)" not in sum(pages, []), pages


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
def test_page_one_tick_boxes_keep_their_terms_and_lines_their_spacing(
    shipped: Content, settings: PrintSettings
) -> None:
    """Head of History's review: each key term's box and words print on one line of the grid, the
    grid's last row clears its border, and an instruction holding a tick box leaves the same gap
    before the next instruction as any other (its wrapped line never crowds the next one)."""
    for tier in (Tier.support, Tier.core):
        document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
        page = pdfplumber.open(io.BytesIO(render(document, "pdf", settings))).pages[0]
        words = page.extract_words()
        starts = [w for w in words if re.fullmatch(r"[1-3]\.", w["text"]) and w["x0"] < page.width / 4]
        assert len(starts) == 3
        size = starts[0]["bottom"] - starts[0]["top"]
        gaps = []  # from each instruction's last line to the next instruction
        for item, following in zip(starts, starts[1:], strict=False):
            last = max(w["bottom"] for w in words if item["bottom"] - 1 < w["bottom"] < following["bottom"] - 1)
            gaps.append(following["bottom"] - last)
        assert max(gaps) - min(gaps) < 0.1 * size or len({round(g) for g in gaps}) == 1, gaps
        if tier is Tier.core:
            planner = ep.prepare(shipped, tier, rng(KIND, tier))
            boxes = [w for w in words if w["text"] == "☐" and w["top"] > starts[-1]["bottom"]]
            hits_bottom = []
            for term in planner.key_terms:
                first, *rest = term.split()
                hits = [w for w in words if w["text"] == first and w["top"] > boxes[0]["top"]]  # in the grid
                assert hits, term
                hits_bottom.append(hits[0]["bottom"])
                line = [w for w in words if abs(w["bottom"] - hits[0]["bottom"]) < 1]
                assert all(any(w["text"] == r for w in line) for r in rest), term  # the term on one line
                beside = [
                    b for b in boxes if b["x1"] <= hits[0]["x0"] + 1 and abs(b["bottom"] - hits[0]["bottom"]) < size
                ]
                assert beside and hits[0]["x0"] - max(b["x1"] for b in beside) < size, term  # its box just before it
            rows = sorted({round(w["bottom"], 1) for w in words if w["top"] >= boxes[0]["top"] - 1})
            for row in rows[: len(planner.key_terms) // 2 + 1]:  # the title row and the terms' rows
                border = min((ln["top"] for ln in page.lines if ln["top"] > row - 3), default=page.height)
                if border < rows[-1]:
                    assert border - row >= 0.25 * size, (row, border)  # no row sits on a border
            last = max(hits_bottom)
            border = min(ln["top"] for ln in page.lines if ln["top"] > last - 3)
            assert border - last >= 0.25 * size  # the last row clears the grid's border


# Determinism and other content -----------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_seeds_change_the_bank_order(shipped: Content) -> None:
    assert build(shipped, Tier.core, seed=5) == build(shipped, Tier.core, seed=5)
    orders = {tuple(f.text for b in prepared(shipped, Tier.support, s).paragraphs for f in b.facts) for s in range(5)}
    assert len(orders) > 1
    assert len({prepared(shipped, Tier.core, s).key_terms for s in range(5)}) > 1
    same = {frozenset(f.text for b in prepared(shipped, Tier.support, s).paragraphs for f in b.facts) for s in range(5)}
    assert len(same) == 1  # the seed shuffles the bank, it never changes which facts are offered


def ep_text(document: object) -> list[str]:
    from worksheetgen.document import iter_text

    return iter_text(document.blocks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("tier", list(Tier))
def test_a_topic_without_causes_or_questions_still_makes_a_planner(tier: Tier) -> None:
    water = load_content(DATA / "water-cycle.yaml").content
    key, _ = build_document(water, Sheet(KIND, tier, True), 0, search_path())
    assert "Level descriptors (12 marks, GCSE)" in ep_text(key)
    pupil, _ = build_document(water, Sheet(KIND, tier, False), 0, search_path())
    assert render(pupil, "pdf")[:4] == b"%PDF"
    text = " ".join(ep_text(pupil))
    assert "My own factor: one that is not in the question" in text
    assert "How does water move around the Earth?" in text


def test_main_factors_follow_pedagogy_2_6(shipped: Content) -> None:
    main = [c.id for c in ep.main_factors(shipped)]
    assert main == ["opposition_in_party", "kirov_murder", "stalin_personality", "fear_of_war"]
    assert ep.prepare(shipped, Tier.core, random.Random(0)).plan[0].title.startswith("Opposition")


# Every topic, on the Document ---------------------------------------------------------------------


def point_starters(topic: str, tier: Tier) -> list[str]:
    """The text after "One reason … was/is" in every Point row of the printed sheet."""
    parsed = ep.prepare(topic_content(topic), tier, rng(KIND, tier)).key_question
    opener = f"One reason {parsed.clause} {parsed.was} "
    printed = printed_text(topic, KIND, tier)
    return [part.split(".")[0] for part in printed.split(opener)[1:]]


@pytest.mark.parametrize("topic", WITH_CAUSES)
def test_support_point_starters_name_causes_never_methods_or_events(topic: str) -> None:
    causes = {c.title.lower() for c in topic_content(topic).causes}
    starters = point_starters(topic, Tier.support)
    named = [s for s in starters if not s.startswith("…")]
    planner = ep.prepare(topic_content(topic), Tier.support, rng(KIND, Tier.support))
    assert len(named) == sum(p.from_question and p.bullet_is_cause for p in planner.paragraphs), (
        "each question factor that is a cause has a starter naming it"
    )
    for starter in named:
        assert starter.lower() in {c.split(".")[0] for c in causes}, starter
    assert "the show trials" not in [s.lower() for s in starters]
    printed = printed_text(topic, KIND, Tier.support)
    for paragraph in planner.paragraphs:
        if paragraph.from_question and not paragraph.bullet_is_cause:
            # events are evidence of a cause: the starter begins with the heading's events and
            # leaves the cause to the pupil, never another cause than its heading
            assert paragraph.point == ""
            shows = paragraph.factor[:1].upper() + paragraph.factor[1:] + " show"
            assert shows in printed and f"one reason {planner.key_question.clause}" in printed
    assert point_starters(topic, Tier.core) == [] and point_starters(topic, Tier.challenge) == []


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_events_in_the_question_are_used_as_evidence_and_the_key_credits_exactly_that(tier: Tier) -> None:
    """The show trials are a stimulus point, not a cause: the sheet shows how to use them as
    evidence of a cause, and the key credits that very sentence (it never calls it a wrong answer)."""
    planner = ep.prepare(topic_content("stalins-purges"), tier, rng(KIND, tier))
    pupil = " ".join(printed_text("stalins-purges", KIND, tier).split())
    key = " ".join(printed_text("stalins-purges", KIND, tier, key=True).split())
    sentence = "The show trials show that Stalin wanted to …: one reason the purges happened was …"
    assert sentence in pupil
    assert f"Credit the show trials as evidence of a cause: “{sentence}”" in key
    assert "Not a cause on its own" not in key and "describes the show trials" not in key
    assert planner.paragraphs[1].evidence_for  # the causes the key names as examples
    assert "One reason the purges happened was the show trials" not in pupil


def test_challenge_self_check_quotes_the_keys_own_summary_and_names_the_trigger() -> None:
    """Head of History's review: the A-level levels are the planner's summary, printed as such on
    the key and the sheet, never an older generic GCSE scheme's wording presented as the board's;
    and the challenge sheet, which has no evidence bank, names Kirov's murder (the trigger)."""
    planner = ep.prepare(topic_content("stalins-purges"), Tier.challenge, rng(KIND, Tier.challenge))
    pupil = " ".join(printed_text("stalins-purges", KIND, Tier.challenge).split())
    key = " ".join(printed_text("stalins-purges", KIND, Tier.challenge, key=True).split())
    assert not planner.mark_scheme.board_wording
    assert "not the exam board’s wording" in key and "not the exam board’s words" in pupil
    old_generic = ("Narrative implying causes", "developed multi-causal answer with supporting evidence", "interplay")
    for level in planner.mark_scheme.levels:
        assert level.descriptor in key and not any(phrase in level.descriptor for phrase in old_generic)
    for check in planner.mark_scheme.checks:
        assert f"{check.source}: “{check.quote}”" in pupil
    assert "Kirov" in pupil and "the murder of Kirov (1 December 1934)" in pupil
    gcse = ep.prepare(topic_content("stalins-purges"), Tier.core, rng(KIND, Tier.core))
    assert gcse.mark_scheme.board_wording


def test_show_trials_bank_offers_each_trial_once() -> None:
    """One entry per Moscow trial (first, second, third), never two facts about the same trial."""
    content = topic_content("stalins-purges")
    for tier in (Tier.support, Tier.core):
        planner = ep.prepare(content, tier, rng(KIND, tier))
        trials = next(p for p in planner.paragraphs if p.factor == "the show trials")
        texts = [f.text for f in trials.facts]
        for which in ("First Moscow show trial", "Second Moscow show trial", "Third Moscow show trial"):
            assert sum(which in t for t in texts) == 1, texts
        assert not any("Pyatakov" in t and "Second Moscow" not in t for t in texts), texts


@pytest.mark.parametrize("topic", list(TOPICS))
@pytest.mark.parametrize("tier", [Tier.core, Tier.challenge])
def test_every_self_check_quote_is_in_the_keys_mark_scheme(topic: str, tier: Tier) -> None:
    planner = ep.prepare(topic_content(topic), tier, rng(KIND, tier))
    key = printed_text(topic, KIND, tier, key=True)
    pupil = printed_text(topic, KIND, tier)
    levels = {f"Level {lv.level} ({lv.marks})": lv.descriptor for lv in planner.mark_scheme.levels}
    for check in planner.mark_scheme.checks:
        assert f"{check.source}: “{check.quote}”" in pupil
        if check.source == "Mark scheme note":
            assert check.quote in planner.mark_scheme.notes and check.quote in key
        else:
            assert check.quote in levels[check.source] and levels[check.source] in key
    assert "Level 3 (7–9) and above" not in pupil  # no level the descriptors do not name


@pytest.mark.parametrize("topic", GEOGRAPHY)
@pytest.mark.parametrize("tier", list(Tier))
def test_geography_planner_has_no_history_framing(topic: str, tier: Tier) -> None:
    assert history_words(topic, KIND, tier) == []
    for key in (False, True):
        printed = printed_text(topic, KIND, tier, key=key)
        assert "short-term, political" not in printed and "view" not in printed.lower()
    if topic == "coastal-flooding" and tier is Tier.support:
        assert "One reason coastal floods happen is" in printed_text(topic, KIND, tier)


def test_a_gcse_challenge_without_an_a_level_question_still_asks_for_more(shipped: Content) -> None:
    tsar = ep.prepare(topic_content("tsar-abdication"), Tier.challenge, rng(KIND, Tier.challenge))
    assert not tsar.a_level and not tsar.views
    printed = printed_text("tsar-abdication", KIND, Tier.challenge)
    assert "Include one counter-argument." in printed and "historian" not in printed


# The self-check: where it fills a page, in the key's own words (issue 12, head of department) ------


@pytest.mark.parametrize("topic", ["stalins-purges", "tsar-abdication"])
@pytest.mark.parametrize("profile", list(Profile))
def test_self_check_is_on_page_one_for_core_and_challenge_and_last_for_support(topic: str, profile: Profile) -> None:
    """Core and challenge (not large print): under the question, before the introduction, as the
    success criteria read before planning (after the conclusion it sat alone on a last page a
    third full). Support and large print: after the conclusion, on the last page. Read from the PDF."""
    settings = PrintSettings("a4", profile)
    for tier in Tier:
        document, _ = build_document(topic_content(topic), Sheet(KIND, tier), 0, search_path(), settings)
        pdf = render(document, "pdf", settings)
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
        text = squash(" ".join(pages))
        check = text.index("Self-check: tick when your plan does each of these")
        holding = [n for n, page in enumerate(pages) if "Self-check" in page]
        if tier is Tier.support or profile is Profile.large_print:
            assert text.index("Conclusion") < check, f"{tier.value}: the self-check comes before the conclusion"
            assert holding == [len(pages) - 1], tier.value
        else:
            assert text.index("The question") < check < text.index("Introduction"), tier.value
            assert holding in ([0], [1]), f"{tier.value}: self-check on pages {holding}"


LAST_PAGE = 0.50  # the last page of a planner is at least half full


@pytest.mark.parametrize(
    "settings", [*PRINTS, PrintSettings("letter", Profile.dyslexia)], ids=lambda s: f"{s.profile}-{s.paper}"
)
@pytest.mark.parametrize("tier", list(Tier))
def test_no_planner_ends_on_a_near_empty_page(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """Head of department: core ended with the self-check alone on page 5 (a third full), challenge
    on page 6. Core fits four pages and challenge five in standard print, on A4 and Letter."""
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    layout = layout_for(tier, settings)
    views = read_pages(render(document, "pdf", settings), layout)
    fills = [(v.content_bottom - layout.body_top.pt) / layout.frame_height.pt for v in views]
    assert fills[-1] >= LAST_PAGE, [round(f, 2) for f in fills]
    if settings.profile is Profile.standard:
        most = {Tier.support: 6, Tier.core: 4, Tier.challenge: 5}[tier]
        assert len(views) <= most, [round(f, 2) for f in fills]


@pytest.mark.parametrize("topic", list(TOPICS))
def test_support_self_check_is_in_plain_words(topic: str) -> None:
    """Head of department: the support self-check quoted the exam board ("directed consistently at
    the conceptual focus of the question"). Support pupils get plain words; the key keeps the wording."""
    planner = ep.prepare(topic_content(topic), Tier.support, rng(KIND, Tier.support))
    pupil = printed_text(topic, KIND, Tier.support)
    box = pupil[pupil.index("Self-check: tick") :]
    assert "“" not in box and "Level 4" not in box and "Mark scheme" not in box, box
    assert box.count("☐ My plan ") == len(planner.mark_scheme.checks) >= 3


@pytest.mark.parametrize("tier", [Tier.core, Tier.challenge])
def test_self_check_quotes_only_what_the_key_prints(files: dict[tuple[Tier, bool, str], Path], tier: Tier) -> None:
    """Every quoted descriptor on the pupil's self-check is printed, word for word, in the key."""
    pupil, key = docx_text(files[tier, False, "docx"]), docx_text(files[tier, True, "docx"])
    box = pupil[pupil.index("Self-check: tick") :]
    quotes = re.findall(r"“([^”]+)”", box)
    assert len(quotes) >= 4
    for quoted in quotes:
        assert quoted in key, quoted


def test_large_print_support_docx_keeps_each_peel_table_whole(shipped: Content) -> None:
    """The plan is taller than a page: inside a box that split over pages, LibreOffice split its
    PEEL table too. Each table now stands on its own in the DOCX, every row kept whole, Point
    kept with Evidence and Explain with Link (as the PDF keeps it: a plan taller than a page
    breaks between Evidence and Explain, under its heading row repeated)."""
    settings = PrintSettings(profile=Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, Tier.support), 0, search_path(), settings)
    word = docx.Document(io.BytesIO(render(document, "docx", settings)))
    # the PEEL rows are the last four of each plan's table (its heading and evidence come first)
    peel = [t for t in word.tables if [r.cells[0].text.split()[0] for r in t.rows[-4:]] == list(LABELS)]
    assert len(peel) == 3
    for table in peel:
        rows = [row._tr for row in table.rows[-4:]]
        assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        for row in (table.rows[-4], table.rows[-2]):
            assert all(p.paragraph_format.keep_with_next for p in row.cells[0].paragraphs)
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, "the heading row repeats"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_support_factor_heading_stays_with_all_its_evidence(shipped: Content, paper: str) -> None:
    """The head of department's report: "2. From the question: the show trials" and one fact at
    the foot of p3, the rest on p4; "3. My own factor" at the foot of p5, its PEEL rows on p6.
    Read back from the PDF: no page starts with a fact carried over from the page before, and
    every factor heading shares its page with the rest of its block (a fact or the Point row)."""
    settings = PrintSettings(paper, Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, Tier.support, False), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        pages = [(page.extract_text() or "").splitlines()[1:-1] for page in pdf.pages]  # not header, footer
    for number, lines in enumerate(pages[1:], 2):
        assert lines and not lines[0].startswith("☐"), f"page {number} starts with a fact cut off from its heading"
    for number, lines in enumerate(pages, 1):
        for at, line in enumerate(lines):
            if re.match(r"\d\. (From the question|My own factor)", line):
                rest = [x for x in lines[at + 1 :] if x.startswith(("☐", "Point", "Explain"))]
                assert rest, f"page {number}: {line!r} ends the page without its evidence or plan"


def test_large_print_support_docx_keeps_heading_and_evidence_rows_together(shipped: Content) -> None:
    """The DOCX: the heading and each fact are rows of the plan's table that never split and keep
    with the next row (Word and LibreOffice move them over together)."""
    settings = PrintSettings("a4", Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, Tier.support, False), 0, search_path(), settings)
    word = docx.Document(io.BytesIO(render(document, "docx", settings)))
    plans = [t for t in word.tables if re.match(r"\d\. ", t.rows[0].cells[0].text)]
    assert len(plans) == 3
    for table in plans:
        lead = [row for row in table.rows if not row.cells[0].text.startswith(("Point", "Evidence", "Explain", "Link"))]
        assert len(lead) >= 1
        for row in lead[:-1]:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            kept = [
                p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
                for p in row.cells[0].paragraphs
            ]
            assert all(kept), f"{row.cells[0].text[:30]!r} is not kept with the next row"


PLAN_HEADING = re.compile(r"^\d\.(Fromthequestion:|Myownfactor:)")  # a printed line's text has no spaces


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
def test_support_plan_heading_and_evidence_stay_on_the_page_of_their_peel_table(
    shipped: Content, settings: PrintSettings
) -> None:
    """Head of department, Letter support pages 3-4: the show trials plan's heading and evidence
    bank sat above an empty bordered frame and its PEEL table went overleaf (A4 dyslexia too).
    Each plan moves whole: its heading is on the page of its Point and Link rows. Large print
    support, whose plan is taller than a page, splits a plan once, between its Evidence and
    Explain rows (page 4 was half blank above a plan moved whole), and repeats its heading over
    the Explain and Link rows."""
    document, _ = build_document(shipped, Sheet(KIND, Tier.support), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    layout = layout_for(Tier.support, settings)
    headings = [sum(bool(PLAN_HEADING.match(line.text)) for line in page.lines) for page in read_pages(pdf, layout)]
    labels = peel_rows_per_page(pdf)
    if settings.profile is Profile.large_print:
        assert sum(headings) >= 3
        for number, (count, page) in enumerate(zip(headings, labels, strict=True), start=1):
            names = [label for label, _ in page]
            assert names.count("Point") == names.count("Evidence"), (number, labels)
            assert names.count("Explain") == names.count("Link"), (number, labels)
            assert count >= names.count("Point") + names.count("Explain") - names.count("Point") * names.count(
                "Explain"
            )
            assert "(continued)" not in names, f"page {number}: a row split inside itself"
        return
    assert sum(headings) == 3
    for number, (count, page) in enumerate(zip(headings, labels, strict=True), start=1):
        names = [label for label, _ in page]
        assert count == names.count("Point") == names.count("Link"), (number, headings, labels)


def strips_and_lines(blocks: tuple[d.Block, ...]) -> list[tuple[str, d.Block | None]]:
    """Each linking strip's printed starter and the block after it, inside boxes too."""
    out: list[tuple[str, d.Block | None]] = []
    for block, after in zip(blocks, [*blocks[1:], None], strict=True):
        if isinstance(block, d.Box):
            out += strips_and_lines(block.blocks)
        elif isinstance(block, d.Paragraph) and d.plain_text(block.inlines).startswith("⇅ Linking factors"):
            out.append((d.plain_text(block.inlines), after))
    return out


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
@pytest.mark.parametrize("tier", list(Tier))
def test_every_linking_strip_has_three_lines(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """PEDAGOGY: at least three writing lines for any "explain"; support's strips had two."""
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    strips = strips_and_lines(document.blocks)
    assert len(strips) == 2
    for starter, after in strips:
        assert isinstance(after, d.WritingLines) and after.count >= 3, starter


@pytest.mark.parametrize("tier", list(Tier))
def test_key_model_paragraph_is_on_the_pupils_first_factor(files: dict, shipped: Content, tier: Tier) -> None:
    """The key's model PEEL paragraph is about the factor the pupil's paragraph 1 gives (the
    challenge A-level question names opposition inside the party, whose evidence is notes), and
    writes that cause's evidence, not another cause's."""
    planner = prepared(shipped, tier)
    first = planner.paragraphs[0]
    assert first.from_question and planner.model is not None
    assert planner.model.factor == first.cause
    cause = next(c for c in shipped.causes if c.title == first.cause)
    key = text_of(files, tier, key=True)
    model = key[key.index("Model PEEL paragraph") :]
    assert f"One important reason why the purges happened was {planner.model.cause}." in model
    for evidence in cause.evidence:
        said = evidence.split(": ", 1)[-1]  # a note "Ryutin Platform, 1932: ..." keeps its words
        assert said[1:] in model
    if tier is Tier.challenge:
        assert "Ryutin Platform (1932)" in model and "Syrtsov–Lominadze affair (1930)" in model
        assert "Kirov’s bodyguard" not in model


def test_note_evidence_reads_in_a_model_paragraph() -> None:
    from worksheetgen.kinds.essay_planner.model_answer import as_sentence

    assert (
        as_sentence("Ryutin Platform, 1932: Stalin ‘must be removed’.")
        == "the Ryutin Platform (1932): Stalin ‘must be removed’."
    )
    assert as_sentence("A decree the same evening sped up cases.") == "A decree the same evening sped up cases."


@pytest.mark.parametrize("tier", list(Tier))
def test_dated_evidence_is_listed_in_date_order(shipped: Content, tier: Tier) -> None:
    """Head of department: the support show-trial list ran 1938, 1936, 1937. A paragraph's facts
    that all name a year are listed by that year (the show trials: 1936, 1937, 1938)."""
    planner = prepared(shipped, tier)
    for paragraph in planner.paragraphs:
        years = [re.search(r"\b1\d{3}\b", f.text) for f in paragraph.facts]
        if paragraph.facts and all(years):
            found = [int(y.group(0)) for y in years if y]
            assert found == sorted(found), paragraph.facts
    if tier is Tier.challenge:  # its A-level question names no show trials
        return
    trials = next(p for p in planner.paragraphs if "show trials" in p.factor)
    assert [re.search(r"\b1\d{3}\b", f.text).group(0) for f in trials.facts] == ["1936", "1937", "1938"]  # type: ignore[union-attr]


def test_date_order_is_stable_and_leaves_undated_lists_alone() -> None:
    from worksheetgen.kinds.essay_planner.evidence import _Candidate, in_date_order

    def fact(text: str) -> _Candidate:
        return _Candidate(text, "", "", frozenset(), frozenset())

    dated = [
        fact("March 1938: c."),
        fact("1936: a."),
        fact("June 1937: b2."),
        fact("January 1937: b1."),
        fact("1936 a2"),
    ]
    assert [f.text for f in in_date_order(dated)] == [
        "1936: a.",
        "1936 a2",
        "January 1937: b1.",
        "June 1937: b2.",
        "March 1938: c.",
    ]
    undated = [fact("1938: c."), fact("No year here."), fact("1936: a.")]
    assert in_date_order(undated) == undated


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_key_level_descriptors_print_whole_on_one_page(shipped: Content, paper: str) -> None:
    """Head of department: on Letter the core key's level-descriptor table split across pages 3
    and 4. A teacher marks against the whole table: its rows are kept together."""
    for tier in Tier:
        pdf = build(shipped, tier, key=True, paper=paper)
        pages = read_pages(pdf, layout_for(tier, PrintSettings(paper)))
        rows = [n for n, page in enumerate(pages) for ln in page.lines if re.match(r"Level\d", ln.text)]
        assert len(rows) >= 4 and len(set(rows)) == 1, (tier, rows)


@pytest.mark.parametrize(
    ("tier", "start"), [(Tier.core, "Use the show trials as evidence"), (Tier.challenge, "The levels quoted")]
)
def test_pupil_notes_print_at_body_size(files: dict, tier: Tier, start: str) -> None:
    """Head of department: the core show-trials instruction and the challenge note on level
    descriptors printed small (10 pt); pupil instructions and notes are at least 11 pt."""
    import pdfplumber

    first, count = start.split()[0], len(start.split())
    with pdfplumber.open(files[tier, False, "pdf"]) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size"])
            for n, word in enumerate(words):
                if word["text"] == first and " ".join(w["text"] for w in words[n : n + count]) == start:
                    assert word["size"] >= 11, word
                    return
    raise AssertionError(f"{start!r} not found")
