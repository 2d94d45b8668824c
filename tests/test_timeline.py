"""Timeline: read the PDFs and DOCX files back and check what a teacher would check.

The cards and the axis are read from the DOCX tables (python-docx); the order in the key
is checked against the content's own dates, never against a stored answer.
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

from tests import topics
from tests.conftest import Builder, write_sheet
from tests.pagecheck import PageView, fills, pages_with, read_pages
from tests.readback import MM, docx_text, pdf_pages, pdf_text
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.kinds.common import event_sort_key, letters
from worksheetgen.kinds.timeline import ambiguous, orderable, prepare
from worksheetgen.layout import Layout, PrintSettings, Profile, layout_for
from worksheetgen.model import Content, Event
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.templating import search_path

KIND = "timeline"
CARDS = {Tier.support: (6, 8), Tier.core: (10, 10), Tier.challenge: (12, 12)}
CARD_LETTER = re.compile(r"^([A-Z]+)\b")


def tables(path: Path) -> list[DocxTable]:
    return list(docx.Document(str(path)).tables)


def cards_on_sheet(path: Path, events: list[Event]) -> list[tuple[str, Event, str]]:
    """(letter, event, whole card text) for every card, in reading order (left to right, row by row)."""
    found = []
    for row in tables(path)[0].rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen or not cell.text.strip():
                continue
            seen.add(id(cell._tc))
            text = cell.text.replace("\u00a0", " ").strip()  # dates hold no-break spaces
            letter = CARD_LETTER.match(text)
            event = next((e for e in events if e.title in text), None)
            assert letter and event, f"not a card: {text!r}"
            found.append((letter.group(1), event, text))
    return found


def axis_table(path: Path) -> DocxTable:
    for table in tables(path):
        if table.rows[0].cells[0].text.strip() in ("Year", "Years"):
            return table
    raise AssertionError(f"no timeline axis in {path.name}")


def key_order(path: Path, events: list[Event]) -> list[tuple[int, str, str, Event]]:
    """(order, card letter, date, event) from the key's first table."""
    return [row[:4] for row in key_rows(path, events)]


def key_rows(path: Path, events: list[Event]) -> list[tuple[int, str, str, Event, str]]:
    """(order, card letter, date, event, whole event cell) from the key's first table."""
    rows = []
    table = tables(path)[0]
    assert [c.text for c in table.rows[0].cells] == ["Order", "Card", "Date", "Event"]
    for row in table.rows[1:]:
        order, letter, date, event_text = (c.text.replace("\u00a0", " ").strip() for c in row.cells)
        event = next(e for e in events if event_text.startswith(e.title))
        rows.append((int(order), letter, date, event, event_text))
    return rows


@pytest.mark.parametrize("tier", list(Tier))
def test_cards_are_lettered_shuffled_and_the_right_number(built: Builder, shipped: Content, tier: Tier) -> None:
    cards = cards_on_sheet(built(tier, False, "docx"), shipped.events)
    low, high = CARDS[tier]
    assert low <= len(cards) <= high
    assert [letter for letter, _, _ in cards] == letters(len(cards))
    assert len({id(e) for _, e, _ in cards}) == len(cards)
    keys = [event_sort_key(e) for _, e, _ in cards]
    assert keys != sorted(keys), "cards must not be printed in chronological order"


@pytest.mark.parametrize("tier", list(Tier))
def test_dates_on_cards_only_for_support(built: Builder, shipped: Content, tier: Tier) -> None:
    for _, event, text in cards_on_sheet(built(tier, False, "docx"), shipped.events):
        assert (event.date in text) == (tier is Tier.support), text
        assert ("Date: ____" in text) == (tier is Tier.challenge), text


@pytest.mark.parametrize("tier", list(Tier))
def test_axis_has_one_row_per_year_covering_every_event(built: Builder, shipped: Content, tier: Tier) -> None:
    sheet = prepare(shipped, tier, random.Random("0/timeline/" + tier.value))
    axis = axis_table(built(tier, False, "docx"))
    years = [int(row.cells[0].text) for row in axis.rows[1:]]
    placed = [event_sort_key(c.event)[0] for c in sheet.cards] + [event_sort_key(a)[0] for a in sheet.anchors]
    assert years == list(range(min(placed), max(placed) + 1))
    assert all(row.cells[-1].text == "" for row in axis.rows[1:]), "the letters column is for the pupil"
    pdf_years = re.findall(r"\b(19\d\d)\b", pdf_text(built(tier, False, "pdf")))
    assert {str(y) for y in years} <= set(pdf_years)


