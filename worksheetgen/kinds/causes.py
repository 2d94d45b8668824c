"""Ranking causes: what the diamond nine, the ranking ladder and the causation grid share.

Which causes a tier gets is decided by the content alone, never by the seed: the essential
causes first (marked `essential: true`; when the content marks none, the necessary conditions
and the trigger), then the most central of the rest, extensions last. The seed only shuffles.

The indicative ranking is built from each cause's `timescale` and `category` (see `role_of`):
long-term causes of the subject's main types are necessary conditions, the trigger explains
the timing, short-term causes of those types explain the scale, the rest contribute, and
long-term causes of other types are background that worked through other causes. Each ranked
card names the cause it depends on, so a key's reasons are about this topic's causes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from worksheetgen.kinds.common import shuffled
from worksheetgen.kinds.language import Discipline, mid
from worksheetgen.model import CARD_LINE, Category, Cause, Timescale

CODES = {Timescale.long_term: "L", Timescale.short_term: "S", Timescale.trigger: "T"}
CATEGORY_ORDER = (
    Category.personal,
    Category.political,
    Category.physical,
    Category.human,
    Category.international,
    Category.ideological,
    Category.economic,
    Category.social,
    Category.environmental,
)
# The types whose long-term causes are necessary conditions, and whose short-term causes drive the scale.
_EVERY = frozenset(Category)
# History: a long-standing grievance of another type is background that worked through them.
# Geography: the physical processes are necessary; human factors add to the risk (contributory).
NECESSARY_TYPES = {
    "history": frozenset({Category.personal, Category.political}),
    "geography": frozenset({Category.physical}),
    "other": _EVERY,
}
DRIVER_TYPES = {
    "history": frozenset({Category.political, Category.international}),
    "geography": frozenset({Category.physical}),
    "other": _EVERY,
}
LONG_TERM_OTHERWISE = {"history": "background", "geography": "contributory", "other": "background"}
ESSENTIAL_NECESSARY = 2  # with no `essential:` marks, the trigger and the two most central necessary conditions


class Role(StrEnum):
    """What a cause does in the explanation; `ROLES` gives the indicative order of importance."""

    necessary = "necessary"
    trigger = "trigger"
    driver = "driver"
    contributory = "contributory"
    background = "background"


ROLES = tuple(Role)


@dataclass(frozen=True)
class Card:
    """A lettered cause card; a blank card (`blank`) is for the pupil's own factor."""

    letter: str
    title: str = ""
    evidence: tuple[str, ...] = ()
    category: str = ""
    also: tuple[str, ...] = ()
    timescale: str = ""
    code: str = ""  # L / S / T
    disputed: str = ""
    blank: bool = False
    line: str = ""  # a few words under the title on a support card (`card_line`), or ""


@dataclass(frozen=True)
class Ranked:
    """One card in the indicative ranking: its role, the cause it depends on, and its best evidence."""

    rank: int
    card: Card
    role: str  # a Role value
    depends_on: str  # mid-sentence title of the cause it grew out of or worked through, or ""
    evidence: str
    place: str = ""  # "Row 1 (top)" on the diamond, "" elsewhere
    note: str = ""  # the content's own reason for this cause (`key_note`); "" for a worked-out one


@dataclass(frozen=True)
class Link:
    """An arrow worth rewarding on the challenge diamond: letters from one role to another."""

    kind: str  # "background-necessary", "necessary-trigger", "trigger-driver", ...; "content" for the content's own
    start: str
    end: str
    how: str = ""  # the content's words for a "content" link


def role_of(cause: Cause, discipline: Discipline = "history") -> Role:
    """The part a cause plays, from its timescale and category alone."""
    if cause.timescale is Timescale.trigger:
        return Role.trigger
    if cause.timescale is Timescale.long_term:
        if cause.category in NECESSARY_TYPES[discipline]:
            return Role.necessary
        return Role(LONG_TERM_OTHERWISE[discipline])
    return Role.driver if cause.category in DRIVER_TYPES[discipline] else Role.contributory


def rank_causes(causes: Sequence[Cause], discipline: Discipline = "history") -> list[Cause]:
    """Indicative order of importance: by role, then category, then weight of evidence, then content order."""
    index = {id(c): i for i, c in enumerate(causes)}
    return sorted(
        causes,
        key=lambda c: (
            ROLES.index(role_of(c, discipline)),
            CATEGORY_ORDER.index(c.category),
            -len(c.evidence),
            index[id(c)],
        ),
    )


def marked_essential(cause: Cause) -> bool:
    """The author's `essential: true` (read when the content model has the field)."""
    return bool(getattr(cause, "essential", False))


def essential_causes(causes: Sequence[Cause], discipline: Discipline = "history") -> list[Cause]:
    """The causes every tier must hold: those marked essential, else the trigger and the main necessary conditions."""
    marked = [c for c in causes if marked_essential(c)]
    if marked:
        return marked
    central = [c for c in rank_causes(causes, discipline) if not c.extension]
    necessary = [c for c in central if role_of(c, discipline) is Role.necessary][:ESSENTIAL_NECESSARY]
    return [c for c in causes if c in necessary or role_of(c, discipline) is Role.trigger]


