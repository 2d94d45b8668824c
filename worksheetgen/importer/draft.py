"""From notes to a draft: one pass that reads the structure, then each kind of content in turn.

source -> blocks -> sections -> sentences -> people, terms, events, causes, quotes and sources,
statistics, subject and key question -> YAML (checked) -> the import report

The glossary and people (`glossary.py`) and the events, quotations and sources read in order
(`dated.py`) are modules of their own; this one keeps the order of the steps, the passage,
causes, statistics and credit.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from worksheetgen.errors import ContentError, Problem
from worksheetgen.importer import causes as causes_
from worksheetgen.importer import limits, markdown_notes, topic, web_notes, wiki_notes, word_notes
from worksheetgen.importer import people as people_
from worksheetgen.importer.dated import dated, event_entry, quote_entry, source_entries
from worksheetgen.importer.glossary import glossary_entries, person_entry, same_person
from worksheetgen.importer.line_shapes import is_caps
from worksheetgen.importer.plain_notes import text_blocks
from worksheetgen.importer.reading import Source
from worksheetgen.importer.report import Fix, checklist
from worksheetgen.importer.sentences import Point, Sentence, Splitter, finish_sentence, looks_tokenised, untokenise
from worksheetgen.importer.structure import Block, Note, Notes, Section, outline, title_case
from worksheetgen.importer.writing import Draft, Entry, check_yaml, count_todos, emit_yaml, unique_slug
from worksheetgen.wording import counted

MAX_CAUSES = 20
MAX_QUOTES = 20
MAX_STATISTICS = 200  # rows of the notes' tables (a table of 50,000 rows passed validate's 100,000 values)
MAX_READ = 3000  # sentences read for events, terms, people and causes; the passage keeps everything
WIKI_LIMIT = 500_000  # characters: mwparserfromhell takes about a second per 100,000 (a long wiki article is 400,000)
MAX_SENTENCE = 2000  # characters: a longer "sentence" (a paste with no full stops) is kept in the passage, not read
TITLE_TODO = "TODO: write a title"
_MARKDOWN = re.compile(
    r"^\s{0,3}#{1,6}\s+\S|\A---\s*\n|\[[^\]\n]+\]\([^)\n]+\)|^\s{0,3}\[[^\]\n]+\]:\s+\S|^\s*```|^\s*\|.*\|\s*\n\s*\|\s*:?-{3}",
    re.MULTILINE,
)
INFOBOX_LABELS = frozenset("date dates time location place cause outcome result born died type also known as".split())


@dataclass(frozen=True)
class Imported:
    """What an import gives: the YAML, the warnings (each once, by line), the checklist, and the TODO count."""

    yaml: str
    warnings: list[str]
    checklist: list[Fix]
    todos: int


def convert(source: Source, *, title: str | None, name: str | None) -> tuple[str, list[Note], list[Fix], int]:
    """A read source -> (checked YAML, notes for the teacher, the checklist, TODO values left)."""
    notes: list[Note] = []
    blocks, front, page_title = _blocks(source, notes)
    structure = outline(blocks, front, notes, page_title)
    if not any(
        b.kind in ("para", "item", "fact", "term") and re.search(r"\w", b.text)
        for s in structure.sections
        for b in s.blocks
    ):
        raise ContentError([Problem(name or "notes", "no notes found: expected headings, points or sentences")])
    draft = build_draft(structure, title, source.unit, notes)
    limits.fit_values(draft, notes)
    yaml_text, lines = limits.fit_file(draft, lambda d: emit_yaml(d, name), name, notes)
    check_yaml(yaml_text, draft.data())
    todos = count_todos(yaml_text)
    return yaml_text, notes, checklist(draft, yaml_text, lines), todos


def _blocks(source: Source, notes: list[Note]) -> tuple[list[Block], dict[str, Any], str | None]:
    """The notes' blocks, by format: Word, a web page, wiki text, Markdown, or plain text."""
    if source.kind == "word":
        return list(word_notes.word_blocks(source.paragraphs, notes)), {}, None
    lines = [(number, part) for number, line in enumerate(source.lines, start=1) for part in line.split("\n")]
    if looks_tokenised([text for _, text in lines]):
        lines = [(number, untokenise(text)) for number, text in lines]
        notes.append((None, "the notes were tokenised (a space before every full stop and comma): joined up again"))
    if source.kind == "html":
        blocks, page_title = web_notes.html_blocks([text for _, text in lines], notes)
        return blocks, {}, page_title
    text = "\n".join(t for _, t in lines)
    wiki = wiki_notes.looks_like_wiki(text)
    if wiki and (len(text) > WIKI_LIMIT or wiki_notes.tangled_wiki(text)):
        notes.append((None, "wiki text this long or this tangled is read as plain text (its parser takes too long)"))
        wiki = False
    markdown = source.kind == "markdown" or bool(_MARKDOWN.search(text[:200_000]))
    if (wiki or markdown) and markdown_notes.markdown_too_long(lines):
        notes.append(
            (
                None,
                f"notes this long (over {markdown_notes.MARKDOWN_LINES:,} lines) are read as plain text, "
                "not as Markdown",
            )
        )
    elif wiki:
        converted = wiki_notes.wiki_to_markdown([t for _, t in lines], notes)
        blocks, front = markdown_notes.markdown_blocks(
            list(zip([n for n, _ in lines], converted, strict=False)), notes, html=False
        )
        return blocks, front, None
    elif markdown:
        blocks, front = markdown_notes.markdown_blocks(lines, notes, html=source.kind == "markdown")
        return blocks, front, None
    return text_blocks(lines, notes), {}, None


