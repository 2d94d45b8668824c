"""Diamond nine: what a teacher would check, on the Document for every topic and on the output.

On the Document, for the shipped topic, a second History topic, a Geography topic with causes
and one without: every tier holds the essential causes whatever the seed, the tiers scaffold
differently, the key's reasons name this topic's causes, and Geography is never framed as
History. On the output: the PDF is measured for the diamond (rows of 1-2-3-2-1 boxes) and the
dashed card grid; the DOCX card table is read card by card; the key is checked against the
pupil copy (same letters, same titles) and against the content (timescales, the trigger).
"""

from __future__ import annotations

import io
import random
import re
from collections import defaultdict
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.table import Table as DocxTable

from tests.conftest import Builder, write_sheet
from tests.readback import docx_text, pdf_text
from tests.topics import GEOGRAPHY, TOPICS, WITH_CAUSES, history_words, printed_text, rng
from tests.topics import content as topic_content
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.kinds.causes import essential_causes
from worksheetgen.kinds.diamond_nine import prepare
from worksheetgen.kinds.language import framing
from worksheetgen.layout import PrintSettings, Profile, layout_for
from worksheetgen.model import Cause, Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "diamond-nine"
MM = 25.4 / 72
CARD_TITLE = re.compile(r"^([A-I])\.\s+(.*)$", re.DOTALL)
KEY_BOX = re.compile(r"^([A-I])\s+(.*)$", re.DOTALL)
CODES = {"long-term": "L", "short-term": "S", "trigger": "T"}


# Reading the output back --------------------------------------------------------------------------


def tables_with_columns(path: Path, columns: int) -> list[DocxTable]:
    return [t for t in docx.Document(str(path)).tables if len(t.columns) == columns]


def card_table(path: Path) -> DocxTable:
    """The cut-out sheet: the 3-column table whose cells have dashed borders (challenge: and an
    empty fourth, as its cards are as narrow as the diamond's boxes)."""
    for table in tables_with_columns(path, 3) + tables_with_columns(path, 4):
        if borders_of(table.rows[0]._tr.tc_lst[0]) == "dashed":
            return table
    raise AssertionError(f"no dashed card table in {path.name}")


def borders_of(tc: object) -> str:
    borders = tc.tcPr.find(qn("w:tcBorders")) if tc.tcPr is not None else None  # type: ignore[attr-defined]
    if borders is None:
        return ""
    return str(borders.find(qn("w:top")).get(qn("w:val")))


def cards(path: Path) -> list[tuple[str, str, list[str]]]:
    """(letter, title, other lines) of every card, in reading order."""
    found = []
    for row in card_table(path).rows:
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen or not cell.text.strip():
                continue
            seen.add(id(cell._tc))
            lines = [p.text.replace("\u00a0", " ").strip() for p in cell.paragraphs if p.text.strip()]
            match = CARD_TITLE.match(lines[0])
            assert match, f"card does not start with a letter: {lines[0]!r}"
            found.append((match.group(1), match.group(2).rstrip(":").strip(), lines[1:]))
    return found


def diamond_rows(path: Path) -> list[list[str]]:
    """Text of the bordered boxes of the diamond table, row by row (DOCX): 6 columns, or 9 with
    gaps between the boxes on challenge."""
    (table,) = tables_with_columns(path, 6) or tables_with_columns(path, 9)
    rows = []
    for tr in table._tbl.tr_lst:
        boxes = []
        for tc in tr.tc_lst:
            if borders_of(tc) == "single":
                boxes.append("".join(t.text or "" for t in tc.iter(qn("w:t"))).replace("\u00a0", " ").strip())
        rows.append(boxes)
    return rows


def pdf_boxes(path: Path, page: int = 0) -> list[list[tuple[float, float]]]:
    """Boxes drawn in 26-37 mm bands on a PDF page (support 36 mm): per band, the (width, height) of each box in mm."""
    with pdfplumber.open(path) as pdf:
        p = pdf.pages[page]
        bands: dict[tuple[float, float], set[float]] = defaultdict(set)
        for e in p.lines + p.rect_edges:
            if abs(e["x1"] - e["x0"]) < 0.5 and 25.5 <= (e["bottom"] - e["top"]) * MM <= 37:
                bands[(round(e["top"] * MM, 1), round(e["bottom"] * MM, 1))].add(round(e["x0"] * MM, 1))
    result = []
    for (top, bottom), xs in sorted(bands.items()):
        edges = sorted(xs)
        result.append([(b - a, bottom - top) for a, b in zip(edges, edges[1:], strict=False) if b - a >= 15])
    return [row for row in result if row]  # a band with one edge only is no box


