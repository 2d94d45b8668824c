"""Events: each date the notes give to something that happened, with a card title written from its own clause.

A sentence with two dates usually tells two events (`became king on 21 April 1509, and in June
1509 he married ...`): it is cut into clauses and each date goes with its own. In a clause, the
date that says when (`in 1764`, `on 15 September 1830`) wins over a date that names a thing
(`the levels of 1346`); two things each with their own date (`The Ordinance of 1349 and the
Statute of 1351 tried to ...`) are two events. The title leaves the dates out (the card shows the
date on its own, and a tier that hides dates has nothing to hide), and a `he` or `she` at its
start becomes the person the notes last named.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from worksheetgen.importer.dates import When, find_dates
from worksheetgen.importer.people import NOT_NAMES

EVENT_WORDS = 14
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?:and|but|while|whereas)\s+|\s+and\s+(?=(?:then\s+)?(?:in|on|by|at)\s)|\s+and\s+(?=[a-z]+ed\s+(?:in|on)\s)"
)
_WHEN_WORDS = re.compile(
    r"(?:\b(?:in|on|by|during|from|since|until|at|around|about|c\.|after|before|between)\s+)$", re.IGNORECASE
)
_GLUE = re.compile(
    r"(?:\b(?:in|on|by|during|from|since|until|at|around|about|circa|c\.|of|the|year|early\s+hours\s+of"
    r"|(?:start|end|beginning|middle)\s+of)\s+)+$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:\w+\s+){1,3}(?:later|earlier|afterwards|after|before)\b[,\s]*|at length\b[,\s]*|meanwhile\b[,\s]*"
    r"|later\s+that\s+\w+\b[,\s]*|that\s+(?:day|month|year)\b[,\s]*|however\b[,\s]*|then\b[,\s]*"
    r"|finally\b[,\s]*|in the end\b[,\s]*|and\s+|but\s+|so\s+|after\s+\w+\s+\w+\s+of\s+\w+,\s*)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_TIME = re.compile(r"\b(?:[Aa]t\s+)?(?:around\s+|about\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:a\.m\.|p\.m\.|am|pm)\b\.?)?\s*")
_ASIDES = [
    re.compile(r",\s*(?:that is to say|that is|i\.e\.)\s*,?[^,]*,"),
    re.compile(r",\s*(?:who|whose|which)\b[^,]*,"),
    re.compile(r",\s*(?:led|founded|built|designed|owned|run|known|called|member|members)\s+(?:by|as|for|of)\b[^,]*,"),
    re.compile(r"(?<=[a-z]),\s*(?:member|head|leader|chairman)\s+(?:of|for)\b[^,]*,"),
]
_LEADING_PHRASE = re.compile(
    r"^(?:after|before|during|following|despite|with|in|at|for)\b[^,]{3,60},\s*", re.IGNORECASE
)
_CLEFT = re.compile(r"^It\s+was\s+(?:in|on|at|during)?\s*[,\s]*that\s+", re.IGNORECASE)
_STOP_TAIL = frozenset("a an the and or of in on at to for from by with as that which who".split())


@dataclass(frozen=True)
class Happening:
    """One event: its date, the card title, the sentence it came from, and how much the notes make of it."""

    when: When
    title: str
    detail: str
    line: int


@dataclass(frozen=True)
class Dated:
    """An event before its card title is written (titles are written only for the events kept)."""

    when: When
    words: str  # its clause
    subject: str | None
    carried: bool
    sentence: str
    line: int

    def happening(self) -> Happening | None:
        """The event with its card title, or None if the clause leaves nothing to say."""
        title = card_title(self.words, self.when.text, self.subject, self.carried)
        return Happening(self.when, title, self.sentence.strip(), self.line) if title else None


def events_of(sentence: str, dates: list[When], line: int, person: str | None) -> list[Dated]:
    """The events a sentence tells, one for each clause that has a date of its own."""
    if not dates:
        return []
    clauses = _with_undated_joined(sentence, _clauses(sentence), dates)
    subject = _subject(clauses[0][1]) or person
    found: list[Dated] = []
    for index, (start, clause) in enumerate(clauses):
        inside = [w for w in dates if start <= w.start < start + len(clause)]
        if not inside:
            continue
        local = [_moved(w, -start) for w in inside]
        for when, words in _dated_parts(clause, local):
            found.append(Dated(when, words, subject, index > 0, sentence, line))
    return found


def keep_key_events(dated: list[Dated], limit: int, mentions: dict[str, int]) -> list[Dated]:
    """At most `limit` events: the most precise, and those about what the notes mention most, in the notes' order.

    Exact days are never dropped for being in the same year as another event; the events dropped
    are the vaguest ones about things the notes mention least.
    """
    if len(dated) <= limit:
        return dated

    def weight(item: tuple[int, Dated]) -> tuple[float, int]:
        index, event = item
        words = set(re.findall(r"\b[A-Z][a-z]{2,}\b", event.words))
        dwell = max((mentions.get(w, 0) for w in words), default=0)
        return event.when.precision + math.log2(1 + dwell), -index

    kept = sorted(enumerate(dated), key=weight, reverse=True)[:limit]
    return [event for _, event in sorted(kept, key=lambda item: item[0])]


def _with_undated_joined(sentence: str, clauses: list[tuple[int, str]], dates: list[When]) -> list[tuple[int, str]]:
    """A clause with no date of its own stays with the one before (`On 5 September the wind dropped, and ...`)."""
    joined: list[tuple[int, str]] = []
    for start, clause in clauses:
        dated = any(start <= w.start < start + len(clause) for w in dates)
        if joined and not dated:
            first = joined[-1][0]
            joined[-1] = (first, sentence[first : start + len(clause)])
        else:
            joined.append((start, clause))
    return joined


def _moved(when: When, by: int) -> When:
    return When(
        when.start + by,
        when.end + by,
        when.text,
        when.year,
        when.month,
        when.day,
        when.last_year,
        when.label,
        when.kind,
    )


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """(offset, clause) pieces of a sentence, cut where a new clause (`and`, `;`, `but`) begins; never in quotes."""
    masked = _QUOTED.sub(lambda m: "x" * len(m.group(0)), sentence)
    pieces: list[tuple[int, str]] = []
    begin = 0
    for match in _CLAUSE_BREAK.finditer(masked):
        pieces.append((begin, sentence[begin : match.start()]))
        begin = match.end()
    pieces.append((begin, sentence[begin:]))
    return [(s, c) for s, c in pieces if c.strip()]


def _dated_parts(clause: str, dates: list[When]) -> list[tuple[When, str]]:
    """The clause's own date and its words; two subjects with a date each (`A of 1349 and B of 1351 did`) both."""
    adverbial = [
        w for w in dates if _WHEN_WORDS.search(clause[: w.start]) and not clause[: w.start].rstrip().endswith(" of")
    ]
    verb = _verb_at(clause)
    subject_dates = [
        w for w in dates if verb is not None and w.end <= verb and re.search(r"\bof\s+$", clause[: w.start])
    ]
    if len(subject_dates) >= 2 and not adverbial and verb is not None:
        parts = re.split(r"\s+and\s+", clause[:verb].strip())
        if len(parts) == len(subject_dates):
            predicate = clause[verb:]
            return [(w, f"{part} {predicate}") for w, part in zip(subject_dates, parts, strict=True)]
    chosen = (
        adverbial[0] if adverbial else (subject_dates[0] if subject_dates else max(dates, key=lambda w: w.precision))
    )
    return [(chosen, clause)]


