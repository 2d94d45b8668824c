"""Reading the files a teacher gives: only regular files, within limits, in any encoding Windows or Excel writes."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_cli import run
from worksheetgen import inputs
from worksheetgen.errors import ContentError
from worksheetgen.inputs import CONTENT, NOTES, ROSTER, decode, read_bytes, read_text
from worksheetgen.preview import MAX_PIXELS, preview_pdf

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")


def refused(path: Path, kind: object = CONTENT) -> str:
    """The one message a refused file gets; it must come at once, without reading the file."""
    start = time.monotonic()
    with pytest.raises(ContentError) as caught:
        read_bytes(path, kind)  # type: ignore[arg-type]
    assert time.monotonic() - start < 1
    (problem,) = caught.value.problems
    return str(problem)


@contextmanager
def unblocked_after(fifo: Path, seconds: float) -> Iterator[None]:
    """If the code under test waits on the FIFO, a writer opens it after `seconds`: the test fails, not hangs."""
    timer = threading.Timer(seconds, lambda: os.close(os.open(fifo, os.O_WRONLY)))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# Special files are refused up front --------------------------------------------------------------


@needs_dev_zero
def test_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    assert refused(Path("/dev/zero")) == "/dev/zero: expected a content file (YAML), found a device; give a file"
    link = tmp_path / "topic.yaml"
    link.symlink_to("/dev/zero")
    assert refused(link, ROSTER) == f"{link}: expected a roster, found a device (a link to /dev/zero); give a file"


@needs_fifo
def test_a_named_pipe_is_refused_and_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "topic.yaml"
    os.mkfifo(fifo)
    with unblocked_after(fifo, 5):
        assert refused(fifo) == f"{fifo}: expected a content file (YAML), found a named pipe (FIFO); give a file"


@needs_fifo
def test_a_file_swapped_for_a_pipe_after_its_check_is_caught_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is checked, then opened: if it became a FIFO in between, opening must not wait
    for a writer, and what was opened is checked again."""
    regular = tmp_path / "regular.yaml"
    regular.write_text("title: T\n")
    fifo = tmp_path / "topic.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(inputs, "_stat", lambda path: regular.stat())  # the check saw a regular file
    with unblocked_after(fifo, 5):
        assert refused(fifo) == f"{fifo}: expected a content file (YAML), found a named pipe (FIFO); give a file"


def test_a_folder_a_missing_file_and_a_path_through_a_file(tmp_path: Path) -> None:
    assert refused(tmp_path, NOTES) == f"{tmp_path}: expected a notes file, found a folder"
    assert refused(tmp_path / "nothere.yaml").endswith("nothere.yaml: file not found")
    (tmp_path / "file").write_text("x")
    assert refused(tmp_path / "file" / "topic.yaml").endswith("topic.yaml: file not found")
    (tmp_path / "gone.yaml").symlink_to("/nonexistent/topic.yaml")
    assert refused(tmp_path / "gone.yaml").endswith("gone.yaml: file not found (a link to /nonexistent/topic.yaml)")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
def test_a_file_that_fails_while_being_read_is_an_error_not_a_traceback() -> None:
    assert refused(Path("/proc/self/mem")) == "/proc/self/mem: cannot read: Input/output error"


def test_an_oversized_file_is_refused_with_the_limit_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # 50 MB, sparse: refused on its size alone
        handle.truncate(50 * 1024 * 1024)
    assert refused(big) == f"{big}: file is 50 MB; a content file (YAML) may be at most 2 MB: is it the right file?"
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"name\n" + b"Ann Smith\n" * 120_000)
    assert "a roster may be at most 1 MB" in refused(roster, ROSTER)


@pytest.mark.parametrize(
    ("start", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a Word, Excel or other ZIP file (.docx, .xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Word or Excel file (.doc, .xls)"),
        (b"{\\rtf1\\ansi Tsar", "a Rich Text (RTF) document"),
        (bytes(range(256)) * 4, "a binary file"),
    ],
)
def test_files_that_are_not_text_are_named_for_what_they_are(tmp_path: Path, start: bytes, what: str) -> None:
    path = tmp_path / "class.csv"
    path.write_bytes(start + b"\x00" * 64)
    message = refused(path, ROSTER)
    assert message == f"{path}: expected a roster, found {what}, not text; in Excel, choose File > Save As > CSV UTF-8"


# Encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding", "warned"),
    [
        ("Zoë’s – 1917".encode(), "UTF-8", False),
        ("\ufeffZoë’s – 1917".encode(), "UTF-8 with BOM", False),
        ("\ufeffZoë’s – 1917".encode("utf-16-le"), "UTF-16", True),  # Excel's "Unicode Text"
        ("\ufeffZoë’s – 1917".encode("utf-16-be"), "UTF-16", True),
        ("Zoë’s – 1917".encode("utf-16-le"), "UTF-16", True),  # no BOM: every other byte is zero
        ("Zoë’s – 1917".encode("cp1252"), "cp1252", True),  # Notepad's "ANSI"
        ("\ufeffZoë’s – 1917".encode("utf-32-le"), "UTF-32", True),  # its BOM begins like UTF-16's
        ("Zoë’s – 1917\r".encode("mac_roman"), "Mac Roman", True),  # lone CRs: Excel's "CSV (Macintosh)"
    ],
)
def test_every_encoding_a_school_computer_writes(raw: bytes, encoding: str, warned: bool) -> None:
    decoded = decode(raw, "f.txt")
    assert (decoded.text.rstrip("\r"), decoded.encoding, decoded.warning is not None) == (
        "Zoë’s – 1917",
        encoding,
        warned,
    )
    if warned:
        assert encoding in str(decoded.warning)