def dashed_grid(path: Path) -> tuple[int, int]:
    """(columns, rows) of the dashed cut grid on the last page of a PDF."""
    with pdfplumber.open(path) as pdf:
        p = pdf.pages[-1]
        dashed = [e for e in p.lines if e.get("dash") and e["dash"][0]]
        xs = {round(e["x0"]) for e in dashed if abs(e["x1"] - e["x0"]) < 0.5}
        ys = {round(e["top"]) for e in dashed if abs(e["bottom"] - e["top"]) < 0.5}
    return len(xs) - 1, len(ys) - 1


def own_factor(title: str) -> bool:
    """A blank card: "Your own factor", or on a challenge card only its L / S / T (boxes, or
    in large print a blank) above two writing lines (the card sheet says which are the pupil's)."""
    return title.startswith("Your own factor") or title.replace(" ", "") in ("L☐S☐T☐", "L/S/T:____")


def cause_by_title(content: Content) -> dict[str, Cause]:
    return {c.title: c for c in content.causes}


# Pupil copy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_the_diamond_is_nine_boxes_about_55_by_30_mm_on_one_page(built: Builder, tier: Tier) -> None:
    path = built(tier, False, "pdf")
    with pdfplumber.open(path) as pdf:
        count = len(pdf.pages)
    pages = [n for n in range(count) if [len(row) for row in pdf_boxes(path, n)] == [1, 2, 3, 2, 1]]
    assert len(pages) == 1, "the diamond is on one page, whole"
    tall = 36 if tier is Tier.support else 30  # support: a line under each card's title says what the cause was
    for width, height in (box for row in pdf_boxes(path, pages[0]) for box in row):
        assert 50 <= width <= 60 and tall - 0.5 <= height <= tall + 1, (width, height)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[pages[0]].extract_text()
    assert "Most important" in page and "Least important" in page and "✂" not in page
    rows = diamond_rows(built(tier, False, "docx"))
    assert [len(row) for row in rows if row] == [1, 2, 3, 2, 1]  # challenge: empty rows between, for arrows


@pytest.mark.parametrize("tier", list(Tier))
def test_reasons_for_top_and_bottom_are_asked_for(built: Builder, tier: Tier) -> None:
    text = pdf_text(built(tier, False, "pdf"))
    if tier is Tier.support:
        assert "I put card ________ at the top because" in text
        assert "I put card ________ at the bottom because" in text
        assert "top 3" in text
    else:
        assert "Why is this at the top?" in text and "Why is this at the bottom?" in text
    assert ("Your judgement" in text) == (tier is Tier.challenge)
    assert ("arrow" in text) == (tier is Tier.challenge)


@pytest.mark.parametrize("tier", list(Tier))
def test_card_sheet_is_a_dashed_3_by_3_grid_after_a_page_break(built: Builder, tier: Tier) -> None:
    path = built(tier, False, "pdf")
    assert dashed_grid(path) == (3, 3)
    with pdfplumber.open(path) as pdf:
        last = pdf.pages[-1].extract_text()
        first = pdf.pages[0].extract_text()
    assert "✂" in last and "Cut along the dashed lines" in last
    assert "✂" not in first
    assert [letter for letter, _, _ in cards(built(tier, False, "docx"))] == list("ABCDEFGHI")