def _verb_at(clause: str) -> int | None:
    """Where the predicate starts: the first lower-case word after the subject's dates that is not a small word."""
    for match in re.finditer(r"(?<=\d)\s+([a-z]+)\b", clause):
        if match.group(1) not in ("and", "of", "the", "a", "an", "in", "to"):
            return match.start(1)
    return None


def card_title(clause: str, date_text: str, subject: str | None, carried: bool = False) -> str:
    """The clause without its date (and other `in`/`on` dates), asides or connectives, at most EVENT_WORDS words.

    `carried`: a later clause of the sentence, whose subject may be the sentence's (`... and resigned in 1955`).
    """
    text = _without_asides(clause.strip().rstrip("."), date_text)
    for when in sorted(find_dates(text), key=lambda w: -w.start):
        before = text[: when.start]
        if _part_of_name(text, when) or (_is_subject(before, when) and re.match(r"\s+[a-z]", text[when.end :])):
            continue
        if when.text != date_text and not _WHEN_WORDS.search(before):
            continue  # `the levels of 1346`: a date that describes a thing stays with it
        text = _GLUE.sub("", before) + text[when.end :]
    text = _TIME.sub("", text)
    text = re.sub(r"\s+([,;:.])", r"\1", " ".join(text.split()))
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"([:;])\s*,\s*", r"\1 ", text)
    text = re.sub(r"^[\s,;:–—-]+|[\s,;:–—-]+$", "", text)
    text = _CLEFT.sub("", text)
    text = _LEADING.sub("", text).strip(" ,")
    text = _LEADING_PHRASE.sub("", text) if len(_LEADING_PHRASE.sub("", text).split()) >= 4 else text
    text = re.sub(r"^(?:[Hh]e|[Ss]he)\b", lambda m: subject or m.group(0), text, count=1)
    if (
        carried
        and subject
        and re.match(
            r"^(?:[a-z]+ed|became|began|won|lost|made|led|fled|went|saw|took|gave|wrote|died|returned|resigned)\b", text
        )
    ):
        text = f"{subject} {text}"
    text = text.strip(" ,;:").rstrip(".")
    lead = re.match(r"^[^,]{3,80},\s+(?=[A-Z])", text)
    if lead and len(text.split()) > EVENT_WORDS and len(text[lead.end() :].split()) >= 4:
        text = text[lead.end() :]  # `The largest liner of its day, Titanic had ...`: the clause, not the description
    if len(text.split()) < 2:
        return ""
    return shorten(text[:1].upper() + text[1:], EVENT_WORDS)


