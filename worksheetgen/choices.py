"""The two choices every command takes, tier and print profile, in a module of their own.

`worksheetgen --help` lists them, so they are kept apart from the Document and layout
modules (which `document.py` and `layout.py` re-export them from): the help need not load those.
"""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    """Differentiation tiers, from most scaffolded to most open."""

    support = "support"
    core = "core"
    challenge = "challenge"

    @property
    def marker(self) -> str:
        """A neutral shape, never a word like 'easy'."""
        return {"support": "●", "core": "◆", "challenge": "▲"}[self.value]


class Profile(StrEnum):
    """Who the sheet is printed for."""

    standard = "standard"
    dyslexia = "dyslexia"
    large_print = "large-print"
