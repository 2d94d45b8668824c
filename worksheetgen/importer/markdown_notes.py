"""Markdown notes to blocks, read by markdown-it-py for what the markup means.

Headings and their levels, list items, quotes, tables and definition lists become blocks;
front matter, footnotes, reference links and pictures are taken out of the text (and said so)
rather than printed for pupils. Every block keeps the line it came from. Wiki text is read
here too, once wiki_notes.py has turned it into Markdown with the same line numbers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from worksheetgen.importer.structure import Block, Note
from worksheetgen.wording import counted

_IDLE_LINK = re.compile(r"^(?:more|read|click|here|see|link|source|via|this)\b", re.IGNORECASE)
_URL = re.compile(r"^(?:https?://|www\.)\S+$")

# markdown-it-py spends 4-50 microseconds on each character that may start inline markup (`*a **a `
# repeated to 4.9 MB took 90 s and 1.5 GB; `![a` repeated is the slowest), and 20-130 on each line.
# Notes with more than this are read as plain text (lines), or their paragraphs past the budget are (marks).
MARKDOWN_LINES = 20_000  # a long chapter of notes is 2,000
MARKDOWN_MARKS = 40_000  # characters that may start inline markup, in every paragraph, heading and cell together
MARKDOWN_CELLS = 20_000  # `|` in the notes: a table of 1,000 columns x 2,400 rows (4.8 MB) took 66 s and 3.2 GB
_MARK_CHARACTERS = "\n!#$%&*+-:<=>@[\\]^_`{}~"  # markdown-it's own list (parser_inline isTerminatorChar)
_NO_EMPHASIS = str.maketrans("", "", "*`")
_UNDERSCORES = re.compile(r"\b_+|_+\b")  # `__a__`, not `snake_case`


def markdown_blocks(
    lines: list[tuple[int, str]], notes: list[Note], *, html: bool = True
) -> tuple[list[Block], dict[str, Any]]:
    """Markdown lines (line number, text) -> blocks, and the front matter (title, subject, author ...)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    text = "\n".join(text for _, text in lines)
    parser = MarkdownIt("commonmark", {"html": html}).disable("code")
    if text.count("|") <= MARKDOWN_CELLS:
        parser.enable("table")
    else:  # markdown-it makes three tokens a cell, before anything is read
        notes.append((None, f"tables read as text: the notes have more than {MARKDOWN_CELLS:,} table cells ('|')"))
    parser.use(front_matter_plugin).use(footnote_plugin).use(deflist_plugin)
    plain: list[int] = []  # where paragraphs start that were read as plain text, past the budget
    parser.core.ruler.at("inline", _budgeted_inline(MARKDOWN_MARKS, plain))
    tokens = parser.parse(text)
    numbers = [number for number, _ in lines] or [1]
    if plain:
        notes.append(
            (
                numbers[min(plain[0], len(numbers) - 1)],
                f"Markdown with this much markup (over {MARKDOWN_MARKS:,} characters such as * _ [ ` in its text) "
                f"is read as plain text from here: {counted(len(plain), 'paragraph')} not read for bold, links "
                "or pictures (their * and _ are left out)",
            )
        )
    return _MarkdownWalk(tokens, numbers, notes).run()


def markdown_too_long(lines: list[tuple[int, str]]) -> bool:
    """More lines than markdown-it reads within a few seconds: read as plain text instead."""
    return len(lines) > MARKDOWN_LINES


def _plain(text: str) -> str:
    """Text with its emphasis marks left out (`**`, `_`, backticks)."""
    text = text.translate(_NO_EMPHASIS)
    return _UNDERSCORES.sub("", text) if "_" in text else text


def _budgeted_inline(budget: int, plain: list[int]) -> Any:
    """markdown-it's inline step, reading markup only until `budget` marks are spent; after, the text as it is.

    A paragraph, heading or table cell whose marks do not fit in what is left is not parsed: it
    becomes its text, without emphasis marks, one text token a line, with the line breaks between.
    """
    from markdown_it.token import Token

    def inline(state: Any) -> None:
        left = budget
        for token in state.tokens:
            if token.type != "inline":
                continue
            token.children = []
            marks = sum(map(token.content.count, _MARK_CHARACTERS))
            if marks <= left:
                left -= marks
                state.md.inline.parse(token.content, state.md, state.env, token.children)
                continue
            plain.append(token.map[0] if token.map else 0)
            for number, text in enumerate(token.content.split("\n")):
                if number:
                    token.children.append(Token("softbreak", "br", 0))
                token.children.append(Token("text", "", 0, content=_plain(text)))

    return inline


