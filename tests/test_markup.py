"""The checked block markup: every bad element, attribute or value a template writes is an
`error:` naming the template and its line, exit status 1, never a traceback or a sheet with
a piece silently missing (issue 11 item 6, issue 16 "a checked markup")."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.readback import docx_text, pdf_text
from tests.test_cli import run
from tests.test_readme import ROOT
from worksheetgen import cli
from worksheetgen.markup_spec import ELEMENTS, MAX_DEPTH, markdown_table

# Templates render in a fork of this process under the child's limits (tests/forked.py).
pytestmark = pytest.mark.usefixtures("forked_children")
SHEET = '<sheet title="Evil">\n<p>Hello</p>\n{body}\n</sheet>\n'  # `body` starts on line 3


def nested(open_tags: str, close_tags: str, depth: int) -> str:
    return open_tags * depth + "x" + close_tags * depth


def two_cells(table: str) -> str:
    return f"{table}<tr><td>a</td><td>b</td></tr></table>"


def build(tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str], **extra: str) -> tuple[int, str, Path]:
    """`worksheetgen build` on one custom template, in process through the CLI's entry point
    (main: the code that turns errors into `error:` lines); returns exit status, stderr, output."""
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "evil.j2").write_text(SHEET.format(body=body), encoding="utf-8")
    for name, text in extra.items():
        (folder / f"{name}.j2").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--templates", str(folder), "--sheet", "evil", "--tier", "core", "--no-key", "--out", str(out)]
    sys_argv = sys.argv
    sys.argv = ["worksheetgen", *args]
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main()
    finally:
        sys.argv = sys_argv
    return int(exited.value.code or 0), capsys.readouterr().err, out


def refused(tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str], **extra: str) -> str:
    """Assert the ERR contract (docs/BAD-INPUTS.md) and return the one error line."""
    status, err, out = build(tmp_path, body, capsys, **extra)
    assert status == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: template "), err
    assert not out.exists() or not any(out.iterdir())
    return lines[0]


BAD_VALUES = [
    ('<lines count="-5"/>', "count='-5' on <lines> must be a whole number 1-100"),
    ('<lines count="0"/>', "count='0' on <lines> must be a whole number 1-100"),
    ('<lines count="100000000"/>', "count='100000000' on <lines> must be a whole number 1-100"),
    ('<lines count="many"/>', "count='many' on <lines> must be a whole number"),
    ('<lines pitch="nan"/>', "pitch='nan' on <lines> must be a length in mm, 4-40"),
    ('<lines pitch="inf"/>', "pitch='inf' on <lines> must be a length in mm, 4-40"),
    ('<lines pitch="0"/>', "pitch='0' on <lines> must be a length in mm, 4-40"),
    (two_cells('<table widths="0,0">'), "widths='0,0' on <table> must be positive numbers"),
    (f'<box title="{"t" * 50_001}"><p>x</p></box>', "on <box> must be text of at most 50,000 characters"),
    ("<p>" + "word " * 10_001 + "</p>", "characters, more than 50,000; split it up"),
    (two_cells('<table widths="-1,2">'), "widths='-1,2' on <table> must be positive numbers"),
    (two_cells('<table widths="nan,1">'), "widths='nan,1' on <table> must be positive numbers"),
    (two_cells('<table widths="1,inf">'), "widths='1,inf' on <table> must be positive numbers"),
    (two_cells('<table widths="0.001,1000">'), "widths='0.001,1000' leave column 1 0.0 mm for text"),
    (two_cells('<table widths="1,2,3">'), "every row must fill 3 columns (the widths), counting spans"),
    ('<table widths="1"><tr><td span="0">a</td></tr></table>', "span='0' on <td> must be a whole number 1-20"),
    ("<table></table>", "a <table> holds 1 to 500 rows (<tr>), not 0"),
    ("<table><tr></tr></table>", "a <tr> holds at least one <td>"),
    ('<table header="5"><tr><td>a</td></tr></table>', "header=5 on a <table> of 1 row"),
    ('<table><tr height="400"><td>a</td></tr></table>', "height='400' on <tr> must be a length in mm, 1-200"),
    ('<table><tr><td style="evil">a</td></tr></table>', "style='evil' on <td> must be one of body, instruction"),
    ('<table><tr><td align="middle">a</td></tr></table>', "align='middle' on <td> must be one of left, center"),
    ('<table border="double"><tr><td>a</td></tr></table>', "border='double' on <table> must be one of grid, none"),
    ('<p style="fancy">x</p>', "style='fancy' on <p> must be one of body, instruction, small, key"),
    ('<p><gap n="-3"/></p>', "n='-3' on <gap> must be a whole number 0-9,999"),
    (
        "<table>" + "<tr><td>a</td></tr>" * 501 + "</table>",
        "a <table> holds 1 to 500 rows (<tr>), not 501",
    ),
    (
        '<table widths="' + ",".join(["1"] * 21) + '"><tr>' + "<td>a</td>" * 21 + "</tr></table>",
        "a <table> has at most 20 columns, not 21",
    ),
    (nested("<box>", "</box>", 200), f"boxes and tables nest more than {MAX_DEPTH} deep"),
    (nested("<table><tr><td>", "</td></tr></table>", 60), f"boxes and tables nest more than {MAX_DEPTH} deep"),
    ("{% for i in range(20001) %}<pagebreak/>{% endfor %}", "more than 20,000 elements in one sheet"),
]

UNKNOWN = [
    ('<p stlye="small">x</p>', "<p> has no attribute 'stlye'; did you mean 'style'? (it takes: style)"),
    ('<lines cuont="3"/>', "<lines> has no attribute 'cuont'; did you mean 'count'?"),
    ('<table><tr><td colspan="2">a</td></tr></table>', "<td> has no attribute 'colspan'"),
    ('<pagebreak before="1"/>', "<pagebreak> has no attribute 'before' (it takes: none)"),
    ("<para>x</para>", "unknown element <para>; did you mean 'pagebreak'?; use one of <sheet>, <h1>"),
    ("<ol><li>a</li><item>b</item></ol>", "unknown element <item>"),
    ("<ol><li>a</li><p>b</p></ol>", "<p> cannot be inside <ol>, which holds <li>"),
    ("<wordbank><w>a</w><li>b</li></wordbank>", "<li> cannot be inside <wordbank>, which holds <w>"),
    ("<table><tr><td>a</td></tr><p>b</p></table>", "<p> cannot be inside <table>, which holds <tr>"),
    ("<table><tr><th>a</th></tr></table>", "unknown element <th>"),
    ("<h1>A <b>bold</b> title</h1>", "<b> cannot be inside <h1>, which holds text"),
    ("<p>a <b>b <gap n='1'/></b></p>", "<gap> cannot be inside <b>, which holds text"),
    ("<box><pagebreak/></box>", "<pagebreak> cannot be inside <box>, which holds blocks, but not <pagebreak>"),
    ("<table>lost<tr><td>a</td></tr></table>", "text 'lost' cannot be directly inside <table>"),
    ("<ol><li>a</li> lost</ol>", "text 'lost' cannot be directly inside <ol>"),
    ("<table><tr><td>a <p>b</p></td></tr></table>", "a <td> holds text (with <b>, <gap/>) or blocks such as <p>"),
]


@pytest.mark.parametrize(("body", "message"), BAD_VALUES + UNKNOWN, ids=lambda v: v[:40])
def test_bad_markup_is_an_error_with_the_template_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str
) -> None:
    line = refused(tmp_path, body, capsys)
    assert line.startswith("error: template evil.j2:3: "), line
    assert message in line, line


def test_the_deepest_nesting_allowed_still_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The cap is where it says: MAX_DEPTH boxes and tables inside one another still build."""
    inner = '<ol><li>listed</li></ol><table widths="1"><tr><td>deepest</td></tr></table>'  # a list in a box broke PDFs
    body = "<box>" * (MAX_DEPTH - 1) + inner + "</box>" * (MAX_DEPTH - 1)
    status, err, out = build(tmp_path, body, capsys)
    assert status == 0, err
    for text in (pdf_text(out / "stalins-purges_evil_core.pdf"), docx_text(out / "stalins-purges_evil_core.docx")):
        assert "listed" in text and "deepest" in text
    shutil.rmtree(out)
    over = "<box>" * MAX_DEPTH + "<table><tr><td>x</td></tr></table>" + "</box>" * MAX_DEPTH
    assert "nest more than" in refused(tmp_path, over, capsys)


