"""Importing a teacher's notes: every repair reported with its line, YAML that validates, a gap-fill that builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.readback import pdf_text
from worksheetgen.errors import ContentError
from worksheetgen.importer import import_file, import_notes
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Options, generate, list_kinds
from worksheetgen.repair import Repair, decode_notes, read_notes, repair_text

NOTES = Path(__file__).parent / "data" / "notes"
SEED = NOTES / "stalins-purges-notes.txt"


def imported(tmp_path: Path, notes: Path) -> tuple[Content, str, list[str]]:
    """Import a notes file, write the YAML, and load it the way `worksheetgen build` does."""
    result = import_file(notes)
    text, warnings = result.yaml, result.warnings
    path = tmp_path / f"{notes.stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_content(path).content, text, warnings


def builds_gap_fill(tmp_path: Path, content_path: Path, formats: tuple[str, ...] = ("pdf",)) -> list[Path]:
    """Every tier of the gap-fill and its key, as drafts where unfinished (tests/test_gate.py checks the
    gate itself); returns the files written."""
    report = generate(content_path, Options(kinds=("gap-fill",), formats=formats, out=tmp_path / "out", draft=True))
    assert len(report.written) == 6 * len(formats)
    assert all(p.stat().st_size > 1000 for p in report.written)
    return report.written


def write_notes(tmp_path: Path, raw: bytes, name: str = "notes.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


# --- repairs at the way in ----------------------------------------------------------------


def test_windows_quotes_read_as_mac_central_european_are_repaired_with_their_lines() -> None:
    text, repairs = repair_text(
        "Notes\n\n1) the governmentís popularity fell\n2) Lominadze Ďif there is to be a spring cleaningí - sacked"
    )
    assert text.splitlines()[2:] == [
        "1) the government’s popularity fell",
        "2) Lominadze ‘if there is to be a spring cleaning’ - sacked",
    ]
    assert [r.line for r in repairs] == [3, 4]
    assert "'í' -> '’'" in repairs[0].message
    assert "'Ď' -> '‘'" in repairs[1].message


@pytest.mark.parametrize("genuine", ["Müller and José María", "Luís went home", "aquí está", "Ďábel a první"])
def test_genuine_accented_letters_are_never_repaired(genuine: str) -> None:
    assert repair_text(genuine) == (genuine, [])


def test_a_genuine_name_survives_next_to_repaired_quotes() -> None:
    text, repairs = repair_text("Stalinís men\nMüller and José María\nLeninís heir")
    assert text == "Stalin’s men\nMüller and José María\nLenin’s heir"
    assert [r.line for r in repairs] == [1, 3]


def test_double_encoded_text_is_repaired_and_curly_quotes_stay_curly() -> None:
    text, repairs = repair_text("A ‘correct’ line, don’t touch\nTsarâ€™s fall â€“ 1917")
    assert text == "A ‘correct’ line, don’t touch\nTsar’s fall – 1917"
    assert repairs == [Repair(2, "double-encoded text (mojibake) repaired: 'â€™' -> '’', 'â€“' -> '–'")]


def test_cp1252_bytes_are_decoded_with_a_warning_on_the_first_bad_line() -> None:
    text, repairs = decode_notes("Title\n\nTsar’s fall – 1917\n".encode("cp1252"))
    assert text == "Title\n\nTsar’s fall – 1917\n"
    assert len(repairs) == 1
    assert repairs[0].line == 3
    assert "decoded as cp1252" in repairs[0].message


def test_a_byte_cp1252_does_not_define_is_removed_and_reported(tmp_path: Path) -> None:
    text, repairs = read_notes(write_notes(tmp_path, b"Title\nStalin\x92s\x81 men\n"))
    assert text == "Title\nStalin’s men\n"
    assert [(r.line, "cp1252" in r.message) for r in repairs] == [(2, True), (2, False)]
    assert "undecodable byte 0x81 removed" in repairs[1].message


def test_byte_order_marks_are_removed() -> None:
    assert decode_notes(b"\xef\xbb\xbfTitle") == ("Title", [Repair(1, "UTF-8 byte-order mark (BOM) removed")])
    text, repairs = decode_notes("Title ‘x’".encode("utf-16"))
    assert (text, [r.line for r in repairs]) == ("Title ‘x’", [1])


def test_control_characters_become_line_breaks_or_go_and_later_lines_keep_their_numbers() -> None:
    text, repairs = repair_text("one\x0btwo\nbell\x07\x00 here\npage\x0c\nend.[4]")
    assert text == "one\ntwo\nbell here\npage\n\nend."
    assert [r.line for r in repairs] == [1, 2, 3, 4]
    assert "U+000B" in repairs[0].message and "new line" in repairs[0].message
    assert "U+0000" in repairs[1].message and "U+0007" in repairs[1].message and "removed" in repairs[1].message
    assert repairs[3].message == "citation marker [4] removed"


def test_citation_markers_go_but_gaps_years_and_list_numbers_stay() -> None:
    text, repairs = repair_text(
        "Inflation rose.[12][13] Prices [citation needed] doubled.\n[1] Conquest\nA [[gap]] in [1923]."
    )
    assert text == "Inflation rose. Prices doubled.\n[1] Conquest\nA [[gap]] in [1923]."
    assert repairs == [Repair(1, "citation markers [12], [13], [citation needed] removed")]


def test_non_breaking_spaces_become_spaces_line_by_line() -> None:
    text, repairs = repair_text("1)\u00a0 Unpopularity\nfine\nStalin\u00a0had")
    assert text == "1)  Unpopularity\nfine\nStalin had"
    assert [r.line for r in repairs] == [1, 3]
    assert "U+00A0" in repairs[0].message


# --- differently messy notes, each imported, validated and built -----------------------------


def test_numbered_lists_and_plain_headings(tmp_path: Path) -> None:
    content, text, warnings = imported(tmp_path, NOTES / "first-world-war.txt")
    assert content.title == "The Causes of the First World War"
    assert content.key_question == "Why did war break out in 1914?"
    assert len(content.summary) == 3
    assert content.summary[0].endswith("detailed war plans, such as the Schlieffen Plan.")
    assert "Britain had promised to protect Belgium in the Treaty of London of 1839." in content.summary[1]
    assert ("28 June 1914", "Archduke Franz Ferdinand was assassinated in Sarajevo by Gavrilo Princip") in [
        (e.date, e.title) for e in content.events
    ]
    assert [c.title for c in content.causes][:4] == ["Alliances", "The naval race", "Imperialism", "Militarism"]
    assert text.count("  # guess: ") == len(content.causes)
    names = [p.name for p in content.people]
    assert {"Archduke Franz Ferdinand", "Gavrilo Princip", "Sir Edward Grey"} <= set(names)
    assert not {"Britain", "Germany", "Belgium", "Triple Entente"} & set(names)
    assert all(p.role.startswith("TODO: ") for p in content.people)
    grey = next(q for q in content.quotes if q.speaker == "Sir Edward Grey")
    assert grey.attributed and grey.text.startswith("The lamps are going out all over Europe")
    terms = {t.term: t.definition for t in content.glossary}
    assert terms["imperialism"] == "TODO: define 'imperialism'"
    assert terms["militarism"] == "TODO: define 'militarism'"  # technical words the notes use but do not define
    assert f"{NOTES / 'first-world-war.txt'}:17: straight quotes made curly to match the rest of the notes" in warnings
    builds_gap_fill(tmp_path, tmp_path / "first-world-war.yaml")


def test_markdown_headings_bullets_links_and_tables_in_a_biology_note(tmp_path: Path) -> None:
    notes = NOTES / "photosynthesis.md"
    content, text, warnings = imported(tmp_path, notes)
    assert (content.title, content.subject) == ("Photosynthesis", "Biology")
    assert content.key_question == "Why do plants need light?"
    passage = " ".join(content.summary)
    assert "by photosynthesis. Photosynthesis takes place in the chloroplasts" in passage
    assert not any(mark in passage for mark in ("**", "*chloro", "](", "http", "More about him", "|"))
    assert [w for w in warnings if "table" in w] == [
        f"{notes}:23: table left out of the passage: its rows hold no numbers (write them as points)"
    ]
    assert content.source_note == "Notes for Year 8 biology, adapted from the class textbook."
    assert [p.name for p in content.people] == ["Jan Ingenhousz"]
    assert [(e.date, e.title) for e in content.events] == [
        ("1779", "Jan Ingenhousz showed that plants need light to make oxygen")
    ]
    # The notes define no term: the words they mark (bold, italics) are offered to define, not every repeated word.
    assert [(t.term, t.definition) for t in content.glossary] == [
        ("photosynthesis", "TODO: define 'photosynthesis'"),
        ("chloroplasts", "TODO: define 'chloroplasts'"),
    ]
    builds_gap_fill(tmp_path, tmp_path / "photosynthesis.yaml")


def test_capital_headings_and_prose_in_a_geography_note(tmp_path: Path) -> None:
    notes = NOTES / "coasts.txt"
    content, text, warnings = imported(tmp_path, notes)
    assert (content.title, content.subject) == ("Coastal Erosion", "Geography")
    assert f"{notes}:1: title was in capitals and has been put in title case: check it" in warnings
    assert content.key_question == "What are the causes and effects of coastal erosion?"
    assert 'key_question: "What are the causes and effects of coastal erosion?"  # suggested from the title' in text
    assert len(content.summary) == 3
    assert content.summary[0].startswith("Hydraulic action: waves force air into cracks")
    assert content.summary[1].endswith("Old Harry Rocks in Dorset are a famous example of chalk stacks.")
    terms = {t.term: t.definition for t in content.glossary}
    assert (
        terms["hydraulic action"] == "Waves force air into cracks in the cliff, and the pressure breaks the rock apart."
    )
    assert {"abrasion", "attrition", "solution"} <= set(terms)
    assert (content.people, content.events, content.quotes) == ([], [], [])
    assert [c.title for c in content.causes] == ["Soft rock such as clay erodes faster"]
    builds_gap_fill(tmp_path, tmp_path / "coasts.yaml")


def test_double_encoded_notes(tmp_path: Path) -> None:
    notes = NOTES / "russian-revolution-mojibake.txt"
    content, text, warnings = imported(tmp_path, notes)
    assert f"{notes}:5: double-encoded text (mojibake) repaired: 'â€™' -> '’'" in warnings
    assert f"{notes}:8: double-encoded text (mojibake) repaired: 'â€™' -> '’', 'â€“' -> '–'" in warnings
    assert content.summary[0].endswith("Tsar’s fall – 1917: Nicholas II abdicated on 2 March 1917.")
    assert "â€" not in text
    assert ("2 March 1917", 8) in [(e.date, _line_of(text, e.date)) for e in content.events]
    builds_gap_fill(tmp_path, tmp_path / "russian-revolution-mojibake.yaml")


def test_citation_markers_from_a_web_page(tmp_path: Path) -> None:
    notes = NOTES / "weimar-wikipedia-paste.txt"
    content, text, warnings = imported(tmp_path, notes)
    assert warnings[:3] == [
        f"{notes}:3: citation markers [12], [13], [14] removed",
        f"{notes}:4: citation markers [citation needed], [15] removed",
        f"{notes}:5: citation marker [16] removed",
    ]
    assert "[" not in " ".join(content.summary)
    assert [(e.date, _line_of(text, e.title)) for e in content.events][:2] == [
        ("January 1923", 3),
        ("November 1923", 4),
    ]
    assert [p.name for p in content.people] == ["Gustav Stresemann"]
    builds_gap_fill(tmp_path, tmp_path / "weimar-wikipedia-paste.yaml")


def test_cp1252_notes(tmp_path: Path) -> None:
    notes = "The Fall of the Tsar\n\nWhy did the Tsar fall?\n\n1. The army was badly led.\n"
    notes += "2. The Tsar’s armies suffered huge losses – millions of men were killed or wounded.\n"
    notes += "3. In February 1917 workers in Petrograd went on strike.\n"
    path = write_notes(tmp_path, notes.encode("cp1252"))
    content, _, warnings = imported(tmp_path, path)
    assert warnings[0].startswith(f"{path}:6: not UTF-8 (byte 0x92): decoded as cp1252")
    assert "The Tsar’s armies suffered huge losses – millions of men" in content.summary[0]
    assert content.key_question == "Why did the Tsar fall?"
    builds_gap_fill(tmp_path, tmp_path / "notes.yaml")


def test_a_byte_order_mark_never_reaches_the_title(tmp_path: Path) -> None:
    path = write_notes(tmp_path, b"\xef\xbb\xbf" + (NOTES / "first-world-war.txt").read_bytes())
    content, text, warnings = imported(tmp_path, path)
    assert warnings[0] == f"{path}:1: UTF-8 byte-order mark (BOM) removed"
    assert content.title == "The Causes of the First World War"
    assert "\ufeff" not in text


def test_control_characters_pasted_from_word(tmp_path: Path) -> None:
    lines = [
        "Volcanoes",
        "",
        "Why do volcanoes erupt?",
        "",
        "- Magma rises because it is less dense than the solid rock around it.\x0bIt collects in a magma chamber.",
        "- Pressure builds up\x07 until the magma bursts out through a vent.",
        "- Lava is magma that reaches the surface.\x0c",
        "- Ash and gas\x00 can travel many kilometres from the volcano.",
        "- Mount St Helens in the USA erupted on 18 May 1980.[3]",
    ]
    path = write_notes(tmp_path, "\n".join(lines).encode("utf-8"))
    content, text, warnings = imported(tmp_path, path)
    repairs = [w for w in warnings if "U+" in w or "citation" in w]
    assert [w.split(":")[1] for w in repairs] == ["5", "6", "7", "8", "9"]
    assert "U+000B" in repairs[0] and "new line" in repairs[0]
    assert "U+0007" in repairs[1] and "U+0000" in repairs[3]
    assert "around it. It collects in a magma chamber." in content.summary[0]
    assert not any(c in text for c in "\x00\x07\x0b\x0c")
    assert content.people == [] and content.subject == "Geography"
    assert [(e.date, _line_of(text, e.title)) for e in content.events] == [("18 May 1980", 9)]
    builds_gap_fill(tmp_path, tmp_path / "notes.yaml")


# --- the text API, the YAML itself, and the seed notes ---------------------------------------


def test_import_notes_from_text_with_a_given_title() -> None:
    result = import_notes(
        "Trade notes\n\nMerchants sold wool abroad.[2] Wool made towns rich.\nIn 1348 the Black Death reached England.",
        title="The Wool Trade",
    )
    text, warnings = result.yaml, result.warnings
    data = yaml.safe_load(text)
    assert (data["title"], data["key_question"]) == ("The Wool Trade", "Why was the Wool Trade important?")
    assert warnings[0] == "line 3: citation marker [2] removed"
    assert data["events"] == [
        {
            "date": "1348",
            "sort": "1348",
            "title": "The Black Death reached England",
            "detail": "In 1348 the Black Death reached England.",
        }
    ]


def test_notes_with_nothing_in_them_are_an_error() -> None:
    with pytest.raises(ContentError, match="no notes found"):
        import_notes("\n\n   \n")


@pytest.mark.parametrize(
    "notes",
    [
        "- \n\x0c",
        '## \n1The Rytov Platform: ===VRStalin - U’"## 6–’s"8Source: xZ\xa0[12]’sa) )\'',
        "... - by 1907 ```because D\n\x0b: February 1917“quote me now please” said Stalin...\x0bC## GĎifí14Stalin",
        "Why?\n\n... because\n\n- “four words in quotes” and “an unclosed one\n1) \n2) Kirov Kirov said “x y z w”",
        "ONLY A HEADING",
        "\ufeff\r\nTitle\r\n\r\n* one [[gap]] here [1] and “there”\r* two in 1066\t\x7f",
    ],
)
def test_odd_notes_give_valid_content_or_a_clear_error(notes: str) -> None:
    try:
        text = import_notes(notes).yaml
    except ContentError as error:
        assert "no notes found" in str(error)
        return
    Content.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize("name", ["first-world-war.txt", "photosynthesis.md", "stalins-purges-notes.txt"])
def test_yaml_is_readable_and_reads_back_the_same_with_any_yaml_reader(tmp_path: Path, name: str) -> None:
    content, text, _ = imported(tmp_path, NOTES / name)
    assert text.startswith("# Draft content imported from")
    assert "summary:\n  # " in text and "\n  - >-\n    " in text
    assert not any(line.rstrip() != line for line in text.splitlines())
    assert Content.model_validate(yaml.safe_load(text)) == content


def test_seed_notes_read_correctly_in_the_gap_fill(tmp_path: Path) -> None:
    content, text, warnings = imported(tmp_path, SEED)
    assert "\u00a0" not in text
    mac = [w.split(":")[1] for w in warnings if "Mac Central European" in w]
    assert mac == ["9", "11", "26", "36", "44", "52", "55"]
    passage = " ".join(content.summary)
    assert "the government’s popularity had fallen" in passage
    assert "‘if there is to be a spring cleaning every piece of furniture has to be removed" in passage
    assert content.key_question == "Why did the purges take place?"
    assert content.credit and content.credit.startswith("C Clayton, Stalin’s Purges")
    assert {(q.speaker, q.attributed) for q in content.quotes} == {("Lominadze", True), ("Stalin", True)}
    assert f"{SEED}:44: 'Yezkhov' looks like another spelling of 'Yezhov': check which is right" in warnings
    written = builds_gap_fill(tmp_path, tmp_path / "stalins-purges-notes.yaml", formats=("pdf", "docx"))
    key = pdf_text(next(p for p in written if p.name.endswith("_gap-fill_support_key.pdf")))
    assert "the government’s popularity had fallen" in key
    assert "‘if there is to be a spring cleaning" in key
    for pdf in (p for p in written if p.suffix == ".pdf"):
        assert not {"Ď", "í"} & set(pdf_text(pdf)), pdf.name


def _line_of(text: str, value: str) -> int:
    """The `# line N` comment on the YAML entry that holds `value`."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if f'"{value}"' in line:
            entry = next(lines[n] for n in range(number, -1, -1) if "# line " in lines[n])
            return int(entry.split("# line ")[1].split(";")[0])
    raise AssertionError(f"{value!r} not in the YAML")


