"""Turn a teacher's plain-text or Markdown notes into a draft content file (YAML) to finish by hand.

The notes are repaired on the way in (worksheetgen/repair.py), then read for their structure:
headings make sections, numbered and bulleted points become the gap-fill passage (one
paragraph per section), sentences with dates become events, quoted words near a name become
(attributed) quotes, names and recurring terms become people and glossary entries, and "why"
headings or causal wording suggest causes. Nothing is invented: what the notes do not say is
left as a clearly marked "TODO: ..." value for the teacher. The YAML is written by hand (block
style, comments) and checked to read back exactly and to validate before it is returned.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from worksheetgen.errors import ContentError, Problem
from worksheetgen.model import Content
from worksheetgen.repair import decode_notes, read_bytes, repair_lines
from worksheetgen.wording import counted

Note = tuple[int | None, str]  # (line of the notes or None, message)

TODO = "TODO:"
KEY_QUESTION_TODO = "TODO: write the key question?"
TITLE_WORDS = 12  # a heading is short
EVENT_WORDS = 14  # an event title is at most this long
CAUSE_WORDS = 10
MAX_PEOPLE = 15
MAX_EVENTS = 40  # more than any timeline uses: long notes list their first ones and say so
MAX_CAUSES = 20
MAX_QUOTES = 20
SPEAKER_WORDS = 12  # a name further than this many words from a quotation is not its speaker
MAX_SPELLING_CHECKS = 300  # names compared for other spellings, per first letter (keeps huge notes fast)
MAX_TERMS = 12
MIN_TERMS = 6
WRAP = 92

# ------------------------------------------------------------------------------------------
# Word lists: small and deliberate. They only decide what is offered to the teacher.
# ------------------------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """The words of a long list written as text, one space or line break apart (easier to read)."""
    return frozenset(text.split())


STOPWORDS = word_set(
    """a about above across after afterwards again against ago all almost alone along already also although
    always am among amongst an and another any anyone anything anyway anywhere are around as at away back
    be became because become becomes been before beforehand behind being below beside besides between
    beyond both but by can cannot could did do does doing done down due during each either else elsewhere
    enough even ever every everyone everything everywhere except few first for former formerly from
    further had has have having he her here hers herself him himself his how however i if in indeed into
    is it its itself just last later latter least less many may me meanwhile might mine more moreover most
    mostly much must my myself namely neither never nevertheless next no nobody none nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own
    per perhaps rather same second seem seemed seeming seems several she should since so some somehow
    someone something sometime sometimes somewhere still such than that the their theirs them themselves
    then thence there thereafter thereby therefore therein these they third this those though through
    throughout thus to together too toward towards under until up upon us very via was we well were what
    whatever when whence whenever where whereas whereby wherever whether which while whither who whoever
    whole whom whose why will with within without would yet you your yours yourself yourselves
    able also another around asked because began begin being came come comes called claimed did does
    find found get gets getting give given gives go goes going gone got great had high however huge
    important including kept know known large like little long made make makes making many mean means
    much new number often old part people put quite really said say says see seen set show shown small
    take taken takes tell thing things think though thought time times told took true try turn two three
    four five six seven eight nine ten hundred thousand million billion use used uses using want wanted
    way ways went year years yes example e.g i.e etc also called each into lot lots whole wide range
    became become kind kinds sort good bad better best worse worst big bigger biggest more most less few
    fewer shot killed kill death dead died day days end head son sons daughter family families life lives
    man men woman women group groups side sides place places world evidence member members order orders
    rest area areas home hand hands name names word words fact facts case cases point points week weeks
    month months person persons thing start lead top line lines front"""
)
CAPITAL_STOP = word_set(
    """I The A An And But Or If In On At To For From By Of With As It Its This That These Those There Then
    They Their He She His Her We Our You Your Who What When Where Why How Which While After Before During
    Mr Mrs Ms Dr Sir Lord Lady Old New Great Red White Black Soviet United Holy First Second Third Fourth
    World Royal National Northern Southern Eastern Western North South East West Central Upper Lower Civil
    Cold Grand Middle Far Near Prime Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December
    Triple Spring Summer Autumn Winter Christmas Easter God TODO Note Notes Source
    Sources Credit Key Question Answer Summary Introduction Conclusion Chapter Part Section Figure Table
    English British French German Russian American Italian Spanish Chinese Japanese European Christian
    Catholic Protestant Jewish Muslim Communist Nazi Fascist Bolshevik Austrian Serbian Belgian Polish Dutch
    Greek Roman Ottoman Turkish Irish Scottish Welsh Indian Egyptian Persian Norman Saxon Viking Allied Allies
    Axis"""
)
TITLES = word_set(
    """Tsar Tsarina King Queen Marshal General Admiral Colonel Captain Major Lieutenant President Chancellor
    Emperor Empress Prince Princess Duke Duchess Lord Lady Sir Dr Mr Mrs Ms Miss Saint St Pope Bishop
    Archbishop Comrade Professor Kaiser Sultan Pharaoh Archduke Count Countess Baron Field"""
)
INSTITUTIONS = word_set(
    """Platform Party Congress Committee Plan Army Navy War Wars Revolution Trial Trials Union Republic Empire
    Kingdom State States Office Council Ministry Department Government Institute University School College
    Church Cathedral Museum Palace Square Street Road Bridge River Sea Ocean Lake Mountain Mountains Valley
    Island Islands Bay Coast Forest Desert Act Acts Treaty Pact Agreement Charter Declaration Front Guard
    Guards Police Court Parliament House Senate Assembly League Alliance Company Bank Corporation Centre
    Center Purges Purge Terror Entente Crisis Affair Movement Programme Program Conference Campaign Day Week Year
    Age Period Era Dynasty Minister Secretary Bolsheviks Mensheviks Communists Plateau Ocean Sea Reform
    Reformation Renaissance Depression Crash Deal Blitz Front Wall Law Laws Rights Bill Rock Rocks Head Point
    Cliff Cliffs Hill Hills Castle Abbey Park Gate Beach Sands Moor Falls Canyon Peak Valley Gorge"""
)
# A capitalised word mostly after these is a place or a thing ("in Moscow", "the Ruhr"), not a person.
NOT_PERSON_BEFORE = word_set("the in from to at near into across towards throughout around inside outside")
PLACES = word_set(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bangladesh Belarus Belgium
    Bolivia Bosnia Brazil Bulgaria Burma Cambodia Canada Chile China Colombia Congo Croatia Cuba Cyprus
    Czechoslovakia Denmark Egypt Estonia Ethiopia Finland France Germany Ghana Greece Hungary Iceland India
    Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Kenya Korea Kuwait Latvia Lebanon Libya Lithuania
    Luxembourg Malaysia Mexico Mongolia Morocco Netherlands Holland Nigeria Norway Pakistan Palestine Peru
    Philippines Poland Portugal Romania Russia Rwanda Scotland Serbia Singapore Slovakia Somalia Spain Sudan
    Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Turkey Uganda Ukraine Vietnam Wales Yugoslavia
    Zimbabwe England Britain Europe Asia Africa America Americas Antarctica Arctic Atlantic Pacific Prussia
    Bavaria Austria-Hungary Persia Byzantium Rome Sparta Athens Carthage Babylon Mesopotamia Siberia Crimea
    Manchuria Balkans Normandy Flanders Gaul London Paris Berlin Moscow Vienna Washington Leningrad Petrograd
    Stalingrad Tokyo Beijing Delhi Jerusalem Constantinople Istanbul Sarajevo Ruhr Rhineland Verdun Somme"""
)
PLACE_PREFIXES = word_set("Mount Mt Lake Loch Cape Port Fort Glen Isle Isles River Lough")
GROUP_SUFFIX = re.compile(r"(?:ik|ite|ist|ian|an|er|ese|ic)s$")
TECHNICAL_SUFFIX = re.compile(r"(?:ism|isation|ization|ation|ist|ite|ocracy|archy|ology|graphy|esis|osis|ysis)s?$")
CAUSAL = re.compile(
    r"\b(?:led to|lead to|leads to|leading to|because|as a result|caused|causes|cause of|due to|resulted in"
    r"|result of|therefore|so that|meant that)\b",
    re.IGNORECASE,
)
WHY_HEADING = re.compile(r"^\s*(?:why\b|(?:the\s+)?(?:causes?|reasons?|factors?)\b)", re.IGNORECASE)
SPEECH_VERBS = re.compile(
    r"\b(?:said|says|wrote|writes|claimed|declared|told|argued|stated|shouted|cried|replied|remarked"
    r"|announced|insisted|added|asked|warned|promised|proclaimed|exclaimed)\b"
)
SUBJECT_WORDS = {
    "History": "war wars king queen empire revolution treaty army century parliament government party emperor "
    "battle rebellion dictator regime purge purges tsar monarchy invasion medieval reign executed",
    "Geography": "river rivers erosion climate rainfall population settlement coast coastal volcano volcanoes "
    "earthquake earthquakes glacier weather migration urban rural landscape deposition weathering tectonic",
    "Biology": "cell cells organism organisms species photosynthesis enzyme enzymes protein dna gene genes "
    "chlorophyll respiration bacteria tissue organ organs evolution glucose leaf leaves",
    "Chemistry": "atom atoms molecule molecules element elements compound compounds reaction reactions acid "
    "acids alkali ion ions electron electrons periodic",
    "Physics": "force forces energy velocity mass current voltage wave waves gravity circuit circuits "
    "acceleration momentum",
}

