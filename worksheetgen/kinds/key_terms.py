"""Key-term matching: choose the terms, letter and shuffle the definitions, add distractors.

Rules from PEDAGOGY.md 1.5 and its finish rules: numbered terms, lettered definitions never in
term order, a one-to-one match with unambiguous definitions. So a term is only used if its printed
definition does not give it away (the term, or a main word of it in any form: "Trotsky" for
"Trotskyite"), and no printed definition names another term on the sheet or one of its
alternative forms (a pupil could match on the word instead of the meaning). Distractors are
definitions of glossary terms that are not on the sheet.

Which terms a tier gets never depends on the seed (a class is taught together): the essential
terms first, then the tier's levels (support foundation, core core, challenge advanced), each in
glossary order. The seed only shuffles the definitions.

Support prints the `simple` definitions. Core prints each definition's core meaning (its main
clause, without a closing bracketed aside; the key gives the full glossary definition). The
challenge tier has no definitions: pupils write their own and then use three terms in one
sentence that answers the key question; the key's model sentence is built from the topic's causes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.common import letters, shuffled
from worksheetgen.kinds.language import framing, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Cause, Content, Level, Term
from worksheetgen.wording import counted

TERMS = {Tier.support: 6, Tier.core: 10, Tier.challenge: 8}
DISTRACTORS = {Tier.support: 0, Tier.core: 2, Tier.challenge: 0}
SENTENCE_TERMS = 3
MAIN_CLAUSE_WORDS = 7
# Which terms a tier takes first after the essential ones (PEDAGOGY.md finish rules: vocabulary is
# graded): support the foundational terms, challenge the demanding ones, core the core ones.
LEVELS = {
    Tier.support: (Level.foundation, Level.core, Level.advanced),
    Tier.core: (Level.core, Level.foundation, Level.advanced),
    Tier.challenge: (Level.advanced, Level.core, Level.foundation),
}
# Words of a term too common to give it away ("enemy of the people": only "enemy" and "people" count).
_MINOR = frozenset("a an and the of in on to for by at".split())
# Endings taken off a word to find its stem ("Trotskyite" -> "trotsky", "confession" -> "confess").
_ENDINGS = tuple("isation ization ations ation ites ite ists ist isms ism ions ion ing ers er ed ies es s y e".split())
_WORD = re.compile(r"[^\W\d_]+")

ShownFn = Callable[[Term], str]  # which definition a tier prints


@dataclass(frozen=True)
class KeyTerm:
    """A numbered term, the letter of its definition, and the definitions the key shows."""

    number: int
    term: str
    letter: str  # "" on the challenge tier (no definitions to match)
    shown: str  # the definition printed on the pupil sheet (simple on support)
    definition: str  # the full glossary definition
    simple: str  # the simpler definition (or the full one if there is none)


@dataclass(frozen=True)
class Definition:
    """A lettered definition; `number` is the term it matches, None for a distractor."""

    letter: str
    text: str
    term: str  # the glossary term it defines
    number: int | None


@dataclass(frozen=True)
class Row:
    """One line of the two-column matching table: a term (or none) and a definition (or none)."""

    term: KeyTerm | None
    definition: Definition | None


@dataclass(frozen=True)
class Part:
    """A piece of the model sentence; the key terms in it are bold."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class KeyTerms:
    """Everything the key-terms templates need for one tier."""

    matching: bool  # support and core match; challenge writes definitions
    terms: tuple[KeyTerm, ...]
    definitions: tuple[Definition, ...]  # lettered, in printed order
    distractors: tuple[Definition, ...]
    rows: tuple[Row, ...]
    sentence: tuple[Part, ...]  # the key's model sentence (challenge), terms in bold
    sentence_terms: tuple[str, ...]
    frame: str  # "history", "geography" or "other": how the tasks and the key are worded
    why: bool  # the key question asks why something happened
    spellings: str  # the content's note on spellings to accept ("" if none)
    notes: tuple[str, ...] = ()


