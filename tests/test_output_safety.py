"""Nothing a teacher made is lost: edited DOCX files are kept, writes are atomic."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import docx
import pytest

from tests.readback import docx_text
from tests.test_cli import invoke
from worksheetgen.errors import OutputError
from worksheetgen.output import TEMP_SUFFIX, write_atomic

ARGS = ("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "docx")


def test_an_edited_docx_survives_regeneration_until_forced(tmp_path: Path) -> None:
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    edited = docx.Document(str(sheet))
    edited.add_paragraph("Bring your exercise books on Monday.")
    edited.save(str(sheet))

    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0
    assert f"kept '{sheet}': it was edited after it was written; --force replaces it" in again.stderr
    assert "Bring your exercise books on Monday." in docx_text(sheet)

    forced = invoke(*ARGS, "--out", str(tmp_path), "--force")
    assert forced.returncode == 0
    assert "Bring your exercise books on Monday." not in docx_text(sheet)


def test_an_unchanged_docx_is_simply_regenerated(tmp_path: Path) -> None:
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    again = invoke(*ARGS, "--out", str(tmp_path), "--seed", "5")
    assert again.returncode == 0 and "kept" not in again.stderr


def test_a_foreign_file_with_our_name_is_kept(tmp_path: Path) -> None:
    foreign = tmp_path / "stalins-purges_gap-fill_core.docx"
    foreign.write_bytes(b"not ours")
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    assert foreign.read_bytes() == b"not ours"


def test_read_only_folder_is_a_clear_error_leaving_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "sheet.pdf"
    old.write_bytes(b"old")

    def read_only(**kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError, match=f"cannot write to folder '{tmp_path}': Read-only file system"):
        write_atomic(old, b"new")
    assert old.read_bytes() == b"old"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "sheet.pdf"
    old.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="open in another program"):
        write_atomic(old, b"new")
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]


def test_an_interrupted_write_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "sheet.pdf", b"new")
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_from_a_killed_run_are_cleared(tmp_path: Path) -> None:
    stale = tmp_path / f".stalins-purges_gap-fill_core.docx.{os.getpid()}-1.abc_1234{TEMP_SUFFIX}"  # start 1: gone
    stale.write_bytes(b"half")
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    assert not stale.exists()


def test_only_this_tools_own_temporaries_are_cleared_from_a_linked_output(tmp_path: Path) -> None:
    """WEAK 12: an output folder linked to a shared drive lost every `.*.wsg-tmp` file there,
    whatever made it (`.important.wsg-tmp`); only names made exactly as this tool makes them,
    whose writer is gone, are removed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "output").symlink_to(elsewhere)
    others = [f".important{TEMP_SUFFIX}", f".notes.txt.abc{TEMP_SUFFIX}", f".a.1-1.toolong99{TEMP_SUFFIX}"]
    for name in others:
        (elsewhere / name).write_bytes(b"keep")
    ours = elsewhere / f".sheet.pdf.{os.getpid()}-1.k2x_9q0a{TEMP_SUFFIX}"
    ours.write_bytes(b"half")
    assert invoke(*ARGS, "--out", str(tmp_path / "output")).returncode == 0
    assert all((elsewhere / name).read_bytes() == b"keep" for name in others)
    assert not ours.exists()


def test_a_batch_killed_midway_leaves_only_complete_files(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time
    import zipfile

    from pypdf import PdfReader

    roster = tmp_path / "roster.csv"
    roster.write_text("name,tier\n" + "".join(f"Pupil {i},core\n" for i in range(40)), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "worksheetgen", "batch", str(roster), "--sheet", "gap-fill", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 6:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0, "the batch should have been interrupted part-way"
    assert b"Traceback" not in stderr
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))
    written = list(out.rglob("*.*"))
    assert written and not (out / "no-class" / "no-class_print.pdf").exists()
    for path in written:
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1
        else:
            assert zipfile.ZipFile(path).testzip() is None


