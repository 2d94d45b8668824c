"""The draft's glossary and people: terms the notes define (or use a lot) and the people they name.

Split from `draft.py` because choosing terms is a long chain of rules of its own (which
definitions to trust, which capitalised words are places, which terms to add when the notes
define too few); `draft.build_draft` only calls `glossary_entries` and `person_entry`.
"""

from __future__ import annotations

import re
from typing import Any

from worksheetgen.importer import people as people_
from worksheetgen.importer import terms as terms_
from worksheetgen.importer.sentences import Sentence
from worksheetgen.importer.structure import Block, Note, Notes
from worksheetgen.importer.writing import Entry

MAX_TERMS = 20
MIN_TERMS = terms_.MIN_TERMS


def glossary_entries(
    structure: Notes, sentences: list[Sentence], people: list[people_.Person], notes: list[Note]
) -> list[Entry]:
    """Defined terms first (glossary sections, labels, defining sentences), then a few to define."""
    names = {form for p in people for form in p.forms | {p.name, p.surname}}
    found: list[terms_.Defined] = []
    last = sentences[-1].line if sentences else 0
    for section in structure.sections:
        if section.glossary:
            found.extend(terms_.glossary_lines(section))
        elif not section.why:
            listed = _glossary_run(section.blocks)
            found.extend(
                d
                for b in section.blocks
                if b.line <= last and b.kind in ("term", "item", "para")
                for d in [_block_definition(b, id(b) in listed)]
                if d is not None
            )
    previous = ""
    for sentence in sentences:
        if not sentence.section.glossary and sentence.point.kind != "fact":
            found.extend(terms_.prose_definitions(sentence.text, sentence.line, previous))
        previous = sentence.text
    capitals = _mid_sentence_capitals(sentences)
    chosen: dict[str, terms_.Defined] = {}
    for defined in found:
        if (
            defined.how == "the notes: “is a”"
            and " " not in defined.term
            and defined.term in capitals
            and not defined.plural
        ):
            continue  # `Boscastle is a small village`: a place, not a term (but `The Roundheads were ...` is one)
        term = terms_.tidy_term(defined.term, capitals)
        key = _term_key(term)
        if (
            term in names
            or key in chosen
            or not defined.definition
            or _term_key(defined.term) in {_term_key(n) for n in names}
        ):
            continue
        defined.term = term
        chosen[key] = defined
    if len(chosen) < MIN_TERMS:
        bold = [(s.line, phrase) for s in sentences for phrase in s.point.bold]
        for extra in terms_.suggested([(s.line, s.text) for s in sentences], bold, set(chosen), names):
            extra.term = terms_.tidy_term(extra.term, capitals)
            if len(chosen) >= MIN_TERMS:
                break
            chosen.setdefault(_term_key(extra.term), extra)
    body = " ".join(s.text for s in sentences)
    return [_term_entry(d, body) for d in sorted(chosen.values(), key=lambda d: d.line)[:MAX_TERMS]]


def _block_definition(block: Block, listed: bool) -> terms_.Defined | None:
    """A definition list's pair, a line in a run of `Term - definition` lines, or a labelled point that reads as one."""
    if block.kind == "term":
        return terms_.Defined(block.term, block.text, block.line, "the notes' definition list")
    if listed:
        label = terms_.split_label(block.text)
        return terms_.Defined(label[0], label[1], block.line, "the notes' list of terms") if label else None
    return terms_.label_definition(block.text, block.line)


def _glossary_run(blocks: list[Block]) -> set[int]:
    """Blocks in a run of two or more `Motte - an earth mound ...` lines: a glossary without its heading."""
    listed: set[int] = set()
    run: list[Block] = []
    for block in [*blocks, None]:
        label = terms_.split_label(block.text) if block is not None and block.kind in ("item", "para") else None
        if block is not None and label is not None and len(label[0].split()) <= 3 and label[1][:1].islower():
            run.append(block)
            continue
        if len(run) >= 2:
            listed.update(id(b) for b in run)
        run = []
    return listed


def _term_key(term: str) -> str:
    low = term.lower().replace("’", "'")
    return low[:-1] if low.endswith("s") and len(low) > 4 and not low.endswith("ss") else low


def _mid_sentence_capitals(sentences: list[Sentence]) -> set[str]:
    """Capitalised words and pairs written mid-sentence (proper names: `Diktat`, `Space Race`)."""
    found: set[str] = set()
    for sentence in sentences:
        for match in re.finditer(r"(?<=[a-z,] )([A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)*)", sentence.text):
            found.add(match.group(1))
    return found


def _term_entry(defined: terms_.Defined, body: str) -> Entry:
    """A glossary entry: the term, the notes' definition (or a TODO), and where it came from."""
    if defined.definition:
        fields: dict[str, Any] = {"term": defined.term, "definition": terms_.tidy_definition(defined.definition)}
        comment = f"from {defined.how}: keep it short for pupils"
    else:
        fields = {"term": defined.term, "definition": f"TODO: define '{defined.term}'"}
        comment = f"{defined.how}; not defined there"
    alternatives = [*defined.alternatives, *_head_alternative(defined.term, body)]
    if alternatives:
        fields["alternatives"] = alternatives
    return Entry(fields, defined.line, comments={"definition": comment})


def _head_alternative(term: str, body: str) -> list[str]:
    """`electric current` also answers as `current` when the notes use the bare word for it and nothing else."""
    words = term.split()
    if len(words) != 2 or not term.islower():
        return []
    head = words[1]
    uses = re.findall(rf"(?:(\b[a-z][\w-]*)\s+)?\b{re.escape(head)}\b", body, re.IGNORECASE)
    others = {
        w.lower() for w in uses if w and w.lower() not in terms_._EVERYDAY | terms_._FUNCTION and w.lower() != words[0]
    }
    bare = sum(1 for w in uses if not w or w.lower() in terms_._EVERYDAY | terms_._FUNCTION)
    return [head] if bare >= 3 and not others else []


def person_entry(person: people_.Person) -> Entry:
    """A person, with the role the notes give (to check) or a TODO."""
    after = (
        (f"also spelt in the notes: {', '.join(person.variants)} (check which is right)",) if person.variants else ()
    )
    fields: dict[str, Any] = {"name": person.name}
    short = _short_name(person.name)
    if short:
        fields["short"] = short
    if person.role:
        fields["role"] = person.role
        return Entry(fields, person.line, {"role": "the notes' words: check"}, after)
    fields["role"] = f"TODO: who was {person.name}?"
    return Entry(fields, person.line, after=after)


def _short_name(name: str) -> str | None:
    """How a sheet names them when the last word will not do: `Charles II` (not `II`), `James` (not `York`)."""
    if "," in name:
        return name.split(",")[0].strip()
    words = name.split()
    if len(words) > 1 and people_.ROMAN.match(words[-1]):
        given = [w for w in words[:-1] if w not in people_.TITLES]
        return " ".join([*given[-1:], words[-1]]) if given else None
    return None


def same_person(title: str, name: str) -> bool:
    strip = people_._key  # noqa: SLF001 - one rule for comparing names
    return strip(title) == strip(name) or title == name