# ------------------------------------------------------------------------------------------
# Patterns for the structure of notes.
# ------------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_ITEM = re.compile(
    r"^(?P<indent>\s*)(?:\(?(?:\d{1,2}|[a-zA-Z])\)\s*|(?:\d{1,2}|[a-z])\.\s+|[-*+•·▪◦‣●–—]\s+)(?P<text>\S.*)$"
)
_CREDIT = re.compile(
    r"^(?i:source|sources|credit|credits|by|author|adapted from|based on|taken from|reference|references)\s*[:\-–]\s*\S"
    r"|^[A-Z]\.?(?:\s?[A-Z]\.?)?\s+[A-Z][a-z]+,\s+\S"  # an author with initials: `C Clayton, Stalin's Purges`
)
_META = re.compile(
    r"^(?:this|these)\s+(?:paper|notes?|document|sheet|page|pages|booklet|pack)\b"
    r"|\b(?:collects information|amalgamated from|extracted from|adapted from|compiled from|taken from|copied from)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?:The\s+)?([A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}):\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[’”\"')\]]*\s+(?=[A-Z0-9‘“\"(])")
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*")
_ACRONYM = re.compile(r"^[A-Z]{2,6}s?$")
_ROMAN = re.compile(r"^[IVXLC]+$")

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_SEASON = r"(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?<![\d,.£$€])(?:1\d{3}|20\d{2})(?![\d,]\d)"
_PART = r"(?:(?:early|late|mid-?)\s*|(?:the\s+)?(?:end|start|beginning|middle|spring|summer|autumn|winter)\s+of\s+)"
_DATES = [
    re.compile(rf"{_ORD}(?:\s*[-–]\s*{_ORD})?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
    re.compile(rf"{_MONTH}\s+{_ORD},?\s+{_YEAR}"),
    re.compile(rf"(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}|{_SEASON})(?:\s+of)?\s+{_YEAR}"),
    re.compile(rf"between\s+{_YEAR}\s+and\s+{_YEAR}"),
    re.compile(rf"{_YEAR}\s*[-–/]\s*(?:\d{{4}}|\d{{2}})\b"),
    re.compile(rf"{_PART}?{_YEAR}s\b"),
    re.compile(r"\b\d{1,4}\s?(?:BC|BCE|AD|CE)\b|\b(?:AD|CE)\s?\d{1,4}\b"),
    re.compile(rf"{_PART}?{_YEAR}(?!\s*(?:%|per\b|people|men|women|soldiers|troops|km|miles|metres|kg|tonnes|times))"),
]
_DIGIT = re.compile(r"\d")
_LEADING_DATE_GLUE = re.compile(r"^(?:in|on|by|from|during|at|around|c\.)\s+$", re.IGNORECASE)
_QUOTES = [re.compile(r"‘(.+?)’(?![^\W\d_])"), re.compile(r"“(.+?)”"), re.compile(r"(?<!\w)\"(.+?)\"(?!\w)")]

# ------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------


def import_notes(text: str, *, title: str | None = None) -> tuple[str, list[str]]:
    """Notes as text -> (draft content YAML, warnings `line N: ...`); repairs are warned about too."""
    lines, repairs = repair_lines(text)
    notes: list[Note] = [(r.line, r.message) for r in repairs]
    yaml_text, more = convert(lines, title=title, source=None)
    return yaml_text, [_format(None, line, message) for line, message in _by_line([*notes, *more])]


def import_file(path: Path, *, title: str | None = None) -> tuple[str, list[str]]:
    """A notes file (any encoding) -> (draft content YAML, warnings `FILE:LINE: ...`)."""
    text, decoded = decode_notes(read_bytes(path))
    lines, repairs = repair_lines(text)
    notes: list[Note] = [(r.line, r.message) for r in [*decoded, *repairs]]
    yaml_text, more = convert(lines, title=title, source=str(path))
    return yaml_text, [_format(str(path), line, message) for line, message in _by_line([*notes, *more])]


def _by_line(notes: list[Note]) -> list[Note]:
    """In the order of the notes; notes about the whole file last."""
    return sorted(notes, key=lambda note: (note[0] is None, note[0] or 0))


def _format(file: str | None, line: int | None, message: str) -> str:
    """`notes.txt:12: message`, `line 12: message`, or just the message."""
    if file is None:
        return f"line {line}: {message}" if line is not None else message
    return f"{file}:{line}: {message}" if line is not None else f"{file}: {message}"


def convert(lines: list[str], *, title: str | None, source: str | None) -> tuple[str, list[Note]]:
    """Repaired lines (one per line of the notes) -> checked YAML text and notes for the teacher."""
    notes: list[Note] = []
    parsed = parse_notes(numbered_lines(lines), notes)
    if not any(section.points for section in parsed.sections):
        raise ContentError([Problem(source or "notes", "no notes found: expected headings, points or sentences")])
    draft = build_draft(parsed, title, notes)
    yaml_text = emit_yaml(draft, source)
    check_yaml(yaml_text, draft.data())
    todos = yaml_text.count(f'"{TODO}')
    if todos:
        notes.append((None, f"{counted(todos, 'value')} marked 'TODO:': fill them in before printing"))
    return yaml_text, notes


# ------------------------------------------------------------------------------------------
# Parsing: lines -> blocks -> sections of points
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A heading, a list item, a paragraph, or a credit / note about the notes themselves.

    `starts` maps offsets in `text` to lines of the notes, as a wrapped point spans several.
    """

    kind: str  # heading | weak | item | para | credit | meta (and, while scanning, underline | more)
    text: str
    line: int
    starts: tuple[tuple[int, int], ...] = ()


@dataclass
class _Open:
    """A block still being read: its wrapped lines are joined once, at the end (no quadratic copying)."""

    kind: str
    parts: list[tuple[int, str]]

    def close(self) -> Block:
        """The finished block, remembering where each wrapped line starts."""
        starts, offset = [], 0
        for line, text in self.parts:
            starts.append((offset, line))
            offset += len(text) + 1
        return Block(self.kind, " ".join(t for _, t in self.parts), self.parts[0][0], tuple(starts))


@dataclass(frozen=True)
class Point:
    """One thing the notes say (a list item or a paragraph) as finished sentences, with their lines."""

    text: str
    line: int
    starts: tuple[tuple[int, int], ...] = ()

    def sentences(self) -> list[tuple[int, str]]:
        """Each sentence with the line of the notes it starts on."""
        result = []
        begin = 0
        for match in [*_SENTENCE_END.finditer(self.text), None]:
            end = match.start() if match else len(self.text)
            sentence = self.text[begin:end].strip()
            if sentence:
                result.append((self.line_at(begin), sentence))
            begin = match.end() if match else end
        return result

    def line_at(self, offset: int) -> int:
        """The line of the notes that the text at `offset` came from.

        `starts` is in the order of the notes, so a binary search finds the last start at or before
        `offset` (scanning them all for every sentence made long paragraphs quadratic).
        """
        index = bisect.bisect_right(self.starts, offset, key=lambda pair: pair[0])
        return self.starts[index - 1][1] if index else self.line


@dataclass
class Section:
    """A heading (possibly none) and the points under it."""

    title: str
    line: int
    points: list[Point] = field(default_factory=list)

    @property
    def why(self) -> bool:
        """A "why" heading (or causes, reasons): its points suggest causes."""
        return bool(WHY_HEADING.match(self.title))


@dataclass
class Parsed:
    """The notes' structure: its headings, sections, and lines about the notes themselves."""

    headings: list[Block]
    sections: list[Section]
    credit: list[Block]
    meta: list[Block]
    first_line: Block | None


def numbered_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line of the file, text) for each physical line; a repaired line may hold several."""
    return [(number, part) for number, line in enumerate(lines, start=1) for part in line.split("\n")]


_IDLE_LINK = re.compile(r"^(?:more|read|click|here|see|link|source|via)\b", re.IGNORECASE)
# Every piece of markup below holds one of these characters: a line without them is left as it is.
_MARKUP_CHARS = re.compile(r"[>\[<*_`]")
_QUOTE_MARK = re.compile(r"^\s{0,3}>\s?")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"(?<!\[)\[([^\[\]]+)\]\([^)]*\)")
_HTML_TAG = re.compile(r"</?(?:b|i|em|strong|u|br|p|span|div|sup|sub)\b[^>]*>", re.IGNORECASE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`([^`]*)`")
_WORD_CHAR = re.compile(r"\w")


def strip_markdown(text: str) -> str:
    """Inline Markdown and a few HTML tags removed: links keep their words, emphasis its text."""
    if _MARKUP_CHARS.search(text):
        text = _QUOTE_MARK.sub("", text)
        text = _IMAGE.sub("", text)
        text = _LINK.sub(lambda m: "" if _IDLE_LINK.match(m.group(1)) else m.group(1), text)
        text = _HTML_TAG.sub("", text)
        text = _STRONG.sub(r"\2", text)
        text = _STAR_EMPHASIS.sub(r"\1", text)
        text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
        text = _CODE.sub(r"\1", text)
    return " ".join(text.split())  # runs of white space as one space, none at the ends


def scan_blocks(lines: list[tuple[int, str]], notes: list[Note]) -> list[Block]:
    """Classify lines into blocks, joining wrapped lines; skip code and tables (with a note)."""
    blocks: list[_Open] = []
    fenced = False
    previous_blank = True
    for index, (number, raw) in enumerate(lines):
        if _FENCE.match(raw):
            if not fenced:
                notes.append((number, "code block skipped"))
            fenced = not fenced
            continue
        if fenced:
            continue
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        block = _classify(number, raw, previous_blank, following, notes)
        previous_blank = block is None
        if block is None:
            continue
        if block.kind == "underline":
            if blocks and blocks[-1].kind in ("para", "weak"):  # a Setext heading: `===` under a line
                blocks[-1].kind = "heading"
        elif block.kind == "more" and blocks and blocks[-1].kind in ("item", "para"):
            blocks[-1].parts.append((block.line, block.text))
        else:
            blocks.append(_Open("para" if block.kind == "more" else block.kind, [(block.line, block.text)]))
    return [b.close() for b in blocks]


def _classify(number: int, raw: str, previous_blank: bool, following: str, notes: list[Note]) -> Block | None:
    """What one line is; None for blank lines, rules and skipped tables."""
    if not raw.strip():
        return None
    if _UNDERLINE.match(raw) and not previous_blank:
        return Block("underline", "", number)
    if _RULE.match(raw):
        return None
    if _TABLE.match(raw):
        notes.append((number, "table row skipped: write it as points to import it"))
        return None
    heading = _MD_HEADING.match(raw)
    item = _ITEM.match(raw)
    text = strip_markdown(heading.group(1) if heading else item.group("text") if item else raw)
    if not _WORD_CHAR.search(text):
        return None  # nothing but punctuation: a rule, a stray bullet
    if heading or item:
        return Block("heading" if heading else "item", text, number)
    if is_caps_heading(text):
        return Block("heading", text, number)
    if previous_blank and not following.strip() and is_short_heading(text):
        return Block("weak", text, number)
    if not previous_blank and not _LABEL.match(text) or raw.startswith(("  ", "\t")):
        return Block("more", text, number)
    return Block("para", text, number)


def is_caps_heading(text: str) -> bool:
    """`THE MURDER OF KIROV`: a short line in capitals (the quick tests first: a line can be a megabyte)."""
    if text.upper() != text or text.endswith(".") or len(text.split()) > TITLE_WORDS:
        return False
    return sum(c.isalpha() for c in text) >= 4


def is_short_heading(text: str) -> bool:
    """A short line on its own with no full stop: a heading, if something follows it."""
    return (
        len(text.split()) <= TITLE_WORDS
        and not text.endswith((".", ",", ";"))
        and (text[0].isupper() or text[0].isdigit())
        and not _CREDIT.match(text)
    )


def parse_notes(lines: list[tuple[int, str]], notes: list[Note]) -> Parsed:
    """Blocks -> sections of points; credit lines and lines about the notes are set aside."""
    blocks = [_retag(b) for b in scan_blocks(lines, notes)]
    first = next((b for b in blocks if b.kind not in ("credit", "meta")), None)
    sections: list[Section] = [Section("", 0)]
    for block in blocks:
        if block.kind in ("heading", "weak") or (block.kind in ("item", "para") and _is_lead_in(block.text)):
            sections.append(Section(block.text.rstrip(":").strip(), block.line))
        elif block.kind in ("item", "para"):
            sections[-1].points.append(Point(finish_sentence(block.text), block.line, block.starts))
    _demote_weak_headings(sections, blocks, first)
    headings = [b for b in blocks if b.kind in ("heading", "weak")]
    credit = [b for b in blocks if b.kind == "credit"]
    meta = [b for b in blocks if b.kind == "meta"]
    return Parsed(headings, [s for s in sections if s.points], credit, meta, first)


def _retag(block: Block) -> Block:
    """Credit lines (`C Clayton, Stalin's Purges`) and lines about the notes are not content."""
    if _CREDIT.match(block.text):
        return Block("credit", block.text, block.line)
    if _META.search(block.text):
        return Block("meta", block.text, block.line)
    return block


def _is_lead_in(text: str) -> bool:
    """`The aftermath of the purges:` introduces the points after it, like a sub-heading."""
    return text.endswith(":") and len(text.split()) <= TITLE_WORDS and not _SENTENCE_END.search(text)


def _demote_weak_headings(sections: list[Section], blocks: list[Block], first: Block | None) -> None:
    """A short line with nothing under it was a point after all (unless it is the title)."""
    weak = {b.line for b in blocks if b.kind == "weak" and b is not first}
    kept = sections[:1]
    for section in sections[1:]:
        if section.line in weak and not section.points:
            kept[-1].points.append(Point(finish_sentence(section.title), section.line))
        else:
            kept.append(section)
    sections[:] = kept


_FINISHED = re.compile(r"[.!?…][’”\"')\]]*$")


def finish_sentence(text: str) -> str:
    """A capital first letter and a full stop at the end (offsets inside the text are kept)."""
    text = text.rstrip(":;,-–— ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and not _FINISHED.search(text):
        text += "."
    return text


# ------------------------------------------------------------------------------------------
# The draft: what will be written, with the line each entry came from.
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One list entry of the draft: its fields, the notes line, and comments for the teacher."""

    fields: dict[str, Any]
    line: int | None = None
    comments: dict[str, str] = field(default_factory=dict)  # field -> trailing comment
    after: tuple[str, ...] = ()  # comment lines after the entry


