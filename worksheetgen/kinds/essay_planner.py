"""Essay planner: choose the question, the factors, the evidence banks and the key's model answer.

PEDAGOGY.md 1.3 (layout and tiers), 2 (exam context and level descriptors) and 2.6 (what a good
plan contains). Support and core plan a GCSE 12-mark question, challenge the A-level essay if
the content has one. Every planner has three PEEL paragraphs and always asks for at least one
factor that is NOT in the question ("my own factor").

Everything here is worked out from the content, never typed in for one topic: the causes a
question names are found by matching words; the key's "main factors" are the causes the essay
questions name, the trigger, and the causes historians' interpretations argue for.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from worksheetgen.document import Tier
from worksheetgen.kinds.common import shuffled
from worksheetgen.model import Cause, Content, EssayQuestion, Interpretation, Misconception, Timescale
from worksheetgen.wording import counted

A_LEVEL_MARKS = 20  # questions worth this much or more are A-level essays (five levels)
PEEL_LINES = 3  # writing lines in each Point / Evidence / Explain / Link row (PEDAGOGY 1.3: 3-4)
INTRO_LINES = {Tier.support: 4, Tier.core: 5, Tier.challenge: 5}
CONCLUSION_LINES = {Tier.support: 6, Tier.core: 5, Tier.challenge: 6}
LINK_LINES = {Tier.support: 1, Tier.core: 1, Tier.challenge: 2}
# Support evidence bank (10 facts in all): 5 for the paragraph started as a model (which has no strip
# before it), 3 for another question factor, and 1 for each of two ideas for "my own factor". Sized so
# that each paragraph with the linking strip before it fits on one A4 page.
BANK_FACTS = 3
BANK_FACTS_MODEL = 5
SHORT_FACT = 72  # characters: about one printed line of the bank
IDEAS = 2
KEY_TERMS = 12  # core key-term bank
MAIN_FACTORS = 4  # paragraphs in the key's indicative plan

_STOP_TEXT = """a an and are as at be been but by for from had has have he her his in into is it its of on or
our she so that the their them then there these they this those to was were what when which who
why with would will not only also more most other some such than very after before over under
between about against during up out one two three four five six seven eight nine ten
explain reason reasons main important assess validity view extent far agree following answer
answers information own use may must question questions carried carry"""
_STOP = frozenset(_STOP_TEXT.split())
_COMMON_FIRST_WORDS = {"a", "an", "the", "by", "in", "on", "from", "after", "before", "some", "this", "that"}
_LABEL_PREFIX = re.compile(r"^[^:]{1,40}:\s")  # "Ryutin Platform, 1932: ..." is a note, not a sentence
_YEAR = re.compile(r"\b1\d{3}\b|\b20\d{2}\b")
_WHY = re.compile(r"^\s*why\s+(?:did|do|does)\s+(?P<rest>[^?]+?)\s*\?*\s*$", re.I)
# Verbs that can follow "Why did ..." (the first one found ends the subject), and those that say
# the subject itself is the event ('Why did the war break out?').
_VERBS = frozenset(
    "happen occur start begin end take break fail collapse win lose fall rise grow become go come make leave carry "
    "launch introduce change develop decline join use want agree refuse attack invade abdicate last survive matter "
    "get purge".split()  # noqa: SIM905 - a word list reads better than a column of strings
)
_EVENT_VERBS = frozenset("happen occur start begin end break fail collapse last fall rise grow take".split())  # noqa: SIM905
_IRREGULAR = {
    "begin": "began",
    "break": "broke",
    "become": "became",
    "fall": "fell",
    "go": "went",
    "grow": "grew",
    "lose": "lost",
    "rise": "rose",
    "take": "took",
    "win": "won",
    "get": "got",
    "come": "came",
    "make": "made",
    "leave": "left",
}


# Data handed to the templates ----------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One tickable fact in the support evidence bank, and the factor it is evidence for."""

    text: str
    factor: str


@dataclass(frozen=True)
class PeelRow:
    """One row of a PEEL table: label, a hint of what goes there, and the tier's starter."""

    label: str
    hint: str
    starter: str
    note: str = ""  # support model paragraph: "(model)" or "(finish it)" after the label


