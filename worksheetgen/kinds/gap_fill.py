"""Gap-fill (cloze): choose the gaps, the word bank and the distractors for one tier.

Rules from PEDAGOGY.md 1.1: no gap in the first or last sentence, at most one gap per
sentence, content words only, and a word bank never in gap order. Additionally an answer
is only gapped if it appears nowhere else in the passage, so the page never gives it away.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from worksheetgen.document import Tier
from worksheetgen.model import Content, Misconception
from worksheetgen.wording import counted

_MARK = re.compile(r"\[\[([^\[\]|]+)((?:\|[^\[\]|]+)*)\]\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9\"'‘“(])")
# A number standing alone: not part of a date like 1914-06-28, a time like 1:30 or a range 1936–38.
_NUMBER = re.compile(r"(?<![\w,.\-/:–])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?%?)(?![\w,\-/:–]|\.\d)")

# How many gaps each tier aims for (PEDAGOGY.md 1.1), and whether dates/numbers may be gapped.
TARGET_GAPS = {Tier.support: 7, Tier.core: 11, Tier.challenge: 14}
MIN_NUMERIC = {Tier.support: 0, Tier.core: 0, Tier.challenge: 4}
MAX_NUMERIC = {Tier.support: 0, Tier.core: 2, Tier.challenge: 6}
DISTRACTORS = {Tier.support: 0, Tier.core: 3, Tier.challenge: 0}


@dataclass(frozen=True)
class Candidate:
    """A possible gap: where it is, the answer as printed, and accepted alternatives."""

    sentence: int
    start: int
    end: int
    answer: str
    alternatives: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return bool(_NUMBER.fullmatch(self.answer))


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    text: str
    marks: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Answer:
    number: int
    answer: str
    alternatives: tuple[str, ...]
    hint: str


@dataclass(frozen=True)
class Part:
    """A piece of the passage: plain text, or a gap with its answer."""

    text: str = ""
    gap: Answer | None = None


@dataclass(frozen=True)
class Glossed:
    term: str
    definition: str


@dataclass(frozen=True)
class GapFill:
    """Everything the gap-fill templates need for one tier."""

    paragraphs: tuple[tuple[Part, ...], ...]
    answers: tuple[Answer, ...]
    bank: tuple[str, ...]
    distractors: tuple[str, ...]
    glossed: tuple[Glossed, ...]
    misconceptions: tuple[Misconception, ...]
    notes: tuple[str, ...] = field(default=())


def prepare(content: Content, tier: Tier, rng: random.Random) -> GapFill:
    """Choose gaps, bank and glosses for `tier`, deterministically from `rng`."""
    sentences = split_passage(passage_of(content))
    candidates, notes = find_candidates(sentences, content)
    chosen = choose_gaps(candidates, len(sentences), tier, rng)
    answers = number_answers(chosen, tier)
    paragraphs = build_parts(sentences, chosen, answers)
    distractors = pick_distractors(content, sentences, chosen, DISTRACTORS[tier], rng)
    bank = () if tier is Tier.challenge else shuffled_bank([a.answer for a in answers], distractors, rng)
    glossed = glossed_terms(content, paragraphs) if tier is Tier.support else ()
    if len(answers) < TARGET_GAPS[tier] - 1:
        made = counted(len(answers), "gap")
        notes.append(f"only {made} could be made for the {tier.value} tier (aim: {TARGET_GAPS[tier]})")
    misconceptions = relevant_misconceptions(content, answers)
    return GapFill(paragraphs, answers, bank, distractors, glossed, misconceptions, tuple(notes))


def passage_of(content: Content) -> list[str]:
    """The author's summary, or a passage made from the dated events if there is none."""
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


def find_candidates(sentences: list[Sentence], content: Content) -> tuple[list[Candidate], list[str]]:
    """Author-marked gaps if there are any, else key terms, names, dates and numbers."""
    marked = [c for s in sentences for c in s.marks]
    found = marked or [c for i, s in enumerate(sentences) for c in _auto_candidates(i, s.text, content)]
    whole = " ".join(s.text for s in sentences)
    known = _known_alternatives(content)
    usable: list[Candidate] = []
    notes: list[str] = []
    for c in found:
        if _occurrences(c.answer, whole) > 1:
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
    found.extend(Candidate(index, m.start(), m.end(), m.group(0)) for m in _NUMBER.finditer(text))
    return found


def _known_alternatives(content: Content) -> dict[str, tuple[str, ...]]:
    """Accepted alternatives from the glossary and people, by answer."""
    known: dict[str, tuple[str, ...]] = {}
    for term in content.glossary:
        known[term.term.lower()] = tuple(term.alternatives)
    for person in content.people:
        known[person.short_name.lower()] = tuple(person.alternatives)
    return known


def _occurrences(answer: str, text: str) -> int:
    """How often `answer` is in `text` as whole words, whatever the case.

    A plain search with a look at the characters either side: a regular expression per
    answer was most of the time spent choosing a passage's gaps."""
    needle, haystack = answer.lower(), text.lower()
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