@pytest.mark.parametrize("tier", list(Tier))
def test_cards_carry_causes_from_the_content_with_evidence(built: Builder, shipped: Content, tier: Tier) -> None:
    causes = cause_by_title(shipped)
    found = cards(built(tier, False, "docx"))
    blanks = [c for c in found if own_factor(c[1])]
    real = [c for c in found if not own_factor(c[1])]
    assert len(real) == (7 if tier is Tier.challenge else 9)
    assert len(blanks) == (2 if tier is Tier.challenge else 0)
    assert len({title for _, title, _ in real}) == len(real)
    text = " ".join(docx_text(built(tier, False, "docx")).split())
    for letter, title, lines in real:
        cause = causes[title]
        # a card is its letter and title (it must fit its box on the diamond); support and core
        # read the evidence for each card under "What the cards say", a page that is not cut up
        assert not any(e in lines for e in cause.evidence), f"card {title!r}"
        assert (f"{letter}. {title}. {cause.evidence[0]}" in text) == (tier is not Tier.challenge), f"card {title!r}"
        assert ("L ☐ S ☐ T ☐" in " ".join(lines).replace("   ", " ")) == (tier is Tier.challenge)
    assert ("What the cards say" in text) == (tier is not Tier.challenge)
    # challenge pupils bring their own evidence: a line for each card
    assert ("Evidence from your own knowledge" in text) == (tier is Tier.challenge)
    for _, title, lines in blanks:
        assert "L☐S☐T☐" in "".join((title, *lines)).replace(" ", "")


@pytest.mark.parametrize("tier", list(Tier))
def test_cards_are_shuffled_not_in_content_or_key_order(built: Builder, shipped: Content, tier: Tier) -> None:
    order = [title for _, title, _ in cards(built(tier, False, "docx")) if title in cause_by_title(shipped)]
    content_order = [c.title for c in shipped.causes if c.title in order]
    assert order != content_order
    key_order = [KEY_BOX.match(box).group(2) for row in diamond_rows(built(tier, True, "docx")) for box in row]  # type: ignore[union-attr]
    assert order != [t for t in key_order if t in order]


def test_same_seed_same_pdf_and_other_seeds_shuffle_differently(shipped: Content, tmp_path: Path) -> None:
    first = write_sheet(shipped, KIND, Tier.core, False, "pdf", tmp_path, seed=5)
    again = first.read_bytes()
    assert write_sheet(shipped, KIND, Tier.core, False, "pdf", tmp_path, seed=5).read_bytes() == again
    orders = {
        tuple(t for _, t, _ in cards(write_sheet(shipped, KIND, Tier.core, False, "docx", tmp_path, seed=s)))
        for s in range(1, 5)
    }
    assert len(orders) > 1


def test_few_causes_are_made_up_with_blank_cards(tmp_path: Path) -> None:
    content = Content(
        title="Test topic",
        key_question="Why did the war break out?",
        causes=[
            Cause(id=f"c{i}", title=f"Cause number {i}", category="political", timescale="short-term", evidence=["x"])
            for i in range(4)
        ],
    )
    document, notes = build_document(content, Sheet(KIND, Tier.core), 0, search_path())
    assert any("only 4 causes" in n for n in notes)
    path = tmp_path / "few.docx"
    path.write_bytes(render(document, "docx"))
    found = cards(path)
    assert len(found) == 9 and sum(title.startswith("Your own factor") for _, title, _ in found) == 5


# Answer key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
def test_key_diamond_uses_the_pupil_cards_letters_and_titles(built: Builder, tier: Tier) -> None:
    pupil = {letter: title for letter, title, _ in cards(built(tier, False, "docx"))}
    rows = diamond_rows(built(tier, True, "docx"))
    assert [len(r) for r in rows] == [1, 2, 3, 2, 1]
    placed = {}
    for box in (b for row in rows for b in row):
        match = KEY_BOX.match(box)
        assert match, box
        placed[match.group(1)] = match.group(2)
    assert sorted(placed) == sorted(pupil)
    for letter, title in placed.items():
        if own_factor(pupil[letter]):
            assert "own factor" in title
        else:
            assert title == pupil[letter]


@pytest.mark.parametrize("tier", list(Tier))
def test_key_ranking_puts_necessary_conditions_on_top_and_the_trigger_high(
    built: Builder, shipped: Content, tier: Tier
) -> None:
    causes = cause_by_title(shipped)
    rows = [[KEY_BOX.match(b).group(2) for b in row] for row in diamond_rows(built(tier, True, "docx"))]  # type: ignore[union-attr]
    top = causes[rows[0][0]]
    assert top.timescale.value == "long-term" and top.category.value in ("personal", "political")
    trigger = next(c.title for c in shipped.causes if c.timescale.value == "trigger")
    assert trigger in rows[1], "the trigger belongs just below the top, not at it"
    bottom = rows[4][0]
    assert bottom not in causes or causes[bottom].timescale.value != "trigger"


