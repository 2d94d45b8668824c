"""DOCX renderer: an editable sheet built from named styles and real tables.

Teachers restyle a whole sheet by editing one style; grids are Word tables with fixed
column widths; writing lines are table rows with a bottom border, so their pitch
survives editing in Word and LibreOffice.

python-docx makes the package shell once per layout (styles, page, header and footer parts,
properties). Each sheet's body is then written as WordprocessingML text, each element in
schema order: python-docx's object model looks every child up by XPath on each insert and
cost about 90 ms a sheet, where writing the markup directly costs one or two. All text
passes through `escape` in `_run`; everything else in the markup is ours.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import assert_never
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from worksheetgen import document as d
from worksheetgen.layout import GAP_RULE, Layout, PrintSettings, Typeface, layout_for
from worksheetgen.ooxml import read_parts, stamp, write_parts

# Fonts a school computer has: Arial (LibreOffice maps it to Liberation Sans); Verdana for the
# dyslexia profile (wide letter spacing, recommended by the BDA). The PDF embeds its own.
FACES = {Typeface.sans: "Arial", Typeface.readable: "Verdana"}
CREAM = "FFF8E7"
FIXED_TIME = datetime(2000, 1, 1)
BLACK = RGBColor(0, 0, 0)
CELL_MARGINS = (("top", 85), ("left", 113), ("bottom", 85), ("right", 113))  # twips: 1.5 mm, 2 mm
_PART_START = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<w:{{tag}} xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}">'
)


def render_docx(document: d.Document, settings: PrintSettings | str = "a4") -> bytes:
    """Render a Document to DOCX bytes; identical input gives identical bytes."""
    settings = PrintSettings(paper=settings) if isinstance(settings, str) else settings
    layout = layout_for(document.meta.tier, settings)
    shell = _shell(layout)
    meta = document.meta
    parts = dict(shell.parts)
    parts["word/document.xml"] = _document_part(shell.parts["word/document.xml"], document, layout)
    parts[shell.header] = _furniture("hdr", _header_paragraph(meta, layout))
    parts[shell.footer] = _furniture("ftr", _footer_paragraph(meta, layout))
    parts["docProps/core.xml"] = _core_properties(shell.parts["docProps/core.xml"], meta)
    return write_parts(stamp(parts))


def twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


# The shell: made once per layout with python-docx ------------------------------------------


@dataclass(frozen=True)
class Shell:
    """An empty, styled package: its parts, and the names of its header and footer parts."""

    parts: dict[str, bytes]
    header: str
    footer: str


# Parts python-docx's default template carries that a worksheet has no use for: a Word 2010
# copy of the styles, a thumbnail of python-docx's own sample page, a bibliography store.
_UNUSED_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.THUMBNAIL,
    RT.CUSTOM_XML,
)


@lru_cache(maxsize=16)
def _shell(layout: Layout) -> Shell:
    """Our named styles, paper size and margins for this layout, in a package with no body."""
    word = docx.Document()
    _remove_table_styles(word)  # first: python-docx finds a style by name by looking at each one
    _set_up_styles(word, layout)
    if layout.cream:
        _cream_background(word)
    _set_up_page(word, layout)
    _set_fixed_properties(word)
    _drop_unused_parts(word)
    section = word.sections[0]
    header, footer = section.header.part.partname, section.footer.part.partname
    buffer = io.BytesIO()
    word.save(buffer)
    return Shell(read_parts(buffer.getvalue()), header.lstrip("/"), footer.lstrip("/"))


def _drop_unused_parts(word: DocxDocument) -> None:
    for part in (word.part.package, word.part):
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype in _UNUSED_RELATIONSHIPS:
                del part.rels[rel_id]


def _remove_table_styles(word: DocxDocument) -> None:
    """The template's hundred table styles are nine tenths of styles.xml and unused: Word and
    LibreOffice offer their own built-in table styles anyway."""
    styles = word.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1":
            styles.remove(style)


def _set_up_styles(word: DocxDocument, layout: Layout) -> None:
    """Named styles a teacher can change once for the whole sheet; the profile lives here only."""
    size, face = layout.body_size, FACES[layout.typeface]
    normal = word.styles["Normal"]
    _font(normal, face, size)
    _leading(normal, size * layout.line_spacing)
    normal.paragraph_format.space_after = Pt(size * 0.5)
    _rFonts(normal, face)
    if layout.letter_spacing:
        _letter_spacing(normal, layout.letter_spacing)
    _style(word, face, "Body", size)
    _style(word, face, "Instruction", size, space_after=2)
    _style(word, face, "Small", layout.small_size, line_spacing=1.3)
    _style(word, face, "Key", size)
    _style(word, face, "Cell", size, line_spacing=1.3, space_after=0)
    _style(word, face, "Cell End", 2, line_spacing=1.0, space_after=0)
    _style(word, face, "Key Question", size + 2, bold=True, space_after=size)
    title = word.styles["Title"]
    _font(title, face, size + 8, bold=True)
    title.paragraph_format.space_after = Pt(2)
    _remove_borders(title)
    for level, extra in ((1, 3), (2, 1)):
        heading = word.styles[f"Heading {level}"]
        _font(heading, face, size + extra, bold=True)
        heading.paragraph_format.space_before = Pt(size * 0.6)
        heading.paragraph_format.space_after = Pt(size * 0.3)
    gap = word.styles.add_style("Gap", WD_STYLE_TYPE.CHARACTER)
    gap.font.bold = True


def _style(
    word: DocxDocument,
    face: str,
    name: str,
    size: float,
    *,
    bold: bool = False,
    space_after: float | None = None,
    line_spacing: float | None = None,
) -> None:
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles["Normal"]
    style.quick_style = True
    _font(style, face, size, bold=bold)
    if space_after is not None:
        style.paragraph_format.space_after = Pt(space_after)
    if line_spacing is not None:
        _leading(style, size * line_spacing)


def _leading(style: object, points: float) -> None:
    """Line spacing of at least `points`, as in the PDF: the same whatever font Word or
    LibreOffice substitutes, and never clipping if a teacher makes the text bigger."""
    paragraph_format = style.paragraph_format  # type: ignore[attr-defined]
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    paragraph_format.line_spacing = Pt(points)


def _font(style: object, face: str, size: float, *, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = face
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = BLACK


def _rFonts(style: object, face: str) -> None:  # noqa: N802 - the OOXML element's name
    """Set the font for every script, so Cyrillic or Greek text does not fall back to Calibri."""
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), face)


_RPR_AFTER_SPACING = ["w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                      "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"]  # fmt: skip


def _letter_spacing(style: object, points: float) -> None:
    """Expanded character spacing (in twentieths of a point), as the dyslexia profile asks."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(points * 20)))
    style.element.get_or_add_rPr().insert_element_before(spacing, *_RPR_AFTER_SPACING)  # type: ignore[attr-defined]


