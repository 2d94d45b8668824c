"""OOXML (DOCX) packages as plain zip parts: stable bytes, a fingerprint, a name filled in.

Each DOCX carries a custom document property with a hash of every part of the package we
wrote, by name and content (all but the property's own part; the content types and package
relationships without the lines that point to it). Word and LibreOffice keep custom properties
when a teacher saves, but the parts change, so an edited sheet no longer matches its own
fingerprint and is left alone: an edit to the body, a header or footer, the styles or the
settings, and a part added (comments, say) or taken away, alike.

Files written by earlier versions hashed fewer parts (`2:`, and before it no version); they
are still recognised as ours while those parts match and the package holds no part we never
wrote (a comment added in Word adds `word/comments.xml`).
"""

from __future__ import annotations

import hashlib
import io
import lzma
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from worksheetgen.inputs import read_zip_part
from worksheetgen.textclean import xml_escape as escape

PROPERTY = "worksheetgen-sha256"
CUSTOM_PART = "docProps/custom.xml"
VERSION = "3"  # the fingerprint is `3:<hash>` of every part; `2:` and unversioned ones hashed fewer
_EVERY_PART = re.compile(r".+", re.DOTALL)
_HASHED_2 = re.compile(r"word/(document|header\d*|footer\d*|styles|numbering|settings)\.xml|docProps/core\.xml")
_HASHED_BEFORE = re.compile(r"word/(document|header\d*|footer\d*|styles)\.xml")
# Every part a sheet written before version 3 held: one with any other part was edited.
_WRITTEN_BEFORE = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app|custom)\.xml|word/_rels/document\.xml\.rels"
    r"|word/(document|styles|settings|webSettings|fontTable|numbering|header\d*|footer\d*)\.xml|word/theme/theme1\.xml"
)
_FINGERPRINT = re.compile(rf'name="{PROPERTY}"><vt:lpwstr>(?:(\d+):)?([0-9a-f]+)</vt:lpwstr>')
_CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="' + PROPERTY + '">'
    "<vt:lpwstr>{digest}</vt:lpwstr></property></Properties>"
)
_OVERRIDE = (
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
)
_RELATIONSHIP = (
    '<Relationship Id="rIdWorksheetgen" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
    'Target="docProps/custom.xml"/>'
)


def digest(parts: dict[str, bytes], hashed: re.Pattern[str] = _EVERY_PART) -> str:
    """A hash of the parts (by name and content) a teacher's edit would change: every part
    of the unstamped package, for a fingerprint of this version."""
    hasher = hashlib.sha256()
    for name in sorted(n for n in parts if hashed.fullmatch(n)):
        hasher.update(name.encode() + b"\0" + parts[name] + b"\0")
    return hasher.hexdigest()


def stamp(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Add the fingerprint property (and its content type and relationship) to a package's parts."""
    stamped = dict(parts)
    stamped[CUSTOM_PART] = _CUSTOM_XML.replace("{digest}", f"{VERSION}:{digest(parts)}").encode()
    types = stamped["[Content_Types].xml"].decode()
    stamped["[Content_Types].xml"] = types.replace("</Types>", _OVERRIDE + "</Types>").encode()
    rels = stamped["_rels/.rels"].decode()
    stamped["_rels/.rels"] = rels.replace("</Relationships>", _RELATIONSHIP + "</Relationships>").encode()
    return stamped


# What zipfile raises for a part it cannot unpack, besides BadZipFile and OSError: damaged
# deflate or lzma data, a cut-off stream, encryption, a compression method it lacks (9, 99).
_UNREADABLE = (zlib.error, lzma.LZMAError, EOFError, RuntimeError, NotImplementedError, ValueError)
MAX_UNPACKED = 50 << 20  # bytes of a DOCX's parts we read to check it (ours are under 1 MB)


def is_ours_and_unchanged(path: Path) -> bool:
    """True if `path` is a DOCX we wrote and nobody has changed it since. What is not a plain
    file, or would unpack to more than `MAX_UNPACKED`, is not ours (a link to /dev/zero or a
    zip bomb in the output folder once took 23 GB of memory)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_UNPACKED:
            return False
        with zipfile.ZipFile(path) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED:
                return False
            # Each part through a capped stream: the sizes above are what the zip says, and a part said
            # to be 1,000 bytes that unpacks to 4 GB took 2 GB and 26 s to refuse through package.read.
            match = _FINGERPRINT.search(read_zip_part(package, CUSTOM_PART, MAX_UNPACKED).decode())
            hashed = {VERSION: _EVERY_PART, "2": _HASHED_2, None: _HASHED_BEFORE}.get(match.group(1)) if match else None
            if match is None or hashed is None:
                return False
            names = package.namelist()
            if hashed is not _EVERY_PART and not all(_WRITTEN_BEFORE.fullmatch(name) for name in names):
                return False  # an older sheet with a part we never wrote (comments added in Word)
            parts = {
                name: read_zip_part(package, name, MAX_UNPACKED)
                for name in names
                if name != CUSTOM_PART and hashed.fullmatch(name)
            }
            if len(names) != len(set(names)):
                return False  # a part named twice in the zip: not as we wrote it
            if hashed is _EVERY_PART:
                parts = _unstamped(parts)
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, *_UNREADABLE):
        return False
    return match.group(2) == digest(parts, hashed)


ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def read_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a DOCX just rendered (each read through a capped stream, as every zip is)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: read_zip_part(package, name, MAX_UNPACKED) for name in package.namelist()}


def write_parts(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps, so the same parts always give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


def named_copies(data: bytes, old: str, names: Iterable[str]) -> Iterator[bytes]:
    """A copy of a rendered sheet for each of `names`, in turn, with the name in its header where
    `old` was (and its fingerprint stamped again).

    Rendering a DOCX costs over 100 ms; filling in a name this way costs a few, so a class
    batch renders each variant once and names a copy for every pupil. The sheet is unpacked
    once, not once a pupil."""
    parts = _unstamped({name: part for name, part in read_parts(data).items() if name != CUSTOM_PART})
    headers = [n for n in parts if re.fullmatch(r"word/header\d*\.xml", n)]
    # The renderer may have shortened the writing lines (runs of underscores) to fit the line.
    pieces = [re.escape(escape(piece)) for piece in re.split(r"_{4,}", old)]
    before = re.compile((">" + "_{4,}".join(pieces) + "<").encode())
    for new in names:
        after = _literal(f">{escape(new)}<".encode())
        named = {**parts, **{header: before.sub(after, parts[header]) for header in headers}}
        yield write_parts(stamp(named))


def _literal(text: bytes) -> Callable[[re.Match[bytes]], bytes]:
    """A replacement for `re.sub` taken as it is (no backslash escapes: a name may hold `\\1`)."""
    return lambda _: text


def _unstamped(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Take the old fingerprint's content type and relationship out before stamping again."""
    parts = dict(parts)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(_OVERRIDE.encode(), b"")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(_RELATIONSHIP.encode(), b"")
    return parts
