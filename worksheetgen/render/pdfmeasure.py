"""Measuring text for the PDF before it is laid out: word widths, column minimums, word bank
columns and cell heights, so no word is split and no row overprints the one below."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from worksheetgen import document as d
from worksheetgen.layout import GAP_RULE
from worksheetgen.render.pdffonts import TICK_BOX
from worksheetgen.render.pdfkit import PAD_X, Kit


def narrowest(block: d.Table, kit: Kit) -> list[float]:
    """How narrow each column may be: its longest word (in a cell of its own) and the padding."""
    least = [0.0] * len(block.widths)
    for row in block.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1 and column < len(least):
                least[column] = max(least[column], longest_word(cell.blocks, kit) + 2 * PAD_X + 1)
            column += cell.span
    return least


def longest_word(blocks: tuple[d.Block, ...], kit: Kit) -> float:
    """The width of the widest word in some blocks, in the face and size each is printed in
    (a nested table counts its columns' words side by side)."""
    widest = 0.0
    for block in blocks:
        if isinstance(block, d.Table):
            widest = max(widest, sum(narrowest(block, kit)))
        elif isinstance(block, d.Box):
            widest = max(widest, longest_word(block.blocks, kit) + 16)
        else:
            widest = max([widest, *(word_width(word, bold, size, kit) for word, bold, size in _words(block, kit))])
    return widest


def _words(block: d.Block, kit: Kit) -> Iterable[tuple[str, bool, float]]:
    """The unbreakable words of a block: text, whether bold, and size (a gap and its number are one)."""
    size = kit.layout.body_size
    if isinstance(block, d.Heading):
        texts = [(block.text, True, size + (3 if block.level == 1 else 1))]
    elif isinstance(block, d.Paragraph | d.NumberedList):
        items = block.items if isinstance(block, d.NumberedList) else (block,)
        small = kit.layout.small_size if isinstance(block, d.Paragraph) and block.style == "small" else size
        texts = [
            (item.text if isinstance(item, d.Run) else f"({item.number})\u00a0{item.hint or GAP_RULE}", bold, small)
            for paragraph in items
            for item in paragraph.inlines
            for bold in [isinstance(item, d.Gap) or item.bold]
        ]
    else:
        texts = [(text, False, size) for text in d.iter_text((block,))]
    return [(word, bold, size) for text, bold, size in texts for word in text.split()]


BANK_CELL_ROOM = 14  # points of a word bank cell its text may not use (padding and a little air)


def bank_widths(words: tuple[str, ...], kit: Kit, width: float, columns: int) -> list[float]:
    """Column widths of a word bank: as many columns as fit (at most `columns`) with no word, or
    words joined by no-break spaces, split over lines. Equal columns where they fit; else columns
    as wide as their longest entry needs, sharing what is left equally (a long term in one
    column need not cost the bank a column, and the bank a row)."""
    units = [max((_unit_width(u, kit) for u in unbreakable(w)), default=0.0) + BANK_CELL_ROOM for w in words]
    while columns > 1:
        if width / columns >= max(units, default=0.0):
            return [width / columns] * columns
        needed = [max(units[c::columns], default=0.0) for c in range(columns)]
        if sum(needed) <= width:
            spare = (width - sum(needed)) / columns
            return [n + spare for n in needed]
        columns -= 1
    return [width]


def unbreakable(text: str) -> list[str]:
    """The parts of `text` a line may not break: words, or words joined by no-break spaces."""
    return [part for part in re.split(r"[ \t\r\n]+", text) if part]


def _unit_width(unit: str, kit: Kit) -> float:
    """A word bank unit's printed width: a tick box is drawn `kit.box` points high."""
    boxes = unit.count(TICK_BOX)
    rest = unit.replace(TICK_BOX, "")
    box = float(pdfmetrics.stringWidth(TICK_BOX, kit.fonts.face_for(TICK_BOX), kit.box)) if boxes else 0.0
    return boxes * box + (word_width(rest, False, kit.layout.body_size, kit) if rest else 0.0)


def word_width(word: str, bold: bool, size: float, kit: Kit) -> float:
    face = kit.fonts.face_for(word)
    return float(pdfmetrics.stringWidth(word, face + "-Bold" if bold else face, size))


def content_height(flowables: list[Flowable], width: float) -> float:
    """How tall a cell's content is at this width (to grow a minimum-height row, not overprint)."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total
