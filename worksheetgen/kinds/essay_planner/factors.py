"""The question a tier plans, the factors it names, and the key's main factors.

Everything is worked out from the content, never typed in for one topic: the causes a question
names are found by matching words; the key's "main factors" are the causes the essay questions
name, the trigger, and the causes historians' interpretations argue for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.language import keywords
from worksheetgen.model import Cause, Content, EssayQuestion, Timescale

A_LEVEL_MARKS = 20  # questions worth this much or more are A-level essays (five levels)
MAIN_FACTORS = 4  # paragraphs in the key's indicative plan
_LABEL_PREFIX = re.compile(r"^[^:]{1,40}:\s")  # "Ryutin Platform, 1932: ..." is a note, not a sentence


@dataclass(frozen=True)
class Factor:
    """A factor the question names: the stimulus bullet as printed, and the cause it matches (if any)."""

    text: str
    cause: Cause | None


def choose_question(content: Content, tier: Tier, notes: list[str]) -> EssayQuestion:
    """Challenge: the A-level essay if there is one. Support/core: a GCSE 'explain why' question.

    Among GCSE questions one with stimulus bullets that asks "Explain why" is preferred (it is
    the causation question this planner is built for), then any with bullets, then the first.
    The same question is used for support and core, so the tiers are one lesson's task.
    """
    questions = list(content.essay_questions)
    if not questions:
        notes.append("no essay_questions in the content: the key question is used, marked as a 12-mark question")
        return EssayQuestion(text=content.key_question, marks=12)
    gcse = [q for q in questions if q.marks < A_LEVEL_MARKS]
    a_level = [q for q in questions if q.marks >= A_LEVEL_MARKS]
    if (tier is Tier.challenge and a_level) or not gcse:
        return max(a_level, key=lambda q: q.marks)
    explain_why = [q for q in gcse if q.stimulus and q.text.lower().startswith("explain why")]
    with_bullets = [q for q in gcse if q.stimulus]
    return (explain_why or with_bullets or gcse)[0]


def best_cause(text: str, causes: list[Cause], *, with_evidence: bool = False, minimum: int = 2) -> Cause | None:
    """The cause whose title (and evidence) shares most words with `text`, if enough do."""
    wanted = keywords(text)
    if not wanted:
        return None
    best, best_score = None, 0
    for cause in causes:
        own = keywords(cause.title + (" " + " ".join(cause.evidence) if with_evidence else ""))
        score = len(wanted & own)
        if score > best_score:
            best, best_score = cause, score
    needed = 1 if len(wanted) == 1 else minimum
    return best if best_score >= needed else None


def question_factors(question: EssayQuestion, causes: list[Cause]) -> list[Factor]:
    """The factors the question names: its bullets, or for a bullet-less question the cause it names."""
    if question.stimulus:
        return [Factor(bullet, best_cause(bullet, causes)) for bullet in question.stimulus[:2]]
    named = best_cause(question.text, causes, minimum=3)
    return [Factor(named.title, named)] if named else []


def main_factors(content: Content) -> tuple[Cause, ...]:
    """The key's main factors: causes the essay questions name, the trigger, causes historians argue for.

    At most MAIN_FACTORS, chosen in that order of priority, then listed in the content's order.
    """
    causes = list(content.causes)
    chosen: list[Cause] = []

    def add(cause: Cause | None) -> None:
        if cause is not None and cause not in chosen:
            chosen.append(cause)

    for question in content.essay_questions:
        if question.stimulus:
            for bullet in question.stimulus:
                add(best_cause(bullet, causes))
        else:
            add(best_cause(question.text, causes, minimum=3))
    for cause in causes:
        if cause.timescale is Timescale.trigger:
            add(cause)
    argued = [
        best_cause(f"{i.historian} {i.view}", causes, with_evidence=True, minimum=3) for i in content.interpretations
    ]
    for cause in causes:
        if cause in argued:
            add(cause)
    for cause in causes:
        if cause.timescale is Timescale.long_term:
            add(cause)
    for cause in causes:
        add(cause)
    kept = chosen[:MAIN_FACTORS]
    return tuple(c for c in causes if c in kept)


def choose_model_cause(factors: list[Factor], main: tuple[Cause, ...], causes: list[Cause]) -> Cause | None:
    """The model paragraph's cause: the cause the question's first factor matches, so the key's model
    is the pupil's paragraph 1 (its evidence may be notes, which the model writes as sentences);
    for a question that names no cause, the main factor whose evidence reads most as sentences."""

    def sentences(cause: Cause) -> int:
        return sum(1 for e in cause.evidence if not _LABEL_PREFIX.match(e))

    first = factors[0].cause if factors else None
    if first is not None and first.evidence:
        return first
    named = {f.cause.id for f in factors if f.cause}
    candidates = [c for c in main if c.id not in named] or list(main) or causes
    if not candidates:
        return None
    return max(candidates, key=lambda c: (sentences(c), -candidates.index(c)))
