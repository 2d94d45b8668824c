"""Helping teachers write content: a starter file, and the format as JSON Schema for editors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from worksheetgen.errors import OutputError, WorksheetError
from worksheetgen.model import Content
from worksheetgen.output import write_atomic
from worksheetgen.resources import PACKAGE

SCHEMA_FILE = "content.schema.json"  # what README and the starter tell the teacher to write with `schema --out`

# Head nouns that name something that happened ("The 1905 Revolution", "The Murder of Kirov"):
# for these "Why did ... happen?" is the natural enquiry. Other titles (a state, a period, a
# person: "The Weimar Republic", "Elizabeth I") get a question about their significance.
_EVENT_NOUNS = frozenset(
    "abdication abolition act airlift armada assassination attack battle blitz blockade boycott campaign collapse "
    "conquest coup crash crisis crusade crusades depression disaster dissolution emancipation evacuation execution "
    "exodus expulsion famine fall fire genocide holocaust independence invasion landings march massacre migration "
    "murder mutiny partition plague plot pogrom pogroms protest protests purge purges putsch raid rebellion "
    "reformation reforms revolt revolution revolutions riot riots rise rising siege strike strikes terror trial "
    "trials unification uprising war wars".split()  # noqa: SIM905 - a word list reads better as one string
)


def title_problem(title: str) -> str | None:
    """Why `title` cannot name a topic, or None: it is printed on every sheet and names the file."""
    if not any(character.isalnum() for character in title):
        return 'a topic needs a title with at least one letter or number, such as "The 1905 Revolution"'
    return None


def key_question_for(title: str) -> str:
    """A sensible enquiry question for a new topic: the teacher replaces it with their own.

    "The 1905 Revolution" -> "Why did the 1905 Revolution happen?"; "The Weimar Republic" ->
    "Why was the Weimar Republic significant?"; a title that is already a question is kept.
    """
    title = " ".join(title.split())
    if title.endswith("?"):
        return title
    topic = _mid_sentence(title)
    if _head_noun(title) in _EVENT_NOUNS:
        return f"Why did {topic} happen?"
    return f"Why {'were' if _plural(title) else 'was'} {topic} significant?"


def essay_question_for(title: str) -> str:
    """The starter's exam-style question, matching its key question."""
    question = key_question_for(title)
    happen = re.fullmatch(r"Why did (.+) happen\?", question)
    if happen:
        return f"Explain why {happen.group(1)} happened."
    significant = re.fullmatch(r"Why (was|were) (.+) significant\?", question)
    if significant:
        return f"Explain why {significant.group(2)} {significant.group(1)} significant."
    return f"{question} Explain your answer."


def _mid_sentence(title: str) -> str:
    """'The Weimar Republic' -> 'the Weimar Republic': a leading article is lower case inside a question."""
    first, _, rest = title.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("The", "A", "An") else title


def _head_noun(title: str) -> str:
    """The noun a title is about: the last word before 'of' ('The Murder of Kirov' -> 'murder')."""
    words = re.split(r"\s+of\s+", title, maxsplit=1, flags=re.IGNORECASE)[0].split()
    return re.sub(r"\W", "", words[-1]).lower() if words else ""


def _plural(title: str) -> bool:
    """'The Tudors' is plural, 'The Weimar Republic' and 'Crisis' are not (a guess the teacher can fix)."""
    head = _head_noun(title)
    return head.endswith("s") and not head.endswith(("ss", "us", "is", "ics"))


def starter_text(title: str, file: str = "THIS_FILE", schema: str = SCHEMA_FILE) -> str:
    """A commented starter content file for `title` that validates and builds every kind.

    `file` is how its comments name it in commands; `schema` is the JSON Schema's path from it.
    """
    problem = title_problem(title)
    if problem:
        raise WorksheetError(problem)
    text = (PACKAGE / "starter.yaml").read_text(encoding="utf-8")
    return (
        text.replace("__TITLE__", _yaml_string(title.strip()))
        .replace("__QUESTION__", _yaml_string(key_question_for(title)))
        .replace("__ESSAY__", _yaml_string(essay_question_for(title)))
        .replace("__FILE__", file)
        .replace("__SCHEMA__", schema)
    )


def write_new(path: Path, title: str, *, force: bool = False) -> None:
    """Write a starter file, never over a teacher's existing file unless forced.

    Its editor comment points at `content.schema.json` in the folder worksheetgen runs in,
    where `worksheetgen schema --out content.schema.json` writes it.
    """
    if path.exists() and not force:
        raise OutputError(f"'{path}' already exists; choose another name with --out, or add --force to replace it")
    schema = _relative(Path.cwd() / SCHEMA_FILE, path.absolute().parent)
    shown = f'"{path}"' if " " in str(path) else str(path)  # as the teacher would type it in a command
    write_atomic(path, starter_text(title, shown, schema).encode("utf-8"))


def _relative(target: Path, folder: Path) -> str:
    """`target` as seen from `folder`, with forward slashes as editors expect (absolute across drives)."""
    try:
        return Path(os.path.relpath(target, folder)).as_posix()
    except ValueError:  # Windows: another drive
        return target.as_posix()


def content_schema() -> dict[str, Any]:
    """The content format as JSON Schema (draft 2020-12), for completion and inline errors.

    Text fields also accept numbers and booleans: an editor reads `date: 1934` as a number,
    but worksheetgen keeps it as the text "1934", so the editor must not call it an error.
    """
    schema = _widen_text(Content.model_json_schema())
    return {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "worksheetgen content"}


def _widen_text(node: Any) -> Any:
    if isinstance(node, dict):
        widened = {key: _widen_text(value) for key, value in node.items()}
        if widened.get("type") == "string" and "enum" not in widened:
            widened["type"] = ["string", "number", "boolean"]
        return widened
    if isinstance(node, list):
        return [_widen_text(item) for item in node]
    return node


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
