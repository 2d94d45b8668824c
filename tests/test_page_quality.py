"""Issue 12's page checks over every kind x tier x pupil/key x profile on A4, and every kind
x tier x pupil/key on Letter: no word split across lines, no heading last on a page, no page
of a longer sheet under 20% filled, profile type sizes everywhere, the footer never clipped.

Each sheet is rendered once, in-process, and read back once (tests/pagecheck.py)."""

from __future__ import annotations

import re
import time

import pytest

from tests.pagecheck import Line, PageView, fills, pages_with, problems, read_pages
from worksheetgen import document as d
from worksheetgen.document import Tier
from worksheetgen.layout import Layout, PrintSettings, Profile, layout_for
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, list_kinds, render
from worksheetgen.templating import search_path

SETTINGS = [PrintSettings(profile=profile) for profile in Profile] + [PrintSettings("letter")]
CASES = [
    pytest.param(
        kind,
        tier,
        key,
        settings,
        id=f"{kind}-{tier.value}-{'key' if key else 'pupil'}-{settings.profile.value}-{settings.paper}",
    )
    for kind in list_kinds()
    for tier in Tier
    for key in (False, True)
    for settings in SETTINGS
]


@pytest.mark.parametrize(("kind", "tier", "key", "settings"), CASES)
def test_page_is_print_ready(shipped: Content, kind: str, tier: Tier, key: bool, settings: PrintSettings) -> None:
    document, _ = build_document(shipped, Sheet(kind, tier, key), 0, search_path(), settings)
    assert problems(document, render(document, "pdf", settings), settings) == []


def _sheet(*blocks: d.Block, topic: str = "Topic", credit: str = "") -> d.Document:
    return d.Document(d.Meta(topic, "Why?", "Test sheet", Tier.core, credit=credit), blocks)


def test_the_check_sees_a_word_split_and_an_orphaned_heading() -> None:
    """The checker can fail: a word longer than the line is split, and is reported."""
    settings = PrintSettings()
    long_word = "Antidisestablishmentarianism" * 4
    document = _sheet(d.Paragraph((d.Run(f"A {long_word} here."),)))
    found = problems(document, render(document, "pdf", settings), settings)
    assert any("split or clipped" in problem for problem in found)


def test_a_heading_goes_to_the_next_page_with_what_follows() -> None:
    """A heading that would land at the foot of a page moves over with the table after it."""
    settings = PrintSettings()
    table = d.Table(tuple(d.Row((d.Cell((d.Paragraph((d.Run(f"Row {n}"),)),)),), d.Mm(25)) for n in range(6)), (1,))
    for lines in range(20, 29):  # writing lines filling most of page one, by steps
        document = _sheet(d.WritingLines(lines), d.Heading("Last heading"), table)
        views = read_pages(render(document, "pdf", settings), layout_for(Tier.core, settings))
        for view in views:
            body = [line for line in view.lines if line.top > 85 and line.bottom < view.height - 71]
            assert not body or "Lastheading" not in body[-1].text.replace(" ", ""), lines


def test_a_box_taller_than_a_page_starts_where_the_page_has_room() -> None:
    """A box that must split anyway is not moved whole to a new page first (that left the page
    before it nearly empty); a box that fits a page still moves whole."""
    settings = PrintSettings()
    layout = layout_for(Tier.core, settings)
    tall = d.Box((d.Paragraph((d.Run("Tall box"),)), d.WritingLines(40)))
    short = d.Box((d.Paragraph((d.Run("Short box"),)), d.WritingLines(20)))
    for box, first_page in ((tall, 1), (short, 2)):
        document = _sheet(d.WritingLines(14), box)
        views = read_pages(render(document, "pdf", settings), layout)
        assert [n for n, v in enumerate(views, start=1) if any("box" in line.text for line in v.lines)] == [first_page]
    docx_pages = render(_sheet(d.WritingLines(14), tall), "docx", settings)
    assert b"<w:cantSplit/>" not in docx_pages  # the DOCX lets the same box split where it starts


@pytest.mark.parametrize("profile", list(Profile))
def test_footer_keeps_a_long_credit_on_one_line_and_the_key_has_it_in_full(profile: Profile) -> None:
    settings = PrintSettings(profile=profile)
    credit = "A N Author, A Very Long Book Title About The Topic (adapted from many pages of a website)"
    pupil = _sheet(d.Paragraph((d.Run("Some text."),)), credit=credit)
    found = problems(pupil, render(pupil, "pdf", settings), settings)
    assert found == []
    text = " ".join(
        " ".join(v.words) for v in read_pages(render(pupil, "pdf", settings), layout_for(Tier.core, settings))
    )
    assert "A N Author" in text and "…" not in text


