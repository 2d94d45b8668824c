"""Sentences: tokenised text joined up again, then split by pysbd, which knows abbreviations and initials.

pysbd ("Dr Smith", "John Q. Adams", "St Andrews", "rose to 2,500", "4 p.m.") is slow on long
paragraphs (its time grows faster than the text), so a paragraph is first cut at the boundaries
nobody doubts (a full stop after an ordinary word, then a capital), and pysbd only reads the
pieces that still hold a full stop, question or exclamation mark inside them.

Even so pysbd takes 30-300 microseconds a character on text full of names and initials (it
builds regular expressions as it goes, more than Python's cache keeps), so one import lets it
read at most PYSBD_BUDGET characters (ordinary notes of 60 KB send it about 25 KB); pieces
after that are cut by a plain rule that keeps the commonest abbreviations and initials whole.
Sentences are made only as they are read, so notes read up to their 3,000th sentence are not
split beyond it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
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
PYSBD_BUDGET = 25_000  # characters pysbd reads in one import (at most about 3 s); then the plain rule
# The word before a full stop that does not end a sentence in the plain rule: an initial, a title, an abbreviation.
_ABBREVIATION = re.compile(r"(?:^|[\s(‘“\"'])((?:[A-Za-z]\.)*[A-Za-z][A-Za-z]*)\.[’”\"')\]]*$")
_BEFORE_NUMBER = frozenset("no nos art p pp vol fig ch para c ca".split())


@dataclass(frozen=True)
class Point:
    """One thing the notes say (a list item, a paragraph or a fact), with the lines it came from."""

    text: str
    line: int
    starts: tuple[tuple[int, int], ...] = ()
    kind: str = "para"  # para | item | fact
    quote: bool = False
    bold: tuple[str, ...] = ()

    def sentences(self, splitter: Splitter | None = None) -> Iterator[tuple[int, str]]:
        """Each sentence with the line of the notes it starts on, made as it is read."""
        for start, sentence in (splitter or Splitter(None)).sentences(self.text):
            yield self.line_at(start), sentence

    def line_at(self, offset: int) -> int:
        """The line of the notes that the text at `offset` came from (binary search over `starts`)."""
        index = bisect.bisect_right(self.starts, offset, key=lambda pair: pair[0])
        return self.starts[index - 1][1] if index else self.line


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of a paragraph, all by pysbd where it is needed."""
    return list(Splitter(None).sentences(text))


class Splitter:
    """Sentences for one import: pysbd reads pieces until its budget of characters is spent, then the plain rule."""

    def __init__(self, budget: int | None = PYSBD_BUDGET) -> None:
        self.left = budget  # None: no limit

    def sentences(self, text: str) -> Iterator[tuple[int, str]]:
        """(offset, sentence) for each sentence of a paragraph, piece by piece, as they are read."""
        for start, piece in _sure_pieces(text):
            if _INSIDE.search(piece.rstrip(".!?…’”\"') ]")):
                yield from ((start + offset, s) for offset, s in self._split(piece))
            elif piece.strip():
                yield start + len(piece) - len(piece.lstrip()), piece.strip()

    def _split(self, piece: str) -> list[tuple[int, str]]:
        if self.left is None:
            return _pysbd(piece)
        if len(piece) <= self.left:
            self.left -= len(piece)
            return _pysbd(piece)
        return plain_split(piece)


def _sure_pieces(text: str) -> Iterator[tuple[int, str]]:
    """The paragraph cut only where a sentence surely ends, as (offset, piece)."""
    begin = 0
    for match in SENTENCE_END.finditer(text):
        word = _SURE_WORD.search(text, max(0, match.start() - 40), match.start())
        if (word is None or word.group(1).lower() in _NOT_SURE) and match.start() - begin < MAX_PIECE:
            continue
        yield begin, text[begin : match.start()]
        begin = match.end()
    yield begin, text[begin:]


def plain_split(piece: str) -> list[tuple[int, str]]:
    """(offset, sentence) cut at every possible end except after an initial, a title or abbreviation, `c.`, `No.`.

    pysbd's rule in brief, in linear time: its list of English abbreviations, single letters and
    dotted forms (`U.S.`, `e.g.`) never end a sentence; `No.`, `p.`, `c.` before a number never do;
    nor does a mark inside a quotation (`"Vancouver! Vancouver! This is it!"`) of under 1,000 characters.
    """
    found: list[tuple[int, str]] = []
    begin = 0
    counted_to = 0
    quotes = [0, 0, 0, 0, 0]  # " “ ” ‘ ’ in the sentence so far (’ is an apostrophe as often as a closing quote)
    for match in SENTENCE_END.finditer(piece):
        between = piece[counted_to : match.end()]
        counted_to = match.end()
        for index, mark in enumerate('"“”‘’'):
            quotes[index] += between.count(mark)
        open_quote = quotes[0] % 2 or quotes[1] > quotes[2] or quotes[3] > quotes[4]
        if open_quote and match.start() - begin < 1000:
            continue
        before = piece[max(begin, match.start() - 40) : match.start()]
        word = _ABBREVIATION.search(before)
        if word is not None:
            name = word.group(1).lower()
            digit = piece[match.end() : match.end() + 1].isdigit()
            if len(name) == 1 or "." in name or name in _abbreviations() or (digit and name in _BEFORE_NUMBER):
                continue
        if _LEFT_JOINED.search(before):
            continue
        _add_sentence(found, piece, begin, match.start())
        begin = match.end()
        quotes = [0, 0, 0, 0, 0]
    _add_sentence(found, piece, begin, len(piece))
    return found


def _add_sentence(found: list[tuple[int, str]], piece: str, begin: int, end: int) -> None:
    text = piece[begin:end]
    if text.strip():
        found.append((begin + len(text) - len(text.lstrip()), text.strip()))


@cache
def _abbreviations() -> frozenset[str]:
    """pysbd's English abbreviations (`dr`, `st`, `gen`, `jan`, `co` ...), lower case, without their full stops."""
    from pysbd.lang.english import English

    return frozenset(a.strip().lower() for a in English.Abbreviation.ABBREVIATIONS)


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
