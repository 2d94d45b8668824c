"""Read the files a teacher gives us: only regular files, within a size limit, in any encoding
a school computer writes.

Every reader (content YAML, notes, rosters, PDFs to preview) comes through here, so none of
them can be made to read a device such as /dev/zero until memory runs out, wait forever on
a named pipe, or read a 50 MB file nobody meant to give. Text is decoded the way Windows,
macOS and Excel save it: UTF-8 with or without a byte-order mark, UTF-16 ("Unicode Text") or
UTF-32, else Windows-1252 ("ANSI"), or Mac Roman when lines end in a lone CR ("CSV
(Macintosh)"), with a warning naming the encoding whenever it is not UTF-8.
"""

from __future__ import annotations

import codecs
import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from worksheetgen.errors import ContentError, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    """What a file is meant to be: its name in messages, its size limit, what to do if it is not text."""

    noun: str
    limit: int  # bytes; far above anything a teacher writes, far below what hurts
    advice: str = ""  # for text: what to save instead, when given a Word, Excel or PDF file
    word_advice: str = ""  # instead of `advice` for a Word file (.docx): `{path}` is the file given


CONTENT = Kind(
    "content file (YAML)",
    2 * MB,
    "a content file is plain text: write one with `worksheetgen new`",
    "a content file is plain text: to turn the notes in this Word file into one, run: worksheetgen import {path}",
)
NOTES = Kind("notes file", 5 * MB, "save your notes as plain text (.txt) and import that")  # import: 2 s a MB
ROSTER = Kind("roster", 1 * MB, "in Excel, choose File > Save As > CSV UTF-8")
PDF = Kind("PDF", 200 * MB)


class ZipPartTooLargeError(ValueError):
    """A part of a zip (a .docx) that unpacks to more than the reader takes."""

    def __init__(self, part: str, size: int, limit: int, *, at_least: bool = False) -> None:
        super().__init__(f"{part} unpacks to {'more than ' if at_least else ''}{size:,} bytes (at most {limit:,})")
        self.part, self.size, self.limit, self.at_least = part, size, limit, at_least


def read_zip_part(package: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One part of a zip, unpacked through a capped stream, never more than `limit` bytes.

    ZipFile.read trusts the size the zip's directory gives: a part said to be 1,000 bytes that unpacks
    to 4 GB of spaces (4 MB packed) took 2 GB and 26 s before it was cut to 1,000 bytes and refused for
    its checksum. Here at most the declared size (and never past `limit`) is unpacked, so a lying part
    costs what it claims and then fails its checksum (BadZipFile). Only the compressions Word writes
    (stored, deflate) are unpacked: zipfile's bzip2 and LZMA readers take no cap, so those raise
    NotImplementedError, as a method zipfile lacks does. KeyError when there is no such part.
    """
    info = package.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise NotImplementedError(f"{name}: compression method {info.compress_type}")
    if info.file_size > limit:
        raise ZipPartTooLargeError(name, info.file_size, limit)
    with package.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:  # zipfile stops at the declared size; if it ever did not
        raise ZipPartTooLargeError(name, info.file_size, limit, at_least=True)
    return data


@dataclass(frozen=True)
class Text:
    """A file's text, the encoding it was read in, and a warning when that was not UTF-8."""

    text: str
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16", "UTF-32", "Mac Roman", "cp1252"
    warning: Problem | None = None


def read_text(path: Path, kind: Kind) -> Text:
    """A text file's contents, decoded; refuses devices, pipes, folders, binary and oversized files."""
    return decode(read_bytes(path, kind), str(path))


def read_bytes(path: Path, kind: Kind) -> bytes:
    """A file's bytes, at most `kind.limit` of them (checked again while reading: files grow).

    For a text kind, a Word, Excel, PDF or other binary file is refused, named for what it is.
    """
    with open_input(path, kind) as handle:
        try:
            data = handle.read(kind.limit + 1)
        except OSError as exc:  # a disk or network error, or a special file that passes for a regular one
            raise _refuse(path, f"cannot read: {exc.strerror}") from None
    if len(data) > kind.limit:
        raise _refuse(path, _too_big(len(data), kind, at_least=True))
    if kind.advice:
        _refuse_binary(data, path, kind)
    return data


@contextmanager
def open_input(path: Path, kind: Kind) -> Iterator[BinaryIO]:
    """Open a regular file for reading, or explain why not; a FIFO is never waited on.

    The path is checked before it is opened (opening some devices does something) and what was
    opened is checked again (the path may have been swapped in between). O_NONBLOCK makes opening
    a FIFO return at once instead of waiting for a writer.
    """
    _check(path, _stat(path), kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        _check(path, os.fstat(fd), kind)
        yield handle


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise _refuse(path, f"file not found{_link(path)}") from None
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror}") from None


def _check(path: Path, info: os.stat_result, kind: Kind) -> None:
    """Only a regular file of a sensible size is read."""
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, f"expected a {kind.noun}, found a folder")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, f"expected a {kind.noun}, found {_special(info.st_mode)}{_link(path)}; give a file")
    if info.st_size > kind.limit:
        raise _refuse(path, _too_big(info.st_size, kind))


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _link(path: Path) -> str:
    """` (a link to /dev/zero)`: the file name alone may not show what it is."""
    try:
        return f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    except OSError:
        return ""


