"""Golden Documents: each kind x tier x pupil sheet and key, for the shipped topic and a second
topic, must match its saved text in tests/golden/. A change you mean: `python -m tests.golden
--refresh`, then read the diff (tests/golden/__init__.py says what the text holds)."""

from __future__ import annotations

import difflib

import pytest

from tests import golden
from worksheetgen.document import Tier

SHEETS = list(golden.sheets())


@pytest.mark.parametrize(
    ("topic", "kind", "tier", "key"),
    SHEETS,
    ids=[golden.path_of(*s).relative_to(golden.GOLDEN).with_suffix("").as_posix() for s in SHEETS],
)
def test_document_matches_its_golden_text(topic: str, kind: str, tier: Tier, key: bool) -> None:
    path = golden.path_of(topic, kind, tier, key)
    assert path.is_file(), f"no golden file {path}: run `python -m tests.golden --refresh`"
    saved, now = path.read_text("utf-8"), golden.golden_text(topic, kind, tier, key)
    diff = "".join(difflib.unified_diff(saved.splitlines(True), now.splitlines(True), "saved", "now", n=1))
    assert now == saved, f"{path} differs (if meant: `python -m tests.golden --refresh`):\n{diff[:4000]}"


def test_every_golden_file_is_a_sheet_that_exists() -> None:
    saved = set(golden.GOLDEN.glob("*/*.txt"))
    assert saved == {golden.path_of(*sheet) for sheet in SHEETS}


def test_the_golden_text_shows_every_block_and_inline() -> None:
    """The outline is complete enough to catch a change: a gap, a bold run and a table's layout show."""
    text = golden.golden_text("stalins-purges", "gap-fill", Tier.support, False)
    assert "Gap number=1" in text and "WordBank words=(" in text
    grid = golden.golden_text("stalins-purges", "causation-grid", Tier.core, False)
    assert "Table " in grid and "widths=(" in grid and "Cell " in grid


def test_the_two_topics_do_not_share_a_sheet() -> None:
    """Each topic's sheets come from its own content: no Document of the second topic names the first's."""
    for kind in {sheet[1] for sheet in SHEETS}:
        for tier in Tier:
            for key in (False, True):
                text = golden.golden_text("tsar-abdication", kind, tier, key)
                assert "Stalin" not in text and "purge" not in text.lower(), (kind, tier, key)
