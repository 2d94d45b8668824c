"""Which gaps a tier gets (PEDAGOGY.md 1.1), numbered, with first-letter hints and rounded figures.

At most one gap a sentence, none in the first or last; support's gaps come in pairs sharing a
first letter, and a large number is accepted rounded.
"""

from __future__ import annotations

import random

from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill.records import Answer, Candidate
from worksheetgen.layout import GAP_RULE

# How many gaps each tier aims for (PEDAGOGY.md 1.1), and whether dates/numbers may be gapped.
TARGET_GAPS = {Tier.support: 7, Tier.core: 11, Tier.challenge: 14}
MAX_SUPPORT_GAPS = 8
ROUGHLY = 0.1  # a rounded large number is accepted within this fraction of the true figure
MIN_NUMERIC = {Tier.support: 0, Tier.core: 0, Tier.challenge: 4}
MAX_NUMERIC = {Tier.support: 0, Tier.core: 2, Tier.challenge: 6}


def choose_gaps(candidates: list[Candidate], sentence_count: int, tier: Tier, rng: random.Random) -> list[Candidate]:
    """At most one gap per sentence, none in the first or last, the tier's mix of numbers."""
    by_sentence: dict[int, list[Candidate]] = {}
    for c in candidates:
        if 0 < c.sentence < sentence_count - 1:
            by_sentence.setdefault(c.sentence, []).append(c)
    if tier is Tier.support:
        return _unique_answers(choose_paired(by_sentence, rng))
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


def choose_paired(by_sentence: dict[int, list[Candidate]], rng: random.Random) -> list[Candidate]:
    """Support gaps (no numbers) in pairs whose answers share a first letter, then any others to reach six.

    Letters are taken in an order shuffled by `rng`, two sentences each, until the target is met.
    """
    words = [c for s in sorted(by_sentence) for c in by_sentence[s] if not c.numeric]
    groups: dict[str, list[Candidate]] = {}
    for c in words:
        groups.setdefault(c.answer[0], []).append(c)
    chosen: dict[int, Candidate] = {}
    for letter in rng.sample(sorted(groups), len(groups)):
        if len(chosen) >= TARGET_GAPS[Tier.support]:
            break
        pair = _two_apart([c for c in groups[letter] if c.sentence not in chosen], rng)
        if len(pair) == 2 and len(chosen) + 2 <= MAX_SUPPORT_GAPS:
            chosen.update((c.sentence, c) for c in pair)
    for c in rng.sample(words, len(words)):
        if len(chosen) >= TARGET_GAPS[Tier.support] - 1:
            break
        if c.sentence not in chosen and c.answer.lower() not in {o.answer.lower() for o in chosen.values()}:
            chosen[c.sentence] = c
    return sorted(chosen.values(), key=lambda c: (c.sentence, c.start))


def _two_apart(options: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Two candidates in different sentences with different answers (fewer if there are none)."""
    pair: list[Candidate] = []
    for c in rng.sample(options, len(options)):
        if len(pair) < 2 and all(c.sentence != p.sentence and c.answer.lower() != p.answer.lower() for p in pair):
            pair.append(c)
    return pair


def _unique_answers(chosen: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    unique = []
    for c in chosen:
        if c.answer.lower() not in seen:
            seen.add(c.answer.lower())
            unique.append(c)
    return unique


def number_answers(chosen: list[Candidate], tier: Tier) -> tuple[Answer, ...]:
    """Numbered answers; on support a first-letter hint where another answer shares the letter."""
    firsts = [c.answer[0] for c in chosen]
    return tuple(
        Answer(
            n,
            c.answer,
            c.alternatives,
            hint_for(c.answer) if tier is Tier.support and firsts.count(c.answer[0]) > 1 else "",
            approximately(c.answer),
        )
        for n, c in enumerate(chosen, start=1)
    )


def hint_for(answer: str) -> str:
    """The first letter in a blank as wide as any other gap: `Kirov` -> `K_____________`."""
    return answer[0] + GAP_RULE[1:]


def approximately(answer: str) -> str:
    """For a large number, the rounded figures a key accepts: '681,692' -> 'about 680,000 (...)'.

    Years and numbers under 1,000 are exact, so they get nothing.
    """
    digits = answer.replace(",", "")
    if not digits.isdigit() or int(digits) < 1000 or ("," not in answer and len(digits) == 4):
        return ""
    value = int(digits)
    low, high = _rounded(value * (1 - ROUGHLY)), _rounded(value * (1 + ROUGHLY))
    return f"about {_rounded(value)} (any figure from {low} to {high})"


def _rounded(value: float) -> str:
    """Two significant figures in words a pupil would write: 1548367 -> '1.5 million', 681692 -> '680,000'."""
    exponent = len(str(int(value))) - 2
    rounded = round(value / 10**exponent) * 10**exponent
    if rounded >= 1_000_000:
        return f"{rounded / 1_000_000:g} million"
    return f"{rounded:,}"
