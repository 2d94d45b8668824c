"""Gap-fill (cloze): choose the gaps, the word bank and the distractors for one tier.

Rules from PEDAGOGY.md 1.1: no gap in the first or last sentence, at most one gap per
sentence, content words only, and a word bank never in gap order. Additionally an answer
is only gapped if it appears nowhere else in the passage, so the page never gives it away.

Support reads the content's shorter `summary_support` passage when there is one. Its gaps are
chosen in pairs whose answers share a first letter, and a gap shows its answer's first letter
(in a fixed-width blank, so the length is not given away either) only when another word in the
bank starts with the same letter: the hints help, but never solve the word bank on their own.
Large numbers (1,548,367) are never expected exactly from memory: the key accepts a rounded
figure ("about 1.5 million") and any figure within about a tenth of it.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from worksheetgen.document import Tier
from worksheetgen.kinds.language import framing, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.layout import GAP_RULE
from worksheetgen.model import Cause, Content, Misconception, Term
from worksheetgen.wording import counted

_MARK = re.compile(r"\[\[([^\[\]|]+)((?:\|[^\[\]|]+)*)\]\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9\"'‘“(])")
# A number standing alone: not part of a date like 1914-06-28, a time like 1:30 or a range 1936–38.
_NUMBER = re.compile(r"(?<![\w,.\-/:–])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?%?)(?![\w,\-/:–]|\.\d)")

# How many gaps each tier aims for (PEDAGOGY.md 1.1), and whether dates/numbers may be gapped.
TARGET_GAPS = {Tier.support: 7, Tier.core: 11, Tier.challenge: 14}
MAX_SUPPORT_GAPS = 8
FOLLOW_UP_POINTS = 4  # causes the challenge key lists for the follow-up question
GLOSSED = 2  # support: at most this many key words explained beside the passage
ROUGHLY = 0.1  # a rounded large number is accepted within this fraction of the true figure
MIN_NUMERIC = {Tier.support: 0, Tier.core: 0, Tier.challenge: 4}
MAX_NUMERIC = {Tier.support: 0, Tier.core: 2, Tier.challenge: 6}
DISTRACTORS = {Tier.support: 0, Tier.core: 3, Tier.challenge: 0}


@dataclass(frozen=True)
class Candidate:
    """A possible gap: where it is, the answer as printed, and accepted alternatives."""

    sentence: int
    start: int
    end: int
    answer: str
    alternatives: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return bool(_NUMBER.fullmatch(self.answer))


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    text: str
    marks: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Answer:
    number: int
    answer: str
    alternatives: tuple[str, ...]
    hint: str
    approximately: str = ""  # for a large number: the rounded figures the key accepts


@dataclass(frozen=True)
class Part:
    """A piece of the passage: plain text, or a gap with its answer."""

    text: str = ""
    gap: Answer | None = None


@dataclass(frozen=True)
class Glossed:
    term: str
    definition: str


@dataclass(frozen=True)
class Slip:
    """The likeliest wrong answer for one gap: a word of the same kind, and what it really is."""

    number: int
    answer: str
    wrong: str
    why: str  # the wrong word's role or meaning, from the content


@dataclass(frozen=True)
class Point:
    """A point a good follow-up answer makes, for the challenge key: a cause and its first evidence."""

    title: str
    timescale: str
    category: str
    evidence: str


@dataclass(frozen=True)
class GapFill:
    """Everything the gap-fill templates need for one tier."""

    paragraphs: tuple[tuple[Part, ...], ...]
    answers: tuple[Answer, ...]
    bank: tuple[str, ...]
    distractors: tuple[str, ...]
    glossed: tuple[Glossed, ...]
    misconceptions: tuple[Misconception, ...]
    hinted: int  # support: how many gaps show a first letter
    rounded: bool  # a gap needs a large number, which may be given rounded
    frame: str  # "history", "geography" or "other": how the follow-up and the key are worded
    enquiry: str  # "why the purges happened", or "the question “...”"
    form: str  # the key question's form: "why", "how" or "other"
    points: tuple[Point, ...]  # challenge key: what a good follow-up answer includes
    key_words: tuple[str, ...]  # challenge key, when the topic has no causes: terms a good answer uses
    spellings: str  # the content's note on spellings to accept ("" if none)
    notes: tuple[str, ...] = field(default=())
    slips: tuple[Slip, ...] = ()  # the key: each gap's likeliest wrong answer and why it is wrong


@kind("gap-fill")
def prepare(content: Content, tier: Tier, rng: random.Random) -> GapFill:
    """Choose gaps, bank and glosses for `tier`, deterministically from `rng`."""
    sentences = split_passage(passage_of(content, tier))
    question = parse_question(content)
    candidates, notes = find_candidates(sentences, content)
    chosen = choose_gaps(candidates, len(sentences), tier, rng)
    answers = number_answers(chosen, tier)
    paragraphs = build_parts(sentences, chosen, answers)
    distractors = pick_distractors(content, sentences, chosen, DISTRACTORS[tier], rng)
    bank = () if tier is Tier.challenge else shuffled_bank([a.answer for a in answers], distractors, rng)
    glossed = glossed_terms(content, paragraphs) if tier is Tier.support else ()
    if len(answers) < TARGET_GAPS[tier] - 1:
        made = counted(len(answers), "gap")
        notes.append(f"only {made} could be made for the {tier.value} tier (aim: {TARGET_GAPS[tier]})")
    if tier is Tier.support and content.summary and not content.summary_support:
        notes.append("no summary_support in the content: the support tier uses the full passage")
    return GapFill(
        paragraphs,
        answers,
        bank,
        distractors,
        glossed,
        misconceptions=relevant_misconceptions(content, answers),
        slips=slips_for(content, answers, bank),
        hinted=sum(bool(a.hint) for a in answers),
        rounded=any(a.approximately for a in answers),
        frame=framing(content).discipline,
        enquiry=question.enquiry,
        form=question.form,
        points=follow_up_points(content.causes),
        key_words=tuple(t.term for t in content.glossary[:6]),
        spellings=content.spellings or "",
        notes=tuple(notes),
    )


def passage_of(content: Content, tier: Tier = Tier.core) -> list[str]:
    """The support passage for support if given, else the summary, else one made from the dated events."""
    if tier is Tier.support and content.summary_support:
        return list(content.summary_support)
    if content.summary:
        return list(content.summary)
    return [" ".join(f"{e.date}: {e.title.rstrip('.')}." for e in content.events)]


def follow_up_points(causes: list[Cause]) -> tuple[Point, ...]:
    """The essential causes first, then the others in content order."""
    ranked = sorted(causes, key=lambda c: not c.essential)[:FOLLOW_UP_POINTS]
    return tuple(Point(c.title, c.timescale.value, c.category.value, c.evidence[0]) for c in ranked)


def split_passage(paragraphs: list[str]) -> list[Sentence]:
    """Split paragraphs into sentences, lifting `[[answer|alt]]` marks out of the text."""
    sentences: list[Sentence] = []
    for p_index, raw in enumerate(paragraphs):
        plain, marks = _lift_marks(raw)
        start = 0
        for boundary in [*_SENTENCE_END.finditer(plain), None]:
            end = boundary.start() if boundary else len(plain)
            stop = boundary.end() if boundary else len(plain)
            text = plain[start:stop]
            index = len(sentences)
            inside = tuple(
                Candidate(index, m.start - start, m.end - start, m.answer, m.alternatives)
                for m in marks
                if start <= m.start < end
            )
            if text.strip():
                sentences.append(Sentence(p_index, text, inside))
            start = stop
    return sentences


def _lift_marks(text: str) -> tuple[str, list[Candidate]]:
    plain = ""
    marks: list[Candidate] = []
    last = 0
    for match in _MARK.finditer(text):
        plain += text[last : match.start()]
        answer = match.group(1).strip()
        alternatives = tuple(a.strip() for a in match.group(2).split("|") if a.strip())
        marks.append(Candidate(-1, len(plain), len(plain) + len(answer), answer, alternatives))
        plain += answer
        last = match.end()
    return plain + text[last:], marks


MAX_CANDIDATES = 1_000  # gaps a passage is searched for (a sheet uses at most 15)


def find_candidates(sentences: list[Sentence], content: Content) -> tuple[list[Candidate], list[str]]:
    """Author-marked gaps if there are any, else key terms, names, dates and numbers."""
    marked = [c for s in sentences for c in s.marks]
    found = marked or [c for i, s in enumerate(sentences) for c in _auto_candidates(i, s.text, content)]
    notes: list[str] = []
    if len(found) > MAX_CANDIDATES:  # each is counted over the whole passage: 30,000 took 70 s
        what = "marked gaps" if marked else "possible gaps"
        notes.append(f"only the first {MAX_CANDIDATES:,} of {len(found):,} {what} in the passage were considered")
        found = found[:MAX_CANDIDATES]
    whole = " ".join(s.text for s in sentences)
    lowered = whole.lower()
    known = _known_alternatives(content)
    usable: list[Candidate] = []
    counts: dict[str, int] = {}  # once per answer: 5,000 marks of one word in a long passage took 80 s
    for c in found:
        if c.answer not in counts:
            counts[c.answer] = _occurrences(c.answer, whole, lowered)
        if counts[c.answer] > 1:
            if marked:
                notes.append(f"gap [[{c.answer}]] not used: the answer also appears elsewhere in the passage")
            continue
        extra = tuple(a for a in known.get(c.answer.lower(), ()) if a not in c.alternatives and a != c.answer)
        usable.append(Candidate(c.sentence, c.start, c.end, c.answer, c.alternatives + extra))
    return usable, notes


def _auto_candidates(index: int, text: str, content: Content) -> list[Candidate]:
    words = [t.term for t in content.glossary] + [p.short_name for p in content.people]
    found = []
    for word in words:
        match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
        if match:
            found.append(Candidate(index, match.start(), match.end(), match.group(0)))
    found.extend(Candidate(index, m.start(), m.end(), m.group(0)) for m in _NUMBER.finditer(text))
    return found


def _known_alternatives(content: Content) -> dict[str, tuple[str, ...]]:
    """Accepted alternatives from the glossary and people, by answer."""
    known: dict[str, tuple[str, ...]] = {}
    for term in content.glossary:
        known[term.term.lower()] = tuple(term.alternatives)
    for person in content.people:
        known[person.short_name.lower()] = tuple(person.alternatives)
    return known


def _occurrences(answer: str, text: str, lowered: str | None = None) -> int:
    """How often `answer` is in `text` as whole words, whatever the case (`lowered`: text.lower()).

    A plain search with a look at the characters either side: a regular expression per
    answer was most of the time spent choosing a passage's gaps."""
    needle, haystack = answer.lower(), text.lower() if lowered is None else lowered
    if not needle or len(needle) != len(answer) or len(haystack) != len(text):  # lower() changed a length
        return len(re.findall(rf"(?<!\w){re.escape(answer)}(?!\w)", text, re.IGNORECASE))
    count, start = 0, haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        whole = not _is_word_char(haystack, start - 1) and not _is_word_char(haystack, end)
        count += whole
        start = haystack.find(needle, end if whole else start + 1)  # matches do not overlap
    return count


