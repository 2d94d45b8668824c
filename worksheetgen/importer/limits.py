"""What an import writes always passes `worksheetgen validate`: every value within the content
limit, the file within the content size cap.

Notes can hold a paragraph of a megabyte, a definition line of 100,000 characters or a
5 MB passage; `validate` refuses a passage paragraph or a source's text over 20,000 characters
(model.MAX_TEXT), an evidence item over 500 (MAX_EVIDENCE), any other value over 1,000
(MAX_SENTENCE), and a content file over 2 MB (inputs.CONTENT). So a long passage paragraph is
split at sentence ends into paragraphs of its own, any other long value is cut at a word with
"…", and a passage that would make the file too big stops at a paragraph: each said with its line.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from worksheetgen import inputs
from worksheetgen.errors import ContentError, Problem
from worksheetgen.importer.sentences import SENTENCE_END
from worksheetgen.importer.structure import Note
from worksheetgen.importer.writing import Draft
from worksheetgen.model import MAX_EVIDENCE, MAX_SENTENCE, MAX_TEXT
from worksheetgen.wording import counted

PIECE = MAX_TEXT - 1_000  # characters in a value the import writes (cleaning the text can lengthen it a little)
LONG_VALUES = {("", "source_note"), ("sources", "text")}  # besides the passage, the values that may be MAX_TEXT


def _limit(list_name: str, key: str) -> int:
    """The longest value `validate` takes at this place."""
    return MAX_TEXT if (list_name, key) in LONG_VALUES else MAX_EVIDENCE if key == "evidence" else MAX_SENTENCE


def _piece(limit: int) -> int:
    return limit - limit // 20  # what the import writes: cleaning the text can lengthen it a little


ROOM = 16_000  # bytes left under the size cap for what a re-emitted draft adds (comments, continued titles)


def fit_values(draft: Draft, notes: list[Note]) -> None:
    """Split passage paragraphs longer than PIECE at sentence ends; cut any other value to what its place takes."""
    paragraphs: list[tuple[str, str, int]] = []
    for title, text, line in draft.paragraphs:
        pieces = split_text(text, PIECE)
        if len(pieces) > 1:
            notes.append(
                (
                    line,
                    f"a paragraph of {len(text):,} characters is split into {len(pieces)} (a value of a content "
                    f"file may be at most {MAX_TEXT:,} characters)",
                )
            )
        paragraphs.extend((title if n == 0 else f"{title} (continued)", p, line) for n, p in enumerate(pieces))
    draft.paragraphs = paragraphs
    for name in ("title", "key_question", "credit", "source_note", "spellings"):
        value = getattr(draft, name)
        if isinstance(value, str) and len(value) > _piece(_limit("", name)):
            setattr(draft, name, _cut(value, _limit("", name), name, None, notes))
    for list_name, entries in draft.lists.items():
        for index, entry in enumerate(entries):
            for key, value in entry.fields.items():
                where, limit = f"{list_name}[{index}].{key}", _limit(list_name, key)
                if isinstance(value, str) and len(value) > _piece(limit):
                    entry.fields[key] = _cut(value, limit, where, entry.line, notes)
                elif isinstance(value, list):
                    entry.fields[key] = [
                        _cut(v, limit, f"{where}[{n}]", entry.line, notes)
                        if isinstance(v, str) and len(v) > _piece(limit)
                        else v
                        for n, v in enumerate(value)
                    ]


def fit_file(
    draft: Draft, emit: Callable[[Draft], tuple[str, dict[str, int]]], name: str | None, notes: list[Note]
) -> tuple[str, dict[str, int]]:
    """The draft's YAML, under the content size cap: the passage stops at a paragraph, then statistics rows."""
    yaml_text, lines = emit(draft)
    limit = inputs.CONTENT.limit - ROOM
    dropped: list[tuple[str, str, int]] = []
    rows = 0
    while len(yaml_text.encode("utf-8")) > limit:
        excess = len(yaml_text.encode("utf-8")) - limit
        statistics = draft.lists.get("statistics") or []
        if len(draft.paragraphs) > 1:
            while len(draft.paragraphs) > 1 and excess > 0:
                dropped.insert(0, draft.paragraphs.pop())
                excess -= len(dropped[0][1].encode("utf-8"))
        elif statistics:
            rows += len(statistics) - len(statistics) // 2
            del statistics[len(statistics) // 2 :]
        else:
            raise ContentError(
                [Problem(name or "notes", "the notes make a content file over 2 MB, the most a content file may be")]
            )
        yaml_text, lines = emit(draft)
    if dropped:
        size = sum(len(text) for _, text, _ in dropped)
        notes.append(
            (
                dropped[0][2],
                f"the passage is cut short: its last {counted(len(dropped), 'paragraph')} ({size:,} characters, from "
                f"the section here on) would make the content file over {inputs.CONTENT.limit // inputs.MB} MB, the "
                "most `validate` reads; import them as notes of their own",
            )
        )
    if rows:
        left = counted(rows, "statistics row")
        notes.append((None, f"{left} left out at the end: the content file would be over 2 MB"))
    return yaml_text, lines


def split_text(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters, cut after a sentence's end where one is in reach, else at a
    space, else (a word longer than that) anywhere."""
    if len(text) <= size:
        return [text]
    ends = [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)]
    starts = [end for end, _ in ends]
    pieces: list[str] = []
    begin = 0
    while len(text) - begin > size:
        index = bisect.bisect_right(starts, begin + size) - 1
        if index >= 0 and ends[index][0] > begin:
            cut, resume = ends[index]
        else:
            space = text.rfind(" ", begin + 1, begin + size + 1)
            cut, resume = (space, space + 1) if space > begin else (begin + size, begin + size)
        piece = text[begin:cut].strip()
        if piece:
            pieces.append(piece)
        begin = resume
    rest = text[begin:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut(text: str, limit: int, where: str, line: int | None, notes: list[Note]) -> str:
    most = _piece(limit)
    space = text.rfind(" ", most // 2, most)
    cut = text[: space if space > 0 else most].rstrip() + "…"
    notes.append((line, f"{where}: cut to {len(cut):,} of its {len(text):,} characters (it may be at most {limit:,})"))
    return cut