def _cream_background(word: DocxDocument) -> None:
    """A cream page colour, shown on screen and printed when 'print background colours' is on."""
    background = OxmlElement("w:background")
    background.set(qn("w:color"), CREAM)
    word.element.insert(0, background)
    display = OxmlElement("w:displayBackgroundShape")
    word.settings.element.insert(0, display)


def _remove_borders(style: object) -> None:
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _set_up_page(word: DocxDocument, layout: Layout) -> None:
    """Explicit paper size and margins, and a header and footer part of the section's own."""
    section = word.sections[0]
    width, height = layout.size
    section.page_width, section.page_height = Mm(width.value), Mm(height.value)
    section.left_margin = section.right_margin = Mm(layout.margin_side.value)
    section.top_margin, section.bottom_margin = Mm(layout.body_top.value), Mm(layout.body_bottom.value)
    section.header_distance, section.footer_distance = Mm(layout.margin_top.value), Mm(layout.margin_bottom.value)
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False


def _set_fixed_properties(word: DocxDocument) -> None:
    """Properties that are the same for every sheet; fixed dates keep the bytes reproducible.
    The per-sheet ones get placeholders here, so each has its element to fill in."""
    props = word.core_properties
    props.author = props.last_modified_by = "worksheetgen"
    props.comments = "Made with worksheetgen: edit freely; regenerating keeps an edited file unless --force."
    props.title = props.subject = props.language = props.keywords = "-"
    props.created = props.modified = FIXED_TIME
    props.revision = 1


# Per-sheet parts ---------------------------------------------------------------------------