def _is_word_char(text: str, index: int) -> bool:
    """Whether text[index] exists and is a letter, digit or underscore (as regex `\\w`)."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def choose_gaps(candidates: list[Candidate], sentence_count: int, tier: Tier, rng: random.Random) -> list[Candidate]:
    """At most one gap per sentence, none in the first or last, the tier's mix of numbers."""
    by_sentence: dict[int, list[Candidate]] = {}
    for c in candidates:
        if 0 < c.sentence < sentence_count - 1:
            by_sentence.setdefault(c.sentence, []).append(c)
    if tier is Tier.support:
        return _unique_answers(choose_paired(by_sentence, rng))
    numeric = [s for s, cs in by_sentence.items() if any(c.numeric for c in cs)]
    verbal = [s for s, cs in by_sentence.items() if any(not c.numeric for c in cs)]
    target = TARGET_GAPS[tier]
    chosen: dict[int, Candidate] = {}
    for s in rng.sample(numeric, min(len(numeric), MIN_NUMERIC[tier])):
        chosen[s] = rng.choice([c for c in by_sentence[s] if c.numeric])
    for s in rng.sample(verbal, len(verbal)):
        if len(chosen) >= target:
            break
        if s not in chosen:
            chosen[s] = rng.choice([c for c in by_sentence[s] if not c.numeric])
    extra_numeric = MAX_NUMERIC[tier] - sum(c.numeric for c in chosen.values())
    for s in rng.sample(numeric, len(numeric)):
        if len(chosen) >= target or extra_numeric <= 0:
            break
        if s not in chosen:
            chosen[s] = rng.choice([c for c in by_sentence[s] if c.numeric])
            extra_numeric -= 1
    return _unique_answers(sorted(chosen.values(), key=lambda c: (c.sentence, c.start)))


