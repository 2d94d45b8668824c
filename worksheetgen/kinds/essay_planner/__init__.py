"""Essay planner: choose the question, the factors, the evidence banks and the key's model answer.

PEDAGOGY.md 1.3 (layout and tiers), 2 (exam context and level descriptors) and 2.6 (what a good
plan contains). Support and core plan a GCSE 12-mark question, challenge the A-level essay if
the content has one. Every planner has three PEEL paragraphs and always asks for at least one
factor that is NOT in the question ("my own factor").

This module only chooses; the sections live beside it: `factors` (the question and its factors),
`evidence` (the paragraphs and their evidence), `mark_scheme` (levels and the self-check quoted
from them) and `model_answer` (the key's plan and model paragraph). Every sentence a pupil or
teacher reads is written in templates/essay-planner*.j2.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.essay_planner.evidence import Fact, Idea, PeelParagraph, Plan, key_terms, paragraphs
from worksheetgen.kinds.essay_planner.factors import (
    A_LEVEL_MARKS,
    best_cause,
    choose_model_cause,
    choose_question,
    main_factors,
    question_factors,
)
from worksheetgen.kinds.essay_planner.mark_scheme import MarkScheme, mark_scheme
from worksheetgen.kinds.essay_planner.model_answer import (
    CounterArgument,
    Judgement,
    LinkToMake,
    ModelParagraph,
    PlannedFactor,
    context_fact,
    counter_arguments,
    judgement,
    links_to_make,
    model_paragraph,
    planned,
)
from worksheetgen.kinds.language import Framing, KeyQuestion, framing, keywords, mid, names_in, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Cause, Content
from worksheetgen.wording import counted

__all__ = ["EssayPlanner", "Fact", "Idea", "PeelParagraph", "prepare"]


@dataclass(frozen=True)
class Question:
    """The exam question as printed."""

    text: str
    marks: int
    style: str
    stimulus: tuple[str, ...]


@dataclass(frozen=True)
class View:
    """An interpretation (challenge) and the cause it argues for, if one matches."""

    historian: str
    view: str
    supports: str


@dataclass(frozen=True)
class Misconception:
    wrong: str
    right: str
    section: str = ""  # where on the pupil sheet a pupil would write it: "introduction" or a paragraph number


@dataclass(frozen=True)
class EssayPlanner:
    """Everything the essay-planner templates need for one tier."""

    question: Question
    a_level: bool
    key_question: KeyQuestion  # the topic's key question, parsed: "the purges happened", ...
    framing: Framing
    leader: str  # the first person of the content, for "This meant that Stalin …" ("" if none)
    paragraphs: tuple[PeelParagraph, ...]
    model: ModelParagraph | None
    model_number: int  # support: the paragraph that holds the partly completed model (0: none)
    key_terms: tuple[str, ...]
    views: tuple[View, ...]
    mark_scheme: MarkScheme
    plan: tuple[PlannedFactor, ...]
    context: str
    judgement: Judgement
    links: tuple[LinkToMake, ...]
    counter_arguments: tuple[CounterArgument, ...]
    own_factor_ideas: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    notes: tuple[str, ...] = ()


@kind("essay-planner")
def prepare(content: Content, tier: Tier, rng: random.Random) -> EssayPlanner:
    """Choose the question, factors, evidence and model answer for `tier`; the seed only shuffles."""
    notes: list[str] = []
    names = names_in(content)
    frame = framing(content)
    question = choose_question(content, tier, notes)
    a_level = question.marks >= A_LEVEL_MARKS
    main = main_factors(content)
    factors = question_factors(question, list(content.causes))
    named = {f.cause.id for f in factors if f.cause}
    model_cause = choose_model_cause(factors, main, list(content.causes))
    model = model_paragraph(model_cause, main, names) if model_cause else None
    model_number = 0
    if tier is Tier.support and model_cause is not None:
        model_number = next((n for n, f in enumerate(factors, start=1) if f.cause is model_cause), 0)
    plan = Plan(factors, main, model_cause, model.evidence_used if model else "", model_number)
    made = paragraphs(content, tier, rng, plan, names)
    bank_size = sum(len(p.bank) for p in made)
    if tier is Tier.support and bank_size < 10:
        notes.append(f"only {counted(bank_size, 'fact')} found for the evidence bank (aim: 10-12)")
    views = _views(content) if tier is Tier.challenge else ()
    return EssayPlanner(
        question=Question(question.text, question.marks, question.style or "", tuple(question.stimulus)),
        a_level=a_level,
        key_question=parse_question(content),
        framing=frame,
        leader=content.people[0].short_name if content.people else "",
        paragraphs=made,
        model=model,
        model_number=model_number,
        key_terms=key_terms(content, question, main, made, rng) if tier is Tier.core else (),
        views=views,
        mark_scheme=mark_scheme(question, a_level, bool(views), frame),
        plan=planned(main),
        context=context_fact(content),
        judgement=judgement(main, names),
        links=links_to_make(main, names),
        counter_arguments=counter_arguments(named, main, names),
        own_factor_ideas=tuple(mid(c.title, names) for c in main if c.id not in named)
        + tuple(mid(c.title, names) for c in content.causes if c not in main and c.id not in named),
        misconceptions=_placed_misconceptions(content, made, main, context_fact(content)),
        notes=tuple(notes),
    )


def _views(content: Content) -> tuple[View, ...]:
    """The first two interpretations (e.g. Conquest vs Getty) and the cause each argues for."""
    made = []
    for interpretation in content.interpretations[:2]:
        text = f"{interpretation.historian} {interpretation.view}"
        cause = best_cause(text, list(content.causes), with_evidence=True, minimum=3)
        made.append(View(interpretation.historian, interpretation.view, cause.title if cause else ""))
    return tuple(made)


MISCONCEPTIONS_PER_SECTION = 2


def _placed_misconceptions(
    content: Content, made: tuple[PeelParagraph, ...], main: tuple[Cause, ...], context: str
) -> tuple[Misconception, ...]:
    """The content's misconceptions a pupil could write on this sheet, each placed at the section
    where it would be written: a paragraph whose factor, cause or printed facts share words with it
    (an own-factor paragraph: the main causes not in the question, the likely choices), or the
    introduction when it is about the context fact; at most two a section, the closest first.
    The rest belong to other sheets and are left out of this key."""
    common = keywords(f"{content.key_question} {content.title}")
    causes = {c.title: c for c in content.causes}

    def words(*texts: str) -> frozenset[str]:
        return frozenset().union(*(keywords(t) for t in texts)) - common

    sections: list[tuple[str, frozenset[str]]] = []
    for paragraph in made:
        cause = causes.get(paragraph.cause)
        texts = [paragraph.factor, paragraph.cause, *(f.text for f in paragraph.bank)]
        texts += [*cause.evidence, cause.disputed or ""] if cause else []
        if not paragraph.from_question:
            named = {p.cause for p in made}
            texts += [t for c in main if c.title not in named for t in (c.title, *c.evidence)]
        sections.append((str(paragraph.number), words(*texts)))
    sections.append(("introduction", words(context)))
    placed: dict[str, list[tuple[int, int, Misconception]]] = {}
    for index, m in enumerate(content.misconceptions):
        said = words(m.wrong, m.right)
        best, _, section = max((len(said & found), -n, section) for n, (section, found) in enumerate(sections))
        if best >= 2 or (best == 1 and section == "introduction"):
            placed.setdefault(section, []).append((-best, index, Misconception(m.wrong, m.right, section)))
    kept = [item for found in placed.values() for item in sorted(found)[:MISCONCEPTIONS_PER_SECTION]]
    return tuple(m for _, _, m in sorted(kept, key=lambda item: item[1]))