_CORE: dict[str, Callable[[d.Meta], str]] = {
    "{http://purl.org/dc/elements/1.1/}title": lambda meta: meta.title,
    "{http://purl.org/dc/elements/1.1/}subject": lambda meta: meta.key_question,
    "{http://purl.org/dc/elements/1.1/}language": lambda meta: meta.language,
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords": (
        lambda meta: f"{meta.sheet}; {meta.tier.value}"
    ),
}


def _core_properties(shell_part: bytes, meta: d.Meta) -> bytes:
    """Title, subject, language and keywords; OOXML allows at most 255 characters in each."""
    root = etree.fromstring(shell_part)
    for element in root:
        if element.tag in _CORE:
            text = _CORE[element.tag](meta)
            element.text = text if len(text) <= 255 else text[:254] + "…"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[no-any-return]


def _document_part(shell_part: bytes, document: d.Document, layout: Layout) -> bytes:
    """The shell's document part with the sheet's body before its section properties."""
    body = Container()
    _paragraph(body, "Title", _run(document.meta.title))
    _paragraph(body, "Key Question", _run(document.meta.key_question))
    _add_blocks(body, document.blocks, layout, layout.frame_width.value)
    before, section = shell_part.split(b"<w:sectPr", 1)
    return before + "".join(body.items).encode() + b"<w:sectPr" + section


def _furniture(tag: str, paragraph: str) -> bytes:
    """A header (hdr) or footer (ftr) part holding one paragraph."""
    return (_PART_START.format(tag=tag) + paragraph + f"</w:{tag}>").encode()


def _header_paragraph(meta: d.Meta, layout: Layout) -> str:
    """Name / Class / Date (or what the page is for) and the tier marker at the right margin."""
    draft = _run("DRAFT   ", bold=True) if meta.draft else ""
    runs = draft + _run(meta.header_label, bold=meta.is_key) + _run("\t" + meta.marker)
    return _paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value)


def _footer_paragraph(meta: d.Meta, layout: Layout) -> str:
    """The topic and source, then 'Page x of y' at the right margin."""
    runs = _run(meta.footer_label + "\tPage ") + _field("PAGE") + _run(" of ") + _field("NUMPAGES")
    return _paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value)


def _field(name: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/>'
        f'<w:instrText xml:space="preserve"> {name} </w:instrText>'
        '<w:fldChar w:fldCharType="separate"/><w:t>1</w:t><w:fldChar w:fldCharType="end"/></w:r>'
    )


# WordprocessingML ----------------------------------------------------------------------------


@dataclass
class Container:
    """The body's or a table cell's elements, as markup, in order."""

    in_cell: bool = False
    items: list[str] = field(default_factory=list)


def _paragraph(
    container: Container,
    style: str,
    runs: str = "",
    *,
    right_tab: float | None = None,
    hanging: float | None = None,
    center: bool = False,
    keep_with_next: bool = False,
) -> str:
    """Add a paragraph in a named style (by style id), its properties in schema order."""
    properties = f'<w:pStyle w:val="{style.replace(" ", "")}"/>'
    properties += "<w:keepNext/>" if keep_with_next else ""  # in a table row: keeps the next row with it
    if right_tab is not None or hanging is not None:
        tabs = f'<w:tab w:val="right" w:pos="{twips(right_tab)}"/>' if right_tab is not None else ""
        tabs += f'<w:tab w:val="left" w:pos="{twips(hanging)}"/>' if hanging is not None else ""
        properties += f"<w:tabs>{tabs}</w:tabs>"
    if hanging is not None:
        properties += f'<w:ind w:left="{twips(hanging)}" w:hanging="{twips(hanging)}"/>'
    if center:
        properties += '<w:jc w:val="center"/>'
    paragraph = f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"
    container.items.append(paragraph)
    return paragraph


_PIECES = re.compile(r"(\t|\n)")
_PIECE_MARKUP = {"\t": "<w:tab/>", "\n": "<w:br/>"}


def _run(text: str, *, bold: bool = False, style: str = "") -> str:
    """A run of text; tabs and line breaks become Word's own tab and break elements."""
    if not text:
        return ""
    properties = (f'<w:rStyle w:val="{style}"/>' if style else "") + ("<w:b/>" if bold else "")
    pieces = (
        _PIECE_MARKUP.get(piece) or f'<w:t xml:space="preserve">{escape(piece)}</w:t>'
        for piece in _PIECES.split(text)
        if piece
    )
    return "<w:r>" + (f"<w:rPr>{properties}</w:rPr>" if properties else "") + "".join(pieces) + "</w:r>"


