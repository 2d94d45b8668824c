"""DOCX renderer: an editable sheet built from named styles and real tables.

Teachers restyle a whole sheet by editing one style; grids are Word tables with fixed
column widths; writing lines are table rows with a bottom border, so their pitch
survives editing in Word and LibreOffice.

docx_shell.py makes the package shell once per layout (styles, page, header and footer parts,
properties). Each sheet's body is then written as WordprocessingML text (docx_blocks.py, with the
markup in docx_xml.py), each element in schema order: python-docx's object model looks every
child up by XPath on each insert and cost about 90 ms a sheet, where writing the markup directly
costs one or two. This module writes the parts that change with each sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docx.oxml.ns import nsmap
from lxml import etree

from worksheetgen import document as d
from worksheetgen.layout import DEFAULT_PRINT, Layout, PrintSettings, layout_for
from worksheetgen.render.docx_blocks import add_blocks
from worksheetgen.render.docx_fit import footer_label, name_line
from worksheetgen.render.docx_shell import NUMBERING, numbering_part
from worksheetgen.render.docx_shell import shell as make_shell
from worksheetgen.render.docx_xml import Container, text_run, write_paragraph
from worksheetgen.render.ooxml import stamp, write_parts

_PART_START = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<w:{{tag}} xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}">'
)


def warm_up(settings: Iterable[PrintSettings], language: str) -> None:
    """Make the package shells for these settings (every tier) now, before workers are forked."""
    for each in settings:
        for tier in d.Tier:
            make_shell(layout_for(tier, each), language)


def render_docx(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bytes:
    """Render a Document to DOCX bytes; identical input gives identical bytes."""
    layout = layout_for(document.meta.tier, settings)
    shell = make_shell(layout, document.meta.language)
    meta = document.meta
    parts = dict(shell.parts)
    body = Container(instructions=not meta.is_key, blank_first=_cards_on_an_even_page(document, settings))
    parts["word/document.xml"] = _document_part(shell.parts["word/document.xml"], document, layout, body)
    parts[NUMBERING] = numbering_part(shell.parts[NUMBERING], body.lists, layout)
    parts[shell.header] = _furniture("hdr", _header_paragraph(meta, layout))
    parts[shell.footer] = _furniture("ftr", _footer_paragraph(meta, layout))
    parts["docProps/core.xml"] = _core_properties(shell.parts["docProps/core.xml"], meta)
    return write_parts(stamp(parts))


def _cards_on_an_even_page(document: d.Document, settings: PrintSettings) -> bool:
    """Whether the sheet's card sheet would start on an even page: the PDF's layout says (the DOCX
    is laid out to break where the PDF does), so only a sheet with cards is laid out as a PDF too."""
    if not any(d.starts_card_sheet(block) for block in document.blocks):
        return False
    from worksheetgen.render.pdf import leaves_a_page_blank  # reportlab only for a sheet with cards

    return leaves_a_page_blank(document, settings)


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


def _document_part(shell_part: bytes, document: d.Document, layout: Layout, body: Container) -> bytes:
    """The shell's document part with the sheet's body before its section properties."""
    write_paragraph(body, "Title", text_run(document.meta.title))
    write_paragraph(body, "Key Question", text_run(document.meta.key_question))
    add_blocks(body, document.blocks, layout, layout.frame_width.value)
    before, section = shell_part.split(b"<w:sectPr", 1)
    return before + "".join(body.items).encode() + b"<w:sectPr" + section


def _furniture(tag: str, paragraph: str) -> bytes:
    """A header (hdr) or footer (ftr) part holding one paragraph."""
    return (_PART_START.format(tag=tag) + paragraph + f"</w:{tag}>").encode()


def _header_paragraph(meta: d.Meta, layout: Layout) -> str:
    """Name / Class / Date (or what the page is for) and the tier marker at the right margin."""
    draft = text_run("DRAFT   ", bold=True) if meta.draft else ""
    runs = draft + text_run(name_line(meta.header_label, layout), bold=meta.is_key) + text_run("\t" + meta.marker)
    return write_paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value, space_after=0)


def _footer_paragraph(meta: d.Meta, layout: Layout) -> str:
    """The topic and source, then 'Page x of y' at the right margin, on one line."""
    label = footer_label(meta, layout)
    runs = text_run(label + "\tPage ") + _field("PAGE") + text_run(" of ") + _field("NUMPAGES")
    return write_paragraph(Container(), "Small", runs, right_tab=layout.frame_width.value, space_after=0)


def _field(name: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/>'
        f'<w:instrText xml:space="preserve"> {name} </w:instrText>'
        '<w:fldChar w:fldCharType="separate"/><w:t>1</w:t><w:fldChar w:fldCharType="end"/></w:r>'
    )
