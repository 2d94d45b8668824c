"""The lesson pack: every kind x tier x format with keys, and one duplex-ready print PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from tests.readback import squash
from worksheetgen.document import Tier
from worksheetgen.pipeline import list_kinds
from worksheetgen.render.printfile import Part, merge_for_duplex


def test_pack_writes_every_kind_tier_format_and_key(pack_out: Path) -> None:
    names = {p.name for p in pack_out.iterdir()}
    for kind in list_kinds():
        for tier in Tier:
            for fmt in ("pdf", "docx"):
                assert f"stalins-purges_{kind}_{tier.value}.{fmt}" in names
                assert f"stalins-purges_{kind}_{tier.value}_key.{fmt}" in names
    assert "stalins-purges_print.pdf" in names
    assert len(names) == len(list_kinds()) * 3 * 2 * 2 + 1


def test_print_file_starts_every_sheet_on_an_odd_page(pack_out: Path) -> None:
    reader = PdfReader(pack_out / "stalins-purges_print.pdf")
    pages = [squash(page.extract_text() or "") for page in reader.pages]
    assert len(pages) % 2 == 0
    assert pages[0].startswith("Lesson pack: Stalin's Purges")
    first_sheet = reader.get_destination_page_number(reader.outline[0])
    contents = " ".join(pages[:first_sheet])
    entries = re.findall(
        r"([A-Z][\w-]+(?: [a-z][\w-]*)*) [●◆▲] (support|core|challenge)(, answer key)? (\d+)(?:-(\d+))?", contents
    )
    assert len(entries) == len(list_kinds()) * 3 * 2
    for title, tier, key, first, last in entries:
        start = int(first)
        assert start % 2 == 1, f"{title} {tier} starts on page {start}"
        assert pages[start - 1].count(f"{title.strip()}: Stalin's Purges") == 1
        assert "Page 1 of" in pages[start - 1]
        assert ("TEACHER COPY" in pages[start - 1]) == bool(key)
        end = int(last or first)
        printed = sum(1 for page in pages[start - 1 : end] if page)  # a blank may go before a card sheet
        assert f"Page {printed} of {printed}" in pages[end - 1]
    outline = [item.title for item in reader.outline]
    assert len(outline) == len(entries)


def test_merge_pads_with_blank_backs(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    def pdf(pages: int) -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer)
        for _ in range(pages):
            canvas.drawString(100, 100, "x")
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    merged, entries = merge_for_duplex([Part("A", "a", pdf(3)), Part("B", "b", pdf(1))], lambda entries: pdf(1))
    assert [(e.first, e.last) for e in entries] == [(3, 5), (7, 7)]
    assert len(PdfReader(io.BytesIO(merged)).pages) == 8