def test_cli_imports_the_seed_then_builds_gap_fill_and_diamond_nine(tmp_path: Path) -> None:
    from tests.test_cli import run

    notes = tmp_path / "notes.txt"
    notes.write_bytes((Path(__file__).parent / "data" / "notes" / "stalins-purges-notes.txt").read_bytes())
    imported = run("import", str(notes))
    assert imported.returncode == 0, imported.stderr
    assert "Mac Central European repaired" in imported.stderr
    content = tmp_path / "notes.yaml"
    assert "government’s popularity" in content.read_text(encoding="utf-8")
    again = run("import", str(notes))
    assert again.returncode == 1 and "already exists" in again.stderr
    out = str(tmp_path / "out")
    built = run("build", str(content), "-s", "gap-fill", "-s", "diamond-nine", "--draft", "--out", out)
    assert built.returncode == 0, built.stderr
    assert len(list((tmp_path / "out" / "draft").glob("*.pdf"))) == 12


MESSY = {
    "cp1252 bytes": "Stalin’s rise – 1928\n\n1) In 1934 Kirov was shot because he was popular.\n".encode("cp1252"),
    "BOM and control characters": "\ufeffTHE WATER CYCLE\n\n- Rain falls\x0bon hills.\n- Sun heats the sea.\n".encode(),
}


