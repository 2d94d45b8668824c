"""The key's model answer: the indicative plan, an example judgement, the links, and a model paragraph.

PEDAGOGY 2.6 (what a good plan contains) and 1.3 (PEEL). Only the content's own phrases are
chosen here; the sentences around them are written in the templates, so a teacher's template
can reword them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worksheetgen.kinds.language import mid
from worksheetgen.model import Cause, Content, Timescale

MODEL_EVIDENCE = 3  # evidence sentences in the model paragraph


@dataclass(frozen=True)
class PlannedFactor:
    """One paragraph of the key's indicative plan."""

    title: str
    category: str
    timescale: str
    evidence: tuple[str, ...]
    disputed: str


@dataclass(frozen=True)
class ModelParagraph:
    """The model PEEL paragraph: written in full in the key, partly on the support sheet."""

    factor: str  # the cause's title, as printed
    cause: str  # the cause mid-sentence: "the murder of Kirov (1 December 1934)"
    category: str
    timescale: str
    evidence: tuple[str, ...]  # evidence sentences mid-sentence, each ending with a full stop
    disputed: str  # mid-sentence, or ""
    partner: str  # the cause the Link sentence ties it to, mid-sentence, or ""
    partner_kind: str  # "long-term" (for a trigger), "trigger", or "other"
    evidence_used: str  # the content text of the first evidence item (kept out of the support bank)


@dataclass(frozen=True)
class Judgement:
    """The parts of an example judgement, mid-sentence ("" where the plan has none)."""

    main: str  # the most important, long-term cause
    worse: str  # a second long-term cause that made it worse
    trigger: str
    short: str  # a short-term cause that explains the timing and scale


@dataclass(frozen=True)
class LinkToMake:
    """A link between two main factors a top answer makes explicit (worded in the key template)."""

    kind: str  # "long-long", "long-trigger", "trigger-short", "long-short"
    start: str  # as a title
    end: str  # mid-sentence


@dataclass(frozen=True)
class CounterArgument:
    title: str
    evidence: str  # mid-sentence


def planned(main: tuple[Cause, ...]) -> tuple[PlannedFactor, ...]:
    return tuple(
        PlannedFactor(c.title, c.category.value, c.timescale.value, tuple(c.evidence), c.disputed or "") for c in main
    )


def context_fact(content: Content) -> str:
    """The undisputed statistic with the biggest number: a precise fact to set the scene."""
    best, best_value = "", -1.0
    for stat in content.statistics:
        if stat.disputed:
            continue
        number = re.search(r"\d[\d,]*(?:\.\d+)?", stat.value)
        value = float(number.group(0).replace(",", "")) if number else -1.0
        if value > best_value:
            source = f"; source: {stat.source}" if stat.source else ""  # it is quoted in brackets: none inside
            best, best_value = f"{stat.label}: {stat.value}{source}", value
    return best


def _by_time(main: tuple[Cause, ...]) -> tuple[list[Cause], list[Cause], list[Cause]]:
    long_term = [c for c in main if c.timescale is Timescale.long_term]
    triggers = [c for c in main if c.timescale is Timescale.trigger]
    short_term = [c for c in main if c.timescale is Timescale.short_term]
    return long_term, triggers, short_term


def judgement(main: tuple[Cause, ...], names: frozenset[str]) -> Judgement:
    """An example judgement for the introduction, from the main factors' timescales."""
    long_term, triggers, short_term = _by_time(main)

    def at(causes: list[Cause], index: int) -> str:
        return mid(causes[index].title, names) if len(causes) > index else ""

    return Judgement(at(long_term, 0), at(long_term, 1), at(triggers, 0), at(short_term, 0))


def links_to_make(main: tuple[Cause, ...], names: frozenset[str]) -> tuple[LinkToMake, ...]:
    """The links between the main factors a top answer makes explicit."""
    long_term, triggers, short_term = _by_time(main)
    made = []
    if len(long_term) > 1:
        made.append(LinkToMake("long-long", long_term[0].title, mid(long_term[1].title, names)))
    if long_term and triggers:
        made.append(LinkToMake("long-trigger", long_term[0].title, mid(triggers[0].title, names)))
    if triggers and short_term:
        made.append(LinkToMake("trigger-short", triggers[0].title, mid(short_term[0].title, names)))
    elif long_term and short_term:
        made.append(LinkToMake("long-short", long_term[0].title, mid(short_term[0].title, names)))
    return tuple(made)


def counter_arguments(named: set[str], main: tuple[Cause, ...], names: frozenset[str]) -> tuple[CounterArgument, ...]:
    """Main factors not named in the question (`named`: cause ids): the other side of the argument."""
    return tuple(CounterArgument(c.title, mid(c.evidence[0], names)) for c in main if c.id not in named)


def model_paragraph(cause: Cause, main: tuple[Cause, ...], names: frozenset[str]) -> ModelParagraph:
    """The content's phrases for a model PEEL paragraph on `cause` (PEDAGOGY 1.3 starters)."""
    long_term, triggers, _ = _by_time(main)
    if cause.timescale is Timescale.trigger:
        partner, kind = next((c for c in long_term if c != cause), None), "long-term"
    else:
        partner, kind = next((c for c in triggers if c != cause), None), "trigger"
    if partner is None:
        partner, kind = next((c for c in main if c != cause), None), "other"
    items = cause.evidence[:MODEL_EVIDENCE]
    return ModelParagraph(
        factor=cause.title,
        cause=mid(cause.title, names),
        category=cause.category.value,
        timescale=cause.timescale.value,
        evidence=tuple(_full_stop(mid(as_sentence(e), names)) for e in items),
        disputed=mid(cause.disputed, names) if cause.disputed else "",
        partner=mid(partner.title, names) if partner else "",
        partner_kind=kind,
        evidence_used=items[0] if items else "",
    )


_NOTE = re.compile(r"^(?P<label>[^:,]{1,40}),\s*(?P<date>[^:,]*\d[^:,]*):\s+(?P<text>.+)$")
_DETERMINER = re.compile(r"^(the|a|an|his|her|their)\s", re.IGNORECASE)


def as_sentence(evidence: str) -> str:
    """A note "Ryutin Platform, 1932: Stalin ..." as a model paragraph writes it: "the Ryutin
    Platform (1932): Stalin ..."; anything else as typed."""
    note = _NOTE.match(evidence)
    if not note:
        return evidence
    label = note["label"].strip()
    if " " in label and not _DETERMINER.match(label):
        label = "the " + label
    return f"{label} ({note['date'].strip()}): {note['text']}"


def _full_stop(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
