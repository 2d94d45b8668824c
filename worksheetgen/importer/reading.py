"""Reading a notes file: plain text, Markdown or wiki text, a saved web page, or a Word document.

Text is read and repaired by worksheetgen/repair.py (encoding, mojibake, control characters,
citation markers), every repair reported with its line. A web page is repaired the same way and
then parsed with lxml.html. A Word file is read with zipfile and lxml (WordprocessingML: each
paragraph's style, list numbering and table cells); only worksheetgen/render/ uses python-docx.
Each Word paragraph is repaired as a line of its own, and numbered: warnings name paragraphs.
"""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from worksheetgen import inputs
from worksheetgen.errors import ContentError, Problem
from worksheetgen.repair import Repair, decode_notes, read_bytes, repair_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 50_000_000  # a Word body larger than this unpacked is not a teacher's notes (a zip bomb)
MAX_XML_TAGS = 1_000_000  # tags in one part: a 100-page Word document has about 100,000
# Reading notes for their structure costs 20-50 microseconds a line (repairs, blocks, sections): 1.2 million
# one-word lines (4.9 MB) took 20 s of CPU and 740 MB. A long chapter of notes has 5,000 lines.
MAX_LINES = 100_000
# Each block of a web page (paragraph, line break, list item, heading, division) or paragraph of a Word file
# is walked in Python at 15-25 microseconds: a 4.8 MB page of 1.2 million `<p>a` took 20-33 s of CPU and
# 0.4-0.75 GB, a Word file of 150,000 paragraphs (38 MB of text) 24 s and 400 MB. A long saved Wikipedia
# article has a few thousand blocks, a 100-page Word document about 2,000 paragraphs. Table cells are
# capped on their own (formats.MAX_HTML_CELLS): past it their rows are left out, not the page refused.
MAX_BLOCKS = 30_000
MAX_TAGS = 200_000  # every other tag in a web page (links, spans): a long saved article has about 60,000
_HTML_BLOCK = re.compile(rb"<(?:p|br|li|div|h[1-6]|dd|dt|blockquote|pre|section|tr)(?=[\s/>])", re.IGNORECASE)
_HTML_TAG = re.compile(rb"<(?!t[dh][\s/>])[a-zA-Z]", re.IGNORECASE)
# Tables inside tables: a teacher's layouts go two or three deep. Deeper ones are read as the text of the
# cell that holds them (reading every level's rows and cells copied the text under them once a level:
# 40 tables deep around 1 MB of text took over 100 s and 820 MB).
MAX_TABLE_DEPTH = 5
WORD_SUFFIXES = (".docx", ".docm", ".dotx")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
WORD_NOTES = inputs.Kind("Word file of notes", inputs.NOTES.limit)  # read safely like any notes, but not as text


@dataclass(frozen=True)
class WordParagraph:
    """One paragraph of a Word body (or a whole table): its style, list level and text, and its number."""

    number: int  # 1-based, in body order, counting tables as one
    style: str  # the style's name, as Word shows it ("Heading 1", "List Bullet", "Caption")
    text: str
    outline_level: int | None = None  # Word's own heading level (0 = Heading 1), if set
    listed: bool = False  # numbered or bulleted
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells


@dataclass
class Source:
    """The notes as read: text lines (text, Markdown, wiki, HTML) or Word paragraphs, and the repairs made."""

    kind: str  # text | markdown | html | word
    lines: list[str] = field(default_factory=list)
    paragraphs: list[WordParagraph] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    unit: str = "line"  # what warnings count: lines, or a Word file's paragraphs


def read_source(path: Path) -> Source:
    """Any notes file, by its name's ending: Word, a web page, Markdown, or text."""
    suffix = path.suffix.lower()
    if suffix in WORD_SUFFIXES:
        return read_word(inputs.read_bytes(path, WORD_NOTES), str(path))
    raw = read_bytes(path)
    kind = "html" if suffix in HTML_SUFFIXES else "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
    text, decoded = decode_notes(raw)
    return text_source(text, kind, decoded, name=str(path))


