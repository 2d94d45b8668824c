"""Dates: a small grammar for the ways notes write them, each with the sort key a timeline needs.

It reads `2 September 1666`, `Sunday, 14 April 1912`, `the 25th of March, 1807`, `June 5, 1947`,
`the fourth of October, nineteen fifty-seven`, `June 1348`, `the summer of 1666`, `1536-1541`,
`between 26 May and 4 June 1940`, `the 1520s`, `the early 1800s` (a range, not one year), `the
19th century`, `55 BC`, and `27 March` or `July 20` (the year then comes from the notes before).
Quantities are not years (`1,500 people`, `2,224`, `1500 people`, `23:40`). dateparser 1.5's
`search_dates` was measured on eight corpus sentences and left aside: about 29 ms a sentence
against under 1 ms for this grammar, and it missed `Sunday 2 September 1666` and years in words,
read `23:40` and `1800s` as times, and gave `July 20` and `27 March` the year of its relative
base rather than the notes' (deterministic only with a fixed base).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = "January February March April May June July August September October November December".split()
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(MONTHS, 1)}
_MONTH_INDEX.update({m[:3].lower(): i for i, m in enumerate(MONTHS, 1)})
_MONTH_INDEX["sept"] = 9
HOLIDAYS = {"Christmas Day": (12, 25), "Christmas Eve": (12, 24), "New Year's Day": (1, 1), "Boxing Day": (12, 26)}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_ORDINAL_TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
)
_NUMBER = {w: i for i, w in enumerate(_UNITS, 1)} | {w: i for i, w in enumerate(_TEENS, 10)}
_NUMBER |= {w: 10 * i for i, w in enumerate(_TENS, 2)}
_ORDINAL = {w: i for i, w in enumerate(_ORDINAL_UNITS, 1)} | {w: i for i, w in enumerate(_ORDINAL_TEENS, 10)}
_ORDINAL |= {"twentieth": 20, "thirtieth": 30}
_CENTURY_ORDINAL = _ORDINAL | {f"twenty-{w}": 20 + i for w, i in _ORDINAL.items() if i < 10}

_MONTH = (
    r"(?=[JFMASOND])(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DAY_WORD = (
    r"(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth"
    r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
# Each building block starts with a look at its first character: Python's re otherwise tries every word of
# every alternation at every position of the sentence.
_DAY = r"(?=[\dfstenFSTEN])(?P<{g}>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,:.]\d)|" + _DAY_WORD + ")"
_YEAR_WORDS = (
    r"(?:(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?:\s+hundred(?:\s+and\s+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen))?"
    r"|\s+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven"
    r"|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:oh|o)[- ](?:one|two|three|four|five|six|seven|eight|nine)))"
    r"|two\s+thousand(?:\s+and\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five))?))?)"
)
_QUANTITY = (
    r"(?!\s*(?:%|per\s?cent|people|persons|men|women|children|soldiers|troops|workers|km|kilometres|miles|metres|m\b"
    r"|kg|tonnes|tons|times|feet|ft|mm|litres|cars|homes|houses|deaths|dead|killed|casualties|ships|acres|pounds"
    r"|dollars|marks|copies|votes|members|prisoners|lives|square|°|degrees|calories|hours|minutes|BC|BCE))"
)
_YEAR = (
    r"(?=[\defnstEFNST])(?P<{g}>(?<![\d,.£$€#:/\w-])(?:1\d{{3}}|20\d{{2}})(?![\d,:]\d|\.\d|\s*(?:BC|BCE|B\.C\.)\b)"
    + _QUANTITY
    + r"|"
    + _YEAR_WORDS
    + r")"
)
# After a month (`4 June 1940 troops`), a number is a year whatever follows it.
_YEAR_AFTER_MONTH = (
    r"(?=[\defnstEFNST])(?P<{g}>(?<![\d,.£$€#:/\w-])(?:1\d{{3}}|20\d{{2}})(?![\d,:]\d|\.\d|\s*(?:BC|BCE|B\.C\.)\b)|"
    + _YEAR_WORDS
    + r")"
)
_APPROX = r"(?:(?:about|around|c\.|circa|approximately|roughly)\s+)?"
_PART = r"(?P<part>early|late|mid|middle|the\s+(?:start|beginning|end|middle)\s+of)"
_EARLY_HOURS = r"(?:(?:the\s+)?(?:early|late)\s+(?:hours|morning|afternoon|evening)\s+of\s+)?"


def _group(block: str, name: str) -> str:
    """A building block with its group named (`{g}` -> `month2`)."""
    return block.replace("{g}", name).replace("{{", "{").replace("}}", "}")


M1, M2 = _group(_MONTH, "month"), _group(_MONTH, "month2")
D1, D2 = _group(_DAY, "day"), _group(_DAY, "day2")
Y1, Y2 = _group(_YEAR, "year"), _group(_YEAR, "year2")
YM = _group(_YEAR_AFTER_MONTH, "year")

# Most specific first: the first pattern to match a stretch of text wins it.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day-range",
        re.compile(
            rf"(?i:between|from)\s+(?:the\s+)?{D1}(?:\s+of)?\s+{M1}(?:,?\s+{_group(_YEAR, 'year0')})?"
            rf"\s+(?:and|to|until)\s+(?:the\s+)?{D2}(?:\s+of)?\s+{M2},?\s+{YM}"
        ),
    ),
    ("day-span", re.compile(rf"{D1}\s*[-–]\s*{D2}\s+{M1},?\s+{YM}")),
    ("day", re.compile(rf"{_EARLY_HOURS}{_WEEKDAY}(?:the\s+)?{D1}(?:\s+of)?\s+{M1},?\s+{YM}")),
    ("day", re.compile(rf"{_WEEKDAY}{M1}\s+(?:the\s+)?{D1},?\s+{YM}")),
    (
        "holiday",
        re.compile(rf"(?P<holiday>Christmas Day|Christmas Eve|New Year’s Day|New Year's Day|Boxing Day),?\s+{Y1}"),
    ),
    ("month", re.compile(rf"(?:(?P<part>early|late|mid)[- ]\s*)?{M1}(?:\s+of)?,?\s+{YM}")),
    (
        "season",
        re.compile(
            rf"(?:the\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)(?:\s+of)?\s+{Y1}"
            rf"(?:\s*[-–/]\s*(?P<year2>\d{{4}}|\d{{2}})\b)?"
        ),
    ),
    ("day-no-year", re.compile(rf"{_WEEKDAY}(?:the\s+)?{D1}(?:\s+of)?\s+{M1}(?![,\s]*(?:\d|{_YEAR_WORDS}))")),
    (
        "day-no-year",
        re.compile(rf"{_WEEKDAY}{M1}\s+(?:the\s+)?(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)\b(?![,\s]*\d)"),
    ),
    (
        "year-range",
        re.compile(rf"(?:between|from)\s+{_APPROX}{Y1}\s+(?:and|to|until)\s+{_APPROX}{Y2}", re.IGNORECASE),
    ),
    ("year-range", re.compile(rf"{Y1}\s*(?:[-–]|to)\s*(?P<year2>\d{{4}}|\d{{2}})\b(?!\s*(?:%|people|men))")),
    (
        "decade",
        re.compile(rf"(?:the\s+)?(?:{_PART}[- ]?\s*)?(?:the\s+)?(?P<decade>1\d{{2}}0|20\d0)[’']?s\b"),
    ),
    (
        "century",
        re.compile(
            rf"(?:the\s+)?(?:{_PART}[- ]?\s*)?(?:the\s+)?(?P<century>\d{{1,2}}(?:st|nd|rd|th)|"
            + "|".join(sorted(_CENTURY_ORDINAL, key=len, reverse=True))
            + r")[- ]century\b(?P<bc>\s+BC)?",
            re.IGNORECASE,
        ),
    ),
    ("bc", re.compile(r"\b(?P<year>\d{1,4})\s?(?:BC|BCE|B\.C\.)\b|\b(?:AD|A\.D\.)\s?(?P<ad>\d{1,4})\b")),
    (
        "year",  # `In 1928 women won ...`: after `in` a number is a year even before `women`
        re.compile(
            r"(?:(?<=\b[Ii]n\s)|(?<=\b[Bb]y\s)|(?<=\b[Ss]ince\s)|(?<=\b[Uu]ntil\s)|(?<=\b[Ff]rom\s))"
            r"(?P<year>1\d{3}|20\d{2})(?![\d,:]\d|\.\d|\s*(?:%|BC\b|per\s?cent))"
        ),
    ),
    ("year", re.compile(rf"(?:(?:the\s+year|c\.|circa)\s+)?{Y1}")),
    ("year", re.compile(r"(?<=\bin\s)(?P<year>[1-9]\d{2})\b(?![\d,.])" + _QUANTITY)),
    (
        "month-no-year",
        re.compile(
            rf"(?:(?<=\b(?i:in)\s)|(?<=\b(?i:by)\s)|(?<=\b(?i:during)\s)|(?<=\b(?i:until)\s)|(?<=\b(?i:since)\s)){M1}(?![,\s]*(?:\d|{_YEAR_WORDS}))"
        ),
    ),
]
# A first letter checked before each alternative: Python's re tries every alternative at every position otherwise.
_WORTH_LOOKING = re.compile(
    r"\d|(?=[JFMASONDjfmasondTtHhCc])(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|teen|hundred|thousand|century|[Tt]wenty"
    r"|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)"
)


@dataclass(frozen=True)
class When:
    """A date found in a sentence: where it is, what it says, and how to sort it."""

    start: int
    end: int
    text: str  # as written
    year: int | None  # None: a day or month whose year must come from the notes before
    month: int = 0
    day: int = 0
    last_year: int | None = None  # a range's end
    label: str = ""  # how a timeline card shows it: `2 September 1666`, `early 1800s`, `1536–1541`
    kind: str = "year"

    @property
    def sort(self) -> str:
        """`1666-09-02`, `1348-06`, `1666`: YYYY[-MM[-DD]] (empty for dates before the common era)."""
        if self.year is None or self.year <= 0:
            return ""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text

    @property
    def precision(self) -> int:
        """3 a day, 2 a month, 1 a year or season (sorted from its first month), 0 a range, decade or century."""
        if self.kind == "season":
            return 1
        if self.kind in ("decade", "century", "year-range", "day-range", "bc"):
            return 0
        return 3 if self.day else 2 if self.month else 1

    def with_year(self, year: int) -> When:
        """A day or month given its year from the notes before it."""
        label = f"{self.label} {year}"
        kind = "day" if self.day else "month"
        return When(self.start, self.end, self.text, year, self.month, self.day, None, label, kind)


_MONTHISH = re.compile(r"\b(?=[JFMASOND])(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_YEARISH = re.compile(r"\d|teen|hundred|thousand", re.IGNORECASE)
# What a sentence must hold for each kind of pattern to be worth trying (most sentences need only two or three).
_NEEDS = {
    "day-range": _MONTHISH,
    "day-span": _MONTHISH,
    "day": _MONTHISH,
    "holiday": re.compile(r"Christmas|New Year|Boxing Day"),
    "month": _MONTHISH,
    "day-no-year": _MONTHISH,
    "month-no-year": _MONTHISH,
    "season": re.compile(r"spring|summer|autumn|winter", re.IGNORECASE),
    "year-range": _YEARISH,
    "decade": re.compile(r"0[’']?s\b"),
    "century": re.compile(r"century", re.IGNORECASE),
    "bc": re.compile(r"BC|AD|B\.C\.|A\.D\."),
    "year": _YEARISH,
}


def find_dates(sentence: str) -> list[When]:
    """Every date in a sentence, in order, never two over the same words."""
    if not _WORTH_LOOKING.search(sentence):
        return []
    taken: list[tuple[int, int]] = []
    found: list[When] = []
    worth = {kind: bool(need.search(sentence)) for kind, need in _NEEDS.items()}
    for kind, pattern in PATTERNS:
        if not worth[kind]:
            continue
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken) or not match.group(0).strip():
                continue
            when = _read(kind, match)
            if when is not None:
                taken.append((start, end))
                found.append(when)
    return sorted(found, key=lambda w: w.start)


def _read(kind: str, match: re.Match[str]) -> When | None:
    """The date one pattern matched, or None if its numbers are not a real date."""
    groups = match.groupdict()
    start, end, text = match.start(), match.end(), match.group(0)
    if kind in ("day", "day-no-year", "day-span", "day-range"):
        day, month = _day(groups["day"]), _month(groups["month"])
        year = _year(groups.get("year"))
        if not (1 <= day <= 31) or not month or (kind != "day-no-year" and year is None):
            return None
        if kind == "day-no-year":
            return When(start, end, text, None, month, day, label=f"{day} {MONTHS[month - 1]}", kind=kind)
        if kind == "day-span":
            last = _day(groups["day2"])
            label = f"{day}–{last} {MONTHS[month - 1]} {year}"
            return When(start, end, text, year, month, day, label=label, kind="day")
        if kind == "day-range":
            month2, day2 = _month(groups["month2"]), _day(groups["day2"])
            first_year = _year(groups.get("year0")) or year
            label = f"{day} {MONTHS[month - 1]} – {day2} {MONTHS[month2 - 1]} {year}"
            return When(start, end, text, first_year, month, day, year, label, "day")
        return When(start, end, text, year, month, day, label=f"{day} {MONTHS[month - 1]} {year}", kind="day")
    if kind == "holiday":
        year = _year(groups["year"])
        month, day = HOLIDAYS[groups["holiday"].replace("’", "'")]
        return (
            When(start, end, text, year, month, day, label=f"{day} {MONTHS[month - 1]} {year}", kind="day")
            if year
            else None
        )
    if kind == "month":
        year, month = _year(groups["year"]), _month(groups["month"])
        part = f"{groups['part'].capitalize()} " if groups.get("part") else ""
        if year is None or not month:
            return None
        return When(start, end, text, year, month, label=f"{part}{MONTHS[month - 1]} {year}", kind="month")
    if kind == "month-no-year":
        month = _month(groups["month"])
        return When(start, end, text, None, month, label=MONTHS[month - 1], kind=kind) if month else None
    if kind == "season":
        year = _year(groups["year"])
        if year is None:
            return None
        season = groups["season"].lower()
        until = _second_year(year, groups.get("year2"))
        label = f"{season.capitalize()} {year}" + (f"–{until}" if until else "")
        return When(start, end, text, year, SEASONS[season], label=label, kind="season", last_year=until)
    if kind == "year-range":
        year = _year(groups["year"])
        until = _second_year(year, groups.get("year2")) if year else None
        if year is None or until is None or until <= year or until - year > 200:
            return None
        return When(start, end, text, year, last_year=until, label=f"{year}–{until}", kind=kind)
    if kind == "decade":
        return _decade(match)
    if kind == "century":
        return _century(match)
    if kind == "bc":
        if groups.get("ad"):
            year = int(groups["ad"])
            return When(start, end, text, year, label=f"AD {year}", kind="year")
        return When(start, end, text, -int(groups["year"]), label=f"{int(groups['year'])} BC", kind="bc")
    year = _year(groups.get("year"))
    return When(start, end, text, year, label=str(year), kind="year") if year else None


def _decade(match: re.Match[str]) -> When:
    """`the 1920s` (1920-1929), `the early 1800s` (the first years of 1800-1899: a century when it ends in 00)."""
    first = int(match.group("decade"))
    span = 100 if first % 100 == 0 else 10
    part = (match.group("part") or "").lower()
    low, high = _part_of(first, first + span - 1, part)
    label = f"{_part_word(part)}{first}s".strip()
    return When(match.start(), match.end(), match.group(0), low, last_year=high, label=label, kind="decade")


def _century(match: re.Match[str]) -> When:
    """`the 19th century` (1801-1900, sorted from 1800), `the early eleventh century`."""
    word = match.group("century").lower()
    number = int(re.match(r"\d+", word).group(0)) if word[0].isdigit() else _CENTURY_ORDINAL[word]  # type: ignore[union-attr]
    part = (match.group("part") or "").lower()
    if match.group("bc"):
        return When(match.start(), match.end(), match.group(0), -(number * 100), label=match.group(0), kind="bc")
    low, high = _part_of((number - 1) * 100, number * 100 - 1, part)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    label = f"{_part_word(part)}{number}{suffix} century".strip()
    return When(match.start(), match.end(), match.group(0), low, last_year=high, label=label, kind="century")


def _part_of(low: int, high: int, part: str) -> tuple[int, int]:
    """The early, middle or late third of a span of years."""
    third = (high - low + 1) // 3
    if part.startswith("early") or "start" in part or "beginning" in part:
        return low, low + third - 1
    if part.startswith("late") or "end" in part:
        return high - third + 1, high
    if part.startswith("mid") or "middle" in part:
        return low + third, high - third
    return low, high


def _part_word(part: str) -> str:
    if not part:
        return ""
    if part.startswith("mid") or "middle" in part:
        return "mid-"
    if "start" in part or "beginning" in part or part.startswith("early"):
        return "early "
    return "late "


def _day(text: str | None) -> int:
    if not text:
        return 0
    text = text.lower().replace(" ", "-")
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group(0))
    if "-" in text:
        tens, unit = text.split("-", 1)
        return {"twenty": 20, "thirty": 30}.get(tens, 0) + _ORDINAL.get(unit, 0)
    return _ORDINAL.get(text, 0)


def _month(text: str | None) -> int:
    return _MONTH_INDEX.get((text or "").lower().rstrip("."), 0)


def _year(text: str | None) -> int | None:
    """`1666`, or a year in words: `nineteen fifty-seven`, `eighteen hundred and five`, `two thousand and four`."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text.lower())
    if words[:2] == ["two", "thousand"]:
        return 2000 + _number(words[2:])
    century = _NUMBER.get(words[0])
    if century is None:
        return None
    rest = words[1:]
    if rest[:1] == ["hundred"]:
        return century * 100 + _number(rest[1:])
    if rest[:1] in (["oh"], ["o"]):
        return century * 100 + _number(rest[1:])
    return century * 100 + _number(rest)