class _MarkdownWalk:
    """One pass over markdown-it's block tokens, keeping track of lists, quotes, tables and footnotes."""

    def __init__(self, tokens: list[Any], numbers: list[int], notes: list[Note]) -> None:
        self.tokens = tokens
        self.numbers = numbers
        self.notes = notes
        self.blocks: list[Block] = []
        self.front: dict[str, Any] = {}

    def line(self, token: Any) -> int:
        """The notes line a token starts on."""
        index = token.map[0] if token.map else 0
        return self.numbers[min(index, len(self.numbers) - 1)]

    def run(self) -> tuple[list[Block], dict[str, Any]]:
        lists = 0
        quote = 0
        footnote = 0
        item_open = False
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            kind = token.type
            if kind == "front_matter":
                self.front = _front_matter(token.content, self.line(token), self.notes)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                lists += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists -= 1
            elif kind == "list_item_open":
                item_open = True
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "footnote_block_open":
                footnote += 1
            elif kind == "footnote_block_close":
                footnote -= 1
            elif kind == "footnote_open" and token.map:
                self.notes.append((self.line(token), "footnote left out of the passage (it is in your notes)"))
            elif kind == "heading_open" and not footnote:
                self._heading(token, self.tokens[index + 1])
                index += 2
            elif kind == "paragraph_open" and not footnote:
                inline = self.tokens[index + 1]
                self._paragraph(token, inline, "item" if lists and item_open else "para", quote=bool(quote))
                item_open = False
                index += 2
            elif kind == "table_open":
                index = self._table(index)
            elif kind == "dl_open":
                index = self._definitions(index)
            elif kind in ("fence", "code_block"):
                self.notes.append((self.line(token), "code block left out"))
            elif kind == "html_block":
                self.notes.append((self.line(token), "HTML left out: save the page as .html to import it"))
            index += 1
        return self.blocks, self.front

    def _heading(self, token: Any, inline: Any) -> None:
        text, bold = inline_text(inline)
        if text:
            self.blocks.append(Block("heading", text, self.line(token), level=int(token.tag[1:]), bold=bold))

    def _paragraph(self, token: Any, inline: Any, kind: str, *, quote: bool) -> None:
        text, bold = inline_text(inline)
        start = self.line(token)
        if not text:
            if any(child.type == "image" for child in inline.children or []):
                self.notes.append((start, "picture left out (its caption is not part of the passage)"))
            return
        starts = _line_starts(inline, start, self.numbers, token.map[0] if token.map else 0)
        self.blocks.append(Block(kind, text, start, starts=starts, quote=quote, bold=bold))

    def _table(self, index: int) -> int:
        """Rows of cells until table_close; returns the index of that token."""
        start = self.line(self.tokens[index])
        rows: list[tuple[str, ...]] = []
        row: list[str] = []
        while self.tokens[index].type != "table_close":
            token = self.tokens[index]
            if token.type == "tr_open":
                row = []
            elif token.type == "inline":
                row.append(inline_text(token)[0])
            elif token.type == "tr_close":
                rows.append(tuple(row))
            index += 1
        self.blocks.append(Block("table", "", start, rows=tuple(rows)))
        return index

    def _definitions(self, index: int) -> int:
        """A definition list (`Term` then `: definition`): each pair a term block."""
        term = ""
        while self.tokens[index].type != "dl_close":
            token = self.tokens[index]
            if token.type == "dt_open":
                term = inline_text(self.tokens[index + 1])[0]
            elif token.type == "dd_open" and term:
                definition = inline_text(self.tokens[index + 2])[0] if index + 2 < len(self.tokens) else ""
                self.blocks.append(Block("term", definition, self.line(token), term=term))
            index += 1
        return index


def _front_matter(text: str, line: int, notes: list[Note]) -> dict[str, Any]:
    """YAML front matter, read safely; anything but a mapping of plain values is ignored with a note."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):  # RecursionError: nested thousands deep
        notes.append((line, "front matter could not be read as YAML: left out"))
        return {}
    if not isinstance(data, dict):
        return {}
    notes.append((line, "front matter read for the title, subject and credit, and left out of the passage"))
    return {str(k).lower(): v for k, v in data.items() if isinstance(v, str | int | float | list)}


def inline_text(inline: Any) -> tuple[str, tuple[str, ...]]:
    """The words of an inline token: link text kept, images, footnote references and tags dropped; marked phrases.

    Phrases in bold or italics are the notes' own key words (a wiki article puts its defined terms in bold).
    """
    parts: list[str] = []
    bold: list[str] = []
    strong_from: int | None = None
    link_from: int | None = None
    for child in inline.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind in ("strong_open", "em_open"):
            strong_from = len(parts)
        elif kind in ("strong_close", "em_close") and strong_from is not None:
            bold.append(" ".join("".join(parts[strong_from:]).split()))
            strong_from = None
        elif kind == "link_open":
            link_from = len(parts)
        elif kind == "link_close" and link_from is not None:
            words = "".join(parts[link_from:]).strip()
            if _IDLE_LINK.match(words) or _URL.match(words):
                del parts[link_from:]
            link_from = None
    text = "".join(parts)
    return " ".join(text.replace("\n", " \n ").split()).replace(" \n ", " ").replace("\n", ""), tuple(
        b for b in bold if b
    )


def _line_starts(inline: Any, start: int, numbers: list[int], first: int) -> tuple[tuple[int, int], ...]:
    """Where each wrapped line of a paragraph starts in its joined text, so sentences keep their lines."""
    starts = [(0, start)]
    offset = 0
    row = first
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            row += 1
            offset += 1
            starts.append((offset, numbers[min(row, len(numbers) - 1)]))
        elif child.type in ("text", "code_inline"):
            offset += len(" ".join(child.content.split())) if child.content.strip() else 0
    return tuple(starts)
