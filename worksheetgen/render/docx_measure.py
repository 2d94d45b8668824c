"""About how big a DOCX table or box will be, from docx_fit's text widths: the narrowest each
column may be, whether a row fills more than a page, and how tall a box is. Word lays the
file out itself; these estimates keep its breaks where the PDF's are."""

from __future__ import annotations

from worksheetgen import document as d
from worksheetgen.layout import Layout, column_widths
from worksheetgen.render.docx_fit import BOLD, text_width
from worksheetgen.render.docx_xml import CELL_MARGINS

CELL_PADDING = 2 * CELL_MARGINS[1][1] / 20 + 2  # points: both side margins and a little to spare


def narrowest(block: d.Table, layout: Layout) -> list[float]:
    """How narrow each column may be, in points: its longest word (bold, to be safe) in a cell
    of its own, and the cell margins; LibreOffice and Word break a longer word mid-word."""
    least = [0.0] * len(block.widths)
    for row in block.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1 and column < len(least):
                words = [word for text in d.iter_text(cell.blocks) for word in text.split()]
                longest = max((text_width(word, layout.body_size, layout) * BOLD for word in words), default=0.0)
                least[column] = max(least[column], longest + CELL_PADDING)
            column += cell.span
    return least


def taller_than_page(row: d.Row, widths: list[float], layout: Layout) -> bool:
    """Whether a row's text would fill more than a page: only such a row may split across
    pages, as in the PDF (elsewhere whole rows move, so a cause stays beside its evidence)."""
    column = 0
    for cell in row.cells:
        room = sum(widths[column : column + cell.span]) / d.MM_PER_PT - 12
        lines = sum(1 + int(text_width(text, layout.body_size, layout) // room) for text in d.iter_text(cell.blocks))
        if lines * layout.body_size * 1.3 > layout.frame_height.pt:
            return True
        column += cell.span
    return False


def about_height(blocks: tuple[d.Block, ...], layout: Layout, width: float) -> float:
    """About how tall some blocks are in points, `width` in mm (on the short side: the text at
    the cell style's 1.3 line spacing, a table as its tallest cells)."""
    room = width / d.MM_PER_PT - 12
    total = 0.0
    for block in blocks:
        if isinstance(block, d.WritingLines):
            total += block.count * (block.pitch or layout.line_pitch).pt
        elif isinstance(block, d.Table):
            widths = column_widths(block.widths, [0.0] * len(block.widths), width)
            for row in block.rows:
                starts = [sum(c.span for c in row.cells[:i]) for i in range(len(row.cells))]
                cells = [
                    about_height(cell.blocks, layout, sum(widths[start : start + cell.span]))
                    for cell, start in zip(row.cells, starts, strict=True)
                ]
                total += max([row.height.pt if row.height else 0.0, *cells]) + 6
        elif isinstance(block, d.Box):
            total += about_height(block.blocks, layout, width - 4) + 12
        else:
            total += sum(
                (1 + int(text_width(text, layout.body_size, layout) // room)) * layout.body_size * 1.3
                for text in d.iter_text((block,))
            )
    return total