def test_support_pre_places_anchor_events_in_their_year(built: Builder, shipped: Content) -> None:
    path = built(Tier.support, False, "docx")
    axis = axis_table(path)
    assert [c.text for c in axis.rows[0].cells] == ["Year", "Already placed", "Card letters"]
    anchored = {int(r.cells[0].text): r.cells[1].text.replace("\u00a0", " ") for r in axis.rows[1:] if r.cells[1].text}
    assert 2 <= len(anchored) <= 3
    card_events = {id(e) for _, e, _ in cards_on_sheet(path, shipped.events)}
    for year, text in anchored.items():
        event = next(e for e in shipped.events if text.startswith(e.title))
        assert event_sort_key(event)[0] == year and event.date in text
        assert id(event) not in card_events, "an anchor is not also a card"


@pytest.mark.parametrize("tier", list(Tier))
def test_events_are_spread_over_the_period(shipped: Content, tier: Tier) -> None:
    pool_years = [event_sort_key(e)[0] for e in orderable(shipped.events)]
    for seed in range(5):
        sheet = prepare(shipped, tier, random.Random(seed))
        years = sorted(event_sort_key(e.event)[0] for e in sheet.cards) + [event_sort_key(a)[0] for a in sheet.anchors]
        assert min(years) <= min(pool_years) + 1 and max(years) >= max(pool_years) - 1
        assert len(set(years)) >= len(years) // 2, "not bunched into a few years"
        positions = [c.position for c in sheet.cards]
        assert positions != sorted(positions), "cards are never in chronological order"


@pytest.mark.parametrize("tier", list(Tier))
def test_key_gives_the_true_order_with_full_dates(built: Builder, shipped: Content, tier: Tier) -> None:
    pupil = {letter: event for letter, event, _ in cards_on_sheet(built(tier, False, "docx"), shipped.events)}
    rows = key_order(built(tier, True, "docx"), shipped.events)
    assert [r[0] for r in rows] == list(range(1, len(pupil) + 1))
    assert {letter: event for _, letter, _, event in rows} == pupil, "the key letters match the pupil's cards"
    assert all(date == event.date for _, _, date, event in rows)
    keys = [event_sort_key(event) for *_, event in rows]
    assert all(a < b and not ambiguous(a, b) for a, b in zip(keys, keys[1:], strict=False))


@pytest.mark.parametrize("tier", list(Tier))
def test_key_notes_approximate_and_disputed_dates(built: Builder, shipped: Content, tier: Tier) -> None:
    text = docx_text(built(tier, True, "docx"))
    for _, _, date, event, cell in key_rows(built(tier, True, "docx"), shipped.events):
        if event.disputed:
            assert event.disputed in text
            assert "Disputed:" in cell
        if re.search(r"\d{4}\s*[–-]\s*\d{2}", date):
            assert "accept any of those years" in cell
        elif event_sort_key(event)[2] == 0:  # no day: a month or a year only
            assert "approximate" in cell or "onwards" in cell, cell
        else:
            assert "approximate" not in cell


def test_support_key_lists_the_anchor_events(built: Builder, shipped: Content) -> None:
    sheet = prepare(shipped, Tier.support, random.Random("0/timeline/support"))
    text = pdf_text(built(Tier.support, True, "pdf"))
    assert sheet.anchors and "Anchor events" in text
    for anchor in sheet.anchors:
        assert f"{anchor.date}: {anchor.title}" in text


def test_challenge_asks_for_arrows_and_a_disputed_event(built: Builder, shipped: Content) -> None:
    text = pdf_text(built(Tier.challenge, False, "pdf"))
    assert "link 3 pairs of cards" in text and "historians disagree" in text
    assert text.count("It helped to cause it because") == 3  # room to write each arrow (HOD review)
    cards = [e for _, e, _ in cards_on_sheet(built(Tier.challenge, False, "docx"), shipped.events)]
    assert any(e.disputed for e in cards), "at least one card must be an event historians dispute"
    key = pdf_text(built(Tier.challenge, True, "pdf"))
    assert "Historians disagree" in key and "Causal arrows" in key


@pytest.mark.parametrize("tier", list(Tier))
def test_turning_point_box_on_every_sheet(built: Builder, tier: Tier) -> None:
    assert "Which event was the turning point? Why?" in pdf_text(built(tier, False, "pdf"))
    assert "Turning point: what a good answer includes" in pdf_text(built(tier, True, "pdf"))


@pytest.mark.parametrize("tier", list(Tier))
def test_pupil_sheet_is_two_pages_on_a4_and_letter(shipped: Content, tmp_path: Path, tier: Tier) -> None:
    """Two pages (one leaf); challenge three, for its arrows and historians' debate."""
    for paper in ("a4", "letter"):
        pages = pdf_pages(write_sheet(shipped, KIND, tier, False, "pdf", tmp_path, paper=paper))
        assert len(pages) == (3 if tier is Tier.challenge else 2)
        for page in pages:
            body = [c for c in page.chars if c["top"] >= 30 * MM and c["bottom"] <= page.height - 25 * MM]
            assert any(not c["text"].isspace() for c in body), "no page is empty"


