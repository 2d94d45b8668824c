"""The one boundary where teacher text is made safe for both renderers.

Word and PDF pastes bring control characters that python-docx refuses and reportlab
draws as boxes; web pages and spreadsheets bring invisible formatting characters (zero-width
spaces, right-to-left overrides) that no font draws and that can make a name read backwards.
This is the single place that removes them.
"""

from __future__ import annotations

import re
import unicodedata

_PLAIN = re.compile(r"[\t\n\x20-\x7e]*")  # most text: nothing to do
_NEWLINES = re.compile(r"\r\n?")  # Windows and old Mac line ends
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # no-break, wide, thin, ...
# Zero-width and soft hyphen, bidirectional marks, embeddings, overrides and isolates, word joiner
# and invisible operators, BOM: nothing to print, and a U+202E makes what follows read backwards.
INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab: a line break in Word",
    "\x0c": "form feed: a page break",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
}


def clean_text(text: str) -> tuple[str, list[str]]:
    """Return NFC text without control or invisible characters, and a note for each kind of repair."""
    if _PLAIN.fullmatch(text):
        return text, []
    notes: list[str] = []
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text)
        notes.append("page or line break characters turned into line breaks")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
        notes.append("control characters removed")
    invisible = sorted(set(INVISIBLE.findall(text)))
    if invisible:
        text = INVISIBLE.sub("", text)
        notes.append(f"invisible formatting characters removed: {', '.join(map(char_name, invisible))}")
    text = _SPACES.sub(" ", text)  # the fonts lack some; on a worksheet a space is a space
    return text, notes


def char_name(char: str) -> str:
    """`U+202E (right-to-left override)`: characters named, since most of them are invisible."""
    if 0xDC80 <= ord(char) <= 0xDCFF:  # a byte no encoding defined, kept by `surrogateescape`
        return f"undecodable byte 0x{ord(char) - 0xDC00:02x}"
    name = _NAMES.get(char) or unicodedata.name(char, "control character").lower()
    return f"U+{ord(char):04X} ({name})"


def xml_escape(text: str) -> str:
    """`&`, `<` and `>` as XML entities: what xml.sax.saxutils.escape does, without importing
    that module (it brings urllib.request, http.client and ssl into every build's start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
