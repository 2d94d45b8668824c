"""Ranking ladder: what a teacher would check, on the Document for every topic and on the output.

On the Document, for every test topic: each tier's bank holds the essential causes whatever the
seed, the tiers scaffold differently and Geography is never framed as History. On the output:
the ladder is read from the DOCX table (Rank | Cause | Evidence | Why it is ranked here), the
bank of causes from the PDF text, and the key is checked against the pupil copy (same letters,
same titles) and against the content.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.table import Table as DocxTable

from tests.conftest import Builder, write_sheet
from tests.readback import docx_text, pdf_pages, pdf_text, squash
from tests.topics import GEOGRAPHY, WITH_CAUSES, history_words, printed_text, rng
from tests.topics import content as topic_content
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.kinds.causes import essential_causes
from worksheetgen.kinds.language import framing
from worksheetgen.kinds.ranking_ladder import prepare
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Cause, Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "ranking-ladder"
RUNGS = {Tier.support: 5, Tier.core: 7, Tier.challenge: 7}
BANK = {Tier.support: 5, Tier.core: 7, Tier.challenge: 10}
MIN_HEIGHT = {Tier.support: 38, Tier.core: 30, Tier.challenge: 22}  # mm: 3 lines at the pitch (challenge: 2+)
HEADER = ["Rank", "Cause", "Evidence", "Why it is ranked here"]
LETTERED = re.compile(r"\b([A-J])\.\s")


def ladder(path: Path) -> DocxTable:
    for table in docx.Document(str(path)).tables:
        if [c.text.strip() for c in table.rows[0].cells] == HEADER:
            return table
    raise AssertionError(f"no ladder table in {path.name}")


def bank(path: Path, content: Content) -> list[tuple[str, str]]:
    """(letter, title) of every cause in the bank, in printed order, read from the PDF text."""
    text = pdf_text(path)
    found = []
    for cause in content.causes:
        match = re.search(rf"\b([A-J])\. {re.escape(cause.title)}", text)
        if match:
            found.append((match.group(1), cause.title, match.start()))
    return [(letter, title) for letter, title, _ in sorted(found, key=lambda f: f[2])]


def key_ranking(path: Path) -> list[tuple[int, str, str]]:
    """(rank, letter, title) rows of the key's indicative ladder (DOCX)."""
    for table in docx.Document(str(path)).tables:
        if table.rows[0].cells[0].text.strip() == "Rank" and "Cause" in table.rows[0].cells[1].text:
            rows = []
            for row in table.rows[1:]:
                rank = int(row.cells[0].paragraphs[0].text)
                letter, title = row.cells[1].text.replace("\u00a0", " ").split(".", 1)
                rows.append((rank, letter.strip(), title.strip()))
            return rows
    raise AssertionError(f"no indicative ladder in {path.name}")


def by_title(content: Content) -> dict[str, Cause]:
    return {c.title: c for c in content.causes}


# Pupil copy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_ladder_has_the_tiers_rungs_labelled_most_and_least(built: Builder, tier: Tier) -> None:
    table = ladder(built(tier, False, "docx"))
    rungs = table.rows[1:]
    assert len(rungs) == RUNGS[tier]
    assert [int(r.cells[0].paragraphs[0].text) for r in rungs] == list(range(1, RUNGS[tier] + 1))
    assert "Most important" in rungs[0].cells[0].text and "Least important" in rungs[-1].cells[0].text
    assert not any("important" in r.cells[0].text for r in rungs[1:-1])
    for row in rungs:
        assert row.height is not None and row.height.mm >= MIN_HEIGHT[tier] - 0.1
        assert row.cells[1].text.strip() == "" and row.cells[2].text.strip() == ""  # room to write


@pytest.mark.parametrize("tier", list(Tier))
def test_criteria_come_first_and_the_ladder_sits_on_one_page(built: Builder, tier: Tier) -> None:
    path = built(tier, False, "pdf")
    text = pdf_text(path)
    assert "Important for what?" in text
    assert text.index("Important for what?") < text.index("Why it is ranked here")
    pages = [squash("".join(c["text"] for c in page.chars)) for page in pdf_pages(path)]
    holding = [n for n, page in enumerate(pages) if "Whyitisrankedhere" in page.replace(" ", "")]
    assert len(holding) == 1, "the ladder is split over pages"
    page = pages[holding[0]].replace(" ", "")
    assert "Mostimportant" in page and "Leastimportant" in page


