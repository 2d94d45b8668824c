"""What a run keeps once per process to save time (issue 15) never changes what is made."""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path

import jinja2
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from worksheetgen import templating
from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Content
from worksheetgen.output import TEMP_SUFFIX, write_all_atomic
from worksheetgen.pipeline import Sheet, build_document, render, run_characters
from worksheetgen.render import pdfflowables, subsets
from worksheetgen.template_data import _FROZEN, Record, plain
from worksheetgen.templating import environment, search_path
from worksheetgen.workers import executor, sharing_glyphs


def test_a_frozen_models_view_is_made_once_and_goes_with_it(shipped: Content) -> None:
    view = plain(shipped)
    assert isinstance(view, Record) and plain(shipped) is view
    assert view.title == shipped.title and view.key_question == shipped.key_question
    copy = shipped.model_copy(update={"title": "Another title"})
    assert plain(copy) is not view and plain(copy).title == "Another title"
    assert plain(shipped).title == shipped.title  # the copy did not replace the first one's view
    key = id(copy)
    del copy
    gc.collect()
    assert key not in _FROZEN  # dropped when its model went


def _faces() -> list[subsets._Face]:
    fonts = (pdfmetrics.getFont(name) for name in pdfmetrics.getRegisteredFontNames() if name.startswith("WSG"))
    return [font.face for font in fonts if isinstance(font.face, subsets._Face)]


def test_kept_font_subsets_give_the_same_bytes_as_new_ones(shipped: Content) -> None:
    with sharing_glyphs(run_characters(shipped)):
        for kind, profile in (("gap-fill", Profile.standard), ("diamond-nine", Profile.dyslexia)):
            settings = PrintSettings("a4", profile)
            document, _ = build_document(shipped, Sheet(kind, Tier.support), 0, search_path(), settings)
            warm = render(document, "pdf", settings)
            assert render(document, "pdf", settings) == warm
            assert _faces() and any(face.made for face in _faces())
            for face in _faces():
                face.made.clear()
            subsets._FLATE.done.clear()
            assert render(document, "pdf", settings) == warm  # made and compressed afresh


def test_kept_paragraph_markup_gives_the_same_bytes_as_parsing_it_again(shipped: Content) -> None:
    for kind, tier, is_key in (("diamond-nine", Tier.core, False), ("essay-planner", Tier.support, True)):
        document, _ = build_document(shipped, Sheet(kind, tier, is_key), 0, search_path())
        pdfflowables._PARSED.clear()
        fresh = render(document, "pdf")
        assert pdfflowables._PARSED  # kept for the next sheet
        assert render(document, "pdf") == fresh  # every paragraph from kept markup
        assert render(document, "pdf") == fresh  # and again: the kept pieces were not changed by drawing


def test_kept_line_breaks_give_the_same_bytes_as_breaking_the_lines_again(shipped: Content) -> None:
    documents = [
        build_document(shipped, Sheet(kind, tier, is_key), seed, search_path())[0]
        for kind, tier, is_key in (("gap-fill", Tier.support, False), ("essay-planner", Tier.core, True))
        for seed in ("0/A", "0/B")  # variants: the same paragraphs in another order
    ]
    afresh = []
    for document in documents:
        pdfflowables._WRAPPED.clear()
        pdfflowables._PARSED.clear()
        afresh.append(render(document, "pdf"))
    assert pdfflowables._WRAPPED  # kept for the next sheet
    for _ in range(2):  # from kept line breaks, and again: drawing and splitting changed none of them
        assert [render(document, "pdf") for document in documents] == afresh


def test_a_paragraph_with_a_word_split_to_fit_keeps_no_line_breaks() -> None:
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14)
    pdfflowables._WRAPPED.clear()
    pdfflowables.PdfParagraph("a " + "x" * 300 + " b", style).wrap(200, 800)
    assert not pdfflowables._WRAPPED
    pdfflowables.PdfParagraph("a few short words", style).wrap(200, 800)
    assert len(pdfflowables._WRAPPED) == 1