@dataclass
class Draft:
    """The whole draft content, in the order it is written."""

    title: str
    key_question: str
    subject: str
    credit: str | None
    source_note: str | None
    paragraphs: list[tuple[str, str, int]]  # (section title, paragraph, line)
    glossary: list[Entry]
    people: list[Entry]
    events: list[Entry]
    causes: list[Entry]
    quotes: list[Entry]

    def data(self) -> dict[str, Any]:
        """The plain data the YAML must read back as (and that must validate)."""
        data: dict[str, Any] = {"title": self.title, "key_question": self.key_question, "subject": self.subject}
        if self.credit:
            data["credit"] = self.credit
        if self.source_note:
            data["source_note"] = self.source_note
        data["summary"] = [p for _, p, _ in self.paragraphs]
        for name in ("glossary", "people", "events", "causes", "quotes"):
            entries: list[Entry] = getattr(self, name)
            if entries:
                data[name] = [dict(e.fields) for e in entries]
        return data


def build_draft(parsed: Parsed, title: str | None, notes: list[Note]) -> Draft:
    """Everything the notes give, found by the rules in this module's docstring."""
    points = [p for s in parsed.sections for p in s.points]
    sentences = [sentence for p in points for sentence in p.sentences()]
    lower = lowercase_words(sentences)
    people, names = find_people(sentences, lower, notes)
    glossary = find_terms(sentences, parsed, names, lower)
    if len(glossary) < MIN_TERMS:
        notes.append((None, f"only {counted(len(glossary), 'glossary term')} found (aim: {MIN_TERMS}): add your own"))
    if len(sentences) < 3:
        notes.append((None, f"only {counted(len(sentences), 'sentence')} found: the gap-fill needs a longer passage"))
    trailing = _trailing(parsed)
    return Draft(
        title=title_of(parsed, title, notes),
        key_question=key_question_of(parsed),
        subject=guess_subject(sentences, parsed.headings),
        credit=_joined([b.text for b in sorted([*parsed.credit, *trailing], key=lambda b: b.line)]),
        source_note=_joined([b.text.rstrip(":") for b in parsed.meta if b not in trailing]),
        paragraphs=[(s.title, " ".join(p.text for p in s.points), s.points[0].line) for s in parsed.sections],
        glossary=glossary,
        people=people,
        events=_capped(find_events(sentences), MAX_EVENTS, "dated sentences", notes),
        causes=_capped(find_causes(parsed.sections), MAX_CAUSES, "suggested causes", notes),
        quotes=_capped(find_quotes(points, names, notes), MAX_QUOTES, "quotations", notes),
    )


