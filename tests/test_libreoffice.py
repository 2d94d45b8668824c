"""Every DOCX in the pack opens in a real word processor with about the same page count as our PDF.

LibreOffice converts all of them in one call (starting it is the slow part).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def converted(pack_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    documents = sorted(str(p) for p in pack_out.glob("*.docx"))
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(out), *documents], check=True, capture_output=True, timeout=600)
    return out


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def test_every_docx_converts_with_a_page_count_close_to_ours(pack_out: Path, converted: Path) -> None:
    documents = sorted(pack_out.glob("*.docx"))
    assert documents
    mismatched = []
    for document in documents:
        theirs = converted / f"{document.stem}.pdf"
        assert theirs.exists(), f"LibreOffice could not open {document.name}"
        ours = pages(document.with_suffix(".pdf"))
        if abs(pages(theirs) - ours) > 1:
            mismatched.append(f"{document.name}: LibreOffice {pages(theirs)} pages, ours {ours}")
    assert mismatched == []
