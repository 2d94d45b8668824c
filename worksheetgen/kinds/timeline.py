"""Timeline sequencing (PEDAGOGY.md 1.4): shuffled, lettered event cards and a dated axis.

Every tier gets the essential events; the rest are chosen spread over the period (one from
each stretch of the chronology), never two whose order their dates cannot settle (two events
on the same day, or 'Dec 1934' beside '1 Dec 1934'). Which events a tier gets never depends on
the seed, so a class can be taught together: the seed only shuffles the cards, which are
lettered in an order that is never the chronological one. The axis has one row per year,
from the first chosen event's year to the last. Support pre-places a few anchor events.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from functools import partial

from worksheetgen.document import Tier
from worksheetgen.kinds.common import event_sort_key, letters, shuffled
from worksheetgen.kinds.language import framing
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Content, Event
from worksheetgen.wording import counted

CARDS = {Tier.support: 8, Tier.core: 10, Tier.challenge: 12}
ANCHORS = {Tier.support: 2, Tier.core: 0, Tier.challenge: 0}
MAX_ROWS = 16  # longer periods get rows of several years, so the axis stays on one page
# The axis page: mm left for the axis rows on a US Letter page (the shorter paper) once the
# heading, the header row, the turning-point box and, for support, the anchor text are placed.
# Challenge's axis has its page to itself (the arrows and questions follow on the next): taller
# rows, room for several letters and dates in one year.
AXIS_SPACE = {Tier.support: 105, Tier.core: 140, Tier.challenge: 185}
ROW_MIN = {Tier.support: 10, Tier.core: 8, Tier.challenge: 9}  # the tier's handwriting, and arrows
ROW_MAX = 16

SortKey = tuple[int, int, int]


@dataclass(frozen=True)
class Card:
    """An event card: its letter on the sheet and its place in the true order."""

    letter: str
    event: Event
    position: int  # 1 = earliest
    notes: tuple[str, ...]  # for the key: why the date is approximate
    title: str
    date: str


@dataclass(frozen=True)
class AxisRow:
    """One row of the axis: a year (or a few years), anchors pre-placed, and the key's letters."""

    label: str
    anchors: tuple[Event, ...]
    letters: tuple[str, ...]  # cards belonging in this row, earliest first (key only)


@dataclass(frozen=True)
class Timeline:
    """Everything the timeline templates need for one tier."""

    cards: tuple[Card, ...]  # printed order, lettered A, B, C...
    in_order: tuple[Card, ...]  # the same cards, earliest first
    anchors: tuple[Event, ...]
    axis: tuple[AxisRow, ...]
    row_height: float
    disputed: tuple[Card, ...]  # cards whose event historians disagree about
    years_per_row: int
    first_year: str
    last_year: str
    frame: str  # "history", "geography" or "other": how the tasks and the key are worded
    notes: tuple[str, ...] = ()


@kind("timeline")
def prepare(content: Content, tier: Tier, rng: random.Random) -> Timeline:
    """Choose, letter and shuffle the events for `tier`, and build the axis."""
    notes: list[str] = []
    pool = orderable(content.events)
    dropped = len(content.events) - len(pool)
    wanted = CARDS[tier] + ANCHORS[tier]
    chosen = choose_events(pool, wanted, tier)
    if len(chosen) < wanted:
        notes.append(
            f"only {counted(len(chosen), 'event')} can be ordered by their dates for the {tier.value} tier "
            f"(aim: {wanted}; {dropped} left out as undated or tied with another)"
        )
    for event in content.events:
        if event.essential and event not in pool:
            notes.append(f"essential event {event.title!r} left out: it has no date, or the same date as another")
    essential = sum(e.essential for e in pool)
    if essential > wanted:
        notes.append(f"{essential} essential events: more than the {wanted} the {tier.value} tier aims for, all used")
    anchor_at = set(anchor_positions(len(chosen), ANCHORS[tier])) if len(chosen) > ANCHORS[tier] + 1 else set()
    anchors = tuple(e for i, e in enumerate(chosen) if i in anchor_at)
    on_cards = [e for i, e in enumerate(chosen) if i not in anchor_at]
    labels = letters(len(on_cards))
    printed = shuffled(range(len(on_cards)), rng)  # never the chronological order
    cards = tuple(
        Card(label, on_cards[i], i + 1, date_notes(on_cards[i]), on_cards[i].title, on_cards[i].date)
        for label, i in zip(labels, printed, strict=True)
    )
    in_order = tuple(sorted(cards, key=lambda c: c.position))
    axis, step = build_axis(in_order, anchors)
    disputed = tuple(c for c in in_order if c.event.disputed)
    height = row_height(tier, len(axis))
    first, last = (axis[0].label, axis[-1].label) if axis else ("", "")
    frame = framing(content).discipline
    return Timeline(cards, in_order, anchors, axis, height, disputed, step, first, last, frame, tuple(notes))


def row_height(tier: Tier, rows: int) -> float:
    """As tall as the page allows (room for several letters and arrows), within the tier's limits."""
    if not rows:
        return ROW_MIN[tier]
    return round(max(ROW_MIN[tier], min(ROW_MAX, AXIS_SPACE[tier] / rows)), 1)


