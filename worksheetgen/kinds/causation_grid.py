"""Causation grid (PEDAGOGY.md 1.2(c)): classify causes by time-scale and by type.

Layout option B, a checklist table: one numbered row per cause, a tick box for each
time-scale (L / S / T) and each type (P / E / So / Pe / I, plus Id only if some cause is
ideological), and an evidence column. Letters, never colour alone, carry the meaning
(PEDAGOGY.md 3.3), and a legend explains them. The key ticks each cause's `timescale` and
`category`, and flags its `also` categories as arguable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.common import shuffled
from worksheetgen.model import Category, Cause, Content, Timescale
from worksheetgen.wording import counted

MAIN = "✓"
ARGUABLE = "(✓)"

# How many causes are printed, and how many blank rows pupils fill with their own causes.
GIVEN = {Tier.support: 6, Tier.core: 9, Tier.challenge: 4}
BLANK_ROWS = {Tier.support: 0, Tier.core: 0, Tier.challenge: 3}
# Column widths in mm (170 mm of text width), measured for DejaVu Sans at the tier's body
# size (14 pt support, 12 pt otherwise) plus the cell padding: a tick column is just wide
# enough for "☐" and its header ("L" or, wider, "So", "Pe", "Id"); in the key a type column
# must also hold the arguable mark "(✓)". Support has no evidence column (tick-only).
ONE_LETTER = {Tier.support: 9.0, Tier.core: 8.4, Tier.challenge: 8.4}
TWO_LETTERS = {Tier.support: 11.4, Tier.core: 10.4, Tier.challenge: 10.4}
ARGUABLE_MARK = {Tier.support: 12.4, Tier.core: 11.3, Tier.challenge: 11.3}
TEXT_WIDTH = 170.0
BODY_SIZE = {Tier.support: 14.0, Tier.core: 12.0, Tier.challenge: 12.0}  # what the widths were measured at
EVIDENCE_SHARE = {Tier.support: 0.0, Tier.core: 0.51, Tier.challenge: 0.51}


@dataclass(frozen=True)
class Column:
    """A tick column: the letter printed in the header, and what it stands for."""

    code: str
    label: str
    meaning: str  # a short gloss for the legend, or ""
    value: str  # the Timescale or Category value it ticks


TIME_COLUMNS = (
    Column("L", "Long-term", "over many years", Timescale.long_term.value),
    Column("S", "Short-term", "", Timescale.short_term.value),
    Column("T", "Trigger", "the spark", Timescale.trigger.value),
)
TYPE_COLUMNS = (
    Column("P", "Political", "", Category.political.value),
    Column("E", "Economic", "", Category.economic.value),
    Column("So", "Social", "", Category.social.value),
    Column("Pe", "Personal", "one person", Category.personal.value),
    Column("I", "International", "other countries", Category.international.value),
)
IDEOLOGICAL = Column("Id", "Ideological", "beliefs", Category.ideological.value)


@dataclass(frozen=True)
class GridRow:
    """One numbered row: a cause (None for a blank row) and its suggested ticks for the key."""

    number: int
    cause: Cause | None
    time_marks: tuple[str, ...]  # per time column: MAIN or ""
    type_marks: tuple[str, ...]  # per type column: MAIN, ARGUABLE or ""
    evidence: str  # one piece of evidence (the support clue and the key's answer)
    arguable: tuple[str, ...]  # labels of the arguable extra types

    @property
    def title(self) -> str:
        return self.cause.title if self.cause else ""


@dataclass(frozen=True)
class MatrixCell:
    """The key's matrix cell: cause numbers placed there, arguable ones in brackets."""

    entries: tuple[str, ...]


@dataclass(frozen=True)
class CausationGrid:
    """Everything the causation-grid templates need for one tier."""

    time_columns: tuple[Column, ...]
    type_columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]  # the pupil's rows, in printed order (blank rows last)
    others: tuple[GridRow, ...]  # causes not printed (challenge key: causes pupils may add)
    matrix: tuple[tuple[MatrixCell, ...], ...]  # key: time-scale x type, over rows + others
    disputed: tuple[GridRow, ...]  # rows (printed or others) whose cause is disputed
    blank_rows: int
    tier: Tier
    evidence_column: bool
    notes: tuple[str, ...] = ()

    @property
    def given(self) -> tuple[GridRow, ...]:
        return tuple(r for r in self.rows if r.cause is not None)

    def widths(self, body_size: float, key: bool = False, evidence: bool = True) -> str:
        """The checklist table's `widths` for the printed type size: tick columns grow with it.

        `evidence=False` leaves the evidence column out (large print writes it on a row below).
        """
        scale = body_size / BODY_SIZE[self.tier]
        return table_widths(self.tier, self.type_columns, key=key, evidence=evidence, scale=scale)


