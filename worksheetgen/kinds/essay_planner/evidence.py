"""The planner's three PEEL paragraphs and their evidence: the support bank, the core key terms.

Support: 10-12 tickable facts in all: five for the paragraph started as a model (which has no
strip before it), three for another question factor, and one for each of two ideas for "my own
factor". The seed shuffles the order of a bank, never which facts it holds.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from worksheetgen.document import Tier
from worksheetgen.kinds.common import shuffled
from worksheetgen.kinds.essay_planner.factors import Factor
from worksheetgen.kinds.language import keywords, mid
from worksheetgen.model import Cause, Content, EssayQuestion

BANK_FACTS = 3
BANK_FACTS_MODEL = 5
SHORT_FACT = 72  # characters: about one printed line of the bank
IDEAS = 2
KEY_TERMS = 12  # core key-term bank
_YEAR = re.compile(r"\b1\d{3}\b|\b20\d{2}\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Fact:
    """One tickable fact in the support evidence bank, and the factor it is evidence for."""

    text: str
    factor: str


@dataclass(frozen=True)
class Idea:
    """An idea for 'my own factor' (support), with the facts that go with it."""

    factor: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class PeelParagraph:
    """One PEEL paragraph of the planner (the template writes its rows, hints and starters)."""

    number: int
    factor: str  # as printed: the stimulus bullet, or "" for the pupil's own factor
    from_question: bool
    cause: str  # title of the content cause the factor matches, or "" (key)
    point: str  # the cause the support Point starter names, mid-sentence; "" leaves it open (always for events)
    bullet_is_cause: bool  # False: the bullet is evidence (e.g. "the show trials"), not a cause
    facts: tuple[Fact, ...]  # a question factor's best evidence: the support bank, and the key's list
    ideas: tuple[Idea, ...]  # support: ideas (and their facts) for an own factor
    evidence_for: tuple[str, ...] = ()  # the causes its facts support, mid-sentence
    bank: tuple[Fact, ...] = ()  # every fact printed for this paragraph, in printed order


@dataclass(frozen=True)
class _Candidate:
    text: str
    factor: str
    cause_id: str
    keywords: frozenset[str]
    title_keywords: frozenset[str]


def fact_pool(content: Content) -> list[_Candidate]:
    """Causes' evidence, dated events and undisputed statistics, each a possible bank fact."""
    pool = [_Candidate(e, c.title, c.id, keywords(e), keywords(c.title)) for c in content.causes for e in c.evidence]
    pool += [
        _Candidate(
            f"{e.date}: {e.title.rstrip('.')}.",
            "timeline",
            "",
            keywords(f"{e.date} {e.title} {e.detail or ''}"),
            frozenset(),
        )
        for e in content.events
    ]
    pool += [
        _Candidate(f"{s.label}: {s.value}.", "statistics", "", keywords(s.label), frozenset())
        for s in content.statistics
        if not s.disputed
    ]
    return pool


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _years(c: _Candidate) -> set[str]:
    return {w for w in c.keywords if w.isdigit()}


def _months(c: _Candidate) -> set[int]:
    return {_MONTHS[w] for w in c.keywords if w in _MONTHS}


def _same_event(a: _Candidate, b: _Candidate) -> bool:
    """Two facts about one event: the same year and month, and two more words in common
    ("Second show trial, January 1937: Pyatakov …" and "23–30 Jan 1937: Second Moscow show trial
    (Pyatakov …)"). Two events of one day share a date but not their words."""
    if not (_years(a) & _years(b) and _months(a) & _months(b)):
        return False
    rest = (a.keywords & b.keywords) - _years(a) - {w for w in a.keywords if w in _MONTHS}
    return len(rest) >= 2


def _distinct(c: _Candidate, others: list[_Candidate]) -> bool:
    return all(_overlap(c.keywords, o.keywords) < 0.6 and not _same_event(c, o) for o in others)


def facts_for(
    factor: str, pool: list[_Candidate], used: list[_Candidate], count: int, *, events: bool = False
) -> list[_Candidate]:
    """The facts that best fit a factor: its cause's evidence first; among equals, short facts (one
    printed line, easier to read) and dated ones first. `events`: the factor names events, not a
    cause ("the show trials"), so dated facts come first, one for each event. Never two facts
    about the same event."""
    wanted = keywords(factor)
    scored = []
    for index, c in enumerate(pool):
        score = 2 * len(wanted & c.title_keywords) + len(wanted & c.keywords)
        if score > 0:
            long, undated = len(c.text) > SHORT_FACT, not _YEAR.search(c.text)
            scored.append((-score, *((undated, long) if events else (long, undated)), index, c))
    picked: list[_Candidate] = []
    for *_, c in sorted(scored, key=lambda s: s[:4]):
        if len(picked) == count:
            break
        if _distinct(c, used + picked):
            picked.append(c)
    return picked