def _capped(entries: Iterator[Entry], limit: int, what: str, notes: list[Note]) -> list[Entry]:
    """The first `limit` entries; very long notes would make a file too long to check by hand."""
    taken = list(itertools.islice(entries, limit + 1))
    if len(taken) > limit:
        notes.append((taken[limit].line, f"{what} from here on were not listed (at most {limit} are)"))
    return taken[:limit]


def _trailing(parsed: Parsed) -> list[Block]:
    """Lines about the notes after the last point: they say where the notes came from."""
    last = max((p.line for s in parsed.sections for p in s.points), default=0)
    return [b for b in parsed.meta if b.line > last]


def _joined(texts: list[str]) -> str | None:
    """Several credit lines as one: `A. B` or `A; B`."""
    result = ""
    for text in texts:
        text = re.sub(r"\s+", " ", text).strip()
        if result:
            result += " " if result.endswith((".", "!", "?")) else "; "
        result += text
    return result or None


def title_of(parsed: Parsed, given: str | None, notes: list[Note]) -> str:
    """The given title, else the first heading (or short first line) of the notes."""
    if given and given.strip():
        return re.sub(r"\s+", " ", given).strip()
    first = parsed.first_line
    if first is None or first.kind == "item" or len(first.text.split()) > TITLE_WORDS:
        notes.append((None, "no title found: give one with --title or edit `title:`"))
        return "TODO: write a title"
    text = first.text.rstrip(":").strip()
    if is_caps_heading(text):
        notes.append((first.line, "title was in capitals and has been put in title case: check it"))
        text = title_case(text)
    return text


