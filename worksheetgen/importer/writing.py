"""Writing the draft as YAML: block style, every string quoted, comments for the teacher.

The YAML is written by hand (PyYAML cannot write comments), then read back: it must load as
exactly the data meant, and that data must be valid content, before it is returned. The line
each list and entry starts on is kept, so the import report can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from worksheetgen.model import FROM_FILE, Content
from worksheetgen.yamltree import strings

TODO = "TODO:"
WRAP = 92
LISTS = ("glossary", "people", "events", "causes", "quotes", "sources", "statistics")

HEADER = """\
# Draft content imported from {source} by `worksheetgen import`.
#
# Everything here comes from the notes; nothing was invented. Before printing:
#   * Fill in every value that starts "TODO:" (the notes did not say), and check every
#     comment that says "guessed" or "check". `worksheetgen validate FILE` checks the file.
#   * Definitions, roles and causes are the notes' own words: keep them short for pupils.
#   * Events are the dated sentences, each with a `sort:` date; delete any that are not events.
#   * Quotations are marked `attributed: true`, and sources are drafts, until you have
#     checked who said them, when and where.
#   * Gaps are chosen automatically from the glossary, people's surnames, dates and numbers; to
#     choose your own, mark them in the summary as [[answer]].
#   * "line N" comments say which line of the notes an entry came from.
"""


@dataclass(frozen=True)
class Entry:
    """One list entry of the draft: its fields, the notes line, and comments for the teacher."""

    fields: dict[str, Any]
    line: int | None = None
    comments: dict[str, str] = field(default_factory=dict)  # field -> trailing comment
    after: tuple[str, ...] = ()  # comment lines after the entry


@dataclass
class Draft:
    """The whole draft content, in the order it is written."""

    title: str
    key_question: str
    key_question_how: str
    subject: str
    subject_how: str
    credit: str | None
    source_note: str | None
    paragraphs: list[tuple[str, str, int]]  # (section title, paragraph, line)
    lists: dict[str, list[Entry]]
    unit: str = "line"  # what `line N` comments count: lines, or a Word file's paragraphs
    spellings: str | None = None  # what keys should accept: names the notes spell more than one way

    def data(self) -> dict[str, Any]:
        """The plain data the YAML must read back as (and that must validate)."""
        data: dict[str, Any] = {"title": self.title, "key_question": self.key_question, "subject": self.subject}
        if self.credit:
            data["credit"] = self.credit
        if self.source_note:
            data["source_note"] = self.source_note
        if self.spellings:
            data["spellings"] = self.spellings
        data["summary"] = [p for _, p, _ in self.paragraphs]
        for name in LISTS:
            entries = self.lists.get(name) or []
            if entries:
                data[name] = [dict(e.fields) for e in entries]
        return data


EXPLANATIONS = {
    "glossary": "Terms the notes define (their own words), and a few they mark but do not define.",
    "people": "People the notes name, with the role they give where they give one.",
    "events": "Dated sentences: `date` as a timeline card shows it, `sort` to put them in order.",
    "causes": 'From causal wording ("because", "led to", "as a result of") and "why" headings: check them all.',
    "quotes": "Quoted words with the person who said them: check the words and the speaker.",
    "sources": "DRAFT sources made from quotations: check the words against a published source, then finish them.",
    "statistics": "Rows of the notes' tables.",
}


def emit_yaml(draft: Draft, source: str | None) -> tuple[str, dict[str, int]]:
    """The draft as readable YAML, and the line each part starts on (`key_question`, `events`, `events.3` ...)."""
    out = [HEADER.format(source=Path(source).name if source else "notes")]
    lines: dict[str, int] = {}

    def mark(key: str) -> None:
        lines[key] = sum(part.count("\n") + 1 for part in out) + 1

    mark("title")
    out.append(f"title: {quoted(draft.title)}")
    mark("key_question")
    how = f"  # {draft.key_question_how}: check it" if draft.key_question_how else ""
    out.append(f"key_question: {quoted(draft.key_question)}{how}")
    mark("subject")
    out.append(f"subject: {quoted(draft.subject)}  # {draft.subject_how}: check it")
    if draft.credit:
        out.append(f"credit: {quoted(draft.credit)}")
    if draft.source_note:
        out.append(f"source_note: {quoted(draft.source_note)}")
    if draft.spellings:
        out.append(f"spellings: {quoted(draft.spellings)}  # from the notes' own spellings: check it")
    out.append("\n# The passage for the gap-fill and for reading: one paragraph per section of the notes.")
    mark("summary")
    out.append("summary:")
    for title, paragraph, line in draft.paragraphs:
        out.append(f"  # {_comment(title) + ', ' if title else ''}from {draft.unit} {line}")
        out.append(f"  - {block_text(paragraph, 4)}")
    for name in LISTS:
        entries = draft.lists.get(name) or []
        out.append("")
        if not entries:
            out.append(f"# {name}: none found in the notes.")
            continue
        out.append(f"# {EXPLANATIONS[name]}")
        mark(name)
        out.append(f"{name}:")
        for index, entry in enumerate(entries):
            mark(f"{name}.{index}")
            out.extend(emit_entry(entry, draft.unit))
    return "\n".join(out) + "\n", lines


def emit_entry(entry: Entry, unit: str) -> list[str]:
    """One entry as a block mapping with its comments."""
    out = []
    for index, (key, value) in enumerate(entry.fields.items()):
        lead = "  - " if index == 0 else "    "
        comment = entry.comments.get(key, "")
        if index == 0 and entry.line is not None:
            comment = f"{unit} {entry.line}" + (f"; {comment}" if comment else "")
        out.append(f"{lead}{key}:{scalar_or_list(value, 6)}" + (f"  # {_comment(comment)}" if comment else ""))
    out.extend(f"    # {_comment(text)}" for text in entry.after)
    return out


def scalar_or_list(value: Any, indent: int) -> str:
    """` true`, ` "text"`, or a block list of quoted strings: what follows `key:`."""
    if isinstance(value, bool):
        return " true" if value else " false"
    if isinstance(value, list):
        return "".join(f"\n{' ' * indent}- {quoted(str(v))}" for v in value)
    return " " + quoted(str(value))


def quoted(text: str) -> str:
    """A double-quoted YAML scalar, escaping what YAML needs (and anything non-printable)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(
        r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]",
        lambda m: f"\\u{ord(m.group(0)):04x}",
        escaped,
    )
    return f'"{escaped}"'


