"""The DOCX package shell: named styles, page, header and footer parts and fixed properties.

Made once per layout and language with python-docx (slow, so cached); docx.py then writes each
sheet's body and furniture into a copy of its parts. Every style names the profile's font for
every script, and the theme's fonts are the profile's font too, so no Calibri or Cambria shows
up in a heading or in a style a teacher adds later.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from worksheetgen.errors import WorksheetError
from worksheetgen.layout import Layout, Typeface
from worksheetgen.render.ooxml import read_parts

# The DOCX names the PDF's family: Arial for the sans face (LibreOffice maps it to Liberation
# Sans), Andika for the dyslexia profile, as the PDF prints it (the PDF embeds its fonts, the
# DOCX does not). Where Andika is not installed, the font table tells Word what to use instead:
# Verdana (wide letter spacing, recommended by the BDA), named as its alternative (`ALTERNATIVES`),
# and a sans-serif (swiss) family for any other substitution.
FACES = {Typeface.sans: "Arial", Typeface.readable: "Andika"}
ALTERNATIVES = {"Andika": ("Verdana", "02000000000000000000")}  # face: (alternative, Andika's PANOSE)
FONT_TABLE = "word/fontTable.xml"
CREAM = "FFF8E7"
FIXED_TIME = datetime(2000, 1, 1)
BLACK = RGBColor(0, 0, 0)


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
def shell(layout: Layout, language: str = "en-GB") -> Shell:
    """Our named styles, paper size and margins for this layout, in a package with no body;
    `language` (a BCP 47 tag) is what Word and LibreOffice check the spelling in.

    Making one costs a run a few hundredths of a second (a class batch makes six before its
    workers start), so each is kept in the user's cache folder (beside the compiled templates,
    see `templating.builtin_bytecode`), under a fingerprint of the layout, the language, this
    module, ooxml.py, layout.py and python-docx's version: a shell made by other code is never used."""
    path = _kept_shell(layout, language)
    kept = _read_shell(path) if path else None
    if kept is not None:
        return kept
    made = _make_shell(layout, language)
    if path:
        _keep_shell(path, made)
    return made


SHELL_NAMES = "__worksheetgen_shell__"  # the kept file's own member: the header and footer part names


def _kept_shell(layout: Layout, language: str) -> Path | None:
    from worksheetgen.templating import private_cache_folder

    folder = private_cache_folder("shells")
    if folder is None:
        return None
    here = Path(__file__).parent
    fingerprint = hashlib.sha256(f"{layout!r}|{language}|{docx.__version__}".encode())
    for module in (here / "docx_shell.py", here / "ooxml.py", here.parent / "layout.py"):
        fingerprint.update(module.read_bytes())
    return folder / f"shell_{fingerprint.hexdigest()[:24]}.zip"


def _read_shell(path: Path) -> Shell | None:
    try:
        parts = read_parts(path.read_bytes())
        header, footer = parts.pop(SHELL_NAMES).decode().split("\n")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, NotImplementedError, WorksheetError):
        return None  # none kept yet, or spoilt: made afresh
    return Shell(parts, header, footer)


def _keep_shell(path: Path, made: Shell) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in [*made.parts.items(), (SHELL_NAMES, f"{made.header}\n{made.footer}".encode())]:
            package.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), data)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(out.getvalue())
        os.replace(temporary, path)  # whole or not at all, whichever process writes it
    except OSError:
        temporary.unlink(missing_ok=True)


def _make_shell(layout: Layout, language: str) -> Shell:
    word = docx.Document(io.BytesIO(_template()))
    _set_up_styles(word, layout)
    _one_font_everywhere(word, FACES[layout.typeface])
    _set_language(word, language)
    if layout.cream:
        _cream_background(word)
    _set_up_page(word, layout)
    _set_fixed_properties(word)
    _drop_unused_parts(word)
    section = word.sections[0]
    header, footer = section.header.part.partname, section.footer.part.partname
    buffer = io.BytesIO()
    word.save(buffer)
    parts = read_parts(buffer.getvalue())
    parts[THEME] = _theme_fonts(parts[THEME], FACES[layout.typeface])
    parts[FONT_TABLE] = _font_table(parts[FONT_TABLE], FACES[layout.typeface])
    return Shell(parts, header.lstrip("/"), footer.lstrip("/"))


@lru_cache(maxsize=1)
def _template() -> bytes:
    """python-docx's default template without its table styles, once per process: each shell
    starts from it (reading the default template and dropping those styles cost each shell a third
    of its time)."""
    word = docx.Document()
    _remove_table_styles(word)  # first: python-docx finds a style by name by looking at each one
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