@kind("key-terms")
def prepare(content: Content, tier: Tier, rng: random.Random) -> KeyTerms:
    """Choose terms and distractors for `tier` (the same for every seed), letter the definitions with `rng`."""
    notes: list[str] = []
    matching = tier is not Tier.challenge

    def shown(term: Term) -> str:
        return (term.simple or term.definition) if tier is Tier.support else core_definition(term.definition)

    ranked = by_priority(content.glossary, tier)
    pool = [t for t in ranked if not matching or not names_own_term(shown(t), t)]
    chosen = choose_terms(pool, TERMS[tier], shown if matching else None)
    distractors = choose_distractors(pool, chosen, DISTRACTORS[tier], shown) if matching else []
    chosen = [t for t in content.glossary if t in chosen]  # numbered in glossary order
    for term in content.glossary:
        if term.essential and term not in chosen:
            notes.append(f"essential term {term.term!r} left out: {why_left_out(term, chosen, shown, matching)}")
    essential = sum(t.essential for t in chosen)
    if essential > TERMS[tier]:
        notes.append(
            f"{essential} essential terms: more than the {TERMS[tier]} the {tier.value} tier aims for, all used"
        )
    if len(chosen) < TERMS[tier]:
        notes.append(
            f"only {counted(len(chosen), 'term')} could be used for the {tier.value} tier (aim: {TERMS[tier]})"
        )

    if matching:
        answers = [(t, n) for n, t in enumerate(chosen, start=1)]
        extra: list[tuple[Term, int | None]] = [(t, None) for t in distractors]
        order = in_mixed_order(answers, extra, rng)
        definitions = tuple(
            Definition(letter, shown(t), t.term, n) for letter, (t, n) in zip(letters(len(order)), order, strict=True)
        )
    else:
        definitions = ()
    letter_of = {d.number: d.letter for d in definitions if d.number is not None}
    terms = tuple(
        KeyTerm(n, t.term, letter_of.get(n, ""), shown(t), t.definition, t.simple or t.definition)
        for n, t in enumerate(chosen, start=1)
    )
    rows = tuple(
        Row(terms[i] if i < len(terms) else None, definitions[i] if i < len(definitions) else None)
        for i in range(max(len(terms), len(definitions)))
    )
    sentence: tuple[Part, ...] = ()
    used: tuple[str, ...] = ()
    if not matching:
        sentence, used = model_sentence(content, chosen)
        if len(used) < SENTENCE_TERMS:
            notes.append("the key's model sentence could not use three of the terms: the topic has too few causes")
    return KeyTerms(
        matching=matching,
        terms=terms,
        definitions=definitions,
        distractors=tuple(d for d in definitions if d.number is None),
        rows=rows,
        sentence=sentence,
        sentence_terms=used,
        frame=framing(content).discipline,
        why=parse_question(content).form == "why",
        spellings=content.spellings or "",
        notes=tuple(notes),
    )


def by_priority(glossary: list[Term], tier: Tier) -> list[Term]:
    """Essential terms first, then the tier's levels in its order of preference, each in glossary order."""
    levels = LEVELS[tier]
    return sorted(glossary, key=lambda t: (not t.essential, levels.index(t.level)))


def core_definition(definition: str) -> str:
    """The definition's core meaning, shorter to print: the main clause, without a closing bracketed aside.

    'Removing people from the party, jobs or the army; in the 1930s this came to mean arrest.' ->
    'Removing people from the party, jobs or the army.'  A first clause of fewer than seven words
    ('The People's Commissariat for Internal Affairs; ...') is kept with the rest, as it may only name the thing.
    """
    text = definition.strip()
    trimmed = re.sub(r"\s*\([^()]*\)(?=[.!]?$)", "", text)
    text = trimmed if len(trimmed.split()) >= MAIN_CLAUSE_WORDS else text
    main, sep, _ = text.partition(";")
    if sep and "(" not in main and len(main.split()) >= MAIN_CLAUSE_WORDS:
        text = main.rstrip(" ,") + "."
    return text


def pattern(term: Term) -> re.Pattern[str]:
    """The term or one of its alternatives as a whole word, allowing a plural ending."""
    forms = sorted({term.term, *term.alternatives}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


def names_term(text: str, term: Term) -> bool:
    """The text uses the term itself (with a plural ending), not just an alternative such as 'labour camps'.

    The model sentence must use the term itself.
    """
    return bool(_term_only(term).search(text))


def _term_only(term: Term) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term.term)}(?:e?s)?(?!\w)", re.IGNORECASE)


def stem(word: str) -> str:
    """The word without a common ending, at least four letters: 'Trotskyite' -> 'trotsky', 'purged' -> 'purg'."""
    lower = word.lower()
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            return lower[: -len(ending)]
    return lower


def _shares_stem(text: str, word: str) -> bool:
    """A word of `text` is `word` or a form of it: 'Trotsky' for 'Trotskyite', 'collective' for 'collectivisation'."""
    root = stem(word)
    if word.isupper() or len(root) < 4:  # acronyms and short words: the word itself, or its plural
        return any(w.lower() in (word.lower(), word.lower() + "s") for w in _WORD.findall(text))
    return any(w.lower().startswith(root) or stem(w) == root for w in _WORD.findall(text))


def names_own_term(text: str, term: Term) -> bool:
    """A definition gives its own term away: it names the term, an alternative, or any main word of it
    in some form ('A supporter of Trotsky' for 'Trotskyite', 'a state plan' for 'Five-Year Plan')."""
    words = [w for w in _WORD.findall(term.term) if w.lower() not in _MINOR]
    return mentions(text, term) or any(_shares_stem(text, w) for w in words if len(w) >= 4 or w.isupper())


def mentions(text: str, term: Term) -> bool:
    """The text names the term or one of its alternative forms (a one-word term in any form: 'confessed')."""
    if pattern(term).search(text):
        return True
    return " " not in term.term and "-" not in term.term and _shares_stem(text, term.term)


def compatible(terms: Sequence[Term], shown: ShownFn) -> bool:
    """No printed definition names another term on the sheet."""
    return not any(a is not b and mentions(shown(a), b) for a in terms for b in terms)


