"""Word paragraphs (as reading.py read them) to blocks, by their styles and outline levels."""

from __future__ import annotations

import re
from collections.abc import Iterator

from worksheetgen.importer.reading import WordParagraph
from worksheetgen.importer.structure import Block, Note


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