def choose_causes(
    causes: Sequence[Cause], count: int, discipline: Discipline = "history", *, every_timescale: bool = False
) -> list[Cause]:
    """`count` causes in content order, the same for every seed: essential first, then the most central.

    Extensions (`extension: true`) come last; `every_timescale` takes the most central cause of each
    time-scale and then of each type before the rest, so a classifying sheet has something for every column.
    """
    essential = essential_causes(causes, discipline)
    ranked = rank_causes(causes, discipline)
    order = [c for c in ranked if c in essential]
    if every_timescale:  # then every type, so a classifying sheet uses every column it prints
        central = [c for c in ranked if not c.extension]
        order += [
            next(c for c in central if c.timescale is t) for t in Timescale if any(c.timescale is t for c in central)
        ]
        order += [
            next(c for c in central if c.category is k) for k in Category if any(c.category is k for c in central)
        ]
    order += [c for c in ranked if not c.extension] + ranked
    chosen: list[Cause] = []
    for cause in order:
        if cause not in chosen and len(chosen) < count:
            chosen.append(cause)
    return [c for c in causes if c in chosen]


def missing_essentials(chosen: Sequence[Cause], causes: Sequence[Cause], discipline: Discipline) -> list[str]:
    """Titles of essential causes that did not fit on a sheet (a note for the teacher)."""
    return [c.title for c in essential_causes(causes, discipline) if c not in chosen]


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
    return Card(
        letter=letter,
        title=cause.title,
        evidence=tuple(cause.evidence[:evidence]),
        category=cause.category.value,
        also=tuple(a.value for a in cause.also if a is not cause.category),
        timescale=cause.timescale.value,
        code=CODES[cause.timescale],
        disputed=cause.disputed or "",
        line=cause.card_line or next((e for e in cause.evidence[:1] if len(e) <= CARD_LINE), ""),
    )


def ranking_for(
    ranked: Sequence[Cause], cards: dict[int, Card], names: frozenset[str], discipline: Discipline = "history"
) -> tuple[Ranked, ...]:
    """The indicative ranking; `cards` maps each cause (by `id()`) to its lettered card."""
    roles = {id(c): role_of(c, discipline) for c in ranked}
    first = {role: next((c for c in ranked if roles[id(c)] is role), None) for role in Role}
    anchor = first[Role.necessary] or first[Role.trigger]
    depends = {
        Role.necessary: None,
        Role.trigger: first[Role.necessary],
        Role.driver: anchor,
        Role.contributory: first[Role.driver] or anchor,
        Role.background: first[Role.necessary],
    }
    made = []
    for n, cause in enumerate(ranked, start=1):
        role = roles[id(cause)]
        other = depends[role]
        if role is Role.necessary or (role is Role.contributory and cause.timescale is Timescale.long_term):
            other = first[Role.necessary]  # works with the main necessary condition
        after = mid(other.title, names) if other is not None and other is not cause else ""
        note = cause.key_note or ""
        made.append(Ranked(n, cards[id(cause)], roles[id(cause)].value, after, cause.evidence[0], note=note))
    return tuple(made)


def content_links(ranked: Sequence[Cause], cards: dict[int, Card]) -> tuple[Link, ...] | None:
    """The content's own links between causes on this sheet, in rank order; None when the
    content gives no links at all (then `links` works arrows out from the roles)."""
    if not any(cause.links for cause in ranked):
        return None
    by_id = {cause.id: cause for cause in ranked}
    return tuple(
        Link("content", cards[id(cause)].letter, cards[id(by_id[link.to])].letter, link.how)
        for cause in ranked
        for link in cause.links
        if link.to in by_id and by_id[link.to] is not cause
    )


def links(ranking: Sequence[Ranked]) -> tuple[Link, ...]:
    """Arrows worth rewarding, from the roles of the cards on this sheet."""

    def letters_of(role: Role) -> str:
        return ", ".join(r.card.letter for r in ranking if r.role == role.value)

    necessary, trigger = letters_of(Role.necessary), letters_of(Role.trigger)
    driver, contributory = letters_of(Role.driver), letters_of(Role.contributory)
    background = letters_of(Role.background)
    pairs = (
        ("background-necessary", background, necessary),
        ("necessary-trigger", necessary, trigger),
        ("trigger-driver", trigger, driver),
        ("necessary-driver", necessary, driver),
        ("contributory", contributory, driver or necessary),
    )
    return tuple(Link(kind, start, end) for kind, start, end in pairs if start and end)


def weak_trigger(causes: Sequence[Cause]) -> str:
    """The trigger's title, for the weak justification "it started it, so it is the most important"."""
    return next((c.title for c in causes if c.timescale is Timescale.trigger), "")
