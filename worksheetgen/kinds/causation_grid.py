"""Causation grid (PEDAGOGY.md 1.2(c)): classify causes by time-scale and by type.

Layout option B, a checklist table: one numbered row per cause, a tick box for each
time-scale (L / S / T) and each type, and an evidence column. The types follow the subject:
History P / E / So / Pe / I, Geography Ph (physical) / H (human), any other type only when a
cause uses it. Letters, never colour alone, carry the meaning (PEDAGOGY.md 3.3), and a legend
explains them. The key ticks each cause's `timescale` and `category`, and flags its `also`
categories as arguable.

Which causes a tier gets never depends on the seed: the essential causes and one of each
time-scale first (causes.py); the seed only shuffles their order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import ClassVar

from worksheetgen.document import Tier
from worksheetgen.kinds.causes import choose_causes, missing_essentials
from worksheetgen.kinds.common import shuffled
from worksheetgen.kinds.language import Discipline, Framing, KeyQuestion, framing, parse_question
from worksheetgen.kinds.registry import kind
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
PHYSICAL = Column("Ph", "Physical", "natural processes", Category.physical.value)
HUMAN = Column("H", "Human", "what people did", Category.human.value)
ENVIRONMENTAL = Column("En", "Environmental", "", Category.environmental.value)
# The types each subject always shows; any other type gets a column only when a cause uses it.
BASE_TYPES: dict[Discipline, tuple[Column, ...]] = {
    "history": TYPE_COLUMNS,
    "geography": (PHYSICAL, HUMAN),
    "other": (),
}
EXTRA_TYPES = (PHYSICAL, HUMAN, *TYPE_COLUMNS, IDEOLOGICAL, ENVIRONMENTAL)


@dataclass(frozen=True)
class GridRow:
    """One numbered row: a cause (`title` "" for a blank row) and its suggested ticks for the key."""

    number: int
    title: str
    time_marks: tuple[str, ...]  # per time column: MAIN or ""
    type_marks: tuple[str, ...]  # per type column: MAIN, ARGUABLE or ""
    evidence: str  # one piece of evidence (the support clue and the key's answer)
    arguable: tuple[str, ...]  # labels of the arguable extra types
    disputed: str = ""


@dataclass(frozen=True)
class MatrixCell:
    """The key's matrix cell: cause numbers placed there, arguable ones in brackets."""

    entries: tuple[str, ...]


@dataclass(frozen=True)
class CausationGrid:
    TEMPLATE_CALLS: ClassVar[tuple[str, ...]] = ("widths",)  # the one method its templates call (see sandbox.py)

    """Everything the causation-grid templates need for one tier."""

    question: KeyQuestion
    framing: Framing
    time_columns: tuple[Column, ...]
    type_columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]  # the pupil's rows, in printed order (blank rows last)
    given: tuple[GridRow, ...]  # the rows that hold a cause
    others: tuple[GridRow, ...]  # causes not printed (challenge key: causes pupils may add)
    matrix: tuple[tuple[MatrixCell, ...], ...]  # key: time-scale x type, over rows + others
    disputed: tuple[GridRow, ...]  # rows (printed or others) whose cause is disputed
    blank_rows: int
    tier: Tier
    evidence_column: bool
    example: str  # a cause of more than one type, for the key: "Kirov as a possible rival: personal and political"
    notes: tuple[str, ...] = ()

    def widths(self, body_size: float, key: bool = False, evidence: bool = True) -> str:
        """The checklist table's `widths` for the printed type size: tick columns grow with it.

        `evidence=False` leaves the evidence column out (large print writes it on a row below).
        """
        scale = body_size / BODY_SIZE[self.tier]
        return table_widths(self.tier, self.type_columns, key=key, evidence=evidence, scale=scale)


@kind("causation-grid")
def prepare(content: Content, tier: Tier, rng: random.Random) -> CausationGrid:
    """Choose and shuffle the causes for `tier`, and work out the suggested ticks."""
    frame = framing(content)
    in_order = choose_causes(content.causes, GIVEN[tier], frame.discipline, every_timescale=True)
    chosen = shuffled(in_order, rng)
    # Challenge pupils may add any cause of the topic, so its columns cover them all.
    type_columns = type_columns_for(content.causes if tier is Tier.challenge else chosen, frame.discipline)
    notes = [
        f"an essential cause did not fit: {t}" for t in missing_essentials(chosen, content.causes, frame.discipline)
    ]
    if len(chosen) < GIVEN[tier]:
        notes.append(f"only {counted(len(chosen), 'cause')} for the {tier.value} tier (aim: {GIVEN[tier]})")
    rows = [grid_row(n, cause, type_columns) for n, cause in enumerate(chosen, start=1)]
    blanks = BLANK_ROWS[tier]
    rows += [GridRow(len(chosen) + i, "", (), (), "", ()) for i in range(1, blanks + 1)]
    others: list[GridRow] = []
    if tier is Tier.challenge:
        rest = [c for c in content.causes if c not in chosen]
        others = [grid_row(len(rows) + n, cause, type_columns) for n, cause in enumerate(rest, start=1)]
    classified = [r for r in [*rows, *others] if r.title]
    return CausationGrid(
        question=parse_question(content),
        framing=frame,
        time_columns=TIME_COLUMNS,
        type_columns=type_columns,
        rows=tuple(rows),
        given=tuple(r for r in rows if r.title),
        others=tuple(others),
        matrix=build_matrix(classified, type_columns),
        disputed=tuple(r for r in classified if r.disputed),
        blank_rows=blanks,
        tier=tier,
        evidence_column=EVIDENCE_SHARE[tier] > 0,
        example=example_of_two_types(content.causes),
        notes=tuple(notes),
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


def type_columns_for(causes: list[Cause], discipline: Discipline = "history") -> tuple[Column, ...]:
    """The subject's usual types, plus any other type one of `causes` uses (even as `also`).

    Other subjects have no usual types: the grid shows the types their causes use."""
    used = {c.category.value for c in causes} | {a.value for c in causes for a in c.also}
    base = BASE_TYPES[discipline]
    columns = base + tuple(col for col in EXTRA_TYPES if col not in base and col.value in used)
    return columns or TYPE_COLUMNS  # a subject with no types of its own and no causes yet


def example_of_two_types(causes: list[Cause]) -> str:
    """A cause of more than one type, as the key's example: 'Kirov as a possible rival: personal and political'."""
    for cause in causes:
        also = [a.value for a in cause.also if a is not cause.category]
        if also:
            return f"{cause.title}: {' and '.join([cause.category.value, *also])}"
    return ""


def grid_row(number: int, cause: Cause, type_columns: tuple[Column, ...]) -> GridRow:
    """The suggested classification of one cause: its time-scale, its category, arguable extras."""
    time_marks = tuple(MAIN if col.value == cause.timescale.value else "" for col in TIME_COLUMNS)
    also = {a.value for a in cause.also if a is not cause.category}
    type_marks = tuple(
        MAIN if col.value == cause.category.value else ARGUABLE if col.value in also else "" for col in type_columns
    )
    arguable = tuple(col.label for col in type_columns if col.value in also)
    return GridRow(number, cause.title, time_marks, type_marks, cause.evidence[0], arguable, cause.disputed or "")


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
