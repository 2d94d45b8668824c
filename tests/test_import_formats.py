"""Import, piece by piece: each format's structure, the date grammar, people, terms, causes, sources, the checklist."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from worksheetgen.errors import ContentError
from worksheetgen.importer import import_file, import_notes
from worksheetgen.importer.dates import Calendar, find_dates
from worksheetgen.importer.sentences import split_sentences
from worksheetgen.model import Content


def draft(text: str, name: str = "notes.txt", tmp_path: Path | None = None) -> tuple[dict, list[str]]:
    """Import text (as a file called `name` when tmp_path is given); the YAML as data, and the warnings."""
    if tmp_path is None:
        result = import_notes(text)
    else:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = import_file(path)
    data = yaml.safe_load(result.yaml)
    Content.model_validate(data)
    return data, result.warnings


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "sort"),
    [
        ("on Sunday 2 September 1666 in the bakery", "2 September 1666", "1666-09-02"),
        ("in a speech on June 5, 1947, he warned", "5 June 1947", "1947-06-05"),
        ("on the 25th of March, 1807, the bill", "25 March 1807", "1807-03-25"),
        ("on the fourth of October, nineteen fifty-seven, when", "4 October 1957", "1957-10-04"),
        ("in December nineteen seventy-two", "December 1972", "1972-12"),
        ("eighteen hundred and five", "1805", "1805"),
        ("in the summer of 1666", "Summer 1666", "1666-06"),
        ("between 26 May and 4 June 1940 troops", "26 May – 4 June 1940", "1940-05-26"),
        ("on 14–15 April 1912", "14–15 April 1912", "1912-04-14"),
        ("Between 1536 and 1541 Cromwell", "1536–1541", "1536"),
        ("By the 1520s Henry", "1520s", "1520"),
        ("in the early 1800s", "early 1800s", "1800"),
        ("in the early 1970s", "early 1970s", "1970"),
        ("in the 19th century", "19th century", "1800"),
        ("crowned on Christmas Day 1066", "25 December 1066", "1066-12-25"),
        ("In 1928 women won the vote", "1928", "1928"),
    ],
)
def test_the_date_grammar(text: str, label: str, sort: str) -> None:
    found = find_dates(text)
    assert [(w.label, w.sort) for w in found] == [(label, sort)], text


@pytest.mark.parametrize(
    "text",
    ["about 2,224 people on board", "1500 people died", "at 23:40 ship's time", "Apollo 11 landed", "a 4.2 earthquake"],
)
def test_quantities_and_times_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_a_day_without_a_year_takes_the_year_the_notes_were_talking_about() -> None:
    calendar = Calendar()
    assert [w.sort for w in calendar.read("Apollo 11 was launched on July 16, 1969.")] == ["1969-07-16"]
    assert [w.sort for w in calendar.read("Four days later, on July 20, they landed.")] == ["1969-07-20"]
    assert [w.sort for w in calendar.read("On the twenty-fifth of May he spoke.")] == ["1969-05-25"]


def test_each_clause_gets_its_own_date_and_no_exact_day_is_dropped() -> None:
    data, _ = draft(
        "The Peasants' Revolt\n\n"
        "The rebels entered London on 13 June 1381, and their leader Wat Tyler was killed on 15 June 1381.\n"
        "Henry VIII became king on 21 April 1509, and in June 1509 he married Catherine of Aragon.\n"
        "The Ordinance of Labourers of 1349 and the Statute of Labourers of 1351 tried to keep wages at the levels"
        " of 1346.\n"
    )
    events = [(e["sort"], e["title"]) for e in data["events"]]
    assert events == [
        ("1381-06-13", "The rebels entered London"),
        ("1381-06-15", "Their leader Wat Tyler was killed"),
        ("1509-04-21", "Henry VIII became king"),
        ("1509-06", "Henry VIII married Catherine of Aragon"),
        ("1349", "The Ordinance of Labourers tried to keep wages at the levels of 1346"),
        ("1351", "The Statute of Labourers tried to keep wages at the levels of 1346"),
    ]


# --- sentences ---------------------------------------------------------------------------------


def test_sentences_are_not_split_at_abbreviations_initials_or_numbers() -> None:
    text = (
        "Dr. Smith arrived in St Andrews. He met John Q. Adams there. The population rose to 2,500 by 1850. "
        "At 8:32 a.m. the mountain exploded. It was born c. 1750 in the U.S. and lived long."
    )
    assert [s for _, s in split_sentences(text)] == [
        "Dr. Smith arrived in St Andrews.",
        "He met John Q. Adams there.",
        "The population rose to 2,500 by 1850.",
        "At 8:32 a.m. the mountain exploded.",
        "It was born c. 1750 in the U.S. and lived long.",
    ]


def test_tokenised_text_is_joined_up_again() -> None:
    data, warnings = draft(
        "The Plague , 1665\n\nThe plague killed about 100,000 people in London . "
        "Contemporaries called it `` the great visitation '' .\nThe Peasants ' Revolt came much earlier , in 1381 .\n"
    )
    assert data["summary"][0].startswith("The plague killed about 100,000 people in London. Contemporaries called it")
    assert "“the great visitation”" in data["summary"][0] and "Peasants’ Revolt" in data["summary"][0]
    assert "the notes were tokenised (a space before every full stop and comma): joined up again" in warnings


# --- structure of each format -------------------------------------------------------------------


def test_markdown_front_matter_reference_links_footnotes_images_and_tables(tmp_path: Path) -> None:
    data, warnings = draft(
        "---\ntitle: The Plague\nsubject: History\nauthor: Mr T. Lee\n---\n\n# Plague notes\n\n"
        "![a map](map.png)\n\nThe plague reached [London][ldn] in 1665.[^1] It spread fast.\n\n"
        "| Year | Deaths |\n|---|---|\n| 1665 | 68,596 |\n\n[^1]: From the Bills of Mortality.\n\n"
        "[ldn]: https://example.org/london\n",
        "plague.md",
        tmp_path,
    )
    assert (data["title"], data["subject"], data["credit"]) == ("The Plague", "History", "Notes by Mr T. Lee")
    assert data["summary"] == ["The plague reached London in 1665. It spread fast."]
    assert data["statistics"] == [{"label": "Deaths, 1665", "value": "68,596"}]
    passage = " ".join(data["summary"])
    assert not any(debris in passage for debris in ("[", "]", "http", "Bills of Mortality", "map", "---", "|"))
    assert any("citation marker [^1] removed" in w for w in warnings) and any("picture left out" in w for w in warnings)


def test_wiki_text_templates_pictures_references_and_bold_terms() -> None:
    data, warnings = draft(
        "{{Infobox war|date=1642}}\n[[File:Cromwell.jpg|thumb|Oliver Cromwell in 1649]]\n"
        "The '''English Civil War''' was a series of wars between 1642 and 1651.<ref>{{cite book|title=X}}</ref>\n"
        "== Causes ==\nThe '''Roundheads''' were supporters of [[Parliament of England|Parliament]].\n"
        "[[Category:Wars]]\n"
    )
    assert data["title"] == "English Civil War"
    assert data["summary"][0] == "The English Civil War was a series of wars between 1642 and 1651."
    assert {"term": "Roundheads", "definition": "Supporters of Parliament."} in data["glossary"]
    assert not any("{" in p or "[" in p or "Cromwell.jpg" in p for p in data["summary"])
    assert any("wiki template {{Infobox war}} left out" in w for w in warnings)


def test_a_saved_web_page_loses_its_menus_scripts_and_footers(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Rivers | GeoSite</title><script>var x = 1;</script><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/rivers'>Rivers</a></nav><div class='cookie-banner'>We use cookies</div>"
        "<main><h1>River processes</h1><p>Erosion wears away the river bed.</p>"
        "<ul><li>Abrasion: rocks carried by the river wear away the bed.</li></ul>"
        "<table><tr><th>River</th><th>Length</th></tr><tr><td>Thames</td><td>346 km</td></tr></table></main>"
        "<footer>© 2024 GeoSite. Privacy policy</footer></body></html>"
    )
    data, _ = draft(page, "rivers.html", tmp_path)
    assert data["title"] == "River processes"
    passage = " ".join(data["summary"])
    assert "Erosion wears away the river bed." in passage
    assert not any(word in passage for word in ("Home", "cookies", "var x", "GeoSite", "Privacy", "346"))
    assert data["statistics"] == [{"label": "Thames", "value": "346 km"}]


def test_a_word_file_with_heading_styles_lists_and_a_table(tmp_path: Path) -> None:
    from tests.corpus import CORPUS

    result = import_file(CORPUS / "weimar-republic.docx")
    data = yaml.safe_load(result.yaml)
    assert data["title"] == "The Weimar Republic, 1918-1923"
    assert "# A difficult start, from paragraph 4" in result.yaml
    assert [s["label"] for s in data["statistics"]] == [
        "Marks to one dollar, July 1914",
        "Marks to one dollar, January 1923",
        "Marks to one dollar, November 1923",
    ]
    assert not any("4,200,000,000,000" in p for p in data["summary"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", r"expected a Word file \(\.docx\)"),
        ("zip-without-body", "not a Word document: it has no word/document.xml"),
    ],
)
def test_a_broken_word_file_is_a_clear_error(tmp_path: Path, content: bytes | str, message: str) -> None:
    path = tmp_path / "notes.docx"
    if content == "zip-without-body":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("word/styles.xml", "<styles/>")
        content = buffer.getvalue()
    assert isinstance(content, bytes)
    path.write_bytes(content)
    with pytest.raises(ContentError, match=message):
        import_file(path)


def test_plain_text_headings_are_told_apart_from_captions_and_facts() -> None:
    data, warnings = draft(
        "The Railways\n\nKey words\nLocomotive - an engine that pulls a train.\n"
        "Navvy - a labourer who built railways.\n\n"
        "Early lines.\nThe Stockton and Darlington Railway opened on 27 September 1825.\n"
        "Figure 2: Locomotion No. 1 at Darlington\nIt carried coal and passengers.\n\n"
        "Born\n9 June 1781, Wylam\nDied\n12 August 1848, Chesterfield\n"
    )
    assert data["title"] == "The Railways"
    assert [(t["term"], t["definition"]) for t in data["glossary"]] == [
        ("locomotive", "An engine that pulls a train."),
        ("navvy", "A labourer who built railways."),
    ]
    assert data["summary"][0] == (
        "The Stockton and Darlington Railway opened on 27 September 1825. It carried coal and passengers."
    )
    assert not any("Figure 2" in p or "Locomotive - an engine" in p for p in data["summary"])
    assert any("caption left out of the passage: 'Figure 2" in w for w in warnings)
    assert [e["sort"] for e in data["events"]] == ["1825-09-27", "1781-06-09", "1848-08-12"]


# --- people, terms, causes, quotations and sources -------------------------------------------


def test_people_are_names_never_places_ships_documents_or_bodies() -> None:
    data, _ = draft(
        "The Titanic\n\nRMS Titanic left Southampton on 10 April 1912 under Captain Edward Smith. "
        "The Carpathia rescued survivors. The Board of Trade rules and the Merchant Shipping Act were old. "
        "Harland and Wolff built her in Belfast. The lookout Frederick Fleet saw the iceberg. "
        "J. Bruce Ismay survived.\n"
    )
    assert [p["name"] for p in data["people"]] == ["Captain Edward Smith", "Frederick Fleet", "J. Bruce Ismay"]
    assert data["people"][1]["role"] == "Lookout"


def test_defining_sentences_give_terms_and_common_words_never_do() -> None:
    data, _ = draft(
        "Volcanoes\n\nA lahar is a mudflow of volcanic ash and water. Magma, that is to say molten rock, rises. "
        "Those who study volcanoes are known as volcanologists. Three big eruptions happened and many people left. "
        "The word caldera means a large crater made when a volcano collapses.\n"
    )
    assert [(t["term"], t["definition"]) for t in data["glossary"]] == [
        ("lahar", "A mudflow of volcanic ash and water."),
        ("magma", "Molten rock."),
        ("volcanologists", "People who study volcanoes."),
        ("caldera", "A large crater made when a volcano collapses."),
    ]


def test_causes_come_from_causal_language_never_fragments_connectives_or_negations() -> None:
    data, _ = draft(
        "Why the Corn Laws went\n\nBread was dear because the Corn Laws kept out cheap foreign grain. "
        "Meanwhile, the Irish famine led to calls for cheap food. This was not the only reason. "
        "As a result of the Anti-Corn Law League's campaign, Peel changed his mind.\n"
    )
    titles = [c["title"] for c in data["causes"]]
    assert titles == [
        "The Corn Laws kept out cheap foreign grain",
        "The Irish famine",
        "The Anti-Corn Law League's campaign",
    ]
    assert data["causes"][0]["category"] == "economic"


def test_a_dated_quotation_with_its_speaker_becomes_a_draft_source_and_a_split_one_is_joined() -> None:
    data, _ = draft(
        "Abolition\n\nOn 12 May 1789 Mr. Wilberforce spoke to the House of Commons. “So enormous, so dreadful,” said"
        " he, “that my mind was made up.” The motion failed.\n"
    )
    assert [(q["speaker"], q["text"]) for q in data["quotes"]] == [
        ("Wilberforce", "So enormous, so dreadful, that my mind was made up.")
    ]
    source = data["sources"][0]
    assert (source["title"], source["origin"], source["nature"]) == (
        "Wilberforce, 12 May 1789",
        "Wilberforce, 12 May 1789",
        "A speech in the House of Commons",
    )
    assert source["purpose"].startswith("TODO:")


# --- subject, key question and the checklist ---------------------------------------------------


@pytest.mark.parametrize(
    ("notes", "subject", "question"),
    [
        (
            "The Gunpowder Plot\n\nIn 1605 Catholic plotters planned to blow up Parliament and the King.\n",
            "History",
            "Why was the Gunpowder Plot important?",
        ),
        (
            "The Boxing Day Tsunami\n\nThe earthquake in 2004 caused a tsunami; waves flooded the coast.\n",
            "Geography",
            "What were the causes and effects of the Boxing Day Tsunami, and how did people respond?",
        ),
        (
            "Forces - Year 7 Physics\n\nA force is a push or a pull. Forces are measured in newtons.\n",
            "Physics",
            "How do forces work?",
        ),
    ],
)
def test_subject_and_key_question_are_suggested(notes: str, subject: str, question: str) -> None:
    data, _ = draft(notes)
    assert (data["subject"], data["key_question"]) == (subject, question)


def test_the_checklist_puts_the_most_useful_fix_first_each_with_its_yaml_line(tmp_path: Path) -> None:
    from tests.corpus import CORPUS

    result = import_file(CORPUS / "great-fire-of-london.md")
    lines = result.yaml.splitlines()
    assert [fix.unlocks for fix in result.checklist] == sorted((f.unlocks for f in result.checklist), reverse=True)
    texts = [fix.text for fix in result.checklist]
    assert texts[0].startswith("add 1 more cause to build diamond-nine: diamond-nine needs at least 4 causes, found 3")
    assert texts[2].startswith("add 1 more defined term to build key-terms: key-terms needs at least 4 terms")
    for fix in result.checklist:
        assert 1 <= fix.line <= len(lines)
    people = next(f for f in result.checklist if f.text.startswith("say who"))
    assert '"TODO: who was' in lines[people.line - 1]


def test_the_cli_prints_each_warning_once_then_the_checklist(tmp_path: Path) -> None:
    from tests.test_cli import invoke as run  # in this process: the process is not what this checks

    notes = tmp_path / "notes.txt"
    notes.write_text("The Fire\n\nIt began on 2 September 1666.[1] It spread.[1]\n\nWhy did it spread?\n\n- Wind.\n")
    result = run("import", str(notes))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == len(set(warnings)) and warnings
    assert f"Wrote {tmp_path / 'notes.yaml'}" in result.stdout and "To finish it, most useful first:" in result.stdout
    assert f"{tmp_path / 'notes.yaml'}:" in result.stdout


def test_a_word_file_that_unpacks_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheetgen.importer import reading

    monkeypatch.setattr(reading, "MAX_XML_BYTES", 10_000)  # the same check as for 50 MB, without writing 50 MB
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", "<w:document>" + " " * 20_000 + "</w:document>")
    with pytest.raises(ContentError, match=r"word/document.xml is 20,025 bytes unpacked: too large for notes"):
        import_file(path)


@pytest.mark.parametrize(
    "notes",
    [
        "“" * 20_000 + " Smith said so.",
        "word " * 40_000,
        "Sir John Smith " * 12_000 + ".",
        "The army fell because " * 8_000 + ".",
        "{{Infobox\n| a = b\n}}\n'''Bold''' [[link|text]] <ref>x</ref>\n== H ==\n" * 400,
    ],
    ids=["open-quotes", "no-full-stop", "capital-run", "because-chain", "wiki-templates"],
)
def test_hostile_notes_finish_quickly(notes: str) -> None:
    import time

    start = time.perf_counter()
    text = import_notes(notes).yaml
    assert time.perf_counter() - start < 30  # a hang guard (these were quadratic), not a benchmark
    Content.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize("value", ["abc", "1e9", "-1", ""])
def test_a_word_outline_level_that_is_not_a_number_is_no_level(tmp_path: Path, value: str) -> None:
    """Fifth red-team pass: `<w:outlineLvl w:val="abc"/>` was a ValueError traceback."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = docx.Document()
    heading = word.add_paragraph("The Great Terror")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), value)
    heading._p.get_or_add_pPr().append(level)
    word.add_paragraph("In 1937 the NKVD arrested about 1.5 million people.")
    word.styles["Heading 1"].element.get_or_add_pPr().append(OxmlElement("w:outlineLvl"))
    word.styles["Heading 1"].element.pPr[-1].set(qn("w:val"), value)
    path = tmp_path / "notes.docx"
    word.save(str(path))
    assert "1.5 million" in import_file(path).yaml