def causes_shown(factor: str, pool: list[_Candidate]) -> list[str]:
    """The causes whose evidence mentions every content word of `factor` (events a question names,
    "the show trials"): what those events are evidence of, in the content's order."""
    wanted = keywords(factor)
    return list(dict.fromkeys(c.factor for c in pool if c.cause_id and wanted and wanted <= c.keywords))


@dataclass(frozen=True)
class Plan:
    """What the paragraphs are built from: the question's factors, the main factors, the model's cause."""

    factors: list[Factor]
    main: tuple[Cause, ...]
    model_cause: Cause | None
    model_evidence: str  # the content evidence the support model writes in (kept out of the bank)
    model_number: int  # the paragraph that holds the support model (0: none)


def paragraphs(
    content: Content, tier: Tier, rng: random.Random, plan: Plan, names: frozenset[str]
) -> tuple[PeelParagraph, ...]:
    """Three PEEL paragraphs: the question's factors, then the pupil's own (at least one)."""
    pool = fact_pool(content)
    used = [c for c in pool if plan.model_number and c.text == plan.model_evidence]
    made: list[PeelParagraph] = []
    for number, factor in enumerate(plan.factors, start=1):
        wanted = BANK_FACTS_MODEL if number == plan.model_number else BANK_FACTS
        cause = factor.cause
        if cause is None:
            picked = facts_for(factor.text, pool, used, wanted, events=True)
            shown = causes_shown(factor.text, pool) or [c.factor for c in picked if c.cause_id]
        else:
            picked = facts_for(f"{factor.text} {cause.title}", pool, used, wanted)
            shown = [c.factor for c in picked if c.cause_id]
        used += picked
        facts = tuple(
            Fact(c.text, c.factor) for c in in_date_order(shuffled(picked, rng) if tier is Tier.support else picked)
        )
        supports = tuple(dict.fromkeys(mid(title, names) for title in shown))
        point = mid(cause.title, names) if cause else ""  # events name no cause: the pupil chooses one
        title = cause.title if cause else ""
        made.append(PeelParagraph(number, factor.text, True, title, point, cause is not None, facts, (), supports))
    named = {f.cause.id for f in plan.factors if f.cause}
    ideas = [c for c in plan.main if c.id not in named and c != plan.model_cause]
    ideas += [c for c in content.causes if c not in ideas and c.id not in named and c != plan.model_cause]
    for index in range(3 - len(made)):
        own: tuple[Idea, ...] = ()
        if tier is Tier.support:
            suggested = []
            for cause in ideas[IDEAS * index : IDEAS * index + IDEAS]:
                unused = [c for c in pool if c.cause_id == cause.id and c not in used]
                picked = sorted(unused, key=lambda c: len(c.text))[:1]
                used += picked
                suggested.append(Idea(mid(cause.title, names), tuple(Fact(c.text, c.factor) for c in picked)))
            own = tuple(suggested)
        made.append(PeelParagraph(len(made) + 1, "", False, "", "", True, (), own))
    return tuple(_with_bank(p) for p in made)


def in_date_order(facts: list[_Candidate]) -> list[_Candidate]:
    """Facts that all name a year, in the order of the year each names first (then its month, if
    both name one); ties, and lists where a fact names no year, keep their order."""
    years = [_YEAR.search(c.text) for c in facts]
    if not all(years):
        return facts

    def when(item: tuple[int, _Candidate]) -> tuple[int, int]:
        index, fact = item
        found = years[index]
        assert found is not None
        months = [_MONTHS[w] for w in re.findall(r"[a-z]+", fact.text.lower()) if w in _MONTHS]
        return int(found.group(0)), months[0] if months else 0

    return [fact for _, fact in sorted(enumerate(facts), key=when)]


def _with_bank(paragraph: PeelParagraph) -> PeelParagraph:
    bank = paragraph.facts + tuple(f for idea in paragraph.ideas for f in idea.facts)
    return replace(paragraph, bank=bank)


def key_terms(
    content: Content,
    question: EssayQuestion,
    main: tuple[Cause, ...],
    made: tuple[PeelParagraph, ...],
    rng: random.Random,
) -> tuple[str, ...]:
    """Glossary terms for the core bank: those in the question, the main factors and the paragraphs'
    evidence (the whole topic only if that gives fewer than six), shuffled."""
    texts = [
        question.text + " " + " ".join(question.stimulus),
        " ".join(c.title + " " + " ".join(c.evidence) for c in main),
        " ".join(f.text for p in made for f in p.facts),
    ]
    everything = " ".join(c.title + " " + " ".join(c.evidence) for c in content.causes) + " "
    everything += " ".join(f"{e.title} {e.detail or ''}" for e in content.events)
    chosen: list[str] = []
    for text in [*texts, everything]:
        if text is everything and len(chosen) >= 6:
            break
        for term in content.glossary:
            forms = [term.term, *term.alternatives]
            if term.term not in chosen and any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text, re.I) for f in forms):
                chosen.append(term.term)
    return tuple(shuffled(chosen[:KEY_TERMS], rng))