def test_orderable_never_keeps_two_events_it_cannot_order() -> None:
    events = [
        Event(date="1 Dec 1934", title="Murder"),
        Event(date="1 Dec 1934", title="Decree"),
        Event(date="Dec 1934", title="Executions", detail="Later that month."),
        Event(date="1933", title="Purge"),
        Event(date="2 Dec 1934", title="Bodyguard dies", disputed="Who killed him?"),
    ]
    kept = orderable(events)
    keys = [event_sort_key(e) for e in kept]
    assert all(not ambiguous(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    assert [e.title for e in kept] == ["Purge", "Murder", "Bodyguard dies"]
    assert ambiguous((1934, 12, 0), (1934, 12, 5)) and ambiguous((1934, 0, 0), (1934, 3, 1))
    assert not ambiguous((1934, 11, 0), (1934, 12, 1)) and not ambiguous((1933, 0, 0), (1934, 0, 0))


def test_same_seed_same_sheet_other_seed_other_cards(shipped: Content) -> None:
    def cards(seed: int) -> list[str]:
        return [f"{c.letter} {c.title}" for c in prepare(shipped, Tier.core, random.Random(seed)).cards]

    assert cards(5) == cards(5)
    assert len({tuple(cards(seed)) for seed in range(5)}) > 1
    first = build_document(shipped, Sheet(KIND, Tier.core), 5, search_path())[0]
    again = build_document(shipped, Sheet(KIND, Tier.core), 5, search_path())[0]
    assert render(first, "pdf") == render(again, "pdf")


def test_topic_without_events_still_builds(tmp_path: Path) -> None:
    content = Content(title="Empty topic", key_question="Why?")
    for tier in Tier:
        for key in (False, True):
            assert "Empty topic" in pdf_text(write_sheet(content, KIND, tier, key, "pdf", tmp_path))


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_event_cards_carry_no_cut_lines(shipped: Content, tier: Tier, profile: Profile) -> None:
    """The cards are read and written on, on the page with the instructions (the timeline is
    overleaf when printed double-sided): no dashed cut lines invite a pupil to cut that page up.
    Cards meant to be cut are a card sheet on a leaf of its own (diamond nine), never here."""
    settings = PrintSettings(profile=profile)
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        for page in pdf.pages:
            assert not [e for e in page.lines + page.rect_edges if e.get("dash") and e["dash"][0]]
            assert "✂" not in (page.extract_text() or "")
        first = pdf.pages[0]
        cards = [e for e in first.lines + first.rect_edges if abs(e["x1"] - e["x0"]) < 0.5]
    assert cards, "the cards are still boxed, with solid lines"


@pytest.mark.parametrize("tier", list(Tier))
def test_every_tier_dates_the_three_moscow_trials_and_the_mass_operation(tier: Tier) -> None:
    """PEDAGOGY.md's finish rules make the three Moscow trials essential (the second,
    Pyatakov-Radek, January 1937, was on no tier); Order No. 00447 stays. Whatever the seed."""
    from tests.topics import document
    from worksheetgen.document import iter_text

    for seed in (0, 7):
        text = " ".join(iter_text(document("stalins-purges", KIND, tier, seed=seed)[0].blocks))
        for title in ("First Moscow show trial", "Second Moscow show trial", "Third Moscow show trial", "00447"):
            assert title in text, f"{tier.value}, seed {seed}: no {title!r}"
    key = " ".join(iter_text(document("stalins-purges", KIND, tier, key=True)[0].blocks))
    assert "23–30 Jan 1937" in key and "Pyatakov, Radek" in key


# Print layout: the head of department's review -----------------------------------------------

PRINTS = [
    pytest.param(PrintSettings(paper, profile), id=f"{profile.value}-{paper}")
    for profile in Profile
    for paper in ("a4", "letter")
]
YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})$")


def _pupil_views(shipped: Content, tier: Tier, settings: PrintSettings) -> tuple[list[PageView], Layout]:
    document, _ = build_document(shipped, Sheet(KIND, tier), 0, search_path(), settings)
    layout = layout_for(tier, settings)
    return read_pages(render(document, "pdf", settings), layout), layout


def _axis_rows(views: list[PageView]) -> dict[int, list[float]]:
    """Page -> the tops (pt) of the axis's year labels on it: a year alone on its printed line, on a
    page under the axis's (repeated) header row (a card's date may wrap to a year alone too)."""
    return {
        n: tops
        for n, view in enumerate(views, start=1)
        if any(line.text.startswith("Year") for line in view.lines)
        and (tops := [line.top for line in view.lines if YEAR.match(line.text)])
    }