@pytest.mark.parametrize("tier", list(Tier))
def test_bank_is_lettered_shuffled_and_evidence_only_for_support(built: Builder, shipped: Content, tier: Tier) -> None:
    found = bank(built(tier, False, "pdf"), shipped)
    assert [letter for letter, _ in found] == [chr(ord("A") + i) for i in range(BANK[tier])]
    titles = [title for _, title in found]
    assert titles != [c.title for c in shipped.causes if c.title in titles]
    key_titles = [title for _, _, title in key_ranking(built(tier, True, "docx"))]
    assert titles != key_titles, "the bank gives away the key's order"
    text = pdf_text(built(tier, False, "pdf"))
    for title in titles:
        assert (by_title(shipped)[title].evidence[0] in text) == (tier is Tier.support)


def test_support_gives_sentence_starters_and_challenge_asks_for_own_cause_and_judgement(built: Builder) -> None:
    support = ladder(built(Tier.support, False, "docx"))
    assert support.rows[1].cells[3].text.startswith("Most important because")
    assert support.rows[-1].cells[3].text.startswith("Least important because")
    assert all("because" in row.cells[3].text for row in support.rows[1:])
    core = ladder(built(Tier.core, False, "docx"))
    assert all(row.cells[3].text.strip() == "" for row in core.rows[1:])
    challenge = pdf_text(built(Tier.challenge, False, "pdf"))
    assert "Choose 6 causes" in challenge and "add one of your own" in challenge
    assert "Your own cause:" in challenge and "Judgement:" in challenge
    assert "Judgement:" not in pdf_text(built(Tier.core, False, "pdf"))


def test_same_seed_same_sheet_other_seed_other_bank(shipped: Content, tmp_path: Path) -> None:
    first = write_sheet(shipped, KIND, Tier.core, False, "pdf", tmp_path, seed=3).read_bytes()
    assert write_sheet(shipped, KIND, Tier.core, False, "pdf", tmp_path, seed=3).read_bytes() == first
    banks = {
        tuple(bank(write_sheet(shipped, KIND, Tier.core, False, "pdf", tmp_path, seed=s), shipped)) for s in range(1, 4)
    }
    assert len(banks) > 1


# Answer key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_key_ranks_the_same_lettered_causes_as_the_pupil_bank(built: Builder, shipped: Content, tier: Tier) -> None:
    pupil = dict(bank(built(tier, False, "pdf"), shipped))
    ranking = key_ranking(built(tier, True, "docx"))
    assert [rank for rank, _, _ in ranking] == list(range(1, len(pupil) + 1))
    assert {letter: title for _, letter, title in ranking} == pupil
    causes = by_title(shipped)
    top = causes[ranking[0][2]]
    assert top.timescale.value == "long-term" and top.category.value in ("personal", "political")
    trigger = [rank for rank, _, title in ranking if causes[title].timescale.value == "trigger"]
    assert trigger and 1 < trigger[0] <= 3, "the trigger ranks high, but not first"


@pytest.mark.parametrize("tier", list(Tier))
def test_key_has_reasons_criteria_and_weak_justifications(built: Builder, tier: Tier) -> None:
    for text in (pdf_text(built(tier, True, "pdf")), docx_text(built(tier, True, "docx"))):
        assert "There is no single correct ladder" in text
        for criterion in ("Necessary or contributory?", "Scale:", "Timing:", "Links:"):
            assert criterion in text
        assert "“Because it was bad.”" in text and "Evidence:" in text
        assert "card" not in text.split("Weak justifications")[1].split("Arguable")[0]
    assert ("Own cause:" in pdf_text(built(tier, True, "pdf"))) == (tier is Tier.challenge)