@pytest.mark.parametrize("tier", list(Tier))
def test_key_states_no_single_answer_criteria_and_weak_reasons(built: Builder, tier: Tier) -> None:
    for text in (pdf_text(built(tier, True, "pdf")), docx_text(built(tier, True, "docx"))):
        assert "There is no single correct diamond" in text
        for criterion in ("Necessary or contributory?", "Scale:", "Timing:", "Links:"):
            assert criterion in text
        assert "“Because it was bad.”" in text
        assert "Row 1 (top):" in text
        assert ("Row 5 (bottom):" in text) == (tier is not Tier.challenge)  # challenge: own factors at the foot
    assert ("Top 3 option" in pdf_text(built(tier, True, "pdf"))) == (tier is Tier.support)


def test_challenge_key_gives_l_s_t_for_every_card(built: Builder, shipped: Content) -> None:
    causes = cause_by_title(shipped)
    pupil = {letter: title for letter, title, _ in cards(built(Tier.challenge, False, "docx"))}
    (table,) = [t for t in tables_with_columns(built(Tier.challenge, True, "docx"), 3) if t.cell(0, 0).text == "Card"]
    answers = {row.cells[0].text.strip(): row.cells[2].text.strip() for row in table.rows[1:]}
    assert sorted(answers) == sorted(pupil)
    for letter, title in pupil.items():
        if title in causes:
            expected = CODES[causes[title].timescale.value]
            assert answers[letter].startswith(expected), (letter, title, answers[letter])
    text = pdf_text(built(Tier.challenge, True, "pdf"))
    assert "Arrows worth rewarding" in text and "→" in text
    assert "L / S / T" not in pdf_text(built(Tier.core, True, "pdf"))


# Every topic, on the Document ---------------------------------------------------------------------


@pytest.mark.parametrize("topic", WITH_CAUSES)
@pytest.mark.parametrize("tier", list(Tier))
def test_every_seed_gives_the_same_causes_and_all_the_essential_ones(topic: str, tier: Tier) -> None:
    content = topic_content(topic)
    essential = {c.title for c in essential_causes(content.causes, framing(content).discipline)}
    assert essential, "every topic has essential causes (marked, or the trigger and main necessary conditions)"
    sets, orders = set(), set()
    for seed in range(10):
        sheet = prepare(content, tier, random.Random(seed))
        titles = [c.title for c in sheet.cards if not c.blank]
        assert essential <= set(titles), (seed, essential - set(titles))
        assert not {c.title for c in content.causes if c.extension} & set(titles)
        sets.add(frozenset(titles))
        orders.add(tuple(titles))
    assert len(sets) == 1, "the seed changed which causes this tier gets"
    assert len(orders) > 1, "the seed never changes the order of the cards"


@pytest.mark.parametrize("topic", WITH_CAUSES)
def test_the_tiers_scaffold_differently(topic: str) -> None:
    support, core, challenge = (printed_text(topic, KIND, tier) for tier in Tier)
    cards = {tier: prepare(topic_content(topic), tier, random.Random(0)).cards for tier in Tier}
    assert all(c.evidence for c in cards[Tier.support] + cards[Tier.core] if not c.blank)
    assert not any(c.evidence for c in cards[Tier.challenge])
    assert sum(c.blank for c in cards[Tier.challenge]) == 2 and len(cards[Tier.challenge]) == 9
    assert "I put card ________ at the top because" in support and "top 3" in support
    assert "I put card" not in core and "Why is this at the top?" in core
    for demand in ("Draw arrows", "L (long-term)", "Your judgement", "own knowledge"):
        assert demand in challenge and demand not in core


@pytest.mark.parametrize("topic", WITH_CAUSES)
@pytest.mark.parametrize("tier", list(Tier))
def test_key_reasons_are_about_this_topics_causes(topic: str, tier: Tier) -> None:
    content = topic_content(topic)
    sheet = prepare(content, tier, rng(KIND, tier))
    key = printed_text(topic, KIND, tier, key=True)
    titles = [c.title.lower() for c in content.causes]
    assert f"{sheet.question.ask} without this cause?" in key
    for ranked in sheet.ranking:
        line = key[key.index(f"{ranked.place}: {ranked.card.letter}. ") :]
        line = line[: line.index("Evidence:")]
        if ranked.rank > 1 and not ranked.note:  # tied to another cause, unless the content gives its own reason
            assert ranked.depends_on and ranked.depends_on.lower() in titles, line
            assert ranked.depends_on in line
        assert ranked.evidence in key


