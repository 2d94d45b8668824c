"""The gate: no placeholder and no empty activity reaches a pupil's sheet or a teacher's key.

Imported drafts say what the notes did not in `TODO: ...` values, and a topic may not yet have
what a kind needs (sources for a source analysis, dated events for a timeline). Before a sheet
is written, its built Document is read (format-neutral, so PDF and Word are checked alike):
a `TODO` anywhere in its text, or a kind given too little to be an activity, keeps the sheet
back with what to finish and where. `--draft` prints it anyway, marked DRAFT on every page and
with a box saying what is left to do. `validate` lists the same things for the whole file.

Findings are `Unfinished` (a key path and a message) so that worker processes, which have the
content but not where its values are, can make them; the main process puts FILE:LINE on them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from worksheetgen.document import Box, Document, Paragraph, Run, Tier, iter_text
from worksheetgen.errors import ContentError, Problem
from worksheetgen.kinds.essay_planner.evidence import fact_pool
from worksheetgen.loader import Loaded
from worksheetgen.model import Content
from worksheetgen.wording import counted
from worksheetgen.yamltree import KeyPath, dotted

if TYPE_CHECKING:
    from worksheetgen.pipeline import Sheet

PLACEHOLDER = re.compile(r"\bTODO\b")  # as the importer writes them: "TODO: define 'crisis'"
SHOWN = 60  # characters of a placeholder quoted in a message


@dataclass(frozen=True)
class Unfinished:
    """Something to finish before a sheet can go to pupils: the content field, and what to do."""

    path: KeyPath
    message: str


@dataclass(frozen=True)
class Need:
    """What a kind must be given to be an activity rather than an empty frame."""

    minimum: int
    what: str  # "terms with definitions"
    field: str  # the content key that fills it
    how: str  # what to do, with {n} for how many more are needed
    count: Callable[[Any, Content], int]  # on the prepared sheet (and the content)


def _causes(minimum: int) -> Need:
    return Need(minimum, "causes", "causes", "add {n} under `causes:` (each with a title and evidence)", _given_causes)


def _given_causes(sheet: Any, content: Content) -> int:
    """Causes printed on a cause sheet: the grid's given rows, the diamond's cards, the ladder's bank."""
    if hasattr(sheet, "given"):
        return len(sheet.given)
    if hasattr(sheet, "bank"):
        return len(sheet.bank)
    return sum(not card.blank for card in sheet.cards)


NEEDS: dict[str, Need] = {
    "gap-fill": Need(
        3,
        "gaps",
        "summary",
        "write a passage under `summary:` with the words to gap marked [[answer]] "
        "(or naming the glossary's terms, people and dates)",
        lambda sheet, _: len(sheet.answers),
    ),
    "key-terms": Need(
        4, "terms with definitions", "glossary", "add {n} under `glossary:`", lambda sheet, _: len(sheet.terms)
    ),
    "timeline": Need(
        4,
        "events with different dates",
        "events",
        "add {n} under `events:` (each with a `date:`)",
        lambda sheet, _: len(sheet.cards) + len(sheet.anchors),
    ),
    "causation-grid": _causes(3),
    "diamond-nine": _causes(4),
    "ranking-ladder": _causes(3),
    "source-analysis": Need(
        1,
        "source",
        "sources",
        "add {n} under `sources:` (with its text, nature, origin and purpose)",
        lambda sheet, _: len(sheet.sources),
    ),
    "essay-planner": Need(
        3,
        "facts to plan with",
        "causes",
        "add {n} as `evidence:` of `causes:` (dated events and statistics count too)",
        lambda _, content: len(fact_pool(content)),
    ),
}


# Checking one sheet -----------------------------------------------------------------------------


def check_sheet(kind: str, document: Document, prepared: Any, content: Content) -> tuple[Unfinished, ...]:
    """Why this built sheet may not go to pupils: placeholders in its text, or too little to do."""
    return (*_placeholders_shown(document, content), *_shortfall(kind, prepared, content))


