"""The draft's events, quotations and sources, read in one pass through the notes in order.

Split from `draft.py` because these three are read together: each sentence is dated against
the sentences before it (the year the notes are talking about) and a `he` or `she` is the last
person named, so a quotation gets its speaker and date and an event its year.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from worksheetgen.importer import causes as causes_
from worksheetgen.importer.dates import Calendar, When, year_in
from worksheetgen.importer.events import Dated, Happening, events_of, keep_key_events
from worksheetgen.importer.sentences import Sentence
from worksheetgen.importer.structure import Note, Notes, Section
from worksheetgen.importer.writing import Entry, unique_slug

MAX_EVENTS = 40
MAX_SOURCES = 6


def dated(
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


def event_entry(happening: Happening) -> Entry:
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


def quote_entry(quote: causes_.Quoted) -> Entry:
    fields: dict[str, Any] = {"text": quote.text, "speaker": quote.speaker}
    if quote.date is not None:
        fields["date"] = quote.date.label
    fields["attributed"] = True
    return Entry(fields, quote.line, {"text": "check the words, the speaker and where they were recorded"})


def source_entries(sources: list[causes_.Quoted]) -> list[Entry]:
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
