"""The import report: what to finish in the draft, most useful first, each with its line in the YAML.

Each item says what it unlocks ("define 3 more terms to build key-terms"), and the list is
ordered by how many sheet kinds it unlocks, so ten minutes of work go where they count most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from worksheetgen.wording import counted

if TYPE_CHECKING:
    from worksheetgen.importer.writing import Draft

# What each sheet kind needs from the content (its fullest tier), as the kinds are written now.
TERMS_NEEDED = {"support": 6, "core": 12, "challenge": 8}  # core: 10 terms and 2 distractor definitions
EVENTS_NEEDED = {"support": 7, "core": 10, "challenge": 12}
CAUSES_NEEDED = {"diamond-nine": 9, "causation-grid": 9, "ranking-ladder": 7, "essay-planner": 3}
SOURCES_NEEDED = 2  # the challenge tier compares two
ALL_KINDS = 8


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
    short = {kind: need - len(causes) for kind, need in CAUSES_NEEDED.items() if len(causes) < need}
    fixes = []
    line = lines.get("causes", lines["summary"])
    if short:
        most = max(short.values())
        kinds = ", ".join(f"{kind} {CAUSES_NEEDED[kind]}" for kind in short)
        fixes.append(
            Fix(f"add {most} more {_plural('cause', most)} (there are {len(causes)}; {kinds} needed)", line, len(short))
        )
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
    for tier in ("support", "core"):
        need = TERMS_NEEDED[tier] - defined - undefined
        if need > 0:
            fixes.append(
                Fix(
                    f"add {need} more defined {_plural('term', need)} to build key-terms"
                    f" ({tier} needs {TERMS_NEEDED[tier]})",
                    line,
                    2 if tier == "support" else 1,
                )
            )
            break
    return fixes


def _events(draft: Draft, lines: dict[str, int]) -> list[Fix]:
    events = draft.lists.get("events") or []
    line = lines.get("events", lines["summary"])
    for tier in ("support", "core", "challenge"):
        need = EVENTS_NEEDED[tier] - len(events)
        if need > 0:
            return [
                Fix(
                    f"add {need} more dated {_plural('event', need)} to build the timeline"
                    f" ({tier} needs {EVENTS_NEEDED[tier]})",
                    line,
                    1,
                )
            ]
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
    if len(sources) < SOURCES_NEEDED:
        need = SOURCES_NEEDED - len(sources)
        fixes.append(
            Fix(
                f"add {need} {_plural('source', need)} with {'its' if need == 1 else 'their'} provenance"
                " to build source-analysis (challenge compares 2)",
                lines.get("sources", lines["summary"]),
                1,
            )
        )
    return fixes


def _plural(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


def _n(count: int, one: str, many: str) -> str:
    return counted(count, one, many)