def prepare(content: Content, tier: Tier, rng: random.Random) -> CausationGrid:
    """Choose and shuffle the causes for `tier`, and work out the suggested ticks."""
    chosen = choose_causes(content.causes, GIVEN[tier], rng)
    # Challenge pupils may add any cause of the topic, so its columns cover them all.
    type_columns = type_columns_for(content.causes if tier is Tier.challenge else chosen)
    notes: list[str] = []
    if len(chosen) < GIVEN[tier]:
        notes.append(f"only {counted(len(chosen), 'cause')} for the {tier.value} tier (aim: {GIVEN[tier]})")
    rows = [grid_row(n, cause, type_columns) for n, cause in enumerate(chosen, start=1)]
    blanks = BLANK_ROWS[tier]
    rows += [GridRow(len(chosen) + i, None, (), (), "", ()) for i in range(1, blanks + 1)]
    others: list[GridRow] = []
    if tier is Tier.challenge:
        rest = [c for c in content.causes if c not in chosen]
        others = [grid_row(len(rows) + n, cause, type_columns) for n, cause in enumerate(rest, start=1)]
    classified = [r for r in [*rows, *others] if r.cause is not None]
    disputed = tuple(r for r in classified if r.cause is not None and r.cause.disputed)
    return CausationGrid(
        TIME_COLUMNS,
        type_columns,
        tuple(rows),
        tuple(others),
        build_matrix(classified, type_columns),
        disputed,
        blanks,
        tier,
        EVIDENCE_SHARE[tier] > 0,
        tuple(notes),
    )


def table_widths(
    tier: Tier, type_columns: tuple[Column, ...], *, key: bool = False, evidence: bool = True, scale: float = 1.0
) -> str:
    """Cause column, one narrow column per tick box, then the evidence column (not for support).

    The key has no evidence column (its one piece of evidence goes under the cause's title) and
    wider type columns for the arguable mark; `scale` grows the tick columns with the type size.
    """

    def tick(column: Column) -> float:
        if key and column in type_columns:
            return ARGUABLE_MARK[tier]
        return ONE_LETTER[tier] if len(column.code) == 1 else TWO_LETTERS[tier]

    ticks = [round(tick(c) * scale, 1) for c in TIME_COLUMNS + type_columns]
    rest = TEXT_WIDTH - sum(ticks)
    evidence_width = round(rest * EVIDENCE_SHARE[tier], 1) if evidence and not key else 0.0
    widths = [round(rest - evidence_width, 1), *ticks] + ([evidence_width] if evidence_width else [])
    return ",".join(f"{w:g}" for w in widths)


def type_columns_for(causes: list[Cause]) -> tuple[Column, ...]:
    """The five usual types, plus 'ideological' only if one of `causes` uses it (even as `also`)."""
    used = {c.category for c in causes} | {a for c in causes for a in c.also}
    return TYPE_COLUMNS + ((IDEOLOGICAL,) if Category.ideological in used else ())


def choose_causes(causes: list[Cause], count: int, rng: random.Random) -> list[Cause]:
    """`count` causes covering every time-scale there is, in a shuffled order.

    One cause of each time-scale is taken first (so the trigger column is never empty),
    then the rest at random; the printed order is never the content's order.
    """
    pool = list(causes)
    chosen: list[Cause] = []
    for timescale in Timescale:
        of_scale = [c for c in pool if c.timescale is timescale]
        if of_scale and len(chosen) < count:
            pick = rng.choice(of_scale)
            chosen.append(pick)
            pool.remove(pick)
    chosen += rng.sample(pool, min(len(pool), count - len(chosen)))
    in_content_order = [c for c in causes if c in chosen]
    return shuffled(in_content_order, rng)


def grid_row(number: int, cause: Cause, type_columns: tuple[Column, ...]) -> GridRow:
    """The suggested classification of one cause: its time-scale, its category, arguable extras."""
    time_marks = tuple(MAIN if col.value == cause.timescale.value else "" for col in TIME_COLUMNS)
    also = {a.value for a in cause.also if a is not cause.category}
    type_marks = tuple(
        MAIN if col.value == cause.category.value else ARGUABLE if col.value in also else "" for col in type_columns
    )
    arguable = tuple(col.label for col in type_columns if col.value in also)
    return GridRow(number, cause, time_marks, type_marks, cause.evidence[0], arguable)


def build_matrix(rows: list[GridRow], type_columns: tuple[Column, ...]) -> tuple[tuple[MatrixCell, ...], ...]:
    """Time-scale x type: which cause numbers the key places in each cell."""
    matrix = []
    for t, _ in enumerate(TIME_COLUMNS):
        cells = []
        for c, _ in enumerate(type_columns):
            entries = tuple(
                str(r.number) if r.type_marks[c] == MAIN else f"({r.number})"
                for r in rows
                if r.time_marks[t] and r.type_marks[c]
            )
            cells.append(MatrixCell(entries))
        matrix.append(tuple(cells))
    return tuple(matrix)
