"""What a single line of notes looks like: a heading, a caption, a credit, a line in capitals.

Plain text has no markup, so its structure is read from the shape of its lines; the outline of
any format asks the same questions of its short first lines when it looks for a title.
"""

from __future__ import annotations

import re

TITLE_WORDS = 12  # a heading is short

_CAPTION_START = re.compile(
    r"^(?:figure|fig\.|picture|photo(?:graph)?|image|illustration|map|diagram|cartoon|poster|plate)\s*\d*\s*[:.\-–]"
    r"|^(?:above|below|left|right|top|bottom|opposite)\s*[:\-–]",
    re.IGNORECASE,
)
_CAPTION_WORDS = re.compile(
    r"\b(?:photographed|pictured|painted|drawn|depicted|shown here|departing|arriving|seen from|taken from"
    r"|in this picture)\b",
    re.IGNORECASE,
)
_DAY_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{4}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{1,2},\s+\d{4}\b"
)
CREDIT = re.compile(
    r"^(?i:source|sources|credit|credits|by|author|adapted from|based on|taken from|reference|references)\s*[:\-–]\s*\S"
    r"|^[A-Z]\.?(?:\s?[A-Z]\.?)?\s+[A-Z][a-z]+,\s+\S"  # an author with initials: `C Clayton, Stalin's Purges`
)
META = re.compile(
    r"^(?:this|these)\s+(?:paper|notes?|document|sheet|page|pages|booklet|pack)\b"
    r"|\b(?:collects information|amalgamated from|extracted from|adapted from|compiled from|taken from|copied from)\b"
    r"|^note to readers\b",
    re.IGNORECASE,
)
QUESTION = re.compile(r"^(?:why|how|what|when|who|where|which|to what extent|was|were|did)\b", re.IGNORECASE)
TERMINAL = re.compile(r"[.!?…:;,][’”\"')\]]*$")
_VERBISH = frozenset(
    "is are was were be been has have had do does did will would can could shall should may might must "
    "became become began made took led won lost said died fell rose grew".split()
)


def is_caption(text: str) -> bool:
    """`Figure 1: ...`, `Survivors in a lifeboat, photographed from ...`, `The Titanic at Queenstown, 11 April 1912`."""
    if _CAPTION_START.match(text):
        return True
    short = len(text.split()) <= 16 and not TERMINAL.search(text)
    return short and bool(_CAPTION_WORDS.search(text) or _DAY_DATE.search(text))


def is_heading_shape(text: str) -> bool:
    """A short line with no full stop, a line in capitals, a question, or a one-to-four word `Heading.` line."""
    words = text.split()
    if not words or len(words) > TITLE_WORDS or not (text[0].isupper() or text[0].isdigit()):
        return False
    if is_caps(text) or (text.endswith("?") and QUESTION.match(text)):
        return True
    if CREDIT.match(text) or re.match(r"^[^:]{1,40}:\s+\S", text) or re.search(r"\s[-–—]\s", text) and len(words) > 6:
        return False
    if text.endswith(".") and not text.endswith(".."):
        return is_caps(text) or (len(words) <= 4 and not any(w.lower().strip(".") in _VERBISH for w in words))
    return not TERMINAL.search(text)


def is_caps(text: str) -> bool:
    """`THE MURDER OF KIROV`: a line in capitals."""
    return text.upper() == text and sum(c.isalpha() for c in text) >= 4