def _inlines(inlines: Iterable[d.Inline]) -> str:
    runs = []
    for item in inlines:
        if isinstance(item, d.Run):
            runs.append(_run(item.text, bold=item.bold))
        else:
            runs.append(_run(f"({item.number})\u00a0", style="Gap") + _run(item.hint or GAP_RULE))
    return "".join(runs)


# Blocks ------------------------------------------------------------------------------------


def _add_blocks(container: Container, blocks: tuple[d.Block, ...], layout: Layout, width: float) -> None:
    for block in blocks:
        _add_block(container, block, layout, width)


def _add_block(container: Container, block: d.Block, layout: Layout, width: float) -> None:
    """Write one block into the body or a table cell; `width` is the space it has, in mm.
    A `match` over every Block type, so mypy finds one left out."""
    match block:
        case d.Heading():
            _paragraph(container, f"Heading {block.level}", _run(block.text))
        case d.Paragraph():
            _paragraph(container, block.style.capitalize(), _inlines(block.inlines))
        case d.NumberedList():
            _add_numbered(container, block)
        case d.WordBank():
            _add_word_bank(container, block, width)
        case d.WritingLines():
            _add_writing_lines(container, block, layout, width)
        case d.Table():
            _add_table(container, block, layout, width)
        case d.Box():
            _add_box(container, block, layout, width)
        case d.PageBreak():
            _page_break(container)
        case _:
            assert_never(block)


_PAGE_BREAK = '<w:r><w:br w:type="page"/></w:r>'


def _page_break(container: Container) -> None:
    """Break at the end of the last paragraph: a paragraph of its own for the break would, when the
    page is already full, spill onto a new page and leave it blank."""
    items = container.items
    if items and items[-1].startswith("<w:p>"):
        items[-1] = items[-1].removesuffix("</w:p>") + _PAGE_BREAK + "</w:p>"
    else:
        _paragraph(container, "Body", _PAGE_BREAK)


def _add_numbered(container: Container, block: d.NumberedList) -> None:
    """Numbers typed into the text: they restart per list and survive any editor."""
    for number, item in enumerate(block.items, start=1):
        _paragraph(container, "Instruction", _run(f"{number}.\t") + _inlines(item.inlines), hanging=7)


def _borders(tag: str, edges: dict[str, str], size: int, color: str = "000000") -> str:
    """A borders element (tblBorders, tcBorders); `edges` maps each edge to single, dashed or nil."""
    lines = "".join(f'<w:{edge} w:val="{value}" w:sz="{size}" w:color="{color}"/>' for edge, value in edges.items())
    return f"<w:{tag}>{lines}</w:{tag}>"


def _table_borders(outer: bool, inner: bool) -> dict[str, str]:
    show = {True: "single", False: "nil"}
    return {"top": show[outer], "left": show[outer], "bottom": show[outer], "right": show[outer],
            "insideH": show[inner], "insideV": show[inner]}  # fmt: skip


_CELL_MARGINS = "".join(f'<w:{edge} w:w="{margin}" w:type="dxa"/>' for edge, margin in CELL_MARGINS)
_TABLE_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
    'w:noHBand="0" w:noVBand="1"/>'
)


