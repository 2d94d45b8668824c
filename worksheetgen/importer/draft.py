"""From notes to a draft: one pass that reads the structure, then each kind of content in turn.

source -> blocks -> sections -> sentences -> people, terms, events, causes, quotes and sources,
statistics, subject and key question -> YAML (checked) -> the import report
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from worksheetgen.errors import ContentError, Problem
from worksheetgen.importer import causes as causes_
from worksheetgen.importer import formats, topic
from worksheetgen.importer import people as people_
from worksheetgen.importer import terms as terms_
from worksheetgen.importer.dates import Calendar, When, year_in
from worksheetgen.importer.events import Dated, Happening, events_of, keep_key_events
from worksheetgen.importer.reading import Source
from worksheetgen.importer.report import Fix, checklist
from worksheetgen.importer.sentences import Point, finish_sentence, looks_tokenised, untokenise
from worksheetgen.importer.structure import Block, Note, Notes, Section, is_caps, outline, text_blocks, title_case
from worksheetgen.importer.writing import Draft, Entry, check_yaml, count_todos, emit_yaml
from worksheetgen.wording import counted

MAX_EVENTS = 40
MAX_CAUSES = 20
MAX_QUOTES = 20
MAX_SOURCES = 6
MAX_TERMS = 20
MAX_READ = 3000  # sentences read for events, terms, people and causes; the passage keeps everything
WIKI_LIMIT = 500_000  # characters: mwparserfromhell takes about a second per 100,000 (a long wiki article is 400,000)
MAX_SENTENCE = 2000  # characters: a longer "sentence" (a paste with no full stops) is kept in the passage, not read
MIN_TERMS = terms_.MIN_TERMS
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


@dataclass(frozen=True)
class Sentence:
    """A sentence of the notes with its line, the section it is in, and the point it belongs to."""

    line: int
    text: str
    section: Section
    point: Point


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
    yaml_text, lines = emit_yaml(draft, name)
    check_yaml(yaml_text, draft.data())
    todos = count_todos(yaml_text)
    return yaml_text, notes, checklist(draft, yaml_text, lines), todos


def _blocks(source: Source, notes: list[Note]) -> tuple[list[Block], dict[str, Any], str | None]:
    """The notes' blocks, by format: Word, a web page, wiki text, Markdown, or plain text."""
    if source.kind == "word":
        return list(formats.word_blocks(source.paragraphs, notes)), {}, None
    lines = [(number, part) for number, line in enumerate(source.lines, start=1) for part in line.split("\n")]
    if looks_tokenised([text for _, text in lines]):
        lines = [(number, untokenise(text)) for number, text in lines]
        notes.append((None, "the notes were tokenised (a space before every full stop and comma): joined up again"))
    if source.kind == "html":
        blocks, page_title = formats.html_blocks([text for _, text in lines], notes)
        return blocks, {}, page_title
    text = "\n".join(t for _, t in lines)
    if formats.looks_like_wiki(text) and len(text) > WIKI_LIMIT:
        notes.append(
            (None, f"wiki text longer than {WIKI_LIMIT:,} characters is read as plain text (it takes too long)")
        )
    elif formats.looks_like_wiki(text):
        converted = formats.wiki_to_markdown([t for _, t in lines], notes)
        blocks, front = formats.markdown_blocks(
            list(zip([n for n, _ in lines], converted, strict=False)), notes, html=False
        )
        return blocks, front, None
    if source.kind == "markdown" or _MARKDOWN.search(text[:200_000]):
        blocks, front = formats.markdown_blocks(lines, notes, html=source.kind == "markdown")
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
    glossary = _glossary(structure, sentences, people, notes)
    happenings, quotes, sources = _dated(structure, sentences, forms, notes)
    subject, subject_how = topic.guess_subject(
        [t for _, t in plain] + [h.text for h in structure.headings], title, structure.front, len(happenings)
    )
    causes = _causes(structure, sentences, points, prose=subject not in ("Physics", "Chemistry", "Biology", "Science"))
    person_title = any(_same_person(title, p.name) for p in people)
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
            "people": [_person_entry(p) for p in people],
            "events": [_event_entry(h) for h in happenings],
            "causes": _capped(_cause_entries(causes, subject), MAX_CAUSES, "suggested causes", notes),
            "quotes": _capped([_quote_entry(q) for q in quotes], MAX_QUOTES, "quotations", notes),
            "sources": _source_entries(sources),
            "statistics": _statistics(structure.tables, notes),
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
            sentences.extend(
                Sentence(line, text, section, point) for line, text in point.sentences() if len(text) <= MAX_SENTENCE
            )
    return sentences[:MAX_READ], points