_THEME_FONT_ATTRIBUTES = [qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]


def _one_font_everywhere(word: DocxDocument, face: str) -> None:
    """The profile's font, for every script, in the document defaults and in every style that
    names a font: the template's headings and title name theme fonts (Calibri, Cambria), and a
    theme font attribute wins over a plain font name in Word."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:
            fonts.attrib.pop(attribute, None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), face)


def _set_language(word: DocxDocument, language: str) -> None:
    """The proofing language of every run (document defaults and Normal), so Word checks British
    spelling against en-GB rather than flagging it against the template's en-US."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in (defaults, word.styles["Normal"].element.get_or_add_rPr()):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        lang.set(qn("w:val"), language)


THEME = "word/theme/theme1.xml"
_THEME_LATIN = re.compile(rb"(<a:(?:major|minor)Font>\s*<a:latin typeface=\")[^\"]*")


def _theme_fonts(theme: bytes, face: str) -> bytes:
    """The theme's heading and body fonts become the profile's font too, so a style a teacher
    adds later (which Word bases on the theme) matches the sheet."""
    return _THEME_LATIN.sub(lambda match: match.group(1) + face.encode(), theme)


def _font_table(table: bytes, face: str) -> bytes:
    """The font table with an entry for `face` where it has an alternative: Word substitutes the
    alternative (then a font of the same family) on a computer without the face."""
    if face not in ALTERNATIVES or f'w:name="{face}"'.encode() in table:
        return table
    alternative, panose = ALTERNATIVES[face]
    entry = (
        f'<w:font w:name="{face}"><w:altName w:val="{alternative}"/><w:panose1 w:val="{panose}"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    return table.replace(b"</w:fonts>", entry.encode() + b"</w:fonts>")


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
    _style(word, face, "Cell", size, line_spacing=1.3, space_after=2)
    _style(word, face, "Cell End", 2, line_spacing=1.0, space_after=0)
    _style(word, face, "Table Gap", 2, space_after=0)  # its line height is set per paragraph
    _style(word, face, "Key Question", size + 2, bold=True, space_after=size, line_spacing=1.3)
    # Title and headings as in the PDF: their own leading, bold, no border or theme colour.
    title = word.styles["Title"]
    _font(title, face, size + 8, bold=True)
    _leading(title, (size + 8) * 1.2)
    title.paragraph_format.space_after = Pt(2)
    _remove_borders(title)
    for level, extra, before, after in ((1, 3, 0.6, 0.4), (2, 1, 0.4, 0.3)):
        heading = word.styles[f"Heading {level}"]
        _font(heading, face, size + extra, bold=True)
        _leading(heading, (size + extra) * 1.3)
        heading.paragraph_format.space_before = Pt(size * before)
        heading.paragraph_format.space_after = Pt(size * after)
    gap = word.styles.add_style("Gap", WD_STYLE_TYPE.CHARACTER)
    gap.font.bold = True
    box = word.styles.add_style("Tick Box", WD_STYLE_TYPE.CHARACTER)  # a box big enough to tick, as in the PDF
    box.font.size = Pt(layout.tick_box_size)


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


# Numbered lists ------------------------------------------------------------------------------


NUMBERING = "word/numbering.xml"
FIRST_LIST_ID = 100  # above the template's own lists (1-9), which its List Number styles use


def numbering_part(shell_part: bytes, lists: list[int], layout: Layout) -> bytes:
    """The template's numbering definitions plus one decimal list ("1.", "2.") for each numbered
    list of the sheet, its text indented by the layout's list indent."""
    if not lists:
        return shell_part
    indent = twips(layout.list_indent.value)
    abstract = "".join(
        f'<w:abstractNum w:abstractNumId="{list_id}"><w:nsid w:val="{0x57530000 + list_id:08X}"/>'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
        f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl></w:abstractNum>'
        for list_id in lists
    )
    numbers = "".join(f'<w:num w:numId="{i}"><w:abstractNumId w:val="{i}"/></w:num>' for i in lists)
    before, first_num, after = shell_part.partition(b"<w:num ")
    if not first_num:  # a template with no lists of its own
        before, first_num, after = shell_part.partition(b"</w:numbering>")
    part = before + abstract.encode() + first_num + after
    return part.replace(b"</w:numbering>", numbers.encode() + b"</w:numbering>")
