"""Source analysis (NOP: nature, origin, purpose): choose the source(s) and the key phrases.

PEDAGOGY.md 1.6: a source box with its provenance caption, then a grid of content,
provenance, context and judgement. Support prints two or three short key phrases of the
source in bold; challenge compares two sources. Every tier takes the essential sources first,
then the others in content order, whatever the seed: support and core analyse the same source
and challenge compares it with a second, so a class can discuss one source together.
Key phrases are chosen from the source text by simple rules (short, starting and ending on
content words, not cutting a phrase such as "dogs | of capitalism"), preferring numbers,
linked phrases ("removed by force") and words the source's provenance notes also use; `rng`
breaks ties.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from worksheetgen.document import Tier
from worksheetgen.kinds.common import letters
from worksheetgen.kinds.language import framing, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Content, Source
from worksheetgen.wording import counted

SOURCES = {Tier.support: 1, Tier.core: 1, Tier.challenge: 2}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a key phrase may not start or end with (articles and demonstratives may start one).
_STOP = _words("""a an the and or but so of to in on at by for from with as into onto than then that this these those
    which who whom whose what when where why how is are was were be been being has have had do does did will
    would shall should can cannot could may might must not no nor he she it they them their his her its our we
    us you your i my me himself themselves itself there here i.e. e.g. per tried try also very mostly either
    other such only just all any some one ones out up down off away over about like""")
_MAY_START = frozenset({"the", "a", "an", "these", "this", "those"})
# A phrase may not start right after these (it would cut "of | capitalism") ...
_BINDS_NEXT = _words(
    "of the a an his her their its our my your to by from this these those that at in on with for into"
)
# ... nor end right before these ("mad dogs | of capitalism", "give | up").
_CONTINUES = _words("of up down out off behind away over from")
_LINKS = _words("of by from and per to")
_AUXILIARIES = _words("is are was were be been has have had will would can cannot must should did does")
_NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten twelve twenty hundred hundreds thousand thousands million"
)
_OPEN, _CLOSE = "‘“\"'(", "’”\"'),;:.!?"
_BREAK_AFTER = re.compile(r"[,;:.!?)]$")


@dataclass(frozen=True)
class Part:
    """A piece of source text; key phrases are bold on the support tier."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Analysed:
    """One source on the sheet: its label, the source, its text in parts and its key phrases."""

    label: str  # "Source A"
    source: Source
    parts: tuple[Part, ...]
    phrases: tuple[str, ...]
    kind: str  # the nature in a few words, mid-sentence: "a secret political appeal"


@dataclass(frozen=True)
class SourceAnalysis:
    """Everything the source-analysis templates need for one tier."""

    sources: tuple[Analysed, ...]
    compare: bool  # challenge: two sources side by side
    enquiry: str  # "why the purges happened"
    frame: str  # "history", "geography" or "other": how the tasks and the key are worded
    notes: tuple[str, ...] = ()


@kind("source-analysis")
def prepare(content: Content, tier: Tier, rng: random.Random) -> SourceAnalysis:
    """Choose the source(s) and key phrases for `tier`, deterministically from `rng`."""
    notes: list[str] = []
    wanted = SOURCES[tier]
    chosen = sorted(content.sources, key=lambda s: not s.essential)[:wanted]
    if len(chosen) < wanted:
        notes.append(f"the {tier.value} tier needs {counted(wanted, 'source')}; the content has {len(content.sources)}")
    analysed = []
    for label, source in zip(letters(len(chosen)), chosen, strict=True):
        phrases = key_phrases(source, content, rng)
        parts = with_bold(source.text, phrases) if tier is Tier.support else (Part(source.text),)
        quoted = tuple(source.text[s:e] for s, e in phrases)
        analysed.append(Analysed(f"Source {label}", source, parts, quoted, kind_of(source)))
    compare = tier is Tier.challenge and len(analysed) > 1
    enquiry = parse_question(content).enquiry
    return SourceAnalysis(tuple(analysed), compare, enquiry, framing(content).discipline, tuple(notes))


def kind_of(source: Source) -> str:
    """The first clause of the nature, for use mid-sentence: 'A speech to ...; an extract.' -> 'a speech to ...'."""
    clause = re.split(r"[;.]", source.nature, maxsplit=1)[0].strip()
    first = clause.split(" ", 1)[0]
    return clause[:1].lower() + clause[1:] if first.lower() in {"a", "an", "the"} else clause


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    words: tuple[str, ...]
    clause_start: bool
    clause_end: bool