# ------------------------------------------------------------------------------------------
# Glossary and people
# ------------------------------------------------------------------------------------------


def _glossary(
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


def _person_entry(person: people_.Person) -> Entry:
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


def _same_person(title: str, name: str) -> bool:
    strip = people_._key  # noqa: SLF001 - one rule for comparing names
    return strip(title) == strip(name) or title == name


# ------------------------------------------------------------------------------------------
# Events, quotations and sources (read in order, so each knows the year and the last person)
# ------------------------------------------------------------------------------------------


def _dated(
    structure: Notes, sentences: list[Sentence], forms: dict[str, str], notes: list[Note]
) -> tuple[list[Happening], list[causes_.Quoted], list[causes_.Quoted]]:
    """Events, quotations and the quotations that make sources, reading the notes in order."""
    calendar = Calendar(year_in(structure.title or ""))
    dated: list[Dated] = []
    quotes: list[causes_.Quoted] = []
    seen: set[tuple[str, str]] = set()
    names = _names_pattern(forms)
    last_person: str | None = _title_person(structure.title, forms)
    last_when: When | None = None
    last_section: Section | None = None
    last_text = ""
    for sentence in sentences:
        if sentence.section.glossary:
            continue
        if sentence.section is not last_section:
            last_when, last_section = None, sentence.section
        dates = calendar.read(sentence.text)
        for event in events_of(sentence.text, dates, sentence.line, last_person):
            key = (event.when.sort or event.when.label, " ".join(event.words.lower().split()))
            if key not in seen:
                seen.add(key)
                dated.append(event)
        found, skipped = causes_.find_quotes(sentence.text, sentence.line, forms, last_person)
        for quote in found:
            quote.date = _most_precise(dates) or last_when
            if not _most_precise(dates) and last_when is not None:
                before = causes_.nature_of(last_text)
                if before and (not quote.nature or quote.nature.startswith("Spoken words")):
                    quote.nature = before  # `... spoke to the House of Commons. “...” said he`
                quote.place = quote.place or causes_.place_of(last_text)
            if quote.date is None and calendar.year:
                quote.notes.append(f"the notes give no date: {calendar.year}, the year they were talking about")
            quotes.append(quote)
        for words in skipped:
            notes.append((sentence.line, f"quotation with no speaker near it not added to quotes: {words[:40]!r}"))
        last_person = _last_named(sentence.text, names, forms) or last_person
        last_text = sentence.text
        last_when = _most_precise(dates) or last_when
        sentence_year = calendar.year
        for quote in found:
            if quote.date is None and sentence_year:
                quote.date = When(0, 0, str(sentence_year), sentence_year, label=str(sentence_year))
    if len(dated) > MAX_EVENTS:
        notes.append(
            (None, f"{len(dated)} dated events: the {MAX_EVENTS} most precise and most talked about are listed")
        )
    mentions = (
        Counter(w for s in sentences for w in re.findall(r"\b[A-Z][a-z]{2,}\b", s.text))
        if len(dated) > MAX_EVENTS
        else {}
    )
    kept = [e.happening() for e in keep_key_events(dated, MAX_EVENTS, mentions)]
    return [h for h in kept if h is not None], quotes, _sources(quotes)[:MAX_SOURCES]


def _sources(quotes: list[causes_.Quoted]) -> list[causes_.Quoted]:
    """Quotations that make a source: a speaker and a day, or a diary, letter or speech; one per sentence."""
    sources: list[causes_.Quoted] = []
    for quote in quotes:
        if not (
            quote.date is not None and (quote.date.day or quote.nature) or quote.nature in ("A diary entry", "A letter")
        ):
            continue
        if sources and sources[-1].sentence == quote.sentence and sources[-1].speaker == quote.speaker:
            sources[-1].text = f"{sources[-1].text} … {quote.text}"
            continue
        sources.append(
            causes_.Quoted(
                quote.text,
                quote.speaker,
                quote.line,
                quote.sentence,
                quote.date,
                quote.nature,
                quote.place,
                list(quote.notes),
            )
        )
    return sources


def _title_person(title: str | None, forms: dict[str, str]) -> str | None:
    """Notes about one person (`Sir Winston Churchill`): a `he` with nobody named before is them."""
    if not title:
        return None
    return forms.get(title) or next((name for form, name in forms.items() if form == title.split()[-1]), None)


def _names_pattern(forms: dict[str, str]) -> re.Pattern[str] | None:
    """One search for every form of every name (longest first), rather than one search a name."""
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)")


