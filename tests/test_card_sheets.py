"""Cut-out card sheets on a leaf of their own (issue 12): in every print file a card sheet
starts on an odd page and every page of cards has a blank back, so cutting the cards out
never destroys the sheet they are used with, or other cards. The contents page says so."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from tests.readback import squash
from tests.test_batch import write_roster
from tests.test_libreoffice import SOFFICE, libreoffice_pdfs
from worksheetgen import document as d
from worksheetgen.batch import BatchOptions, run_batch
from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render, resolve_content
from worksheetgen.render.printfile import Part, merge_for_duplex
from worksheetgen.templating import search_path

CARD_HEADING = "Card sheet. Cut along the dashed lines."


def texts(pdf: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return [squash(page.extract_text() or "") for page in reader.pages]


def sheet_with_cards(front_pages: int, card_pages: int = 1) -> bytes:
    """A sheet of `front_pages` pages of writing, then a card sheet of `card_pages` pages."""
    blocks: list[d.Block] = []
    for page in range(front_pages):
        blocks += [d.Paragraph((d.Run(f"Front page {page + 1}."),)), d.PageBreak()]
    blocks += [d.Paragraph((d.Run(f"✂ {CARD_HEADING}"),)), d.Paragraph((d.Run("Card A."),))]
    for page in range(1, card_pages):
        blocks += [d.PageBreak(), d.Paragraph((d.Run(f"Card {'BCDE'[page - 1]}."),))]
    meta = d.Meta("Topic", "Why?", "Diamond", Tier.core)
    return render(d.Document(meta, tuple(blocks)), "pdf", PrintSettings())


def contents(entries: list) -> bytes:
    lines = [d.Paragraph((d.Run(f"{e.label} {e.first}-{e.last} cards {e.cards}"),)) for e in entries]
    return render(d.Document(d.Meta("T", "Q", "Contents", Tier.core, plain=True), tuple(lines)), "pdf", PrintSettings())


def assert_cards_on_their_own_leaf(pages: list[str]) -> int:
    """Every card sheet starts on an odd page (a sheet's pages follow its first, odd, page, so
    its back is the card sheet's own next page, or blank); returns how many there are."""
    found = 0
    for number, text in enumerate(pages, start=1):
        if CARD_HEADING not in text:
            continue
        found += 1
        assert number % 2 == 1, f"card sheet on page {number}, the back of the page before"
        card_page = number
        while card_page == number or (card_page <= len(pages) and pages[card_page - 1].startswith("Card ")):
            assert card_page % 2 == 1, f"cards on page {card_page}, the back of other cards"
            back = pages[card_page] if card_page < len(pages) else ""
            assert not back.strip(), f"page {card_page + 1} is on the back of the cards: {back[:60]}"
            card_page += 2
    return found


def test_cards_over_two_pages_are_never_back_to_back() -> None:
    """Large print cards run over two pages: each page of cards gets a leaf of its own."""
    pdf = sheet_with_cards(1, card_pages=2)
    merged, _ = merge_for_duplex([Part("Diamond", "core", pdf), Part("Other", "core", pdf)], contents)
    pages = texts(merged)
    card_b = [n for n, text in enumerate(pages, start=1) if "Card B." in text]
    assert len(card_b) == 2 and all(n % 2 == 1 and not pages[n - 2].strip() for n in card_b), pages


@pytest.mark.parametrize("front", [1, 2])
def test_print_file_puts_cards_on_an_odd_page_with_a_blank_back(front: int) -> None:
    pdf = sheet_with_cards(front)
    merged, entries = merge_for_duplex([Part("Diamond", "core", pdf), Part("Other", "core", pdf)], contents)
    pages = texts(merged)
    assert assert_cards_on_their_own_leaf(pages) == 2
    for entry in entries:
        assert entry.cards % 2 == 1 and CARD_HEADING in pages[entry.cards - 1]
        assert f"Front page {front}" in pages[entry.cards - 2 - front % 2]  # the blank is before the cards
    assert all(f"Front page {n}" in " ".join(pages) for n in range(1, front + 1))


def test_a_sheet_of_its_own_starts_its_cards_on_an_odd_page() -> None:
    """A pupil's own PDF is printed double-sided too: after one page of writing, the page behind
    it is left blank (but for a note saying why) and the cards start on page 3; after two pages,
    nothing is added."""
    one = texts(sheet_with_cards(1))
    assert len(one) == 3 and CARD_HEADING in one[2]
    assert squash(d.LEFT_BLANK) in one[1] and "Front page" not in one[1] + one[2]
    two = texts(sheet_with_cards(2))
    assert len(two) == 3 and CARD_HEADING in two[2]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_pupil_diamond_pdf_puts_its_cards_on_a_leaf_of_their_own(
    shipped: Content, tier: Tier, profile: Profile, paper: str
) -> None:
    """Read back from a pupil's own diamond nine PDF, printed double-sided: the card sheet starts on
    an odd page (the support and challenge sheets printed it on the back of "Explain your
    diamond"), the page before it, if it is the back of the sheet, holds only the note, and
    nothing but cards follows the card heading."""
    settings = PrintSettings(paper=paper, profile=profile)
    document, _ = build_document(shipped, Sheet("diamond-nine", tier), 0, search_path(), settings)
    pages = texts(render(document, "pdf", settings))
    start = [n for n, text in enumerate(pages, start=1) if CARD_HEADING in text]
    assert len(start) == 1 and start[0] % 2 == 1, f"cards start on page {start} of {len(pages)}"
    before = pages[start[0] - 2]
    if squash(d.LEFT_BLANK) in before:  # nothing else on it but the name line and the footer
        assert not any(word in before for word in ("Why", "because", "Explain", "Most important")), before
    letters = {f"{letter}." for letter in "ABCDEFGHI"}
    for page in pages[start[0] :]:  # pages after the first page of cards hold cards only
        assert any(letter in page for letter in letters) and "Why" not in page, page[:80]


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_diamond_cards_run_to_the_end_of_the_sheet(shipped: Content, tier: Tier, profile: Profile) -> None:
    """Nothing but cards follows the card heading, so the leaf after it holds only cards."""
    settings = PrintSettings(profile=profile)
    document, _ = build_document(shipped, Sheet("diamond-nine", tier), 0, search_path(), settings)
    heading = [i for i, b in enumerate(document.blocks) if CARD_HEADING in " ".join(d.iter_text((b,)))]
    assert len(heading) == 1
    assert all(isinstance(block, d.Table) for block in document.blocks[heading[0] + 1 :])


def test_pack_print_file_gives_every_card_sheet_its_own_leaf(pack_out: Path) -> None:
    pages = texts(pack_out / "stalins-purges_print.pdf")
    assert assert_cards_on_their_own_leaf(pages) == 3  # one per diamond-nine tier
    assert "Cards to cut out are printed on the front of a leaf of their own" in pages[0]


def test_class_print_file_gives_every_card_sheet_its_own_leaf(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, "name,class,tier\nAnn Smith,9X,core\nBen Jones,9X,core\nCal Ray,9X,support\n")
    run_batch(roster, resolve_content(None), BatchOptions(kinds=("diamond-nine",), out=tmp_path / "out", workers=1))
    pages = texts(tmp_path / "out" / "9X" / "9X_print.pdf")
    assert assert_cards_on_their_own_leaf(pages) == 3
    assert "Cards to cut out are printed on the front of a leaf of their own" in pages[0]


# A cut-out card covers the box it goes on ---------------------------------------------------------

MM = 25.4 / 72
PRINT_TOLERANCE = 0.25  # mm: a third of the text width and two sixths of it differ in rounding only


def _boxes(page: pdfplumber.page.Page, dashed: bool) -> list[tuple[float, float]]:
    """(width, height) in mm of the boxes whose sides are drawn on `page`: solid (the diamond) or
    dashed (cut lines); vertical sides at least 15 mm tall, grouped by the band they span."""
    bands: dict[tuple[float, float], set[float]] = defaultdict(set)
    for edge in page.lines + page.rect_edges:
        if bool(edge.get("dash") and edge["dash"][0]) != dashed or abs(edge["x1"] - edge["x0"]) > 0.5:
            continue
        if (edge["bottom"] - edge["top"]) * MM >= 15:
            bands[(round(edge["top"] * MM, 1), round(edge["bottom"] * MM, 1))].add(round(edge["x0"] * MM, 1))
    boxes = []
    for (top, bottom), xs in bands.items():
        edges = sorted(xs)
        boxes += [
            (b - a, bottom - top) for a, b in zip(edges, edges[1:], strict=False) if 15 <= b - a < 80
        ]  # not a gap
    return boxes


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_every_diamond_card_fits_the_box_it_goes_on(shipped: Content, tier: Tier, profile: Profile, paper: str) -> None:
    """Read back from the PDF: the diamond's nine solid boxes on one page, the nine dashed cards;
    no card is wider or taller than the smallest box, so a pupil's card covers its box."""
    settings = PrintSettings(paper=paper, profile=profile)
    document, _ = build_document(shipped, Sheet("diamond-nine", tier), 0, search_path(), settings)
    with pdfplumber.open(io.BytesIO(render(document, "pdf", settings))) as pdf:
        diamonds = [_boxes(page, dashed=False) for page in pdf.pages]
        diamonds = [boxes for boxes in diamonds if len(boxes) == 9]
        cards = [box for page in pdf.pages for box in _boxes(page, dashed=True)]
    assert len(diamonds) == 1, "the diamond's nine boxes are on one page"
    assert len(cards) == 9
    width = min(w for w, _ in diamonds[0])
    height = min(h for _, h in diamonds[0])
    assert 50 <= width <= 60 and height >= 28, (width, height)  # about 55 x 30 mm, or larger
    for card_width, card_height in cards:
        assert card_width <= width + PRINT_TOLERANCE, f"card {card_width:.1f} mm wide, box {width:.1f} mm"
        assert card_height <= height + PRINT_TOLERANCE, f"card {card_height:.1f} mm tall, box {height:.1f} mm"


# The Word file leaves the same page blank ------------------------------------------------------------


def _docx_text(docx_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        return package.read("word/document.xml").decode()


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_pupil_diamond_docx_leaves_the_page_blank_where_the_pdf_does(
    shipped: Content, tier: Tier, profile: Profile
) -> None:
    """The DOCX breaks pages where the PDF does, so it has the same note page before its cards
    (support and challenge), and none where the PDF has none (core)."""
    settings = PrintSettings(profile=profile)
    document, _ = build_document(shipped, Sheet("diamond-nine", tier), 0, search_path(), settings)
    in_pdf = squash(d.LEFT_BLANK) in " ".join(texts(render(document, "pdf", settings)))
    xml = _docx_text(render(document, "docx", settings))
    assert (d.LEFT_BLANK in xml) == in_pdf
    if in_pdf:
        between = xml[xml.index(d.LEFT_BLANK) : xml.index("Card sheet")]
        assert between.count('w:type="page"') == 1 and "<w:tbl>" not in between  # the note's page holds nothing else


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_diamond_cards_on_an_odd_page(shipped: Content, tmp_path: Path) -> None:
    """Opened in LibreOffice and printed with its blank pages (as printing does), the support and
    challenge sheets' cards start on an odd page: the word processor leaves the even page blank."""
    names = []
    for profile in (Profile.standard, Profile.dyslexia):
        settings = PrintSettings(profile=profile)
        for tier in (Tier.support, Tier.challenge):
            document, _ = build_document(shipped, Sheet("diamond-nine", tier), 0, search_path(), settings)
            path = tmp_path / f"{tier.value}-{profile.value}.docx"
            path.write_bytes(render(document, "docx", settings))
            names.append(str(path))
    pdfs = libreoffice_pdfs(names, tmp_path)
    for pdf in pdfs:
        pages = texts(pdf)
        start = [n for n, text in enumerate(pages, start=1) if "Card sheet. Cut along" in text]
        assert len(start) == 1 and start[0] % 2 == 1, f"{pdf.name}: cards on page {start} of {len(pages)}"


def test_a_sheets_docx_reuses_the_layout_of_its_pdf(shipped: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet with cards is laid out once for its PDF and its DOCX (not twice: ~0.3 s a sheet)."""
    from worksheetgen.render import pdf as pdf_renderer

    document, _ = build_document(shipped, Sheet("diamond-nine", Tier.support), 0, search_path())
    layouts: list[d.Document] = []
    real = pdf_renderer._layout
    monkeypatch.setattr(pdf_renderer, "_layout", lambda doc, s: layouts.append(doc) or real(doc, s))
    render(replace(document, meta=replace(document.meta, name_later=True)), "pdf", PrintSettings())  # as batch does
    render(document, "docx", PrintSettings())
    assert len(layouts) == 1
    render(document, "docx", PrintSettings(profile=Profile.dyslexia))  # other settings: laid out again
    assert len(layouts) == 2
