"""The DOCX as Word sees it (issue 12): one font in every style, the content's language, real
numbered lists, and a footer that fits one line. Read back from the package's XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.readback import docx_schema_order_errors
from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings, Profile, layout_for
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render
from worksheetgen.render.docx_fit import PAGE_LABEL, text_width
from worksheetgen.templating import search_path

FACE = {Profile.standard: "Arial", Profile.dyslexia: "Andika", Profile.large_print: "Arial"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write(folder: Path, content: Content, kind: str, profile: Profile = Profile.standard) -> Path:
    document, _ = build_document(content, Sheet(kind, Tier.core), 0, search_path())
    path = folder / f"{kind}-{profile.value}.docx"
    path.write_bytes(render(document, "docx", PrintSettings(profile=profile)))
    return path


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode()


@pytest.mark.parametrize("profile", list(Profile))
def test_every_style_and_the_defaults_name_the_profile_font_and_no_theme_font(
    tmp_path: Path, shipped: Content, profile: Profile
) -> None:
    path = write(tmp_path, shipped, "gap-fill", profile)
    styles = docx.Document(str(path)).styles.element
    fonts = list(styles.iter(qn("w:rFonts")))
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts") in fonts
    assert len(fonts) > 20  # the headings, the title and their linked character styles too
    for element in fonts:
        assert not [a for a in element.attrib if "Theme" in a or "theme" in a], element.attrib
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert element.get(qn(f"w:{script}")) == FACE[profile]
    theme = part(path, "word/theme/theme1.xml")
    assert re.findall(r'<a:latin typeface="([^"]*)"', theme)[:2] == [FACE[profile]] * 2


def test_dyslexia_docx_names_andika_as_the_pdf_does_with_verdana_as_words_fallback(
    tmp_path: Path, shipped: Content
) -> None:
    """Issue 12: the dyslexia PDF prints Andika and its DOCX named Verdana. The DOCX names Andika
    and its font table gives Verdana as the alternative, a sans-serif family, for a computer
    without Andika; the other profiles' font table is left as it was."""
    table = part(write(tmp_path, shipped, "gap-fill", Profile.dyslexia), "word/fontTable.xml")
    entry = re.search(r'<w:font w:name="Andika">(.*?)</w:font>', table)
    assert entry and '<w:altName w:val="Verdana"/>' in entry.group(1) and 'w:val="swiss"' in entry.group(1)
    assert 'w:name="Andika"' not in part(write(tmp_path, shipped, "gap-fill", Profile.standard), "word/fontTable.xml")


def test_language_is_british_english_unless_the_content_says_otherwise(tmp_path: Path, shipped: Content) -> None:
    for language in ("en-GB", "fr-CA"):
        content = shipped.model_copy(update={"language": language})
        (tmp_path / language).mkdir()
        styles = docx.Document(str(write(tmp_path / language, content, "gap-fill"))).styles.element
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang")
        assert default.get(qn("w:val")) == normal.get(qn("w:val")) == language
    assert shipped.language == "en-GB"


def test_instructions_are_a_word_numbered_list_with_no_typed_numbers(tmp_path: Path, shipped: Content) -> None:
    path = write(tmp_path, shipped, "gap-fill")
    document = docx.Document(str(path))
    items = [p for p in document.paragraphs if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(items) >= 3
    assert not [p.text for p in items if re.match(r"\s*\d+[.)]", p.text)]
    ids = {p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")) for p in items}
    numbering = part(path, "word/numbering.xml")
    for num_id in ids:  # each list's number refers to a decimal "%1." definition starting at 1
        abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>', numbering)
        assert abstract, num_id
        definition = re.search(rf'<w:abstractNum w:abstractNumId="{abstract.group(1)}">(.*?)</w:abstractNum>',
                               numbering).group(1)  # fmt: skip
        assert '<w:start w:val="1"/>' in definition and '<w:numFmt w:val="decimal"/>' in definition
        assert '<w:lvlText w:val="%1."/>' in definition
    assert docx_schema_order_errors(path) == []


@pytest.mark.parametrize("kind", ["ranking-ladder", "gap-fill", "diamond-nine"])
def test_every_instruction_keeps_with_the_next_paragraph_so_the_task_starts_on_its_page(
    tmp_path: Path, shipped: Content, kind: str
) -> None:
    """Word keeps the whole list, its last item too, on the page where the task after it starts."""
    document = docx.Document(str(write(tmp_path, shipped, kind, Profile.large_print)))
    items = [p for p in document.paragraphs if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert items and all(p._p.find(f"{W}pPr/{W}keepNext") is not None for p in items)


def test_two_lists_on_one_sheet_number_apart(tmp_path: Path, shipped: Content) -> None:
    """Every list has its own numbering, so the second starts again at 1."""
    from worksheetgen import document as d

    lists = tuple(d.NumberedList((d.Paragraph((d.Run(f"{name} {n}"),)),) * 2) for n, name in enumerate("AB"))
    meta = build_document(shipped, Sheet("gap-fill", Tier.core), 0, search_path())[0].meta
    path = tmp_path / "two.docx"
    path.write_bytes(render(d.Document(meta, lists), "docx", PrintSettings()))
    ids = re.findall(r'<w:numId w:val="(\d+)"/>', part(path, "word/document.xml"))
    assert len(ids) == 4 and ids[0] == ids[1] != ids[2] == ids[3]


@pytest.mark.parametrize("profile", list(Profile))
def test_the_footer_fits_one_line(tmp_path: Path, shipped: Content, profile: Profile) -> None:
    path = write(tmp_path, shipped, "gap-fill", profile)
    footer = docx.Document(str(path)).sections[0].footer.paragraphs[0]
    label = footer.text.split("\t")[0]
    assert label.startswith(shipped.title) and "Source: " in label
    layout = layout_for(Tier.core, PrintSettings(profile=profile))
    assert text_width(label, layout.small_size, layout) + text_width(PAGE_LABEL, layout.small_size, layout) < (
        layout.frame_width.pt
    )
    assert shipped.credit and len(label) < len(f"{shipped.title}  ·  Source: {shipped.credit}")
