"""The gap-fill passage: its sentences, and the words in them that could become gaps.

Author-marked `[[answer|alt]]` gaps are lifted out of the text; without them, key terms, names,
dates and numbers are found. An answer that appears anywhere else in the passage is never a
gap, so the page never gives it away.
"""

from __future__ import annotations

import re

from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill.records import NUMBER, Answer, Candidate, Part, Sentence
from worksheetgen.model import Content

_MARK = re.compile(r"\[\[([^\[\]|]+)((?:\|[^\[\]|]+)*)\]\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9\"'‘“(])")


def passage_of(content: Content, tier: Tier = Tier.core) -> list[str]:
    """The support passage for support if given, else the summary, else one made from the dated events."""
    if tier is Tier.support and content.summary_support:
        return list(content.summary_support)
    if content.summary:
        return list(content.summary)
    return [" ".join(f"{e.date}: {e.title.rstrip('.')}." for e in content.events)]


def split_passage(paragraphs: list[str]) -> list[Sentence]:
    """Split paragraphs into sentences, lifting `[[answer|alt]]` marks out of the text."""
    sentences: list[Sentence] = []
    for p_index, raw in enumerate(paragraphs):
        plain, marks = _lift_marks(raw)
        start = 0
        for boundary in [*_SENTENCE_END.finditer(plain), None]:
            end = boundary.start() if boundary else len(plain)
            stop = boundary.end() if boundary else len(plain)
            text = plain[start:stop]
            index = len(sentences)
            inside = tuple(
                Candidate(index, m.start - start, m.end - start, m.answer, m.alternatives)
                for m in marks
                if start <= m.start < end
            )
            if text.strip():
                sentences.append(Sentence(p_index, text, inside))
            start = stop
    return sentences


def _lift_marks(text: str) -> tuple[str, list[Candidate]]:
    plain = ""
    marks: list[Candidate] = []
    last = 0
    for match in _MARK.finditer(text):
        plain += text[last : match.start()]
        answer = match.group(1).strip()
        alternatives = tuple(a.strip() for a in match.group(2).split("|") if a.strip())
        marks.append(Candidate(-1, len(plain), len(plain) + len(answer), answer, alternatives))
        plain += answer
        last = match.end()
    return plain + text[last:], marks


MAX_CANDIDATES = 1_000  # gaps a passage is searched for (a sheet uses at most 15)


def find_candidates(sentences: list[Sentence], content: Content) -> tuple[list[Candidate], list[str]]:
    """Author-marked gaps if there are any, else key terms, names, dates and numbers."""
    marked = [c for s in sentences for c in s.marks]
    found = marked or [c for i, s in enumerate(sentences) for c in _auto_candidates(i, s.text, content)]
    notes: list[str] = []
    if len(found) > MAX_CANDIDATES:  # each is counted over the whole passage: 30,000 took 70 s
        what = "marked gaps" if marked else "possible gaps"
        notes.append(f"only the first {MAX_CANDIDATES:,} of {len(found):,} {what} in the passage were considered")
        found = found[:MAX_CANDIDATES]
    whole = " ".join(s.text for s in sentences)
    lowered = whole.lower()
    known = _known_alternatives(content)
    usable: list[Candidate] = []
    counts: dict[str, int] = {}  # once per answer: 5,000 marks of one word in a long passage took 80 s
    for c in found:
        if c.answer not in counts:
            counts[c.answer] = occurrences(c.answer, whole, lowered)
        if counts[c.answer] > 1:
            if marked:
                notes.append(f"gap [[{c.answer}]] not used: the answer also appears elsewhere in the passage")
            continue
        extra = tuple(a for a in known.get(c.answer.lower(), ()) if a not in c.alternatives and a != c.answer)
        usable.append(Candidate(c.sentence, c.start, c.end, c.answer, c.alternatives + extra))
    return usable, notes


def _auto_candidates(index: int, text: str, content: Content) -> list[Candidate]:
    words = [t.term for t in content.glossary] + [p.short_name for p in content.people]
    found = []
    for word in words:
        match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
        if match:
            found.append(Candidate(index, match.start(), match.end(), match.group(0)))
    found.extend(Candidate(index, m.start(), m.end(), m.group(0)) for m in NUMBER.finditer(text))
    return found


def _known_alternatives(content: Content) -> dict[str, tuple[str, ...]]:
    """Accepted alternatives from the glossary and people, by answer."""
    known: dict[str, tuple[str, ...]] = {}
    for term in content.glossary:
        known[term.term.lower()] = tuple(term.alternatives)
    for person in content.people:
        known[person.short_name.lower()] = tuple(person.alternatives)
    return known


def occurrences(answer: str, text: str, lowered: str | None = None) -> int:
    """How often `answer` is in `text` as whole words, whatever the case (`lowered`: text.lower()).

    A plain search with a look at the characters either side: a regular expression per
    answer was most of the time spent choosing a passage's gaps."""
    needle, haystack = answer.lower(), text.lower() if lowered is None else lowered
    if not needle or len(needle) != len(answer) or len(haystack) != len(text):  # lower() changed a length
        return len(re.findall(rf"(?<!\w){re.escape(answer)}(?!\w)", text, re.IGNORECASE))
    count, start = 0, haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        whole = not _is_word_char(haystack, start - 1) and not _is_word_char(haystack, end)
        count += whole
        start = haystack.find(needle, end if whole else start + 1)  # matches do not overlap
    return count


def _is_word_char(text: str, index: int) -> bool:
    """Whether text[index] exists and is a letter, digit or underscore (as regex `\\w`)."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def build_parts(
    sentences: list[Sentence], chosen: list[Candidate], answers: tuple[Answer, ...]
) -> tuple[tuple[Part, ...], ...]:
    """The passage as paragraphs of text and gap parts."""
    gap_at = {c.sentence: (c, a) for c, a in zip(chosen, answers, strict=True)}
    paragraphs: dict[int, list[Part]] = {}
    for index, sentence in enumerate(sentences):
        parts = paragraphs.setdefault(sentence.paragraph, [])
        if index in gap_at:
            c, answer = gap_at[index]
            parts += [Part(sentence.text[: c.start]), Part(gap=answer), Part(sentence.text[c.end :])]
        else:
            parts.append(Part(sentence.text))
    return tuple(tuple(p for p in parts if p.gap or p.text) for _, parts in sorted(paragraphs.items()))
