"""Diamond nine: nine cause cards ranked in rows 1-2-3-2-1, and the indicative ranking for the key.

PEDAGOGY.md 1.2(a). The pupil copy is an empty diamond plus a sheet of lettered cards to cut
out (shuffled, never in content order); the key places the same lettered cards in an
indicative diamond and explains why.

The indicative ranking is built from each cause's `timescale` and `category` (see `role_of`):
long-term personal or political causes are necessary conditions, the trigger explains the
timing, short-term political or international causes explain the scale, the rest contribute,
and long-term economic or social discontent is background that worked through other causes.
The ranking ladder (ranking_ladder.py) shares this ranking, the criteria and the weak
justifications.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from worksheetgen.document import Tier
from worksheetgen.kinds.common import letters, shuffled
from worksheetgen.model import Category, Cause, Content, Timescale
from worksheetgen.wording import counted

ROW_SIZES = (1, 2, 3, 2, 1)  # the diamond, top to bottom
CARDS = {Tier.support: 9, Tier.core: 9, Tier.challenge: 7}  # cards made from the content
BLANKS = {Tier.support: 0, Tier.core: 0, Tier.challenge: 2}  # "your own factor" cards
# Evidence items per card: one (the author's first) on every tier, so nine cards fit one A4 or
# Letter page at the support tier's 14 pt; support gets its help from starters, not more text.
EVIDENCE = {Tier.support: 1, Tier.core: 1, Tier.challenge: 1}
CODES = {Timescale.long_term: "L", Timescale.short_term: "S", Timescale.trigger: "T"}
CATEGORY_ORDER = (
    Category.personal,
    Category.political,
    Category.international,
    Category.ideological,
    Category.economic,
    Category.social,
)


class Role(IntEnum):
    """What a cause does in the explanation; the order is the indicative order of importance."""

    necessary = 1
    trigger = 2
    driver = 3
    contributory = 4
    background = 5

    @property
    def label(self) -> str:
        return {
            Role.necessary: "Necessary condition",
            Role.trigger: "Trigger / pretext",
            Role.driver: "Short-term driver",
            Role.contributory: "Contributory",
            Role.background: "Background",
        }[self]


@dataclass(frozen=True)
class Card:
    """A lettered cause card; a blank card (`blank`) is for the pupil's own factor."""

    letter: str
    title: str = ""
    evidence: tuple[str, ...] = ()
    category: str = ""
    timescale: str = ""
    code: str = ""  # L / S / T
    disputed: str = ""
    blank: bool = False


@dataclass(frozen=True)
class Ranked:
    """One card in the indicative ranking, with the reason it sits there."""

    rank: int
    card: Card
    role: str
    reason: str
    evidence: str
    place: str = ""  # "Row 1 (top)" on the diamond, "" elsewhere


@dataclass(frozen=True)
class Point:
    """A named point with an explanation: a criterion, or a weak justification and why it is weak."""

    name: str
    text: str


@dataclass(frozen=True)
class DiamondNine:
    """Everything the diamond-nine templates need for one tier."""

    cards: tuple[Card, ...]  # in letter order, as printed on the cut-out sheet
    card_rows: tuple[tuple[Card, ...], ...]  # the cut-out sheet, three cards a row
    diamond: tuple[tuple[Card, ...], ...]  # the key's placement, rows 1-2-3-2-1
    ranking: tuple[Ranked, ...]
    criteria: tuple[Point, ...]
    weak: tuple[Point, ...]
    links: tuple[str, ...]
    subject: str
    notes: tuple[str, ...] = field(default=())

    @property
    def disputed(self) -> tuple[Ranked, ...]:
        """Ranked cards whose cause historians dispute: the key accepts other placements for these."""
        return tuple(r for r in self.ranking if r.card.disputed)


