"""A saved web page to blocks of its main text, parsed with lxml.html.

Menus, scripts, cookie banners, footers and the like are not the page's text: they are left
out with a count. Headings, paragraphs, lists, definition lists, quotes and tables are kept,
each with the source line it came from.
"""

from __future__ import annotations

import re
from typing import Any

from worksheetgen.importer.reading import MAX_TABLE_DEPTH
from worksheetgen.importer.structure import Block, Note
from worksheetgen.wording import counted

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
    """Leave out every table cell past MAX_HTML_CELLS (rows and cells counted in C, each row once).
    A row's cells are counted wherever they sit under it (`<tr><form><td>` too), so a table inside
    a cell counts in its own rows and again in the row holding it."""
    cells, first = 0, None
    cut: list[Any] = []
    for row in page.iter("tr"):
        if cut:
            cut.append(row)
            continue
        here = _cells(row)
        if cells + here > MAX_HTML_CELLS:
            first = row.sourceline
            for cell in row.xpath(".//td|.//th")[MAX_HTML_CELLS - cells :]:  # a row wider than what is left:
                cell.getparent().remove(cell)  # its first cells are kept
            cut.append(row)
            continue
        cells += here
    if not cut:
        return
    left_out = sum(_cells(row) for row in cut[1:])
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


def _cells(row: Any) -> int:
    """The cells under a table row, wherever they sit (counted in C)."""
    return int(row.xpath("count(.//td|.//th)"))


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


# Tables inside tables: read as Word's are, to the same depth. Reading every level's rows and
# cells copied the text under them once a level: 80 tables deep around 5 MB took 46 s and 518 MB.


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
