"""DOCX renderer (python-docx): an editable sheet built from named styles and real tables.

Teachers restyle a whole sheet by editing one style; grids are Word tables with fixed
column widths; writing lines are table rows with a bottom border, so their pitch
survives editing in Word and LibreOffice.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import GAP_RULE, Layout, PrintSettings, Typeface, layout_for
from worksheetgen.ooxml import read_parts, stamp, write_parts

# Fonts a school computer has: Arial (LibreOffice maps it to Liberation Sans); Verdana for the
# dyslexia profile (wide letter spacing, recommended by the BDA). The PDF embeds its own.
FACES = {Typeface.sans: "Arial", Typeface.readable: "Verdana"}
CREAM = "FFF8E7"
FIXED_TIME = datetime(2000, 1, 1)
BLACK = RGBColor(0, 0, 0)


def render_docx(document: d.Document, settings: PrintSettings | str = "a4") -> bytes:
    """Render a Document to DOCX bytes; identical input gives identical bytes."""
    settings = PrintSettings(paper=settings) if isinstance(settings, str) else settings
    layout = layout_for(document.meta.tier, settings)
    word = docx.Document(io.BytesIO(_styled_template(layout)))
    _set_up_page(word, document.meta, layout)
    _paragraph(word, "Title", document.meta.title)
    _paragraph(word, "Key Question", document.meta.key_question)
    _add_blocks(word, document.blocks, layout, _text_width(layout))
    _set_properties(word, document.meta)
    return _stable_zip(word)


@lru_cache(maxsize=16)
def _styled_template(layout: Layout) -> bytes:
    """An empty document with our named styles for this layout, made once and reused."""
    word = docx.Document()
    _set_up_styles(word, layout)
    if layout.cream:
        _cream_background(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _text_width(layout: Layout) -> Mm:
    width, _ = layout.size
    return Mm(width.value - 2 * layout.margin_side.value)


# Styles ------------------------------------------------------------------------------------


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


# Page and furniture ------------------------------------------------------------------------


def _set_up_page(word: DocxDocument, meta: d.Meta, layout: Layout) -> None:
    """Explicit paper size and margins; header with Name / Class / Date; footer with page x of y."""
    section = word.sections[0]
    width, height = layout.size
    section.page_width, section.page_height = Mm(width.value), Mm(height.value)
    section.left_margin = section.right_margin = Mm(layout.margin_side.value)
    section.top_margin, section.bottom_margin = Mm(layout.body_top.value), Mm(layout.body_bottom.value)
    section.header_distance, section.footer_distance = Mm(layout.margin_top.value), Mm(layout.margin_bottom.value)
    text_width = _text_width(layout)
    header = section.header.paragraphs[0]
    _set_style(header, "Small")
    header.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(meta.header_label).bold = meta.is_key
    header.add_run("\t" + meta.marker)
    footer = section.footer.paragraphs[0]
    _set_style(footer, "Small")
    footer.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(meta.footer_label + "\tPage ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: DocxParagraph, name: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", name), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _set_properties(word: DocxDocument, meta: d.Meta) -> None:
    """Document properties; OOXML allows at most 255 characters in each."""
    props = word.core_properties
    props.title = _property(meta.title)
    props.subject = _property(meta.key_question)
    props.author = "worksheetgen"
    props.last_modified_by = "worksheetgen"
    props.language = _property(meta.language)
    props.keywords = _property(f"{meta.sheet}; {meta.tier.value}")
    props.created = props.modified = FIXED_TIME
    props.revision = 1


def _property(text: str) -> str:
    return text if len(text) <= 255 else text[:254] + "…"


def _stable_zip(word: DocxDocument) -> bytes:
    """Save with a fingerprint and fixed zip timestamps, so the same sheet gives the same bytes."""
    raw = io.BytesIO()
    word.save(raw)
    return write_parts(stamp(read_parts(raw.getvalue())))


# Blocks ------------------------------------------------------------------------------------

Container = DocxDocument | _Cell


def _add_blocks(container: Container, blocks: tuple[d.Block, ...], layout: Layout, width: Mm) -> None:
    for block in blocks:
        _add_block(container, block, layout, width)


def _add_block(container: Container, block: d.Block, layout: Layout, width: Mm) -> None:
    if isinstance(block, d.Heading):
        _paragraph(container, f"Heading {min(block.level, 2)}", block.text)
    elif isinstance(block, d.Paragraph):
        _add_inlines(_paragraph(container, block.style.capitalize()), block.inlines)
    elif isinstance(block, d.NumberedList):
        _add_numbered(container, block)
    elif isinstance(block, d.WordBank):
        _add_word_bank(container, block, width)
    elif isinstance(block, d.WritingLines):
        _add_writing_lines(container, block, layout, width)
    elif isinstance(block, d.Table):
        _add_table(container, block, layout, width)
    elif isinstance(block, d.Box):
        _add_box(container, block, layout, width)
    elif isinstance(block, d.PageBreak):
        _page_break(container)
    else:
        raise RenderError(f"the DOCX renderer cannot write {type(block).__name__}")


def _page_break(container: Container) -> None:
    """Break at the end of the last paragraph: a paragraph of its own for the break would, when the
    page is already full, spill onto a new page and leave it blank."""
    body = container.element.body if isinstance(container, DocxDocument) else container._tc
    last = [child for child in body if child.tag != qn("w:sectPr")][-1:]
    paragraph = container.paragraphs[-1] if last and last[0].tag == qn("w:p") else container.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)


def _paragraph(container: Container, style: str, text: str = "") -> DocxParagraph:
    paragraph: DocxParagraph = container.add_paragraph(text)
    _set_style(paragraph, style)
    return paragraph


def _set_style(paragraph: DocxParagraph, style: str) -> None:
    """Set a paragraph style by its id directly: python-docx's lookup by name scans every
    style each time and was most of the time spent writing a sheet."""
    paragraph._p.style = style.replace(" ", "")


def _add_inlines(paragraph: DocxParagraph, inlines: tuple[d.Inline, ...]) -> None:
    for item in inlines:
        if isinstance(item, d.Run):
            run = paragraph.add_run(item.text)
            if item.bold:
                run.bold = True
        else:
            paragraph.add_run(f"({item.number})\u00a0")._r.style = "Gap"
            paragraph.add_run(item.hint or GAP_RULE)


def _add_numbered(container: Container, block: d.NumberedList) -> None:
    """Numbers typed into the text: they restart per list and survive any editor."""
    for number, item in enumerate(block.items, start=1):
        paragraph = _paragraph(container, "Instruction")
        paragraph.paragraph_format.left_indent = Mm(7)
        paragraph.paragraph_format.first_line_indent = Mm(-7)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(7))
        paragraph.add_run(f"{number}.\t")
        _add_inlines(paragraph, item.inlines)


def _new_table(container: Container, rows: int, widths: list[Mm]) -> DocxTable:
    """A table with fixed column widths (LibreOffice spreads columns evenly otherwise)."""
    table = container.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _fixed_layout(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


# OOXML requires properties in schema order (Word reports "unreadable content" otherwise):
# each element is inserted before whichever of its successors is already present.
_TBL_PR = ["w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"]
_TC_PR = ["w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"]
_AFTER = {
    **{tag: _TBL_PR[i + 1 :] + ["w:tblPrChange"] for i, tag in enumerate(_TBL_PR) if tag != "w:shd"},
    **{tag: _TC_PR[i + 1 :] + ["w:tcPrChange"] for i, tag in enumerate(_TC_PR)},
}


def _fixed_layout(table: DocxTable) -> None:
    """Fixed layout and roomy cell margins (1.5 mm above and below, 2 mm at the sides)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.insert_element_before(layout, *_AFTER["w:tblLayout"])
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 85), ("left", 113), ("bottom", 85), ("right", 113)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, *_AFTER["w:tblCellMar"])