def text_source(text: str, kind: str = "text", decoded: list[Repair] | None = None, *, name: str = "notes") -> Source:
    """Decoded text, repaired line by line; a web page is told by its first tag if not by its name."""
    count = max(text.count("\n"), text.count("\r")) + sum(map(text.count, "\x0b\x0c\x85\u2028\u2029")) + 1
    if count > MAX_LINES:
        raise ContentError(
            [
                Problem(
                    name,
                    f"expected notes of at most {MAX_LINES:,} lines (a long chapter has 5,000), found {count:,}: "
                    "is it the right file? Import the part you need",
                )
            ]
        )
    if kind == "text" and re.match(r"\s*(?:<!DOCTYPE\s+html|<html\b)", text[:2000], re.IGNORECASE):
        kind = "html"
    if kind == "html":
        _refuse_a_page_of_too_many_parts(text, name)
    lines, repairs = repair_lines(text)
    return Source(kind, lines=lines, repairs=[*(decoded or []), *repairs])


def _refuse_a_page_of_too_many_parts(text: str, name: str) -> None:
    """A web page of more blocks or tags than notes have is refused before it is parsed (counted in C)."""
    raw = text.encode("utf-8", "replace")
    blocks, tags = len(_HTML_BLOCK.findall(raw)), len(_HTML_TAG.findall(raw))
    if blocks > MAX_BLOCKS:
        found = f"at most {MAX_BLOCKS:,} paragraphs, line breaks, list items and other blocks (a long saved "
        found += f"article has a few thousand), found {blocks:,}"
    elif tags > MAX_TAGS:
        found = f"at most {MAX_TAGS:,} tags (a long saved article has about 60,000), found {tags:,}"
    else:
        return
    message = f"expected a web page of {found}: is it the right file? Save the part you need as text and import that"
    raise ContentError([Problem(name, message)])


def _refuse_a_body_of_too_much(body: Any, name: str) -> None:
    """A Word body of more paragraphs or text than notes have is refused before it is read paragraph by paragraph."""
    paragraphs = sum(1 for _ in body.iter(f"{W}p"))
    if paragraphs > MAX_BLOCKS:
        found = f"at most {MAX_BLOCKS:,} paragraphs (a 100-page document has about 2,000), found {paragraphs:,}"
    else:
        size = sum(len(t.text or "") for t in body.iter(f"{W}t"))
        if size <= inputs.NOTES.limit:
            return
        found = f"at most {inputs.NOTES.limit // inputs.MB} MB of text, found {size / inputs.MB:.1f} MB"
    message = f"expected a Word file of notes with {found}: is it the right file? "
    message += "Save the part you need and import that"
    raise ContentError([Problem(name, message)])


def read_word(raw: bytes, name: str) -> Source:
    """A .docx: its paragraphs and tables in body order, each paragraph repaired as one line."""
    body, styles = _word_parts(raw, name)
    _refuse_a_body_of_too_much(body, name)
    paragraphs: list[WordParagraph] = []
    repairs: list[Repair] = []
    for element in _body_blocks(body):
        number = len(paragraphs) + 1
        if element.tag == f"{W}tbl":
            rows = _table_rows(element, number, repairs)
            paragraphs.append(WordParagraph(number, "Table", "", rows=rows))
            continue
        properties = element.find(f"{W}pPr")
        style = _style_of(properties, styles)
        text = _repaired(_paragraph_text(element), number, repairs)
        level = _outline_level(properties, styles, style)
        listed = properties is not None and properties.find(f"{W}numPr") is not None
        paragraphs.append(WordParagraph(number, styles.get(style, {}).get("name", style), text, level, listed))
    for paragraph in paragraphs:
        if not paragraph.listed and styles.get(_style_id(paragraph.style, styles), {}).get("listed"):
            paragraphs[paragraph.number - 1] = WordParagraph(
                paragraph.number, paragraph.style, paragraph.text, paragraph.outline_level, True, paragraph.rows
            )
    return Source("word", paragraphs=paragraphs, repairs=repairs, unit="paragraph")


