"""The import report: what to finish in the draft, most useful first, each with its line in the YAML.

Each item says what it unlocks ("define 3 more terms to build key-terms"), and the list is
ordered by how many sheet kinds it unlocks, so ten minutes of work go where they count most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from worksheetgen.gate import NEEDS, needs_at_least
from worksheetgen.wording import counted

if TYPE_CHECKING:
    from worksheetgen.importer.writing import Draft

# What each sheet kind uses from the content at its fullest tier, as the kinds are written now: more
# than the least it is built from (gate.NEEDS, what `validate` and `build` check), which the list
# of what to finish names first, in the same words.
TERMS_NEEDED = {"support": 6, "core": 12, "challenge": 8}  # core: 10 terms and 2 distractor definitions
EVENTS_NEEDED = {"support": 7, "core": 10, "challenge": 12}
CAUSES_NEEDED = {"diamond-nine": 9, "causation-grid": 9, "ranking-ladder": 7, "essay-planner": 3}
SOURCES_NEEDED = 2  # the challenge tier compares two
ALL_KINDS = 8
CAUSE_KINDS = ("diamond-nine", "causation-grid", "ranking-ladder")  # built from as many causes (gate.NEEDS)


@dataclass(frozen=True)
class Fix:
    """One thing to finish: what to do, the YAML line it is on, and how many sheet kinds it helps."""

    text: str
    line: int
    unlocks: int

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


def checklist(draft: Draft, yaml_text: str, lines: dict[str, int]) -> list[Fix]:
    """The fixes the draft needs, most sheet kinds unlocked first."""
    fixes: list[Fix] = []
    todo_lines = [n for n, text in enumerate(yaml_text.splitlines(), start=1) if '"TODO:' in text]

    def first_todo(name: str) -> int:
        start = lines.get(name, 0)
        ends = [v for k, v in lines.items() if "." not in k and v > start]
        end = min(ends, default=10**9)
        return next((n for n in todo_lines if start <= n < end), start)

    if draft.title.startswith("TODO:"):
        fixes.append(Fix("write the title: every sheet shows it", lines["title"], ALL_KINDS))
    if draft.key_question.startswith("TODO:"):
        fixes.append(Fix("write the key question: every sheet asks it", lines["key_question"], ALL_KINDS))
    elif draft.key_question_how and draft.key_question_how != "the notes' own question":
        fixes.append(
            Fix(
                f"check the suggested key question ({draft.key_question_how}): every sheet asks it",
                lines["key_question"],
                ALL_KINDS,
            )
        )
    fixes.extend(_causes(draft, lines))
    fixes.extend(_terms(draft, lines, first_todo))
    fixes.extend(_events(draft, lines))
    fixes.extend(_sources(draft, lines, first_todo))
    people = draft.lists.get("people") or []
    todo_roles = sum(1 for e in people if str(e.fields.get("role", "")).startswith("TODO:"))
    if todo_roles:
        fixes.append(
            Fix(
                f"say who {_n(todo_roles, 'person was', 'people were')}: keys and glosses name them",
                first_todo("people"),
                1,
            )
        )
    return sorted(fixes, key=lambda f: -f.unlocks)


def _causes(draft: Draft, lines: dict[str, int]) -> list[Fix]:
    causes = draft.lists.get("causes") or []
    have = len(causes)
    short = {kind: need for kind, need in CAUSES_NEEDED.items() if have < need}  # below a full sheet
    below = [kind for kind in short if kind in CAUSE_KINDS and have < NEEDS[kind].minimum]  # not built at all
    fixes = []
    line = lines.get("causes", lines["summary"])
    full = _full("full sheets use", ", ".join(f"{kind} {need}" for kind, need in short.items()))
    if below:
        more = max(NEEDS[kind].minimum for kind in below) - have
        built = "; ".join(needs_at_least(kind, have) for kind in below)
        fixes.append(
            Fix(f"add {more} more {_plural('cause', more)} to build {_listed(below)}: {built}{full}", line, len(short))
        )
    elif short:
        more = max(short.values()) - have
        text = f"add up to {more} more {_plural('cause', more)} for full sheets: {have} build every kind{full}"
        fixes.append(Fix(text, line, len(short)))
    if causes:
        fixes.append(Fix(f"check the guessed category and time-scale of {_n(len(causes), 'cause', 'causes')}", line, 2))
    return fixes


def _terms(draft: Draft, lines: dict[str, int], first_todo: Callable[[str], int]) -> list[Fix]:
    glossary = draft.lists.get("glossary") or []
    defined = sum(1 for e in glossary if not str(e.fields["definition"]).startswith("TODO:"))
    undefined = len(glossary) - defined
    line = lines.get("glossary", lines["summary"])
    fixes = []
    if undefined:
        line = first_todo("glossary")
        fixes.append(Fix(f"write the {_n(undefined, 'definition', 'definitions')} marked TODO", line, 2))
    have, least = len(glossary), NEEDS["key-terms"].minimum
    full = _full("full sheets use", ", ".join(f"{tier} {need}" for tier, need in TERMS_NEEDED.items()))
    if have < least:
        more = least - have
        text = (
            f"add {more} more defined {_plural('term', more)} to build key-terms: {needs_at_least('key-terms', have)}"
        )
        fixes.append(Fix(text + full, line, 2))
    elif have < TERMS_NEEDED["support"]:
        more = TERMS_NEEDED["support"] - have
        fixes.append(Fix(f"add {more} more defined {_plural('term', more)} for a full key-terms sheet{full}", line, 1))
    return fixes


def _events(draft: Draft, lines: dict[str, int]) -> list[Fix]:
    events = draft.lists.get("events") or []
    have, least = len(events), NEEDS["timeline"].minimum
    line = lines.get("events", lines["summary"])
    full = _full("full sheets use", ", ".join(f"{tier} {need}" for tier, need in EVENTS_NEEDED.items()))
    if have < least:
        more = least - have
        text = (
            f"add {more} more dated {_plural('event', more)} to build the timeline: {needs_at_least('timeline', have)}"
        )
        return [Fix(text + full, line, 1)]
    if have < EVENTS_NEEDED["challenge"]:
        more = EVENTS_NEEDED["challenge"] - have
        return [Fix(f"add up to {more} more dated {_plural('event', more)} for full timelines{full}", line, 1)]
    return []


def _sources(draft: Draft, lines: dict[str, int], first_todo: Callable[[str], int]) -> list[Fix]:
    sources = draft.lists.get("sources") or []
    fixes = []
    if sources:
        fixes.append(
            Fix(
                f"finish the {_n(len(sources), 'draft source', 'draft sources')} (nature, purpose) and check the words",
                first_todo("sources"),
                1,
            )
        )
    line = lines.get("sources", lines["summary"])
    if len(sources) < NEEDS["source-analysis"].minimum:
        text = f"add a source with its provenance to build source-analysis: {needs_at_least('source-analysis', 0)}"
        fixes.append(Fix(f"{text} (the challenge tier compares {SOURCES_NEEDED})", line, 1))
    elif len(sources) < SOURCES_NEEDED:
        fixes.append(
            Fix(f"add 1 more source with its provenance: the challenge tier compares {SOURCES_NEEDED}", line, 1)
        )
    return fixes


def _full(words: str, aims: str) -> str:
    """` (full sheets use support 6, core 12)`: what the fullest tiers use, beyond the least to build."""
    return f" ({words} {aims})" if aims else ""


def _listed(kinds: list[str]) -> str:
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + f" and {kinds[-1]}"


def _plural(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


def _n(count: int, one: str, many: str) -> str:
    return counted(count, one, many)
