"""Diamond nine: nine cause cards ranked in rows 1-2-3-2-1, and the indicative ranking for the key.

PEDAGOGY.md 1.2(a). The pupil copy is an empty diamond plus a sheet of lettered cards to cut
out (shuffled, never in content order); the key places the same lettered cards in an
indicative diamond and explains why. Every tier's cards hold the content's essential causes;
the seed shuffles the cards, it never changes which causes a tier gets (causes.py).

Tiers scaffold differently: support cards carry evidence and the sheet gives sentence starters
and a top-3 option; core cards carry evidence and pupils justify top and bottom; challenge has
seven titled cards (evidence from their own knowledge), two blank cards for their own factors,
L/S/T codes, labelled arrows and a judgement. The wording is in the templates.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from worksheetgen.document import Tier
from worksheetgen.kinds.causes import (
    Card,
    Link,
    Ranked,
    card_for,
    choose_causes,
    content_links,
    links,
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

ROW_SIZES = (1, 2, 3, 2, 1)  # the diamond, top to bottom
CARDS = {Tier.support: 9, Tier.core: 9, Tier.challenge: 7}  # cards made from the content
BLANKS = {Tier.support: 0, Tier.core: 0, Tier.challenge: 2}  # "your own factor" cards
# Evidence items per card: support and core get the author's first; challenge pupils bring their own.
EVIDENCE = {Tier.support: 1, Tier.core: 1, Tier.challenge: 0}


@dataclass(frozen=True)
class DiamondNine:
    """Everything the diamond-nine templates need for one tier."""

    question: KeyQuestion
    framing: Framing
    cards: tuple[Card, ...]  # in letter order, as printed on the cut-out sheet
    diamond: tuple[tuple[Card, ...], ...]  # the key's placement, rows 1-2-3-2-1
    ranking: tuple[Ranked, ...]
    disputed: tuple[Ranked, ...]  # ranked cards whose cause is disputed: other placements are fine
    links: tuple[Link, ...]
    trigger: str  # the trigger's title, for the weak justification that confuses it with importance
    notes: tuple[str, ...] = ()


@kind("diamond-nine")
def prepare(content: Content, tier: Tier, rng: random.Random) -> DiamondNine:
    """Choose, letter and shuffle the cards for `tier`, and rank them for the key."""
    frame = framing(content)
    chosen = choose_causes(content.causes, CARDS[tier], frame.discipline)
    notes = [
        f"an essential cause did not fit: {t}" for t in missing_essentials(chosen, content.causes, frame.discipline)
    ]
    known = {c.id for c in content.causes}
    notes += [
        f"cause {c.id!r} links to {link.to!r}, which is no cause's id: that arrow is left out"
        for c in content.causes
        for link in c.links
        if link.to not in known
    ]
    if len(chosen) < CARDS[tier]:
        notes.append(
            f"only {counted(len(chosen), 'cause')} in the content; "
            f"added {counted(CARDS[tier] - len(chosen), 'blank card')} instead"
        )
    blanks = BLANKS[tier] + max(0, CARDS[tier] - len(chosen))
    ranked_causes = rank_causes(chosen, frame.discipline)
    order = shuffled_apart(chosen, rng, ranked_causes)
    labels = letters(len(order) + blanks)
    cards = [card_for(cause, label, EVIDENCE[tier]) for cause, label in zip(order, labels, strict=False)]
    cards += [Card(label, blank=True) for label in labels[len(order) :]]
    by_id = {id(cause): card for cause, card in zip(order, cards, strict=False)}
    ranking = ranking_for(ranked_causes, by_id, names_in(content), frame.discipline)
    ranking = tuple(replace(r, place=place_of(r.rank)) for r in ranking)
    arrows = content_links(ranked_causes, by_id)
    placed = [r.card for r in ranking] + [c for c in cards if c.blank]
    return DiamondNine(
        question=parse_question(content),
        framing=frame,
        cards=tuple(cards),
        diamond=diamond_rows(placed),
        ranking=ranking,
        disputed=tuple(r for r in ranking if r.card.disputed),
        links=links(ranking) if arrows is None else arrows,
        trigger=weak_trigger(chosen),
        notes=tuple(notes),
    )


def diamond_rows(placed: Sequence[Card]) -> tuple[tuple[Card, ...], ...]:
    """Cards in rank order into rows 1-2-3-2-1 (fewer cards leave the lower rows short)."""
    rows: list[tuple[Card, ...]] = []
    start = 0
    for size in ROW_SIZES:
        row = tuple(placed[start : start + size])
        rows.append(row + tuple(Card("") for _ in range(size - len(row))))
        start += size
    return tuple(rows)


def place_of(rank: int) -> str:
    """'Row 1 (top)' ... 'Row 5 (bottom)' for a rank on the diamond."""
    end = 0
    for row, size in enumerate(ROW_SIZES, start=1):
        end += size
        if rank <= end:
            suffix = " (top)" if row == 1 else " (bottom)" if row == len(ROW_SIZES) else ""
            return f"Row {row}{suffix}"
    return "Not placed"
