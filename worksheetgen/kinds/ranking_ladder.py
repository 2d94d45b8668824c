"""Ranking ladder: criteria first, then causes ranked on 5-7 rungs with evidence and a reason each.

PEDAGOGY.md 1.2(b). The ladder is a table Rank | Cause | Evidence | Why it is ranked here, with
"Most important" on rung 1 and "Least important" on the last rung. Support ranks five causes from
a shuffled, lettered bank that gives one piece of evidence for each; core ranks seven given causes and finds the
evidence; challenge chooses six causes from a longer list and adds one of its own.

The indicative ranking, the criteria and the weak justifications come from diamond_nine.py, so
both ranking activities are marked the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from worksheetgen.document import Tier
from worksheetgen.kinds.common import letters
from worksheetgen.kinds.diamond_nine import (
    Card,
    Point,
    Ranked,
    card_for,
    choose_causes,
    criteria,
    rank_causes,
    ranking_for,
    shuffled_apart,
    subject_of,
    weak_justifications,
)
from worksheetgen.model import Content
from worksheetgen.wording import counted

RUNGS = {Tier.support: 5, Tier.core: 7, Tier.challenge: 7}
BANK = {Tier.support: 5, Tier.core: 7, Tier.challenge: 0}  # 0: every cause, to choose from
EVIDENCE = {Tier.support: 1, Tier.core: 0, Tier.challenge: 0}  # evidence items shown in the bank


@dataclass(frozen=True)
class Rung:
    """One row of the ladder; `starter` is a sentence starter (support only)."""

    rank: int
    label: str  # "Most important", "Least important" or ""
    starter: str = ""


@dataclass(frozen=True)
class RankingLadder:
    """Everything the ranking-ladder templates need for one tier."""

    rungs: tuple[Rung, ...]
    bank: tuple[Card, ...]  # lettered, shuffled
    ranking: tuple[Ranked, ...]  # the indicative ranking of the bank
    criteria: tuple[Point, ...]
    weak: tuple[Point, ...]
    subject: str
    choose: int  # challenge: how many causes to choose from the bank (0: rank them all)
    notes: tuple[str, ...] = field(default=())

    @property
    def disputed(self) -> tuple[Ranked, ...]:
        return tuple(r for r in self.ranking if r.card.disputed)


def prepare(content: Content, tier: Tier, rng: random.Random) -> RankingLadder:
    """Choose and shuffle the bank of causes for `tier`, and rank it for the key."""
    subject = subject_of(content)
    rungs = RUNGS[tier]
    size = BANK[tier] or len(content.causes)
    chosen = choose_causes(content.causes, size, rng)
    notes = []
    own = 1 if tier is Tier.challenge else 0
    if len(chosen) + own < rungs:
        notes.append(f"only {counted(len(chosen), 'cause')} in the content for a ladder of {counted(rungs, 'rung')}")
    ranked = rank_causes(chosen)
    order = shuffled_apart(chosen, rng, ranked)
    cards = {id(c): card_for(c, label, EVIDENCE[tier]) for c, label in zip(order, letters(len(order)), strict=True)}
    choose = min(rungs - own, len(chosen)) if tier is Tier.challenge else 0
    return RankingLadder(
        rungs=tuple(_rung(n, rungs, tier) for n in range(1, rungs + 1)),
        bank=tuple(cards[id(c)] for c in order),
        ranking=ranking_for(ranked, cards, subject),
        criteria=criteria(subject),
        weak=weak_justifications(content, subject, cards=False),
        subject=subject,
        choose=choose,
        notes=tuple(notes),
    )


def _rung(rank: int, rungs: int, tier: Tier) -> Rung:
    label = "Most important" if rank == 1 else "Least important" if rank == rungs else ""
    if tier is not Tier.support:
        return Rung(rank, label)
    if rank == 1:
        starter = "This is the most important because"
    elif rank == rungs:
        starter = "This is the least important because"
    else:
        starter = "It is above the next one because"
    return Rung(rank, label, starter)
