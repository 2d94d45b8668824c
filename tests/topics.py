"""Topics the kind tests run on, and Documents built once per topic, kind, tier and seed.

The shipped History topic; a second History topic from another period (its key question is
"Why did the Tsar abdicate?"); a Geography topic with causes; and the Geography water cycle,
which has no causes at all. Checks on the Document are fast; read-back tests render only a few.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

from worksheetgen.document import Document, Tier, iter_text
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, resolve_content
from worksheetgen.templating import search_path

DATA = Path(__file__).parent / "data"
TOPICS = {
    "stalins-purges": resolve_content(None),
    "tsar-abdication": DATA / "tsar-abdication.yaml",
    "coastal-flooding": DATA / "coastal-flooding.yaml",
    "water-cycle": DATA / "water-cycle.yaml",
}
WITH_CAUSES = ("stalins-purges", "tsar-abdication", "coastal-flooding")
GEOGRAPHY = ("coastal-flooding", "water-cycle")
# Words that frame a topic as History: never on a Geography sheet.
HISTORY_WORDS = re.compile(r"historian|histor(?:y|ical)|\bpurges?\b|Stalin|political|personal|ideological", re.I)


@cache
def content(topic: str) -> Content:
    return load_content(TOPICS[topic]).content


@cache
def document(topic: str, kind: str, tier: Tier, key: bool = False, seed: int = 0) -> tuple[Document, tuple[str, ...]]:
    """The Document of one sheet and the notes for the teacher."""
    built, notes = build_document(content(topic), Sheet(kind, tier, key), seed, search_path())
    return built, tuple(notes)


def rng(kind: str, tier: Tier, seed: int = 0) -> random.Random:
    """The random generator the pipeline gives a sheet, so prepared data matches the printed sheet."""
    return random.Random(f"{seed}/{kind}/{tier.value}")


def printed_text(topic: str, kind: str, tier: Tier, key: bool = False, seed: int = 0) -> str:
    """Everything the sheet prints (its blocks, not the page furniture), whitespace collapsed."""
    blocks = document(topic, kind, tier, key, seed)[0].blocks
    return re.sub(r"\s+", " ", " ".join(iter_text(blocks)))


def history_words(topic: str, kind: str, tier: Tier) -> list[str]:
    """Words that frame the topic as History, on the pupil sheet or the key (none for Geography)."""
    return [m.group(0) for key in (False, True) for m in HISTORY_WORDS.finditer(printed_text(topic, kind, tier, key))]
