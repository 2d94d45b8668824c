"""The block markup's vocabulary in one table: elements, what each may hold, its attributes.

`markup.py` checks every element of a rendered template against `ELEMENTS` (unknown
elements, children, attributes and bad values are template errors with the line), and
`markdown_table` prints the same table for the README, so the documentation cannot drift
from what the parser accepts. The caps keep a hostile or buggy template from asking for
unbounded work (a hundred million writing lines, tables nested sixty deep).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import get_args

from worksheetgen.document import Align, CellBorder, ParagraphStyle, TableBorder

MAX_DEPTH = 6  # boxes and tables inside one another; the built-in kinds use at most 3
MAX_COLUMNS = 20  # grid columns in one table
MAX_WIDTH_SHARE = 1_000_000.0  # one relative column width (1e308 overflowed the page width to infinity)
MAX_ROWS = 500  # rows in one table (a long timeline is about 40)
MAX_LINES = 100  # writing lines in one <lines> (about three pages)
MAX_ELEMENTS = 20_000  # elements in one sheet (a long gap-fill passage has about 1,000)
MAX_GAPS = 200  # <gap/>s in one paragraph (a gap-fill has about 15; 2,000 side by side took 5 s to lay out)
MAX_PARAGRAPH = 50_000  # characters in one paragraph (about 12 pages; a content value is at most 20,000)
MIN_COLUMN_MM = 3.0  # the narrowest text a cell may be left with, after its padding (about a letter)
CELL_PADDING_MM = 4.2  # a cell's left and right padding together (the larger of PDF and DOCX)
BOX_PADDING_MM = 6.0  # a box's left and right padding and border together


@dataclass(frozen=True)
class Whole:
    """A whole number between `low` and `high`."""

    low: int
    high: int
    default: int

    def describe(self) -> str:
        return f"{self.expected()} (default {self.default})"

    def expected(self) -> str:
        return f"a whole number {self.low}-{self.high:,}"


@dataclass(frozen=True)
class Length:
    """A length in millimetres: a finite number between `low` and `high`."""

    low: float
    high: float
    default: str  # said in the table; the value itself is None (the renderer decides)

    def describe(self) -> str:
        return f"{self.expected()} (default {self.default})"

    def expected(self) -> str:
        return f"a length in mm, {self.low:g}-{self.high:g}"


@dataclass(frozen=True)
class Choice:
    """One of a closed set of words (from the Literal types in document.py)."""

    values: tuple[str, ...]
    default: str | None

    def describe(self) -> str:
        said = " \\| ".join(f"`{v}`" for v in self.values)
        return f"{said} (default {self.default})" if self.default else said

    def expected(self) -> str:
        return "one of " + ", ".join(self.values)


@dataclass(frozen=True)
class Text:
    """Any text up to `longest` characters (escaped by the template; printed as given): as long
    as a paragraph, or a line for a sheet's title (a 720 KB one kept the layout busy for minutes)."""

    default: str = ""
    longest: int = MAX_PARAGRAPH

    def describe(self) -> str:
        limit = f"at most {self.longest:,} characters"
        return f"text, {limit} (default {self.default!r})" if self.default else f"text, {limit}"

    def expected(self) -> str:
        return f"text of at most {self.longest:,} characters"


@dataclass(frozen=True)
class Widths:
    """Relative column widths: positive finite numbers separated by commas, one per column."""

    def describe(self) -> str:
        return (
            f"positive numbers like `1,3`, one per column (at most {MAX_COLUMNS}, default equal), "
            f"each leaving its column at least {MIN_COLUMN_MM:g} mm for text"
        )

    def expected(self) -> str:
        return f"positive numbers separated by commas, like '1,3', each at most {MAX_WIDTH_SHARE:,.0f}"


Value = Whole | Length | Choice | Text | Widths

INLINE = frozenset({"b", "gap"})
_BLOCK_ORDER = ("h1", "h2", "p", "ol", "wordbank", "lines", "table", "box", "pagebreak")
BLOCKS = frozenset(_BLOCK_ORDER)
CELL_BLOCKS = BLOCKS - {"pagebreak"}