@dataclass(frozen=True)
class Suggestion:
    """An idea for 'my own factor' (support), with the facts that go with it."""

    factor: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Block:
    """One PEEL paragraph of the planner."""

    number: int
    factor: str  # as printed: the stimulus bullet, or "" for the pupil's own factor
    from_question: bool
    cause: Cause | None  # the content cause it matches, if any (for the key)
    rows: tuple[PeelRow, ...]
    facts: tuple[Fact, ...]  # a question factor's best evidence: the support bank, and the key's list
    suggestions: tuple[Suggestion, ...]  # support: ideas (and their facts) for an own factor

    evidence_for: tuple[str, ...] = ()  # the causes its facts support, mid-sentence (e.g. for 'the show trials')

    @property
    def bank(self) -> tuple[Fact, ...]:
        """Every fact printed for this paragraph, in printed order."""
        return self.facts + tuple(f for s in self.suggestions for f in s.facts)


@dataclass(frozen=True)
class Strip:
    """The 'linking factors' strip between two paragraphs."""

    title: str
    starter: str
    lines: int


@dataclass(frozen=True)
class Level:
    level: str
    marks: str
    descriptor: str


@dataclass(frozen=True)
class Check:
    """A self-check item and what it earns in the mark scheme."""

    item: str
    mark_scheme: str


@dataclass(frozen=True)
class PlanParagraph:
    """One paragraph of the key's indicative plan."""

    cause: Cause
    explain: str


@dataclass(frozen=True)
class Model:
    """The model PEEL paragraph: written in full in the key, partly on the support sheet."""

    factor: str
    point: str
    evidence: str
    explain: str
    link: str
    explain_starter: str
    link_starter: str
    point_start: str  # the point as the support sheet writes it in
    evidence_start: str  # the first evidence sentence: what the support sheet writes in
    evidence_used: str  # the content's evidence text it comes from (kept out of the bank)


@dataclass(frozen=True)
class View:
    """A historian's view and the factor it argues for (challenge)."""

    interpretation: Interpretation
    supports: str


@dataclass(frozen=True)
class EssayPlanner:
    """Everything the essay-planner templates need for one tier."""

    question: EssayQuestion
    a_level: bool
    event: str  # "the purges"
    instructions: tuple[str, ...]
    intro_prompt: str
    intro_starter: str
    intro_lines: int
    blocks: tuple[Block, ...]
    strips: tuple[Strip, ...]
    conclusion_prompt: str
    conclusion_starter: str
    conclusion_lines: int
    key_terms: tuple[str, ...]
    model: Model | None
    views: tuple[View, ...]
    checks: tuple[Check, ...]
    levels: tuple[Level, ...]
    caps: tuple[str, ...]
    plan: tuple[PlanParagraph, ...]
    context: str
    judgement: str
    links: tuple[str, ...]
    counter_arguments: tuple[str, ...]
    own_factor_ideas: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    peel_lines: int = PEEL_LINES
    widths: str = "1,3"  # label column (label, hint, starter) : writing column
    model_block: int = 0  # support: the paragraph that holds the partly completed model (0: none)
    checks_first: bool = False  # the self-check as success criteria on page 1 (fits there on core/challenge)
    notes: tuple[str, ...] = field(default=())


# The whole preparation -----------------------------------------------------------------------


