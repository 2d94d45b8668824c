"""Sheet kinds: a template, and for some kinds a module that prepares its data.

A kind is a template `<kind>.j2` (and `<kind>.key.j2` for its answer key). A kind that needs
Python has a module here whose `prepare(content, tier, rng)` result reaches the template as
`sheet`, listed in `PREPARERS`; any other kind's `sheet` is None. So a kind that only
recombines existing blocks is one template file and no Python.

`PREPARERS` is written out rather than found by module name, so mypy checks that every
`prepare` takes the same arguments and returns a `Prepared`, and a helper module (`common`,
`language`, `causes`) can never be mistaken for a kind.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Protocol

from worksheetgen.document import Tier
from worksheetgen.kinds import (
    causation_grid,
    diamond_nine,
    essay_planner,
    gap_fill,
    key_terms,
    ranking_ladder,
    source_analysis,
    timeline,
)
from worksheetgen.model import Content


class Prepared(Protocol):
    """What a kind's `prepare` gives its template: any data, plus notes for the teacher
    (`only 5 causes for the core tier`), which the build prints as warnings."""

    @property
    def notes(self) -> tuple[str, ...]: ...


Preparer = Callable[[Content, Tier, random.Random], Prepared]

PREPARERS: Mapping[str, Preparer] = {
    "causation-grid": causation_grid.prepare,
    "diamond-nine": diamond_nine.prepare,
    "essay-planner": essay_planner.prepare,
    "gap-fill": gap_fill.prepare,
    "key-terms": key_terms.prepare,
    "ranking-ladder": ranking_ladder.prepare,
    "source-analysis": source_analysis.prepare,
    "timeline": timeline.prepare,
}