@pytest.mark.parametrize("topic", GEOGRAPHY)
@pytest.mark.parametrize("tier", list(Tier))
def test_geography_is_never_framed_as_history(topic: str, tier: Tier) -> None:
    assert history_words(topic, KIND, tier) == []
    if topic == "coastal-flooding":
        key_text = printed_text(topic, KIND, tier, key=True)
        assert "Physical or human?" in key_text and "geographers" in key_text


@pytest.mark.parametrize("tier", list(Tier))
def test_a_topic_without_causes_gets_blank_cards_and_a_note(tier: Tier) -> None:
    assert "water-cycle" in TOPICS
    sheet = prepare(topic_content("water-cycle"), tier, random.Random(0))
    assert all(c.blank for c in sheet.cards) and len(sheet.cards) == 9
    assert any("only 0 causes" in n for n in sheet.notes)


class MarkedCause(Cause):
    """A cause with the `essential:` mark the content model is gaining (read when present)."""

    essential: bool = False


def test_causes_the_content_marks_essential_are_on_every_tier_even_low_ranked_ones() -> None:
    shipped = topic_content("stalins-purges")
    low = [c.id for c in shipped.causes if c.extension] + ["scapegoats_economy"]
    causes = [MarkedCause(**{**c.model_dump(), "essential": c.id in low}) for c in shipped.causes]
    content = shipped.model_copy(update={"causes": causes})
    assert {c.title for c in essential_causes(content.causes)} == {c.title for c in causes if c.id in low}
    for tier in Tier:
        for seed in range(10):
            titles = {c.title for c in prepare(content, tier, rng(KIND, tier, seed)).cards}
            assert {c.title for c in causes if c.id in low} <= titles, (tier, seed)


# Each cause's own reason, and only arrows the facts support (issue 12) -------------------------

GENERIC_REASONS = (
    "It helps to explain the purges in the short term",
    "It made the purges more likely or worse",
    "the other causes worked through it",
    "It worked indirectly",
)


@pytest.mark.parametrize("tier", list(Tier))
def test_key_gives_each_card_its_own_reason_from_the_content(built: Builder, shipped: Content, tier: Tier) -> None:
    text = docx_text(built(tier, True, "docx"))
    sheet = prepare(shipped, tier, rng(KIND, tier))
    for ranked in sheet.ranking:
        cause = next(c for c in shipped.causes if c.title == ranked.card.title)
        assert cause.key_note and squash_spaces(cause.key_note) in text, cause.id
    assert not [g for g in GENERIC_REASONS if g in text], "a reason that fits any cause"