def prepare(content: Content, tier: Tier, rng: random.Random) -> EssayPlanner:
    """Choose the question, factors, evidence and model answer for `tier`, deterministically."""
    notes: list[str] = []
    question = choose_question(content, tier, notes)
    a_level = question.marks >= A_LEVEL_MARKS
    words = Words(content)
    event, clause = event_phrases(content.key_question)
    leader = content.people[0].short_name if content.people else ""
    main = main_factors(content)
    factors = question_factors(question, content.causes, words)
    named = {c.id for _, c in factors if c}
    model_cause = choose_model_cause(factors, main, content.causes)
    model = model_paragraph(model_cause, main, words, event, clause) if model_cause else None
    model_block = 0
    if tier is Tier.support and model_cause is not None:
        model_block = next((n for n, (_, c) in enumerate(factors, start=1) if c is model_cause), 0)
    blocks = build_blocks(content, tier, rng, factors, main, model_cause, words, clause, leader, model, model_block)
    bank_size = sum(len(b.bank) for b in blocks)
    if tier is Tier.support and bank_size < 10:
        notes.append(f"only {counted(bank_size, 'fact')} found for the evidence bank (aim: 10-12)")
    levels, caps = level_descriptors(question, a_level)
    return EssayPlanner(
        question=question,
        a_level=a_level,
        event=event,
        instructions=instructions(tier, model_block),
        intro_prompt=intro_prompt(tier),
        intro_starter=intro_starter(tier, clause),
        intro_lines=INTRO_LINES[tier],
        blocks=blocks,
        strips=strips(tier, blocks),
        conclusion_prompt=conclusion_prompt(tier),
        conclusion_starter=conclusion_starter(tier),
        conclusion_lines=CONCLUSION_LINES[tier],
        key_terms=key_terms(content, question, main, blocks, rng) if tier is Tier.core else (),
        model=model,
        views=views(content) if tier is Tier.challenge else (),
        checks=self_checks(tier, question, levels),
        levels=levels,
        caps=caps,
        plan=tuple(PlanParagraph(c, plan_explanation(c, event)) for c in main),
        context=context_fact(content),
        judgement=judgement(main, words, event),
        links=links_to_make(main, words, event),
        counter_arguments=counter_arguments(factors, main, words),
        own_factor_ideas=tuple(words.mid(c.title) for c in main if c.id not in named)
        + tuple(words.mid(c.title) for c in content.causes if c not in main and c.id not in named),
        misconceptions=tuple(content.misconceptions),
        widths="9,11" if tier is Tier.support else "1,3",
        model_block=model_block,
        checks_first=tier is not Tier.support,
        notes=tuple(notes),
    )


# Words: matching text to causes, and putting titles mid-sentence -----------------------------


@lru_cache(maxsize=4096)
def keywords(text: str) -> frozenset[str]:
    """Content words of `text`, lower case, roughly singular; years kept, other numbers dropped.

    Remembered: matching facts to causes asks for the same texts' words again and again."""
    found: set[str] = set()
    for raw in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.lower()):
        word = re.sub(r"['’]s$", "", raw)
        if word.isdigit():
            if len(word) == 4:
                found.add(word)
            continue
        if len(word) < 3 or word in _STOP:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        found.add(word)
    return frozenset(found)


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


class Words:
    """Puts content phrases mid-sentence: 'Opposition to ...' -> 'opposition to ...', 'Stalin’s ...' kept."""

    def __init__(self, content: Content) -> None:
        proper: set[str] = set()
        for person in content.people:
            proper.update(w for w in re.findall(r"[^\W\d_]+", person.name) if w[:1].isupper())
        for term in content.glossary:
            proper.update(w for w in term.term.split() if w[:1].isupper())
        texts = [*content.summary, *(e.title + " " + (e.detail or "") for e in content.events)]
        texts += [c.title + " " + " ".join(c.evidence) for c in content.causes]
        for text in texts:
            # a capitalised word after a lower-case word is a name ('... by NKVD Order No. 00447')
            proper.update(m.group(1) for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w\-]*)", text))
        self.proper = proper

    def mid(self, text: str) -> str:
        """`text` as it reads inside a sentence: the first word lower-cased unless it is a name."""
        first = re.match(r"[^\W\d_]+", text)
        if not first:
            return text
        word = first.group(0)
        if word.lower() in _COMMON_FIRST_WORDS or (word not in self.proper and not word.isupper()):
            return word.lower() + text[len(word) :]
        return text


