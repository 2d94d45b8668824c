"""Print profiles and paper sizes, read back from the PDF and DOCX as a teacher would check them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from pypdf import PdfReader

from tests.readback import MM, chars_outside, docx_text, pdf_pages, pdf_text
from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, list_kinds, render
from worksheetgen.templating import search_path

MINIMUM = {Profile.standard: 10, Profile.dyslexia: 12, Profile.large_print: 16}
KINDS = ("gap-fill",)


def write(tmp_path: Path, content: Content, kind: str, tier: Tier, fmt: str, settings: PrintSettings) -> Path:
    document, _ = build_document(content, Sheet(kind, tier), 0, search_path())
    path = tmp_path / f"{kind}-{tier.value}-{settings.profile.value}-{settings.paper}.{fmt}"
    path.write_bytes(render(document, fmt, settings))
    return path


def body_chars(path: Path) -> list[dict]:
    """Characters in the body frame (below the header, above the footer)."""
    chars = []
    for page in pdf_pages(path):
        chars += [c for c in page.chars if c["top"] >= 30 * MM and c["bottom"] <= page.height - 25 * MM]
    return chars


@pytest.mark.parametrize("profile", list(Profile))
@pytest.mark.parametrize("tier", list(Tier))
def test_pdf_body_text_size_and_no_italics(tmp_path: Path, shipped: Content, profile: Profile, tier: Tier) -> None:
    path = write(tmp_path, shipped, "gap-fill", tier, "pdf", PrintSettings(profile=profile))
    chars = [c for c in body_chars(path) if not c["text"].isspace()]
    assert chars
    assert min(round(c["size"], 1) for c in chars) >= MINIMUM[profile]
    fonts = {c["fontname"].split("+")[-1] for c in chars}
    assert not any("Italic" in f or "Oblique" in f for f in fonts)
    expected = "Andika" if profile is Profile.dyslexia else "DejaVuSans"
    assert all(f.startswith(expected) or f.startswith("DejaVuSans") for f in fonts)
    assert any(f.startswith(expected) for f in fonts)


@pytest.mark.parametrize("profile", list(Profile))
def test_docx_styles_carry_the_profile(tmp_path: Path, shipped: Content, profile: Profile) -> None:
    path = write(tmp_path, shipped, "gap-fill", Tier.core, "docx", PrintSettings(profile=profile))
    document = docx.Document(str(path))
    face = "Andika" if profile is Profile.dyslexia else "Arial"
    assert document.styles["Normal"].font.name == face
    for name in ("Normal", "Body", "Instruction", "Small", "Cell", "Key"):
        style = document.styles[name]
        size = style.font.size or document.styles["Normal"].font.size
        assert size >= Pt(MINIMUM[profile]), name
        assert not style.font.italic
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None and run.font.name is None, "profile must live in styles, not runs"


def test_large_print_reflows_onto_more_pages(tmp_path: Path, shipped: Content) -> None:
    standard = write(tmp_path, shipped, "gap-fill", Tier.core, "pdf", PrintSettings())
    large = write(tmp_path, shipped, "gap-fill", Tier.core, "pdf", PrintSettings(profile=Profile.large_print))
    assert len(PdfReader(large).pages) > len(PdfReader(standard).pages)
    assert pdf_text(large).count("Soon after Stalin won control") == 1


@pytest.mark.parametrize("profile", list(Profile))
def test_letter_pages_are_letter_with_everything_inside(tmp_path: Path, shipped: Content, profile: Profile) -> None:
    path = write(tmp_path, shipped, "gap-fill", Tier.support, "pdf", PrintSettings("letter", profile))
    for page in pdf_pages(path):
        assert (round(page.width), round(page.height)) == (612, 792)
    assert chars_outside(path, margin_mm=15) == []


@pytest.mark.parametrize("profile", [Profile.standard, Profile.dyslexia])
def test_other_scripts_render_with_real_glyphs(tmp_path: Path, profile: Profile) -> None:
    words = "Ежов, Gdańsk, Tōhoku, Ποιος; ● ◆ ▲ ☐"
    content = Content(title=words, key_question="Why?", summary=[f"One. {words}. Three."])
    settings = PrintSettings(profile=profile)
    pdf = write(tmp_path, content, "gap-fill", Tier.core, "pdf", settings)
    assert pdf_text(pdf).count(words) >= 2
    assert words in docx_text(write(tmp_path, content, "gap-fill", Tier.core, "docx", settings))


def test_cream_page_and_metadata(tmp_path: Path, shipped: Content) -> None:
    path = write(tmp_path, shipped, "gap-fill", Tier.core, "pdf", PrintSettings(cream=True))
    reader = PdfReader(path)
    assert reader.metadata.title == "Gap-fill: Stalin's Purges"
    assert reader.metadata.author == "worksheetgen"
    assert reader.metadata.subject == "Why did the purges happen?"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert b"1 .973 .906 rg" in reader.pages[0].get_contents().get_data()
    word = write(tmp_path, shipped, "gap-fill", Tier.core, "docx", PrintSettings(cream=True))
    assert 'w:color="FFF8E7"' in docx.Document(str(word)).element.xml


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed (CI installs it)")
def test_pdfs_pass_qpdf_check(tmp_path: Path, shipped: Content) -> None:
    for profile in Profile:
        path = write(tmp_path, shipped, "gap-fill", Tier.support, "pdf", PrintSettings(profile=profile))
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", list_kinds())
@pytest.mark.parametrize("profile", [Profile.dyslexia, Profile.large_print])
def test_every_kind_keeps_body_text_large_enough(tmp_path: Path, shipped: Content, kind: str, profile: Profile) -> None:
    path = write(tmp_path, shipped, kind, Tier.core, "pdf", PrintSettings(profile=profile))
    chars = [c for c in body_chars(path) if not c["text"].isspace()]
    assert min(round(c["size"], 1) for c in chars) >= MINIMUM[profile]
    assert not any("Italic" in c["fontname"] or "Oblique" in c["fontname"] for c in chars)
