"""Source analysis, NOP (PEDAGOGY.md 1.6): read the sheets back and check what a teacher would check."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from tests.conftest import DATA
from tests.pagecheck import read_pages
from tests.readback import docx_text, pdf_text, squash
from worksheetgen.document import Tier
from worksheetgen.kinds.source_analysis import SourceAnalysis, prepare
from worksheetgen.layout import PrintSettings, Profile, layout_for
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, checked_document, render
from worksheetgen.templating import search_path

KIND = "source-analysis"
SEED = 2
PITCH = {Tier.support: 10, Tier.core: 8, Tier.challenge: 8}


def sheet_for(content: Content, tier: Tier, seed: int = SEED) -> SourceAnalysis:
    """The prepared sheet exactly as the pipeline makes it for this seed."""
    return prepare(content, tier, random.Random(f"{seed}/{KIND}/{tier.value}"))


def opened(path: Path) -> DocxDocument:
    return docx.Document(str(path))


def grid(path: Path, label: str) -> DocxTable:
    """The first table (not a one-column source box) with a row whose label starts with `label`."""
    for table in opened(path).tables:
        if len(table.columns) > 1 and any(text.startswith(label) for text in labels(table)):
            return table
    raise AssertionError(f"no table with a row {label!r} in {path.name}")


def labels(table: DocxTable) -> list[str]:
    return [squash(row.cells[0].text) for row in table.rows]


def source_paragraph(path: Path, text: str) -> Paragraph:
    """The paragraph (inside the source box) that holds the source text."""
    for table in opened(path).tables:
        for paragraph in table.rows[0].cells[0].paragraphs:
            if text[:40] in paragraph.text:
                return paragraph
    raise AssertionError("source text not found in a box")


# Choosing the sources and key phrases ---------------------------------------------------------


def test_one_source_for_support_and_core_and_two_different_for_challenge(shipped: Content) -> None:
    assert len(sheet_for(shipped, Tier.support).sources) == 1
    assert len(sheet_for(shipped, Tier.core).sources) == 1
    challenge = sheet_for(shipped, Tier.challenge)
    assert challenge.compare and [s.label for s in challenge.sources] == ["Source A", "Source B"]
    assert challenge.sources[0].source.id != challenge.sources[1].source.id


def test_every_seed_gives_the_same_sources_essential_first(shipped: Content) -> None:
    assert sheet_for(shipped, Tier.core, 1) == sheet_for(shipped, Tier.core, 1)
    essential = [s.id for s in shipped.sources if s.essential]
    for tier in Tier:
        chosen = {tuple(a.source.id for a in sheet_for(shipped, tier, seed).sources) for seed in range(10)}
        assert len(chosen) == 1, f"two pupils on the {tier.value} tier must analyse the same source"
        assert list(chosen.pop()) == essential[: len(sheet_for(shipped, tier).sources)]
    # The class can discuss one source: support and core analyse it, challenge compares it with a second.
    first = sheet_for(shipped, Tier.core).sources[0].source.id
    assert sheet_for(shipped, Tier.support).sources[0].source.id == first
    assert sheet_for(shipped, Tier.challenge).sources[0].source.id == first


@pytest.mark.parametrize("source_index", range(4))
def test_key_phrases_are_short_separate_quotations_from_the_source(shipped: Content, source_index: int) -> None:
    source = shipped.sources[source_index]
    for seed in range(5):
        sheet = prepare(shipped.model_copy(update={"sources": [source]}), Tier.support, random.Random(seed))
        analysed = sheet.sources[0]
        assert 2 <= len(analysed.phrases) <= 3
        assert "".join(p.text for p in analysed.parts) == source.text
        assert [p.text for p in analysed.parts if p.bold] == list(analysed.phrases)
        positions = [source.text.index(p) for p in analysed.phrases]
        assert positions == sorted(positions)
        for phrase in analysed.phrases:
            assert 2 <= len(phrase.split()) <= 5, phrase
            assert phrase.split()[-1].lower() not in {"the", "of", "and", "to", "a", "has", "was"}, phrase


def test_only_the_support_tier_prints_phrases_in_bold(shipped: Content) -> None:
    assert any(p.bold for p in sheet_for(shipped, Tier.support).sources[0].parts)
    assert not any(p.bold for p in sheet_for(shipped, Tier.core).sources[0].parts)
    assert not any(p.bold for s in sheet_for(shipped, Tier.challenge).sources for p in s.parts)


def test_same_seed_gives_identical_pdf_bytes(shipped: Content) -> None:
    def pdf(content: Content, seed: int) -> bytes:
        document, _ = build_document(content, Sheet(KIND, Tier.support), seed, search_path())
        return render(document, "pdf")

    assert pdf(shipped, 3) == pdf(shipped, 3)
    # A seed may only change which key phrases are bold; where it does, the PDF changes with it.
    for source in shipped.sources:
        one = shipped.model_copy(update={"sources": [source]})
        other = next(
            (s for s in range(4, 30) if sheet_for(one, Tier.support, s) != sheet_for(one, Tier.support, 3)), None
        )
        if other is not None:
            assert pdf(one, 3) != pdf(one, other)
            return
    raise AssertionError("no seed changes the key phrases of any source")


# Reading the pupil sheets back ---------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_source_box_holds_the_text_and_a_bold_provenance_caption(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    sheet = sheet_for(shipped, tier)
    pdf, docx_path = pdf_text(built(tier, False, "pdf")), built(tier, False, "docx")
    for analysed in sheet.sources:
        source = analysed.source
        assert f"{analysed.label}: {source.title}" in pdf
        assert source.text in pdf and source.nature in pdf and source.origin in pdf
        tables = opened(docx_path).tables
        box = next(t for t in tables if source.title in t.rows[0].cells[0].text.replace("\u00a0", " "))
        caption = next(p for p in box.rows[0].cells[0].paragraphs if source.origin in p.text.replace("\u00a0", " "))
        assert all(run.bold for run in caption.runs if run.text.strip())
        assert source.purpose not in pdf, "the purpose is for the pupil to work out"


def test_support_source_shows_its_key_phrases_in_bold(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    analysed = sheet_for(shipped, Tier.support).sources[0]
    paragraph = source_paragraph(built(Tier.support, False, "docx"), analysed.source.text)
    assert [r.text for r in paragraph.runs if r.bold] == list(analysed.phrases)
    core = sheet_for(shipped, Tier.core).sources[0]
    paragraph = source_paragraph(built(Tier.core, False, "docx"), core.source.text)
    assert not any(r.bold for r in paragraph.runs)


def test_core_grid_has_the_four_rows_with_writing_lines(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    # The judgement is a table of its own (it starts page 2 where the grid does not fit on page 1).
    tables = [t for t in opened(built(Tier.core, False, "docx")).tables if len(t.columns) > 1]
    rows = [row for table in tables for row in table.rows]
    names = [squash(row.cells[0].text) for row in rows]
    assert [label.split()[0] for label in names] == ["Content", "Provenance", "Context", "Judgement"]
    assert "What does it say?" in names[0] and "What do I know?" in names[2]
    assert "How useful is this source for an enquiry into why the purges happened?" in names[3]
    lines = [row.cells[1].tables[0].rows for row in rows]
    assert all(round(rows[0].height.mm) == PITCH[Tier.core] for rows in lines)
    # Enough room to write: at least four lines for what it says, and more for the judgement than any other row.
    assert len(lines[0]) >= 4 and all(len(rows) >= 4 for rows in lines)
    assert len(lines[3]) > max(len(rows) for rows in lines[:3])


def test_support_grid_prompts_each_part_of_provenance_with_starters(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    path = built(Tier.support, False, "docx")
    rows = [label for table in opened(path).tables for label in labels(table) if len(table.columns) == 2]
    starts = [r.split(":")[0].split()[0] for r in rows]
    assert starts == ["Content", "Provenance", "Origin", "Purpose", "Context", "Judgement"]
    text = docx_text(path)
    for prompt in ("Who made it? When?", "Why might the author say this?", "The source says that", "At the time,"):
        assert prompt in text
    writing = [
        t for table in opened(path).tables if len(table.columns) == 2 for row in table.rows for t in row.cells[1].tables
    ]
    assert len(writing) >= 6 and all(round(t.rows[0].height.mm) == PITCH[Tier.support] for t in writing)


def test_challenge_compares_two_sources_and_asks_what_they_cannot_tell_us(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    path = built(Tier.challenge, False, "docx")
    tables = opened(path).tables
    heads = [squash(t.rows[0].cells[0].text)[:8] for t in tables]
    grids = [t for t in tables if len(t.rows) == 4 and squash(t.rows[0].cells[0].text).startswith("Content")]
    assert len(grids) == 2
    # each source's box, then its full-width grid: source A, grid A, source B, grid B
    order = [h if h.startswith("Source ") else "grid" for h in heads if h.startswith(("Source ", "Content"))]
    assert order == ["Source A", "grid", "Source B", "grid"], heads
    for t in grids:
        assert [label.split()[0] for label in labels(t)] == ["Content", "Provenance", "Usefulness", "Limits"]
        for row in t.rows:
            assert row.cells[1].tables, "each source needs writing space"
    text = docx_text(path)
    assert "What can this source NOT tell us?" in text
    assert "Which source is more useful for an enquiry into why the purges happened?" in text


# Reading the keys back -------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_key_has_indicative_content_from_each_sources_provenance(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    sheet = sheet_for(shipped, tier)
    pupil = pdf_text(built(tier, False, "pdf"))
    key = docx_text(built(tier, True, "docx"))  # the PDF interleaves page furniture where a cell breaks
    for analysed in sheet.sources:
        source = analysed.source
        assert source.title in pupil and source.title in key, "the key must be about the pupil's source"
        for field in (source.nature, source.origin, source.purpose, source.limits or "", *source.context):
            assert field in key
        for phrase in analysed.phrases:
            assert f"‘{phrase}’" in key
    others = [s for s in shipped.sources if s.id not in {a.source.id for a in sheet.sources}]
    assert not any(s.title in key for s in others)


@pytest.mark.parametrize("tier", list(Tier))
def test_key_has_a_four_level_usefulness_mark_scheme(built: Callable[[Tier, bool, str], Path], tier: Tier) -> None:
    path = built(tier, True, "docx")
    boxed = [inner for t in opened(path).tables for row in t.rows for cell in row.cells for inner in cell.tables]
    table = next(t for t in [*opened(path).tables, *boxed] if squash(t.rows[0].cells[0].text) == "Level")
    levels = [squash(row.cells[0].text) for row in table.rows[1:]]
    assert [level.split("(")[0].strip() for level in levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    descriptors = [squash(row.cells[1].text) for row in table.rows[1:]]
    assert descriptors[0].startswith("Content only")
    assert "provenance" in descriptors[1].lower()
    assert "context" in descriptors[2].lower()
    assert "judgement" in descriptors[3].lower() and "why the purges happened" in descriptors[3]


def test_a_topic_without_sources_is_kept_back_with_what_to_add_not_a_crash() -> None:
    content = load_content(DATA / "water-cycle.yaml").content
    sheet = prepare(content, Tier.challenge, random.Random(0))
    assert sheet.sources == () and sheet.notes
    assert sheet.enquiry == "how water moves around the Earth"
    for key in (False, True):
        _, _, unfinished = checked_document(content, Sheet(KIND, Tier.core, key), 0, search_path())
        assert [item.path for item in unfinished] == [("sources",)]
        assert "add 1 under `sources:`" in unfinished[0].message
        draft, _, _ = checked_document(content, Sheet(KIND, Tier.core, key), 0, search_path(), draft=True)
        assert draft.meta.draft and "add 1 under sources:" in squash(" ".join(str(b) for b in draft.blocks))


# The key's rows are the sheet's rows; support says which phrases are key (issue 12) -----------

ROW_NAMES = ("Content", "Provenance", "Context", "Judgement", "Usefulness", "Limits")


def row_names(path: Path) -> list[str]:
    """The grid rows' names (each row's first bold word), in order, from every table of the file."""
    found = []
    for table in opened(path).tables:
        for row in table.rows:
            first = row.cells[0].paragraphs[0].text.strip() if row.cells[0].paragraphs else ""
            if first in ROW_NAMES:
                found.append(first)
    return found


@pytest.mark.parametrize("tier", [Tier.core, Tier.challenge])
def test_key_rows_match_the_pupil_grid_rows(
    built: Callable[[Tier, bool, str], Path], shipped: Content, tier: Tier
) -> None:
    pupil = list(dict.fromkeys(row_names(built(tier, False, "docx"))))
    key = row_names(built(tier, True, "docx"))
    sources = len(sheet_for(shipped, tier).sources)
    assert key == pupil * sources, (pupil, key)


def test_support_names_its_key_phrases_in_the_instructions(
    built: Callable[[Tier, bool, str], Path], shipped: Content
) -> None:
    text = docx_text(built(Tier.support, False, "docx"))
    phrases = sheet_for(shipped, Tier.support).sources[0].phrases
    assert "Use the phrases in bold." not in text
    named = ", ".join(f"‘{p}’" for p in phrases)
    assert f"Use the key phrases in bold: {named}." in text


@pytest.mark.parametrize(
    "settings",
    [PrintSettings(), PrintSettings(profile=Profile.dyslexia), PrintSettings("letter")],
    ids=lambda s: f"{s.profile}-{s.paper}",
)
def test_core_page_one_holds_the_source_and_three_rows_the_judgement_starts_page_two(
    shipped: Content, settings: PrintSettings
) -> None:
    """Head of department: page 1 was half empty, the Context row moved overleaf with the
    Judgement (the grid's last two rows were kept together). Now page 1 holds the source, Content,
    Provenance and Context; page 2 the Judgement, the longest answer."""
    document, _ = build_document(shipped, Sheet(KIND, Tier.core), 0, search_path(), settings)
    layout = layout_for(Tier.core, settings)
    views = read_pages(render(document, "pdf", settings), layout)
    starts = [[line.text.split()[0] for line in view.lines if line.bold and line.text] for view in views]
    assert {"Content", "Provenance", "Context"} <= set(starts[0]) and "Judgement" not in starts[0]
    assert len(views) == 2 and "Judgement" in starts[1]
    fill = (views[0].content_bottom - layout.body_top.pt) / layout.frame_height.pt
    assert fill > 0.7, f"page 1 only {fill:.0%} full"


def _writing_rules(pdf: bytes) -> list[list[tuple[float, float]]]:
    """Each page's grey writing lines as (top, width) in points (cell borders are black)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            rules = []
            for line in page.lines:
                colour = line.get("stroking_color") or (0,)
                grey = all(isinstance(c, float | int) and 0.3 < c < 0.9 for c in colour)
                if grey and abs(line["top"] - line["bottom"]) < 0.5:
                    rules.append((line["top"], line["x1"] - line["x0"]))
            pages.append(rules)
    return pages


@pytest.mark.parametrize(
    "settings",
    [PrintSettings(), PrintSettings("letter"), PrintSettings(profile=Profile.dyslexia)],
    ids=lambda s: f"{s.profile}-{s.paper}",
)
def test_challenge_writes_on_lines_as_wide_as_core_and_each_source_block_is_whole(
    shipped: Content, settings: PrintSettings
) -> None:
    """Head of department: challenge gave each source a 61 mm column of lines beside the other,
    core 117 mm for its one source: the harder tier had less room. Each source now has
    full-width blocks (Content, Provenance, Usefulness, Limits) one after the other, each whole
    on one page."""
    widths = {}
    for tier in (Tier.core, Tier.challenge):
        document, _ = build_document(shipped, Sheet(KIND, tier), SEED, search_path(), settings)
        pdf = render(document, "pdf", settings)
        widths[tier] = min(w for page in _writing_rules(pdf) for _, w in page)
        if tier is Tier.challenge:
            lines = [[ln.text for ln in p.lines] for p in read_pages(pdf, layout_for(tier, settings))]
            if settings == PrintSettings():  # standard A4: each grid fits whole under its source
                for page in lines:
                    assert sum(t.startswith("Content") for t in page) == sum(t.startswith("Limits") for t in page)
            assert sum(t.startswith("Limits") for page in lines for t in page) == 2
    assert widths[Tier.challenge] >= widths[Tier.core] - 1, widths


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_challenge_puts_each_source_above_its_own_grid(shipped: Content, profile: Profile, paper: str) -> None:
    """Head of department: both sources printed on page 1 and their grids on pages 2 and 3, so a
    pupil writing about source B turned back a leaf to read it. Each source now heads its own
    grid: a source and the start of its grid share a page, the rest of the grid is on that page or
    the back of it, and source B starts a page after grid A ends."""
    settings = PrintSettings(paper, profile=profile)
    document, _ = build_document(shipped, Sheet(KIND, Tier.challenge), SEED, search_path(), settings)
    pdf = render(document, "pdf", settings)
    pages = [[ln.text for ln in p.lines] for p in read_pages(pdf, layout_for(Tier.challenge, settings))]
    labels = [s.label for s in prepare(shipped, Tier.challenge, random.Random(0)).sources]
    seen: list[int] = []
    for label in labels:
        head = label.replace(" ", "") + ":"  # page lines are read without spaces
        at = [n for n, page in enumerate(pages) if any(t.startswith(head) for t in page)]
        assert len(at) == 1, (label, pages)  # printed once, in its own box
        # its grid starts under it (large print on Letter: on the back of its page, p. 2)
        grid = [n for n, page in enumerate(pages) if any(t.startswith("Content") for t in page) and n >= at[0]][0]
        late = int(profile is Profile.large_print and paper == "letter" and label == labels[0])
        assert grid == at[0] + late, (label, pages)
        seen.append(at[0])
    limits = [n for n, page in enumerate(pages) for t in page if t.startswith("Limits")]
    assert seen[0] <= limits[0] <= seen[0] + 1 and limits[0] < seen[1] <= limits[1] <= seen[1] + 1, pages
    if paper == "a4" and profile is Profile.standard:
        assert len(pages) == 3 and limits == seen, pages  # each grid whole under its source