def sentence(text: str) -> str:
    """Capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def event_phrases(key_question: str) -> tuple[str, str]:
    """('the purges', 'the purges happened') from 'Why did the purges happen?'.

    The verb is the first common verb after "did" ('Why did Stalin carry out the purges?'), or
    else the last word ('Why did the Tsar abdicate?').
    """
    match = _WHY.match(key_question)
    if not match:
        return "the events", "this happened"
    words = match.group("rest").split()
    at = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _VERBS), len(words) - 1)
    if at < 1:
        return "the events", "this happened"
    subject, verb, rest = " ".join(words[:at]), words[at].lower(), " ".join(words[at + 1 :])
    if verb in _IRREGULAR:
        past = _IRREGULAR[verb]
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        past = verb[:-1] + "ied"
    else:
        past = verb + "ed"
    clause = " ".join(w for w in (subject, past, rest) if w)
    if verb in _EVENT_VERBS or not rest:
        return subject, clause
    return re.sub(r"^(?:out|up|off|on|in|through)\s+", "", rest), clause  # 'carry out the purges' -> 'the purges'


# The question and its factors ---------------------------------------------------------------


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
    if tier is Tier.challenge and a_level:
        return max(a_level, key=lambda q: q.marks)
    if not gcse:
        return max(a_level, key=lambda q: q.marks)
    explain_why = [q for q in gcse if q.stimulus and q.text.lower().startswith("explain why")]
    with_bullets = [q for q in gcse if q.stimulus]
    return (explain_why or with_bullets or gcse)[0]


def question_factors(question: EssayQuestion, causes: list[Cause], words: Words) -> list[tuple[str, Cause | None]]:
    """The factors the question names: its bullets, or for a bullet-less question the cause it names."""
    if question.stimulus:
        return [(bullet, best_cause(bullet, causes)) for bullet in question.stimulus[:2]]
    named = best_cause(question.text, causes, minimum=3)
    return [(words.mid(named.title), named)] if named else []


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


def choose_model_cause(
    factors: list[tuple[str, Cause | None]], main: tuple[Cause, ...], causes: list[Cause]
) -> Cause | None:
    """The model paragraph's cause: the question's first factor if its evidence reads as sentences
    (so the support sheet can start that paragraph as a model), else the best such main factor."""

    def sentences(cause: Cause) -> int:
        return sum(1 for e in cause.evidence if not _LABEL_PREFIX.match(e))

    first = factors[0][1] if factors else None
    if first is not None and sentences(first) >= 2:
        return first
    named = {c.id for _, c in factors if c}
    candidates = [c for c in main if c.id not in named] or list(main) or causes
    if not candidates:
        return None
    return max(candidates, key=lambda c: (sentences(c), -candidates.index(c)))


# Evidence banks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    text: str
    factor: str
    cause_id: str
    keywords: frozenset[str]
    title_keywords: frozenset[str]


def fact_pool(content: Content) -> list[_Candidate]:
    """Causes' evidence, dated events and undisputed statistics, each a possible bank fact."""
    pool = [
        _Candidate(e, c.title, c.id, frozenset(keywords(e)), frozenset(keywords(c.title)))
        for c in content.causes
        for e in c.evidence
    ]
    pool += [
        _Candidate(
            f"{e.date}: {e.title.rstrip('.')}.",
            "timeline",
            "",
            frozenset(keywords(f"{e.date} {e.title} {e.detail or ''}")),
            frozenset(),
        )
        for e in content.events
    ]
    pool += [
        _Candidate(f"{s.label}: {s.value}.", "statistics", "", frozenset(keywords(s.label)), frozenset())
        for s in content.statistics
        if not s.disputed
    ]
    return pool


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def facts_for(factor: str, pool: list[_Candidate], used: list[_Candidate], count: int) -> list[_Candidate]:
    """The facts that best fit a factor: its cause's evidence first; among equals, short facts (one
    printed line, easier to read) and dated ones first."""
    wanted = keywords(factor)
    scored = []
    for index, c in enumerate(pool):
        score = 2 * len(wanted & c.title_keywords) + len(wanted & c.keywords)
        if score > 0:
            scored.append((-score, len(c.text) > SHORT_FACT, not _YEAR.search(c.text), index, c))
    picked: list[_Candidate] = []
    for *_, c in sorted(scored, key=lambda s: s[:4]):
        if len(picked) == count:
            break
        if all(_overlap(c.keywords, other.keywords) < 0.6 for other in used + picked):
            picked.append(c)
    return picked


