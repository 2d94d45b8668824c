"""Causes, quotations and sources.

Causes come only from causal language, taking the words on the cause's side: `A because B`
(B), `because of X` (X), `A led to / caused / resulted in B` (A), `B as a result of / due to A`
(A), `A, so B` (A); and from the points under a "why" heading. A fragment, a connective
(`Meanwhile`), a pronoun (`This was ...`) or a negation (`not the only reason`) is never a cause.
Each cause's category and time-scale are guessed from its words and marked as guesses.

A quotation is given to the person who says it: the name beside a speech verb (`Armstrong said:`,
`said he`), the person a `he`/`she` stands for, or the name just before it. A quotation split by
`said he` is joined again. A quotation with a speaker and a date, or a diary, letter or speech,
becomes a source with a provenance to finish, marked as a draft to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from worksheetgen.importer.dates import When, find_dates

CAUSE_WORDS = 10
MIN_CAUSE_WORDS = 3
MIN_QUOTE_WORDS = 4
SPEAKER_WORDS = 12  # a name further than this many words from a quotation is not its speaker

CATEGORY_CUES: dict[str, list[str]] = {
    "economic": (
        "money wage wages price prices cost costs tax taxes taxation trade debt debts wealth rich poor poverty "
        "expensive cheap land rent profit profits coal industry inflation economy economic famine food harvest "
        "unemployment jobs reparations payments paid pay income"
    ).split(),
    "social": (
        "people class classes workers peasants labourers women children families living houses housing disease "
        "plague health anger unrest society social crowd crowds population villages towns education"
    ).split(),
    "political": (
        "government king queen parliament law laws election elections vote votes power party parties minister "
        "mayor council rule ruler rulers policy policies treaty order ordered court army reform reforms crown"
    ).split(),
    "international": (
        "war wars foreign countries nations empire empires alliance alliances invasion invaded allies enemy "
        "colonies rivalry abroad international emperor pope rome"
    ).split(),
    "ideological": (
        "belief beliefs believed religion religious god church faith idea ideas ideology communism communist "
        "fascism nationalism liberty rights freedom sins punishment"
    ).split(),
    "personal": (
        "love ambition personality desperate wanted feared fear jealous character personal son heir wife "
        "marriage married"
    ).split(),
}
PHYSICAL_CUES = (
    "rain rainfall ground soil rock rocks slope slopes steep valley river rivers saturated wind storm weather "
    "flood flooding tide waves sea cliff ice temperature drought volcano earthquake magma plate geology"
).split()
LONG_CUES = re.compile(
    r"\b(?:for (?:years|decades|centuries|generations)|had (?:long|always|grown|been)|since|long-standing|"
    r"gradually|over (?:many|several) years|for a long time|centuries|tradition|traditional|underlying|"
    r"growing|had grown|by the \d{4}s|already)\b",
    re.IGNORECASE,
)
TRIGGER_CUES = re.compile(
    r"\b(?:assassinat\w*|sudden(?:ly)?|spark\w*|final straw|immediately|at once|the last straw|triggered|"
    r"shot|murder\w*|burst|broke out)\b",
    re.IGNORECASE,
)
_NOT_A_CAUSE = re.compile(
    r"^(?:this|that|these|those|it|they|there|meanwhile|however|also|moreover|furthermore|then|so|and|but|"
    r"which|what|who)\b|\b(?:not|no|never|nothing)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|as a result of|due to|owing to|thanks to|led to|leads to|caused|causes|resulted in|contributed to"
    r"|meant that|so)\b",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(
    r"^(?:meanwhile|however|moreover|furthermore|also|then|in addition|at the same time),\s*", re.I
)
_GENERIC_LABEL = re.compile(
    r"^(?:physical|human|natural|economic|social|political|long-term|short-term|main|other)\s+"
    r"(?:factors?|causes?|reasons?)\s*:\s*",
    re.IGNORECASE,
)
_SPEECH = (
    r"said|says|wrote|writes|told|tells|declared|argued|stated|shouted|cried|replied|remarked|announced|insisted"
    r"|added|asked|warned|promised|proclaimed|exclaimed|radioed|recalled|explained|called|saying"
)
_CURLY_CLOSE = re.compile(r"”")
_STRAIGHT_CLOSE = re.compile(r"\"")
_SINGLE_CLOSE = re.compile(r"’(?![^\W\d_])")  # not `don’t`
_PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)


@dataclass
class Cause:
    """A suggested cause: a short title, the sentence that is its evidence, and the guesses to check."""

    title: str
    evidence: str
    line: int
    category: str
    category_why: str
    timescale: str
    timescale_why: str
    physical: bool | None = None  # Geography: a physical (True) or human (False) factor, if the words say


def find_causes(sentence: str, line: int, why_section: bool, label: str | None) -> list[Cause]:
    """The causes one sentence (or one point under a "why" heading) gives."""
    if why_section:
        generic = _GENERIC_LABEL.match(sentence)
        if label and not generic and not _NOT_A_CAUSE.search(label):
            return [_cause(label, sentence, line)]  # `Alliances: by 1907 ...`: the notes name the cause
        rest = sentence[generic.end() :] if generic else sentence
        said = [w for w in _cause_words(rest) if _real(w)]
        title = said[0] if said else _without_when(_first_clause(rest))
        return [_cause(title, sentence, line)] if _real(title) else []
    found: list[Cause] = []
    for words in _cause_words(sentence):
        if _real(words):
            found.append(_cause(words, sentence, line))
    return found


def _cause_words(sentence: str) -> list[str]:
    """The words on the cause's side of each piece of causal language in a sentence."""
    if not _CAUSAL.search(sentence):
        return []
    text = _CONNECTIVE.sub("", sentence.strip().rstrip("."))
    causes: list[str] = []
    for match in re.finditer(r"\bbecause of\s+(?P<x>[^,;.]{1,300}?)(?=\s+and\s+partly\b|[,;.]|$)", text):
        causes.append(match.group("x"))
    for match in re.finditer(r"\b(?i:as a result of|due to|owing to|thanks to)\s+(?P<x>[^,;.]{1,300})", text):
        causes.append(match.group("x"))
    for match in re.finditer(r"\bbecause\s+(?!of\b)(?P<x>[^;.]{1,300}?)(?=[,;]\s|$)", text):
        causes.append(match.group("x"))
    leading = re.match(
        r"^(?P<x>[^,;]{8,}?)\s+(?:led to|leads to|caused|causes|resulted in|contributed to|helped to cause"
        r"|meant that)\b",
        text,
    )
    if leading:
        causes.append(leading.group("x"))
    so = re.match(r"^(?P<x>[^;]{12,}?),\s+so\s+(?!that\b)", text)
    if so and not re.search(r"\bbecause\b", so.group("x"), re.IGNORECASE):
        causes.append(re.split(r",\s+(?:but|and|while)\s+|;\s+", so.group("x"))[-1])
    return [_without_when(c) for c in causes]