def block_text(text: str, indent: int) -> str:
    """A long paragraph as a folded block (`>-`) wrapped for reading, when it folds back exactly."""
    width = WRAP - indent
    if len(text) <= width or not folds_back(text):
        return quoted(text)
    return ">-" + "".join(f"\n{' ' * indent}{line}" for line in wrap_words(text, width))


_NOT_FOLDABLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def folds_back(text: str) -> bool:
    """Words with single spaces between them, and nothing else YAML folding would change: it reads back exactly."""
    return not _NOT_FOLDABLE.search(text) and "  " not in text and text.strip(" ") == text


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters that end at a word's end (a longer word on its own line).

    The lines textwrap.wrap makes of single-spaced text without breaking words, found in one regex pass
    (a paragraph can be megabytes): each is the longest run that fits and is followed by a space or the end.
    """
    return re.findall(rf"[^ ].{{0,{width - 1}}}(?= |$)|[^ ]+", text)


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: one line."""
    return re.sub(r"\s+", " ", text).strip()


def check_yaml(text: str, data: dict[str, Any]) -> None:
    """The YAML must read back as exactly the data, and the data must be valid content as `validate`
    checks a file (values within the content limit)."""
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    if yaml.load(text, Loader=loader) != data:
        raise AssertionError("the importer wrote YAML that does not read back as intended")
    Content.model_validate(data, context=FROM_FILE)


def count_todos(text: str) -> int:
    """Values the teacher must still write, counted as `validate` counts them (gate.py): every
    value holding a `TODO` (not the word in the file's opening comment)."""
    from worksheetgen.gate import PLACEHOLDER  # here: the gate imports the kinds

    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    return sum(bool(PLACEHOLDER.search(value)) for value in strings(yaml.load(text, Loader=loader)))


def unique_slug(title: str, ids: set[str]) -> str:
    """`Unpopularity` -> `unpopularity`; a repeat gets `-2`, `-3`..."""
    words = re.findall(r"[a-z0-9]+", title.lower().encode("ascii", "ignore").decode())
    small = {"a", "an", "the", "of", "and", "to", "in", "on", "by", "for", "had", "was", "were", "is"}
    base = "-".join([w for w in words if w not in small][:5]) or "item"
    slug, n = base, 1
    while slug in ids:
        n += 1
        slug = f"{base}-{n}"
    ids.add(slug)
    return slug