def choose_gaps(candidates: list[Candidate], sentence_count: int, tier: Tier, rng: random.Random) -> list[Candidate]:
    """At most one gap per sentence, none in the first or last, the tier's mix of numbers."""
    by_sentence: dict[int, list[Candidate]] = {}
    for c in candidates:
        if 0 < c.sentence < sentence_count - 1:
            by_sentence.setdefault(c.sentence, []).append(c)
    numeric = [s for s, cs in by_sentence.items() if any(c.numeric for c in cs)]
    verbal = [s for s, cs in by_sentence.items() if any(not c.numeric for c in cs)]
    target = TARGET_GAPS[tier]
    chosen: dict[int, Candidate] = {}
    for s in rng.sample(numeric, min(len(numeric), MIN_NUMERIC[tier])):
        chosen[s] = rng.choice([c for c in by_sentence[s] if c.numeric])
    for s in rng.sample(verbal, len(verbal)):
        if len(chosen) >= target:
            break
        if s not in chosen:
            chosen[s] = rng.choice([c for c in by_sentence[s] if not c.numeric])
    extra_numeric = MAX_NUMERIC[tier] - sum(c.numeric for c in chosen.values())
    for s in rng.sample(numeric, len(numeric)):
        if len(chosen) >= target or extra_numeric <= 0:
            break
        if s not in chosen:
            chosen[s] = rng.choice([c for c in by_sentence[s] if c.numeric])
            extra_numeric -= 1
    return _unique_answers(sorted(chosen.values(), key=lambda c: (c.sentence, c.start)))


def _unique_answers(chosen: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    unique = []
    for c in chosen:
        if c.answer.lower() not in seen:
            seen.add(c.answer.lower())
            unique.append(c)
    return unique


def number_answers(chosen: list[Candidate], tier: Tier) -> tuple[Answer, ...]:
    return tuple(
        Answer(n, c.answer, c.alternatives, hint_for(c.answer) if tier is Tier.support else "")
        for n, c in enumerate(chosen, start=1)
    )


def hint_for(answer: str) -> str:
    """First letter, then one dash per remaining letter: `Kirov` -> `K _ _ _ _`.

    Non-breaking spaces keep a hint on one line; words are three spaces apart.
    """
    words = answer.split()
    first, rest = words[0], words[1:]
    shown = [first[0] + "".join("\u00a0_" for _ in first[1:])] + ["\u00a0".join("_" for _ in w) for w in rest]
    return "\u00a0\u00a0\u00a0".join(shown)


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


def pick_distractors(
    content: Content, sentences: list[Sentence], chosen: list[Candidate], count: int, rng: random.Random
) -> tuple[str, ...]:
    """Plausible wrong answers that appear nowhere in the passage: names, terms, a year."""
    if count == 0:
        return ()
    whole = " ".join(s.text for s in sentences)
    taken = {c.answer.lower() for c in chosen} | {a.lower() for c in chosen for a in c.alternatives}
    words = [p.short_name for p in content.people] + [t.term for t in content.glossary]
    years = sorted({m.group(0) for e in content.events for m in re.finditer(r"\b1\d{3}\b|\b20\d{2}\b", e.date)})
    pool_words = [w for w in dict.fromkeys(words) if w.lower() not in taken and _occurrences(w, whole) == 0]
    pool_years = [y for y in years if y.lower() not in taken and _occurrences(y, whole) == 0]
    picked = rng.sample(pool_words, min(len(pool_words), count - 1 if pool_years else count))
    if pool_years:
        picked.append(rng.choice(pool_years))
    return tuple(picked)


def shuffled_bank(answers: list[str], distractors: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Answers and distractors shuffled; the answers never stand in gap order."""
    bank = answers + list(distractors)
    rng.shuffle(bank)
    if len(answers) > 1 and [w for w in bank if w in answers] == answers:
        first = bank.index(answers[0])
        second = bank.index(answers[1])
        bank[first], bank[second] = bank[second], bank[first]
    return tuple(bank)


def glossed_terms(content: Content, paragraphs: tuple[tuple[Part, ...], ...]) -> tuple[Glossed, ...]:
    """Simple definitions of glossary terms visible in the passage (never a gapped one)."""
    visible = " ".join(p.text for para in paragraphs for p in para if p.gap is None)
    glossed = [Glossed(t.term, t.simple or t.definition) for t in content.glossary if _occurrences(t.term, visible) > 0]
    return tuple(glossed[:5])


def relevant_misconceptions(content: Content, answers: tuple[Answer, ...], limit: int = 4) -> tuple[Misconception, ...]:
    """Misconceptions that mention a gapped answer first, so the key warns about likely slips."""

    def mentions(m: Misconception) -> bool:
        return any(_occurrences(a.answer, f"{m.wrong} {m.right}") for a in answers)

    ranked = sorted(content.misconceptions, key=lambda m: not mentions(m))
    return tuple(ranked[:limit])