def _placeholders_shown(document: Document, content: Content) -> list[Unfinished]:
    """Each placeholder value whose text is on the sheet; any other `TODO` on it, quoted."""
    text = "\n".join(sheet_text(document))
    if not PLACEHOLDER.search(text):
        return []
    found = [Unfinished(path, _placeholder_message(value)) for path, value in placeholders(content) if _on(value, text)]
    if found:
        return found
    start = PLACEHOLDER.search(text)
    assert start is not None
    snippet = text[start.start() :].split("\n")[0][:SHOWN]
    return [Unfinished((), f"the sheet prints a placeholder “{snippet}”: finish it in the content or template")]


def sheet_text(document: Document) -> list[str]:
    """Everything a page prints: the header and footer's text, the title, and every block."""
    meta = document.meta
    return [meta.title, meta.key_question, meta.footer_label, *iter_text(document.blocks)]


def _on(value: str, text: str) -> bool:
    """The value is printed: whole, or from its `TODO` on (a template may print part of a value)."""
    start = PLACEHOLDER.search(value)
    return value in text or (start is not None and value[start.start() :][:40] in text)


def _placeholder_message(value: str) -> str:
    shown = value if len(value) <= SHOWN else value[: SHOWN - 3] + "..."
    return f"still a placeholder, “{shown}”: write it (or delete the entry)"


def _shortfall(kind: str, prepared: Any, content: Content) -> list[Unfinished]:
    """The kind's need, when the content gives it too little to be an activity."""
    need = NEEDS.get(kind)
    if need is None or prepared is None:
        return []
    have = need.count(prepared, content)
    if have >= need.minimum:
        return []
    message = f"{needs_at_least(kind, have)}: {need.how.format(n=need.minimum - have)}"
    return [Unfinished((need.field,), message)]


def needs_at_least(kind: str, have: int) -> str:
    """`key-terms needs at least 4 terms with definitions, found 2`: the least a kind is built
    from, in the same words from `build`, `validate` and `import`'s list of what to finish."""
    need = NEEDS[kind]
    what = need.what if need.minimum > 1 else need.what.rstrip("s")
    return f"{kind} needs at least {need.minimum} {what}, found {have or 'none'}"