def build_blocks(
    content: Content,
    tier: Tier,
    rng: random.Random,
    factors: list[tuple[str, Cause | None]],
    main: tuple[Cause, ...],
    model_cause: Cause | None,
    words: Words,
    clause: str,
    leader: str,
    model: Model | None,
    model_block: int,
) -> tuple[Block, ...]:
    """Three PEEL paragraphs: the question's factors, then the pupil's own (at least one)."""
    pool = fact_pool(content)
    used: list[_Candidate] = []
    if model is not None and model_block:
        used += [c for c in pool if c.text == model.evidence_used]
    named = {c.id for _, c in factors if c}
    blocks: list[Block] = []
    for number, (factor, cause) in enumerate(factors, start=1):
        wanted = BANK_FACTS_MODEL if number == model_block else BANK_FACTS
        picked = facts_for(factor if cause is None else f"{factor} {cause.title}", pool, used, wanted)
        used += picked
        facts = tuple(Fact(c.text, c.factor) for c in (shuffled(picked, rng) if tier is Tier.support else picked))
        if model is not None and number == model_block:
            rows = model_rows(model)
        else:
            rows = peel_rows(tier, factor, clause, leader)
        supports = tuple(dict.fromkeys(words.mid(c.factor) for c in picked if c.cause_id))
        blocks.append(Block(number, factor, True, cause, rows, facts, (), evidence_for=supports))
    ideas = [c for c in main if c.id not in named and c != model_cause]
    ideas += [c for c in content.causes if c not in ideas and c.id not in named and c != model_cause]
    for index in range(3 - len(blocks)):
        suggestions: tuple[Suggestion, ...] = ()
        if tier is Tier.support:
            made = []
            for cause in ideas[IDEAS * index : IDEAS * index + IDEAS]:
                unused = [c for c in pool if c.cause_id == cause.id and c not in used]
                picked = sorted(unused, key=lambda c: len(c.text))[:1]
                used += picked
                made.append(Suggestion(words.mid(cause.title), tuple(Fact(c.text, c.factor) for c in picked)))
            suggestions = tuple(made)
        blocks.append(Block(len(blocks) + 1, "", False, None, peel_rows(tier, "", clause, leader), (), suggestions))
    return tuple(blocks)


def peel_rows(tier: Tier, factor: str, clause: str, leader: str) -> tuple[PeelRow, ...]:
    """Point / Evidence / Explain / Link with the tier's hints and starters (PEDAGOGY 1.3)."""
    if tier is Tier.support:
        point = f"One reason {clause} was {factor}." if factor else f"One reason {clause} was …"
        explain = f"This meant that {leader} … As a result, …" if leader else "This meant that … As a result, …"
        return (
            PeelRow("Point", "", point),
            PeelRow("Evidence", "", "For example, in …"),
            PeelRow("Explain", "", explain),
            PeelRow("Link", "", f"Therefore, this helps to explain why {clause} because …"),
        )
    if tier is Tier.core:
        return (
            PeelRow("Point", "", "One reason…"),
            PeelRow("Evidence", "", "For example…"),
            PeelRow("Explain", "", "This meant that…"),
            PeelRow("Link", "", "Therefore…"),
        )
    return (
        PeelRow("Point", "", ""),
        PeelRow("Evidence", "", ""),
        PeelRow("Explain", "", ""),
        PeelRow("Link", "to another factor", ""),
    )


def model_rows(model: Model) -> tuple[PeelRow, ...]:
    """Support: the paragraph that holds the partly completed model; the pupil finishes it."""
    return (
        PeelRow("Point", "", model.point_start, "(model)"),
        PeelRow("Evidence", "", model.evidence_start, "(model)"),
        PeelRow("Explain", "", model.explain_starter + " …", "(finish it)"),
        PeelRow("Link", "", model.link_starter + " …", "(finish it)"),
    )


def strips(tier: Tier, blocks: tuple[Block, ...]) -> tuple[Strip, ...]:
    """One 'linking factors' strip between each pair of paragraphs."""
    made = []
    for before, after in zip(blocks, blocks[1:], strict=False):
        title = f"⇅ Linking factors {before.number} and {after.number}:"
        if tier is Tier.support:
            a, b = before.factor or "my own factor", after.factor or "my own factor"
            starter = f"{sentence(a)[:-1]} and {b} are linked because …"
        elif tier is Tier.core:
            starter = "This links to … because …"
        else:
            starter = "make the link explicit (led to, made worse, without … would not have …)."
        made.append(Strip(title, starter, LINK_LINES[tier]))
    return tuple(made)


# Pupil-sheet wording per tier ----------------------------------------------------------------