@pytest.mark.parametrize("settings", PRINTS)
def test_challenge_arrows_are_one_block_on_one_page(shipped: Content, settings: PrintSettings) -> None:
    """The three causal arrows are one task: never split over pages (dyslexia and large print split
    them), and each is an 'explain' with at least three lines."""
    views, _ = _pupil_views(shipped, Tier.challenge, settings)
    pages = {p for text in ("Three causal arrows", "Arrow 1:", "Arrow 2:", "Arrow 3:") for p in pages_with(views, text)}
    assert len(pages) == 1, pages
    document, _ = build_document(shipped, Sheet(KIND, Tier.challenge), 0, search_path(), settings)
    box = next(b for b in document.blocks if isinstance(b, d.Box) and b.title == "Three causal arrows")
    assert [b.count for b in box.blocks if isinstance(b, d.WritingLines)] == [3, 3, 3]


@pytest.mark.parametrize("settings", PRINTS)
@pytest.mark.parametrize("tier", list(Tier), ids=lambda t: t.value)
def test_axis_rows_are_tall_enough_to_write_in(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """Every year row is at least the profile's writing pitch (8-10 mm, 12 mm in large print;
    large print's were 11.2 mm), read from the printed year labels."""
    views, layout = _pupil_views(shipped, tier, settings)
    steps = [b - a for tops in _axis_rows(views).values() for a, b in zip(tops, tops[1:], strict=False)]
    assert steps and min(steps) >= layout.line_pitch.pt - 0.5, (min(steps) / MM, layout.line_pitch)


@pytest.mark.parametrize("settings", PRINTS)
def test_challenge_rows_are_no_lower_than_core(shipped: Content, settings: PrintSettings) -> None:
    """Writing space grows with demand: challenge writes letters and more per year than core."""
    core, challenge = (
        min(
            b - a
            for tops in _axis_rows(_pupil_views(shipped, tier, settings)[0]).values()
            for a, b in zip(tops, tops[1:], strict=False)
        )
        for tier in (Tier.core, Tier.challenge)
    )
    assert challenge >= core - 0.1


@pytest.mark.parametrize("settings", PRINTS)
@pytest.mark.parametrize("tier", list(Tier), ids=lambda t: t.value)
def test_axis_stays_whole_or_splits_evenly(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """The axis is on one page, or each page holds at least a third of its years under the repeated
    header (large print support split 10 + 3 after 1937); large print support keeps it whole."""
    views, _ = _pupil_views(shipped, tier, settings)
    rows = _axis_rows(views)
    total = sum(len(tops) for tops in rows.values())
    assert all(len(tops) * 3 >= total for tops in rows.values()), {p: len(t) for p, t in rows.items()}
    if tier is Tier.support:
        assert len(rows) == 1, rows.keys()


@pytest.mark.parametrize("settings", PRINTS)
def test_challenge_has_no_mostly_empty_page(shipped: Content, settings: PrintSettings) -> None:
    """Page 3 of the challenge sheet was 64-70% empty: the axis now has its page (taller rows),
    the arrows and questions the next."""
    views, layout = _pupil_views(shipped, Tier.challenge, settings)
    assert min(fills(views, layout)) >= 0.4, fills(views, layout)


@pytest.mark.parametrize("settings", [p for p in PRINTS if "large" not in p.id])
def test_a_short_challenge_axis_goes_under_the_cards(settings: PrintSettings) -> None:
    """Three years (the Tsar's abdication): the axis shares page one with the cards, and the arrows
    and questions fill page two, rather than a third page two-thirds empty (or the arrows split)."""
    views, layout = _pupil_views(topics.content("tsar-abdication"), Tier.challenge, settings)
    assert len(views) == 2 and min(fills(views, layout)) >= 0.5, fills(views, layout)
    assert list(_axis_rows(views)) == [1] and pages_with(views, "Arrow 1:") == pages_with(views, "Arrow 3:") == [2]


@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_large_print_instruction_says_where_the_turning_point_box_is(shipped: Content, tier: Tier) -> None:
    """Large print puts the turning-point box under the cards, before the timeline: the last
    instruction said "Then answer the question in the box", as if it came after. Read back from
    the PDF: where the box comes first, the instruction says it is under the cards."""
    from worksheetgen.templating import search_path

    settings = PrintSettings("a4", Profile.large_print)
    document, _ = build_document(shipped, Sheet("timeline", tier, False), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        texts = [" ".join((page.extract_text() or "").split()) for page in read.pages]
    box = next(i for i, text in enumerate(texts) if "Which event was the turning point?" in text)
    axis = next(i for i, text in enumerate(texts) if re.search(r"Year (Already placed|Card letters)", text))
    whole = " ".join(texts)
    if box < axis:
        assert "answer the question in the box under the cards" in whole
        assert "Then answer the question in the box" not in whole
    else:
        assert "Then answer the question in the box" in whole
