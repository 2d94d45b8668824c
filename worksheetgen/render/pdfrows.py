"""Table rows for the PDF that must share a page, and each cell's borders, spans and shading.

A header too tall to repeat is refused with a message that says so; rows chained by
`keep="next"` move to the next page together where they fit one.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.render.pdfkit import TINT

DASH = (4, 3)


class RowsTooTallError(LayoutError):  # type: ignore[misc]  # reportlab is untyped
    """Rows that must share a page (repeated header rows, a chain of `keep="next"`) and cannot."""


def refuse_rows_taller_than_a_page(block: d.Table, heights: list[float], page: float) -> None:
    """reportlab blamed these on "one block of text is too long" (naming a short cell): say what
    it really is. Header rows repeat on every page, so they must fit one page with room to spare."""
    header = sum(heights[: block.header])
    if header > page:
        raise RowsTooTallError(
            f"the table's {block.header:,} header rows (repeated on every page) are {_mm(header)} tall together, "
            f"taller than a page ({_mm(page)}){_starts(block)}; make fewer rows header rows, or lower their height"
        )


def kept_chains(block: d.Table, heights: list[float], page: float) -> list[tuple[object, ...]]:
    """Rows chained by `keep="next"` move to the next page together, as Word's "keep with next"
    does, where they fit one page (beside repeated header rows); a chain too tall for any page
    is let split where it must rather than refused: content that runs long (a long word in every
    box of a key's diamond) still prints."""
    header = sum(heights[: block.header])
    commands: list[tuple[object, ...]] = []
    first = None
    for r, row in enumerate(block.rows):
        if row.keep_with_next and first is None:
            first = r
        if (not row.keep_with_next or r == len(block.rows) - 1) and first is not None:  # the chain ends here
            if sum(heights[first : r + 1]) + (header if first >= block.header else 0) <= page:
                commands.append(("NOSPLIT", (0, first), (-1, r)))
            first = None
    return commands


def _mm(points: float) -> str:
    return f"{points / mm:,.0f} mm"


def _starts(block: d.Table) -> str:
    text = " ".join(" ".join(d.iter_text(cell.blocks)) for row in block.rows[:1] for cell in row.cells).split()
    return f" (the table starts {' '.join(text)[:40]!r})" if text else ""


def cell_commands(block: d.Table, cell: d.Cell, row: int, column: int) -> list[tuple[object, ...]]:
    start, end = (column, row), (column + cell.span - 1, row)
    commands: list[tuple[object, ...]] = []
    if cell.span > 1:
        commands.append(("SPAN", start, end))
    border = cell.border or ("solid" if block.border == "grid" else "none")
    if border == "solid":
        commands.append(("BOX", start, end, 0.8, colors.black))
    elif border == "dashed":
        commands.append(("BOX", start, end, 0.8, colors.black, None, DASH))
    if cell.shade:
        commands.append(("BACKGROUND", start, end, TINT))
    return commands
