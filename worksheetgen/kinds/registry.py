"""Where kind modules register their `prepare`: `@kind("gap-fill")` above the function.

The decorator is typed, so mypy checks every `prepare` takes `(content, tier, rng)` and returns
a `Prepared`; a helper module (`common`, `language`, `causes`) registers nothing, so it can
never be mistaken for a kind.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol, TypeVar

from worksheetgen.document import Tier
from worksheetgen.model import Content


class Prepared(Protocol):
    """What a kind's `prepare` gives its template: any data, plus notes for the teacher
    (`only 5 causes for the core tier`), which the build prints as warnings."""

    @property
    def notes(self) -> tuple[str, ...]: ...


Preparer = Callable[[Content, Tier, random.Random], Prepared]
P = TypeVar("P", bound=Prepared)
PrepareP = Callable[[Content, Tier, random.Random], P]  # a preparer, keeping its own result type

REGISTERED: dict[str, Preparer] = {}


def kind(
    name: str,
) -> Callable[[Callable[[Content, Tier, random.Random], P]], Callable[[Content, Tier, random.Random], P]]:
    """Register the decorated function as the `prepare` of the kind `name` (its template's name)."""

    def register(prepare: PrepareP[P]) -> PrepareP[P]:
        if name in REGISTERED:
            raise RuntimeError(f"two modules prepare the kind {name!r}")
        REGISTERED[name] = prepare
        return prepare

    return register