def title_case(text: str) -> str:
    """`THE MURDER OF KIROV` -> `The Murder of Kirov` (short words lower-case, except the first)."""
    small = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def key_question_of(parsed: Parsed) -> str:
    """A `Why ...?` heading, else a marked placeholder."""
    for heading in parsed.headings:
        text = heading.text.strip().rstrip(":")
        if re.match(r"why\b", text, re.IGNORECASE):
            text = text[0].upper() + text[1:].lower() if is_caps_heading(text) else text
            return text if text.endswith("?") else text.rstrip(".") + "?"
    return KEY_QUESTION_TODO


def guess_subject(sentences: list[tuple[int, str]], headings: list[Block]) -> str:
    """The school subject whose words the notes use most (dates count for History); a TODO if none stands out."""
    texts = [s for _, s in sentences] + [b.text for b in headings]
    words: Counter[str] = Counter()
    for word, count in _word_counts(texts).items():
        words[bare(word.lower())] += count
    scores = {subject: sum(words[w] for w in vocab.split()) for subject, vocab in SUBJECT_WORDS.items()}
    dated = (s for _, s in sentences if find_date(s))
    scores["History"] += len(list(itertools.islice(dated, 5)))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, score), (_, runner_up) = ranked[0], ranked[1]
    return best if score >= 2 and score > runner_up else "TODO: subject"


def _word_counts(texts: list[str]) -> Counter[str]:
    """Each word as written, counted in one pass over all the texts (words never span a line break)."""
    return Counter(_WORD.findall("\n".join(texts)))


def lowercase_words(sentences: list[tuple[int, str]]) -> set[str]:
    """Every word the notes write in lower case: a capitalised word also written so is a common word."""
    return {w for w in _word_counts([s for _, s in sentences]) if w.islower()}


# ------------------------------------------------------------------------------------------
# Events
# ------------------------------------------------------------------------------------------


def find_date(sentence: str) -> re.Match[str] | None:
    """The most specific date in the sentence (a day before a month before a year), first if several."""
    if not _DIGIT.search(sentence):  # every date has a digit: most sentences need no pattern tried
        return None
    for pattern in _DATES:
        match = pattern.search(sentence)
        if match:
            return match
    return None


def find_events(sentences: list[tuple[int, str]]) -> Iterator[Entry]:
    """Every sentence with a date: date as found, title shortened, the whole sentence as detail."""
    seen: set[tuple[str, str]] = set()
    for line, sentence in sentences:
        match = find_date(sentence)
        if match is None:
            continue
        date = re.sub(r"^the\s+", "", match.group(0).strip())
        date = date[:1].upper() + date[1:]
        title = event_title(sentence, match)
        if not title or (date, title) in seen:
            continue
        seen.add((date, title))
        fields: dict[str, Any] = {"date": date, "title": title}
        if title.rstrip("…") != sentence.rstrip(".").strip():
            fields["detail"] = sentence.strip()
        yield Entry(fields, line)


def event_title(sentence: str, match: re.Match[str]) -> str:
    """The sentence without a date it starts with, cut to at most EVENT_WORDS words."""
    before = sentence[: match.start()]
    text = sentence
    if not before.strip() or _LEADING_DATE_GLUE.match(before):
        text = re.sub(r"^[\s,:;–—-]+", "", sentence[match.end() :])
    text = text.strip().rstrip(".").strip()
    if len(text.split()) < 2:
        text = sentence.strip().rstrip(".")
    return shorten(text[:1].upper() + text[1:], EVENT_WORDS)


def shorten(text: str, limit: int) -> str:
    """At most `limit` words: cut at a clause break if there is one, else add an ellipsis."""
    words = text.split()
    if len(words) <= limit:
        return text
    head = " ".join(words[:limit])
    clause = max((head.rfind(mark) for mark in (",", ";", ":", " - ", " – ", " — ")), default=-1)
    if clause > 0 and len(head[:clause].split()) >= 4 and not _open_quote(head[:clause]):
        return head[:clause].strip()
    kept = words[:limit]
    while len(kept) > 4 and kept[-1].lower().strip(",;:") in STOPWORDS:
        kept.pop()
    cut = " ".join(kept).rstrip(",;:–—-") + "…"
    return cut + _open_quote(cut)


def _open_quote(text: str) -> str:
    """The closing mark a cut-off quotation needs (`”`), or '' if every quotation is closed."""
    if text.count("“") > text.count("”"):
        return "”"
    if text.count('"') % 2:
        return '"'
    return ""


# ------------------------------------------------------------------------------------------
# People
# ------------------------------------------------------------------------------------------


@dataclass
class Name:
    """A name found in the notes, with how often and where it appeared."""

    text: str
    line: int
    count: int = 0
    mid_sentence: int = 0
    after_place_word: int = 0
    variants: dict[str, int] = field(default_factory=dict)  # other spellings -> first line


def bare(word: str) -> str:
    """A word without its possessive `’s` (`Stalin’s` -> `Stalin`)."""
    return word[:-2] if word.endswith(("’s", "'s")) else word


def find_people(
    sentences: list[tuple[int, str]], lower: set[str], notes: list[Note]
) -> tuple[list[Entry], dict[str, str]]:
    """Two-word capitalised names and surnames used more than once; also each form of each name, for quotes."""
    full: dict[str, Name] = {}
    single: dict[str, Name] = {}
    for line, sentence in sentences:
        for run, first_word in _capital_runs(sentence, lower):
            target = full if len(run) > 1 else single
            text = " ".join(w for w, _ in run)
            name = target.get(text)
            if name is None:  # not setdefault: that would build a Name for every capitalised word
                name = target[text] = Name(text, line)
            name.count += 1
            name.mid_sentence += not first_word
            name.after_place_word += run[0][1] in NOT_PERSON_BEFORE
    people = _merge_names(full, single, notes)
    entries = [
        Entry(
            {"name": n.text, "role": f"TODO: who was {n.text}?"},
            n.line,
            after=(f"also spelt in the notes: {', '.join(n.variants)} (check which is right)",) if n.variants else (),
        )
        for n in people
    ]
    forms = {form: n.text for n in people for form in (n.text, n.text.split()[-1], *n.variants)}
    return entries, forms