def _without_when(words: str) -> str:
    """A cause without the date or time it happened (`At 8:32 a.m. on 18 May 1980 a magnitude 5.1 earthquake`)."""
    for when in sorted(find_dates(words), key=lambda w: -w.start):
        if re.fullmatch(r"\s*(?:[Tt]he\s*)?", words[: when.start]) and not re.match(
            r"(?i)(?:in|on|by|at|during)\b", when.text
        ):
            continue  # `The summer of 1666 had been hot`: the date is what the cause is about
        before = re.sub(r"\b(?:in|on|by|at|during|of)\s+$", "", words[: when.start])
        words = before + words[when.end :]
    words = re.sub(r"\b(?:[Aa]t\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:a\.m\.|p\.m\.|am|pm))?", "", words)
    return " ".join(words.split()).strip(" ,;:")


def _real(words: str) -> bool:
    """At least a few words, and not a connective, pronoun or negation."""
    words = words.strip()
    return len(words.split()) >= MIN_CAUSE_WORDS and not _NOT_A_CAUSE.search(words)


def _cause(title: str, evidence: str, line: int) -> Cause:
    """A cause with its title cut short and its category and time-scale guessed (from its own words)."""
    words_of_cause = title
    title = _short(title)
    text = f"{title} {evidence}".lower()
    words = re.findall(r"[a-z]+", text)
    scores = {name: sum(w in cues for w in words) for name, cues in CATEGORY_CUES.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best]:
        found = sorted({w for w in words if w in CATEGORY_CUES[best]})[:3]
        category, category_why = best, f"guessed from {', '.join(repr(w) for w in found)}"
    else:
        category, category_why = "social", "no cue words: a guess"
    trigger, long = TRIGGER_CUES.search(words_of_cause), LONG_CUES.search(words_of_cause)
    if trigger:
        timescale, timescale_why = "trigger", f"guessed from {trigger.group(0)!r}"
    elif long:
        timescale, timescale_why = "long-term", f"guessed from {long.group(0)!r}"
    else:
        timescale, timescale_why = "short-term", "no cue words: a guess"
    physical = sum(w in PHYSICAL_CUES for w in words)
    return Cause(title, evidence, line, category, category_why, timescale, timescale_why, physical > 0)


