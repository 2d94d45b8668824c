"""The words every kind shares: the key question parsed once, phrases put mid-sentence, stop words.

Every kind that writes "without it, the purges would not have happened" or "why the Tsar
abdicated" reads it from one `KeyQuestion`, so no two sheets of a pack word the question
differently. The subject of the content (History, Geography, anything else) chooses the
framing (`Framing`): historians and interpretations for History, physical and human factors
for Geography, neutral words elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from worksheetgen.model import Content

# Function words: never a content word, never the start of a keyword match. One list for every kind.
STOPWORDS = frozenset(
    """a about above after again against all also am among an and any are as at be because been before
    being below between both but by can cannot could did do does doing down during each either even every
    for from further had has have having he her here hers him himself his how however i if in into is it
    its itself just least less many may me might more most much must my no nor not now of off on once one
    only onto or other others our ours out over own per quite rather same several she should since so some
    such than that the their theirs them themselves then there these they this those though through thus
    to too under until up upon us very was we were what whatever when where whether which while who whom
    whose why will with within without would yet you your yours
    two three four five six seven eight nine ten first second third last e.g. i.e. etc""".split()
)
# Words of exam instructions: they say what to do with the question, not what it is about.
EXAM_WORDS = frozenset(
    """explain reason reasons main important importance assess validity view extent far agree following
    answer answers information use question questions carried carry describe evaluate consider""".split()
)
DETERMINERS = frozenset("a an the this that these those his her their its our some many".split())

# Verbs a key question may ask about: (past tense, past participle) where they are irregular.
_IRREGULAR = {
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "bring": ("brought", "brought"),
    "come": ("came", "come"),
    "fall": ("fell", "fallen"),
    "fight": ("fought", "fought"),
    "get": ("got", "got"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "leave": ("left", "left"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "rise": ("rose", "risen"),
    "run": ("ran", "run"),
    "take": ("took", "taken"),
    "win": ("won", "won"),
}
# Verbs that end the subject of "Why did ... ?"; the first found after the first word is the verb.
_VERBS = frozenset(
    """happen occur start begin end take break fail collapse win lose fall rise grow become go come make
    leave carry launch introduce change develop decline join use want agree refuse attack invade abdicate
    last survive matter get purge move form flow flood erode erupt spread increase decrease migrate
    vary differ happen support oppose resign surrender rebel revolt sign declare build abandon adopt
    appease occupy seize gain""".split()
)
# Verbs that say the subject itself is what happened ("Why did the war break out?": the war).
_EVENT_VERBS = frozenset("happen occur start begin end last".split())
_EVENT_PARTICLES = {"break": "out", "take": "place"}  # "the war broke out", "the trial took place"
# Nouns for what happened when the verb has no object ("Why did the Tsar abdicate?": his abdication).
_NOUNS = {
    "abdicate": "abdication",
    "collapse": "collapse",
    "decline": "decline",
    "erupt": "eruption",
    "fail": "failure",
    "fall": "fall",
    "flood": "flooding",
    "grow": "growth",
    "lose": "defeat",
    "resign": "resignation",
    "revolt": "revolt",
    "rebel": "rebellion",
    "rise": "rise",
    "surrender": "surrender",
    "win": "victory",
}
_PARTICLES = ("out", "up", "off", "on", "in", "through")
_WHY_HOW = re.compile(
    r"^\s*(?P<form>why|how)\s+(?P<aux>did|do|does|was|were|is|are)\s+(?P<rest>[^?]+?)\s*\?*\s*$", re.I
)
_WHAT_CAUSED = re.compile(
    r"^\s*what\s+(?:caused|were\s+the\s+(?:main\s+)?causes\s+of|was\s+the\s+(?:main\s+)?cause\s+of)\s+"
    r"(?P<rest>[^?]+?)\s*\?*\s*$",
    re.I,
)

Discipline = Literal["history", "geography", "other"]


@dataclass(frozen=True)
class KeyQuestion:
    """The key question taken apart once, in the forms sentences need.

    For "Why did the Tsar abdicate?": subject "the Tsar", outcome "the Tsar’s abdication",
    clause "the Tsar abdicated", without "the Tsar would not have abdicated", enquiry "why the
    Tsar abdicated". A question of no known form keeps its own words ("the question “...”").
    """

    text: str
    form: Literal["why", "how", "other"]
    subject: str  # who or what it is about
    outcome: str  # what is explained, as a noun phrase
    clause: str  # the question as a statement
    without: str  # the counterfactual a necessary cause answers
    ask: str  # the counterfactual as a question, to end with "... without this cause?"
    enquiry: str  # "why the Tsar abdicated", for "useful for an enquiry into ..."
    because: str  # "The Tsar abdicated because of", the start of a one-sentence answer
    was: str  # "was" for a question about the past, "is" for one in the present: "One reason ... was ..."


@dataclass(frozen=True)
class Framing:
    """How a subject talks about causes: who disputes them, what types they come in."""

    discipline: Discipline
    experts: str  # "historians", "geographers", "experts"
    views: str  # "A historian’s view", ...: the heading of an interpretation on the challenge tier


def framing(content: Content) -> Framing:
    """History frames causes and historians; Geography physical and human factors; others neutral words."""
    subject = content.subject.lower()
    if "history" in subject or "historical" in subject:
        return Framing("history", "historians", "A historian’s view")
    if "geograph" in subject:
        return Framing("geography", "geographers", "An expert’s view")
    return Framing("other", "experts", "An expert’s view")


def parse_question(content: Content) -> KeyQuestion:
    """The content's key question, parsed; what it is about falls back to the topic's title."""
    return parse(content.key_question, topic=mid(content.title, names_in(content), title=True))


def parse(text: str, topic: str = "") -> KeyQuestion:
    """`text` taken apart (see KeyQuestion); `topic` names the outcome when the question does not."""
    fallback = topic or "the events"
    caused = _WHAT_CAUSED.match(text)
    if caused:
        subject = caused.group("rest")
        forms = (f"{subject} happened", f"{subject} would not have happened", f"Would {subject} have happened")
        return _question(text, "why", subject, subject, forms, past=True)
    match = _WHY_HOW.match(text)
    words = match.group("rest").split() if match else []
    if not match or len(words) < 2:
        return _other(text, fallback)
    form: Literal["why", "how"] = "why" if match.group("form").lower() == "why" else "how"
    aux = match.group("aux").lower()
    if aux in ("was", "were", "is", "are"):
        at = _subject_length(words)
        subject, tail = " ".join(words[:at]), " ".join(words[at:])
        would, ask = ("would not have been", "have been") if aux in ("was", "were") else ("would not be", "be")
        forms = (f"{subject} {aux} {tail}", f"{subject} {would} {tail}", f"Would {subject} {ask} {tail}")
        return _question(text, form, subject, fallback, forms, past=aux in ("was", "were"))
    at = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _VERBS), _subject_length(words))
    if at >= len(words):
        return _other(text, fallback)
    subject, verb, rest = " ".join(words[:at]), words[at].lower(), words[at + 1 :]
    tail = (" " + " ".join(rest)) if rest else ""
    if aux == "did":
        done = f"have {_participle(verb)}{tail}"
        forms = (f"{subject} {_past(verb)}{tail}", f"{subject} would not {done}", f"Would {subject} {done}")
    else:
        present = _third_person(verb) if aux == "does" else verb
        forms = (f"{subject} {present}{tail}", f"{subject} would not {verb}{tail}", f"Would {subject} {verb}{tail}")
    return _question(text, form, subject, _outcome(subject, verb, rest, fallback), forms, past=aux == "did")


def _question(
    text: str, form: Literal["why", "how"], subject: str, outcome: str, forms: tuple[str, ...], past: bool
) -> KeyQuestion:
    """`forms`: the clause, the counterfactual and the counterfactual question."""
    clause, without, ask = forms
    was = "was" if past else "is"
    because = f"{capital(clause)} because of"
    return KeyQuestion(text, form, subject, outcome, clause, without, ask, f"{form} {clause}", because, was)


def _other(text: str, fallback: str) -> KeyQuestion:
    quoted, answer = f"the question “{text.strip()}”", f"One answer to “{text.strip()}”:"
    forms = ("this happened", "this would not have happened", "Would it have happened")
    return KeyQuestion(text, "other", fallback, fallback, *forms, quoted, answer, "was")


def _subject_length(words: list[str]) -> int:
    """How many words the subject takes: a determiner, then a run of capitalised words or one noun."""
    start = 1 if words[0].lower() in DETERMINERS else 0
    end = start
    while end < len(words) and (
        words[end][:1].isupper()
        or (end > start and words[end] in ("of", "and") and end + 1 < len(words) and words[end + 1][:1].isupper())
    ):
        end += 1
    return max(end, start + 1)


def _outcome(subject: str, verb: str, rest: list[str], fallback: str) -> str:
    """What happened, as a noun phrase: the subject of an event verb, the object, or a noun for the verb."""
    if verb in _EVENT_VERBS or (rest and rest[0].lower() == _EVENT_PARTICLES.get(verb)):
        return subject
    if rest and rest[0].lower() in _PARTICLES and len(rest) > 1:
        rest = rest[1:]
    if rest and rest[0].lower() in DETERMINERS:
        return " ".join(rest)
    if not rest and verb in _NOUNS:
        return f"{possessive(subject)} {_NOUNS[verb]}"
    return fallback


def possessive(phrase: str) -> str:
    """'the Tsar' -> 'the Tsar’s'; 'the Bolsheviks' -> 'the Bolsheviks’'."""
    return phrase + ("’" if phrase.endswith("s") else "’s")


def _past(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb][0]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):  # one short syllable: plan -> planned
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _participle(verb: str) -> str:
    return _IRREGULAR[verb][1] if verb in _IRREGULAR else _past(verb)


def _third_person(verb: str) -> str:
    if verb == "go" or verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


# Phrases mid-sentence --------------------------------------------------------------------------


def names_in(content: Content) -> frozenset[str]:
    """Words the content writes with a capital inside a sentence: names, never lower-cased by `mid`."""
    names: set[str] = set()
    for person in content.people:
        names.update(w for w in re.findall(r"[^\W\d_]+", person.name) if w[:1].isupper())
    for term in content.glossary:
        names.update(w for w in term.term.split() if w[:1].isupper())
    texts = [*content.summary, content.key_question, *(e.title for e in content.events)]
    texts += [e.detail for e in content.events if e.detail]
    texts += [c.title for c in content.causes] + [e for c in content.causes for e in c.evidence]
    for text in texts:
        # a capitalised word after a lower-case word is a name ('... by NKVD Order No. 00447')
        names.update(m.group(1) for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w\-]*)", text))
    return frozenset(names)


def mid(text: str, names: frozenset[str] = frozenset(), *, title: bool = False) -> str:
    """`text` as it reads inside a sentence: 'Opposition to ...' -> 'opposition to ...'; names kept.

    `title`: a title in title case ("The Water Cycle") has every word that is not a name lowered.
    """
    words = text.split(" ")
    if title and all(w[:1].isupper() for w in words if len(w) > 3 and w[:1].isalpha()):
        return " ".join(w if w in names or w.isupper() or not w[:1].isalpha() else _lower(w, names) for w in words)
    first = re.match(r"[^\W\d_]+", text)
    if not first:
        return text
    word = first.group(0)
    if word.lower() in DETERMINERS or word.lower() in STOPWORDS or (word not in names and not word.isupper()):
        return word.lower() + text[len(word) :]
    return text


def _lower(word: str, names: frozenset[str]) -> str:
    stem = re.sub(r"['’]s$", "", word)
    return word if stem in names else word.lower()


def capital(text: str) -> str:
    """Capital first letter, the rest as typed."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = capital(text)
    return text if text[-1] in ".!?" else text + "."


# Keywords: matching a question's words to causes ----------------------------------------------


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
        if len(word) < 3 or word in STOPWORDS or word in EXAM_WORDS:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        found.add(word)
    return frozenset(found)