def build_draft(structure: Notes, given_title: str | None, unit: str, notes: list[Note]) -> Draft:
    """Everything the notes give, found by the rules of each module."""
    title = _title(structure, given_title, notes)
    sentences, points = _sentences(structure)
    if len(sentences) >= MAX_READ:
        notes.append(
            (
                sentences[-1].line,
                f"notes this long are read for events, terms, people and causes up to here ({MAX_READ} sentences)",
            )
        )
    plain = [(s.line, s.text) for s in sentences]
    people = people_.find_people(plain, notes)
    forms = {form: p.name for p in people for form in sorted(p.forms | {p.surname}, key=len, reverse=True)}
    glossary = glossary_entries(structure, sentences, people, notes)
    happenings, quotes, sources = dated(structure, sentences, forms, notes)
    subject, subject_how = topic.guess_subject(
        [t for _, t in plain] + [h.text for h in structure.headings], title, structure.front, len(happenings)
    )
    causes = _causes(structure, sentences, points, prose=subject not in ("Physics", "Chemistry", "Biology", "Science"))
    person_title = any(same_person(title, p.name) for p in people)
    body = " ".join(t for _, t in plain)
    question, how = topic.key_question(
        title, subject, [h.text for h in structure.headings] + [s.title for s in structure.sections], body, person_title
    )
    if len(plain) < 3:
        notes.append((None, f"only {counted(len(plain), 'sentence')} found: the gap-fill needs a longer passage"))
    return Draft(
        title=title,
        key_question=question,
        key_question_how=how,
        subject=subject,
        subject_how=subject_how,
        credit=_credit(structure),
        source_note=_joined([b.text.rstrip(":") for b in structure.meta if b not in _trailing(structure)]),
        paragraphs=_paragraphs(structure),
        lists={
            "glossary": glossary,
            "people": [person_entry(p) for p in people],
            "events": [event_entry(h) for h in happenings],
            "causes": _capped(_cause_entries(causes, subject), MAX_CAUSES, "suggested causes", notes),
            "quotes": _capped([quote_entry(q) for q in quotes], MAX_QUOTES, "quotations", notes),
            "sources": source_entries(sources),
            "statistics": _capped(_statistics(structure.tables, notes), MAX_STATISTICS, "statistics rows", notes),
        },
        unit=unit,
        spellings=_spellings(people),
    )


