"""Print files as the photocopier and the technician see them: each font face embedded once,
every sheet's pages exactly as in its own file (same pages, same text, same order), each
pupil's name on their pages, and merged a sheet at a time."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.readback import squash
from tests.test_batch import write_roster
from worksheetgen.batch import BatchOptions, run_batch
from worksheetgen.document import Tier
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render, resolve_content, run_characters
from worksheetgen.render import printfile
from worksheetgen.render.printfile import Part, merge_for_duplex
from worksheetgen.render.subsets import share_glyphs
from worksheetgen.templating import search_path

needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")


def pdffonts(path: Path) -> list[str]:
    """Every font object the file embeds, by name, as `pdffonts` (poppler) lists them."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert all(" yes yes " in line for line in lines[2:]), "every font embedded as a subset"
    return [line.split()[0].split("+")[-1] for line in lines[2:]]


def page_texts(pdf: Path | bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return [squash(page.extract_text() or "") for page in reader.pages]


# The lesson pack ---------------------------------------------------------------------------


@needs_poppler
def test_the_pack_print_file_embeds_each_face_once(pack_out: Path) -> None:
    merged = pack_out / "stalins-purges_print.pdf"
    faces = pdffonts(merged)
    assert sorted(faces) == ["DejaVuSans", "DejaVuSans-Bold"]
    sheets = [p for p in pack_out.glob("*.pdf") if p != merged]
    assert len(sheets) == 48 and all(len(pdffonts(s)) == 2 for s in sheets[:3])
    assert merged.stat().st_size < 0.2 * sum(s.stat().st_size for s in sheets)  # fonts and pages not repeated


def test_the_pack_print_file_holds_every_sheet_page_for_page(pack_out: Path) -> None:
    """Same pages, same text, same order: sharing fonts changed nothing a reader sees."""
    merged = page_texts(pack_out / "stalins-purges_print.pdf")
    outline = PdfReader(pack_out / "stalins-purges_print.pdf").outline
    assert len(outline) == 48
    for item in outline:
        title = re.fullmatch(r"(.+) \(\S (support|core|challenge)(, answer key)?\)", item.title)
        assert title, item.title
        kind = title.group(1).lower().replace(" ", "-")
        key = "_key" if title.group(3) else ""
        sheet = page_texts(pack_out / f"stalins-purges_{kind}_{title.group(2)}{key}.pdf")
        first = PdfReader(pack_out / "stalins-purges_print.pdf").get_destination_page_number(item)
        expected = with_card_leaf(sheet)
        assert merged[first : first + len(expected)] == expected, item.title


def with_card_leaf(sheet: list[str]) -> list[str]:
    """A sheet's pages as a print file holds them: a blank page before a card sheet that would
    otherwise fall on the back of the page before (an even page of the sheet), and a blank back
    for every page of cards but the last (the next sheet's padding gives the last one its own)."""
    cards = [n for n, text in enumerate(sheet, start=1) if "Card sheet. Cut along" in text]
    if not cards:
        return sheet
    head, card_pages = sheet[: cards[0] - 1], sheet[cards[0] - 1 :]
    spaced = [page for number, card in enumerate(card_pages) for page in ([card] if not number else ["", card])]
    return [*head, *([""] if len(head) % 2 else []), *spaced]


# A class batch -----------------------------------------------------------------------------

CLASS = (
    "name,class,tier,needs\nAnn Smith,9X,support,dyslexia\nBen Jones,9X,core,\nCal Wu,9X,core,large-print\n"
    "Dana Zoë Brontë,9X,challenge,\nEd Ó Súilleabháin,9X,core,dyslexia\nFei Long,9X,support,\n"
)


@pytest.fixture(scope="module")
def class_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("class")
    roster = write_roster(root, CLASS)
    run_batch(roster, resolve_content(None), BatchOptions(out=root / "out", workers=2))
    return root / "out"


@needs_poppler
def test_a_class_print_file_embeds_each_face_once(class_out: Path) -> None:
    merged = class_out / "9X" / "9X_print.pdf"
    assert sorted(pdffonts(merged)) == ["Andika", "Andika-Bold", "DejaVuSans", "DejaVuSans-Bold"]
    sheets = [p for p in (class_out / "9X").glob("*.pdf") if p != merged]
    assert len(sheets) == 18 and merged.stat().st_size < 0.25 * sum(s.stat().st_size for s in sheets)
    result = subprocess.run(["qpdf", "--check", str(merged)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_pupil_has_their_name_on_their_own_pages_in_register_order(class_out: Path) -> None:
    pages = page_texts(class_out / "9X" / "9X_print.pdf")
    contents = " ".join(pages[:2])
    names = [line.split(",")[0] for line in CLASS.splitlines()[1:]]
    kinds = {"gap-fill": "Gap-fill", "diamond-nine": "Diamond nine", "essay-planner": "Essay planner"}
    where = 0
    for name in names:
        for kind, title in kinds.items():
            entry = re.compile(rf"{name} {title} \S \w+ (\d+)(?:-(\d+))?").search(contents, where)
            assert entry, (name, title)
            where, first, last = entry.end(), int(entry.group(1)), int(entry.group(2) or entry.group(1))
            own = page_texts(class_out / "9X" / f"{name.replace(' ', '-')}_{kind}.pdf")
            assert first % 2 == 1 and pages[first - 1 : last] == with_card_leaf(own), (name, kind)  # as in their file
            assert all(f"Name: {name} Class: 9X" in page for page in own)


# Merging -----------------------------------------------------------------------------------


def sheet_pdf(content: Content, kind: str, tier: Tier = Tier.core) -> bytes:
    document, _ = build_document(content, Sheet(kind, tier), 0, search_path())
    return render(document, "pdf")


def test_sheets_share_font_subsets_only_when_asked(shipped: Content) -> None:
    def font_files(pdf: bytes) -> set[str]:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            fonts = [font for page in document.pages for font in page.Resources.Font.values()]
            return {hashlib.sha256(f.FontDescriptor.FontFile2.read_raw_bytes()).hexdigest() for f in fonts}

    # Two sheets whose characters differ beyond those every subset holds (a Russian word on one):
    # reportlab numbers a subset's characters in the order a document first uses them.
    russian = shipped.model_copy(update={"title": f"{shipped.title} (Чистка)"})
    sheets = [(shipped, "gap-fill"), (russian, "timeline")]
    apart = [font_files(sheet_pdf(content, kind)) for content, kind in sheets]
    assert apart[0] != apart[1]  # each sheet's own subsets
    share_glyphs(run_characters(shipped) + "Чистка")  # as pack and batch do, with every character of the run
    try:
        shared = [font_files(sheet_pdf(content, kind)) for content, kind in sheets]
    finally:
        share_glyphs("")
    assert shared[0] == shared[1] and len(shared[0]) == 2  # byte-identical regular and bold


def test_a_character_outside_the_shared_set_still_prints(tmp_path: Path) -> None:
    content = Content(title="Кронштадт 1921", key_question="Why did the sailors rise?")
    share_glyphs("‘’")
    try:
        pdf = sheet_pdf(content, "gap-fill")
    finally:
        share_glyphs("")
    assert "Кронштадт 1921" in " ".join(page_texts(pdf))


def test_fonts_that_differ_are_never_merged_into_one(shipped: Content) -> None:
    """Sharing is by content: two subsets with the same name but different glyphs both stay."""
    sheets = [sheet_pdf(shipped, kind) for kind in ("gap-fill", "timeline")]
    merged, entries = merge_for_duplex([Part("A", "a", sheets[0]), Part("B", "b", sheets[1])], lambda _: _contents())
    texts = page_texts(merged)
    for sheet, entry in zip(sheets, entries, strict=True):
        assert texts[entry.first - 1 : entry.last] == page_texts(sheet)


def _contents() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(100, 700, "Contents")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_merging_opens_one_sheet_at_a_time_and_files_read_like_bytes(
    tmp_path: Path, shipped: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory does not grow with the class: each sheet is copied in and closed before the next."""
    pdf = sheet_pdf(shipped, "diamond-nine")
    files = []
    for i in range(20):
        files.append(tmp_path / f"{i}.pdf")
        files[-1].write_bytes(pdf)
    open_now, most = [0], [0]
    real_open = printfile._open

    class Counted:
        def __init__(self, source: bytes | Path) -> None:
            self.document = real_open(source)

        def __enter__(self) -> pikepdf.Pdf:
            open_now[0] += 1
            most[0] = max(most[0], open_now[0])
            return self.document.__enter__()

        def __exit__(self, *exc: object) -> None:
            open_now[0] -= 1
            self.document.__exit__(*exc)

    monkeypatch.setattr(printfile, "_open", Counted)
    from_files, _ = merge_for_duplex([Part(str(i), "x", f) for i, f in enumerate(files)], lambda _: _contents())
    assert most[0] == 1  # one sheet (or the contents) at a time
    monkeypatch.setattr(printfile, "_open", real_open)
    from_bytes, _ = merge_for_duplex([Part(str(i), "x", pdf) for i in range(20)], lambda _: _contents())
    assert from_files == from_bytes
    assert len(from_files) < 2 * len(pdf)  # twenty copies of one sheet are stored once


def test_the_contents_page_says_what_each_file_holds_under_headings_that_match() -> None:
    """A class's print file said "then the teacher copies with the answers" (it holds no keys),
    and its pupil names stood under "Sheet" and sheet and tier under "Tier"."""
    from worksheetgen.document import iter_text
    from worksheetgen.loader import load_content
    from worksheetgen.pipeline import contents_document
    from worksheetgen.render.printfile import Entry

    content = load_content(resolve_content(None)).content
    pack = [Entry("Gap-fill", "● support", 3, 4), Entry("Gap-fill", "● support, answer key", 5, 5)]
    packed = squash(" ".join(iter_text(contents_document(content, pack, keys=True).blocks)))
    assert "then the teacher copies with the answers" in packed and "Sheet Tier Pages" in packed
    batch = [Entry("Ann Smith", "Gap-fill ● support", 3, 4)]
    text = squash(" ".join(iter_text(contents_document(content, batch, pupils=True).blocks)))
    assert "Pupil Sheet and tier Pages" in text and "Ann Smith Gap-fill ● support 3-4" in text
    assert "teacher copies" not in text and "answer keys are not in this file" in text
    no_keys = squash(" ".join(iter_text(contents_document(content, pack[:1]).blocks)))
    assert "teacher copies" not in no_keys
