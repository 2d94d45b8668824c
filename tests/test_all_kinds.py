"""Every sheet kind, every tier, pupil copy and key: read back as a teacher would check them.

New kinds are covered automatically: the kinds come from the template search path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.readback import (
    chars_crossing_lines,
    chars_outside,
    docx_schema_order_errors,
    docx_text,
    embedded_fonts,
    overprinted_chars,
    pdf_text,
)
from worksheetgen.document import Tier
from worksheetgen.pipeline import list_kinds

KINDS = list_kinds()
CASES = [(kind, tier, key) for kind in KINDS for tier in Tier for key in (False, True)]


@pytest.fixture(scope="module")
def built(pack_out: Path) -> Callable[[str], Path]:
    """Every kind, tier, key and format, from the session's lesson pack (rendered once for every
    test that reads it back): the sheets `worksheetgen pack` gives a teacher."""
    return lambda kind: pack_out


def output(built: Callable[[str], Path], kind: str, tier: Tier, key: bool, fmt: str) -> Path:
    return built(kind) / f"stalins-purges_{kind}_{tier.value}{'_key' if key else ''}.{fmt}"


def case_id(case: tuple[str, Tier, bool]) -> str:
    kind, tier, key = case
    return f"{kind}-{tier.value}{'-key' if key else ''}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_pdf_is_printable(built: Callable[[str], Path], case: tuple[str, Tier, bool]) -> None:
    kind, tier, key = case
    path = output(built, kind, tier, key, "pdf")
    text = pdf_text(path)
    assert "Stalin's Purges" in text and "Why did the purges happen?" in text
    assert ("TEACHER COPY" in text) == key
    assert chars_outside(path, margin_mm=15) == []
    assert chars_crossing_lines(path) == []
    assert overprinted_chars(path) == []
    fonts = embedded_fonts(path)
    assert fonts and all(fonts.values()), fonts


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_docx_reopens_as_editable_word(built: Callable[[str], Path], case: tuple[str, Tier, bool]) -> None:
    kind, tier, key = case
    path = output(built, kind, tier, key, "docx")
    document = docx.Document(str(path))
    assert "Stalin's Purges" in docx_text(path)
    assert docx_schema_order_errors(path) == []
    for table in document.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        assert all(column.width for column in table.columns)
    pdf_words = set(pdf_text(output(built, kind, tier, key, "pdf")).split())
    docx_words = set(docx_text(path).split())
    assert len(pdf_words & docx_words) >= 0.8 * len(pdf_words - {"Page", "of"}) - 10