def instructions(tier: Tier, model_block: int) -> tuple[str, ...]:
    if tier is Tier.support:
        started = (f"Paragraph {model_block} is started for you as a model: finish it.",) if model_block else ()
        return (
            "Plan each paragraph with the sentence starters. Tick ☐ the facts you use.",
            *started,
            "Write your introduction and conclusion, then tick the self-check.",
        )
    if tier is Tier.core:
        return (
            "Read the question. Plan three factors: the two in the question and one of your own.",
            "Plan a PEEL paragraph for each factor, using the key terms. Tick ☐ each term you use.",
            "Explain how the factors link, then make a judgement in your conclusion.",
        )
    return (
        "Plan an answer that reaches a clear, supported judgement on the question.",
        "Plan a PEEL paragraph for each factor, with an explicit link to another factor.",
        "Include one counter-argument and one historian’s view.",
    )


def intro_prompt(tier: Tier) -> str:
    if tier is Tier.challenge:
        return "Set out your factors and your judgement: answer the question directly."
    return "Name your factors and say which was the most important."


def intro_starter(tier: Tier, clause: str) -> str:
    if tier is Tier.support:
        return f"{sentence(clause)[:-1]} for several linked reasons: … The most important was … because …"
    if tier is Tier.core:
        return "The most important reason was…"
    return ""


def conclusion_prompt(tier: Tier) -> str:
    if tier is Tier.challenge:
        return "Reach a substantiated judgement: which factors were necessary, and which only made things worse?"
    return "Return to your judgement and give the reason for it."


def conclusion_starter(tier: Tier) -> str:
    if tier is Tier.support:
        return "Overall, … was the most important reason because … whereas … only …"
    if tier is Tier.core:
        return "Overall…"
    return ""