def test_files_written_together_are_all_in_place_and_no_temporary_is_left(tmp_path: Path) -> None:
    files = [(tmp_path / f"sheet-{n}.pdf", bytes([n]) * 1000) for n in range(12)]
    write_all_atomic(files)
    assert all(path.read_bytes() == data for path, data in files)
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}")) and len(list(tmp_path.iterdir())) == 12


def test_only_the_builtin_templates_have_their_compiled_code_kept(tmp_path: Path) -> None:
    builtin = search_path()
    cache = environment(builtin).bytecode_cache
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert cache.pattern.startswith("__worksheetgen_")  # never another program's (or version's) code
    assert environment(search_path([tmp_path])).bytecode_cache is None  # a teacher's folder: always afresh


def test_templates_from_kept_code_make_the_same_sheets(
    shipped: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sheets() -> list[bytes]:
        environment.cache_clear()
        made = []
        for kind in ("gap-fill", "essay-planner"):
            for is_key in (False, True):
                document, _ = build_document(shipped, Sheet(kind, Tier.core, is_key), 0, search_path())
                made.append(render(document, "docx"))
        return made

    try:
        monkeypatch.setattr(templating, "builtin_bytecode", lambda: None)
        afresh = sheets()
        kept = jinja2.FileSystemBytecodeCache(str(tmp_path), "%s.cache")
        monkeypatch.setattr(templating, "builtin_bytecode", lambda: kept)
        assert sheets() == afresh  # compiled, and the code kept
        assert len(list(tmp_path.glob("*.cache"))) >= 4
        assert sheets() == afresh  # from the kept code
    finally:
        environment.cache_clear()


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="only forked workers inherit the heap")
def test_forked_workers_leave_what_they_inherit_out_of_their_collections() -> None:
    with executor(2, 2) as pool:
        frozen = [pool.submit(gc.get_freeze_count).result() for _ in range(3)]
    assert all(count > 10_000 for count in frozen)  # modules, content, fonts: forked, never traversed
    assert gc.get_freeze_count() == 0  # this process collects as before


def test_the_template_cache_is_used_only_in_a_private_folder_of_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled code loaded from a folder others may write to would run their code."""
    from worksheetgen import templating

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = templating._private_cache_folder()
    assert folder == tmp_path / "worksheetgen" / "templates" and folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o777)
    assert templating._private_cache_folder() is None


def test_a_kept_docx_shell_is_the_shell_made_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheetgen.layout import layout_for
    from worksheetgen.render import docx_shell

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    layout = layout_for(Tier.support, PrintSettings("letter", Profile.dyslexia))
    docx_shell.shell.cache_clear()
    try:
        made = docx_shell.shell(layout, "fr-FR")
        kept = list((tmp_path / "worksheetgen" / "shells").glob("shell_*.zip"))
        assert len(kept) == 1
        docx_shell.shell.cache_clear()
        assert docx_shell.shell(layout, "fr-FR") == made  # read back: the same parts, in the same order
        assert list(docx_shell.shell(layout, "fr-FR").parts) == list(made.parts)
        kept[0].write_bytes(b"not a zip")
        docx_shell.shell.cache_clear()
        assert docx_shell.shell(layout, "fr-FR") == made  # spoilt: made afresh, and kept again
        assert docx_shell._read_shell(kept[0]) == made
    finally:
        docx_shell.shell.cache_clear()


def test_a_built_in_template_says_where_a_markup_error_is_from_by_rendering_again() -> None:
    from worksheetgen.sourcemap import Untraced
    from worksheetgen.templating import render_here

    search = search_path()
    context = {"content": None, "entries": [{"label": "A", "detail": "B", "pages": "1"}], "cards": False}
    rendered = render_here("_contents.j2", search, {**context, "keys": False, "pupils": False})
    traced = render_here("_contents.j2", search, {**context, "keys": False, "pupils": False}, traced=True)
    assert isinstance(rendered, Untraced) and not rendered.origins and traced.origins
    assert rendered.text == traced.text
    lines = rendered.text.count("\n") + 1
    where = [traced.where(n) for n in range(1, lines + 1)]
    assert [rendered.where(n) for n in range(1, lines + 1)] == where and "_contents.j2:6" in where