def choose_terms(pool: list[Term], count: int, shown: ShownFn | None) -> list[Term]:
    """Up to `count` terms in the pool's order (essential first), skipping any whose printed definition
    names a term already chosen or is named by one (`shown` None: no definitions are printed)."""
    chosen: list[Term] = []
    for term in pool:
        if len(chosen) >= count and not term.essential:
            break
        if shown is None or compatible([*chosen, term], shown):
            chosen.append(term)
    return chosen


def choose_distractors(pool: list[Term], chosen: list[Term], count: int, shown: ShownFn) -> list[Term]:
    """The next terms in the pool whose definitions name no term on the sheet: plausible, never a giveaway."""
    distractors: list[Term] = []
    for term in pool:
        if len(distractors) < count and term not in chosen and not any(mentions(shown(term), c) for c in chosen):
            distractors.append(term)
    return distractors


def why_left_out(term: Term, chosen: list[Term], shown: ShownFn, matching: bool) -> str:
    """A note for the teacher on an essential term that could not be used."""
    if matching and names_own_term(shown(term), term):
        return "its definition names the term itself"
    clash = [c.term for c in chosen if mentions(shown(term), c) or mentions(shown(c), term)]
    return f"its definition and that of {', '.join(clash)} name each other" if clash else "no room"


def in_mixed_order(
    answers: list[tuple[Term, int]], extra: list[tuple[Term, int | None]], rng: random.Random
) -> list[tuple[Term, int | None]]:
    """Answers and distractors shuffled together; the answers never stand in term order."""
    items: list[tuple[Term, int | None]] = [*answers, *extra]
    order = shuffled(items, rng)
    numbers = [n for _, n in order if n is not None]
    if len(numbers) > 1 and numbers == sorted(numbers):
        first = next(i for i, (_, n) in enumerate(order) if n == numbers[0])
        second = next(i for i, (_, n) in enumerate(order) if n == numbers[1])
        order[first], order[second] = order[second], order[first]
    return order


# The challenge key's model sentence -----------------------------------------------------------


def model_sentence(content: Content, terms: list[Term]) -> tuple[tuple[Part, ...], tuple[str, ...]]:
    """'The purges happened because of A, B and C.', each phrase a cause naming one term (in bold)."""
    plan = _sentence_plan(content.causes, terms)[:SENTENCE_TERMS]
    if not plan:
        return (), ()
    phrases = [_cause_phrase(cause, term, content) for term, cause in plan]
    parts: list[Part] = [Part(parse_question(content).because + " ")]
    for i, phrase in enumerate(phrases):
        if i:
            last = i == len(phrases) - 1
            # A comma before the last "and" when the phrase before it holds its own "and".
            joiner = ", and " if last and " and " in "".join(p.text for p in phrases[i - 1]) else " and "
            parts.append(Part(joiner if last else ", "))
        parts.extend(phrase)
    parts.append(Part("."))
    return tuple(parts), tuple(term.term for term, _ in plan)


def _sentence_plan(causes: list[Cause], terms: list[Term], titles_only: bool = False) -> list[tuple[Term, Cause]]:
    """Pairs of (term, a cause that names it), one term per cause; causes naming a term in their title first.

    Only the term itself counts (with a plural ending), not its alternatives: the sentence must use the term.
    """
    plan: list[tuple[Term, Cause]] = []
    used: set[str] = set()
    for in_title in (True,) if titles_only else (True, False):
        for term in terms:
            if any(t is term for t, _ in plan):
                continue
            for cause in causes:
                texts = [_short_title(cause)] if in_title else cause.evidence
                if cause.id not in used and any(names_term(text, term) for text in texts):
                    plan.append((term, cause))
                    used.add(cause.id)
                    break
    return plan


def _short_title(cause: Cause) -> str:
    """The title up to a colon: 'The NKVD machine: pressure from the top' -> 'The NKVD machine'."""
    return cause.title.split(":")[0].strip()


def _cause_phrase(cause: Cause, term: Term, content: Content) -> list[Part]:
    """The cause's title naming the term, or the title with the clause of evidence that names it."""
    title = _lower_first(_short_title(cause), content)
    if names_term(title, term):
        return _bold(title, term)
    evidence = next(e for e in cause.evidence if names_term(e, term))
    clause = next(c for c in re.split(r"[;:]\s*", evidence) if names_term(c, term))
    return [Part(f"{title} ("), *_bold(_lower_first(clause.strip().rstrip("."), content), term), Part(")")]


def _bold(text: str, term: Term) -> list[Part]:
    parts: list[Part] = []
    last = 0
    for match in _term_only(term).finditer(text):
        parts += [Part(text[last : match.start()]), Part(match.group(0), bold=True)]
        last = match.end()
    parts.append(Part(text[last:]))
    return [p for p in parts if p.text]


def _lower_first(text: str, content: Content) -> str:
    """Lower-case the first letter for use mid-sentence, unless it starts a name or an acronym."""
    first = re.split(r"[\s’']", text, maxsplit=1)[0]
    names = {w for p in content.people for w in (*p.name.split(), p.short_name)}
    if first in names or first.isupper() or not first[:1].isupper():
        return text
    return text[0].lower() + text[1:]