def key_terms(
    content: Content, question: EssayQuestion, main: tuple[Cause, ...], blocks: tuple[Block, ...], rng: random.Random
) -> tuple[str, ...]:
    """Glossary terms for the core bank: those in the question, the main factors and the paragraphs'
    evidence (the whole topic only if that gives fewer than six), shuffled."""
    texts = [
        question.text + " " + " ".join(question.stimulus),
        " ".join(c.title + " " + " ".join(c.evidence) for c in main),
        " ".join(f.text for b in blocks for f in b.facts),
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


def views(content: Content) -> tuple[View, ...]:
    """The first two historians' interpretations (e.g. Conquest vs Getty) and what each supports."""
    made = []
    for interpretation in content.interpretations[:2]:
        cause = best_cause(
            f"{interpretation.historian} {interpretation.view}", list(content.causes), with_evidence=True, minimum=3
        )
        made.append(View(interpretation, cause.title if cause else ""))
    return tuple(made)


# Mark scheme ---------------------------------------------------------------------------------

_GCSE_LEVELS = (
    "Simple or generalised answer; limited knowledge and understanding.",
    "Limited analysis; links are implicit or unsustained; some development.",
    "Some analysis, mainly directed at the conceptual focus of the question; the line of reasoning is generally "
    "sustained; good knowledge and understanding.",
    "An analytical explanation is given which is directed consistently at the conceptual focus of the question, "
    "showing a line of reasoning that is coherent, sustained and logically structured. Information is precisely "
    "selected, showing wide-ranging knowledge.",
)
_A_LEVEL_LEVELS = (
    "Simple statements or facts with little relevance to the question; no real judgement.",
    "Narrative implying causes, an undeveloped multi-causal answer or a developed single cause; limited support "
    "and judgement.",
    "A developed multi-causal answer with supporting evidence; some analysis and an attempt at judgement, "
    "but links and balance are uneven.",
    "An analytical answer that explains and links several factors with a range of accurate, selected evidence, "
    "reaching a reasoned judgement; balance or depth may be uneven.",
    "A balanced, sustained, analytical and multi-causal answer, weighing and linking the relative importance and "
    "interplay of short- and long-term causes, with extensive, precisely selected evidence and a substantiated "
    "judgement.",
)


def bands(marks: int, levels: int) -> list[tuple[int, int]]:
    """Equal mark bands: 12 marks, 4 levels -> 1-3, 4-6, 7-9, 10-12."""
    edges = [round(marks * i / levels) for i in range(levels + 1)]
    return [(edges[i] + 1, edges[i + 1]) for i in range(levels)]


def level_descriptors(question: EssayQuestion, a_level: bool) -> tuple[tuple[Level, ...], tuple[str, ...]]:
    """PEDAGOGY 2.2 (GCSE 12-mark, with the stimulus caps) or 2.4/2.5 (A-level, five levels)."""
    wording = _A_LEVEL_LEVELS if a_level else _GCSE_LEVELS
    marked = bands(question.marks, len(wording))
    levels = tuple(
        Level(f"Level {n}", f"{lo}–{hi}", text)
        for n, ((lo, hi), text) in reversed(list(enumerate(zip(marked, wording, strict=True), start=1)))
    )
    caps: tuple[str, ...] = ()
    if not a_level and question.stimulus:
        (_, l2_top), (_, l3_top) = marked[1], marked[2]
        caps = (
            "No access to Level 4 for answers that do not go beyond the stimulus points.",
            f"Level 3: maximum {l3_top - 1} marks if the answer does not go beyond the stimulus points.",
            f"Level 2: maximum {l2_top - 1} marks if the answer is restricted to the stimulus points.",
        )
    elif a_level:
        caps = (
            "Full marks need a reasoned, substantiated judgement. Check the exact wording against the board’s "
            "published mark scheme.",
        )
    return levels, caps


def self_checks(tier: Tier, question: EssayQuestion, levels: tuple[Level, ...]) -> tuple[Check, ...]:
    """The self-check list, each item mapped to the level it is needed for (PEDAGOGY 1.3)."""
    top = len(levels)
    marks = {lv.level: lv.marks for lv in levels}

    def band(n: int) -> str:
        return f"Level {n} ({marks[f'Level {n}']})" if f"Level {n}" in marks else f"Level {n}"

    if question.stimulus and not question.marks >= A_LEVEL_MARKS and top == 4:
        l3_top = int(marks["Level 3"].split("–")[1])
        beyond = (
            "uses my own knowledge beyond the bullet points.",
            f"without it: no Level 4, {l3_top - 1} marks at most",
        )
    else:
        beyond = ("uses my own knowledge beyond the question.", f"needed for {band(top)}")
    checks = [
        Check("explains at least 3 factors.", f"{band(3)} and above"),
        Check(*beyond),
        Check("links factors together.", f"needed for {band(top)}"),
        Check("makes a judgement with a reason.", f"needed for {band(top)}"),
    ]
    if tier is Tier.challenge:
        checks += [
            Check("includes a counter-argument.", f"a balanced answer: {band(top)}"),
            Check("uses a historian’s view.", f"a substantiated judgement: {band(top)}"),
        ]
    return tuple(Check(f"☐ {c.item}", c.mark_scheme) for c in checks)


# The key's indicative plan and model paragraph ------------------------------------------------


def plan_explanation(cause: Cause, event: str) -> str:
    if cause.timescale is Timescale.trigger:
        return (
            f"The trigger: on its own it did not cause {event}, but it gave the pretext and the means to act. "
            "Argue how it was used rather than asserting what is disputed."
        )
    if cause.timescale is Timescale.long_term:
        return (
            f"A long-term {cause.category.value} cause: it built up over years and gave a motive before {event} began."
        )
    return f"A short-term {cause.category.value} cause: it helps to explain the timing and the scale of {event}."


def context_fact(content: Content) -> str:
    """The undisputed statistic with the biggest number: a precise fact to set the scene."""
    best, best_value = "", -1.0
    for stat in content.statistics:
        if stat.disputed:
            continue
        number = re.search(r"\d[\d,]*(?:\.\d+)?", stat.value)
        value = float(number.group(0).replace(",", "")) if number else -1.0
        if value > best_value:
            source = f" ({stat.source})" if stat.source else ""
            best, best_value = f"{stat.label}: {stat.value}{source}", value
    return best


def _by_time(main: tuple[Cause, ...]) -> tuple[list[Cause], list[Cause], list[Cause]]:
    long_term = [c for c in main if c.timescale is Timescale.long_term]
    triggers = [c for c in main if c.timescale is Timescale.trigger]
    short_term = [c for c in main if c.timescale is Timescale.short_term]
    return long_term, triggers, short_term


def judgement(main: tuple[Cause, ...], words: Words, event: str) -> str:
    """An example judgement for the introduction, from the main factors' timescales."""
    long_term, triggers, short_term = _by_time(main)
    parts = []
    if long_term:
        worse = f", made worse by {words.mid(long_term[1].title)}" if len(long_term) > 1 else ""
        parts.append(f"{words.mid(long_term[0].title)} was the most important cause{worse}")
    if triggers:
        parts.append(f"{words.mid(triggers[0].title)} was the trigger that gave the pretext and the means to act")
    if short_term:
        parts.append(f"{words.mid(short_term[0].title)} explains the timing and scale of {event}")
    return sentence("; ".join(parts)) if parts else ""


def links_to_make(main: tuple[Cause, ...], words: Words, event: str) -> tuple[str, ...]:
    """The links between the main factors a top answer makes explicit."""
    long_term, triggers, short_term = _by_time(main)
    made = []
    if len(long_term) > 1:
        made.append(
            f"{sentence(long_term[0].title)[:-1]} → {words.mid(long_term[1].title)}: long-term causes that fed each "
            "other (“This was made worse by …”)."
        )
    if long_term and triggers:
        made.append(
            f"{sentence(long_term[0].title)[:-1]} + {words.mid(triggers[0].title)}: the trigger turned a long-term "
            "motive into action (“Without …, … would not have …”)."
        )
    if triggers and short_term:
        made.append(
            f"{sentence(triggers[0].title)[:-1]} → {words.mid(short_term[0].title)}: the machinery the trigger set up, "
            f"with this short-term cause, explains the scale of {event} (“As a result …”)."
        )
    elif long_term and short_term:
        made.append(
            f"{sentence(long_term[0].title)[:-1]} → {words.mid(short_term[0].title)}: the short-term cause explains "
            f"the timing and scale of {event} (“As a result …”)."
        )
    return tuple(made)


def counter_arguments(
    factors: list[tuple[str, Cause | None]], main: tuple[Cause, ...], words: Words
) -> tuple[str, ...]:
    """Main factors not named in the question: the other side of the argument."""
    named = {c.id for _, c in factors if c}
    made = []
    for cause in main:
        if cause.id in named:
            continue
        made.append(f"{sentence(cause.title)[:-1]}: {words.mid(cause.evidence[0])}")
    return tuple(made)


def model_paragraph(cause: Cause, main: tuple[Cause, ...], words: Words, event: str, clause: str) -> Model:
    """A model PEEL paragraph built from one cause's title and evidence (PEDAGOGY 1.3 starters)."""
    title = words.mid(cause.title)
    point = f"One important reason why {clause} was {title}."
    connectives = ["For example,", "In addition,", "Moreover,"]
    items = cause.evidence[:3]
    sentences_ = [f"{connectives[i]} {words.mid(sentence(e))}" for i, e in enumerate(items)]
    if cause.timescale is Timescale.trigger:
        kind = "the trigger"
        why = (
            f"on its own it did not cause {event}, but it gave the pretext and the means to act against people "
            "who were already distrusted, so events moved quickly."
        )
    elif cause.timescale is Timescale.long_term:
        kind = f"a long-term, {cause.category.value} cause"
        why = f"it had been building up for years, so it helps to explain why {clause} at all, not just when."
    else:
        kind = f"a short-term, {cause.category.value} cause"
        why = f"it came just before and during {event}, so it helps to explain their timing and their scale."
    explain = f"This matters because it was {kind}: {why}"
    if cause.disputed:
        explain += f" However, {words.mid(cause.disputed)}"
    long_term, triggers, _ = _by_time(main)
    if cause.timescale is Timescale.trigger:
        partner = next((c for c in long_term if c != cause), None)
        tail = ": the trigger only mattered so much because this long-term cause already existed."
    else:
        partner = next((c for c in triggers if c != cause), None)
        tail = ": without this cause, that event would not have had such serious consequences."
    if partner is None:
        partner = next((c for c in main if c != cause), None)
        tail = ", which made it worse."
    link = f"Therefore, {title} helps to explain why {clause}."
    if partner is not None:
        link += f" It also links to {words.mid(partner.title)}{tail}"
    return Model(
        factor=cause.title,
        point=point,
        evidence=" ".join(sentences_),
        explain=explain,
        link=link,
        explain_starter=f"This matters because it was {kind}:",
        link_starter=f"Therefore, this helps to explain why {clause}. It also links to",
        point_start=f"One reason {clause} was {title}.",
        evidence_start=sentences_[0] if sentences_ else "",
        evidence_used=f"{items[0]}" if items else "",
    )