def _capital_runs(sentence: str, lower: set[str]) -> Iterator[tuple[list[tuple[str, str]], bool]]:
    """Runs of adjacent capitalised words that could be names: [(word, word before the run)], first in sentence."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(sentence)]
    run: list[tuple[str, str]] = []
    run_start = 0
    for index, (word, start, _end) in enumerate(tokens):
        word = bare(word)
        adjacent = bool(run) and sentence[tokens[index - 1][2] : start] == " "
        if not _name_word(word, lower, run_start=not run or not adjacent):
            if run:
                yield from _finish_run(run, run_start == 0)
            run = []
            continue
        if run and not adjacent:
            yield from _finish_run(run, run_start == 0)
            run = []
        if not run:
            run_start = index
        run.append((word, tokens[index - 1][0].lower() if index else ""))
    if run:
        yield from _finish_run(run, run_start == 0)


def _name_word(word: str, lower: set[str], run_start: bool) -> bool:
    """A capitalised word that is not a common word (titles may start a name)."""
    if not word[0].isupper() or word.isupper() or _ROMAN.match(word):
        return False
    if run_start and word in TITLES:
        return True
    return word not in CAPITAL_STOP and word.lower() not in lower and word.lower() not in STOPWORDS


def _finish_run(run: list[tuple[str, str]], first: bool) -> Iterator[tuple[list[tuple[str, str]], bool]]:
    """A run of 2-3 words is a full name unless it names a thing; otherwise its words count alone."""
    words = [w for w, _ in run]
    if any(w in PLACES for w in words) or words[0] in PLACE_PREFIXES:
        return
    if 2 <= len(run) <= 3 and words[-1] not in INSTITUTIONS and not GROUP_SUFFIX.search(words[-1]):
        yield run, first
        return
    for index, (word, before) in enumerate(run):
        if word not in TITLES and word not in INSTITUTIONS:
            # "the" in "the Rytov Platform" belongs to the platform, not to Rytov.
            yield [(word, before if len(run) == 1 else "")], first and index == 0


def _merge_names(full: dict[str, Name], single: dict[str, Name], notes: list[Note]) -> list[Name]:
    """Surnames join their full name; near-identical spellings join the commonest; keep real names."""
    _join_spellings(single, notes)
    people = list(full.values())
    by_surname = {n.text.split()[-1]: n for n in people}
    for word, name in single.items():
        owner = by_surname.get(word)
        if owner is not None:
            owner.count += name.count
            owner.variants.update(name.variants)
            continue
        place = name.after_place_word * 2 >= name.count
        if name.count >= 2 and name.mid_sentence and not place and not GROUP_SUFFIX.search(word):
            people.append(name)
    return sorted(people, key=lambda n: n.line)[:MAX_PEOPLE]


def _join_spellings(single: dict[str, Name], notes: list[Note]) -> None:
    """`Yezkhov` and `Yehzkov` join `Yezhov`: counted together, reported for the teacher to check."""
    by_letter: dict[str, list[str]] = {}
    for word in single:
        by_letter.setdefault(word[0], []).append(word)
    for word in sorted(single, key=lambda w: (-single[w].count, single[w].line)):
        if word not in single or len(by_letter[word[0]]) > MAX_SPELLING_CHECKS:
            continue
        for other in by_letter[word[0]]:
            if other != word and other in single and any(_same_name(f, other) for f in (word, *single[word].variants)):
                variant = single.pop(other)
                main = single[word]
                main.count += variant.count
                main.mid_sentence += variant.mid_sentence
                main.variants[other] = variant.line
                main.line = min(main.line, variant.line)
                notes.append((variant.line, f"'{other}' looks like another spelling of '{word}': check which is right"))


def _same_name(a: str, b: str) -> bool:
    """Probably one name spelt two ways: same first letter, similar length and letters."""
    if a[0] != b[0] or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8  # Yezhov/Yezkhov 0.92, Hitler/Himmler 0.77


# ------------------------------------------------------------------------------------------
# Glossary
# ------------------------------------------------------------------------------------------


def find_terms(sentences: list[tuple[int, str]], parsed: Parsed, names: dict[str, str], lower: set[str]) -> list[Entry]:
    """Labelled points, recurring words and pairs, acronyms and group names: definitions left as TODO."""
    forms, first = _count_terms(sentences, names, lower)
    labels = find_labels(sentences, names)
    for key, (form, line, _) in labels.items():
        forms.setdefault(key, Counter({form: 1}))
        first.setdefault(key, line)
    prominent = " ".join([b.text for b in parsed.headings]).lower()
    title = parsed.first_line.text.lower() if parsed.first_line else ""
    scored = sorted(forms, key=lambda k: (k not in labels, -_term_score(k, forms[k], prominent, title), first[k]))
    chosen = [k for k in scored if k in labels or _recurring(k, forms[k], prominent)][:MAX_TERMS]
    if len(chosen) < MIN_TERMS:
        rest = [k for k in scored if k not in chosen and " " not in k and len(k) >= 7]
        chosen += rest[: MIN_TERMS - len(chosen)]
    chosen = _without_parts(chosen, forms)
    return [
        _term_entry(forms[k], first[k], labels[k][2] if k in labels else None)
        for k in sorted(chosen, key=lambda k: first[k])
    ]


def _count_terms(
    sentences: list[tuple[int, str]], names: dict[str, str], lower: set[str]
) -> tuple[dict[str, Counter[str]], dict[str, int]]:
    """Each candidate term (by rough singular) with the forms it was written in, and its first line."""
    name_words = {w.lower() for n in names for w in n.split()}
    forms: dict[str, Counter[str]] = {}
    first: dict[str, int] = {}
    for line, sentence in sentences:
        for term in _term_candidates(sentence, lower, name_words):
            key = singular(term.lower()) if not term.isupper() else term
            if key not in forms:  # not setdefault: that would build a Counter for every word of the notes
                forms[key] = Counter()
                first[key] = line
            forms[key][term] += 1
    return forms, first


_NOT_LABELS = word_set("example note notes answer definition summary question remember tip hint")


def _has_verb_like(label: str) -> bool:
    """`The word equation is` is the start of a sentence, not a term: terms have no little words but `of`, `and`."""
    return any(w.lower() in STOPWORDS and w.lower() not in ("of", "and") for w in label.split())


def find_labels(sentences: list[tuple[int, str]], names: dict[str, str]) -> dict[str, tuple[str, int, str]]:
    """`Hydraulic action: waves force air...`: the label is a key term and the rest what the notes say of it."""
    labels: dict[str, tuple[str, int, str]] = {}
    for line, sentence in sentences:
        match = _LABEL.match(sentence)
        if not match or _DIGIT.search(match.group(1)) or match.group(1) in names:
            continue
        label = re.sub(r"^(?:the|a|an)\s+", "", match.group(1).strip(), flags=re.IGNORECASE)
        if label.lower() in _NOT_LABELS or len(label.split()) > 4 or _has_verb_like(label):
            continue
        if label.split()[1:] == [w.lower() for w in label.split()[1:]]:
            label = label[0].lower() + label[1:]
        key = singular(label.lower()) if not label.isupper() else label
        labels.setdefault(key, (label, line, shorten(sentence[match.end(1) + 1 :].strip(), 12)))
    return labels


def _term_candidates(sentence: str, lower: set[str], name_words: set[str]) -> Iterator[str]:
    """Content words, pairs of content words, acronyms and capitalised group names in a sentence."""
    words = [bare(w) for w in _WORD.findall(sentence)]
    previous = ""
    for word in words:
        low = word.lower()
        if _ACRONYM.match(word) and not _ROMAN.match(word):
            yield word.rstrip("s") if word.endswith("s") and word[:-1].isupper() else word
            previous = ""
            continue
        content = _content_word(word, low, lower, name_words)
        if content and GROUP_SUFFIX.search(word) and word[0].isupper() and low not in lower:
            yield word
        elif content:
            yield low
            if previous:
                yield f"{previous} {low}"
        previous = low if content and word.islower() else ""


def _content_word(word: str, low: str, lower: set[str], name_words: set[str]) -> bool:
    """A word that could be a key term: not a function word, a name, a verb form or an adverb."""
    if len(low) < 4 or low in STOPWORDS or low in name_words or low.endswith(("ly", "ing", "ed")):
        return False
    return word.islower() or low in lower or bool(GROUP_SUFFIX.search(word))


def singular(word: str) -> str:
    """A rough singular, only to count `purge` and `purges` together."""
    if " " in word:
        head, tail = word.rsplit(" ", 1)
        return f"{head} {singular(tail)}"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _term_score(key: str, forms: Counter[str], prominent: str, title: str) -> float:
    """Frequent, in a heading or the title, technical, long, two words or an acronym: more likely a key term."""
    count = sum(forms.values())
    score = float(min(count, 5))
    score += 3 if any(_has_word(prominent, f) for f in forms) else 0
    score += 3 if any(_has_word(title, f) for f in forms) else 0
    score += 2 if TECHNICAL_SUFFIX.search(key) else 0
    score += 2 if " " in key and count >= 2 else 0
    score += 2 if key.isupper() else 0
    score += 1 if len(key) >= 9 else 0
    return score


def _recurring(key: str, forms: Counter[str], prominent: str) -> bool:
    """Used twice or more, or in a heading, or clearly a term (an acronym or an -ism)."""
    if " " in key:
        return sum(forms.values()) >= 2
    in_heading = any(_has_word(prominent, f) for f in forms)
    return sum(forms.values()) >= 2 or in_heading or key.isupper() or bool(TECHNICAL_SUFFIX.search(key))


def _has_word(text: str, word: str) -> bool:
    """`word` as a whole word in `text` (both compared in lower case)."""
    return bool(re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text))


def _without_parts(chosen: list[str], forms: dict[str, Counter[str]]) -> list[str]:
    """A word used only inside a chosen pair (`labour` in `labour camps`) is not a term of its own."""
    pairs = [k for k in chosen if " " in k]
    result = []
    for key in chosen:
        inside = sum(sum(forms[p].values()) for p in pairs if key in p.split() or key in singular(p).split())
        if " " in key or sum(forms[key].values()) > inside:
            result.append(key)
    return result


def _term_entry(forms: Counter[str], line: int, said: str | None) -> Entry:
    """The commonest form as the term (so the gap-fill finds it), the others accepted too."""
    term = forms.most_common(1)[0][0]
    others = [f for f in forms if f.lower() != term.lower()]
    fields: dict[str, Any] = {"term": term, "definition": f"TODO: define '{term}'"}
    if others:
        fields["alternatives"] = others
    return Entry(fields, line, after=(f"the notes say: {said}",) if said else ())


# ------------------------------------------------------------------------------------------
# Causes and quotes
# ------------------------------------------------------------------------------------------


def find_causes(sections: list[Section]) -> Iterator[Entry]:
    """Each point under a "why" heading, and each sentence with causal wording, suggests a cause."""
    ids: set[str] = set()
    for section in sections:
        for point in section.points:
            if section.why:
                yield _cause(point.text, point.text, point.line, ids)
                continue
            if not CAUSAL.search(point.text):  # then no sentence of it has causal wording: skip splitting it
                continue
            for line, sentence in point.sentences():
                if CAUSAL.search(sentence):
                    yield _cause(sentence, sentence, line, ids)


def _cause(text: str, evidence: str, line: int, ids: set[str]) -> Entry:
    """A cause with a title from its label (`Unpopularity: ...`) or first clause, to be checked."""
    label = re.match(r"^([^:.!?]{2,60}):\s", text)
    title = label.group(1).strip() if label and len(label.group(1).split()) <= 6 else first_clause(text)
    if not re.search(r"\w", title):  # the first clause was only punctuation ("... - because")
        title = shorten(text.strip(), CAUSE_WORDS)
    fields: dict[str, Any] = {
        "id": unique_slug(title, ids),
        "title": title,
        "category": "political",
        "timescale": "short-term",
        "evidence": [evidence.strip()],
    }
    return Entry(fields, line, comments={"category": "TODO: check category and timescale"})


def first_clause(text: str) -> str:
    """The first sentence up to a dash or semicolon, at most CAUSE_WORDS words, without its full stop."""
    sentence = _SENTENCE_END.split(text)[0]
    clause = re.split(r"\s[-–—]\s|;\s", sentence)[0].strip().rstrip(".!?")
    return shorten(clause, CAUSE_WORDS)


def unique_slug(title: str, ids: set[str]) -> str:
    """`Unpopularity` -> `unpopularity`; a repeat gets `-2`, `-3`..."""
    words = re.findall(r"[a-z0-9]+", title.lower().encode("ascii", "ignore").decode())
    base = "-".join([w for w in words if w not in STOPWORDS][:5]) or "cause"
    slug, n = base, 1
    while slug in ids:
        n += 1
        slug = f"{base}-{n}"
    ids.add(slug)
    return slug


def find_quotes(points: list[Point], names: dict[str, str], notes: list[Note]) -> Iterator[Entry]:
    """Quoted words (four or more) with a name near them; marked attributed until checked."""
    for point in points:
        places: dict[str, list[tuple[int, int]]] = {}  # where each name stands in the point, for every quote
        for match in _quote_spans(point.text):
            words = match.group(1).strip()
            if len(words.split()) < 4:
                continue
            speaker = find_speaker(point.text, match, list(names), places)
            line = point.line_at(match.start())
            if speaker is None:
                notes.append((line, f"quotation with no speaker near it not added to quotes: {words[:40]!r}"))
                continue
            fields: dict[str, Any] = {
                "text": words,
                "speaker": names[speaker],
                "attributed": True,
                "note": "TODO: check who said this, when, and where it was recorded",
            }
            yield Entry(fields, line)


def _quote_spans(text: str) -> Iterator[re.Match[str]]:
    """Every ‘…’, “…” and "…" span; the words are group 1."""
    for pattern in _QUOTES:
        yield from pattern.finditer(text)


def find_speaker(
    text: str, quote: re.Match[str], names: list[str], places: dict[str, list[tuple[int, int]]]
) -> str | None:
    """The name next to a speech verb, else the nearest name before the quote, else just after it.

    `places` remembers where each name stands in `text`: a long paragraph with many quotations is
    searched once per name, and only the places near each quotation are looked at.
    """
    inside = _WORD.findall(quote.group(1))
    found: list[tuple[int, int, str]] = []
    for name in names:
        if name not in places:
            places[name] = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        if not places[name] or any(_same_name(w, name) or w == name for w in inside):
            continue  # not in the text, or named in the quotation itself
        for start, end in _near_quote(text, quote, places[name]):
            gap = text[end : quote.start()] if end <= quote.start() else text[quote.end() : start]
            before = end <= quote.start()
            verb = bool(SPEECH_VERBS.search(gap)) and len(gap.split()) <= 6
            found.append((0 if verb else 1 if before else 2, len(gap.split()), name))
    found = [f for f in found if f[0] == 0 or f[1] <= (SPEAKER_WORDS if f[0] == 1 else 8)]
    return min(found)[2] if found else None


_MORE_THAN_SPEAKER_WORDS = re.compile(rf"\s*(?:\S+\s+){{{SPEAKER_WORDS}}}\S")


def _near_quote(text: str, quote: re.Match[str], spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The spans outside the quote, nearest first on each side, up to SPEAKER_WORDS words away.

    The words between only grow from there on, so no name further away could be the speaker.
    """
    first_inside = bisect.bisect_left(spans, quote.start(), key=lambda span: span[0])
    first_after = bisect.bisect_left(spans, quote.end(), key=lambda span: span[0])
    for index in range(first_inside - 1, -1, -1):
        start, end = spans[index]
        if _MORE_THAN_SPEAKER_WORDS.match(text, end, quote.start()):
            break
        yield start, end
    for index in range(first_after, len(spans)):
        start, end = spans[index]
        if _MORE_THAN_SPEAKER_WORDS.match(text, quote.end(), start):
            break
        yield start, end


