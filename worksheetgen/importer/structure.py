"""The structure of notes: blocks (headings, points, tables, definitions) and the sections they make.

Each format's reader (plain_notes, markdown_notes, web_notes, word_notes) gives blocks; from them
every format makes the same sections here: the title, the sections with their points, a glossary
section's definitions, tables, credits, and the lines that talk about the notes themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from worksheetgen.importer.line_shapes import CREDIT, META, TITLE_WORDS, is_heading_shape

Note = tuple[int | None, str]  # (line of the notes or None, message)

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
    if CREDIT.match(block.text):
        return Block("credit", block.text, block.line)
    if META.search(block.text):
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