def test_a_40000_character_title_renders_quickly() -> None:
    """The footer is cut by width once, not a character at a time (issue 11 item 9)."""
    topic = " ".join(["Purges"] * 5715)[:40_000]
    assert len(topic) == 40_000
    document = _sheet(d.Paragraph((d.Run("Text."),)), topic=topic)
    start = time.perf_counter()
    pdf = render(document, "pdf", PrintSettings(profile=Profile.large_print))
    assert time.perf_counter() - start < 20
    views = read_pages(pdf, layout_for(Tier.core, PrintSettings(profile=Profile.large_print)))
    footer = [line for line in views[0].lines if line.top > views[0].height - 71]
    assert footer and footer[-1].text.endswith(f"Page1of{len(views)}")


@pytest.mark.parametrize("profile", [Profile.standard, Profile.large_print])
def test_a_20000_character_title_renders_a_docx_quickly(profile: Profile) -> None:
    """Issue 11: the DOCX footer was cut a word at a time, measuring the whole rest each time
    (15-18 s for a 20,000-character title of short words); now each word is measured once."""
    import zipfile
    from io import BytesIO

    topic = " ".join(["Purges"] * 2858)[:20_000]
    document = _sheet(d.Paragraph((d.Run("Text."),)), topic=topic)
    settings = PrintSettings(profile=profile)
    render(_sheet(d.Paragraph((d.Run("Warm."),))), "docx", settings)  # the package shell, made once
    start = time.process_time()
    word = render(document, "docx", settings)
    assert time.process_time() - start < 2
    footer = zipfile.ZipFile(BytesIO(word)).read("word/footer1.xml").decode()
    cut = re.search(r">(Purges[^<]*…)<", footer)
    assert cut and 20 < len(cut.group(1)) < 200, "the topic is cut at a word, with an ellipsis"


# Space that grows with demand ----------------------------------------------------------------


def _ladder_rungs(shipped: Content, tier: Tier) -> list[d.Row]:
    document, _ = build_document(shipped, Sheet("ranking-ladder", tier), 0, search_path())
    table = next(b for b in document.blocks if isinstance(b, d.Table) and "Why it is ranked here" in str(b))
    return list(table.rows[1:])


def test_challenge_rungs_are_no_smaller_than_core_and_ruled(shipped: Content) -> None:
    core, challenge = _ladder_rungs(shipped, Tier.core), _ladder_rungs(shipped, Tier.challenge)
    assert min(r.height or d.Mm(0) for r in challenge) >= max(r.height or d.Mm(0) for r in core)
    for row in (*core, *challenge):
        lines = [b for cell in row.cells[2:] for b in cell.blocks if isinstance(b, d.WritingLines)]
        assert len(lines) == 2 and all(b.count >= 2 for b in lines), "evidence and reason are ruled"


@pytest.mark.parametrize("kind", ["causation-grid", "essay-planner"])
def test_tick_boxes_are_at_least_5_mm(shipped: Content, kind: str) -> None:
    document, _ = build_document(shipped, Sheet(kind, Tier.support), 0, search_path())
    pdf = render(document, "pdf", PrintSettings())
    pages = read_pages(pdf, layout_for(Tier.support, PrintSettings()))
    boxes = [size for view in pages for size in view.box_sizes]
    assert boxes and min(boxes) * 0.72 >= 5 * 72 / 25.4  # DejaVu Sans draws ☐ 0.72 em square


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("kind", list_kinds())
def test_large_print_instructions_share_a_page_with_the_start_of_their_task(
    shipped: Content, kind: str, tier: Tier
) -> None:
    """The last instruction is never the last thing on its page: the task it introduces (a word
    bank, a cause bank, a diamond, lines) starts under it (issue 12: large print split them)."""
    settings = PrintSettings(profile=Profile.large_print)
    document, _ = build_document(shipped, Sheet(kind, tier), 0, search_path(), settings)
    views = read_pages(render(document, "pdf", settings), layout_for(tier, settings))
    frame_bottom = layout_for(tier, settings).body_bottom.pt
    lists = [b for b in document.blocks if isinstance(b, d.NumberedList) and b.items]
    assert lists, "every pupil sheet has instructions"
    for block in lists:
        tail = _squash(d.plain_text(block.items[-1].inlines))[-15:]
        found = False
        for view in views:
            body = [line for line in view.lines if line.bottom < view.height - frame_bottom]
            joined = "".join(_squash(line.text) for line in body)
            at = joined.find(tail)
            if at < 0:
                continue
            found = True
            end, last = 0, body[0]
            for line in body:  # the line the instruction ends on
                end += len(_squash(line.text))
                last = line
                if end >= at + len(tail):
                    break
            assert view.content_bottom > last.bottom + 5, f"{tail!r} ends page, its task starts overleaf"
        assert found, f"instruction ending {tail!r} not found"