# ------------------------------------------------------------------------------------------
# Writing the YAML: block style, every string quoted, comments for the teacher.
# ------------------------------------------------------------------------------------------

HEADER = """\
# Draft content imported from {source} by `worksheetgen import`.
#
# Everything here comes from the notes; nothing was invented. Before printing:
#   * Fill in every value that starts "TODO:" (definitions, people's roles, the key question):
#     the notes did not say. `worksheetgen validate FILE` checks the file as you go.
#   * Causes were suggested by "why" headings and causal wording ("led to", "because"): check
#     each one's category and timescale, and delete any that are not causes.
#   * Events are the sentences that carry a date; delete those that are not events.
#   * Quotations are marked `attributed: true` until you have checked who said them, and where.
#   * Gaps are chosen automatically from the glossary, people's surnames, dates and numbers; to
#     choose your own, mark them in the summary as [[answer]].
#   * "line N" comments say which line of the notes an entry came from.
"""


def emit_yaml(draft: Draft, source: str | None) -> str:
    """The draft as readable YAML: header, scalars, then each list with its comments."""
    out = [HEADER.format(source=Path(source).name if source else "notes")]
    out.append(f"title: {quoted(draft.title)}")
    out.append(f"key_question: {quoted(draft.key_question)}")
    out.append(f"subject: {quoted(draft.subject)}  # TODO: check the subject (guessed from the notes)")
    if draft.credit:
        out.append(f"credit: {quoted(draft.credit)}")
    if draft.source_note:
        out.append(f"source_note: {quoted(draft.source_note)}")
    out.append("\n# The passage for the gap-fill and for reading: one paragraph per section of the notes.")
    out.append("summary:")
    for title, paragraph, line in draft.paragraphs:
        out.append(f"  # {_comment(title) + ', ' if title else ''}from line {line}")
        out.append(f"  - {block_text(paragraph, 4)}")
    sections = (
        ("glossary", draft.glossary, "Labelled points, words used often or in a heading: define them, delete others."),
        ("people", draft.people, "Names found in the notes: say who each person was."),
        ("events", draft.events, "Sentences with a date."),
        ("causes", draft.causes, 'Suggested by "why" headings and causal wording: check them all.'),
        ("quotes", draft.quotes, "Quoted words with a speaker nearby: check the speaker and find a source."),
    )
    for name, entries, explanation in sections:
        out.append("")
        out.extend(emit_list(name, entries, explanation))
    return "\n".join(out) + "\n"


