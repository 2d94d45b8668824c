"""Score an imported draft against the hand-written outline of its notes (tests/data/corpus/expected/).

Each outline was written from the notes alone, before the importer was tuned: the title, the
events the notes date (with the date a teacher would put on a timeline card), the terms the
notes define, the people, and the quotations with their speakers. Used by
tests/test_import_corpus.py (which asserts the targets of issue 13) and bench/bench_import.py.

- events found: expected events with an imported event of the same date (`sort`, to the day
  the notes give) whose title or detail holds the outline's words;
- terms found: expected terms in the glossary with a written definition holding its words;
- wrong: proposed events, glossary terms, people, quotes and sources that match nothing the
  outline accepts (a wrong date, a common word as a term, a place as a person, a wrong speaker).
  An outline's `other_terms` are words the notes use that a teacher could fairly want defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from worksheetgen.kinds.common import event_sort_key
from worksheetgen.model import Content, Event

CORPUS = Path(__file__).parent / "data" / "corpus"
EXPECTED = CORPUS / "expected"
TITLES = {"sir", "mr", "mr.", "mrs", "dr", "king", "queen", "president", "captain", "pope", "emperor", "kaiser", "lord"}


def corpus_files() -> list[Path]:
    """Every notes file that has an outline."""
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and (EXPECTED / f"{p.stem}.yaml").exists())


def outline(notes: Path) -> dict[str, Any]:
    """The hand-written outline of one notes file."""
    data: dict[str, Any] = yaml.safe_load((EXPECTED / f"{notes.stem}.yaml").read_text(encoding="utf-8"))
    return data


@dataclass
class Score:
    """Counts for one file (or, added up, the corpus) and what was missed or wrong, for the report."""

    events: int = 0
    events_found: int = 0
    terms: int = 0
    terms_found: int = 0
    proposed: int = 0
    wrong: int = 0
    title_right: int = 0
    files: int = 0
    missed: list[str] = field(default_factory=list)
    wrong_items: list[str] = field(default_factory=list)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.events + other.events,
            self.events_found + other.events_found,
            self.terms + other.terms,
            self.terms_found + other.terms_found,
            self.proposed + other.proposed,
            self.wrong + other.wrong,
            self.title_right + other.title_right,
            self.files + other.files,
            self.missed + other.missed,
            self.wrong_items + other.wrong_items,
        )

    def shares(self) -> tuple[float, float, float]:
        """(events found, terms found, proposed items wrong), each a fraction."""
        return (
            self.events_found / max(self.events, 1),
            self.terms_found / max(self.terms, 1),
            self.wrong / max(self.proposed, 1),
        )


def sort_key(text: str) -> tuple[int, int, int]:
    """`1666-09-02` -> (1666, 9, 2); `1666` -> (1666, 0, 0)."""
    parts = [int(p) for p in text.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2]


def _has_words(text: str, words: list[str]) -> bool:
    low = _plain(text)
    return all(_plain(w) in low for w in words)


def _plain(text: str) -> str:
    """Lower case, curly apostrophes straight, spaces single: what matching compares."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").lower())


def _event_matches(event: Event, expected: dict[str, Any]) -> bool:
    text = f"{event.title} {event.detail or ''} {event.date}"
    got, want = event_sort_key(event), sort_key(str(expected["sort"]))
    if re.match(r"(?:spring|summer|autumn|winter)\b", event.date, re.IGNORECASE) and not want[1]:
        got = (got[0], 0, 0)  # a season is as precise as its year; it sorts from its first month
    return got == want and _has_words(text, expected["words"])


