"""Turn a teacher's notes into a draft content file (YAML) to finish by hand, and say what to finish first.

Notes come as plain text, Markdown, wiki text, a saved web page or a Word document
(`reading`). They are repaired on the way in (worksheetgen/repair.py), then read for their
structure with real parsers where there is markup (`formats`: markdown-it-py, mwparserfromhell,
lxml) and from the shape of their lines where there is none (`structure`); split into sentences
by pysbd (`sentences`); and read for dates (`dates`, `events`), people (`people`), defined terms
(`terms`), causes, quotations and sources (`causes`), the subject and a key question (`topic`).
Nothing is invented: what the notes do not say is left as a clearly marked "TODO: ..." value,
and every guess says so in a comment. The YAML (`writing`) is checked to read back exactly and
to validate before it is returned, with a checklist of what to finish (`report`).

The parsing libraries are imported only here, when notes are imported, so `worksheetgen --help`
stays fast.
"""

from __future__ import annotations

from pathlib import Path

from worksheetgen.importer.draft import Imported, convert
from worksheetgen.importer.reading import read_source, text_source
from worksheetgen.importer.report import Fix
from worksheetgen.importer.structure import Note

KEY_QUESTION_TODO = "TODO: write the key question?"

__all__ = ["KEY_QUESTION_TODO", "Fix", "Imported", "import_file", "import_notes"]


def import_notes(text: str, *, title: str | None = None) -> Imported:
    """Notes as text -> the draft; warnings read `line N: ...` (repairs included)."""
    source = text_source(text)
    yaml_text, notes, fixes, todos = convert(source, title=title, name=None)
    warnings = [_format(None, line, message, source.unit) for line, message in _once([*_repairs(source), *notes])]
    return Imported(yaml_text, warnings, fixes, todos)


def import_file(path: Path, *, title: str | None = None) -> Imported:
    """A notes file (text, Markdown, .html or .docx, any encoding) -> the draft; warnings read `FILE:LINE: ...`."""
    source = read_source(path)
    yaml_text, notes, fixes, todos = convert(source, title=title, name=str(path))
    warnings = [_format(str(path), line, message, source.unit) for line, message in _once([*_repairs(source), *notes])]
    return Imported(yaml_text, warnings, fixes, todos)


def _repairs(source: object) -> list[Note]:
    return [(r.line, r.message) for r in getattr(source, "repairs", [])]


def _once(notes: list[Note]) -> list[Note]:
    """Each warning once, in the order of the notes; warnings about the whole file last."""
    unique = list(dict.fromkeys(notes))
    return sorted(unique, key=lambda note: (note[0] is None, note[0] or 0))


def _format(file: str | None, line: int | None, message: str, unit: str) -> str:
    """`notes.txt:12: message`, `line 12: message`, `notes.docx: paragraph 12: message`, or just the message."""
    if line is None:
        return f"{file}: {message}" if file else message
    if unit != "line":
        return f"{file}: {unit} {line}: {message}" if file else f"{unit} {line}: {message}"
    return f"{file}:{line}: {message}" if file else f"line {line}: {message}"