@pytest.mark.parametrize("name", [*sorted(p.name for p in NOTES.iterdir()), *MESSY])
def test_every_kind_builds_from_every_imported_notes_file(tmp_path: Path, name: str) -> None:
    notes = NOTES / name if name not in MESSY else write_notes(tmp_path, MESSY[name])
    text = import_file(notes).yaml
    content_path = tmp_path / "imported.yaml"
    content_path.write_text(text, encoding="utf-8")
    report = generate(content_path, Options(formats=("pdf",), out=tmp_path / "out", draft=True))
    assert len(report.written) == len(list_kinds()) * 3 * 2


def _imported_then_loaded(tmp_path: Path, text: str, name: str = "notes.txt") -> tuple[object, list[str]]:
    """Import notes to a file, then read that file as `validate` does."""
    notes = tmp_path / name
    notes.write_text(text, encoding="utf-8")
    result = import_file(notes)
    out = tmp_path / "draft.yaml"
    out.write_text(result.yaml, encoding="utf-8")
    return load_content(out), result.warnings


def test_what_import_writes_validate_reads_a_paragraph_of_100_000_characters(tmp_path: Path) -> None:
    """Import wrote a passage paragraph of 104,999 characters, which validate then refused (at most 20,000)."""
    loaded, warnings = _imported_then_loaded(tmp_path, "The Tsar fell. " * 7_000)
    assert len(loaded.content.summary) == 6  # type: ignore[attr-defined]
    assert f"{tmp_path / 'notes.txt'}:1: a paragraph of 104,999 characters is split into 6" in "\n".join(warnings)


