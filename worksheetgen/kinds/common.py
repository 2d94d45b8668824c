"""Small helpers several kinds share: lettering, shuffling, choosing, and sorting dates."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Sequence
from typing import TypeVar

from worksheetgen.model import Event

T = TypeVar("T")

MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


def letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: labels for shuffled cards and definitions."""
    labels = []
    for i in range(count):
        label = ""
        i += 1
        while i:
            i, rem = divmod(i - 1, 26)
            label = string.ascii_uppercase[rem] + label
        labels.append(label)
    return labels


def shuffled(items: Sequence[T], rng: random.Random) -> list[T]:
    """A shuffled copy that is never in the original order (when it has two or more items)."""
    result = list(items)
    rng.shuffle(result)
    if len(result) > 1 and result == list(items):
        result = result[1:] + result[:1]
    return result


def pick(items: Sequence[T], count: int, rng: random.Random) -> list[T]:
    """Up to `count` items, chosen with `rng` but kept in their original order."""
    if count >= len(items):
        return list(items)
    chosen = sorted(rng.sample(range(len(items)), count))
    return [items[i] for i in chosen]


def event_sort_key(event: Event) -> tuple[int, int, int]:
    """(year, month, day) from `sort` if given, else the first date in `date` ('25-26 Sept 1936')."""
    if event.sort:
        parts = [int(p) for p in re.findall(r"\d+", event.sort)[:3]]
        return (parts + [0, 0, 0])[0], (parts + [0, 0, 0])[1], (parts + [0, 0, 0])[2]
    text = event.date.lower()
    year_match = re.search(r"\b(\d{4})\b", text)
    year = int(year_match.group(1)) if year_match else 0
    month = next((n for name, n in MONTHS.items() if re.search(rf"\b{name}", text)), 0)
    day_match = re.match(r"\s*(\d{1,2})\b", text)
    day = int(day_match.group(1)) if day_match and month else 0
    return year, month, day