# Balanced pages (issue 12, large print) ------------------------------------------------------


def _pages(shipped: Content, kind: str, tier: Tier, settings: PrintSettings, key: bool = False) -> list[PageView]:
    document, _ = build_document(shipped, Sheet(kind, tier, key), 0, search_path(), settings)
    return read_pages(render(document, "pdf", settings), layout_for(tier, settings))


def _body(view: PageView, settings: PrintSettings, tier: Tier) -> list[Line]:
    layout = layout_for(tier, settings)
    return [
        line
        for line in view.lines
        if line.top >= layout.body_top.pt - 1 and line.bottom <= view.height - layout.body_bottom.pt + 1
    ]


@pytest.mark.parametrize("settings", [PrintSettings(profile=Profile.large_print), PrintSettings("letter")])
@pytest.mark.parametrize("tier", [Tier.support, Tier.core])
def test_no_page_holds_a_lone_timeline_card_or_year(shipped: Content, tier: Tier, settings: PrintSettings) -> None:
    """A page of cards holds two or more cards, a page of the timeline two or more years: the
    seventh card or the 1940 row alone overleaf is a page a teacher would not print."""
    document, _ = build_document(shipped, Sheet("timeline", tier), 0, search_path(), settings)
    table = next(b for b in document.blocks if isinstance(b, d.Table))
    letters = {(d.iter_text(c.blocks) or [""])[0][:1] for r in table.rows for c in r.cells} - {""}
    for number, view in enumerate(_pages(shipped, "timeline", tier, settings), start=1):
        body = _body(view, settings, tier)
        cards = sum(len(line.text) for line in body if line.bold and set(line.text) <= letters)
        axis = any(line.text.startswith("Year") for line in body)  # its header repeats on each page
        years = sum(1 for line in body if axis and line.text[:4].isdigit())
        assert cards != 1, f"page {number} holds a lone card"
        assert years != 1, f"page {number} holds a lone year row"


def _rules(pdf: bytes, layout: Layout) -> list[list[float]]:
    """Per page, the width in mm of every grey horizontal rule in the body (the writing lines;
    borders are black, and the header and footer rules lie outside the body)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in document:
            widths = []
            for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
                left, bottom, right, top = item.get_bounds()
                r, g, b, a = (ctypes.c_uint() for _ in range(4))
                raw.FPDFPageObj_GetStrokeColor(item, r, g, b, a)
                grey = r.value == g.value == b.value and 0 < r.value < 255
                inside = layout.body_bottom.pt < bottom and top < page.get_height() - layout.body_top.pt
                if grey and inside and top - bottom < 2 and right - left > 5:
                    widths.append((right - left) / (72 / 25.4))
            out.append(widths)
        return out
    finally:
        document.close()


@pytest.mark.parametrize("tier", list(Tier))
def test_large_print_ladder_writes_why_full_width_and_keeps_the_bank_apart(shipped: Content, tier: Tier) -> None:
    """Large print: the why of each rung is written on wide lines (four columns left it 30-45 mm;
    core and challenge print "Why it is ranked here:" beside three lines about 140 mm wide, as
    many as support has), and no page holds both the end of the bank and the start of the ladder."""
    settings = PrintSettings(profile=Profile.large_print)
    document, _ = build_document(shipped, Sheet("ranking-ladder", tier), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    views = read_pages(pdf, layout_for(tier, settings))
    rungs = ("Whyitis", "Mostimportantbecause", "Abovethenextbecause", "Leastimportantbecause")  # why, or a starter
    ladder = [n for n, v in enumerate(views) if any(line.text.startswith(rungs) for line in v.lines)]
    assert ladder, "the ladder is printed"
    bank = [n for n, v in enumerate(views) if any(line.text[:2] in ("A.", "B.", "C.", "D.", "E.") for line in v.lines)]
    assert max(bank) < min(ladder), f"bank on pages {bank}, ladder on {ladder}"
    frame = layout_for(tier, settings).frame_width.value
    for n in ladder:
        assert max(_rules(pdf, layout_for(tier, settings))[n]) > frame - 40, f"page {n + 1}: no wide writing line"


@pytest.mark.parametrize("tier", list(Tier))
def test_large_print_causation_grid_starts_the_grid_on_page_one(shipped: Content, tier: Tier) -> None:
    """Page 1 is never the instructions alone: the grid, and its first row of tick boxes,
    start under them (large print support put the whole grid overleaf)."""
    settings = PrintSettings(profile=Profile.large_print)
    views = _pages(shipped, "causation-grid", tier, settings)
    assert views[0].box_sizes, "no tick box on page 1"


def _edges(pdf: bytes, page: int) -> list[tuple[float, float, float]]:
    """The black vertical lines on a page: (x, bottom, top) in mm (box borders)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for item in document[page].get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
            left, bottom, right, top = item.get_bounds()
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            raw.FPDFPageObj_GetStrokeColor(item, r, g, b, a)
            if r.value == g.value == b.value == 0 and right - left < 2 and top - bottom > 20 * 72 / 25.4:
                mm = 25.4 / 72
                out.append((round((left + right) / 2 * mm, 1), round(bottom * mm, 1), round(top * mm, 1)))
        return out
    finally:
        document.close()