@pytest.mark.parametrize("count", [0, 3])
def test_too_few_causes_still_builds_and_asks_for_own_causes(tmp_path: Path, count: int) -> None:
    content = Content(
        title="Test topic",
        key_question="Why did the war break out?",
        causes=[
            Cause(id=f"c{i}", title=f"Cause number {i}", category="political", timescale="long-term", evidence=["x"])
            for i in range(count)
        ],
    )
    for key in (False, True):
        document, notes = build_document(content, Sheet(KIND, Tier.core, key), 0, search_path())
        assert any(f"only {count} causes" in n for n in notes)
        path = tmp_path / f"few_{key}.pdf"
        path.write_bytes(render(document, "pdf"))
        if not key:
            assert "add causes of your own" in pdf_text(path)
            word = tmp_path / "few.docx"
            word.write_bytes(render(document, "docx"))
            assert len(ladder(word).rows) == 1 + RUNGS[Tier.core]


# Every topic, on the Document ---------------------------------------------------------------------


@pytest.mark.parametrize("topic", WITH_CAUSES)
@pytest.mark.parametrize("tier", list(Tier))
def test_every_seed_gives_the_same_bank_with_the_essential_causes(topic: str, tier: Tier) -> None:
    content = topic_content(topic)
    essential = {c.title for c in essential_causes(content.causes, framing(content).discipline)}
    banks = [tuple(c.title for c in prepare(content, tier, rng(KIND, tier, seed)).bank) for seed in range(10)]
    assert all(essential <= set(b) for b in banks)
    assert len({frozenset(b) for b in banks}) == 1, "the seed changed which causes this tier gets"
    assert len(set(banks)) > 1, "the seed never changes the order of the bank"


@pytest.mark.parametrize("topic", WITH_CAUSES)
def test_the_tiers_scaffold_differently(topic: str) -> None:
    support, core, challenge = (printed_text(topic, KIND, tier) for tier in Tier)
    sheets = {tier: prepare(topic_content(topic), tier, rng(KIND, tier)) for tier in Tier}
    assert all(card.evidence for card in sheets[Tier.support].bank)
    assert not any(card.evidence for card in sheets[Tier.core].bank + sheets[Tier.challenge].bank)
    assert len(sheets[Tier.support].rungs) < len(sheets[Tier.core].rungs)
    assert len(sheets[Tier.challenge].bank) == len(topic_content(topic).causes) > sheets[Tier.challenge].choose
    assert "Tick what “most important” will mean" in support and "Most important because" in support
    assert "Write your choice" in core and "Most important because" not in core
    assert "Choose " in challenge and "Your own cause:" in challenge and "Judgement:" in challenge


@pytest.mark.parametrize("topic", WITH_CAUSES)
def test_criteria_and_reasons_use_this_topics_question_and_causes(topic: str) -> None:
    content = topic_content(topic)
    sheet = prepare(content, Tier.core, rng(KIND, Tier.core))
    assert f"Without it, {sheet.question.without}." in printed_text(topic, KIND, Tier.support)
    key = printed_text(topic, KIND, Tier.core, key=True)
    assert f"{sheet.question.ask} without this cause?" in key
    titles = {c.title.lower() for c in content.causes}
    assert all(r.depends_on.lower() in titles for r in sheet.ranking[1:])
    for r in sheet.ranking[1:]:
        assert (r.note or r.depends_on) in key  # the content's own reason, or one tied to another cause


@pytest.mark.parametrize("topic", GEOGRAPHY)
@pytest.mark.parametrize("tier", list(Tier))
def test_geography_is_never_framed_as_history(topic: str, tier: Tier) -> None:
    assert history_words(topic, KIND, tier) == []


JUDGEMENT_SETTINGS = [PrintSettings(profile=p) for p in Profile] + [
    PrintSettings("letter"),
    PrintSettings("letter", Profile.large_print),
]