def test_the_line_is_the_templates_through_loops_includes_and_branches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The XML parser knows only output lines; the error names the template line that wrote it."""
    loop = '{% for i in range(3) %}\n<p>item {{ i }}</p>\n<lines count="{{ 5 - i * 3 }}"/>\n{% endfor %}'
    assert "evil.j2:5: count='-1'" in refused(tmp_path, loop, capsys)  # body line 3 + 2
    include = '{% include "_part.j2" %}'
    part = "<p>fine</p>\n{# a comment #}\n<p>\nstill fine\n</p>\n<p stlye='x'>bad</p>\n"
    assert "template _part.j2:6: <p> has no attribute 'stlye'" in refused(tmp_path, include, capsys, _part=part)
    branches = "{% if tier == 'support' %}\n<p>a</p>\n{% else %}\n<p>b</p>\n\n<table></table>\n{% endif %}"
    assert "evil.j2:8: a <table> holds 1 to 500 rows" in refused(tmp_path, branches, capsys)
    value = '{% set style = "evil" %}\n<p>\nwords\n</p>\n<p style="{{ style }}">x</p>'
    assert "evil.j2:7: style='evil'" in refused(tmp_path, value, capsys)


def test_malformed_markup_names_the_template_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(tmp_path, "<p>one</p>\n<p>two</b>", capsys)
    assert re.match(r"error: template evil\.j2:4: wrote malformed markup: .*mismatch", line), line


def test_a_real_process_prints_one_error_line_and_no_traceback(tmp_path: Path) -> None:
    """The in-process cases above go through cli.main; this one is the installed command."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "evil.j2").write_text(SHEET.format(body='<table><tr><td style="evil">a</td></tr></table>'))
    result = run("build", "--templates", str(folder), "--sheet", "evil", "--no-key", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: template evil.j2:3: style='evil' on <td> must be one of body, instruction, small, key"
    ]