def _spellings(people: list[people_.Person]) -> str | None:
    """Names the notes spell more than one way, for the answer keys to accept (the teacher says which is right)."""
    spelt = [f"{p.name} (also {', '.join(p.variants)})" for p in people if p.variants]
    if not spelt:
        return None
    return f"The notes spell {'; '.join(spelt)} in more than one way: accept close spellings of these names."


# ------------------------------------------------------------------------------------------
# Title, passage, sentences
# ------------------------------------------------------------------------------------------


def _title(structure: Notes, given: str | None, notes: list[Note]) -> str:
    """The given title, else the notes' own (put in title case if it was in capitals)."""
    if given and given.strip():
        return " ".join(given.split())
    if not structure.title:
        notes.append((None, "no title found: give one with --title or edit `title:`"))
        return TITLE_TODO
    text = structure.title.rstrip(":").strip()
    if text.endswith(".") and is_caps(text):
        text = text.rstrip(".")
    if is_caps(text):
        notes.append((structure.title_line, "title was in capitals and has been put in title case: check it"))
        text = title_case(text)
    return text


def _passage_blocks(section: Section) -> list[Block]:
    """What goes into the passage: points, not a glossary's definitions, facts or tables."""
    if section.glossary:
        return []
    return [b for b in section.blocks if b.kind in ("para", "item")]


def _paragraphs(structure: Notes) -> list[tuple[str, str, int]]:
    """One paragraph of the passage per section of the notes."""
    result = []
    for section in structure.sections:
        blocks = [b for b in _passage_blocks(section) if re.search(r"\w", b.text)]
        if blocks:
            result.append((section.title, " ".join(finish_sentence(b.text) for b in blocks), blocks[0].line))
    if not result:
        first = next(b for s in structure.sections for b in s.blocks if re.search(r"\w", b.text))
        result.append(
            ("", finish_sentence(first.text if first.kind != "term" else f"{first.term}: {first.text}"), first.line)
        )
    return result


def _sentences(structure: Notes) -> tuple[list[Sentence], list[tuple[Section, Point]]]:
    """Every sentence of every point (passage points and facts), in the order of the notes."""
    sentences: list[Sentence] = []
    points: list[tuple[Section, Point]] = []
    splitter = Splitter()
    for section in structure.sections:
        for block in section.blocks:
            if len(sentences) >= MAX_READ:
                return sentences[:MAX_READ], points
            if block.kind == "term":
                continue
            text = block.text if block.kind == "fact" else finish_sentence(block.text)
            point = Point(text, block.line, block.starts, block.kind, block.quote, block.bold)
            points.append((section, point))
            if block.kind == "fact":
                sentences.append(Sentence(block.line, text, section, point))
                continue
            for line, text in point.sentences(splitter):
                if len(text) <= MAX_SENTENCE:
                    sentences.append(Sentence(line, text, section, point))
                    if len(sentences) >= MAX_READ:
                        break  # (the rest of a long paragraph is not split: nothing past here is read)
    return sentences[:MAX_READ], points


# ------------------------------------------------------------------------------------------
# Causes and statistics
# ------------------------------------------------------------------------------------------


def _causes(
    structure: Notes, sentences: list[Sentence], points: list[tuple[Section, Point]], prose: bool
) -> list[causes_.Cause]:
    """Causes from "why" sections (one a point) and, in History and Geography, from causal wording elsewhere."""
    found: list[causes_.Cause] = []
    for section, point in points:
        if section.why and point.kind in ("para", "item") and not section.glossary:
            label = re.match(r"^([^:.!?]{2,60}):\s", point.text)
            named = label.group(1).strip() if label and len(label.group(1).split()) <= 6 else None
            found.extend(causes_.find_causes(point.text, point.line, True, named))
    for sentence in sentences if prose else []:
        if not sentence.section.why and not sentence.section.glossary and sentence.point.kind != "fact":
            found.extend(causes_.find_causes(sentence.text, sentence.line, False, None))
    unique: dict[str, causes_.Cause] = {}
    for cause in found:
        unique.setdefault(cause.title.lower(), cause)
    return list(unique.values())


