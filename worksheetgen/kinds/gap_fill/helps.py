"""What helps beside the gaps: the support tier's glosses, and the key's likeliest slips, the
content's misconceptions about the answers and the follow-up question's points."""

from __future__ import annotations

import re

from worksheetgen.kinds.gap_fill.bank import word_kind
from worksheetgen.kinds.gap_fill.passage import occurrences
from worksheetgen.kinds.gap_fill.records import Answer, Glossed, Part, Point, Slip
from worksheetgen.model import Cause, Content, Misconception, Term

FOLLOW_UP_POINTS = 4  # causes the challenge key lists for the follow-up question
GLOSSED = 2  # support: at most this many key words explained beside the passage


def follow_up_points(causes: list[Cause]) -> tuple[Point, ...]:
    """The essential causes first, then the others in content order."""
    ranked = sorted(causes, key=lambda c: not c.essential)[:FOLLOW_UP_POINTS]
    return tuple(Point(c.title, c.timescale.value, c.category.value, c.evidence[0]) for c in ranked)


def glossed_terms(content: Content, paragraphs: tuple[tuple[Part, ...], ...]) -> tuple[Glossed, ...]:
    """Simple definitions of glossary terms visible in the passage (never a gapped one), essential ones first."""
    visible = " ".join(p.text for para in paragraphs for p in para if p.gap is None)
    gapped = " ".join(p.gap.answer for para in paragraphs for p in para if p.gap)
    seen = [t for t in content.glossary if any(occurrences(f, visible) for f in (t.term, *t.alternatives))]
    shown = [t for t in seen if not any(occurrences(f, gapped) for f in (t.term, *t.alternatives))]
    asked = [t for t in content.glossary if t.support_gloss and t in seen + _gapped_terms(content, gapped)]
    ranked = asked + sorted((t for t in shown if t not in asked), key=lambda t: not t.essential)
    return tuple(Glossed(t.term, t.simple or t.definition) for t in ranked[: max(GLOSSED, len(asked))])


def _gapped_terms(content: Content, gapped: str) -> list[Term]:
    return [t for t in content.glossary if any(occurrences(f, gapped) for f in (t.term, *t.alternatives))]


def slips_for(content: Content, answers: tuple[Answer, ...], bank: tuple[str, ...]) -> tuple[Slip, ...]:
    """For each name or term gap, the likeliest wrong answer and what that word really is: a word
    of the same kind from the bank (or, with no bank, from the content) whose role or meaning is
    closest to the answer's, e.g. Yezhov for a Yagoda gap (both heads of the NKVD)."""
    meaning: dict[str, str] = {}  # every accepted form -> what the key prints about it
    compared: dict[str, frozenset[str]] = {}  # every accepted form -> the words its role or meaning uses
    for person in content.people:
        for form in (person.short_name, *person.alternatives):
            meaning.setdefault(form, person.role)
            compared.setdefault(form, _content_words(person.role))
    for term in content.glossary:
        for form in (term.term, *term.alternatives):
            meaning.setdefault(form, term.simple or term.definition)
            compared.setdefault(form, _content_words(f"{term.definition} {term.simple or ''}"))
    people = {form for p in content.people for form in (p.short_name, *p.alternatives)}
    words = list(bank) or [p.short_name for p in content.people] + [t.term for t in content.glossary]
    slips = []
    for a in answers:
        if a.answer not in meaning:
            continue
        kind_of = word_kind(a.answer, people)
        mine = compared[a.answer]
        rivals = [
            w
            for w in words
            if w in meaning
            and compared[w] != mine  # not another form of the answer itself
            and word_kind(w, people) == kind_of
            and len(mine & compared[w]) >= SLIP_OVERLAP
        ]
        if rivals:
            wrong = max(rivals, key=lambda w: (len(mine & compared[w]), -words.index(w)))
            slips.append(Slip(a.number, a.answer, wrong, meaning[wrong]))
    return tuple(slips)


SLIP_OVERLAP = 2  # words a wrong answer's role or meaning shares with the answer's: enough to confuse them


_COMMON = frozenset("a an and the of in to for from by with was were who which that their his her its on or as".split())


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9’']+", text.lower()) if w not in _COMMON)


def relevant_misconceptions(content: Content, answers: tuple[Answer, ...], limit: int = 4) -> tuple[Misconception, ...]:
    """The content's misconceptions about this sheet's answers (each names a gapped answer)."""

    def mentions(m: Misconception) -> bool:
        return any(occurrences(a.answer, f"{m.wrong} {m.right}") for a in answers)

    return tuple(m for m in content.misconceptions if mentions(m))[:limit]
