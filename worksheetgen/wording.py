"""Wording shared by sheets and messages: a count with its noun in the right number ("1 gap",
"5 gaps"), a date's day kept on the line of its month ("1 December 1934" never breaks after "1"),
and a list that stays short however long it gets ("a, b, c and 331 more")."""

from __future__ import annotations

import re
from collections.abc import Sequence

NBSP = "\u00a0"
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
# A day (1-31, optionally 1st/2nd/...) then a month name: "1 December", "25 Sept", "4 Feb".
# The day must stand alone, so "1,548,367 May" and "00447" never match, nor the end of a range
# ("19–24 Aug" is wider than a key's date column in large print, and may wrap after its dash's
# day); the month must be capitalised and whole, so "may" the verb and "Marshal" never do.
_DAY_MONTH = re.compile(rf"(?<![\w,.–-])(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?[ \t]+(?:{_MONTHS})\.?(?!\w)")


def counted(count: int, noun: str, plural: str = "") -> str:
    """`counted(1, "gap")` is "1 gap", `counted(0, "gap")` "0 gaps"; give `plural` when it is not noun + s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def keep_dates_together(text: str) -> str:
    """Join a day and its month with a no-break space, so a printed line never ends between
    them ("1 December 1934" never breaks after "1", in the PDF or in Word). The one rule for
    every piece of text a sheet prints; anything else is left exactly as it was.

    The year may still go to the next line: "30 July 1937" as one unit is wider than a key's
    date column in large print, and a renderer then breaks it mid-number ("193/7")."""
    if not any(char.isdigit() for char in text):
        return text
    return _DAY_MONTH.sub(_joined, text)


_ENDS_WITH_DAY = re.compile(r"(?<![\w,.–-])(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$")
_STARTS_WITH_MONTH = re.compile(rf"[ \t]+(?=(?:{_MONTHS})\.?(?!\w))")


def keep_dates_together_in(texts: list[str]) -> list[str]:
    """`keep_dates_together` for pieces printed one after another (a bold answer "23", then
    " February 1917"): a date split between two pieces is joined too."""
    out = [keep_dates_together(text) for text in texts]
    for i in range(1, len(out)):
        space = _STARTS_WITH_MONTH.match(out[i])
        if space and _ENDS_WITH_DAY.search(out[i - 1]):
            out[i] = NBSP + out[i][space.end() :]
    return out


def _joined(match: re.Match[str]) -> str:
    return NBSP.join(re.split(r"[ \t]+", match.group(0)))


def few(items: Sequence[str], most: int = 5, then: str = "") -> str:
    """`a, b, c` as they are when there are at most `most`; else the first `most - 2` and how many more
    (`a, b, c and 331 more`, then `then`): a 10,000-pupil batch's last line was 20 KB of file names."""
    if len(items) <= most:
        return ", ".join(items)
    shown = max(1, most - 2)
    return f"{', '.join(items[:shown])} and {len(items) - shown:,} more{then}"
