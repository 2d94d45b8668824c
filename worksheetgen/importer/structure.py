"""The structure of notes: blocks (headings, points, tables, definitions) and the sections they make.

Plain text has no markup, so its structure is read from the shape of its lines: a short line
with no full stop (or a one-to-four word `Heading.` line, or a line in capitals) followed by
text is a heading; a short line under a picture (`Figure 1: ...`, a line with a day's date or
`photographed`) is a caption and is left out; `Born` above `30 November 1874, ...` is a fact;
a paste from a web page loses its menus, `[edit]` links, contents list and references. Every
format then makes the same sections: the title, the sections with their points, a glossary
section's definitions, tables, credits, and the lines that talk about the notes themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from worksheetgen.wording import counted

Note = tuple[int | None, str]  # (line of the notes or None, message)

TITLE_WORDS = 12  # a heading is short
FACT_LABEL_WORDS = 3
FACT_VALUE_WORDS = 14
STOP_FOR_HEADINGS = frozenset("a an the and of in on at to for from by with or".split())


@dataclass(frozen=True)
class Block:
    """One piece of the notes: a heading, paragraph, list item, table, caption, definition or fact.

    `starts` maps offsets in `text` to lines of the notes, as a wrapped paragraph spans several.
    """

    kind: str  # heading | para | item | table | caption | term | fact
    text: str
    line: int
    level: int = 1  # a heading's level: 0 the document's own title, 1 a main heading
    starts: tuple[tuple[int, int], ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells
    term: str = ""  # a definition's term (`text` is the definition)
    quote: bool = False
    bold: tuple[str, ...] = ()  # phrases in bold: the notes' own key words


@dataclass
class Section:
    """A heading (possibly none) and the blocks under it."""

    title: str
    line: int
    level: int = 1
    blocks: list[Block] = field(default_factory=list)

    @property
    def glossary(self) -> bool:
        """`Key words`, `Glossary`, `Key terms`: every line under it defines a term."""
        return bool(GLOSSARY_HEADING.match(self.title))

    @property
    def why(self) -> bool:
        """A "why" heading (or causes, reasons): its points suggest causes."""
        return bool(WHY_HEADING.match(self.title))


@dataclass
class Notes:
    """The notes' structure, whatever their format."""

    title: str | None
    title_line: int | None
    front: dict[str, Any]
    sections: list[Section]
    tables: list[Block]
    credit: list[Block]
    meta: list[Block]
    headings: list[Block]
    page_title: str | None = None


GLOSSARY_HEADING = re.compile(
    r"^\s*(?:(?:key|important|useful|new)\s+(?:words?|terms?|vocabulary|concepts?)|glossary|vocabulary|definitions?"
    r"|keywords?|word\s+bank|terms?\s+to\s+know|words?\s+to\s+know)\b",
    re.IGNORECASE,
)
WHY_HEADING = re.compile(r"^\s*(?:why\b|(?:the\s+)?(?:causes?|reasons?|factors?)\b)", re.IGNORECASE)
SKIP_HEADING = re.compile(
    r"^\s*(?:see also|references?|external links|further reading|bibliography|notes and references|footnotes"
    r"|related (?:documents|articles|links|pages)|contents|navigation menu|sources and references)\s*:?\s*$",
    re.IGNORECASE,
)

# ------------------------------------------------------------------------------------------
# Plain text: lines -> blocks
# ------------------------------------------------------------------------------------------