def edit_part(path: Path, part: str, old: bytes, new: bytes) -> None:
    """Change one part of a DOCX, as Word does when an edit touches only that part."""
    from worksheetgen.render.ooxml import read_parts, write_parts

    parts = read_parts(path.read_bytes())
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new, 1)
    path.write_bytes(write_parts(parts))


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        ("word/settings.xml", b"</w:settings>", b'<w:documentProtection w:edit="readOnly"/></w:settings>'),
        ("word/numbering.xml", b'w:numFmt w:val="decimal"', b'w:numFmt w:val="upperRoman"'),
        ("docProps/core.xml", b"<dc:title>", b"<dc:title>Cover lesson: "),
    ],
    ids=["protection", "numbering", "title"],
)  # fmt: skip
def test_an_edit_only_to_protection_numbering_or_title_is_kept(
    tmp_path: Path, part: str, old: bytes, new: bytes
) -> None:
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    edit_part(sheet, part, old, new)
    edited = sheet.read_bytes()
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0
    assert f"kept '{sheet}': it was edited after it was written; --force replaces it" in again.stderr
    assert sheet.read_bytes() == edited


def test_an_unchanged_docx_from_before_the_wider_fingerprint_is_still_regenerated(tmp_path: Path) -> None:
    """Files written by earlier versions hashed fewer parts; they must not all look edited now."""
    import re

    from worksheetgen.render.ooxml import _HASHED_2, CUSTOM_PART, digest, read_parts, write_parts

    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    parts = read_parts(sheet.read_bytes())
    old = f"<vt:lpwstr>2:{digest(parts, _HASHED_2)}<".encode()
    parts[CUSTOM_PART] = re.sub(rb"<vt:lpwstr>[^<]+<", old, parts[CUSTOM_PART])
    sheet.write_bytes(write_parts(parts))
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and "kept" not in again.stderr
    assert b"<vt:lpwstr>3:" in read_parts(sheet.read_bytes())[CUSTOM_PART]


def test_an_unversioned_docx_from_before_the_wider_fingerprint_is_still_regenerated(tmp_path: Path) -> None:
    """Files written by earlier versions hashed fewer parts; they must not all look edited now."""
    import re

    from worksheetgen.render.ooxml import _HASHED_BEFORE, CUSTOM_PART, digest, read_parts, write_parts

    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    parts = read_parts(sheet.read_bytes())
    old = f"<vt:lpwstr>{digest(parts, _HASHED_BEFORE)}<".encode()
    parts[CUSTOM_PART] = re.sub(rb"<vt:lpwstr>[^<]+<", old, parts[CUSTOM_PART])
    sheet.write_bytes(write_parts(parts))
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and "kept" not in again.stderr
    assert b"<vt:lpwstr>3:" in read_parts(sheet.read_bytes())[CUSTOM_PART]