def orderable(events: list[Event]) -> list[Event]:
    """Dated events, earliest first, leaving out any whose order against another is unclear.

    When two events clash (same day, or one dated only to the month or year of the other),
    an essential one is kept, else one with a `disputed` note or a `detail`, else the one written first.
    """
    dated = [e for e in events if event_sort_key(e)[0] > 0]
    priority = sorted(dated, key=lambda e: (not e.essential, e.disputed is None, e.detail is None))
    kept: list[Event] = []
    for event in priority:
        if all(not ambiguous(event_sort_key(event), event_sort_key(k)) for k in kept):
            kept.append(event)
    return sorted(kept, key=lambda e: (event_sort_key(e), events.index(e)))


def ambiguous(a: SortKey, b: SortKey) -> bool:
    """True if the dates cannot tell which came first: equal, or one too vague to compare."""
    if a[0] != b[0]:
        return False
    if a[1] == 0 or b[1] == 0:
        return True
    if a[1] != b[1]:
        return False
    return a[2] == 0 or b[2] == 0 or a[2] == b[2]


def choose_events(pool: list[Event], count: int, tier: Tier) -> list[Event]:
    """Every essential event, then others spread over the chronology up to `count`, earliest first.

    The same for every seed. Challenge always has an event historians dispute.
    """
    essential = [e for e in pool if e.essential]
    others = [e for e in pool if not e.essential]
    extra = spread(others, max(0, count - len(essential)), tier)
    disputed = [e for e in others if e.disputed]
    if tier is Tier.challenge and disputed and not any(e.disputed for e in [*essential, *extra]):
        if extra:
            extra[len(extra) // 2] = disputed[len(disputed) // 2]
        else:
            extra = disputed[:1]
    chosen = set(map(id, [*essential, *extra]))
    return [e for e in pool if id(e) in chosen]


def spread(pool: list[Event], count: int, tier: Tier) -> list[Event]:
    """`count` events, one from each of `count` equal stretches of the chronology, earliest first.

    The first and last stretches give their earliest and latest events, so the cards span the
    whole period; the others the event nearest their middle. Each prefers an event that suits
    the tier: disputed on challenge (historians' disagreements) but not on support, and with a
    `detail` worth discussing.
    """
    if count >= len(pool):
        return list(pool)
    bounds = [round(i * len(pool) / count) for i in range(count + 1)]
    segments = [pool[bounds[i] : bounds[i + 1]] for i in range(count)]
    aims = [0.0 if i == 0 else 1.0 if i == count - 1 else 0.5 for i in range(count)]
    return [
        min(segment, key=partial(_fit, segment=segment, tier=tier, aim=aim))
        for segment, aim in zip(segments, aims, strict=True)
    ]


def _fit(event: Event, segment: list[Event], tier: Tier, aim: float) -> tuple[bool, bool, float]:
    """Sort key: how well an event suits the tier, then its distance from where in the segment we aim."""
    disputed = event.disputed is not None
    unsuited = disputed if tier is Tier.support else not disputed if tier is Tier.challenge else False
    place = aim * (len(segment) - 1)
    if aim != 0.5:  # an end of the period: only the end event itself will do for the axis
        return False, False, abs(segment.index(event) - place)
    return unsuited, event.detail is None and not disputed, abs(segment.index(event) - place)


def anchor_positions(total: int, anchors: int) -> list[int]:
    """Indexes of the anchor events: the middle of each of `anchors` equal stretches."""
    return [min(total - 1, math.floor((2 * i + 1) * total / (2 * anchors))) for i in range(anchors)]


def date_notes(event: Event) -> tuple[str, ...]:
    """Why a date may be marked leniently: it spans years, runs 'onwards', or lacks a day."""
    year, month, day = event_sort_key(event)
    span = re.search(r"\b(\d{4})\s*[–-]\s*(\d{4}|\d{2})\b", event.date)
    if span:
        start, end = span.group(1), span.group(2)
        end = start[: 4 - len(end)] + end
        return (f"spans {start} to {end}: ordered by its start; accept any of those years on the timeline",)
    if "onwards" in event.date.lower():
        return (f"from {year} onwards: ordered by its start",)
    if not day:
        return ("approximate: " + ("year only" if not month else "month and year only"),)
    return ()


def build_axis(cards: tuple[Card, ...], anchors: tuple[Event, ...]) -> tuple[tuple[AxisRow, ...], int]:
    """One row per year from the first event to the last (several years a row for long periods)."""
    events = [c.event for c in cards] + list(anchors)
    if not events:
        return (), 1
    years = [event_sort_key(e)[0] for e in events]
    first, last = min(years), max(years)
    step = math.ceil((last - first + 1) / MAX_ROWS)
    rows = []
    for start in range(first, last + 1, step):
        end = min(start + step - 1, last)

        def inside(event: Event, start: int = start, end: int = end) -> bool:
            return start <= event_sort_key(event)[0] <= end

        label = str(start) if step == 1 else f"{start}–{end}"
        row_anchors = tuple(sorted((a for a in anchors if inside(a)), key=event_sort_key))
        rows.append(AxisRow(label, row_anchors, tuple(c.letter for c in cards if inside(c.event))))
    return tuple(rows), step