def emit_list(name: str, entries: list[Entry], explanation: str) -> list[str]:
    """`name:` and its entries as block mappings, or a comment saying none were found."""
    if not entries:
        return [f"# {name}: none found in the notes."]
    out = [f"# {explanation}", f"{name}:"]
    for entry in entries:
        for index, (key, value) in enumerate(entry.fields.items()):
            lead = "  - " if index == 0 else "    "
            comment = entry.comments.get(key, "")
            if index == 0 and entry.line is not None:
                comment = f"line {entry.line}" + (f"; {comment}" if comment else "")
            out.append(f"{lead}{key}:{scalar_or_list(value, 6)}" + (f"  # {_comment(comment)}" if comment else ""))
        out.extend(f"    # {_comment(text)}" for text in entry.after)
    return out


def scalar_or_list(value: Any, indent: int) -> str:
    """` true`, ` "text"`, or a block list of quoted strings: what follows `key:`."""
    if isinstance(value, bool):
        return " true" if value else " false"
    if isinstance(value, list):
        return "".join(f"\n{' ' * indent}- {quoted(str(v))}" for v in value)
    return " " + quoted(str(value))


def quoted(text: str) -> str:
    """A double-quoted YAML scalar, escaping what YAML needs (and anything non-printable)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(
        r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]",
        lambda m: f"\\u{ord(m.group(0)):04x}",
        escaped,
    )
    return f'"{escaped}"'


def block_text(text: str, indent: int) -> str:
    """A long paragraph as a folded block (`>-`) wrapped for reading, when it folds back exactly."""
    width = WRAP - indent
    if len(text) <= width or not folds_back(text):
        return quoted(text)
    return ">-" + "".join(f"\n{' ' * indent}{line}" for line in wrap_words(text, width))


_NOT_FOLDABLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def folds_back(text: str) -> bool:
    """Words with single spaces between them, and nothing else YAML folding would change: it reads back exactly."""
    return not _NOT_FOLDABLE.search(text) and "  " not in text and text.strip(" ") == text


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters that end at a word's end (a longer word on its own line).

    The lines textwrap.wrap makes of single-spaced text without breaking words, found in one regex pass
    (a paragraph can be megabytes): each is the longest run that fits and is followed by a space or the end.
    """
    return re.findall(rf"[^ ].{{0,{width - 1}}}(?= |$)|[^ ]+", text)


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: one line."""
    return re.sub(r"\s+", " ", text).strip()


def check_yaml(text: str, data: dict[str, Any]) -> None:
    """The YAML must read back as exactly the data, and the data must be valid content."""
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    if yaml.load(text, Loader=loader) != data:
        raise AssertionError("the importer wrote YAML that does not read back as intended")
    Content.model_validate(data)
