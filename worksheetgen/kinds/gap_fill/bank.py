"""The gap-fill word bank: its distractors (the same kind of word as the answers, never in the
passage) and its order (never the gaps' order)."""

from __future__ import annotations

import random
import re
from collections import Counter

from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill.passage import occurrences
from worksheetgen.kinds.gap_fill.records import Candidate, Sentence
from worksheetgen.model import Content

DISTRACTORS = {Tier.support: 0, Tier.core: 3, Tier.challenge: 0}


def pick_distractors(
    content: Content, sentences: list[Sentence], chosen: list[Candidate], count: int, rng: random.Random
) -> tuple[str, ...]:
    """Plausible wrong answers that appear nowhere in the passage: names, terms, a year."""
    if count == 0:
        return ()
    whole = " ".join(s.text for s in sentences)
    taken = {c.answer.lower() for c in chosen} | {a.lower() for c in chosen for a in c.alternatives}
    people = {p.short_name for p in content.people}
    words = [p.short_name for p in content.people] + [t.term for t in content.glossary]
    years = sorted({m.group(0) for e in content.events for m in re.finditer(r"\b1\d{3}\b|\b20\d{2}\b", e.date)})
    pool = [w for w in dict.fromkeys(words + years) if w.lower() not in taken and occurrences(w, whole) == 0]
    by_kind: dict[str, list[str]] = {}
    for word in pool:
        by_kind.setdefault(word_kind(word, people), []).append(word)
    # The answers' kinds, commonest first: each distractor is the same kind of word as some answers
    # (a name among names, an abbreviation beside NKVD, a year only when a gap needs a year).
    wanted = Counter(word_kind(c.answer, people) for c in chosen)
    kinds = [k for k, _ in sorted(wanted.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0]))) if by_kind.get(k)]
    picked: list[str] = []
    while len(picked) < count and any(by_kind.get(k) for k in kinds):
        for k in kinds:
            if by_kind[k] and len(picked) < count:
                picked.append(by_kind[k].pop(rng.randrange(len(by_kind[k]))))
    return tuple(picked)


KINDS = ("person", "abbreviation", "name", "term", "year", "number")


def word_kind(word: str, people: set[str]) -> str:
    """What sort of word an answer is, so a distractor can be the same sort: a person, an
    abbreviation (NKVD), a capitalised name (Politburo), a lower-case term, a year or a number."""
    if word in people:
        return "person"
    if re.fullmatch(r"1\d{3}|20\d{2}", word):
        return "year"
    if re.fullmatch(r"[\d,.]+", word):
        return "number"
    if word.isupper():
        return "abbreviation"
    return "name" if word[:1].isupper() else "term"


def shuffled_bank(answers: list[str], distractors: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Answers and distractors shuffled; the answers never stand in gap order."""
    bank = answers + list(distractors)
    rng.shuffle(bank)
    if len(answers) > 1 and [w for w in bank if w in answers] == answers:
        first = bank.index(answers[0])
        second = bank.index(answers[1])
        bank[first], bank[second] = bank[second], bank[first]
    return tuple(bank)