def _short(text: str) -> str:
    """A title: capitalised, no full stop, at most CAUSE_WORDS words (cut at a clause if possible)."""
    text = " ".join(text.split()).strip(" ,;:-–—").rstrip(".")
    text = re.sub(r"^(?:because|as|since)\s+", "", text, flags=re.IGNORECASE)
    words = text.split()
    if len(words) > CAUSE_WORDS + 3:
        head = " ".join(words[:CAUSE_WORDS])
        comma = head.rfind(",")
        text = head[:comma] if comma > 0 and len(head[:comma].split()) >= MIN_CAUSE_WORDS else head + "…"
    return text[:1].upper() + text[1:]


def _first_clause(text: str) -> str:
    """The first clause of a point: up to the end of its first sentence, a dash, semicolon or colon."""
    return re.split(r"\s[-–—]\s|;\s|:\s|(?<=[a-z])[.!?]\s+(?=[A-Z])", text.strip())[0].strip().rstrip(".!?")


# ------------------------------------------------------------------------------------------
# Quotations and sources
# ------------------------------------------------------------------------------------------


@dataclass
class Quoted:
    """Words in quotation marks with the person who said them, when, and what kind of source they are."""

    text: str
    speaker: str
    line: int
    sentence: str
    date: When | None = None
    nature: str = ""
    place: str = ""
    notes: list[str] = field(default_factory=list)


def find_quotes(
    sentence: str, line: int, people: dict[str, str], last_person: str | None
) -> tuple[list[Quoted], list[str]]:
    """The quotations of a sentence with their speakers (people maps each form of a name to the name)."""
    spans = _spans(sentence)
    found: list[Quoted] = []
    skipped: list[str] = []
    for start, _end, first_end, words in _joined(sentence, spans):
        if len(words.split()) < MIN_QUOTE_WORDS:
            continue
        speaker = _speaker(sentence, start, first_end, people, last_person)
        if speaker is None:
            skipped.append(words)
            continue
        found.append(Quoted(words, speaker, line, sentence, nature=nature_of(sentence), place=place_of(sentence)))
    return found, skipped


def _spans(sentence: str) -> list[tuple[int, int, str]]:
    """Each quotation's (start, end, words): “…”, "…" and ‘…’ (not an apostrophe), paired in one pass each."""
    spans: list[tuple[int, int, str]] = []
    for opening, closing in (("“", _CURLY_CLOSE), ('"', _STRAIGHT_CLOSE), ("‘", _SINGLE_CLOSE)):
        start = sentence.find(opening)
        while start >= 0:
            end = closing.search(sentence, start + 1)
            if end is None:
                break  # no quotation closes after this one, so none after a later one either
            if not any(s <= start < e for s, e, _ in spans) and sentence[start + 1 : end.start()].strip():
                spans.append((start, end.end(), sentence[start + 1 : end.start()].strip()))
            start = sentence.find(opening, end.end())
    return sorted(spans)