def test_every_element_the_parser_builds_is_in_the_spec() -> None:
    from worksheetgen.markup import _BUILDERS

    assert set(_BUILDERS) <= set(ELEMENTS)
    assert all(tag in ELEMENTS for element in ELEMENTS.values() for tag in element.children)


def test_every_attribute_the_built_in_templates_write_is_in_the_spec() -> None:
    """A spec row dropped by mistake would refuse a built-in sheet; find it without rendering."""
    for template in sorted((ROOT / "templates").glob("*.j2")):
        text = re.sub(r"\{[{%#].*?[}%#]\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        for tag, attributes in re.findall(r"<([a-z0-9]+)((?:\s+[a-z]+=(?:\"[^\"]*\"|'[^']*'))*)\s*/?>", text):
            assert tag in ELEMENTS, f"{template.name}: <{tag}>"
            for name in re.findall(r"([a-z]+)=", attributes):
                assert name in ELEMENTS[tag].attributes, f"{template.name}: <{tag} {name}=...>"


def readme_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| element |")
    end = text.index("\n\n", start)
    return text[start : end + 1]


def test_readme_markup_table_is_the_spec() -> None:
    assert readme_table() == markdown_table()


def test_tracing_stops_as_soon_as_the_output_passes_a_cap() -> None:
    """render_traced can bound a template's output (for the sandbox's size cap) as it goes."""
    import jinja2

    from worksheetgen.sourcemap import render_traced

    template = jinja2.Environment().from_string("{% for i in range(1000000000) %}0123456789{% endfor %}")
    with pytest.raises(jinja2.exceptions.SecurityError, match="passed 1,000 characters"):
        render_traced(template, {}, max_chars=1000)
    assert render_traced(jinja2.Environment().from_string("{{ 'x' * 1000 }}"), {}, max_chars=1000).text == "x" * 1000


def test_page_breaks_that_would_only_make_blank_pages_are_dropped() -> None:
    """5,000 page breaks in a row (issue 11) were blamed on 'one block of text is too long'."""
    from worksheetgen.document import PageBreak, Paragraph
    from worksheetgen.markup import parse_sheet
    from worksheetgen.sourcemap import Rendered

    text = '<sheet title="T">' + "<pagebreak/>" * 5000 + "<p>a</p>" + "<pagebreak/>" * 3 + "<p>b</p></sheet>"
    _, blocks = parse_sheet(Rendered("t.j2", text))
    assert [type(b) for b in blocks] == [Paragraph, PageBreak, Paragraph]


@pytest.mark.parametrize("widths", ["1e308", "1e307,1e307", "1,1000001"])
def test_table_widths_too_large_to_add_up_are_an_error_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], widths: str
) -> None:
    """Attacker review B3: widths="1e308" passed (170 mm * 1e308 is infinity) and crashed the
    PDF (ValueError) and DOCX (OverflowError) writers."""
    columns = widths.count(",") + 1
    body = f'<table widths="{widths}"><tr>' + "<td>a</td>" * columns + "</tr></table>"
    line = refused(tmp_path, body, capsys)
    assert line.startswith("error: template evil.j2:3: ") and f"widths='{widths}' on <table> must be" in line
    assert "each at most 1,000,000" in line


def test_a_paragraph_of_thousands_of_gaps_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attacker review B7: 19,990 <gap/>s side by side kept the layout busy over a minute
    (2,000 took 5 s); a shipped gap-fill has about 15 in all."""
    import time

    started = time.monotonic()
    body = '<p>{% for i in range(19990) %}<gap n="{{ i % 9999 }}"/>{% endfor %}</p>'
    line = refused(tmp_path, body, capsys)
    assert line == "error: template evil.j2:3: <p> holds 19,990 <gap/>s, more than 200; split it up"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("text", ['{{ "a\\x00b" }}', '{{ "a\\x1bb" }}', '{{ "\\uffff" }}'])
def test_a_control_character_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Attacker review W3: a NUL's lxml message ran over two `error:` lines."""
    line = refused(tmp_path, f"<p>{text}</p>", capsys)
    assert line.startswith("error: template evil.j2:3: wrote U+00") or "U+FFFF" in line
    assert "a control character that cannot be in a sheet" in line


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<table header="500">{% for i in range(500) %}<tr><td>x</td></tr>{% endfor %}</table>',
            "the table's 500 header rows (repeated on every page) are ",
        ),
        (
            '<table header="2"><tr height="200"><td>x</td></tr><tr height="200"><td>y</td></tr>'
            "<tr><td>z</td></tr></table>",
            "the table's 2 header rows (repeated on every page) are 400 mm tall together, taller than a page",
        ),
    ],
    ids=["500-header-rows", "two-200mm-header-rows"],
)
def test_rows_that_must_share_a_page_and_cannot_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str
) -> None:
    """Attacker review W4: these were blamed on "one block of text is too long to fit on a
    page: 25 pt tall (it starts 'x')"."""
    status, err, _ = build(tmp_path, body, capsys)
    assert status == 1 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and message in err and "one block of text" not in err, err


def test_rows_kept_together_that_cannot_share_a_page_split_as_in_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`keep="next"` is Word's keep-with-next: kept where the rows fit a page, split where they
    cannot (a key's diamond of long words was refused outright: test_bad_inputs 13/14)."""
    status, err, _ = build(
        tmp_path, '<table>{% for i in range(120) %}<tr keep="next"><td>x</td></tr>{% endfor %}</table>', capsys
    )
    assert status == 0, err