def _word_parts(raw: bytes, name: str) -> tuple[Any, dict[str, dict[str, Any]]]:
    """The parsed body and the styles (id -> name, outline level, listed) of a Word file, or a clear error."""
    try:
        with zipfile.ZipFile(_bytes_file(raw)) as package:
            body = _xml(package, "word/document.xml", name)
            styles_xml = _xml(package, "word/styles.xml", name) if "word/styles.xml" in package.namelist() else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):  # no zip, or its directory is damaged
        raise ContentError([Problem(name, "expected a Word file (.docx), found something that is not one")]) from None
    return body, _styles(styles_xml)


def _bytes_file(raw: bytes) -> Any:
    import io

    return io.BytesIO(raw)


def _xml(package: zipfile.ZipFile, part: str, name: str) -> Any:
    """One XML part, refusing what would take unbounded memory, and never resolving entities."""
    try:
        info = package.getinfo(part)
    except KeyError:
        raise ContentError([Problem(name, f"not a Word document: it has no {part}")]) from None
    if info.file_size > MAX_XML_BYTES:
        raise ContentError([Problem(name, f"{part} is {info.file_size:,} bytes unpacked: too large for notes")])
    data = _unpacked(package, part, name)
    tags = data.count(b"<")
    if tags > MAX_XML_TAGS:  # 70 KB of 8,000,000 empty paragraphs took 3.6 GB to read
        message = f"{part} holds {tags:,} XML tags (at most {MAX_XML_TAGS:,}): too large for notes; import part of it"
        raise ContentError([Problem(name, message)])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):  # libxml2's nesting limit (256): tables in tables in ...
            message = f"{part} nests its parts over 256 deep (tables inside tables?): save it again as plain text"
        else:
            message = f"{part} cannot be read: {exc}"
        raise ContentError([Problem(name, message)]) from None


def _unpacked(package: zipfile.ZipFile, part: str, name: str) -> bytes:
    """One part's bytes; a damaged, password-protected or oddly compressed part is a clear error.

    zipfile raises what its decompressor raises: zlib.error or EOFError for damaged data,
    RuntimeError for encryption, NotImplementedError for a compression method it lacks (Deflate64,
    method 9; read_zip_part adds bzip2 and LZMA, which Word never writes and zipfile unpacks without a
    cap); a bad checksum is a BadZipFile. At most the size the zip's directory gives is unpacked: a
    part that says 1,000 bytes and unpacks to 4 GB is cut there and fails its checksum.
    """
    try:
        return inputs.read_zip_part(package, part, MAX_XML_BYTES)
    except inputs.ZipPartTooLargeError as exc:
        found = f"is damaged ({part} unpacks to more than the {exc.size:,} bytes its zip directory says)"
    except NotImplementedError:  # before RuntimeError, its base class
        found = f"uses a compression Word does not use ({part} cannot be unpacked)"
    except RuntimeError:
        found = "is password-protected: save it again in Word without a password"
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError):
        found = f"is damaged ({part} cannot be unpacked)"
    raise ContentError([Problem(name, f"the Word file {found}")])


def _styles(root: Any) -> dict[str, dict[str, Any]]:
    """Each paragraph style by id: its name, outline level and whether it numbers its paragraphs."""
    styles: dict[str, dict[str, Any]] = {}
    if root is None:
        return styles
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId") or ""
        name_element = style.find(f"{W}name")
        name = name_element.get(f"{W}val") if name_element is not None else style_id
        properties = style.find(f"{W}pPr")
        level = properties.find(f"{W}outlineLvl") if properties is not None else None
        styles[style_id] = {
            "name": _word_style_name(name or style_id),
            "level": _level(level.get(f"{W}val"), 0) if level is not None else None,
            "listed": properties is not None and properties.find(f"{W}numPr") is not None,
        }
    return styles


def _word_style_name(name: str) -> str:
    """Word stores built-in names in lower case (`heading 1`); shown capitalised (`Heading 1`)."""
    return name[:1].upper() + name[1:]


def _style_id(name: str, styles: dict[str, dict[str, Any]]) -> str:
    return next((sid for sid, style in styles.items() if style["name"] == name), name)