def _joined(sentence: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, int, str]]:
    """A quotation interrupted by `said he` (or `he said`) is one: (start, end, end of its first part, words)."""
    result: list[tuple[int, int, int, str]] = []
    for start, end, words in spans:
        if result:
            previous_start, previous_end, first_end, previous = result[-1]
            gap = sentence[previous_end:start]
            if re.fullmatch(rf"\s*,?\s*(?:(?:{_SPEECH})\s+\w+|\w+\s+(?:{_SPEECH}))\s*,?\s*", gap):
                joined = f"{previous.rstrip(',')}, {words}" if previous.endswith(",") else f"{previous} {words}"
                result[-1] = (previous_start, end, first_end, joined)
                continue
        result.append((start, end, end, words))
    return result


def _speaker(sentence: str, start: int, end: int, people: dict[str, str], last_person: str | None) -> str | None:
    """Who says the words between `start` and `end` (see the module docstring)."""
    before, after = sentence[:start], sentence[end:]
    named_inside = {name for _, name, _ in _names_in(sentence[start:end], people)}
    near_before = [n for n in _names_in(before, people) if n[1] not in named_inside]
    near_after = [n for n in _names_in(after, people) if n[1] not in named_inside]
    verb_before = re.search(rf"\b(?:{_SPEECH})\b[^“\"‘]{{0,80}}$", before)
    verb_after = re.match(rf"^\s*,?\s*(?:(?:{_SPEECH})\s+(?P<inv>\w+)|(?P<sub>\w+)\s+(?:{_SPEECH}))", after)
    if verb_after:
        word = verb_after.group("inv") or verb_after.group("sub")
        if word and word.lower() in ("he", "she"):
            return _pronoun(before, near_before, last_person)
        if near_after and near_after[0][0] < 40:
            return near_after[0][1]
    if verb_before:
        subject = before[: verb_before.start()]
        names = _names_in(subject, people)
        pronoun = _last_pronoun(subject)
        if names and (pronoun is None or names[-1][2] > pronoun):
            return names[-1][1]
        if pronoun is not None:
            return _pronoun(subject, names, last_person)
    close = [n for n in near_before if len(before[n[2] :].split()) <= SPEAKER_WORDS]
    return close[-1][1] if close else None


def _names_in(text: str, people: dict[str, str]) -> list[tuple[int, str, int]]:
    """(position, person, end) for each form of each known name in the text, in order."""
    found = []
    for form, name in people.items():
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            found.append((match.start(), name, match.end()))
    found.sort()
    return found


def _last_pronoun(text: str) -> int | None:
    matches = list(_PRONOUN.finditer(text))
    return matches[-1].end() if matches else None


def _pronoun(before: str, names: list[tuple[int, str, int]], last_person: str | None) -> str | None:
    """`he` is the last person named before it in the sentence, else the last one named before the sentence."""
    return names[-1][1] if names else last_person


def nature_of(sentence: str) -> str:
    """What kind of source the words come from, as far as the sentence says."""
    low = sentence.lower()
    for cue, nature in (
        ("diary", "A diary entry"),
        ("letter", "A letter"),
        ("radio", "A radio message"),
        ("house of commons", "A speech in the House of Commons"),
        ("speech", "A speech"),
        ("speaking", "A speech"),
        ("told congress", "A speech to Congress"),
        ("newspaper", "A newspaper report"),
        ("motto", "A motto"),
        ("wrote", "A piece of writing"),
        ("proclaimed", "A public proclamation"),
        ("promised", "A speech"),
        ("radioed", "A radio message"),
        (" said", "Spoken words, as the notes report them"),
        (" told", "Spoken words, as the notes report them"),
    ):
        if cue in low:
            return nature
    return ""


def place_of(sentence: str) -> str:
    """`Speaking in Hartford, Connecticut,` -> `Hartford, Connecticut`; `at Harvard University` -> that."""
    match = re.search(r"\b(?:in|at|from)\s+((?:[A-Z][\w’'-]*(?:,?\s+|\s+of\s+))*[A-Z][\w’'-]*)", sentence)
    return match.group(1).strip(" ,") if match else ""