def _number(words: list[str]) -> int:
    """`and fifty seven` -> 57."""
    return sum(_NUMBER.get(w, 0) for w in words if w != "and")


def _second_year(first: int, text: str | None) -> int | None:
    """The end of `1946-47` or `1536-1541`."""
    if not text:
        return None
    value = int(text)
    return first // 100 * 100 + value if value < 100 else value


# ------------------------------------------------------------------------------------------
# Dates in context: a day or month without a year takes the year the notes last gave
# ------------------------------------------------------------------------------------------


class Calendar:
    """The year the notes are talking about, as they are read in order."""

    def __init__(self, year: int | None = None) -> None:
        self.year = year

    def read(self, sentence: str) -> list[When]:
        """The sentence's dates, each given a year; the last full year becomes the context."""
        result: list[When] = []
        for when in find_dates(sentence):
            if when.year is None:
                if self.year is None:
                    continue
                when = when.with_year(self.year)
            elif when.kind in ("day", "month", "season", "year") and when.year > 0:
                self.year = when.year
            result.append(when)
        return result


def year_in(text: str) -> int | None:
    """The first year a title or heading names (`Mount St Helens, 1980`), for the context of what follows."""
    for when in find_dates(text):
        if when.year and when.year > 0 and when.kind != "decade":
            return when.year
    return None