def _body_blocks(body: Any) -> list[Any]:
    """Paragraphs and tables of the body in order, looking inside content controls (w:sdt)."""
    found: list[Any] = []
    container = body.find(f"{W}body")
    if container is None:
        return found

    def walk(element: Any) -> None:
        for child in element:
            if child.tag in (f"{W}p", f"{W}tbl"):
                found.append(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                walk(child)

    walk(container)
    return found


def _style_of(properties: Any, styles: dict[str, dict[str, Any]]) -> str:
    style = properties.find(f"{W}pStyle") if properties is not None else None
    return (style.get(f"{W}val") if style is not None else None) or "Normal"


def _outline_level(properties: Any, styles: dict[str, dict[str, Any]], style: str) -> int | None:
    level = properties.find(f"{W}outlineLvl") if properties is not None else None
    if level is not None:
        value = _level(level.get(f"{W}val"), 9)
        return value if value < 9 else None
    styled: int | None = styles.get(style, {}).get("level")
    return styled


def _level(value: str | None, default: int) -> int:
    """An outline level as Word writes it (0-9); anything else (`abc`, `1e9`) is no level."""
    return int(value) if value and value.isdigit() and len(value) < 3 else default


_TEXT_TAGS = (f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen")  # deleted text is w:delText: never read


def _paragraph_text(paragraph: Any) -> str:
    """The words of a paragraph as Word shows them: text, tabs and breaks as spaces; deleted text left out."""
    return _words(paragraph.iter(*_TEXT_TAGS))


def _words(elements: Iterable[Any]) -> str:
    """Text elements in order as Word shows them: a non-breaking hyphen as '-', anything else a space."""
    hyphen = f"{W}noBreakHyphen"
    return "".join((e.text or "") if e.tag == f"{W}t" else "-" if e.tag == hyphen else " " for e in elements)


def _within(element: Any, *tags: str) -> list[Any]:
    """The first elements with one of these tags below `element`, looking through whatever wraps them
    (content controls, custom XML, properties) but never inside one found: each element is walked once."""
    found: list[Any] = []
    stack = list(reversed(element))
    while stack:
        child = stack.pop()
        if child.tag in tags:
            found.append(child)
        else:
            stack.extend(reversed(child))
    return found


def _table_rows(table: Any, number: int, repairs: list[Repair]) -> tuple[tuple[str, ...], ...]:
    """A table's rows, each cell's paragraphs as one text; a table inside a cell adds its rows after the
    row holding it, and one more than MAX_TABLE_DEPTH deep is read as text of the cell holding it. Every
    text is read once (linear time), however deep the tables nest."""
    rows: list[tuple[str, ...]] = []
    too_deep = False

    def read(current: Any, depth: int) -> None:  # recursion at most MAX_TABLE_DEPTH deep
        nonlocal too_deep
        for row in _within(current, f"{W}tr"):
            inner: list[Any] = []
            cells = []
            for cell in _within(row, f"{W}tc"):
                parts = []
                for block in _within(cell, f"{W}p", f"{W}tbl"):
                    if block.tag == f"{W}p":
                        parts.append(_paragraph_text(block))
                    elif depth < MAX_TABLE_DEPTH:
                        inner.append(block)
                    else:
                        too_deep = True
                        parts.append(_flat_text(block))
                cells.append(_repaired(" ".join(parts), number, repairs))
            rows.append(tuple(cells))
            for nested in inner:  # its rows follow the row holding it, as in the document
                read(nested, depth + 1)

    read(table, 1)
    if too_deep:
        repairs.append(
            Repair(
                number,
                f"tables nested more than {MAX_TABLE_DEPTH} deep: the deeper ones are read as the text of the cell"
                " holding them",
            )
        )
    return tuple(rows)


def _flat_text(element: Any) -> str:
    """All the words under an element in one pass, a space between paragraphs (however they nest)."""
    return _words(element.iter(f"{W}p", *_TEXT_TAGS))


def _repaired(text: str, number: int, repairs: list[Repair]) -> str:
    """A Word paragraph through the same repairs as a line of text, reported with its paragraph number."""
    lines, found = repair_lines(text)
    repairs.extend(Repair(number, r.message) for r in found)
    return " ".join(" ".join(lines).split())