@pytest.mark.parametrize(
    "settings", [PrintSettings(), PrintSettings(profile=Profile.dyslexia), PrintSettings("letter")], ids=str
)
def test_challenge_diamond_leaves_room_for_arrows_and_blank_cards_have_lines(
    shipped: Content, settings: PrintSettings
) -> None:
    """The challenge sheet asks for labelled arrows between boxes: boxes side by side are at
    least 10 mm apart (they touched). A pupil's own-factor card has two writing lines (it had
    one). Large print keeps whole-third boxes (a 16 pt title needs them), its rows apart."""
    document, _ = build_document(shipped, Sheet("diamond-nine", Tier.challenge), 0, search_path(), settings)
    pdf = render(document, "pdf", settings)
    views = read_pages(pdf, layout_for(Tier.challenge, settings))
    page = next(n for n, v in enumerate(views) if any("Mostimportant" in line.text for line in v.lines))
    rows: dict[float, set[float]] = {}
    for x, _, top in _edges(pdf, page):
        rows.setdefault(top, set()).add(x)
    middle = sorted(max(rows.values(), key=len))  # the row of three boxes: left and right edge of each
    assert len(middle) == 6, f"boxes share edges: {middle}"
    assert min(middle[2] - middle[1], middle[4] - middle[3]) >= 10
    cards = _rules(pdf, layout_for(Tier.challenge, settings))[-1]
    assert len(cards) >= 4, "two blank cards, two writing lines each"


@pytest.mark.parametrize(
    ("kind", "tier"),
    [("causation-grid", Tier.support), ("essay-planner", Tier.support), ("ranking-ladder", Tier.support)],
)
def test_large_print_tick_boxes_are_at_least_7_mm(shipped: Content, kind: str, tier: Tier) -> None:
    settings = PrintSettings(profile=Profile.large_print)
    boxes = [size for view in _pages(shipped, kind, tier, settings) for size in view.box_sizes]
    assert boxes and min(boxes) * 0.72 >= 7 * 72 / 25.4 - 0.01  # DejaVu Sans draws ☐ 0.72 em square


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_source_grid_content_row_is_not_alone_on_its_page(shipped: Content, paper: str) -> None:
    """Large print challenge source analysis: the sources fill page 1, and the grid's Content row
    no longer sits alone on page 2 (25% full) before a page break."""
    settings = PrintSettings(paper, Profile.large_print)
    for view in _pages(shipped, "source-analysis", Tier.challenge, settings):
        texts = [line.text for line in view.lines]
        if any(t.startswith("Content") for t in texts):
            assert any(t.startswith("Provenance") for t in texts), "the Content row alone on its page"


# Cause-ranking sheets a head of department checked (print-layout review) ------------------------


@pytest.mark.parametrize("profile", [Profile.standard, Profile.dyslexia])
def test_support_diamond_keeps_what_the_cards_say_on_one_page(shipped: Content, profile: Profile) -> None:
    """The evidence for the nine cards is one list on page 1 (it split after card G)."""
    settings = PrintSettings(profile=profile)
    views = _pages(shipped, "diamond-nine", Tier.support, settings)
    first: dict[str, int] = {}  # where each letter first starts a line: its evidence (the cards come later)
    for number, view in enumerate(views, start=1):
        for line in _body(view, settings, Tier.support):
            first.setdefault(line.text[:2], number)
    assert {first.get(letter) for letter in LETTERS} == {1}, first


