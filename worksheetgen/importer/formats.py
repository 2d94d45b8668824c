"""Structured notes to blocks: Markdown (markdown-it-py), wiki text (mwparserfromhell), web pages, Word.

Each format is read by a real parser for what its markup means: headings and their levels,
list items, tables, definition lists and glossary lines; front matter, footnotes, reference
links, images, templates and citations are taken out of the text (and said so) rather than
printed for pupils. Every block keeps the line (or Word paragraph) it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from worksheetgen.importer.reading import WordParagraph
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


# ------------------------------------------------------------------------------------------
# Markdown
# ------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------
# Wiki text: converted to Markdown with the same line numbers, then read as Markdown
# ------------------------------------------------------------------------------------------

_WIKI_SIGNS = re.compile(r"\{\{|\[\[|'''|<ref\b|^=={1,4}[^=\n]+={2,5}\s*$", re.MULTILINE)
_PICTURE = re.compile(r"^(?:file|image|media|category):", re.IGNORECASE)


def looks_like_wiki(text: str) -> bool:
    """Wiki source (edit text pasted from a wiki page): templates, links, bold quotes, `== headings ==`."""
    return len(set(m.group(0)[:2] for m in _WIKI_SIGNS.finditer(text[:200_000]))) >= 2


def tangled_wiki(text: str) -> bool:
    """Markup the wiki parser takes quadratic time over (fifth red-team pass: 24 KB of unclosed
    `{{a|` took 39 s, 30,000 `<ref>` 127 s): many more templates opened than closed, or more
    references, links or parameters than the longest real article has."""
    opened, closed = text.count("{{"), text.count("}}")
    return opened - closed > 50 or text.count("<ref") > 3_000 or text.count("{{{") > 200 or text.count("[[") > 20_000


def wiki_to_markdown(lines: list[str], notes: list[Note]) -> list[str]:
    """Wiki text -> Markdown lines (same count): templates, references, pictures and categories removed."""
    import mwparserfromhell

    text = "\n".join(lines)
    code = mwparserfromhell.parse(text)
    out: list[str] = []
    line = 1
    for node in code.nodes:
        raw = str(node)
        out.append(_wiki_node(node, line, notes))
        line += raw.count("\n")
    converted = "".join(out).split("\n")
    converted += [""] * (len(lines) - len(converted))
    return converted[: len(lines)] if len(converted) >= len(lines) else converted


def _blank(raw: str) -> str:
    """A removed piece keeps its line breaks, so later lines keep their numbers."""
    return "\n" * raw.count("\n")


def _wiki_node(node: Any, line: int, notes: list[Note]) -> str:
    """One node of parsed wiki text as Markdown."""
    from mwparserfromhell import nodes

    raw = str(node)
    if isinstance(node, nodes.Text):
        return raw
    if isinstance(node, nodes.Heading):
        return "#" * node.level + " " + _wiki_inline(node.title, line, notes).strip()
    if isinstance(node, nodes.Template):
        notes.append((line, f"wiki template {{{{{str(node.name).strip()[:30]}}}}} left out"))
        return _blank(raw)
    if isinstance(node, nodes.Wikilink):
        if _PICTURE.match(str(node.title).strip()):
            kind = "category" if str(node.title).strip().lower().startswith("category") else "picture and its caption"
            notes.append((line, f"wiki {kind} left out"))
            return _blank(raw)
        return _wiki_inline(node.text if node.text is not None else node.title, line, notes)
    if isinstance(node, nodes.ExternalLink):
        return _wiki_inline(node.title, line, notes) if node.title is not None else ""
    if isinstance(node, nodes.Tag):
        return _wiki_tag(node, line, notes)
    if isinstance(node, nodes.HTMLEntity):
        return str(node.normalize())
    if isinstance(node, nodes.Comment):
        return _blank(raw)
    return _blank(raw)


def _wiki_tag(node: Any, line: int, notes: list[Note]) -> str:
    """Bold and italic kept as Markdown, list markers as Markdown's, references and tables left out."""
    tag = str(node.tag).lower()
    raw = str(node)
    if tag == "ref":
        return _blank(raw)
    if tag in ("b", "strong"):
        return f"**{_wiki_inline(node.contents, line, notes).strip()}**"
    if tag == "li":
        return "1. " if str(node.wiki_markup) == "#" else "- "
    if tag in ("dt", "dd"):
        return ""
    if tag == "table":
        notes.append((line, "wiki table left out: write its rows as points to import them"))
        return _blank(raw)
    if tag == "br":
        return " "
    if node.contents is not None:
        return _wiki_inline(node.contents, line, notes)
    return _blank(raw)


def _wiki_inline(code: Any, line: int, notes: list[Note]) -> str:
    if code is None:
        return ""
    return "".join(_wiki_node(n, line, notes) for n in code.nodes)


# ------------------------------------------------------------------------------------------
# Saved web pages
# ------------------------------------------------------------------------------------------