def test_edited_key_and_pupil_docx_in_a_batch_are_kept_and_the_teacher_told_the_pdf_was_rebuilt(
    tmp_path: Path,
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,class\nAnn Smith,9X\n", encoding="utf-8")
    out = tmp_path / "out"
    batch = ("batch", str(roster), "--sheet", "gap-fill", "--out", str(out))
    assert invoke(*batch).returncode == 0
    key = out / "keys" / "9X_stalins-purges_gap-fill_core_variant-A_key.docx"
    pupil = out / "9X" / "Ann-Smith_gap-fill.docx"
    for path in (key, pupil):
        edited = docx.Document(str(path))
        edited.add_paragraph("Bring your exercise books on Monday.")
        edited.save(str(path))
    again = invoke(*batch)
    assert again.returncode == 0, again.stderr
    for path in (key, pupil):
        assert (
            f"warning: kept '{path}': it was edited after it was written; --force replaces it; "
            f"its PDF, '{path.with_suffix('.pdf').name}', was rebuilt and does not have your edits"
        ) in again.stderr
        assert "Bring your exercise books on Monday." in docx_text(path)
    forced = invoke(*batch, "--force")
    assert forced.returncode == 0 and "kept" not in forced.stderr
    assert "Bring your exercise books" not in docx_text(key)


# Fifth red-team pass: what may sit at an output path --------------------------------------------


@pytest.mark.parametrize("thing", ["link to /dev/zero", "named pipe"])
def test_something_not_a_file_at_an_output_path_is_an_error_not_a_hang(tmp_path: Path, thing: str) -> None:
    """A link to /dev/zero took 23 GB of memory; a named pipe blocked the build for ever."""
    import time

    from worksheetgen.errors import OutputError
    from worksheetgen.output import write_output

    path = tmp_path / "sheet.docx"
    if thing == "named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(OutputError, match="not a file"):
        write_output(path, b"new", force=False)
    assert time.monotonic() - started < 2


def test_a_zip_bomb_at_an_output_path_is_not_read(tmp_path: Path) -> None:
    """A 2.6 MB DOCX with our fingerprint and a 2.7 GB document part took 57 s and 7.9 GB."""
    import tracemalloc
    import zipfile

    from worksheetgen.render.ooxml import CUSTOM_PART, MAX_UNPACKED, PROPERTY, is_ours_and_unchanged

    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(CUSTOM_PART, f'<p name="{PROPERTY}"><vt:lpwstr>2:abc</vt:lpwstr></p>')
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(MAX_UNPACKED // (1 << 20) + 1):
                part.write(b"\0" * (1 << 20))
    tracemalloc.start()
    try:
        assert not is_ours_and_unchanged(path)
        assert tracemalloc.get_traced_memory()[1] < 5 << 20  # never unpacked (it is 50 MB)
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("how", ["corrupt", "encrypted", "method9"])
def test_a_damaged_docx_at_an_output_path_is_kept_not_a_traceback(tmp_path: Path, how: str) -> None:
    """Attacker review B2: a DOCX we wrote, its document part's deflate data damaged, made the
    next build a zlib.error traceback; it is not ours any more, so it is kept."""
    from tests.test_import_formats import damaged_zip

    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    damaged = damaged_zip(sheet.read_bytes(), "word/document.xml", how)
    sheet.write_bytes(damaged)
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert f"kept '{sheet}'" in again.stderr and "--force replaces it" in again.stderr
    assert sheet.read_bytes() == damaged


def test_a_docx_whose_zip_lies_about_its_sizes_is_not_unpacked_at_an_output_path(tmp_path: Path) -> None:
    """The fourth red-team pass: a DOCX in the output folder whose docProps/custom.xml says 500 bytes
    and unpacks to 4 GB took 2.15 GB and 26 s on the next build (package.read trusts the size the zip
    says); it is read through a capped stream, fails its checksum, and is kept as the teacher's."""
    import tracemalloc

    from tests.test_import_formats import lying_zip
    from worksheetgen.render.ooxml import CUSTOM_PART, PROPERTY, is_ours_and_unchanged

    path = tmp_path / "stalins-purges_gap-fill_core.docx"
    head = f'<p name="{PROPERTY}"><vt:lpwstr>2:abc</vt:lpwstr></p>'.encode()
    path.write_bytes(lying_zip(CUSTOM_PART, head, 200 << 20, 500))
    tracemalloc.start()
    try:
        assert not is_ours_and_unchanged(path)
        assert tracemalloc.get_traced_memory()[1] < 20 << 20  # was over 200 MB
    finally:
        tracemalloc.stop()
    planted = path.read_bytes()
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and "Traceback" not in again.stderr and f"kept '{path}'" in again.stderr
    assert path.read_bytes() == planted


# Preview pictures (the fourth red-team pass) ------------------------------------------------------

PREVIEW_PNG = "stalins-purges_gap-fill_core-1.png"


def test_preview_replaces_a_link_at_a_picture_path_never_writes_through_it(tmp_path: Path) -> None:
    """PIL's save follows links: `ln -s /tmp/victim output/preview/<name>-1.png` then `preview`
    overwrote the victim. Pictures are now written as sheets are: in one step, replacing the link."""
    victim = tmp_path / "victim.txt"
    victim.write_text("victim", encoding="utf-8")
    (tmp_path / "output" / "preview").mkdir(parents=True)
    (tmp_path / "output" / "preview" / PREVIEW_PNG).symlink_to(victim)
    done = invoke("preview", "--sheet", "gap-fill", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    picture = tmp_path / "output" / "preview" / PREVIEW_PNG
    assert victim.read_text(encoding="utf-8") == "victim"
    assert not picture.is_symlink() and picture.read_bytes().startswith(b"\x89PNG")


def test_preview_does_not_write_through_a_linked_preview_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "preview").symlink_to(elsewhere)
    done = invoke("preview", "--sheet", "gap-fill", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"error: 'output/preview' is a link to '{elsewhere}'; worksheetgen does not write through links inside its"
        " output folder: remove the link, or choose another output folder with --out"
    ]
    assert not list(elsewhere.iterdir())
    named = invoke("preview", "--sheet", "gap-fill", "--out", str(tmp_path / "output" / "preview"), cwd=tmp_path)
    assert named.returncode == 0, named.stderr  # a folder the teacher names may be a link, as for build


@pytest.mark.parametrize("source", ["content", "pdf"])
def test_a_named_pipe_at_a_picture_path_is_a_plain_error(tmp_path: Path, source: str) -> None:
    """A FIFO where a picture goes gave `error: a file: UnsupportedOperation`; drawn here (from content)
    or in the limited child (a PDF from elsewhere), it is now build's error for one, without waiting."""
    target: tuple[str, ...] = ()
    if source == "pdf":
        built = invoke("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "pdf", cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        target = (str(next((tmp_path / "output").glob("*.pdf"))),)
    (tmp_path / "output" / "preview").mkdir(parents=True)
    pipe = tmp_path / "output" / "preview" / PREVIEW_PNG
    os.mkfifo(pipe)
    done = invoke("preview", *target, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"error: output/preview/{PREVIEW_PNG} is not a file (a named pipe, a device, or a link to one); move it"
        " out of the way and build again"
    ]


COMMENTS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b'<w:comment w:id="0" w:author="Ms Example"><w:p><w:r><w:t>Use with 9X only</w:t></w:r></w:p>'
    b"</w:comment></w:comments>"
)


def add_comments(path: Path) -> None:
    """Add a comments part (and its relationship and content type) and change nothing else:
    the parts the fingerprint once hashed stay as they were."""
    from worksheetgen.render.ooxml import read_parts, write_parts

    parts = read_parts(path.read_bytes())
    parts["word/comments.xml"] = COMMENTS
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/comments" Target="comments.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/comments.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    )
    path.write_bytes(write_parts(parts))


@pytest.mark.parametrize(
    "edit",
    [
        add_comments,
        lambda p: edit_part(p, "word/webSettings.xml", b"</w:webSettings>", b"<w:optimizeForBrowser/></w:webSettings>"),
        lambda p: edit_part(p, "word/theme/theme1.xml", b'name="Office Theme"', b'name="School Theme"'),
        lambda p: edit_part(p, "word/header1.xml", b"</w:hdr>", b"<w:p><w:r><w:t>Set 2</w:t></w:r></w:p></w:hdr>"),
        lambda p: edit_part(p, "word/footer1.xml", b"</w:ftr>", b"<w:p><w:r><w:t>Room 12</w:t></w:r></w:p></w:ftr>"),
    ],
    ids=["comments-added", "web-settings", "theme", "header", "footer"],
)  # fmt: skip
def test_an_edit_to_any_part_of_the_docx_is_kept(tmp_path: Path, edit: object) -> None:
    """Issue 11: comments added (word/comments.xml) were not fingerprinted, so the rebuild
    replaced the teacher's file; the fingerprint now covers every part we wrote, and any part added."""
    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    edit(sheet)  # type: ignore[operator]
    edited = sheet.read_bytes()
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert again.returncode == 0
    assert f"kept '{sheet}': it was edited after it was written; --force replaces it" in again.stderr
    assert sheet.read_bytes() == edited


def test_comments_added_to_a_docx_from_before_the_wider_fingerprint_are_kept(tmp_path: Path) -> None:
    """A sheet written by an earlier version (fingerprint `2:`) with a comments part added is
    not ours any more, though the parts that version hashed are unchanged."""
    import re

    from worksheetgen.render.ooxml import _HASHED_2, CUSTOM_PART, digest, read_parts, write_parts

    assert invoke(*ARGS, "--out", str(tmp_path)).returncode == 0
    sheet = tmp_path / "stalins-purges_gap-fill_core.docx"
    parts = read_parts(sheet.read_bytes())
    parts[CUSTOM_PART] = re.sub(
        rb"<vt:lpwstr>[^<]+<", f"<vt:lpwstr>2:{digest(parts, _HASHED_2)}<".encode(), parts[CUSTOM_PART]
    )
    sheet.write_bytes(write_parts(parts))
    add_comments(sheet)
    edited = sheet.read_bytes()
    again = invoke(*ARGS, "--out", str(tmp_path))
    assert "kept" in again.stderr and sheet.read_bytes() == edited


PDF_ARGS = ("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "pdf", "--format", "docx")


def test_a_pdf_exported_from_word_under_the_sheets_name_is_kept(tmp_path: Path) -> None:
    """Issue 11: a teacher edits the DOCX, then exports it to PDF under the sheet's name; the
    next build kept the DOCX but replaced their PDF. A PDF we did not write is kept."""
    assert invoke(*PDF_ARGS, "--out", str(tmp_path)).returncode == 0
    pdf = tmp_path / "stalins-purges_gap-fill_core.pdf"
    exported = b"%PDF-1.7\n%\xb5\xb5\xb5\xb5\n1 0 obj\n<</Producer(Microsoft\xae Word for Microsoft 365)>>\nendobj\n"
    exported += b"trailer\n<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"
    pdf.write_bytes(exported)
    again = invoke(*PDF_ARGS, "--out", str(tmp_path))
    assert again.returncode == 0
    assert f"kept '{pdf}': this PDF was not written by worksheetgen" in again.stderr
    assert "--force replaces it" in again.stderr
    assert pdf.read_bytes() == exported
    forced = invoke(*PDF_ARGS, "--out", str(tmp_path), "--force")
    assert forced.returncode == 0 and pdf.read_bytes() != exported


def test_a_pdf_of_ours_saved_again_by_a_pdf_editor_is_kept_and_an_unchanged_one_rebuilt(tmp_path: Path) -> None:
    """An incremental update (Acrobat's annotations) appends to our bytes: the fingerprint no
    longer matches. Our own PDF, unchanged, is replaced without a word."""
    assert invoke(*PDF_ARGS, "--out", str(tmp_path)).returncode == 0
    pdf = tmp_path / "stalins-purges_gap-fill_core.pdf"
    assert b"%worksheetgen-sha256 " in pdf.read_bytes()
    unchanged = invoke(*PDF_ARGS, "--out", str(tmp_path), "--seed", "3")
    assert unchanged.returncode == 0 and "kept" not in unchanged.stderr
    annotated = pdf.read_bytes() + b"1 0 obj\n<</Annots []>>\nendobj\nstartxref\n100\n%%EOF\n"
    pdf.write_bytes(annotated)
    again = invoke(*PDF_ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and f"kept '{pdf}'" in again.stderr
    assert pdf.read_bytes() == annotated


def test_a_pdf_from_before_the_fingerprint_is_still_rebuilt(tmp_path: Path) -> None:
    """A sheet PDF written by an earlier version (no fingerprint comment) is still ours."""
    import re

    assert invoke(*PDF_ARGS, "--out", str(tmp_path)).returncode == 0
    pdf = tmp_path / "stalins-purges_gap-fill_core.pdf"
    pdf.write_bytes(re.sub(rb"%worksheetgen-sha256 [0-9a-f]{64}\n", b"", pdf.read_bytes()))
    again = invoke(*PDF_ARGS, "--out", str(tmp_path))
    assert again.returncode == 0 and "kept" not in again.stderr


def _deep_pdf(depth: int) -> bytes:
    """A one-page PDF whose page holds `depth` arrays inside one another (red team: copying it into a
    print file was quadratic, or a RecursionError traceback)."""
    nested = b"[" * depth + b" 4 0 R (AAAA)" + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /X " + nested + b" >>",
        b"<< /Foo 1 >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _locked_pdf() -> bytes:
    import io

    import pikepdf

    document, buffer = pikepdf.new(), io.BytesIO()
    document.add_blank_page()
    document.save(buffer, encryption=pikepdf.Encryption(owner="teacher", user="secret"))
    return buffer.getvalue()


def test_a_pack_merges_the_sheets_as_built_never_a_kept_pdf(tmp_path: Path) -> None:
    """Red team: a PDF at a sheet's path that is not ours is kept (a teacher's export), but pack then
    merged that file into the print file: a file that is not a PDF or is locked with a password was a
    pikepdf traceback, a crafted one took 72 s and 1 GB (or a RecursionError). The print file now
    holds every sheet as it was built, and the kept file is left as it is."""
    import pikepdf

    args = ("pack", "--sheet", "gap-fill", "--sheet", "key-terms", "--tier", "core", "--out", str(tmp_path))
    assert invoke(*args).returncode == 0
    print_file = tmp_path / "stalins-purges_print.pdf"
    with pikepdf.open(print_file) as merged:
        pages = len(merged.pages)
    planted = {
        tmp_path / "stalins-purges_gap-fill_core.pdf": b"hello, not a pdf\n",
        tmp_path / "stalins-purges_gap-fill_core_key.pdf": b"%PDF-1.4\ngarbage\n",
        tmp_path / "stalins-purges_key-terms_core.pdf": _locked_pdf(),
        tmp_path / "stalins-purges_key-terms_core_key.pdf": _deep_pdf(499),
    }
    for path, data in planted.items():
        path.write_bytes(data)
    again = invoke(*args)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    for path, data in planted.items():
        assert path.read_bytes() == data
        assert (
            f"kept '{path}': this PDF was not written by worksheetgen, or was changed after it was (exported from"
            " Word, or saved again in a PDF editor); --force replaces it; the print file holds the sheet as built,"
            " not this file"
        ) in again.stderr
    with pikepdf.open(print_file) as merged:
        assert len(merged.pages) == pages  # every sheet, as built


def test_a_class_print_file_merges_the_sheets_as_built_never_a_kept_pdf(tmp_path: Path) -> None:
    """The same through batch: the class print file merged a kept pupil PDF (a pikepdf traceback)."""
    import pikepdf

    roster = tmp_path / "roster.csv"
    roster.write_text("name,tier\nAnn Smith,core\nBen Jones,core\n", encoding="utf-8")
    out = tmp_path / "out"
    batch = ("batch", str(roster), "--sheet", "key-terms", "--out", str(out))
    assert invoke(*batch).returncode == 0
    print_file = next(out.glob("no-class/*_print.pdf"))
    with pikepdf.open(print_file) as merged:
        pages = len(merged.pages)
    kept = out / "no-class" / "Ann-Smith_key-terms.pdf"
    kept.write_bytes(b"garbage\n")
    again = invoke(*batch)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr and kept.read_bytes() == b"garbage\n"
    assert f"kept '{kept}'" in again.stderr and "the print file holds the sheet as built" in again.stderr
    with pikepdf.open(print_file) as merged:
        assert len(merged.pages) == pages