def choose_paired(by_sentence: dict[int, list[Candidate]], rng: random.Random) -> list[Candidate]:
    """Support gaps (no numbers) in pairs whose answers share a first letter, then any others to reach six.

    Letters are taken in an order shuffled by `rng`, two sentences each, until the target is met.
    """
    words = [c for s in sorted(by_sentence) for c in by_sentence[s] if not c.numeric]
    groups: dict[str, list[Candidate]] = {}
    for c in words:
        groups.setdefault(c.answer[0], []).append(c)
    chosen: dict[int, Candidate] = {}
    for letter in rng.sample(sorted(groups), len(groups)):
        if len(chosen) >= TARGET_GAPS[Tier.support]:
            break
        pair = _two_apart([c for c in groups[letter] if c.sentence not in chosen], rng)
        if len(pair) == 2 and len(chosen) + 2 <= MAX_SUPPORT_GAPS:
            chosen.update((c.sentence, c) for c in pair)
    for c in rng.sample(words, len(words)):
        if len(chosen) >= TARGET_GAPS[Tier.support] - 1:
            break
        if c.sentence not in chosen and c.answer.lower() not in {o.answer.lower() for o in chosen.values()}:
            chosen[c.sentence] = c
    return sorted(chosen.values(), key=lambda c: (c.sentence, c.start))


