"""Ranking ladder: criteria first, then causes ranked on 5-7 rungs with evidence and a reason each.

PEDAGOGY.md 1.2(b). The ladder is a table Rank | Cause | Evidence | Why it is ranked here, with
"Most important" on rung 1 and "Least important" on the last rung. Support ranks five causes from
a shuffled, lettered bank that gives one piece of evidence for each, with sentence starters; core
ranks seven given causes and finds the evidence; challenge chooses six causes from every cause of
the topic and adds one of its own. Every bank holds the essential causes, whatever the seed.

The indicative ranking is the diamond nine's (causes.py), so both ranking activities are marked
the same way; the wording of both keys is in the templates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.causes import (
    Card,
    Ranked,
    card_for,
    choose_causes,
    missing_essentials,
    rank_causes,
    ranking_for,
    shuffled_apart,
    weak_trigger,
)
from worksheetgen.kinds.common import letters
from worksheetgen.kinds.language import Framing, KeyQuestion, framing, names_in, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Content
from worksheetgen.wording import counted

RUNGS = {Tier.support: 5, Tier.core: 7, Tier.challenge: 7}
BANK = {Tier.support: 5, Tier.core: 7, Tier.challenge: 0}  # 0: every cause, to choose from
EVIDENCE = {Tier.support: 1, Tier.core: 0, Tier.challenge: 0}  # evidence items shown in the bank


@dataclass(frozen=True)
class Rung:
    """One row of the ladder: 'top', 'bottom' or '' (the template words the label and any starter)."""

    rank: int
    end: str


@dataclass(frozen=True)
class RankingLadder:
    """Everything the ranking-ladder templates need for one tier."""

    question: KeyQuestion
    framing: Framing
    rungs: tuple[Rung, ...]
    bank: tuple[Card, ...]  # lettered, shuffled
    ranking: tuple[Ranked, ...]  # the indicative ranking of the bank
    disputed: tuple[Ranked, ...]
    trigger: str
    choose: int  # challenge: how many causes to choose from the bank (0: rank them all)
    notes: tuple[str, ...] = ()


@kind("ranking-ladder")
def prepare(content: Content, tier: Tier, rng: random.Random) -> RankingLadder:
    """Choose and shuffle the bank of causes for `tier`, and rank it for the key."""
    frame = framing(content)
    rungs = RUNGS[tier]
    chosen = choose_causes(content.causes, BANK[tier] or len(content.causes), frame.discipline)
    notes = [
        f"an essential cause did not fit: {t}" for t in missing_essentials(chosen, content.causes, frame.discipline)
    ]
    own = 1 if tier is Tier.challenge else 0
    if len(chosen) + own < rungs:
        notes.append(f"only {counted(len(chosen), 'cause')} in the content for a ladder of {counted(rungs, 'rung')}")
    ranked = rank_causes(chosen, frame.discipline)
    order = shuffled_apart(chosen, rng, ranked)
    cards = {id(c): card_for(c, label, EVIDENCE[tier]) for c, label in zip(order, letters(len(order)), strict=True)}
    ranking = ranking_for(ranked, cards, names_in(content), frame.discipline)
    return RankingLadder(
        question=parse_question(content),
        framing=frame,
        rungs=tuple(Rung(n, "top" if n == 1 else "bottom" if n == rungs else "") for n in range(1, rungs + 1)),
        bank=tuple(cards[id(c)] for c in order),
        ranking=ranking,
        disputed=tuple(r for r in ranking if r.card.disputed),
        trigger=weak_trigger(chosen),
        choose=min(rungs - own, len(chosen)) if tier is Tier.challenge else 0,
        notes=tuple(notes),
    )