@dataclass(frozen=True)
class Element:
    """One element: the children it may hold, whether bare text is allowed, its attributes."""

    tag: str
    meaning: str
    children: frozenset[str] = frozenset()
    text: bool = False
    attributes: dict[str, Value] = field(default_factory=dict)

    def holds(self) -> str:
        """What may go inside, in words, for the table and for error messages."""
        if self.children == INLINE | CELL_BLOCKS:
            return "text with `<b>`, `<gap/>`; or blocks (not both)"
        if self.children == INLINE:
            return "text with `<b>`, `<gap/>`"
        if self.children == BLOCKS:
            return "blocks: " + ", ".join(f"`<{tag}>`" for tag in _BLOCK_ORDER)
        if self.children >= CELL_BLOCKS:
            return "blocks, but not `<pagebreak>`"
        if self.children:
            return ", ".join(f"`<{tag}>`" for tag in sorted(self.children))
        return "text" if self.text else "nothing"


def _choice(options: object, default: str | None) -> Choice:
    return Choice(tuple(get_args(options)), default)


ELEMENTS: dict[str, Element] = {
    e.tag: e
    for e in (
        Element(
            "sheet",
            f"the outer element; `title` names the kind on the page; at most {MAX_ELEMENTS:,} elements in all",
            BLOCKS,
            attributes={"title": Text(longest=300)},
        ),
        Element("h1", "a heading", text=True),
        Element("h2", "a smaller heading", text=True),
        Element("p", "a paragraph", INLINE, True, {"style": _choice(ParagraphStyle, "body")}),
        Element("b", "bold text", text=True),
        Element(
            "gap",
            "a numbered blank to fill in; `hint` is printed in it (a first letter)",
            attributes={"n": Whole(0, 9_999, 0), "hint": Text()},
        ),
        Element("ol", "a numbered list (numbering restarts per list)", frozenset({"li"})),
        Element("li", "a list item", INLINE, True),
        Element("wordbank", "a bordered word bank", frozenset({"w"}), attributes={"title": Text("Word bank")}),
        Element("w", "a word in a word bank", text=True),
        Element(
            "lines",
            "ruled writing lines; the default pitch is the tier's",
            attributes={"count": Whole(1, MAX_LINES, 1), "pitch": Length(4, 40, "by tier"), "label": Text()},
        ),
        Element(
            "table",
            f"a real table (1-{MAX_ROWS} rows); `header` rows repeat on each page; "
            f'boxes and tables nest at most {MAX_DEPTH} deep; `rows="tight"`: less space above and below each row\'s '
            "text",
            frozenset({"tr"}),
            attributes={
                "widths": Widths(),
                "header": Whole(0, MAX_ROWS, 0),
                "border": _choice(TableBorder, "grid"),
                "rows": Choice(("tight",), None),
            },
        ),
        Element(
            "tr",
            "a row; `height` is a minimum (a box to write in): it grows to fit and moves to the next "
            'page whole; `keep="next"` keeps it on the page of the row below (where the rows kept together fit a page)',
            frozenset({"td"}),
            attributes={"height": Length(1, 200, "fit the text"), "keep": Choice(("next",), None)},
        ),
        Element(
            "td",
            "a cell; `border` defaults to the table's; `style` is for its text when it holds no blocks",
            INLINE | CELL_BLOCKS,
            True,
            {
                "span": Whole(1, MAX_COLUMNS, 1),
                "border": _choice(CellBorder, None),
                "shade": Choice(("1", "0"), "0"),
                "align": _choice(Align, "left"),
                "style": _choice(ParagraphStyle, "body"),
            },
        ),
        Element(
            "box",
            f"a bordered panel (nests at most {MAX_DEPTH} deep with tables)",
            CELL_BLOCKS,
            attributes={"title": Text()},
        ),
        Element("pagebreak", "start a new page"),
    )
}


def markdown_table() -> str:
    """The README's markup table, made from `ELEMENTS` (tests/test_markup.py keeps them equal)."""
    lines = ["| element | may hold | attributes | meaning |", "|---|---|---|---|"]
    for element in ELEMENTS.values():
        attributes = "; ".join(f"`{name}`: {value.describe()}" for name, value in element.attributes.items())
        lines.append(f"| `<{element.tag}>` | {element.holds()} | {attributes or '-'} | {element.meaning} |")
    return "\n".join(lines) + "\n"