def prepare(content: Content, tier: Tier, rng: random.Random) -> DiamondNine:
    """Choose, letter and shuffle the cards for `tier`, and rank them for the key."""
    subject = subject_of(content)
    chosen = choose_causes(content.causes, CARDS[tier], rng)
    notes: list[str] = []
    blanks = BLANKS[tier] + max(0, CARDS[tier] - len(chosen))
    if len(chosen) < CARDS[tier]:
        notes.append(
            f"only {counted(len(chosen), 'cause')} in the content; "
            f"added {counted(CARDS[tier] - len(chosen), 'blank card')} instead"
        )
    ranked_causes = rank_causes(chosen)
    order = shuffled_apart(chosen, rng, ranked_causes)
    labels = letters(len(order) + blanks)
    cards = [card_for(cause, label, EVIDENCE[tier]) for cause, label in zip(order, labels, strict=False)]
    cards += [Card(label, blank=True) for label in labels[len(order) :]]
    by_id = {id(cause): card for cause, card in zip(order, cards, strict=False)}
    ranking = ranking_for(ranked_causes, by_id, subject)
    placed = [r.card for r in ranking] + [c for c in cards if c.blank]
    rows = diamond_rows(placed)
    ranking = tuple(Ranked(r.rank, r.card, r.role, r.reason, r.evidence, place_of(r.rank)) for r in ranking)
    return DiamondNine(
        cards=tuple(cards),
        card_rows=tuple(tuple(cards[i : i + 3]) for i in range(0, len(cards), 3)),
        diamond=rows,
        ranking=ranking,
        criteria=criteria(subject),
        weak=weak_justifications(content, subject),
        links=links(ranking, subject),
        subject=subject,
        notes=tuple(notes),
    )


def subject_of(content: Content) -> str:
    """What the key question asks about: 'Why did the purges happen?' -> 'the purges'."""
    match = re.match(
        r"\s*why\s+(?:did|do|does|was|were|is|are)\s+(.+?)\s+"
        r"(?:happen|occur|take place|start|begin|break out|fail|succeed|collapse|end)\b",
        content.key_question,
        re.IGNORECASE,
    )
    return match.group(1) if match else "the events"


def role_of(cause: Cause) -> Role:
    """The part a cause plays, from its timescale and category alone."""
    if cause.timescale is Timescale.trigger:
        return Role.trigger
    if cause.timescale is Timescale.long_term:
        return Role.necessary if cause.category in (Category.personal, Category.political) else Role.background
    if cause.category in (Category.political, Category.international):
        return Role.driver
    return Role.contributory


def rank_causes(causes: Sequence[Cause]) -> list[Cause]:
    """Indicative order of importance: by role, then category, then weight of evidence, then content order."""
    index = {id(c): i for i, c in enumerate(causes)}
    return sorted(
        causes,
        key=lambda c: (role_of(c), CATEGORY_ORDER.index(c.category), -len(c.evidence), index[id(c)]),
    )


def is_extension(cause: Cause) -> bool:
    """A cause the author marks `extension: true` (beyond the core course) is dropped first."""
    return cause.extension


def choose_causes(causes: Sequence[Cause], count: int, rng: random.Random) -> list[Cause]:
    """`count` causes in content order: drop flagged extensions first, then some of the least central.

    The least central are the lowest in the indicative ranking; `rng` picks which of the
    bottom few go, so the central causes (the necessary conditions and the trigger) always stay.
    """
    if len(causes) <= count:
        return list(causes)
    positions = {id(c): i for i, c in enumerate(causes)}
    ranked = rank_causes(causes)
    needed = len(causes) - count
    flagged = [c for c in ranked if is_extension(c)]
    dropped = {id(c) for c in rng.sample(flagged, min(len(flagged), needed))}
    needed -= len(dropped)
    if needed:
        rest = [c for c in ranked if id(c) not in dropped]
        dropped |= {id(c) for c in rng.sample(rest[-(needed + 1) :], needed)}
    return sorted((c for c in causes if id(c) not in dropped), key=lambda c: positions[id(c)])


def shuffled_apart(causes: Sequence[Cause], rng: random.Random, ranked: Sequence[Cause]) -> list[Cause]:
    """Shuffled, and in neither content order nor the key's order (so the sheet gives nothing away)."""
    order = shuffled(causes, rng)
    for _ in range(len(order)):
        if [id(c) for c in order] not in ([id(c) for c in causes], [id(c) for c in ranked]):
            break
        order = order[1:] + order[:1]
    return order


def card_for(cause: Cause, letter: str, evidence: int) -> Card:
    """A lettered card: the cause's title and its first `evidence` items, in the author's order."""
    lines = cause.evidence[:evidence]
    return Card(
        letter=letter,
        title=cause.title,
        evidence=tuple(lines),
        category=cause.category.value,
        timescale=cause.timescale.value,
        code=CODES[cause.timescale],
        disputed=cause.disputed or "",
    )