def _same_term(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        t = _plain(t).strip()
        return re.sub(r"(?:es|s)$", "", t) if len(t) > 4 else t

    return norm(a) == norm(b)


def _person_matches(name: str, expected: str) -> bool:
    def words(n: str) -> list[str]:
        return [w for w in re.findall(r"[\w.'’]+", _plain(n)) if w not in TITLES]

    got, want = words(name), words(expected)
    if not got or not want:
        return False
    return got[-1] == want[-1] or " ".join(want) in " ".join(got) or " ".join(got) in " ".join(want)


def score(content: Content, expected: dict[str, Any], name: str) -> Score:
    """How the draft `content` of notes `name` compares with its outline."""
    result = Score(files=1)
    result.title_right = int(_plain(content.title) == _plain(str(expected["title"])))
    _score_events(content, expected, name, result)
    _score_terms(content, expected, name, result)
    _score_people(content, expected, name, result)
    _score_quotes(content, expected, name, result)
    return result


def _score_events(content: Content, expected: dict[str, Any], name: str, result: Score) -> None:
    wanted = expected.get("events") or []
    allowed = wanted + (expected.get("optional_events") or [])
    result.events += len(wanted)
    for item in wanted:
        if any(_event_matches(e, item) for e in content.events):
            result.events_found += 1
        else:
            result.missed.append(f"{name}: event {item['sort']} {item['words']}")
    for event in content.events:
        result.proposed += 1
        if not any(_event_matches(event, item) for item in allowed):
            result.wrong += 1
            result.wrong_items.append(f"{name}: event {event.date!r}: {event.title!r}")


def _score_terms(content: Content, expected: dict[str, Any], name: str, result: Score) -> None:
    wanted = expected.get("terms") or []
    others = expected.get("other_terms") or []
    result.terms += len(wanted)
    for item in wanted:
        found = [t for t in content.glossary if any(_same_term(f, item["term"]) for f in (t.term, *t.alternatives))]
        if any(not t.definition.startswith("TODO") and _has_words(t.definition, item["words"]) for t in found):
            result.terms_found += 1
        else:
            result.missed.append(f"{name}: term {item['term']!r}")
    for term in content.glossary:
        result.proposed += 1
        forms = (term.term, *term.alternatives)
        match = next((i for i in wanted if any(_same_term(f, i["term"]) for f in forms)), None)
        defined = not term.definition.startswith("TODO")
        if match is not None:
            right = not defined or _has_words(term.definition, match["words"])
        else:  # a term the notes use: right whether or not a definition was found (those were read by eye)
            right = any(_same_term(f, o) for f in forms for o in others)
        if not right:
            result.wrong += 1
            result.wrong_items.append(f"{name}: term {term.term!r}: {term.definition[:60]!r}")


def _score_people(content: Content, expected: dict[str, Any], name: str, result: Score) -> None:
    wanted = [str(p) for p in expected.get("people") or []]
    for person in content.people:
        result.proposed += 1
        if not any(_person_matches(person.name, p) for p in wanted):
            result.wrong += 1
            result.wrong_items.append(f"{name}: person {person.name!r}")


def _score_quotes(content: Content, expected: dict[str, Any], name: str, result: Score) -> None:
    allowed = [
        *(expected.get("sources") or []),
        *(expected.get("optional_sources") or []),
        *(expected.get("quotes") or []),
    ]
    said = [(q.speaker, q.text) for q in content.quotes] + [(_speaker_of(s.origin), s.text) for s in content.sources]
    for speaker, text in said:
        result.proposed += 1
        if not any(_person_matches(speaker, i["speaker"]) and _has_words(text, i["words"]) for i in allowed):
            result.wrong += 1
            result.wrong_items.append(f"{name}: quote by {speaker!r}: {text[:50]!r}")


def _speaker_of(origin: str) -> str:
    """`Samuel Pepys, in his diary, 2 September 1666` -> `Samuel Pepys` (the origin starts with the speaker)."""
    return re.split(r",|\s+(?:in|on|at|to)\s", origin, maxsplit=1)[0].strip()


def sources_found(content: Content, expected: dict[str, Any]) -> tuple[int, int]:
    """(expected sources written as `sources:` with the right speaker, expected sources)."""
    wanted = expected.get("sources") or []
    found = sum(
        any(
            _person_matches(_speaker_of(s.origin), i["speaker"]) and _has_words(s.text, i["words"])
            for s in content.sources
        )
        for i in wanted
    )
    return found, len(wanted)