def test_the_first_byte_that_is_not_utf8_is_placed_by_line_and_column_whatever_the_line_ends() -> None:
    for end in (b"\n", b"\r\n", b"\r"):
        raw = end.join([b"title: Zo\xc3\xab", b"key_question: Why?", b"period: Tsar\x92s fall"])
        warning = decode(raw, "t.yaml").warning
        assert warning is not None and (warning.line, warning.column) == (3, 13)


def test_bytes_windows_1252_leaves_undefined_are_kept_for_the_cleaner_to_report() -> None:
    assert decode(b"Stalin\x92s\x81 men", "n.txt").text == "Stalin’s\udc81 men"
    assert decode(b"\xff\xfeA\x00\x00\xd8B\x00\x0a", "n.txt").text == "A\ud800B"  # lone surrogate, odd byte


def test_a_text_file_is_read_whole_and_decoded(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Tsar’s fall\r\n".encode("cp1252"))
    decoded = read_text(path, NOTES)
    assert decoded.text == "Tsar’s fall\r\n" and decoded.encoding == "cp1252"


# Through the command line: one clear line, exit status 1 ----------------------------------------------


@needs_fifo
@needs_dev_zero
def test_every_command_refuses_devices_pipes_and_huge_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("validate", "/dev/zero", str(fifo), str(big))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: /dev/zero: expected a content file (YAML), found a device; give a file",
        f"error: {fifo}: expected a content file (YAML), found a named pipe (FIFO); give a file",
        f"error: {big}: file is 50 MB; a content file (YAML) may be at most 2 MB: is it the right file?",
    ]
    for command in (("import", "/dev/zero", "--out", str(tmp_path / "x.yaml")), ("batch", "/dev/zero")):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("error: /dev/zero: expected a ") and "found a device" in result.stderr
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "output").exists()


# PDFs to preview ---------------------------------------------------------------------------------------


def test_preview_of_a_missing_pdf_says_not_found(tmp_path: Path) -> None:
    result = run("preview", "nothere.pdf", "--out", str(tmp_path / "png"), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "error: nothere.pdf: file not found\n")


def test_a_page_that_would_be_an_enormous_bitmap_is_drawn_smaller_with_a_warning(tmp_path: Path) -> None:
    import pikepdf
    from PIL import Image

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].MediaBox = pikepdf.Array([0, 0, 200_000, 200_000])  # 70 m square: the PDF limit is 200 in
    pdf.save(tmp_path / "huge.pdf")
    pages, warnings = preview_pdf(tmp_path / "huge.pdf", tmp_path / "png", dpi=300)
    assert warnings == [
        f"{tmp_path / 'huge.pdf'}: page 1 is 200,000 x 200,000 pt: drawn at 1.6 dpi instead of 300, to keep its "
        "image within 20 million pixels"
    ]
    with Image.open(pages[0]) as big, Image.open(pages[1]) as a4:
        assert big.width * big.height <= MAX_PIXELS and big.width == big.height
        assert a4.size == (math.ceil(595 * 300 / 72), math.ceil(842 * 300 / 72))  # an ordinary page at the dpi asked


def lines_pdf(path: Path, lines: int) -> Path:
    """A one-page PDF whose content is `lines` line-drawing operators (xref written by hand)."""
    stream = b"0 0 m 595 842 l S\n" * lines
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_that_takes_too_long_to_draw_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attacker review B4: a 2 MB page of 100,000 lines kept pdfium drawing over 30 s (a 36 MB
    one 10 minutes), deaf to SIGTERM; a PDF from elsewhere is drawn in a child, on a clock."""
    import time

    from worksheetgen import preview
    from worksheetgen.errors import WorksheetError

    monkeypatch.setattr(preview, "DRAW_SECONDS", 2.0)  # the same kill as at 10 s, sooner
    pdf = lines_pdf(tmp_path / "ops.pdf", 100_000)
    started = time.monotonic()
    with pytest.raises(WorksheetError, match=r"ops.pdf: page 1 takes too long to draw \(more than 2 seconds\)"):
        preview_pdf(pdf, tmp_path / "png")
    assert time.monotonic() - started < 6
    pages, warnings = preview_pdf(lines_pdf(tmp_path / "few.pdf", 10), tmp_path / "png")
    assert [p.name for p in pages] == ["few-1.png"] and warnings == []