def placeholders(content: Content) -> Iterator[tuple[KeyPath, str]]:
    """Every text value holding a `TODO`, with its key path."""
    yield from _strings(content.model_dump(exclude_defaults=True), ())


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        if PLACEHOLDER.search(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


# Drafts -----------------------------------------------------------------------------------------


def as_draft(document: Document, unfinished: Iterable[Unfinished]) -> Document:
    """The sheet marked DRAFT on every page, with a box first saying what is left to finish."""
    items = list(dict.fromkeys(unfinished))
    blocks = document.blocks
    if items:
        lines = tuple(
            Paragraph(
                (Run(f"{dotted(item.path) or 'sheet'}: ", bold=True), Run(item.message.replace("`", ""))), "small"
            )
            for item in items
        )
        blocks = (Box(lines, title="DRAFT - finish before printing for pupils"), *blocks)
    return Document(replace(document.meta, draft=True), blocks)


# Where: FILE:LINE for the teacher ---------------------------------------------------------------


def locate(file: str, positions: dict[KeyPath, tuple[int, int]], item: Unfinished, detail: str = "") -> Problem:
    """`FILE:LINE:COL: path: message (detail)`: the value's place, or its nearest parent's."""
    for end in range(len(item.path), -1, -1):
        if end and item.path[:end] in positions:
            line, column = positions[item.path[:end]]
            break
    else:
        line, column = (None, None)
        if item.path:  # a list the file does not have yet: say so, at no line
            detail = f"no `{item.path[0]}:` in the file yet" + (f"; {detail}" if detail else "")
    message = f"{item.message} ({detail})" if detail else item.message
    return Problem(file, message, line, column, dotted(item.path))


def refused(loaded: Loaded, kept_back: Iterable[tuple[Sheet, Unfinished]], verb: str = "keeps back") -> list[Problem]:
    """One located problem per thing to finish, naming the sheets it keeps back, in file order."""
    sheets: dict[Unfinished, list[Sheet]] = {}
    for sheet, item in kept_back:
        sheets.setdefault(item, []).append(sheet)
    found = [
        locate(str(loaded.path), loaded.positions, item, sheets_phrase(kept, verb)) for item, kept in sheets.items()
    ]
    return sorted(found, key=lambda p: (p.line or 10**9, p.column or 0))


def sheets_phrase(sheets: list[Sheet], verb: str) -> str:
    """'keeps back key-terms (support, core) and timeline (core key)': short, for one line."""
    parts = []
    for kind in dict.fromkeys(s.kind for s in sheets):
        pupil = [s.tier.value for s in sheets if s.kind == kind and not s.is_key]
        keys = [s.tier.value for s in sheets if s.kind == kind and s.is_key]
        tiers = list(dict.fromkeys([*pupil, *keys]))
        label = "every tier" if len(tiers) == len(Tier) else ", ".join(tiers)
        label += ", with keys" if pupil and keys else ", keys only" if keys else ""
        parts.append(f"{kind} ({label})")
    return f"{verb} " + ", ".join(parts)


class UnfinishedError(ContentError):
    """Some sheets were kept back: each reason at its FILE:LINE, then what to do (a ContentError,
    so whatever shows content problems at their lines shows these too)."""

    def __init__(self, problems: list[Problem], kept: int, built: int, what: str = "sheet") -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        others = f" (the {built} others were)" if built > 1 else " (the other was)" if built else ", so nothing was"
        them = "them" if kept > 1 else "it"
        lines.append(
            f"{counted(kept, what)} not built{others}: finish the content above and build again, "
            f"or add --draft to print {them} marked DRAFT"
        )
        super().__init__(problems)
        self.args = ("\n".join(lines),)


# Validate: the whole file -----------------------------------------------------------------------


def review(loaded: Loaded, kinds: Iterable[str]) -> list[Problem]:
    """Every placeholder, then every kind and tier the content cannot fill, each at its FILE:LINE."""
    file = str(loaded.path)
    todo = placeholders(loaded.content)
    found = [locate(file, loaded.positions, Unfinished(path, _placeholder_message(v))) for path, v in todo]
    short: dict[Unfinished, list[Sheet]] = {}
    from worksheetgen.kinds import PREPARERS  # here: `build` and `list` import this module
    from worksheetgen.pipeline import Sheet  # the pipeline imports this module

    for kind in kinds:
        prepare = PREPARERS.get(kind)
        if prepare is None or kind not in NEEDS:
            continue
        for tier in Tier:
            for item in _shortfall(kind, prepare(loaded.content, tier, random.Random(0)), loaded.content):
                short.setdefault(item, []).append(Sheet(kind, tier))
    found += [locate(file, loaded.positions, item, _tiers(sheets)) for item, sheets in short.items()]
    return found


def _tiers(sheets: list[Sheet]) -> str:
    tiers = [s.tier.value for s in sheets]
    if len(tiers) == len(Tier):
        return "for every tier"
    return f"for the {tiers[0]} tier" if len(tiers) == 1 else f"for the {' and '.join(tiers)} tiers"


def verdict(file: object, unfinished: list[Problem]) -> str:
    """`validate`'s last word on a file: ok; ok but not enough for some kinds; or a draft (TODO values)."""
    todo = sum(p.message.startswith("still a placeholder") for p in unfinished)
    kinds = len({p.message.split(" needs ")[0] for p in unfinished if " needs at least " in p.message})
    short = f"not enough yet for {counted(kinds, 'sheet kind')}, listed above"
    if todo:
        also = f", and {short}" if kinds else ""
        return (
            f"draft: {file}: valid, but {counted(todo, 'value')} still TODO{also}. `build` and `pack` make only "
            "the sheets with no TODO on them; add --draft to print the rest marked DRAFT"
        )
    if kinds:
        return f"ok: {file}; {short}: `build` and `pack` make the other kinds"
    return f"ok: {file}"