def test_what_import_writes_validate_reads_a_long_definition_and_many_table_rows(tmp_path: Path) -> None:
    definition = "a written law and " * 2_000
    rows = "".join(f"| Year {i} | {i} |\n" for i in range(300))
    text = f"# Laws\n\nConstitution: {definition}\n\nThe Tsar fell in 1917.\n\n| Year | Count |\n|---|---|\n{rows}"
    loaded, warnings = _imported_then_loaded(tmp_path, text, "notes.md")
    content = loaded.content  # type: ignore[attr-defined]
    assert content.glossary and all(len(t.definition) <= 1_000 for t in content.glossary)  # model.MAX_SENTENCE
    assert len(content.statistics) == 200
    joined = "\n".join(warnings)
    assert "statistics rows from here on were not listed (at most 200 are)" in joined


def test_what_import_writes_stays_under_the_content_file_cap(tmp_path: Path) -> None:
    """2.2 MB of notes made a 2.3 MB content file, which validate refused (at most 2 MB)."""
    text = ("The purge widened across the whole party and society in 1937. " * 40 + "\n\n") * 900
    loaded, warnings = _imported_then_loaded(tmp_path, text)
    assert (tmp_path / "draft.yaml").stat().st_size <= 2 * 1024 * 1024 and loaded.content.summary  # type: ignore[attr-defined]
    assert "the passage is cut short: its last 15 paragraphs" in "\n".join(warnings)