def _last_named(text: str, names: re.Pattern[str] | None, forms: dict[str, str]) -> str | None:
    """The person named last in a sentence, if any."""
    found = list(names.finditer(text)) if names is not None else []
    return forms[found[-1].group(0)] if found else None


def _most_precise(dates: list[When]) -> When | None:
    dated = [w for w in dates if w.year]
    return max(dated, key=lambda w: w.precision) if dated else None


def _event_entry(happening: Happening) -> Entry:
    """An event: the date as a card shows it, its sort key, the title, and the sentence if it says more."""
    when = happening.when
    fields: dict[str, Any] = {"date": when.label}
    if when.sort:
        fields["sort"] = when.sort
    fields["title"] = happening.title
    if happening.title.rstrip("…").lower() != happening.detail.rstrip(".").strip().lower():
        fields["detail"] = happening.detail
    comments = {}
    if when.kind in ("decade", "century") or when.last_year:
        comments["sort"] = f"a span of years ({when.year}-{when.last_year}): sorted by its start"
    elif when.kind == "season":
        comments["sort"] = "a season: sorted from its first month"
    return Entry(fields, happening.line, comments)


def _quote_entry(quote: causes_.Quoted) -> Entry:
    fields: dict[str, Any] = {"text": quote.text, "speaker": quote.speaker}
    if quote.date is not None:
        fields["date"] = quote.date.label
    fields["attributed"] = True
    return Entry(fields, quote.line, {"text": "check the words, the speaker and where they were recorded"})


def _source_entries(sources: list[causes_.Quoted]) -> list[Entry]:
    """Draft sources: the quotation, who and when, and the provenance left to finish."""
    entries = []
    ids: set[str] = set()
    for quote in sources:
        date = quote.date.label if quote.date else ""
        origin = ", ".join(x for x in (quote.speaker, quote.place, date) if x)
        fields: dict[str, Any] = {
            "id": unique_slug(f"{quote.speaker} {date}", ids),
            "title": f"{quote.speaker}, {date}" if date else quote.speaker,
            "text": quote.text,
            "nature": quote.nature or "TODO: what kind of source is it (a speech, a letter, a diary)?",
            "origin": origin,
            "purpose": "TODO: why were these words said or written, and for whom?",
            "context": [quote.sentence],
        }
        comments = {
            "id": "DRAFT: check the words against a published source",
            "origin": "from the notes: check it" + (f"; {quote.notes[0]}" if quote.notes else ""),
        }
        entries.append(Entry(fields, quote.line, comments))
    return entries


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
