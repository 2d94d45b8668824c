"""Wording shared by messages: a count with its noun in the right number ("1 gap", "5 gaps")."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """`counted(1, "gap")` is "1 gap", `counted(0, "gap")` "0 gaps"; give `plural` when it is not noun + s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