_DROP_TAGS = (
    "script style noscript template nav footer aside form button select input iframe svg object embed menu dialog"
).split()
_CHROME = re.compile(
    r"cookie|banner|breadcrumb|\bnav|menu|share|social|footer|sidebar|related|comment|advert|promo|skip|subscribe"
    r"|byline|newsletter|masthead|toolbar|signup|popup|modal",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div section article main header li ul ol table dl h1 h2 h3 h4 h5 h6 blockquote figure pre".split()
)


def html_blocks(lines: list[str], notes: list[Note]) -> tuple[list[Block], str | None]:
    """A saved web page -> blocks of its main text, and the page's <title>; menus, scripts and footers left out."""
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", "\n".join(lines))
    try:
        page = lxml.html.document_fromstring(text or "<html></html>")
    except Exception:  # noqa: BLE001 - lxml raises several kinds for hopeless input
        return [], None
    title_element = page.find(".//title")
    page_title = " ".join(title_element.text_content().split()) if title_element is not None else None
    _cap_table_cells(page, notes)
    _drop_chrome(page, notes)
    root = next(
        (e for e in (page.find(".//main"), page.find(".//article"), page.find(".//body")) if e is not None), page
    )
    blocks: list[Block] = []
    _walk_html(root, blocks, notes)
    return blocks, page_title


# Table cells read from a web page, in all its tables: a table of 470,000 cells took 3.6 s of CPU and
# 255 MB to read, each cell walked in Python (a shipped statistics table has under 100; statistics stop
# at 200 rows). The rows past it are left out before the page is walked, with a warning at the first.
MAX_HTML_CELLS = 20_000


def _cap_table_cells(page: Any, notes: list[Note]) -> None:
    """Leave out every table cell past MAX_HTML_CELLS (rows and cells counted in C, each row once)."""
    cells, first = 0, None
    cut: list[Any] = []
    for row in page.iter("tr"):
        if cut:
            cut.append(row)
            continue
        if cells + len(row) > MAX_HTML_CELLS:
            first = row.sourceline
            del row[MAX_HTML_CELLS - cells :]  # a row wider than what is left: its first cells are kept
            cut.append(row)
            continue
        cells += len(row)
    if not cut:
        return
    left_out = sum(len(row) for row in cut[1:])
    for row in cut[1:]:
        parent = row.getparent()
        if parent is not None:
            parent.remove(row)
    notes.append(
        (
            first,
            f"tables read up to their first {MAX_HTML_CELLS:,} cells: the page has more (a table for notes has a"
            f" few hundred), so the {len(cut) - 1:,} rows after this one ({left_out:,} cells) are left"
            " out; import the part of the page you need",
        )
    )


def _drop_chrome(page: Any, notes: list[Note]) -> None:
    """Menus, scripts, cookie banners, footers and the like: not the page's text."""
    dropped = 0
    for element in list(page.iter()):
        if not isinstance(element.tag, str):
            element.drop_tree() if element.getparent() is not None else None
            continue
        tag = element.tag.lower()
        marks = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
        chrome = tag in _DROP_TAGS or (tag != "body" and marks and _CHROME.search(marks))
        if tag == "header" and element.find(".//h1") is None:
            chrome = True
        if chrome and element.getparent() is not None:
            element.drop_tree()
            dropped += 1
    if dropped:
        notes.append((None, f"{counted(dropped, 'part')} of the web page (menus, scripts, banners, footers) left out"))