def test_front_matter_nested_thousands_deep_is_left_out_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\ntitle: x\ndeep: " + "[" * 3000 + "]" * 3000 + "\n---\n# Causes\nStalin feared rivals.\n")
    imported = import_file(path)
    assert "Stalin feared rivals" in imported.yaml


def test_a_word_file_of_millions_of_empty_paragraphs_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Fifth red-team pass: 70 KB unpacking to 8,000,000 `<w:p/>` took 3.6 GB and over 120 s."""
    import time

    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    body += b"<w:p/>" * 2_000_000 + b"</w:body></w:document>"
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", body)
    started = time.monotonic()
    with pytest.raises(ContentError, match="XML tags"):
        import_file(path)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "text",
    [
        "== Causes ==\n'''Weimar''' " + "{{a|" * 6000 + "\n",
        "== Causes ==\n'''Weimar''' " + "<ref>x</ref> " * 30_000 + "\n",
    ],
    ids=["unclosed-templates", "many-references"],
)
def test_wiki_text_too_tangled_for_its_parser_is_read_as_plain_text(text: str) -> None:
    """Fifth red-team pass: the wiki parser took 39 s over 24 KB of unclosed templates."""
    import time

    started = time.monotonic()
    imported = import_notes(text)
    assert time.monotonic() - started < 10
    assert any("read as plain text" in warning for warning in imported.warnings)


def _cpu_seconds(run: object) -> float:
    """CPU seconds a call takes (not wall time: other processes on the machine do not count)."""
    import time

    start = time.process_time()
    run()  # type: ignore[operator]
    return time.process_time() - start


def test_markdown_with_pathological_emphasis_is_read_as_plain_text_within_a_budget(tmp_path: Path) -> None:
    """`*a **a ` repeated to 1.4 MB took 14 s (4.9 MB: 90 s and 1.5 GB) in markdown-it-py's inline parser."""
    path = tmp_path / "notes.md"
    path.write_text("# The purges\n\nStalin's **terror** grew in 1937.\n\n" + "*a **a " * 200_000 + "\n")
    result: list[object] = []
    seconds = _cpu_seconds(lambda: result.append(import_file(path)))
    imported = result[0]
    assert seconds < 10, seconds  # a hang guard: 1.4 s here
    assert any(
        w.startswith(f"{path}:5: Markdown with this much markup (over 40,000 characters such as * _ [ `")
        and "1 paragraph not read for bold" in w
        for w in imported.warnings  # type: ignore[attr-defined]
    ), imported.warnings  # type: ignore[attr-defined]
    text = imported.yaml  # type: ignore[attr-defined]
    assert 'title: "The purges"' in text and "terror" in text and "**" not in text
    Content.model_validate(yaml.safe_load(text))