def _table(
    container: Container, widths: list[float], rows: list[str], *, outer: bool = True, inner: bool = True, size: int = 6
) -> None:
    """Add a table with fixed column widths (LibreOffice spreads columns evenly otherwise),
    table borders in eighths of a point, and roomy cell margins."""
    properties = (
        f'<w:tblW w:w="{twips(sum(widths))}" w:type="dxa"/><w:jc w:val="left"/>'
        + _borders("tblBorders", _table_borders(outer, inner), size)
        + f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{_CELL_MARGINS}</w:tblCellMar>{_TABLE_LOOK}'
    )
    grid = "".join(f'<w:gridCol w:w="{twips(width)}"/>' for width in widths)
    container.items.append(
        f"<w:tbl><w:tblPr>{properties}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    _after_table(container)


def _row(cells: Iterable[str], height: d.Mm | None = None, rule: str = "atLeast", *, keep: bool = False,
         header: bool = False) -> str:  # fmt: skip
    """A table row: a minimum (or exact) height, kept whole on one page, repeated as a header."""
    properties = "<w:cantSplit/>" if keep else ""
    properties += f'<w:trHeight w:val="{twips(height.value)}" w:hRule="{rule}"/>' if height else ""
    properties += '<w:tblHeader w:val="true"/>' if header else ""
    return "<w:tr>" + (f"<w:trPr>{properties}</w:trPr>" if properties else "") + "".join(cells) + "</w:tr>"


def _cell(
    content: Container, width: float, *, span: int = 1, borders: dict[str, str] | None = None,
    border_size: int = 6, border_color: str = "000000", shade: bool = False,
) -> str:  # fmt: skip
    """A table cell, its properties in schema order; `content` must end with a paragraph."""
    properties = f'<w:tcW w:w="{twips(width)}" w:type="dxa"/>'
    properties += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    properties += _borders("tcBorders", borders, border_size, border_color) if borders else ""
    properties += '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>' if shade else ""
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{''.join(content.items)}</w:tc>"


def _after_table(container: Container) -> None:
    """A little space after a table on the page; in a cell, the small paragraph Word requires
    to end every cell."""
    _paragraph(container, "Cell End" if container.in_cell else "Small")


def _cell_content(runs: str) -> Container:
    container = Container(in_cell=True)
    _paragraph(container, "Cell", runs)
    return container


def _add_word_bank(container: Container, block: d.WordBank, width: float) -> None:
    columns = 4 if len(block.words) > 6 else max(1, min(3, len(block.words)))
    title = _row([_cell(_cell_content(_run(block.title, bold=True)), width, span=columns, shade=True)])
    rows = [
        _row(
            _cell(_cell_content(_run(word)), width / columns)
            for word in _padded(block.words[start : start + columns], columns)
        )
        for start in range(0, len(block.words), columns)
    ]
    _table(container, [width / columns] * columns, [title, *rows], inner=False, size=10)


def _padded(words: tuple[str, ...], columns: int) -> tuple[str, ...]:
    return words + ("",) * (columns - len(words))


def _add_writing_lines(container: Container, block: d.WritingLines, layout: Layout, width: float) -> None:
    """One table row per line, exact height, bottom border only: the pitch survives editing."""
    if block.label:
        _paragraph(container, "Instruction", _run(block.label))
    pitch = block.pitch or layout.line_pitch
    line = _cell(_cell_content(""), width, borders={"bottom": "single"}, border_size=4, border_color="808080")
    _table(container, [width], [_row([line], pitch, "exact")] * block.count, outer=False, inner=False)


_CELL_BORDER = {"solid": "single", "dashed": "dashed", "none": "nil"}


def _add_table(container: Container, block: d.Table, layout: Layout, width: float) -> None:
    """A real Word table: fixed column widths, merged spans, minimum row heights, cell borders."""
    total = sum(block.widths)
    widths = [width * w / total for w in block.widths]
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        column = 0
        for cell in row.cells:
            cell_width = sum(widths[column : column + cell.span])
            edges = (
                dict.fromkeys(("top", "left", "bottom", "right"), _CELL_BORDER[cell.border]) if cell.border else None
            )
            content = _fill_cell(
                cell.blocks, layout, cell_width, center=cell.align == "center", keep_with_next=row.keep_with_next
            )
            cells.append(
                _cell(content, cell_width, span=cell.span, borders=edges, shade=cell.shade or r < block.header)
            )
            column += cell.span
        rows.append(_row(cells, row.height, keep=bool(row.height), header=r < block.header))
    grid = block.border == "grid"
    _table(container, widths, rows, outer=grid, inner=grid)


def _fill_cell(
    blocks: tuple[d.Block, ...], layout: Layout, width: float, *, center: bool = False, keep_with_next: bool = False
) -> Container:
    """A cell's content: at least one paragraph, and a paragraph last."""
    content = Container(in_cell=True)
    for block in blocks or (d.Paragraph(()),):
        if isinstance(block, d.Paragraph):
            _paragraph(content, "Cell", _inlines(block.inlines), center=center, keep_with_next=keep_with_next)
        else:
            _add_block(content, block, layout, width)
    return content


def _add_box(container: Container, block: d.Box, layout: Layout, width: float) -> None:
    title = (d.Paragraph((d.Run(block.title, bold=True),)),) if block.title else ()
    content = _fill_cell((*title, *block.blocks), layout, width - 4)
    _table(container, [width], [_row([_cell(content, width)], keep=True)], size=8)
