"""Plain notes to blocks, read from the shape of their lines.

Plain text has no markup: a short line with no full stop (or a one-to-four word `Heading.` line,
or a line in capitals) followed by text is a heading; a short line under a picture (`Figure 1:
...`, a line with a day's date or `photographed`) is a caption and is left out; `Born` above
`30 November 1874, ...` is a fact; a paste from a web page loses its menus, `[edit]` links,
contents list and references. Every block keeps the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worksheetgen.importer.line_shapes import TERMINAL, is_caption, is_heading_shape
from worksheetgen.importer.structure import Block, Note
from worksheetgen.wording import counted

FACT_LABEL_WORDS = 3
FACT_VALUE_WORDS = 14

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
    open_ended = [line for line in near if not TERMINAL.search(line.text)]
    return len(open_ended) >= max(2, len(near) // 3)


def _continues(previous: str, line: _Line, wrapped: bool, kind: str) -> bool:
    """A line that goes on with the paragraph (or item) before it rather than starting a new one."""
    if line.kind != "text":
        return False
    if kind == "item" and line.indent >= 2:
        return True
    if line.text[:1].islower() and not TERMINAL.search(previous):
        return True
    return wrapped and not TERMINAL.search(previous)


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
