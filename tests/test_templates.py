"""Templates: a new kind is one file; teachers' templates are sandboxed and strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readback import docx_text, pdf_text
from worksheetgen.errors import TemplateError
from worksheetgen.pipeline import Options, generate, list_kinds, resolve_content

VOCAB = """<sheet title="Vocabulary list">
<p style="instruction">Learn these {{ content.glossary | length }} words{% if is_key %} (teacher copy){% endif %}.</p>
<table widths="1,3" header="1">
<tr><td><b>Word</b></td><td><b>Meaning</b></td></tr>
{% for t in content.glossary[: 5 if tier == "support" else 10] %}
<tr height="12"><td>{{ t.term }}</td><td>{% if is_key or tier == "support" %}{{ t.definition }}{% endif %}</td></tr>
{% endfor %}
</table>
</sheet>
"""


def write_template(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_kind_that_recombines_blocks_is_one_template_file(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "mine", "vocab-list.j2", VOCAB)
    assert "vocab-list" in list_kinds((folder,))
    out = tmp_path / "out"
    generate(resolve_content(None), Options(kinds=("vocab-list",), out=out, template_dirs=(folder,)))
    assert len(list(out.iterdir())) == 12
    support = pdf_text(out / "stalins-purges_vocab-list_support.pdf")
    assert "Vocabulary list: Stalin's Purges" in support and "show trial" in support
    key = docx_text(out / "stalins-purges_vocab-list_core_key.docx")
    assert "(teacher copy)" in key and "A public court case staged for propaganda" in key


def test_a_users_template_overrides_the_built_in_one(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "mine", "gap-fill.j2", '<sheet title="My cloze"><p>Mine.</p></sheet>')
    out = tmp_path / "out"
    generate(
        resolve_content(None),
        Options(kinds=("gap-fill",), tiers=(), formats=("pdf",), key=False, out=out, template_dirs=(folder,)),
    )
    assert "My cloze: Stalin's Purges" in pdf_text(out / "stalins-purges_gap-fill_core.pdf")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "refused by the sandbox"),
        ("{{ content.titel }}", "evil.j2:3: Content has no field 'titel' (did you mean 'title'?)"),
        ("{% for x in %}", "evil.j2:3: Expected an expression"),
        ("<unknown/>", "unknown element <unknown>"),
        ("<p>unclosed", "malformed markup"),
        ("<lines count='many'/>", "count='many' on <lines> must be a whole number"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_message(tmp_path: Path, body: str, message: str) -> None:
    folder = write_template(tmp_path / "mine", "evil.j2", f'<sheet title="Evil">\n<p>Hello</p>\n{body}\n</sheet>\n')
    with pytest.raises(TemplateError) as caught:
        generate(resolve_content(None), Options(kinds=("evil",), out=tmp_path / "out", template_dirs=(folder,)))
    assert message in str(caught.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_missing_template_lists_the_folders_searched(tmp_path: Path) -> None:
    from worksheetgen.templating import render_template, search_path

    with pytest.raises(TemplateError, match="not found; searched:") as caught:
        render_template("nope.j2", search_path((tmp_path,)), {})
    assert str(tmp_path) in str(caught.value)


def test_config_file_adds_a_template_folder(tmp_path: Path) -> None:
    from tests.test_cli import invoke as run  # in this process: the process is not what this checks

    write_template(tmp_path / "mine", "vocab-list.j2", VOCAB)
    (tmp_path / "worksheetgen.toml").write_text('templates = ["mine"]\n', encoding="utf-8")
    untrusted = run("list", cwd=tmp_path)
    assert untrusted.returncode == 0 and "vocab-list" not in untrusted.stdout
    assert untrusted.stderr.count("worksheetgen trust") == 1, untrusted.stderr
    trusted = run("trust", cwd=tmp_path)
    assert trusted.returncode == 0 and "Trusted" in trusted.stdout, trusted.stderr
    listed = run("list", cwd=tmp_path)
    assert listed.returncode == 0 and "vocab-list" in listed.stdout and not listed.stderr
    built = run("build", "--sheet", "vocab-list", "--tier", "core", "--format", "pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "output" / "stalins-purges_vocab-list_core.pdf").exists()
    (tmp_path / "worksheetgen.toml").write_text("templats = 1\n", encoding="utf-8")
    broken = run("list", cwd=tmp_path)
    assert broken.returncode == 1 and "unknown setting 'templats'" in broken.stderr


def test_the_contents_page_is_a_template_a_teacher_can_reword(tmp_path: Path) -> None:
    from worksheetgen.document import iter_text
    from worksheetgen.pipeline import contents_document
    from worksheetgen.render.printfile import Entry
    from worksheetgen.templating import search_path
    from worksheetgen.workers import content_of

    entries = [Entry("Gap-fill", "core", 3, 4), Entry("Diamond nine", "core", 5, 7, cards=7)]
    content = content_of(resolve_content(None))
    shipped = " ".join(iter_text(contents_document(content, entries).blocks))
    assert "Print double-sided" in shipped and "Cards to cut out" in shipped and "5-7 (cards 7)" in shipped
    mine = '<sheet title="Year 9 pack"><p>Copy {{ entries|length }} sheets for 9X.</p></sheet>'
    folder = write_template(tmp_path / "mine", "_contents.j2", mine)
    document = contents_document(content, entries, search_path((folder,)))
    assert document.meta.sheet == "Year 9 pack" and "Copy 2 sheets for 9X." in iter_text(document.blocks)