def _borders(table: DocxTable, *, outer: bool = True, inner: bool = True, size: int = 6) -> None:
    """Table borders in eighths of a point."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        show = outer if edge in ("top", "left", "bottom", "right") else inner
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if show else "nil")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER["w:tblBorders"])


def _shade(cell: _Cell, fill: str = "E6E6E6") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *_AFTER["w:shd"])


def _cell_paragraph(cell: _Cell, style: str = "Cell") -> DocxParagraph:
    """The cell's first, empty paragraph, styled (Word requires one per cell)."""
    paragraph: DocxParagraph = cell.paragraphs[0]
    _set_style(paragraph, style)
    return paragraph


def _add_word_bank(container: Container, block: d.WordBank, width: Mm) -> None:
    columns = 4 if len(block.words) > 6 else max(1, min(3, len(block.words)))
    rows = 1 + -(-len(block.words) // columns)
    table = _new_table(container, rows, [Mm(width.mm / columns)] * columns)
    _borders(table, inner=False, size=10)
    cells = _grid(table)
    title = cells[0][0].merge(cells[0][columns - 1])
    _shade(title)
    _cell_paragraph(title).add_run(block.title).bold = True
    for index, word in enumerate(block.words):
        _cell_paragraph(cells[1 + index // columns][index % columns]).add_run(word)
    _after_table(container)


def _add_writing_lines(container: Container, block: d.WritingLines, layout: Layout, width: Mm) -> None:
    """One table row per line, exact height, bottom border only: the pitch survives editing."""
    if block.label:
        _paragraph(container, "Instruction", block.label)
    pitch = block.pitch or layout.line_pitch
    table = _new_table(container, block.count, [width])
    _borders(table, outer=False, inner=False)
    for row in table.rows:
        row.height = Mm(pitch.value)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        tc_pr = row.cells[0]._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:color", "808080")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        tc_pr.insert_element_before(borders, *_AFTER["w:tcBorders"])
        _cell_paragraph(row.cells[0])
    _after_table(container)


def _add_table(container: Container, block: d.Table, layout: Layout, width: Mm) -> None:
    """A real Word table: fixed column widths, merged spans, minimum row heights, cell borders."""
    total = sum(block.widths)
    widths = [Mm(width.mm * w / total) for w in block.widths]
    table = _new_table(container, len(block.rows), widths)
    cells = _grid(table)
    _borders(table, outer=block.border == "grid", inner=block.border == "grid")
    for r, row in enumerate(block.rows):
        if r < block.header:
            _repeat_header(table.rows[r])
        if row.height:
            table.rows[r].height = Mm(row.height.value)
            table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            _cant_split(table.rows[r])
        column = 0
        for cell in row.cells:
            target = cells[r][column]
            if cell.span > 1:
                target = target.merge(cells[r][column + cell.span - 1])
            if cell.border:
                _cell_borders(target, cell.border)
            if cell.shade or r < block.header:
                _shade(target)
            cell_width = Mm(sum(w.mm for w in widths[column : column + cell.span]))
            _fill_cell(target, cell.blocks, layout, cell_width)
            if cell.align == "center":
                for paragraph in target.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            column += cell.span
    _after_table(container)


def _after_table(container: Container) -> None:
    """A little space after a table on the page; in a cell, shrink the paragraph Word requires."""
    if isinstance(container, _Cell):
        _set_style(container.paragraphs[-1], "Cell End")
    else:
        _paragraph(container, "Small")


def _cant_split(row: object) -> None:
    """Keep a box, card or rung in one piece: Word moves it to the next page whole."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))


def _grid(table: DocxTable) -> list[list[_Cell]]:
    """Every cell by row and column, found once (python-docx's table.cell() rescans the table)."""
    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def _cell_borders(cell: _Cell, style: str) -> None:
    """Solid, dashed (cut lines) or no border on all four sides of one cell."""
    value = {"solid": "single", "dashed": "dashed", "none": "nil"}[style]
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        element.set(qn("w:sz"), "6")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    cell._tc.get_or_add_tcPr().insert_element_before(borders, *_AFTER["w:tcBorders"])


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _fill_cell(cell: _Cell, blocks: tuple[d.Block, ...], layout: Layout, width: Mm) -> None:
    """Put blocks in a cell, reusing its mandatory first paragraph for the first one."""
    first, *rest = blocks or (d.Paragraph(()),)
    placeholder = _cell_paragraph(cell)
    if isinstance(first, d.Paragraph):
        _add_inlines(placeholder, first.inlines)
    else:
        rest = [first, *rest]
    for block in rest:
        if isinstance(block, d.Paragraph):
            _add_inlines(_paragraph(cell, "Cell"), block.inlines)
        else:
            _add_block(cell, block, layout, width)
    if not isinstance(first, d.Paragraph):
        placeholder._p.getparent().remove(placeholder._p)  # the cell starts with the table


def _add_box(container: Container, block: d.Box, layout: Layout, width: Mm) -> None:
    table = _new_table(container, 1, [width])
    _borders(table, size=8)
    cell = _grid(table)[0][0]
    title = (d.Paragraph((d.Run(block.title, bold=True),)),) if block.title else ()
    _fill_cell(cell, (*title, *block.blocks), layout, Mm(width.mm - 4))
    _cant_split(table.rows[0])
    _after_table(container)
