"""Key terms: the terms the notes define, with the definition they give; never common words.

A term is defined by a glossary line (`Firebreak: a gap ...`, `Factory - a large building ...`, a
Markdown or HTML definition list, a Word list under `Key terms`), or by a defining sentence:
`A pandemic is a disease that ...`, `Flagellants were people who ...`, `Voltage, that is to say the
push ..., is ...`, `... came to be known as abolitionists`, `This is known as Ohm's law`, `The word
suffrage means ...`, `called it a Diktat, a dictated peace`, `In a series circuit the components
...`, or an abbreviation spelt out (`the Safety of Life at Sea (SOLAS)`). A few undefined terms
are suggested (with a TODO definition) only when the notes mark them: in bold, or a technical
word such as `-ism`; numbers, everyday words and names never.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from worksheetgen.importer.structure import Section

MAX_TERMS = 16
MIN_TERMS = 6
TERM_WORDS = 5

_LABEL = re.compile(r"^(?P<term>[^:;,.!?()]{1,60}?)\s*(?::|\s[-–—]\s|\s?[–—]\s?)\s*(?P<definition>\S.*)$")
_GENERIC_LABELS = frozenset(
    """example examples note notes answer definition summary question remember tip hint born died date dates time
    location cause causes outcome effect effects result results response responses physical factors human factors
    physical factor human factor factor factors source sources key events events key dates reason reasons
    interesting facts major acts political party dates in office see also main article picture figure table
    caption warning important why how what when who where which task activity homework aim aims objective
    objectives lesson starter plenary extension key question question answer fact facts""".split()
)
_EVERYDAY = frozenset(
    """thing things people person man men woman women child children time times year years day days way ways
    part parts place places kind kinds sort lot lots number numbers world life lives home hand side end start
    first second third one two three four five six seven eight nine ten hundred thousand million billion
    good bad big small large great little long short high low new old young early late many much more most few
    important different same other own whole main major minor real true right left next last several various
    fact idea group area level point case example result reason problem question way form order use""".split()
)
_FUNCTION = frozenset(
    """a an the and or but of in on at to for from by with as is are was were be been that this these those
    it its they them their he she his her we our you your who which what when where why how not no so if
    then than there here also only very""".split()
)
_TECHNICAL = re.compile(r"(?:ism|isation|ization|ocracy|archy|ology|osis|esis|ysis)s?$")
_STARTS_DEFINITION = r"(?:a|an|the|one|any|people|someone|something|somebody|when|how|what|where|anyone|anything)\b"
_CLAUSE_END = re.compile(r"\s*(?:[,;]\s+(?:and|but|so|which|while|it|they|this)\b|;|\s+\(|$)")


@dataclass
class Defined:
    """A term, its definition (None: to be written), the line it came from, and how it was found."""

    term: str
    definition: str | None
    line: int
    how: str
    alternatives: list[str] = field(default_factory=list)
    plural: bool = False  # `The Roundheads were ...`: a group's name, a term even though it is capitalised


def glossary_lines(section: Section) -> list[Defined]:
    """The definitions of a glossary section: `Term: definition` lines, definition lists, defining sentences."""
    found: list[Defined] = []
    for block in section.blocks:
        if block.kind == "term":
            found.append(Defined(block.term, block.text, block.line, "the notes' glossary"))
            continue
        label = split_label(block.text)
        if label is not None:
            found.append(Defined(label[0], label[1], block.line, "the notes' glossary"))
            continue
        defined = defining_sentence(block.text, block.line) or _glossary_sentence(block.text, block.line)
        if defined is not None:
            found.append(defined)
    return found


def split_label(text: str) -> tuple[str, str] | None:
    """`Firebreak: a gap made ...` -> (`Firebreak`, `a gap made ...`); None if the label is not a term."""
    match = _LABEL.match(text)
    if not match:
        return None
    term = re.sub(r"^(?:the|a|an)\s+", "", match.group("term").strip(), flags=re.IGNORECASE)
    definition = match.group("definition").strip()
    if not term_like(term) or len(definition.split()) < 2:
        return None
    return term, definition


def term_like(term: str) -> bool:
    """A few words, no digits, not a generic label (`Note`, `Born`, `Physical factors`) nor an everyday word."""
    words = term.split()
    if not words or len(words) > TERM_WORDS or re.search(r"\d", term):
        return False
    low = term.lower()
    if low in _GENERIC_LABELS or (len(words) == 1 and low in _EVERYDAY):
        return False
    if any(w.lower() in _FUNCTION - {"of", "and", "the"} for w in words):
        return False
    return bool(re.match(r"^[^\W\d_][\w’'\- ]*$", term))


def label_definition(text: str, line: int) -> Defined | None:
    """A labelled point outside a glossary (`Hydraulic action: waves force air ...`): a term if it reads as one."""
    label = split_label(text)
    if label is None:
        return None
    term, definition = label
    if term[:1].isupper() and len(term.split()) > 1 and not term.split()[1][:1].islower():
        return None  # `The Rytov Platform: ...`: a name and what happened, not a term and its meaning
    if re.match(
        r"^(?:by|in|on|at|from|during|after|before|when|because|the\s+\w+\s+(?:was|were|had|is|are))\b",
        definition,
        re.I,
    ):
        return None  # `Alliances: by 1907 Europe was split ...`: a cause and its story
    if re.search(r"\b(?:was|were|had|did)\b", " ".join(definition.split()[:4])):
        return None
    if definition[:1].isupper() and not re.match(r"^(?:A|An|The|One|Any)\b", definition):
        return None  # `Army: Stalin claimed that ...`: a story about a name, not what a word means
    return Defined(term, definition, line, "a labelled point")


# ------------------------------------------------------------------------------------------
# Defining sentences
# ------------------------------------------------------------------------------------------

_NP = r"[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3}"
_IS_A = re.compile(
    rf"^(?:(?:A|An|The|a|an|the)\s+)?(?P<term>(?:[A-Z][a-z’'-]+|{_NP}))\s+(?:is|are|was|were)\s+"
    rf"(?P<definition>(?:{_STARTS_DEFINITION}|(?:[a-z][\w-]*\s+){{1,3}}(?:who|that|which|where|trained|used|made)\b"
    rf"|[a-z]+s\s+(?:of|for|who|that)\b).*)$"
)
_THAT_IS = re.compile(
    r"(?P<before>[^,;:]{1,80}?),\s*(?:that is to say|that is|i\.e\.)\s*,?\s*(?P<definition>[^,;.]{4,160})"
)
_KNOWN_AS = re.compile(
    r"^(?P<subject>.{3,120}?)\s+(?:came\s+to\s+be|became|were|was|is|are)\s+(?:also\s+|often\s+)?(?:known|called)\s+as\s+"
    r"(?:the\s+)?[‘“\"']?(?P<term>[\w’'-]+(?:\s+[\w’'-]+){0,4}?)[’”\"']?(?=\s*(?:[,.;]|$))"
)
_KNOWN_AS_APPOSITIVE = re.compile(
    r"^(?P<subject>[A-Z].{3,120}?),\s+(?P<also>also\s+)?(?:known|called)\s+as\s+(?:the\s+)?(?P<term>[^,]{2,60}),\s+"
    r"(?P<rest>.+)$"
)
_MEANS = re.compile(
    r"^(?:The\s+(?:word|term|phrase)\s+)?[‘“\"']?(?P<term>[\w’'-]+(?:\s+[\w’'-]+){0,3}?)[’”\"']?"
    r"\s+(?:means|refers to)\s+(?P<definition>.+)$"
)
_CALLED_IT = re.compile(
    r"\bcalled\s+(?:it|them|this)\s+(?:a|an|the)?\s*(?P<term>[\w’'-]+),\s+(?P<definition>(?:a|an|the)\s+[^,.;]+)"
)
_IS_CUE = re.compile(r"\s(?:is|are|was|were|means|refers to)\s|^In\s+an?\s")
_IN_A = re.compile(r"^In\s+an?\s+(?P<term>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}),?\s+(?P<definition>the\s+.+)$")
_ACRONYM = re.compile(
    r"(?P<words>(?:[A-Z][\w’'-]*\s+|(?:of|for|the|and|at|on|in|to)\s+){1,12}?)\((?P<term>[A-Z]{2,8})\)"
)


def defining_sentence(sentence: str, line: int, previous: str = "") -> Defined | None:
    """The term a sentence defines, if it is written the way definitions are."""
    text = sentence.strip().rstrip(".")
    for pattern, how in ((_MEANS, "means"), (_IS_A, "is a")):
        match = pattern.match(text)
        if match and how == "means" and re.match(r"^\w+ing\s", match.group("term")):
            continue  # `Cutting down forests means less ...`: an effect, not a meaning
        if match and term_like(match.group("term")) and not _names_a_thing(match.group("term")):
            group = bool(re.match(r"^The\s+[A-Z]\w*s\s+(?:were|are)\b", text))
            return Defined(
                match.group("term"), _clause(match.group("definition")), line, f"the notes: “{how}”", [], group
            )
    match = _IN_A.match(text)
    if match and term_like(match.group("term")):
        return Defined(
            match.group("term"), _clause(match.group("definition"), keep_commas=True), line, "the notes: “in a”"
        )
    return None


def prose_definitions(sentence: str, line: int, previous: str) -> list[Defined]:
    """Every definition a sentence gives, by any of the patterns in the module docstring."""
    found: list[Defined] = []
    for clause in re.split(r";\s+", sentence) if _IS_CUE.search(sentence) else []:
        own = defining_sentence(clause, line)
        if own is not None:
            found.append(own)
    text = sentence.strip().rstrip(".")
    if "that is" in text or "i.e." in text:
        for match in _THAT_IS.finditer(text):
            term = _last_noun_phrase(match.group("before"))
            if term and term_like(term):
                found.append(Defined(term, _clause(match.group("definition")), line, "the notes: “that is to say”"))
    if "known as" in text or "called as" in text:
        found.extend(_known_as(text, line, previous))
    called = _CALLED_IT.search(text) if "called" in text else None
    if called and term_like(called.group("term")):
        found.append(Defined(called.group("term"), _clause(called.group("definition")), line, "the notes: “called it”"))
    for match in _ACRONYM.finditer(sentence) if "(" in sentence else []:
        expansion = _expansion(match.group("words"), match.group("term"))
        if expansion:
            found.append(Defined(match.group("term"), expansion, line, "the notes spell it out"))
    return found


def _known_as(text: str, line: int, previous: str) -> list[Defined]:
    """`X, also known as Y, was ...`, `X, known as Y, allowed ...`, `... came to be known as Y`."""
    appositive = _KNOWN_AS_APPOSITIVE.match(text)
    if appositive:
        return _known_as_appositive(appositive, line)
    known = _KNOWN_AS.match(text)
    if known and term_like(_unquote(known.group("term"))):
        subject = _resolve(known.group("subject"), previous)
        if subject:
            return [Defined(_unquote(known.group("term")), subject, line, "the notes: “known as”")]
    return []


def _known_as_appositive(match: re.Match[str], line: int) -> list[Defined]:
    """`X, also known as Y, was a ...` (X and Y one term) or `X, known as Y, allowed ...` (Y is X, which ...)."""
    subject, term, rest = match.group("subject").strip(), _unquote(match.group("term").strip()), match.group("rest")
    term = re.sub(r"^(?:the)\s+", "", term)
    if match.group("also"):
        head = re.sub(r"^(?:The|the)\s+", "", subject)
        defined = re.match(rf"^(?:is|was|are|were)\s+(?P<d>{_STARTS_DEFINITION}.+)$", rest)
        if term_like(head) and defined:
            return [Defined(head, _clause(defined.group("d")), line, "the notes: “also known as”", [term])]
        return []
    if not term_like(term):
        return []
    return [Defined(term, f"{subject}, which {_clause(rest, keep_commas=True)}", line, "the notes: “known as”")]


def _resolve(subject: str, previous: str) -> str | None:
    """The words a `known as` sentence defines: `Those who ...` as `People who ...`; `Its members` from before."""
    subject = subject.strip().rstrip(",")
    if re.match(r"^(?:this|that|it)$", subject, re.IGNORECASE):
        that = re.search(r"\bthat\s+(?P<c>.+?)[.!?]?$", previous)
        return _clause(that.group("c") if that else previous)
    pronoun = re.match(r"^(?:Its|Their)\s+(?P<noun>[a-z]+)$", subject)
    if pronoun:
        owner = re.match(r"^(?P<np>(?:The\s+)?[A-Z][^,]*?(?:\([A-Z]+\))?)\s+(?:was|were|is|are|had)\b", previous)
        return (
            f"{pronoun.group('noun').capitalize()} of {re.sub(r'^The ', 'the ', owner.group('np'))}" if owner else None
        )
    subject = re.sub(r"^(?:Those|People)\s+who\b", "People who", subject)
    return subject if len(subject.split()) >= 2 else None


def _glossary_sentence(text: str, line: int) -> Defined | None:
    """In a glossary: `Impermeable rock does not let water soak through it` -> rock that does not let water ..."""
    match = re.match(
        r"^(?P<term>[A-Z][a-z]+(?:\s+[a-z]+){0,2})\s+(?P<verb>does|do|lets|let|can|cannot|is|are|has|have)\s+(?P<rest>.+)$",
        text.rstrip("."),
    )
    if not match or not term_like(match.group("term")):
        return None
    head = match.group("term").split()[-1].lower()
    return Defined(
        match.group("term"), f"{head} that {match.group('verb')} {match.group('rest')}", line, "the notes' glossary"
    )


def _last_noun_phrase(text: str) -> str | None:
    """`The horrors of the Middle Passage` -> `Middle Passage`; `the policy of containment` -> `containment`."""
    text = text.strip()
    text = re.split(r"\b(?:of|in|for|to|with|by|from)\s+(?:the\s+)?", text)[-1]
    text = re.sub(r"^(?:the|a|an|this|that)\s+", "", text, flags=re.IGNORECASE).strip()
    words = text.split()
    return " ".join(words) if 0 < len(words) <= 4 else None


def _expansion(words: str, acronym: str) -> str | None:
    """The capitalised words an abbreviation's letters come from, or None if they do not spell it."""
    tokens = words.split()
    for start in range(len(tokens)):
        part = tokens[start:]
        if not part[0][:1].isupper() or part[0].lower() == "the":
            continue
        initials = "".join(w[0].lower() for w in part)
        if _subsequence(acronym.lower(), initials) and initials[0] == acronym[0].lower():
            head = tokens[start - 1 : start] if start and tokens[start - 1][:1].isupper() else []
            return " ".join([*head, *part]).strip()
    return None


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def _clause(text: str, keep_commas: bool = False) -> str:
    """A definition up to where the sentence goes on to something else (`, and it ...`, `;`)."""
    text = text.strip()
    if not keep_commas:
        text = _CLAUSE_END.split(text, maxsplit=1)[0]
    return text.strip().rstrip(",;:")


