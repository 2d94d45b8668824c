"""Degenerate and hostile content: every kind either builds inside the page or says clearly why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readback import chars_outside, pdf_words
from worksheetgen.document import Tier
from worksheetgen.errors import WorksheetError
from worksheetgen.model import Cause, Content, Event, Term
from worksheetgen.pipeline import Sheet, build_document, list_kinds, render
from worksheetgen.templating import search_path

LONG_WORD = "Zinovievite" * 30  # 330 letters, no space to break at
ESSAY = " ".join(["The terror widened from the party elite to the whole of society."] * 300)  # about 3,600 words


def cause(i: int, title: str = "", evidence: str = "") -> Cause:
    return Cause(
        id=f"c{i}",
        title=title or f"Cause number {i} <with> markup & ampersands",
        category="political",
        timescale=("long-term", "short-term", "trigger")[i % 3],
        evidence=[evidence or f"Evidence for cause {i}: Ежов, Gdańsk, Tōhoku."],
    )


CONTENTS = {
    "nothing": Content(title="Empty topic", key_question="Why?"),
    "one of each": Content(
        title="One of each",
        key_question="Why did it happen?",
        summary=["It began here. The [[Tsar]] fell in 1917. It ended there."],
        glossary=[Term(term="Tsar", definition="The Russian emperor.")],
        events=[Event(date="1917", title="The Tsar falls")],
        causes=[cause(1)],
    ),
    "hostile": Content(
        title="Hostile <b>unclosed & long",
        key_question=f"Why {LONG_WORD}?",
        summary=[f"Start. A {LONG_WORD} word. Middle [[x]] here. End."],
        glossary=[Term(term=f"term {i}", definition=f"Definition {i} {LONG_WORD[:40]}") for i in range(60)],
        events=[Event(date=f"{1900 + i}", title=f"Event {i} {LONG_WORD[:60]}") for i in range(40)],
        causes=[cause(0, title=LONG_WORD), cause(1, evidence=ESSAY), *[cause(i) for i in range(2, 12)]],
    ),
}
CASES = [(name, kind, tier) for name in CONTENTS for kind in list_kinds() for tier in Tier]


@pytest.mark.parametrize(("name", "kind", "tier"), CASES, ids=[f"{n}-{k}-{t.value}" for n, k, t in CASES])
def test_every_kind_builds_inside_the_page_or_explains(tmp_path: Path, name: str, kind: str, tier: Tier) -> None:
    content = CONTENTS[name]
    for is_key in (False, True):
        try:
            document, _ = build_document(content, Sheet(kind, tier, is_key), 0, search_path())
            pdf = render(document, "pdf")
            render(document, "docx")
        except WorksheetError as exc:
            assert str(exc).strip(), "an error must say what is wrong"
            continue
        path = tmp_path / f"{is_key}.pdf"
        path.write_bytes(pdf)
        assert chars_outside(path, margin_mm=14) == []
        assert content.title.split()[0] in pdf_words(path)  # pdfium: the words pypdf reads (test_readback)