def _cause_entries(causes: list[causes_.Cause], subject: str) -> list[Entry]:
    entries = []
    ids: set[str] = set()
    for cause in causes:
        guess = f"{cause.category_why}; time-scale {cause.timescale_why}"
        if subject == "Geography" and cause.physical is not None:
            guess += "; a physical factor" if cause.physical else "; a human factor"
        fields: dict[str, Any] = {
            "id": unique_slug(cause.title, ids),
            "title": cause.title,
            "category": cause.category,
            "timescale": cause.timescale,
            "evidence": [cause.evidence],
        }
        entries.append(Entry(fields, cause.line, {"category": f"guess: {guess}"}))
    return entries


def _statistics(tables: list[Block], notes: list[Note]) -> list[Entry]:
    """Each data row of the notes' tables: label and value (never passage text)."""
    entries = []
    for table in tables:
        rows = [r for r in table.rows if any(c.strip() for c in r)]
        if not rows:
            continue
        header = rows[0] if not any(re.search(r"\d", c) for c in rows[0][1:]) and len(rows) > 1 else None
        for row in rows[1:] if header else rows:
            if len(row) < 2 or not re.search(r"\d", " ".join(row[1:])) or row[0].strip().lower() in INFOBOX_LABELS:
                continue
            label = row[0].strip()
            if header and len(header) > 1 and (re.search(r"\d{4}", label) or header[0].lower() in ("date", "year")):
                label = f"{header[1]}, {label}"
            value = (
                "; ".join(row[1:])
                if not header or len(row) == 2
                else "; ".join(f"{h}: {c}" for h, c in zip(header[1:], row[1:], strict=False))
            )
            fields: dict[str, Any] = {"label": label, "value": value}
            entries.append(
                Entry(fields, table.line, {"label": f"from the table: {table.text}" if table.text else "from a table"})
            )
        used = sum(1 for e in entries if e.line == table.line)
        if used:
            notes.append((table.line, f"table read into {counted(used, 'statistics row')}, not the passage"))
        else:
            notes.append((table.line, "table left out of the passage: its rows hold no numbers (write them as points)"))
    return entries


# ------------------------------------------------------------------------------------------
# Credit and helpers
# ------------------------------------------------------------------------------------------


def _credit(structure: Notes) -> str | None:
    texts = [b.text for b in sorted([*structure.credit, *_trailing(structure)], key=lambda b: b.line)]
    for key in ("source", "credit", "author"):
        value = structure.front.get(key)
        if isinstance(value, str) and value.strip():
            texts.insert(0, value.strip() if key != "author" else f"Notes by {value.strip()}")
            break
    return _joined(texts)


def _trailing(structure: Notes) -> list[Block]:
    """Lines about the notes after the last point: they say where the notes came from."""
    last = max((b.line for s in structure.sections for b in s.blocks), default=0)
    return [b for b in structure.meta if b.line > last]


def _joined(texts: list[str]) -> str | None:
    """Several credit lines as one: `A. B` or `A; B`."""
    result = ""
    for text in texts:
        text = re.sub(r"\s+", " ", text).strip()
        if result:
            result += " " if result.endswith((".", "!", "?")) else "; "
        result += text
    return result or None


def _capped(entries: list[Entry], limit: int, what: str, notes: list[Note]) -> list[Entry]:
    """The first `limit` entries; very long notes would make a file too long to check by hand."""
    taken = list(itertools.islice(entries, limit + 1))
    if len(taken) > limit:
        notes.append((taken[limit].line, f"{what} from here on were not listed (at most {limit} are)"))
    return taken[:limit]