def _unquote(text: str) -> str:
    return text.strip("‘’“”\"' ")


def _names_a_thing(term: str) -> bool:
    """`The first` or `the cause` is not a term."""
    return all(w.lower() in _EVERYDAY | _FUNCTION for w in term.split())


# ------------------------------------------------------------------------------------------
# Finishing: the form a term is written in, and suggestions to define
# ------------------------------------------------------------------------------------------


def tidy_term(term: str, mid_sentence_capitals: set[str]) -> str:
    """`Firebreak` -> `firebreak`; `Lord Mayor`, `SOLAS`, `Ohm's law` and names kept as written."""
    term = " ".join(term.split()).strip(" ,;:")
    if term.isupper() or term in mid_sentence_capitals:
        return term
    words = term.split()
    if len(words) > 1 and all(w[:1].isupper() or w in ("of", "and", "the") for w in words):
        return term
    if any("’" in w or "'" in w for w in words[:1]) and words[0][:1].isupper():
        return term  # Ohm's law
    return term[:1].lower() + term[1:] if term[:1].isupper() and (len(term) < 2 or term[1:2].islower()) else term


def tidy_definition(text: str) -> str:
    """A capital first letter and a full stop, as in the shipped glossary."""
    text = " ".join(text.split()).strip(" ,;:-–—")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def suggested(
    sentences: list[tuple[int, str]], bold: list[tuple[int, str]], known: set[str], names: set[str]
) -> list[Defined]:
    """Terms the notes mark but do not define: words in bold, then technical words (`collectivisation`)."""
    found: dict[str, Defined] = {}
    for line, phrase in bold:
        key = phrase.lower()
        if key not in known and term_like(phrase) and phrase not in names and not _names_a_thing(phrase):
            found.setdefault(key, Defined(phrase, None, line, "in bold in the notes"))
    for line, sentence in sentences:
        for found_word in re.findall(r"\b[A-Za-z][a-z-]{5,}\b", sentence):
            word = found_word.lower()
            if found_word[0].isupper() and not sentence.startswith(found_word):
                continue  # a capitalised word mid-sentence is a name
            if _TECHNICAL.search(word) and word not in known and word not in _EVERYDAY:
                found.setdefault(word, Defined(word, None, line, "a technical word in the notes"))
    return list(found.values())
