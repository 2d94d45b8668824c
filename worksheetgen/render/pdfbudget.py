"""A sheet far too long to print is refused before it is laid out.

reportlab wraps every cell of a table before it places the first row, so a template writing
thousands of rows of text ran for half a minute before the page limit stopped it (fourth
red-team pass). The least height a sheet can take needs only one width measurement per
piece of text: text of total width w, set in lines at most `width` long, takes at least
w / width lines, whatever the wrapping, and a table row at least its cells' text spread over
the whole row. When even that least height passes the page limit, no layout can fit.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.layout import Layout
from worksheetgen.render.pdfpage import SheetTemplate


def refuse_past_page_limit(
    blocks: tuple[d.Block, ...], layout: Layout, face: str, pages: int = SheetTemplate.MAX_PAGES
) -> None:
    """Raise the layout's own 'runs past N pages' error if the blocks cannot fit in N pages."""
    least = least_height(blocks, layout.frame_width.pt, layout, face)
    if least > pages * layout.frame_height.pt:
        raise LayoutError(f"the sheet runs past {pages} pages")


def least_height(blocks: tuple[d.Block, ...], width: float, layout: Layout, face: str) -> float:
    """A lower bound, in points, of the height the blocks take at `width`: text in the
    smallest type any style uses, writing lines and minimum row heights as given."""
    total = 0.0
    for block in blocks:
        if isinstance(block, d.WritingLines):
            total += block.count * (block.pitch or layout.line_pitch).pt
        elif isinstance(block, d.Table):
            total += sum(
                max(row.height.pt if row.height else 0.0, _text_area(row.cells, layout, face) / width)
                for row in block.rows
            )
        elif isinstance(block, d.Box):
            total += least_height(block.blocks, width, layout, face)
        else:
            total += _area((block,), layout, face) / width
    return total


def _text_area(cells: tuple[d.Cell, ...], layout: Layout, face: str) -> float:
    return sum(_area(cell.blocks, layout, face) for cell in cells)


def _area(blocks: tuple[d.Block, ...], layout: Layout, face: str) -> float:
    """Width times line height of all the text in the blocks, in the smallest type used."""
    size = min(layout.small_size, layout.body_size)
    width = sum(float(pdfmetrics.stringWidth(text, face, size)) for text in d.iter_text(blocks))
    return width * size * 1.2