@pytest.mark.parametrize("settings", JUDGEMENT_SETTINGS, ids=lambda s: f"{s.profile.value}-{s.paper}")
def test_challenge_judgement_prompt_is_on_the_page_of_all_its_lines(shipped: Content, settings: PrintSettings) -> None:
    """The judgement prompt never ends a page with its lines overleaf, and its page is a real
    writing page (at least 12 full-width lines under the prompt), not a few stranded lines."""
    document, _ = build_document(shipped, Sheet(KIND, Tier.challenge), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        found = [page for page in pdf.pages if "Judgement:" in (page.extract_text() or "")]
        assert len(found) == 1
        page = found[0]
        prompt = page.search("Judgement:")[0]["top"]
        ruled = [
            line
            for line in page.lines
            if abs(line["top"] - line["bottom"]) < 0.5 and line["x1"] - line["x0"] > page.width / 2
        ]
        assert len([line for line in ruled if line["top"] > prompt]) >= 12
        assert "Your judgement" in page.extract_text()


@pytest.mark.parametrize("tier", list(Tier))
def test_key_gives_each_cause_its_own_reason_from_the_content(built: Builder, shipped: Content, tier: Tier) -> None:
    """Issue 12: 'Kirov as a possible rival ... adding to fear of Trotsky' and other reasons that fit
    any cause are replaced by each cause's `key_note`, read back from the Word key."""
    text = docx_text(built(tier, True, "docx"))
    sheet = prepare(shipped, tier, rng(KIND, tier))
    for ranked in sheet.ranking:
        cause = next(c for c in shipped.causes if c.title == ranked.card.title)
        assert cause.key_note and " ".join(cause.key_note.split()) in text, cause.id
    for generic in ("It helps to explain the purges in the short term", "It made the purges more likely or worse"):
        assert generic not in text
    assert "adding to fear of Trotsky" not in text


@pytest.mark.parametrize("tier", list(Tier))
def test_large_print_ladder_takes_at_most_three_pages_none_half_empty(shipped: Content, tier: Tier) -> None:
    """The head of department's report: the large-print core ladder ran over pages 2-4, pages 3
    and 4 each holding two rungs with 111 mm free. Read back from the PDF: the ladder (the pages
    under its repeated "Rank" header) takes at most three pages (seven rungs, each with three
    12 mm lines to say why, fit three to a page), and its last rung is on a page at least half
    full of ladder (two rungs, never one alone)."""
    settings = PrintSettings("a4", Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, tier, False), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        ladder = []
        for page in pdf.pages:
            words = page.extract_words()
            rank = [w for w in words if w["text"] == "Rank"]
            if rank and any(w["text"] == "Evidence" and abs(w["top"] - rank[0]["top"]) < 2 for w in words):
                foot = max(r["bottom"] for r in page.rects + page.lines if r["top"] >= rank[0]["top"] - 10)
                ladder.append((foot - rank[0]["top"]) / page.height)
    assert 1 <= len(ladder) <= 3, f"the ladder runs over {len(ladder)} pages"
    assert ladder[-1] > 0.45 * 0.81, f"the ladder's last page is {ladder[-1]:.0%} of the sheet tall"


def _why_cells(blocks: tuple[d.Block, ...]) -> list[tuple[str, int]]:
    """Every ladder cell that asks why a rung is ranked there: its first words and the writing
    lines under them."""
    out: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, d.Table):
            header = [d.plain_text(p.inlines) for p in block.rows[0].cells[-1].blocks if isinstance(p, d.Paragraph)]
            asks_why = header == ["Why it is ranked here"]
            for row in block.rows[block.header :]:
                for number, cell in enumerate(row.cells):
                    said = [d.plain_text(p.inlines) for p in cell.blocks if isinstance(p, d.Paragraph)]
                    lines = sum(b.count for b in cell.blocks if isinstance(b, d.WritingLines))
                    if not lines and number + 1 < len(row.cells):  # large print: the label beside its lines
                        lines = sum(b.count for b in row.cells[number + 1].blocks if isinstance(b, d.WritingLines))
                    if (asks_why and number == len(row.cells) - 1) or any(
                        "because" in s or "Why it" in s for s in said
                    ):
                        out.append((" ".join(said), lines))
    return out


PRINTS = [PrintSettings(profile=p) for p in Profile] + [PrintSettings("letter")]


@pytest.mark.parametrize("settings", PRINTS, ids=lambda s: f"{s.profile}-{s.paper}")
@pytest.mark.parametrize("tier", list(Tier))
def test_every_rung_has_three_lines_to_say_why(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """Head of department: support's 'Why it is ranked here' had two lines a rung (PEDAGOGY: at
    least three for any explain)."""
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    cells = _why_cells(document.blocks)
    assert len(cells) >= 5, cells  # five rungs on support, seven on core and challenge
    assert all(lines >= 3 for _, lines in cells), cells