def squash_spaces(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_challenge_key_rewards_only_arrows_the_content_gives(built: Builder, shipped: Content) -> None:
    """Read from the Word key: every 'X → Y: how' is one of the content's links between those two
    cards; Kirov's murder never leads to the fear of war."""
    sheet = prepare(shipped, Tier.challenge, rng(KIND, Tier.challenge))
    cause_of = {r.card.letter: next(c for c in shipped.causes if c.title == r.card.title) for r in sheet.ranking}
    paragraphs = [squash_spaces(p.text) for p in docx.Document(str(built(Tier.challenge, True, "docx"))).paragraphs]
    start = paragraphs.index("Arrows worth rewarding")
    arrows = [re.match(r"^([A-Z]) → ([A-Z]): (.+)$", p) for p in paragraphs[start + 1 :]]
    arrows = [a for a in arrows if a]
    assert len(arrows) >= 3
    for arrow in arrows:
        start_cause, end_cause = cause_of[arrow.group(1)], cause_of[arrow.group(2)]
        assert any(link.to == end_cause.id and squash_spaces(link.how) == arrow.group(3) for link in start_cause.links)
        assert (start_cause.id, end_cause.id) != ("kirov_murder", "fear_of_war")


def test_a_topic_without_key_notes_or_links_still_gets_a_reason_and_arrows_for_every_card() -> None:
    tsar = topic_content("tsar-abdication")
    assert not any(c.key_note or c.links for c in tsar.causes)
    sheet = prepare(tsar, Tier.challenge, rng(KIND, Tier.challenge))
    assert sheet.links and all(link.kind != "content" for link in sheet.links)
    text = printed_text("tsar-abdication", KIND, Tier.challenge, key=True)
    for ranked in sheet.ranking:
        assert f"{ranked.card.letter}. {ranked.card.title}." in text


def test_a_link_to_an_unknown_cause_is_left_out_with_a_note() -> None:
    shipped = topic_content("stalins-purges")
    causes = [
        c.model_copy(update={"links": [*c.links, type(c.links[0])(to="no_such_cause", how="x")]})
        if c.id == "kirov_murder"
        else c
        for c in shipped.causes
    ]
    sheet = prepare(shipped.model_copy(update={"causes": causes}), Tier.challenge, rng(KIND, Tier.challenge))
    assert any("'no_such_cause'" in note for note in sheet.notes)
    assert all(link.how != "x" for link in sheet.links)


# Large print: the diamond is never split over pages ----------------------------------------------


def large_print(shipped: Content, tier: Tier, key: bool, fmt: str) -> bytes:
    from worksheetgen.layout import PrintSettings, Profile

    settings = PrintSettings("a4", Profile.large_print)
    document, _ = build_document(shipped, Sheet(KIND, tier, key), 0, search_path(), settings)
    return render(document, fmt, settings)


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_large_print_key_keeps_the_indicative_diamond_on_one_page(shipped: Content, tier: Tier, tmp_path: Path) -> None:
    """The head of department's report: rows 1-3 of the indicative diamond on p1, rows 4-5 on p2."""
    path = tmp_path / "key.pdf"
    path.write_bytes(large_print(shipped, tier, True, "pdf"))
    with pdfplumber.open(path) as pdf:
        pages = [(page.extract_text() or "", {w["text"] for w in page.extract_words()}) for page in pdf.pages]
    start = next(i for i, (text, _) in enumerate(pages) if "An indicative diamond" in text)
    words = pages[start][1]
    assert {"Most", "Least"} <= words, f"the diamond starts on page {start + 1} but does not end there"


def test_large_print_challenge_docx_diamond_rows_are_exactly_their_height(shipped: Content) -> None:
    """LibreOffice grew the empty gap rows between the diamond's rows to a 16 pt line, and the
    "Least important" box fell alone onto a page of its own: empty rows are exact height, and
    every diamond row but the last keeps with the next and never splits."""
    import io

    document = docx.Document(io.BytesIO(large_print(shipped, Tier.challenge, False, "docx")))
    diamond = next(t for t in document.tables if any("Most important" in c.text for c in t.rows[0].cells))
    for number, row in enumerate(diamond.rows):
        tr_pr = row._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
        height = tr_pr.find(qn("w:trHeight"))
        if not row._tr.xpath("string(.)").strip():
            assert height.get(qn("w:hRule")) == "exact", f"empty row {number + 1} may grow"
        if number < len(diamond.rows) - 1:
            assert row._tr.xpath(".//w:keepNext"), f"row {number + 1} is not kept with the next"


@pytest.mark.parametrize("profile", [Profile.standard, Profile.dyslexia])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_support_cards_say_what_each_cause_was_and_still_fit_their_boxes(
    shipped: Content, profile: Profile, paper: str
) -> None:
    """A support pupil sorting cards needs more than a title (PEDAGOGY 1.2(a): support cards
    pre-filled with evidence): each card prints its cause's `card_line` under the title, and
    every card is still exactly a diamond box's size (36 mm boxes on support)."""
    settings = PrintSettings(paper, profile)
    document, _ = build_document(shipped, Sheet(KIND, Tier.support), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    cards = document.blocks[-1]  # the card sheet's table, last on the sheet
    printed = (
        [d.iter_text(cell.blocks) for row in cards.rows for cell in row.cells] if isinstance(cards, d.Table) else []
    )
    chosen = prepare(shipped, Tier.support, rng(KIND, Tier.support)).cards
    assert [texts[1:] for texts in printed if texts] == [[c.line] for c in chosen] and all(c.line for c in chosen)
    box = layout_for(Tier.support, settings).diamond("support").box_height
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        page = opened.pages[-1]
        dashed = [e for e in page.lines if e.get("dash") and e["dash"][0]]
        ys = sorted({round(e["top"] * 25.4 / 72, 1) for e in dashed if abs(e["bottom"] - e["top"]) < 0.5})
    assert len(ys) == 4 and all(abs(b - a - box) <= 1 for a, b in zip(ys, ys[1:], strict=False)), ys
