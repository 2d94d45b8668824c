"""The one boundary where teacher text is made safe for both renderers.

Word and PDF pastes bring control characters that python-docx refuses and reportlab
draws as boxes; this is the single place that removes them.
"""

from __future__ import annotations

import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?")  # Windows and old Mac line ends
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # no-break, wide, thin, ...


def clean_text(text: str) -> tuple[str, list[str]]:
    """Return NFC text without control characters, and a note for each kind of repair."""
    notes: list[str] = []
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text)
        notes.append("page or line break characters turned into line breaks")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
        notes.append("control characters removed")
    text = _SPACES.sub(" ", text)  # the fonts lack some; on a worksheet a space is a space
    return text, notes
