"""Every kind of DOCX we write opens in a real word processor with about the same page count as our PDF.

Covered: the whole pack (every kind x tier, pupil copies and keys, A4), every pupil copy in the
dyslexia and large-print profiles, every pupil copy on Letter, and named batch sheets. LibreOffice
converts all of them in one call (starting it is the slow part).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from worksheetgen.batch import BatchOptions, run_batch
from worksheetgen.layout import Profile
from worksheetgen.pipeline import Options, generate, list_kinds, resolve_content

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ROSTER = "name,class,tier,needs\nZoë O'Brien,9X,support,dyslexia\nAna/María,9X,challenge,large-print\n"


@pytest.fixture(scope="module")
def documents(pack_out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every DOCX to check, under a unique name, with its PDF beside it."""
    root = tmp_path_factory.mktemp("variants")
    content = resolve_content(None)
    for profile in (Profile.dyslexia, Profile.large_print):
        generate(content, Options(profile=profile, key=False, out=root / profile.value))
    generate(content, Options(paper="letter", key=False, out=root / "letter"))
    roster = root / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    run_batch(roster, content, BatchOptions(kinds=("gap-fill", "diamond-nine"), out=root / "batch", workers=1))
    found = {f"pack-{p.stem}": p for p in pack_out.glob("*.docx")}
    found.update({f"{p.parent.name}-{p.stem}": p for p in root.rglob("*.docx") if p.parent.name != "keys"})
    return found


@pytest.fixture(scope="module")
def converted(documents: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed")
    staging = tmp_path_factory.mktemp("staging")
    for name, path in documents.items():
        shutil.copyfile(path, staging / f"{name}.docx")
    out = tmp_path_factory.mktemp("libreoffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
    files = sorted(str(p) for p in staging.glob("*.docx"))
    subprocess.run([*command, "--outdir", str(out), *files], check=True, capture_output=True, timeout=900)
    return out


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def test_every_docx_converts_with_a_page_count_close_to_ours(documents: dict[str, Path], converted: Path) -> None:
    kinds = len(list_kinds())
    assert len(documents) == kinds * 3 * 2 + kinds * 3 * 3 + 2 * 2  # pack, profiles and Letter, batch
    mismatched = []
    for name, document in sorted(documents.items()):
        theirs = converted / f"{name}.pdf"
        assert theirs.exists(), f"LibreOffice could not open {document}"
        ours = pages(document.with_suffix(".pdf"))
        if abs(pages(theirs) - ours) > 1:
            mismatched.append(f"{name}: LibreOffice {pages(theirs)} pages, ours {ours}")
    assert mismatched == []
