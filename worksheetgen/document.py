"""The format-neutral Document: what is on the sheet, with no reportlab or python-docx types.

Sheet templates produce it; each renderer maps every block to the best native construct
of its format. Lengths are `Mm` values, converted to points only inside the renderers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from worksheetgen.choices import Tier as Tier  # its home, so that --help need not load this module

# Closed sets: the markup parser accepts exactly these (markup_spec.py reads them with
# typing.get_args), and mypy checks that every renderer handles each one.
ParagraphStyle = Literal["body", "instruction", "small", "key"]
HeadingLevel = Literal[1, 2]
CellBorder = Literal["solid", "dashed", "none"]  # a cell's own border; None inherits the table's
TableBorder = Literal["grid", "none"]  # grid: every cell boxed; none: only cells that ask
Align = Literal["left", "center"]

MM_PER_PT = 25.4 / 72
DRAFT_LABEL = "DRAFT - not finished, not for pupils"  # every page of a sheet built with --draft
# Pages a sheet from a teacher's own templates may run to (a normal sheet is 1-6; the built-in sheets may
# run to 150, as 200 causes do in large print): a template loop gone wrong is laid out for seconds, not half a minute.
OWN_PAGE_LIMIT = 30
CARD_SHEET = "✂"  # a paragraph starting with it heads a card sheet to cut out: it starts on an odd page
# Printed on the even page a sheet leaves blank so that its card sheet starts on the front of a leaf of its own
# (PEDAGOGY finish rules: a card sheet is never printed on the back of the sheet the cards are placed on).
LEFT_BLANK = "This page is left blank: the cards to cut out are printed on a sheet of their own."


@dataclass(frozen=True, order=True)
class Mm:
    """A length in millimetres; renderers convert it."""

    value: float

    @property
    def pt(self) -> float:
        return self.value / MM_PER_PT


# Inline content of a paragraph -------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text, optionally bold."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Gap:
    """A numbered blank of fixed width; `hint` is shown inside it (e.g. first letter)."""

    number: int
    hint: str = ""


Inline = Run | Gap


# Blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: HeadingLevel = 1


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    style: ParagraphStyle = "body"


@dataclass(frozen=True)
class NumberedList:
    """An ordered list; numbering restarts with each list."""

    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class WordBank:
    """A bordered box of words to choose from, never in gap order."""

    words: tuple[str, ...]
    title: str = "Word bank"


@dataclass(frozen=True)
class WritingLines:
    """Ruled lines to write on; `pitch` None means the tier's default spacing."""

    count: int
    pitch: Mm | None = None
    label: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell; `span` grid columns wide; `border` None inherits the table's."""

    blocks: tuple[Block, ...]
    span: int = 1
    border: CellBorder | None = None
    shade: bool = False
    align: Align = "left"


@dataclass(frozen=True)
class Row:
    """A table row; `height` is a minimum (a box to write in), content may make it taller.
    `keep_with_next` keeps it on the same page as the row below (a cause and its evidence line)."""

    cells: tuple[Cell, ...]
    height: Mm | None = None
    keep_with_next: bool = False


@dataclass(frozen=True)
class Table:
    """A real grid. `widths` are relative; `header` rows repeat across pages."""

    rows: tuple[Row, ...]
    widths: tuple[float, ...]
    header: int = 0
    border: TableBorder = "grid"
    tight: bool = False  # rows with less padding above and below the text (a long table that should fit one side)


@dataclass(frozen=True)
class Box:
    """A bordered panel with an optional bold title."""

    blocks: tuple[Block, ...]
    title: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | NumberedList | WordBank | WritingLines | Table | Box | PageBreak


@dataclass(frozen=True)
class Meta:
    """What every page shows around the content, and the file's metadata."""

    topic: str
    key_question: str
    sheet: str
    tier: Tier
    is_key: bool = False
    credit: str = ""
    subject: str = ""
    language: str = "en-GB"
    plain: bool = False  # pages with no pupil furniture (a pack's contents page)
    pupil: str = ""  # a named sheet from a class batch
    group: str = ""
    variant: str = ""  # which shuffle of a batch this is, so the right key is easy to find
    name_later: bool = False  # leave the name line off; a batch stamps each pupil's name on
    draft: bool = False  # built with --draft from unfinished content: every page says DRAFT
    page_limit: int = 150  # pages the PDF may run to; a sheet from a teacher's own templates, OWN_PAGE_LIMIT

    @property
    def title(self) -> str:
        suffix = " - Answer key" if self.is_key else ""
        return f"{self.sheet}: {self.topic}{suffix}"

    @property
    def footer_label(self) -> str:
        """Topic and source credit on one line (line breaks a teacher typed become spaces)."""
        text = (DRAFT_LABEL + "  ·  " if self.draft else "") + self.topic
        text += f"  ·  Source: {self.credit}" if self.credit else ""
        return re.sub(r"\s*\n\s*|\t", " ", text)

    @property
    def footer_labels(self) -> tuple[str, ...]:
        """The footer line, longest first: the full credit, then shorter forms of it (without
        a note in brackets, then only who made it), then the topic alone (a draft's always
        start DRAFT). A renderer prints the first that fits on one line; the full credit is on
        the key and the contents page."""
        credit = re.sub(r"\s*\n\s*|\t", " ", self.credit).strip()
        forms = [credit, re.sub(r"\s*\([^()]*\)", "", credit).strip(), re.split(r"[,(;:]", credit)[0].strip()]
        topic = (DRAFT_LABEL + "  ·  " if self.draft else "") + re.sub(r"\s*\n\s*|\t", " ", self.topic)
        labels = [f"{topic}  ·  Source: {form}" for form in forms if form]
        return tuple(dict.fromkeys([*labels, topic]))

    @property
    def header_label(self) -> str:
        """The running header's text: the pupil's name line, or what the page is for."""
        if self.plain or self.name_later:
            return ""
        if self.is_key:
            return "TEACHER COPY - answer key"
        name = self.pupil or "_" * 24
        group = self.group or "_" * 9
        return f"Name: {name}   Class: {group}   Date: " + "_" * 9

    @property
    def marker(self) -> str:
        if self.plain:
            return ""
        return f"{self.tier.marker} {self.variant}" if self.variant else self.tier.marker


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of a paragraph with gaps shown as `(n) ____`; used for checks and tests."""
    return "".join(i.text if isinstance(i, Run) else f"({i.number}) {i.hint}____" for i in inlines)


def starts_card_sheet(block: Block) -> bool:
    """Whether a block heads a card sheet to cut out (see CARD_SHEET)."""
    return isinstance(block, Paragraph) and plain_text(block.inlines).startswith(CARD_SHEET)


def iter_text(blocks: tuple[Block, ...]) -> list[str]:
    """Every piece of text in a block tree, in reading order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Paragraph):
            out.append(plain_text(block.inlines))
        elif isinstance(block, NumberedList):
            out.extend(plain_text(p.inlines) for p in block.items)
        elif isinstance(block, WordBank):
            out.extend([block.title, *block.words])
        elif isinstance(block, WritingLines):
            out.append(block.label)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    out.extend(iter_text(cell.blocks))
        elif isinstance(block, Box):
            out.append(block.title)
            out.extend(iter_text(block.blocks))
    return [t for t in out if t]