def _walk_html(element: Any, blocks: list[Block], notes: list[Note]) -> None:
    """Headings, paragraphs, list items, tables, definition lists and quotes, in page order."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        line = child.sourceline or 1
        if re.fullmatch(r"h[1-6]", tag):
            _add(blocks, Block("heading", _words(child), line, level=int(tag[1])))
        elif tag == "p":
            _add(blocks, Block("para", _words(child), line, bold=_bold(child)))
        elif tag in ("ul", "ol"):
            _list_items(child, blocks)
        elif tag == "table":
            _add_table(child, blocks, line, notes)
        elif tag == "dl":
            term = ""
            for part in child:
                if not isinstance(part.tag, str):
                    continue
                if part.tag.lower() == "dt":
                    term = _words(part)
                elif part.tag.lower() == "dd" and term:
                    _add(blocks, Block("term", _words(part), part.sourceline or line, term=term))
        elif tag == "figure":
            notes.append((line, "picture and its caption left out"))
        elif tag == "blockquote":
            before = len(blocks)
            _walk_html(child, blocks, notes)
            if len(blocks) == before:
                _add(blocks, Block("para", _words(child), line, quote=True))
        elif tag == "pre":
            notes.append((line, "preformatted text left out"))
        elif tag in _BLOCK_TAGS or any(isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in child):
            own = " ".join((child.text or "").split())
            if own:
                _add(blocks, Block("para", own, line))
            _walk_html(child, blocks, notes)
        else:
            _add(blocks, Block("para", _words(child), line))
        tail = " ".join((child.tail or "").split())
        if tail and tag in _BLOCK_TAGS:
            _add(blocks, Block("para", tail, line))


def _list_items(listing: Any, blocks: list[Block]) -> None:
    """Each item of a list (and of the lists inside it) as an item block."""
    for item in listing.iterfind("li"):
        _add(blocks, Block("item", _words(item, skip=("ul", "ol")), item.sourceline or 1, bold=_bold(item)))
        for nested in item:
            if isinstance(nested.tag, str) and nested.tag.lower() in ("ul", "ol"):
                _list_items(nested, blocks)


def _add(blocks: list[Block], block: Block) -> None:
    if block.text.strip() or block.kind == "table":
        blocks.append(block)


# Tables inside tables: read as Word's are (importer/reading.py MAX_TABLE_DEPTH). Reading every level's rows
# and cells copied the text under them once a level: 80 tables deep around 5 MB took 46 s and 518 MB.
MAX_TABLE_DEPTH = 5


def _add_table(table: Any, blocks: list[Block], line: int, notes: list[Note]) -> None:
    """A table's rows; a table inside a cell adds its rows after the row holding it, one more than
    MAX_TABLE_DEPTH deep is read as text of the cell holding it. Every text is read once."""
    rows: list[tuple[str, ...]] = []
    too_deep = False

    def read(current: Any, depth: int) -> None:  # recursion at most MAX_TABLE_DEPTH deep
        nonlocal too_deep
        for row in _html_within(current, ("tr",)):
            inner: list[Any] = []
            cells = []
            for cell in _html_within(row, ("td", "th")):
                deeper: list[Any] = []
                text = _cell_words(cell, deeper)
                if deeper and depth >= MAX_TABLE_DEPTH:
                    too_deep = True
                    text = " ".join([text, *(_cell_words(t, None) for t in deeper)]).strip()
                else:
                    inner.extend(deeper)
                cells.append(text)
            rows.append(tuple(cells))
            for nested in inner:  # its rows follow the row holding it, as on the page
                read(nested, depth + 1)

    read(table, 1)
    if too_deep:
        deep = f"tables nested more than {MAX_TABLE_DEPTH} deep: the deeper ones are read as the text of the cell"
        notes.append((line, deep + " holding them"))
    caption = table.find("caption")
    blocks.append(Block("table", _words(caption) if caption is not None else "", line, rows=tuple(rows)))


def _html_within(element: Any, tags: tuple[str, ...]) -> list[Any]:
    """The first elements with one of these tags below `element`, looking through what wraps them
    (`tbody`, a stray `form`) but never inside one found: each element is walked once."""
    found: list[Any] = []
    stack = list(reversed(element))
    while stack:
        child = stack.pop()
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in tags:
            found.append(child)
        else:
            stack.extend(reversed(child))
    return found


_SPACED_TAGS = _BLOCK_TAGS | {"tr", "td", "th", "caption", "dt", "dd", "br"}


def _cell_words(cell: Any, tables: list[Any] | None) -> str:
    """A cell's text with white space collapsed, a space between blocks and cells; the tables inside it are
    left out and added to `tables` (with None, read as text too). One pass: each element is read once."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(cell, False)]
    while stack:
        element, tail = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tail:
            parts.append(element.tail or "")
        elif element is not cell and tag == "table" and tables is not None:
            tables.append(element)
            parts.append(" ")
        else:
            if tag:
                parts.append((" " if tag in _SPACED_TAGS else "") + (element.text or ""))
            for child in reversed(element):
                stack.append((child, True))
                stack.append((child, False))
    return " ".join("".join(parts).split())


def _words(element: Any, skip: tuple[str, ...] = ()) -> str:
    """An element's text with white space collapsed (nested lists left to their own items)."""
    if skip:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() not in skip:
                parts.append(child.text_content())
            parts.append(child.tail or "")
        return " ".join("".join(parts).split())
    return " ".join(element.text_content().split())


def _bold(element: Any) -> tuple[str, ...]:
    return tuple(_words(b) for b in element.iter("b", "strong") if _words(b))


# ------------------------------------------------------------------------------------------
# Word documents
# ------------------------------------------------------------------------------------------


def word_blocks(paragraphs: list[WordParagraph], notes: list[Note]) -> Iterator[Block]:
    """Word paragraphs -> blocks: Title and Heading styles (or outline levels), lists, captions, tables, quotes."""
    for paragraph in paragraphs:
        style = paragraph.style.lower()
        number = paragraph.number
        if paragraph.rows:
            yield Block("table", "", number, rows=paragraph.rows)
            continue
        if not paragraph.text.strip():
            continue
        if style == "title":
            yield Block("heading", paragraph.text, number, level=0)
        elif style.startswith("heading") or paragraph.outline_level is not None:
            digits = re.findall(r"\d", style)
            level = int(digits[0]) if digits else (paragraph.outline_level or 0) + 1
            yield Block("heading", paragraph.text, number, level=level)
        elif style == "subtitle":
            yield Block("para", paragraph.text, number)
        elif style == "caption":
            yield Block("caption", paragraph.text, number)
        elif paragraph.listed or style.startswith("list"):
            yield Block("item", paragraph.text, number)
        else:
            yield Block("para", paragraph.text, number, quote="quote" in style)