_ITEM = re.compile(
    r"^(?P<indent>\s*)(?:\(?(?:\d{1,2}|[a-zA-Z])\)\s*|(?:\d{1,2}|[a-z])\.\s+|[-*+•·▪◦‣●–—]\s+)(?P<text>\S.*)$"
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s*([-*_=~])(?:\s*\1){2,}\s*$")
_TAB_ROW = re.compile(r"^[^\t]+(?:\t+[^\t]+)+$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_EDIT = re.compile(r"\s*\[\s*edit(?:\s+source)?\s*\]\s*$", re.IGNORECASE)
_CHAPTER = re.compile(r"^\s*(?:chapter|book|part|lesson|unit)\s+(?:[IVXLC]+|\d+|[a-z]+)\b[.:]?\s*$", re.IGNORECASE)
_CAPTION_START = re.compile(
    r"^(?:figure|fig\.|picture|photo(?:graph)?|image|illustration|map|diagram|cartoon|poster|plate)\s*\d*\s*[:.\-–]"
    r"|^(?:above|below|left|right|top|bottom|opposite)\s*[:\-–]",
    re.IGNORECASE,
)
_CAPTION_WORDS = re.compile(
    r"\b(?:photographed|pictured|painted|drawn|depicted|shown here|departing|arriving|seen from|taken from"
    r"|in this picture)\b",
    re.IGNORECASE,
)
_DAY_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{4}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{1,2},\s+\d{4}\b"
)
_CHROME_LINE = re.compile(
    r"^(?:skip to (?:main )?content|cookies? on\b.*|we use (?:some )?(?:essential )?cookies\b.*"
    r"|(?:accept|reject)(?: (?:all|additional|optional))? cookies|view cookies|cookie (?:settings|policy)"
    r"|hide (?:this )?message|menu|home|search|sign in|log in|share this page|share|print this page|print"
    r"|facebook|twitter|linkedin|email|whatsapp|is this page useful\??|yes|no|maybe"
    r"|report a problem with this page|(?:published|updated|last updated)\b.*\d{4}.*|contents|© .*|copyright\b.*"
    r"|from wikipedia, the free encyclopedia|jump to (?:navigation|search)|main article:.*|see also:.*"
    r"|further information:.*|retrieved from\b.*|categories:.*|this article is about\b.*|.*\bredirects here\b.*"
    r"|\^ .*|back to top|gov\.uk|all rights reserved\.?|privacy(?: policy)?|accessibility(?: statement)?)$",
    re.IGNORECASE,
)
_TOC_LINE = re.compile(r"^\d+(?:\.\d+)*\s+\S")
_CREDIT = re.compile(
    r"^(?i:source|sources|credit|credits|by|author|adapted from|based on|taken from|reference|references)\s*[:\-–]\s*\S"
    r"|^[A-Z]\.?(?:\s?[A-Z]\.?)?\s+[A-Z][a-z]+,\s+\S"  # an author with initials: `C Clayton, Stalin's Purges`
)
_META = re.compile(
    r"^(?:this|these)\s+(?:paper|notes?|document|sheet|page|pages|booklet|pack)\b"
    r"|\b(?:collects information|amalgamated from|extracted from|adapted from|compiled from|taken from|copied from)\b"
    r"|^note to readers\b",
    re.IGNORECASE,
)
QUESTION = re.compile(r"^(?:why|how|what|when|who|where|which|to what extent|was|were|did)\b", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?…:;,][’”\"')\]]*$")
_VERBISH = frozenset(
    "is are was were be been has have had do does did will would can could shall should may might must "
    "became become began made took led won lost said died fell rose grew".split()
)


@dataclass
class _Line:
    """One physical line of plain notes, with what it looks like."""

    number: int
    text: str
    kind: str  # blank | item | row | heading | underline | rule | text | chrome | chapter
    indent: int = 0


def text_blocks(lines: list[tuple[int, str]], notes: list[Note]) -> list[Block]:
    """Plain notes -> blocks, read from the shape of their lines."""
    scanned = _scan(lines, notes)
    wrapped = _hard_wrapped(scanned)
    edit_headings = any(_EDIT.search(line.text) for line in scanned)
    blocks: list[Block] = []
    parts: list[tuple[int, str]] = []
    kind = ""

    def close() -> None:
        nonlocal parts, kind
        if parts:
            starts, offset = [], 0
            for number, text in parts:
                starts.append((offset, number))
                offset += len(text) + 1
            blocks.append(Block(kind, " ".join(t for _, t in parts), parts[0][0], starts=tuple(starts)))
        parts, kind = [], ""

    index = 0
    seen_heading = False
    after_break = True  # a fact (`Born` over `30 November 1874`) starts after a blank line or another fact
    while index < len(scanned):
        line = scanned[index]
        if line.kind in ("blank", "rule", "underline", "chapter"):
            close()
            after_break = True
        elif line.kind == "chrome":
            close()
        elif line.kind == "row":
            close()
            index = _rows(scanned, index, blocks)
            continue
        elif line.kind == "heading":
            close()
            blocks.append(Block("heading", _EDIT.sub("", line.text), line.number))
            seen_heading, after_break = True, False
        elif line.kind == "item":
            close()
            parts, kind = [(line.number, line.text)], "item"
            after_break = False
        elif parts and _continues(parts[-1][1], line, wrapped, kind):
            parts.append((line.number, line.text))
        else:
            close()
            role = _role(line, _next_content(scanned, index), scanned, index, edit_headings and seen_heading)
            if role == "fact" and not after_break:
                role = "heading"
            after_break = role == "fact"
            if role == "heading":
                blocks.append(Block("heading", _EDIT.sub("", line.text).rstrip(), line.number))
                seen_heading = True
            elif role == "caption":
                notes.append((line.number, f"caption left out of the passage: {line.text[:60]!r}"))
            elif role == "fact":
                value = scanned[index + 1]
                blocks.append(Block("fact", f"{line.text}: {value.text}", line.number))
                index += 1
            else:
                parts, kind = [(line.number, line.text)], "para"
        index += 1
    close()
    return blocks


def _scan(lines: list[tuple[int, str]], notes: list[Note]) -> list[_Line]:
    """What each line looks like; web-page furniture and contents lists are marked to be left out."""
    scanned: list[_Line] = []
    chrome = 0
    in_contents = False
    for number, raw in lines:
        text = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not text:
            scanned.append(_Line(number, "", "blank"))
            in_contents = False
            continue
        if in_contents and _TOC_LINE.match(text) and len(text.split()) <= 8:
            chrome += 1
            scanned.append(_Line(number, text, "chrome"))
            continue
        in_contents = text.lower() == "contents"
        if _CHROME_LINE.match(text):
            chrome += 1
            scanned.append(_Line(number, text, "chrome"))
        elif _CHAPTER.match(text):
            scanned.append(_Line(number, text, "chapter"))
        elif _UNDERLINE.match(text) and scanned and scanned[-1].kind == "text":
            scanned[-1].kind = "heading"
            scanned.append(_Line(number, text, "underline"))
        elif _RULE.match(text):
            scanned.append(_Line(number, text, "rule"))
        elif _MD_HEADING.match(raw):
            scanned.append(_Line(number, _MD_HEADING.match(raw).group(1), "heading"))  # type: ignore[union-attr]
        elif item := _ITEM.match(raw):
            scanned.append(_Line(number, item.group("text").strip(), "item", len(item.group("indent"))))
        elif _PIPE_ROW.match(raw) or _TAB_ROW.match(raw.strip("\n")) and "\t" in raw.strip():
            scanned.append(_Line(number, raw.strip(), "row"))
        elif _EDIT.search(text):
            scanned.append(_Line(number, _EDIT.sub("", text), "heading"))
        else:
            scanned.append(_Line(number, " ".join(text.split()), "text", indent))
    if chrome:
        notes.append(
            (None, f"{counted(chrome, 'line')} of web-page furniture (menus, buttons, contents, references) left out")
        )
    return scanned


def _hard_wrapped(scanned: list[_Line]) -> bool:
    """Notes typed with line breaks inside paragraphs (most long lines end near one width) rather than one per line."""
    lengths = sorted(len(line.text) for line in scanned if line.kind in ("text", "item"))
    if len(lengths) < 3:
        return False
    width = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) >= 10 else lengths[-1]
    if width > 110:
        return False
    near = [line for line in scanned if line.kind in ("text", "item") and len(line.text) >= 0.7 * width]
    open_ended = [line for line in near if not _TERMINAL.search(line.text)]
    return len(open_ended) >= max(2, len(near) // 3)


def _continues(previous: str, line: _Line, wrapped: bool, kind: str) -> bool:
    """A line that goes on with the paragraph (or item) before it rather than starting a new one."""
    if line.kind != "text":
        return False
    if kind == "item" and line.indent >= 2:
        return True
    if line.text[:1].islower() and not _TERMINAL.search(previous):
        return True
    return wrapped and not _TERMINAL.search(previous)


def _next_content(scanned: list[_Line], index: int) -> _Line | None:
    """The next line that is not blank or furniture, if any."""
    for at in range(index + 1, len(scanned)):
        if scanned[at].kind not in ("blank", "chrome", "rule", "underline", "chapter"):
            return scanned[at]
    return None


def _role(line: _Line, following: _Line | None, scanned: list[_Line], index: int, wiki_paste: bool) -> str:
    """heading, caption, fact or para: what a line on its own is."""
    text = line.text
    if is_caption(text):
        return "caption"
    if not is_heading_shape(text):
        return "para"
    if following is None:
        return "para"
    if wiki_paste:  # a page whose headings say [edit]: its other short lines are picture captions
        return "caption"
    value = scanned[index + 1] if index + 1 < len(scanned) else None
    after = _next_content(scanned, index + 1) if value is not None else None
    if (
        value is not None
        and value.kind == "text"
        and len(text.split()) <= FACT_LABEL_WORDS
        and not text.endswith(".")
        and len(value.text.split()) <= FACT_VALUE_WORDS
        and (
            after is None
            or is_heading_shape(after.text)
            or index + 2 >= len(scanned)
            or scanned[index + 2].kind == "blank"
        )
    ):
        return "fact"
    return "heading"


def is_caption(text: str) -> bool:
    """`Figure 1: ...`, `Survivors in a lifeboat, photographed from ...`, `The Titanic at Queenstown, 11 April 1912`."""
    if _CAPTION_START.match(text):
        return True
    short = len(text.split()) <= 16 and not _TERMINAL.search(text)
    return short and bool(_CAPTION_WORDS.search(text) or _DAY_DATE.search(text))


def is_heading_shape(text: str) -> bool:
    """A short line with no full stop, a line in capitals, a question, or a one-to-four word `Heading.` line."""
    words = text.split()
    if not words or len(words) > TITLE_WORDS or not (text[0].isupper() or text[0].isdigit()):
        return False
    if is_caps(text) or (text.endswith("?") and QUESTION.match(text)):
        return True
    if _CREDIT.match(text) or re.match(r"^[^:]{1,40}:\s+\S", text) or re.search(r"\s[-–—]\s", text) and len(words) > 6:
        return False
    if text.endswith(".") and not text.endswith(".."):
        return is_caps(text) or (len(words) <= 4 and not any(w.lower().strip(".") in _VERBISH for w in words))
    return not _TERMINAL.search(text)


def is_caps(text: str) -> bool:
    """`THE MURDER OF KIROV`: a line in capitals."""
    return text.upper() == text and sum(c.isalpha() for c in text) >= 4


def _rows(scanned: list[_Line], index: int, blocks: list[Block]) -> int:
    """Consecutive table rows (tab-separated or `| a | b |`) as one table block; returns the index after them."""
    start = scanned[index].number
    rows: list[tuple[str, ...]] = []
    while index < len(scanned) and scanned[index].kind == "row":
        text = scanned[index].text
        cells = [c.strip() for c in (text.strip("|").split("|") if text.startswith("|") else text.split("\t"))]
        if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            rows.append(tuple(c for c in cells if c))
        index += 1
    blocks.append(Block("table", "", start, rows=tuple(rows)))
    return index


# ------------------------------------------------------------------------------------------
# Blocks -> sections, title, credit
# ------------------------------------------------------------------------------------------


def outline(blocks: list[Block], front: dict[str, Any], notes: list[Note], page_title: str | None = None) -> Notes:
    """Blocks -> the notes' title, sections, tables, credit and lines about the notes themselves."""
    blocks = [_retag(b) for b in blocks]
    web = page_title is not None or any("web-page furniture" in message for _, message in notes)
    title, title_line = _title(blocks, front, page_title, web)
    sections: list[Section] = [Section("", 0)]
    tables: list[Block] = []
    credit: list[Block] = []
    meta: list[Block] = []
    headings: list[Block] = []
    skipping = False
    for block in blocks:
        if block.kind == "heading":
            headings.append(block)
            skipping = bool(SKIP_HEADING.match(block.text))
            if skipping:
                notes.append((block.line, f"section {block.text!r} left out"))
                continue
            if block.line == title_line and block.text == title:
                continue
            sections.append(Section(block.text.rstrip(":").strip(), block.line, block.level))
        elif skipping:
            continue
        elif block.kind == "table":
            tables.append(block)
        elif block.kind == "credit":
            credit.append(block)
        elif block.kind == "meta":
            meta.append(block)
        elif block.kind in ("para", "item", "term", "fact") and not (block.line == title_line and block.text == title):
            if block.kind in ("para", "item") and _is_lead_in(block.text):
                sections.append(Section(block.text.rstrip(":").strip(), block.line, 9))
            else:
                sections[-1].blocks.append(block)
    return Notes(
        title, title_line, front, [s for s in sections if s.blocks], tables, credit, meta, headings, page_title
    )


def _retag(block: Block) -> Block:
    """Credit lines (`C Clayton, Stalin's Purges`) and lines about the notes are not content."""
    if block.kind not in ("para", "item"):
        return block
    if _CREDIT.match(block.text):
        return Block("credit", block.text, block.line)
    if _META.search(block.text):
        return Block("meta", block.text, block.line)
    return block


def _is_lead_in(text: str) -> bool:
    """`The aftermath of the purges:` introduces the points after it, like a sub-heading."""
    return text.endswith(":") and len(text.split()) <= TITLE_WORDS and not re.search(r"[.!?]\s", text)


def _title(
    blocks: list[Block], front: dict[str, Any], page_title: str | None, web: bool
) -> tuple[str | None, int | None]:
    """The notes' own title: front matter, a Title style, the first heading; on a web page, the most talked about."""
    if isinstance(front.get("title"), str) and front["title"].strip():
        first = next((b for b in blocks if b.kind == "heading"), None)
        same = first is not None and _plain(first.text) == _plain(front["title"])
        return " ".join(front["title"].split()), first.line if same and first else None
    styled = next((b for b in blocks if b.kind == "heading" and b.level == 0), None)
    if styled is not None:
        return styled.text, styled.line
    candidates = _leading(blocks)
    if not candidates:
        lead = next((b for b in blocks if b.kind == "para"), None)
        if (
            lead is not None
            and lead.bold
            and len(lead.bold[0].split()) <= TITLE_WORDS
            and re.sub(r"^The\s+", "", lead.text).startswith(lead.bold[0])
        ):
            return lead.bold[0], None  # a wiki article's lead names its subject in bold
        return (page_title.split(" | ")[0].strip() if page_title else None), None
    if not web and not (len(candidates) > 1 and _only_meta_between(blocks, candidates[0], candidates[1])):
        return candidates[0].text, candidates[0].line
    body = " ".join(b.text for b in blocks if b.kind in ("para", "item", "fact")).lower()
    best = max(candidates, key=lambda b: (_talked_about(b.text, body), -blocks.index(b)))
    return best.text, best.line


def _only_meta_between(blocks: list[Block], first: Block, second: Block) -> bool:
    """A site's or series' heading (`Milestones: 1945-1952`) with only a note to readers under it."""
    between = blocks[blocks.index(first) + 1 : blocks.index(second)]
    return bool(between) and all(b.kind in ("meta", "credit") for b in between)


def _leading(blocks: list[Block]) -> list[Block]:
    """Headings (and short first lines) before the first real paragraph, and the next heading after it."""
    found: list[Block] = []
    for block in blocks:
        if block.kind == "heading" or (block.kind == "para" and is_heading_shape(block.text) and not found):
            found.append(block)
            continue
        if block.kind in ("para", "item") and len(block.text.split()) >= 8:
            break
        if block.kind in ("meta", "credit") and len(found) == 1:
            after = next((b for b in blocks[blocks.index(block) + 1 :] if b.kind == "heading"), None)
            if after is not None:
                found.append(after)
            break
    return found


def _talked_about(title: str, body: str) -> int:
    """How often the title's own words (not small words or dates) come up in the notes."""
    words = {w for w in re.findall(r"[^\W\d_]+", title.lower()) if w not in STOP_FOR_HEADINGS and len(w) > 2}
    return sum(len(re.findall(rf"\b{re.escape(w)}\b", body)) for w in words)


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def title_case(text: str) -> str:
    """`THE MURDER OF KIROV` -> `The Murder of Kirov` (short words lower-case, except the first)."""
    small = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))
