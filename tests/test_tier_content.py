"""What each tier holds, checked as a head of department would before photocopying (PEDAGOGY.md finish rules).

Every tier has the essential items, whatever the seed; the seed changes order and blanks, never
which events, terms and sources a tier gets; vocabulary is graded; no definition gives its own
term away; the support passage is shorter and its hints never solve the word bank; large numbers
may be given rounded; source keys are about their own source; and one topic's wording never
appears on another topic's sheets. Checked on the Document for seeds 0 to 9, and read back from
the PDF and DOCX for one seed.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import docx
import pytest

from tests.conftest import DATA, write_sheet
from tests.readback import docx_text, pdf_text, squash
from worksheetgen.document import Block, Box, Document, Gap, Paragraph, Table, Tier, WordBank, iter_text
from worksheetgen.loader import load_content
from worksheetgen.model import Content, Event, Level, Source
from worksheetgen.pipeline import Sheet, build_document, resolve_content
from worksheetgen.templating import search_path

SEEDS = range(10)
KINDS = ("gap-fill", "key-terms", "timeline", "source-analysis")
HISTORY = ("stalins-purges", "great-fire")  # topics with every part: essentials, levels, sources
# Words that belong to the shipped topic only: none may appear on another topic's sheets.
PURGES_ONLY = re.compile(r"purges?\b|Stalin|Kirov|NKVD|Yezhov|Russian names|Old Bolshevik", re.IGNORECASE)


@cache
def topic(name: str) -> Content:
    path = resolve_content(None) if name == "stalins-purges" else DATA / f"{name}.yaml"
    return load_content(path).content


@cache
def geography() -> Content:
    """The Geography test topic with example events and a source, so every kind has something to show."""
    content = topic("water-cycle")
    events = [
        Event(date="1802", title="Example: the main cloud types are named"),
        Event(date="1850", title="Example: rain gauges are set up across the country"),
        Event(date="1900", title="Example: the first national rainfall map", disputed="Example: the records disagree"),
        Event(date="1950", title="Example: a new reservoir is built"),
    ]
    source = Source(
        id="report",
        title="Example rainfall report",
        text="Example: the rain fell for three days and the river rose above its banks.",
        nature="An example report.",
        origin="An example writer, 1950.",
        purpose="To record the flood.",
        useful="Example: written by someone who measured the river.",
        limits="Example: it describes one river only.",
    )
    return content.model_copy(update={"events": events, "sources": [source, source.model_copy(update={"id": "b"})]})


def document(content: Content, kind: str, tier: Tier, key: bool = False, seed: int = 0) -> Document:
    return build_document(content, Sheet(kind, tier, key), seed, search_path())[0]


def text(content: Content, kind: str, tier: Tier, key: bool = False, seed: int = 0) -> str:
    return "\n".join(iter_text(document(content, kind, tier, key, seed).blocks))


def blocks_of(blocks: tuple[Block, ...]) -> list[Block]:
    """Every block in the tree, depth first."""
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Box):
            found += blocks_of(block.blocks)
        elif isinstance(block, Table):
            found += [b for row in block.rows for cell in row.cells for b in blocks_of(cell.blocks)]
    return found


# Essential items, the same for every seed ----------------------------------------------------------------


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("name", HISTORY)
def test_every_timeline_holds_every_essential_event_and_the_same_events_for_every_seed(name: str, tier: Tier) -> None:
    content = topic(name)
    essential = [e.title for e in content.events if e.essential]
    assert len(essential) >= 4
    sets = set()
    for seed in SEEDS:
        sheet = text(content, "timeline", tier, seed=seed)
        missing = [title for title in essential if title not in sheet]
        assert not missing, f"seed {seed}: {missing}"
        sets.add(frozenset(e.title for e in content.events if e.title in sheet))
    assert len(sets) == 1, "two pupils on one tier must get the same events"


def test_the_trigger_is_on_every_timeline_of_the_shipped_topic(shipped: Content, tmp_path: Path) -> None:
    kirov = next(e for e in shipped.events if e.title.startswith("Kirov shot"))
    assert kirov.essential
    for tier in Tier:
        assert squash(kirov.title) in squash(pdf_text(write_sheet(shipped, "timeline", tier, False, "pdf", tmp_path)))


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("name", HISTORY)
def test_every_key_terms_sheet_holds_every_essential_term_and_the_same_terms_for_every_seed(
    name: str, tier: Tier
) -> None:
    content = topic(name)
    essential = [t.term for t in content.glossary if t.essential]
    assert len(essential) >= 4
    sets = set()
    for seed in SEEDS:
        sheet = text(content, "key-terms", tier, seed=seed)
        numbered = set(re.findall(r"^\d+\. (.+)$", sheet, re.MULTILINE))
        assert set(essential) <= numbered, f"seed {seed}: {set(essential) - numbered}"
        printed = {line[3:] for line in sheet.splitlines() if re.match(r"[A-Z]\. ", line)}
        sets.add((frozenset(numbered), frozenset(printed)))
    assert len(sets) == 1, "two pupils on one tier must get the same terms and definitions"


@pytest.mark.parametrize("name", HISTORY)
def test_every_seed_gives_every_tier_the_same_sources(name: str) -> None:
    content = topic(name)
    for tier in Tier:
        titles = {
            tuple(s.title for s in content.sources if s.title in text(content, "source-analysis", tier, seed=seed))
            for seed in SEEDS
        }
        assert len(titles) == 1


# Graded vocabulary, and definitions that never give their own term away ----------------------------------


def terms_on(content: Content, tier: Tier) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text(content, "key-terms", tier), re.MULTILINE)


@pytest.mark.parametrize("name", HISTORY)
def test_support_gets_the_foundation_terms_and_challenge_the_demanding_ones(name: str) -> None:
    content = topic(name)
    level = {t.term: t.level for t in content.glossary}
    essential = {t.term for t in content.glossary if t.essential}
    for tier, wanted in ((Tier.support, Level.foundation), (Tier.challenge, Level.advanced)):
        on_sheet = set(terms_on(content, tier))
        others = {t for t in on_sheet - essential if level[t] is not wanted}
        left_out = {t for t in level if level[t] is wanted and t not in on_sheet}
        assert not (others and left_out), f"{tier.value} has {others} but not {left_out}"
    assert not {t for t in terms_on(content, Tier.support) if level[t] is Level.advanced}
    assert not {t for t in terms_on(content, Tier.challenge) if level[t] is Level.foundation} - essential


def test_the_shipped_vocabulary_is_graded_the_right_way_round(shipped: Content, tmp_path: Path) -> None:
    support = pdf_text(write_sheet(shipped, "key-terms", Tier.support, False, "pdf", tmp_path))
    challenge = pdf_text(write_sheet(shipped, "key-terms", Tier.challenge, False, "pdf", tmp_path))
    for term in ("purge", "show trial", "confession", "NKVD"):
        assert re.search(rf"\d+\. {term}\b", support) and re.search(rf"\d+\. {term}\b", challenge)
    for term in ("OGPU", "troika", "fifth column"):
        assert not re.search(rf"\d+\. {term}\b", support) and re.search(rf"\d+\. {term}\b", challenge)


def gives_away(definition: str, term: str) -> list[str]:
    """Main words of the term whose first five letters start a word of the definition ('Trots' in 'Trotsky')."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", definition)}
    stems = {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", term) if len(w) >= 4 or w.isupper()}
    return sorted(s for s in stems if any(w.startswith(s) for w in words))


@pytest.mark.parametrize("name", [*HISTORY, "water-cycle"])
def test_no_definition_names_its_own_term(name: str) -> None:
    content = topic(name)
    for term in content.glossary:
        for definition in (term.definition, term.simple or ""):
            assert not gives_away(definition, term.term), (term.term, definition)
    for tier in (Tier.support, Tier.core):
        for seed in SEEDS:
            sheet = document(content, "key-terms", tier, seed=seed)
            lettered = dict(re.findall(r"^([A-Z])\. (.+)$", "\n".join(iter_text(sheet.blocks)), re.MULTILINE))
            key = "\n".join(iter_text(document(content, "key-terms", tier, True, seed).blocks))
            for letter, definition in lettered.items():
                term = re.search(rf"^\d+\. (.+)\n{letter}\n", key, re.MULTILINE)
                if term:  # a distractor's row says "not used"
                    assert not gives_away(definition, term.group(1)), (term.group(1), definition)


# Gap-fill: a shorter support passage, hints that help without solving, rounded numbers ------------------


@pytest.mark.parametrize("name", HISTORY)
def test_support_passage_is_shorter_than_the_core_passage(name: str) -> None:
    def passage_words(tier: Tier) -> int:
        sheet = document(topic(name), "gap-fill", tier)
        return sum(len(" ".join(iter_text((b,))).split()) for b in sheet.blocks if isinstance(b, Paragraph))

    support, core = passage_words(Tier.support), passage_words(Tier.core)
    assert support < 0.6 * core, (support, core)


def hints_and_bank(sheet: Document) -> tuple[list[str], list[str]]:
    blocks = blocks_of(sheet.blocks)
    hints = [i.hint for b in blocks if isinstance(b, Paragraph) for i in b.inlines if isinstance(i, Gap) and i.hint]
    bank = [w for b in blocks if isinstance(b, WordBank) for w in b.words]
    return hints, bank


@pytest.mark.parametrize("name", [*HISTORY, "water-cycle"])
def test_first_letter_hints_never_solve_the_word_bank(name: str) -> None:
    content = topic(name)
    hinted = 0
    for seed in SEEDS:
        hints, bank = hints_and_bank(document(content, "gap-fill", Tier.support, seed=seed))
        firsts = Counter(word[0] for word in bank)
        for hint in hints:
            assert firsts[hint[0]] >= 2, f"seed {seed}: only one word in the bank starts with {hint[0]!r}"
        assert len({len(h) for h in hints}) <= 1, "a hint never shows the answer's length"
        hinted += len(hints)
    assert hinted, "some gaps show a first letter"


def test_seed_7_support_sheet_read_back_has_no_unique_first_letter(shipped: Content, tmp_path: Path) -> None:
    path = write_sheet(shipped, "gap-fill", Tier.support, False, "docx", tmp_path, seed=7)
    outer = docx.Document(str(path)).tables
    tables = [*outer, *(inner for table in outer for row in table.rows for cell in row.cells for inner in cell.tables)]
    bank_table = next(t for t in tables if t.rows[0].cells[0].text == "Word bank")  # beside the key words, in a panel
    bank = [c.text.strip() for row in bank_table.rows[1:] for c in row.cells if c.text.strip()]
    shown = re.findall(r"\(\d+\)\s(\w)_", docx_text(path))
    assert len(shown) >= 6
    firsts = Counter(word[0] for word in bank)
    assert all(firsts[letter] >= 2 for letter in shown), (shown, bank)


def test_challenge_key_accepts_rounded_large_numbers(shipped: Content, tmp_path: Path) -> None:
    pupil = pdf_text(write_sheet(shipped, "gap-fill", Tier.challenge, False, "pdf", tmp_path))
    assert "a rounded figure" in squash(pupil), "the sheet says an estimate is enough"
    table = docx.Document(str(write_sheet(shipped, "gap-fill", Tier.challenge, True, "docx", tmp_path))).tables[0]
    rows = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    assert "about 1.5 million" in rows["1,548,367"]
    assert "about 680,000" in rows["681,692"]
    for seed in SEEDS:  # whichever numbers a seed blanks, every large one may be given rounded
        key = text(shipped, "gap-fill", Tier.challenge, True, seed)
        for number in re.findall(r"^\d{1,3}(?:,\d{3})+$", key, re.MULTILINE):
            assert re.search(rf"^{number}\n.*about ", key, re.MULTILINE), number


# Source keys are about their own source --------------------------------------------------------------------


@pytest.mark.parametrize("name", HISTORY)
def test_every_source_has_its_own_provenance_notes(name: str) -> None:
    for source in topic(name).sources:
        assert source.useful and source.limits, source.id


@pytest.mark.parametrize("tier", list(Tier))
def test_source_keys_say_why_this_source_is_useful_and_limited(shipped: Content, tmp_path: Path, tier: Tier) -> None:
    key = squash(docx_text(write_sheet(shipped, "source-analysis", tier, True, "docx", tmp_path)))
    pupil = pdf_text(write_sheet(shipped, "source-analysis", tier, False, "pdf", tmp_path))
    on_sheet = [s for s in shipped.sources if squash(s.title) in squash(pupil)]
    assert on_sheet
    for source in shipped.sources:
        assert (squash(source.useful or "") in key) == (source in on_sheet), source.id
        assert (squash(source.limits or "") in key) == (source in on_sheet), source.id
    assert "what its makers wanted others to believe" not in key


# Subject-aware wording: one topic's text never on another's sheets ------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["great-fire", "tsar-abdication", "coastal-flooding", "water-cycle", "geography"])
def test_no_topic_specific_text_on_another_topics_sheets(name: str, kind: str) -> None:
    content = geography() if name == "geography" else topic(name)
    for tier in Tier:
        for key in (False, True):
            sheet = text(content, kind, tier, key)
            assert not PURGES_ONLY.search(sheet), (tier, key, PURGES_ONLY.search(sheet))
            if content.subject == "Geography":
                assert "historian" not in sheet.lower(), (tier, key)


def test_geography_wording_asks_about_physical_and_human_factors() -> None:
    content = geography()
    follow_up = text(content, "gap-fill", Tier.challenge)
    assert "physical or a human factor" in follow_up and "explain how water moves around the Earth" in follow_up
    assert "physical or a human factor" in text(content, "gap-fill", Tier.challenge, key=True)
    timeline = text(content, "timeline", Tier.challenge)
    assert "Which event made the biggest difference?" in timeline and "Not certain" in timeline


def test_history_wording_asks_about_reasons_historians_and_turning_points(shipped: Content) -> None:
    follow_up = text(shipped, "gap-fill", Tier.challenge)
    assert "explain two reasons why the purges happened" in follow_up
    assert "explain two reasons why the purges happened" not in text(topic("great-fire"), "gap-fill", Tier.challenge)
    timeline = text(shipped, "timeline", Tier.challenge)
    assert "Historians disagree" in timeline and "turning point" in timeline


def test_keys_name_the_topics_own_spelling_issues(shipped: Content) -> None:
    assert shipped.spellings and shipped.spellings in text(shipped, "gap-fill", Tier.core, key=True)
    fire = topic("great-fire")
    assert fire.spellings and fire.spellings in text(fire, "gap-fill", Tier.core, key=True)
    water = text(topic("water-cycle"), "gap-fill", Tier.core, key=True)
    assert "spellings" not in water and "Accept the alternatives listed." in water


# What a teacher is told when the content cannot be honoured ---------------------------------------------


def test_essential_items_that_cannot_be_used_are_reported() -> None:
    from worksheetgen.model import Term

    events = [Event(date=f"{1900 + i}", title=f"Event {i}", essential=True) for i in range(12)]
    glossary = [
        Term(term="Trotskyite", definition="A supporter of Trotsky.", essential=True),
        *(Term(term=f"word{i}", definition=f"Meaning number {i}.", essential=True) for i in range(8)),
    ]
    content = Content(
        title="T",
        key_question="Why?",
        events=[*events, Event(date="1905", title="Same year", essential=True)],
        glossary=glossary,
    )
    _, timeline_notes = build_document(content, Sheet("timeline", Tier.support), 0, search_path())
    assert any("'Same year' left out" in n for n in timeline_notes)
    assert any("12 essential events" in n and "all used" in n for n in timeline_notes)
    assert all(f"Event {i}" in text(content, "timeline", Tier.support) for i in range(12))
    _, term_notes = build_document(content, Sheet("key-terms", Tier.support), 0, search_path())
    assert any("'Trotskyite' left out: its definition names the term itself" in n for n in term_notes)
    assert any("8 essential terms" in n for n in term_notes)


def test_a_topic_without_a_support_passage_says_so() -> None:
    _, notes = build_document(topic("water-cycle"), Sheet("gap-fill", Tier.support), 0, search_path())
    assert any("no summary_support" in n for n in notes)


def test_bad_values_for_the_tier_fields_are_reported_with_their_place(tmp_path: Path) -> None:
    from worksheetgen.errors import WorksheetError

    path = tmp_path / "bad.yaml"
    path.write_text(
        "title: T\nkey_question: Why?\nglossary:\n  - term: a\n    definition: b\n    level: hard\n"
        "    essential: yes please\nsummary_support: just a string\n"
        "sources:\n  - {id: s, title: S, text: x, nature: n, origin: o, purpose: p, usefull: typo}\n",
        encoding="utf-8",
    )
    with pytest.raises(WorksheetError) as raised:
        load_content(path)
    message = str(raised.value)
    assert (
        "bad.yaml:6:12: glossary[0].level: expected one of 'foundation', 'core' or 'advanced', found 'hard'" in message
    )
    assert "glossary[0].essential: expected true or false, found 'yes please'" in message
    assert "summary_support: expected a list" in message
    assert "sources[0].usefull: unknown key 'usefull'; did you mean 'useful'?" in message
