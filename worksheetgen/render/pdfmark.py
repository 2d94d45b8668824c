"""A PDF's fingerprint: did we write this file, and has nobody changed it since?

A teacher may export their edited Word file to PDF under the sheet's own name, or annotate the
PDF in Acrobat; the next build must keep that file, as it keeps an edited DOCX. Every sheet PDF
we write carries a comment just before its `startxref` line (where a comment moves no byte
offset the file's cross-reference table gives) with a hash of the rest of the file. A PDF from
Word has no such comment; one saved again by Acrobat (an appended update, or a file rewritten
whole) no longer matches its hash. Either is kept.

PDFs written before the fingerprint are recognised as ours while they still say so: made by
worksheetgen with reportlab, and never updated (one `%%EOF`).
"""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

_MARK = re.compile(rb"%worksheetgen-sha256 ([0-9a-f]{64})\n(?=startxref\s+\d+\s+%%EOF\s*\Z)")
_STARTXREF = re.compile(rb"startxref\s+\d+\s+%%EOF\s*\Z")
MAX_CHECKED = 100 << 20  # bytes of a PDF read to check it (a sheet is under 1 MB)
_TAIL = 1024  # where a PDF's `startxref` and `%%EOF` are


def stamp_pdf(data: bytes) -> bytes:
    """`data` with its fingerprint comment (unchanged if it is not a PDF we can stamp)."""
    tail = max(0, len(data) - _TAIL)
    found = _STARTXREF.search(data, tail)
    if not data.startswith(b"%PDF-") or found is None or _MARK.search(data, tail):
        return data
    digest = hashlib.sha256(data).hexdigest()
    return data[: found.start()] + b"%worksheetgen-sha256 " + digest.encode() + b"\n" + data[found.start() :]


def is_our_unchanged_pdf(path: Path) -> bool:
    """True if `path` is a PDF we wrote and nobody has changed it since. What is not a plain
    file, or is larger than `MAX_CHECKED`, is not ours."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CHECKED:
            return False
        with path.open("rb") as handle:
            data = handle.read(MAX_CHECKED + 1)
    except OSError:
        return False
    if not data.startswith(b"%PDF-"):
        return False
    mark = _MARK.search(data, max(0, len(data) - _TAIL))
    if mark is not None:
        unstamped = data[: mark.start()] + data[mark.end() :]
        return hashlib.sha256(unstamped).hexdigest().encode() == mark.group(1)
    # Written before the fingerprint: ours while it still says so and was never updated.
    return (
        b"/Creator (worksheetgen)" in data
        and b"/Producer (ReportLab PDF Library" in data
        and data.count(b"%%EOF") == 1
        and b"%worksheetgen-sha256" not in data
    )