def key_phrases(source: Source, content: Content, rng: random.Random) -> list[tuple[int, int]]:
    """Two or three short, separate phrases of the source text, as (start, end) in text order."""
    text = source.text
    candidates = _candidates(text)
    notes = " ".join([source.nature, source.origin, source.purpose, source.limits or "", *source.context])
    vocabulary = {_stem(w) for w in re.findall(r"[\w’'-]+", notes) if len(w) > 3 and w.lower() not in _STOP}
    terms = {t.term.lower() for t in content.glossary}
    scored = sorted(candidates, key=lambda c: -(_score(c, vocabulary, terms) + rng.random() * 0.5))
    want = 3 if len(text.split()) >= 20 else 2
    chosen: list[_Candidate] = []
    for threshold in (1.0, 0.0, float("-inf")):
        for c in scored:
            if len(chosen) < want and _score(c, vocabulary, terms) >= threshold and _apart(c, chosen):
                chosen.append(c)
        if len(chosen) >= 2:
            break
    return sorted((c.start, c.end) for c in chosen)


def _candidates(text: str) -> list[_Candidate]:
    tokens = list(re.finditer(r"\S+", text))
    found = []
    for i in range(len(tokens)):
        for n in (2, 3, 4, 5):
            span = tokens[i : i + n]
            if len(span) < n or any(_BREAK_AFTER.search(t.group()) for t in span[:-1]):
                break
            if any(t.group().startswith("(") for t in span[1:]):
                break
            words = tuple(_core(t.group()).lower() for t in span)
            if _acceptable(words, tokens, i, n):
                start = span[0].start() + len(span[0].group()) - len(span[0].group().lstrip(_OPEN))
                end = span[-1].end() - (len(span[-1].group()) - len(span[-1].group().rstrip(_CLOSE)))
                clause_start = i == 0 or bool(_BREAK_AFTER.search(tokens[i - 1].group()))
                clause_end = i + n == len(tokens) or bool(_BREAK_AFTER.search(span[-1].group()))
                found.append(_Candidate(start, end, words, clause_start, clause_end))
    return found


def _acceptable(words: tuple[str, ...], tokens: list[re.Match[str]], i: int, n: int) -> bool:
    first, last = words[0], words[-1]
    if not first or not last or last in _STOP or (first in _STOP and first not in _MAY_START):
        return False
    if sum(w not in _STOP for w in words) < 2:
        return False
    if any(w in _AUXILIARIES or w.endswith("ly") for w in words):
        return False
    ends_clause = _BREAK_AFTER.search(tokens[i + n - 1].group())
    before = _core(tokens[i - 1].group()).lower() if i and not _BREAK_AFTER.search(tokens[i - 1].group()) else ""
    after = _core(tokens[i + n].group()).lower() if i + n < len(tokens) and not ends_clause else ""
    return before not in _BINDS_NEXT and after not in _CONTINUES


def _score(c: _Candidate, vocabulary: set[str], terms: set[str]) -> float:
    score = 0.0
    for word in c.words:
        if any(ch.isdigit() for ch in word) or word in _NUMBER_WORDS:
            score += 1
        if len(word) > 3 and word not in _STOP and _stem(word) in vocabulary:
            score += 1
    phrase = " ".join(c.words)
    score += sum(1 for term in terms if term in phrase)
    if any(w in _LINKS for w in c.words[1:-1]):
        score += 1
    score -= 0.5 * max(0, len(c.words) - 4)
    score -= 0.5 * sum(1 for w in c.words[1:-1] if w in _STOP and w not in _LINKS)
    return score + 0.5 * c.clause_start + 0.5 * c.clause_end


def _apart(c: _Candidate, chosen: list[_Candidate]) -> bool:
    """Not overlapping or touching a phrase already chosen (two bold phrases must not run together)."""
    return all(c.end + 1 < o.start or c.start > o.end + 1 for o in chosen)


def _core(token: str) -> str:
    return token.strip(_OPEN + _CLOSE)


def _stem(word: str) -> str:
    return word.lower()[:5]


def with_bold(text: str, spans: list[tuple[int, int]]) -> tuple[Part, ...]:
    """The text in parts, the given spans bold."""
    parts: list[Part] = []
    last = 0
    for start, end in spans:
        parts += [Part(text[last:start]), Part(text[start:end], bold=True)]
        last = end
    parts.append(Part(text[last:]))
    return tuple(p for p in parts if p.text)