def _two_apart(options: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Two candidates in different sentences with different answers (fewer if there are none)."""
    pair: list[Candidate] = []
    for c in rng.sample(options, len(options)):
        if len(pair) < 2 and all(c.sentence != p.sentence and c.answer.lower() != p.answer.lower() for p in pair):
            pair.append(c)
    return pair


def _unique_answers(chosen: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    unique = []
    for c in chosen:
        if c.answer.lower() not in seen:
            seen.add(c.answer.lower())
            unique.append(c)
    return unique


def number_answers(chosen: list[Candidate], tier: Tier) -> tuple[Answer, ...]:
    """Numbered answers; on support a first-letter hint where another answer shares the letter."""
    firsts = [c.answer[0] for c in chosen]
    return tuple(
        Answer(
            n,
            c.answer,
            c.alternatives,
            hint_for(c.answer) if tier is Tier.support and firsts.count(c.answer[0]) > 1 else "",
            approximately(c.answer),
        )
        for n, c in enumerate(chosen, start=1)
    )


def hint_for(answer: str) -> str:
    """The first letter in a blank as wide as any other gap: `Kirov` -> `K_____________`."""
    return answer[0] + GAP_RULE[1:]


def approximately(answer: str) -> str:
    """For a large number, the rounded figures a key accepts: '681,692' -> 'about 680,000 (...)'.

    Years and numbers under 1,000 are exact, so they get nothing.
    """
    digits = answer.replace(",", "")
    if not digits.isdigit() or int(digits) < 1000 or ("," not in answer and len(digits) == 4):
        return ""
    value = int(digits)
    low, high = _rounded(value * (1 - ROUGHLY)), _rounded(value * (1 + ROUGHLY))
    return f"about {_rounded(value)} (any figure from {low} to {high})"


def _rounded(value: float) -> str:
    """Two significant figures in words a pupil would write: 1548367 -> '1.5 million', 681692 -> '680,000'."""
    exponent = len(str(int(value))) - 2
    rounded = round(value / 10**exponent) * 10**exponent
    if rounded >= 1_000_000:
        return f"{rounded / 1_000_000:g} million"
    return f"{rounded:,}"


def build_parts(
    sentences: list[Sentence], chosen: list[Candidate], answers: tuple[Answer, ...]
) -> tuple[tuple[Part, ...], ...]:
    """The passage as paragraphs of text and gap parts."""
    gap_at = {c.sentence: (c, a) for c, a in zip(chosen, answers, strict=True)}
    paragraphs: dict[int, list[Part]] = {}
    for index, sentence in enumerate(sentences):
        parts = paragraphs.setdefault(sentence.paragraph, [])
        if index in gap_at:
            c, answer = gap_at[index]
            parts += [Part(sentence.text[: c.start]), Part(gap=answer), Part(sentence.text[c.end :])]
        else:
            parts.append(Part(sentence.text))
    return tuple(tuple(p for p in parts if p.gap or p.text) for _, parts in sorted(paragraphs.items()))


def pick_distractors(
    content: Content, sentences: list[Sentence], chosen: list[Candidate], count: int, rng: random.Random
) -> tuple[str, ...]:
    """Plausible wrong answers that appear nowhere in the passage: names, terms, a year."""
    if count == 0:
        return ()
    whole = " ".join(s.text for s in sentences)
    taken = {c.answer.lower() for c in chosen} | {a.lower() for c in chosen for a in c.alternatives}
    people = {p.short_name for p in content.people}
    words = [p.short_name for p in content.people] + [t.term for t in content.glossary]
    years = sorted({m.group(0) for e in content.events for m in re.finditer(r"\b1\d{3}\b|\b20\d{2}\b", e.date)})
    pool = [w for w in dict.fromkeys(words + years) if w.lower() not in taken and _occurrences(w, whole) == 0]
    by_kind: dict[str, list[str]] = {}
    for word in pool:
        by_kind.setdefault(word_kind(word, people), []).append(word)
    # The answers' kinds, commonest first: each distractor is the same kind of word as some answers
    # (a name among names, an abbreviation beside NKVD, a year only when a gap needs a year).
    wanted = Counter(word_kind(c.answer, people) for c in chosen)
    kinds = [k for k, _ in sorted(wanted.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0]))) if by_kind.get(k)]
    picked: list[str] = []
    while len(picked) < count and any(by_kind.get(k) for k in kinds):
        for k in kinds:
            if by_kind[k] and len(picked) < count:
                picked.append(by_kind[k].pop(rng.randrange(len(by_kind[k]))))
    return tuple(picked)


KINDS = ("person", "abbreviation", "name", "term", "year", "number")


def word_kind(word: str, people: set[str]) -> str:
    """What sort of word an answer is, so a distractor can be the same sort: a person, an
    abbreviation (NKVD), a capitalised name (Politburo), a lower-case term, a year or a number."""
    if word in people:
        return "person"
    if re.fullmatch(r"1\d{3}|20\d{2}", word):
        return "year"
    if re.fullmatch(r"[\d,.]+", word):
        return "number"
    if word.isupper():
        return "abbreviation"
    return "name" if word[:1].isupper() else "term"


def shuffled_bank(answers: list[str], distractors: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Answers and distractors shuffled; the answers never stand in gap order."""
    bank = answers + list(distractors)
    rng.shuffle(bank)
    if len(answers) > 1 and [w for w in bank if w in answers] == answers:
        first = bank.index(answers[0])
        second = bank.index(answers[1])
        bank[first], bank[second] = bank[second], bank[first]
    return tuple(bank)


def glossed_terms(content: Content, paragraphs: tuple[tuple[Part, ...], ...]) -> tuple[Glossed, ...]:
    """Simple definitions of glossary terms visible in the passage (never a gapped one), essential ones first."""
    visible = " ".join(p.text for para in paragraphs for p in para if p.gap is None)
    gapped = " ".join(p.gap.answer for para in paragraphs for p in para if p.gap)
    seen = [t for t in content.glossary if any(_occurrences(f, visible) for f in (t.term, *t.alternatives))]
    shown = [t for t in seen if not any(_occurrences(f, gapped) for f in (t.term, *t.alternatives))]
    asked = [t for t in content.glossary if t.support_gloss and t in seen + _gapped_terms(content, gapped)]
    ranked = asked + sorted((t for t in shown if t not in asked), key=lambda t: not t.essential)
    return tuple(Glossed(t.term, t.simple or t.definition) for t in ranked[: max(GLOSSED, len(asked))])


def _gapped_terms(content: Content, gapped: str) -> list[Term]:
    return [t for t in content.glossary if any(_occurrences(f, gapped) for f in (t.term, *t.alternatives))]


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
        return any(_occurrences(a.answer, f"{m.wrong} {m.right}") for a in answers)

    return tuple(m for m in content.misconceptions if mentions(m))[:limit]