def _without_asides(text: str, date_text: str) -> str:
    """`X, that is to say Y, began` -> `X began`; `Y, who ... ,` and `, led by ...,` go unless they hold the date."""
    at = text.find(date_text) if date_text else -1
    span = (at, at + len(date_text)) if at >= 0 else (-1, -1)
    for pattern in _ASIDES:
        kept = []
        last = 0
        for match in pattern.finditer(text):
            if match.start() < span[1] and span[0] < match.end():
                continue
            kept.append(text[last : match.start()] + " ")
            last = match.end()
        text = "".join(kept) + text[last:]
        at = text.find(date_text) if date_text else -1
        span = (at, at + len(date_text)) if at >= 0 else (-1, -1)
    return text


def _is_subject(before: str, when: When) -> bool:
    """A date with nothing before it but `The` is what the clause is about (`The summer of 1666 had been hot`)."""
    if re.match(r"(?i)(?:between|from|in|on|by|during|at|after|before)\b", when.text):
        return False
    return bool(re.fullmatch(r"\s*(?:[Tt]he\s*)?", before))


def _part_of_name(text: str, when: When) -> bool:
    """`Education Act 1944` keeps its year (the name needs it)."""
    return bool(re.search(r"\b(?:Act|Acts|Plan|Convention)\s+$", text[: when.start]))


def _subject(clause: str) -> str | None:
    """A name that starts the first clause (`Henry VIII became ...`), for a `he` later in the sentence."""
    match = re.match(
        r"^((?:(?:Sir|King|Queen|Mr\.?|Mrs\.?)\s+)?[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'.-]*|of|de|von))*)\s+[a-z]",
        clause.strip(),
    )
    if not match:
        return None
    words = match.group(1).split()
    if len(words) > 4 or words[0] in NOT_NAMES or words[0] in ("He", "She", "It", "They", "This", "That", "A", "An"):
        return None
    return match.group(1)


def shorten(text: str, limit: int) -> str:
    """At most `limit` words: cut at a clause break if there is one, else add an ellipsis."""
    words = text.split()
    if len(words) <= limit + 3:
        return text
    head = " ".join(words[:limit])
    clause = max((head.rfind(mark) for mark in (", ", "; ", ": ", " - ", " – ", " — ")), default=-1)
    if (
        clause > 0
        and len(head[:clause].split()) >= 4
        and not _open_quote(head[:clause])
        and head[:clause].count("(") == head[:clause].count(")")
    ):
        return head[:clause].strip()
    kept = words[:limit]
    while len(kept) > 4 and kept[-1].lower().strip(",;:") in _STOP_TAIL:
        kept.pop()
    cut = " ".join(kept).rstrip(",;:–—-") + "…"
    return cut + _open_quote(cut)


def _open_quote(text: str) -> str:
    """The closing mark a cut-off quotation needs (`”`), or '' if every quotation is closed."""
    if text.count("“") > text.count("”"):
        return "”"
    if text.count('"') % 2:
        return '"'
    return ""