def reason_for(cause: Cause, subject: str) -> str:
    """Why a cause sits where it does, from its role."""
    kind = f"{cause.timescale.value} {cause.category.value} cause".capitalize()
    return {
        Role.necessary: f"{kind}: without it {subject} would probably not have happened at all.",
        Role.trigger: "It explains the timing and gave the excuse (and new powers), but not the scale.",
        Role.driver: f"{kind}: it explains the scale and who was targeted, but depended on the causes above it.",
        Role.contributory: f"{kind}: it made {subject} more likely or wider, but was not enough on its own.",
        Role.background: f"{kind}: it worked indirectly, through other causes (such as opposition), so it ranks low.",
    }[role_of(cause)]


def ranking_for(ranked: Sequence[Cause], cards: dict[int, Card], subject: str) -> tuple[Ranked, ...]:
    """The indicative ranking; `cards` maps each cause (by `id()`) to its lettered card."""
    return tuple(
        Ranked(n, cards[id(c)], role_of(c).label, reason_for(c, subject), c.evidence[0])
        for n, c in enumerate(ranked, start=1)
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


def criteria(subject: str) -> tuple[Point, ...]:
    """What a good justification weighs (PEDAGOGY.md 1.2: necessary vs contributory, scale, timing, links)."""
    return (
        Point(
            "Necessary or contributory?",
            f"Would {subject} have happened without this cause? If not, it is a necessary condition and belongs "
            "near the top; if it only made things worse or more likely, it is contributory.",
        ),
        Point("Scale", f"Does it explain why {subject} became so large, and who was affected?"),
        Point(
            "Timing",
            f"Does it explain why {subject} happened at that moment? A trigger explains timing, "
            "but rarely the whole event.",
        ),
        Point(
            "Links",
            "Does it work on its own or through other causes? A cause that other causes depend on ranks higher.",
        ),
        Point(
            "Evidence",
            "Is there firm evidence for it, or do historians dispute it? A disputed cause needs a more careful claim.",
        ),
    )


def weak_justifications(content: Content, subject: str, cards: bool = True) -> tuple[Point, ...]:
    """Common weak reasons pupils give, each with what is wrong with it (`cards`: the causes are on cards)."""
    points = [
        Point(
            "“Because it was bad.”",
            f"A moral judgement, not an explanation: it does not say how the cause led to {subject}.",
        ),
        Point(
            "“Because it happened first.”",
            "Timing alone is not importance: say what the cause made possible.",
        ),
        Point(
            "“Because it has the most information on the card.”"
            if cards
            else "“Because there is the most to say about it.”",
            "The amount of text is not importance: say what the evidence shows.",
        ),
    ]
    trigger = next((c for c in content.causes if c.timescale is Timescale.trigger), None)
    if trigger:
        points.append(
            Point(
                f"“{trigger.title} started it, so it is the most important.”",
                "Mixes up the trigger with the most important cause: a trigger explains when, "
                f"not why {subject} became so large.",
            )
        )
    points.append(
        Point(
            "Retelling what is on the card." if cards else "Retelling the story of the cause.",
            f"Description without explanation: ask “so how did this lead to {subject}?”",
        )
    )
    return tuple(points)


def links(ranking: Sequence[Ranked], subject: str) -> tuple[str, ...]:
    """Arrows worth rewarding, from the roles of the cards on this sheet."""

    def letters_of(role: Role) -> str:
        found = [r.card.letter for r in ranking if r.role == role.label]
        return ", ".join(found)

    necessary, trigger = letters_of(Role.necessary), letters_of(Role.trigger)
    driver, contributory = letters_of(Role.driver), letters_of(Role.contributory)
    background = letters_of(Role.background)
    found: list[str] = []
    if background and necessary:
        found.append(f"{background} → {necessary}: background discontent fed the long-term causes (“made worse”).")
    if necessary and trigger:
        found.append(
            f"{necessary} → {trigger}: the long-term causes explain why the trigger was used as it was "
            "(“made them exploit”)."
        )
    if trigger and driver:
        found.append(f"{trigger} → {driver}: the trigger gave the excuse and the powers (“gave the excuse for”).")
    if necessary and driver:
        found.append(f"{necessary} → {driver}: the short-term drivers grew out of the long-term causes (“led to”).")
    if contributory and (driver or necessary):
        found.append(f"{contributory} → {driver or necessary}: contributory causes widened {subject} (“added to”).")
    return tuple(found)
