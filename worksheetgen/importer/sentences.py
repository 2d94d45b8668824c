"""Sentences: tokenised text joined up again, then split by pysbd, which knows abbreviations and initials.

pysbd ("Dr Smith", "John Q. Adams", "St Andrews", "rose to 2,500", "4 p.m.") is slow on long
paragraphs (its time grows faster than the text), so a paragraph is first cut at the boundaries
nobody doubts (a full stop after an ordinary word, then a capital), and pysbd only reads the
pieces that still hold a full stop, question or exclamation mark inside them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from worksheetgen.importer.structure import Section

# A possible sentence end: . ! ? or … (and closing quotes or brackets), space, then a capital or digit.
SENTENCE_END = re.compile(r"(?<=[.!?…])[’”\"')\]]*\s+(?=[A-Z0-9‘“\"(])")
# A sure one: the word before is an ordinary lower-case word of three or more letters (not `etc.`, `viz.`).
_SURE_WORD = re.compile(r"(?<![\w.])([a-z][a-z’'-]{2,})[.!?][’”\"')\]]*$")
_NOT_SURE = frozenset("etc viz approx cf esp incl est misc vol vols nos pp ibid fig figs dept govt".split())
_INSIDE = re.compile(r"[.!?…](?=.)")
_LEFT_JOINED = re.compile(r"(?:^|\s)(?:c|ca|Rt|Hon|viz|cf|approx|fl|b|d|r|Mt|St|Ft)\.$")
_FINISHED = re.compile(r"[.!?…][’”\"')\]]*$")
MAX_PIECE = 2_000  # characters pysbd is given at once (a piece longer than this is rare and cut at sure ends)


@dataclass(frozen=True)
class Point:
    """One thing the notes say (a list item, a paragraph or a fact), with the lines it came from."""

    text: str
    line: int
    starts: tuple[tuple[int, int], ...] = ()
    kind: str = "para"  # para | item | fact
    quote: bool = False
    bold: tuple[str, ...] = ()

    def sentences(self) -> list[tuple[int, str]]:
        """Each sentence with the line of the notes it starts on."""
        return [(self.line_at(start), sentence) for start, sentence in split_sentences(self.text)]

    def line_at(self, offset: int) -> int:
        """The line of the notes that the text at `offset` came from (binary search over `starts`)."""
        index = bisect.bisect_right(self.starts, offset, key=lambda pair: pair[0])
        return self.starts[index - 1][1] if index else self.line


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of a paragraph."""
    result: list[tuple[int, str]] = []
    for start, piece in _sure_pieces(text):
        if _INSIDE.search(piece.rstrip(".!?…’”\"') ]")):
            result.extend((start + offset, s) for offset, s in _pysbd(piece))
        elif piece.strip():
            result.append((start + len(piece) - len(piece.lstrip()), piece.strip()))
    return result


def _sure_pieces(text: str) -> list[tuple[int, str]]:
    """The paragraph cut only where a sentence surely ends, as (offset, piece)."""
    pieces: list[tuple[int, str]] = []
    begin = 0
    for match in SENTENCE_END.finditer(text):
        word = _SURE_WORD.search(text, max(0, match.start() - 40), match.start())
        if (word is None or word.group(1).lower() in _NOT_SURE) and match.start() - begin < MAX_PIECE:
            continue
        pieces.append((begin, text[begin : match.start()]))
        begin = match.end()
    pieces.append((begin, text[begin:]))
    return pieces


def _pysbd(piece: str) -> list[tuple[int, str]]:
    """pysbd's sentences of one piece, with their offsets; a split after `c.` or `Rt.` joined again."""
    found: list[tuple[int, str]] = []
    at = 0
    for segment in _segmenter().segment(piece):
        start = piece.find(segment.strip(), at) if segment.strip() else -1
        if start < 0:
            continue
        sentence = segment.strip()
        at = start + len(sentence)
        if found and _LEFT_JOINED.search(found[-1][1]):
            previous_start, previous = found.pop()
            sentence = piece[previous_start:at].strip()
            start = previous_start
        found.append((start, sentence))
    return found


@cache
def _segmenter() -> Any:
    """One pysbd segmenter (English, text left as it is), made when first needed: it is slow to import."""
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def finish_sentence(text: str) -> str:
    """A capital first letter and a full stop at the end (offsets inside the text are kept)."""
    text = text.rstrip(":;,-–— ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and not _FINISHED.search(text):
        text += "."
    return text


# ------------------------------------------------------------------------------------------
# Tokenised text (`It killed half of them , and `` the great mortality '' followed .`)
# ------------------------------------------------------------------------------------------

_SPACE_BEFORE = re.compile(r"(?<=\S) +(?=[,.;:!?%)\]}]|’s\b|'s\b|n[’']t\b|[’']re\b|[’']ve\b|[’']ll\b|[’']d\b|[’']m\b)")
_TOKEN_SIGNS = re.compile(r"\w \.(?:\s|$)|\w ,\s|`` | ''|-LRB-|-RRB-")


def looks_tokenised(lines: list[str]) -> bool:
    """Text split into tokens (a space before every full stop and comma), as from a corpus or a PDF tool."""
    text = "\n".join(lines[:400])
    signs = len(_TOKEN_SIGNS.findall(text))
    ordinary = len(re.findall(r"\w[.,](?:\s|$)", text))
    return signs >= 4 and signs > ordinary


def untokenise(line: str) -> str:
    """Spaces before punctuation and inside brackets and quotes removed; `` '' as curly quotes."""
    line = line.replace("-LRB-", "(").replace("-RRB-", ")").replace("-LSB-", "[").replace("-RSB-", "]")
    line = re.sub(r"``\s*", "“", line)
    line = re.sub(r"\s*''", "”", line)
    line = re.sub(r"(?<=s) ['’] (?=\w)", "’ ", line)  # `Peasants ' Revolt`
    line = re.sub(r" ['’](?=s\b)", "’", line)
    line = _SPACE_BEFORE.sub("", line)
    line = re.sub(r"([(\[{“]) +", r"\1", line)
    line = re.sub(r"(?<=\d) - (?=\d)", "–", line)
    return line


@dataclass(frozen=True)
class Sentence:
    """A sentence of the notes with its line, the section it is in, and the point it belongs to."""

    line: int
    text: str
    section: Section
    point: Point