def test_markdown_paragraphs_within_the_budget_keep_their_bold_and_links(monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheetgen.importer import markdown_notes

    monkeypatch.setattr(markdown_notes, "MARKDOWN_MARKS", 40)
    notes = "# Terror\n\nThe **NKVD** arrested [Kirov's](http://x) killers.\n\n" + "More *words* here. " * 20 + "\n"
    said: list[tuple[int | None, str]] = []
    blocks, _ = markdown_notes.markdown_blocks(list(enumerate(notes.split("\n"), start=1)), said)
    assert [b.text for b in blocks][:2] == ["Terror", "The NKVD arrested Kirov's killers."]
    assert blocks[1].bold == ("NKVD",)
    assert "*" not in blocks[2].text and "More words here." in blocks[2].text and blocks[2].bold == ()
    assert [line for line, message in said if "read as plain text" in message] == [5]


def test_markdown_of_more_lines_than_the_parser_reads_quickly_is_plain_text(tmp_path: Path) -> None:
    """markdown-it-py takes 20-130 microseconds a line: 1.2 million list items took minutes."""
    path = tmp_path / "notes.md"
    path.write_text("# Dates\n\n" + "".join(f"1. Point {i} about 1934.\n" for i in range(25_000)))
    result: list[object] = []
    seconds = _cpu_seconds(lambda: result.append(import_file(path)))
    assert seconds < 10, seconds
    warnings = result[0].warnings  # type: ignore[attr-defined]
    assert f"{path}: notes this long (over 20,000 lines) are read as plain text, not as Markdown" in warnings


def test_notes_of_more_lines_than_a_teacher_writes_are_refused_at_once(tmp_path: Path) -> None:
    """4.9 MB of one-word lines (1.2 million) took 20 s of CPU and 740 MB to read for their structure."""
    from tests.test_cli import run

    notes = tmp_path / "words.md"
    notes.write_text("- a\n" * 1_225_000)
    result: list[object] = []
    seconds = _cpu_seconds(lambda: result.append(pytest.raises(ContentError, import_file, notes)))
    assert seconds < 2, seconds
    assert str(result[0].value.problems[0]) == (  # type: ignore[attr-defined]
        f"{notes}: expected notes of at most 100,000 lines (a long chapter has 5,000), found 1,225,001: "
        "is it the right file? Import the part you need"
    )
    cli = run("import", str(notes))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr and not (tmp_path / "words.yaml").exists()
    assert cli.stderr.splitlines()[-1].startswith(f"error: {notes}: expected notes of at most 100,000 lines")
    old_mac = tmp_path / "old-mac.txt"
    old_mac.write_text("a\r" * 100_001, newline="")
    with pytest.raises(ContentError, match="at most 100,000 lines"):
        import_file(old_mac)


def test_a_markdown_table_of_a_million_cells_is_read_as_text(tmp_path: Path) -> None:
    """A table of 1,000 columns x 2,400 rows (4.8 MB) took 66 s of CPU and 3.2 GB: markdown-it makes three
    tokens a cell before anything is read. Past 20,000 `|` in the notes, tables are text (here 300 x 100)."""
    path = tmp_path / "notes.md"
    row = "|" + "a|" * 300 + "\n"
    path.write_text("# Counts\n\nThe Tsar fell in 1917.\n\n" + row + "|" + "-|" * 300 + "\n" + row * 100)
    result: list[object] = []
    seconds = _cpu_seconds(lambda: result.append(import_file(path)))
    assert seconds < 10, seconds
    warnings = result[0].warnings  # type: ignore[attr-defined]
    assert f"{path}: tables read as text: the notes have more than 20,000 table cells ('|')" in warnings
    Content.model_validate(yaml.safe_load(result[0].yaml))  # type: ignore[attr-defined]


def damaged_zip(data: bytes, part: str, how: str) -> bytes:
    """A zip (a .docx) with one part damaged as an attacker review did: its deflate data
    overwritten ("corrupt"), the encryption flag set ("encrypted"), or compression method 9
    (Deflate64, which zipfile lacks) in its headers ("method9")."""
    import struct

    raw = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(part).header_offset
    central = next(
        at
        for at in range(len(raw))
        if raw[at : at + 4] == b"PK\x01\x02" and raw[at + 46 : at + 46 + len(part)] == part.encode()
    )
    if how == "corrupt":
        name_length, extra_length = struct.unpack("<HH", raw[local + 26 : local + 30])
        start = local + 30 + name_length + extra_length
        raw[start + 2 : start + 12] = b"\xff" * 10
    elif how == "encrypted":
        raw[local + 6] |= 1
        raw[central + 8] |= 1
    else:
        raw[local + 8 : local + 10] = raw[central + 10 : central + 12] = struct.pack("<H", 9)
    return bytes(raw)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("corrupt", "the Word file is damaged (word/document.xml cannot be unpacked)"),
        ("encrypted", "the Word file is password-protected"),
        ("method9", "the Word file uses a compression Word does not use (word/document.xml cannot be unpacked)"),
    ],
)
def test_a_damaged_word_file_is_a_clear_error_not_a_traceback(tmp_path: Path, how: str, message: str) -> None:
    """Attacker review B1: only BadZipFile was caught; damaged deflate data was a zlib.error
    traceback, encryption a RuntimeError, method 9 a NotImplementedError."""
    from tests.test_cli import invoke

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "<w:p><w:r><w:t>In 1914 war began.</w:t></w:r></w:p>" * 20
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", body)
    path = tmp_path / "notes.docx"
    path.write_bytes(damaged_zip(buffer.getvalue(), "word/document.xml", how))
    done = invoke("import", str(path), "--out", str(tmp_path / "notes.yaml"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: {message}"), done.stderr


# --- tables inside tables (the fourth red-team pass) -----------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _nested_word(depth: int, text: str) -> bytes:
    """A Word body of `depth` tables, each inside a cell of the one before, around one paragraph."""
    inner = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    for level in reversed(range(depth)):
        inner = (
            f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>level {level}</w:t></w:r></w:p></w:tc>"
            f"<w:tc>{inner}</w:tc></w:tr></w:tbl>"
        )
    body = (
        f"<w:document {_W}><w:body><w:p><w:r><w:t>Why did the Tsar fall?</w:t></w:r></w:p>{inner}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", body)
    return buffer.getvalue()


def _nested_html(depth: int, text: str) -> str:
    inner = f"<p>{text}</p>"
    for level in reversed(range(depth)):
        inner = f"<table><tr><td>level {level}</td><td>{inner}</td></tr></table>"
    return f"<html><body><h1>Why did the Tsar fall?</h1>{inner}<p>Nicholas II abdicated in 1917.</p></body></html>"


def _table_rows(kind: str, depth: int, text: str) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """The rows the importer reads from the outer table, and its warnings."""
    from worksheetgen.importer.reading import read_word
    from worksheetgen.importer.web_notes import html_blocks

    if kind == "word":
        source = read_word(_nested_word(depth, text), "notes.docx")
        table = next(p for p in source.paragraphs if p.rows)
        return table.rows, [r.message for r in source.repairs]
    notes: list = []
    blocks, _ = html_blocks(_nested_html(depth, text).split("\n"), notes)
    return next(b for b in blocks if b.kind == "table").rows, [message for _, message in notes]


@pytest.mark.parametrize("kind", ["word", "html"])
def test_tables_nested_a_little_keep_their_rows_and_each_text_once(kind: str) -> None:
    rows, warnings = _table_rows(kind, 3, "Nicholas II abdicated in 1917")
    assert rows == (("level 0", ""), ("level 1", ""), ("level 2", "Nicholas II abdicated in 1917"))
    assert not warnings


@pytest.mark.parametrize("kind", ["word", "html"])
def test_tables_nested_deep_are_read_in_linear_time_and_the_deepest_as_text(kind: str) -> None:
    """Word (reading.py read_word) and web pages (web_notes.py _add_table) read every row under a table, and
    every cell's text with the tables inside it: the text under 40 tables was copied 40 times over (a
    2.3 KB .docx of 40 tables around 1 MB of text: over 100 s and 820 MB; a web page of 80 around 5 MB:
    46 s and 518 MB). Now each text is read once; past 5 deep tables are read as their cell's text."""
    text = "Tsar fell. " * 20_000  # 220 KB
    seconds = _cpu_seconds(lambda: _table_rows(kind, 60, text))
    rows, warnings = _table_rows(kind, 60, text)
    assert sum(len(cell) for row in rows for cell in row) < len(text) + 2_000  # each text once, not 60 times
    assert [row[0] for row in rows[:4]] == ["level 0", "level 1", "level 2", "level 3"] and len(rows) == 5
    assert rows[4][0] == "level 4" and rows[4][1].startswith("level 5 level 6") and rows[4][1].endswith("Tsar fell.")
    assert warnings == ["tables nested more than 5 deep: the deeper ones are read as the text of the cell holding them"]
    assert seconds < 2, seconds  # was about 10 s (Word) at this size


# --- a zip directory that lies about sizes (the fourth red-team pass) -------------------------------


def lying_zip(part: str, head: bytes, spaces: int, declared: int) -> bytes:
    """A zip of one deflated part, `head` then `spaces` spaces, whose headers say it unpacks to
    `declared` bytes (as /tmp/attack/d1/mkbomb.py made: 4 GB in 4.1 MB, said to be 1,000 bytes)."""
    import struct
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk, crc, pieces = b" " * (1 << 20), zlib.crc32(head), [packer.compress(head)]
    for _ in range(spaces >> 20):
        pieces.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    data = b"".join([*pieces, packer.flush()])
    name = part.encode()
    sizes = (crc & 0xFFFFFFFF, len(data), declared, len(name))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def test_a_word_part_that_unpacks_to_more_than_its_zip_says_is_never_unpacked_past_that(tmp_path: Path) -> None:
    """zipfile.read trusts the size in the zip's directory: a .docx whose body says 1,000 bytes and
    unpacks to 4 GB of spaces (4.1 MB) took 2.15 GB and 26 s before its checksum failed. Every part is
    now read through a capped stream: no more than the size it claims is unpacked."""
    import tracemalloc

    from tests.test_cli import invoke

    head = f"<w:document {_W}><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>".encode()
    path = tmp_path / "bomb.docx"
    path.write_bytes(lying_zip("word/document.xml", head, 200 << 20, 1_000))  # 200 MB in about 200 KB
    tracemalloc.start()
    try:
        with pytest.raises(ContentError, match=r"the Word file is damaged \(word/document.xml cannot be unpacked\)"):
            import_file(path)
        assert tracemalloc.get_traced_memory()[1] < 20 << 20  # was over 200 MB
    finally:
        tracemalloc.stop()
    done = invoke("import", str(path), "--out", str(tmp_path / "notes.yaml"))
    assert done.returncode == 1 and done.stderr.count("error:") == 1 and "Traceback" not in done.stderr


def test_a_word_part_packed_with_bzip2_or_lzma_is_refused(tmp_path: Path) -> None:
    """zipfile unpacks bzip2 and LZMA parts with no cap on what one read gives; Word writes neither."""
    body = f"<w:document {_W}><w:body><w:p><w:r><w:t>In 1914 war began.</w:t></w:r></w:p></w:body></w:document>"
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        path = tmp_path / f"notes-{method}.docx"
        with zipfile.ZipFile(path, "w", method) as package:
            package.writestr("word/document.xml", body)
        with pytest.raises(ContentError, match="the Word file uses a compression Word does not use"):
            import_file(path)


def test_word_notes_nested_past_the_xml_parsers_depth_say_so_in_a_teachers_words() -> None:
    """300 tables deep passes libxml2's nesting limit: one sentence, not lxml's 'use XML_PARSE_HUGE'."""
    from worksheetgen.errors import ContentError
    from worksheetgen.importer.reading import read_word

    with pytest.raises(ContentError) as caught:
        read_word(_nested_word(300, "Tsar fell."), "notes.docx")
    message = str(caught.value)
    assert "nests its parts over 256 deep" in message and "XML_PARSE_HUGE" not in message


def test_a_web_page_table_of_470000_cells_is_read_up_to_a_cap_quickly(tmp_path: Path) -> None:
    """Issue 11: a saved web page with a table of 470,000 cells (4,700 rows x 100) took 3.6 s of CPU
    and 255 MB, every cell walked in Python. Past 20,000 cells in all, the rows are left out before
    the page is walked, with a warning at the first row left out; the rows before it are read."""
    import resource

    path = tmp_path / "notes.html"
    rows = "".join(f"<tr><td>{n}</td>" + "<td>1</td>" * 99 + "</tr>\n" for n in range(4_700))
    path.write_text(
        "<html><head><title>Weimar</title></head><body><h1>Weimar</h1>\n"
        "<p>The Weimar Republic began in 1919 after the war.</p>\n"
        f"<table>\n{rows}</table></body></html>\n",
        encoding="utf-8",
    )
    result: list[object] = []
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = _cpu_seconds(lambda: result.append(import_file(path)))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert seconds < 2, seconds
    assert grown_mb < 200, grown_mb
    warnings = result[0].warnings  # type: ignore[attr-defined]
    cut = [w for w in warnings if "tables read up to their first 20,000 cells" in w]
    assert cut and cut[0].startswith(f"{path}:204: ") and "4,499 rows after this one (449,900 cells)" in cut[0], cut
    draft = yaml.safe_load(result[0].yaml)  # type: ignore[attr-defined]
    Content.model_validate(draft)


@pytest.mark.parametrize(
    ("page", "found"),
    [
        ("<h1>T</h1>" + "<p>a" * 1_200_000, "at most 30,000 paragraphs, line breaks, list items and other blocks"),
        ("<h1>T</h1><p>x</p>" + "<br>" * 1_240_000, "found 1,240,002"),
        ("<h1>T</h1><p>" + "<b>a</b>" * 300_000, "at most 200,000 tags (a long saved article has about 60,000)"),
    ],
)
def test_a_web_page_of_more_blocks_than_notes_have_is_refused_at_once(tmp_path: Path, page: str, found: str) -> None:
    """A 4.8 MB page of 1.2 million `<p>a` took 20-33 s of CPU and 0.4-0.75 GB (every element walked in
    Python); `<br>` x 1,240,000 21 s. They are counted before the page is parsed and refused."""
    path = tmp_path / "pa.html"
    path.write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    problems: list[str] = []

    def run() -> None:
        with pytest.raises(ContentError) as caught:
            import_file(path)
        problems.extend(str(p) for p in caught.value.problems)

    assert _cpu_seconds(run) < 1.5
    assert len(problems) == 1 and problems[0].startswith(f"{path}: expected a web page of "), problems
    assert found in problems[0] and problems[0].endswith("Save the part you need as text and import that")


def _word_file(path: Path, paragraphs: list[str]) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")


@pytest.mark.parametrize(
    ("count", "length", "found"),
    [
        (150_000, 40, "at most 30,000 paragraphs (a 100-page document has about 2,000), found 150,000"),
        (20_000, 300, "at most 5 MB of text, found 5.7 MB"),
    ],
)
def test_a_word_file_of_more_paragraphs_or_text_than_notes_have_is_refused_at_once(
    tmp_path: Path, count: int, length: int, found: str
) -> None:
    """A 476 KB .docx of 150,000 paragraphs (38 MB of text) took 24 s of CPU and 400 MB to import."""
    path = tmp_path / "bigtext.docx"
    sentence = ("The purges began in 1936 and many were shot. " * 10)[:length]
    _word_file(path, [sentence] * count)
    problems: list[str] = []

    def run() -> None:
        with pytest.raises(ContentError) as caught:
            import_file(path)
        problems.extend(str(p) for p in caught.value.problems)

    assert _cpu_seconds(run) < 3
    assert problems == [
        f"{path}: expected a Word file of notes with {found}: is it the right file? "
        "Save the part you need and import that"
    ]


def test_table_cells_are_counted_wherever_they_sit_in_a_row(tmp_path: Path) -> None:
    """`<tr><form>` + 100 cells + `</form></tr>` x 9,000 (4.7 MB): only a row's own children were
    counted, so none of its 900,000 cells were, and every row was walked (5.2 s of CPU, 449 MB)."""
    path = tmp_path / "notes.html"
    rows = "".join("<tr><form>" + "<td>1</td>" * 100 + "</form></tr>\n" for _ in range(2_000))
    path.write_text(
        "<html><body><h1>Weimar</h1>\n<p>The Weimar Republic began in 1919 after the war.</p>\n"
        f"<table>\n{rows}</table></body></html>\n",
        encoding="utf-8",
    )
    warnings = import_file(path).warnings
    cut = [w for w in warnings if "tables read up to their first 20,000 cells" in w]
    assert cut and cut[0].startswith(f"{path}:204: ") and "1,799 rows after this one (179,900 cells)" in cut[0], cut