LETTERS = {f"{letter}." for letter in "ABCDEFGHI"}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_core_diamond_has_no_sparse_page_before_the_last(shipped: Content, paper: str) -> None:
    """Large print core: "What the cards say" runs over two pages, balanced (page 2 held only the
    last three cards, 35% full); no page but the last, or one left blank, is under 40% full."""
    settings = PrintSettings(paper, Profile.large_print)
    layout = layout_for(Tier.core, settings)
    views = _pages(shipped, "diamond-nine", Tier.core, settings)
    for number, view in enumerate(views[:-1], start=1):
        blank = "".join(line.text for line in _body(view, settings, Tier.core)) == "".join(d.LEFT_BLANK.split())
        filled = (view.content_bottom - layout.body_top.pt) / layout.frame_height.pt
        assert blank or filled >= 0.4, f"page {number} only {filled:.0%} full"


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("tier", list(Tier))
def test_large_print_ladder_repeats_its_header_on_every_page_and_keeps_rungs_whole(
    shipped: Content, tier: Tier, paper: str
) -> None:
    """Large print: the ladder runs over two or three pages, each starting with Rank | Cause |
    Evidence (it was printed once); a rung's number and its why are on the same page."""
    settings = PrintSettings(paper, Profile.large_print)
    views = _pages(shipped, "ranking-ladder", tier, settings)
    rungs = ("Whyitisranked", "Thisisthe", "Itisabove")
    for number, view in enumerate(views, start=1):
        texts = [line.text for line in _body(view, settings, tier)]
        whys = sum(1 for text in texts if text.startswith(rungs))
        if whys:
            assert texts[0].startswith("RankCause") or any(t.startswith("Importantfor") for t in texts[:3]), (
                f"page {number} continues the ladder without its header: {texts[:2]}"
            )
            numbers = sum(1 for text in texts if re.fullmatch(r"\d", text[:1]) and len(text) <= 2)
            assert numbers == whys, f"page {number}: {numbers} rung numbers, {whys} reasons"


def test_a_ladder_taller_than_a_page_starts_under_the_bank(shipped: Content) -> None:
    """Dyslexia on Letter: the core ladder does not fit a page of its own, so it no longer leaves
    page 1 half empty and runs to a third page; it starts under the bank, its header repeated."""
    settings = PrintSettings("letter", Profile.dyslexia)
    views = _pages(shipped, "ranking-ladder", Tier.core, settings)
    header = [n for n, v in enumerate(views, start=1) if any(line.text.startswith("RankCause") for line in v.lines)]
    assert len(views) == 2 and header == [1, 2], header


@pytest.mark.parametrize("settings", SETTINGS + [PrintSettings("letter", Profile.large_print)], ids=str)
def test_challenge_timeline_cards_have_room_to_write_a_date(shipped: Content, settings: PrintSettings) -> None:
    """Challenge pupils write each event's date on its card from memory: "Date: ____" was a
    20 mm rule beside the letter. It is the card's last line now, a rule at least 30 mm long
    ("December 1934") that never wraps."""
    import io

    import pdfplumber

    document, _ = build_document(shipped, Sheet("timeline", Tier.challenge), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    dates = [n for n, w in enumerate(words) if w["text"] == "Date:" and w["top"] > 100]  # not the name line
    assert len(dates) >= 10, "a date on every card"
    for n in dates:
        rule = words[n + 1]
        assert set(rule["text"]) == {"_"} and abs(rule["top"] - words[n]["top"]) < 2, rule["text"]
        assert (rule["x1"] - rule["x0"]) * 25.4 / 72 >= 30, f"a {(rule['x1'] - rule['x0']) * 25.4 / 72:.0f} mm rule"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_dyslexia_core_key_terms_fill_both_pages(shipped: Content, paper: str) -> None:
    """Dyslexia core key terms take two pages (the DOCX's stand-in face is wider, so it cannot
    fit one side): page 2 held the last four rows, 30% full. Roomier rows, half of them overleaf:
    each page at least half full."""
    settings = PrintSettings(paper, Profile.dyslexia)
    views = _pages(shipped, "key-terms", Tier.core, settings)
    filled = fills(views, layout_for(Tier.core, settings))
    assert len(views) == 2 and min(filled) >= 0.5, [f"{f:.0%}" for f in filled]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("tier", list(Tier))
def test_large_print_diamond_key_fills_page_one(shipped: Content, tier: Tier, paper: str) -> None:
    """The large print key's indicative diamond (never split, most of a page) went overleaf and
    left page 1 a third full under the "no single correct diamond" box; the criteria for a good
    justification now come first and fill it."""
    settings = PrintSettings(paper, Profile.large_print)
    views = _pages(shipped, "diamond-nine", tier, settings, key=True)
    assert fills(views, layout_for(tier, settings))[0] >= 0.6
    assert pages_with(views, "What a good justification uses") == [1]