def _too_big(size: int, kind: Kind, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    limit = _megabytes(kind.limit)
    return f"file is {more}{_megabytes(size)}; a {kind.noun} may be at most {limit}: is it the right file?"


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".0 MB", " MB")


def _refuse(path: Path, message: str, line: int | None = None, column: int | None = None) -> ContentError:
    return ContentError([Problem(str(path), message, line, column)])


# Decoding ------------------------------------------------------------------------------------

_NOT_TEXT = (  # how files that are not text begin, and what to call them
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a Word, Excel or other ZIP file (.docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel file (.doc, .xls)"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_SAMPLE = 4096  # bytes looked at to tell text from binary
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c")


def decode(raw: bytes, name: str) -> Text:
    """UTF-8 (a BOM is dropped), UTF-16 or UTF-32, else Windows-1252 (Mac Roman with old Mac line ends).

    Bytes no encoding defines are kept as lone surrogates (`surrogateescape`, `surrogatepass`),
    so that the text cleaning that follows removes them and says where they were.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE begins both
        text = raw[: len(raw) // 4 * 4].decode("utf-32", errors="surrogatepass").removeprefix("\ufeff")
        return Text(text, "UTF-32", Problem(name, "file is UTF-32: decoded as UTF-32", 1))
    utf16 = _utf16(raw)
    if utf16:
        text = raw[: len(raw) // 2 * 2].decode(utf16, errors="surrogatepass").removeprefix("\ufeff")
        return Text(text, "UTF-16", Problem(name, 'file is UTF-16 (Excel\'s "Unicode Text"): decoded as UTF-16', 1))
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        return Text(body.decode("utf-8"), "UTF-8 with BOM" if bom else "UTF-8")
    except UnicodeDecodeError as exc:
        line, column = _place(body, exc.start)
        if b"\r" in body and b"\n" not in body:  # old Mac line ends: Excel's "CSV (Macintosh)" is Mac Roman
            message = f'not UTF-8 (byte 0x{body[exc.start]:02x}): decoded as Mac Roman ("CSV (Macintosh)")'
            return Text(body.decode("mac_roman"), "Mac Roman", Problem(name, message, line, column))
        byte = body[exc.start]
        message = f'not UTF-8 (byte 0x{byte:02x}): decoded as cp1252 (Windows, "ANSI"); save as UTF-8 to avoid this'
        return Text(body.decode("cp1252", errors="surrogateescape"), "cp1252", Problem(name, message, line, column))


def _utf16(raw: bytes) -> str | None:
    """ "utf-16" for a file with a UTF-16 BOM; "utf-16-le"/"-be" for one whose every other byte is zero."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    sample = raw[:_SAMPLE]
    if len(sample) < 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0) / len(sample[0::2]), sample[1::2].count(0) / len(sample[1::2])
    if odd >= 0.6 and even <= 0.05:  # Latin text: the high byte of most characters is zero
        return "utf-16-le"
    if even >= 0.6 and odd <= 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(raw: bytes, path: Path, kind: Kind) -> None:
    """A Word, Excel, PDF or other binary file is named for what it is, with what to do instead."""
    what = next((label for magic, label in _NOT_TEXT if raw.startswith(magic)), None)
    if what is None and _utf16(raw) is None and not raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        sample = raw[:_SAMPLE]
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls > max(8, 0.05 * len(sample)):  # a few pasted from Word are cleaned later, with a warning
            what = "a binary file"
    if what:
        word = kind.word_advice and raw.startswith(b"PK\x03\x04") and path.suffix.lower() in (".docx", ".docm")
        advice = kind.word_advice.format(path=path) if word else kind.advice
        raise _refuse(path, f"expected a {kind.noun}, found {what}, not text; {advice}")


def _place(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset in text that is UTF-8 up to it.

    Lines end at LF, CR LF or a lone CR (old Mac files), as editors count them.
    """
    before = raw[:offset]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    return line, len(before[line_start:].decode("utf-8")) + 1
