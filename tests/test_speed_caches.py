"""What a run keeps once per process to save time (issue 15) never changes what is made."""

from __future__ import annotations

import gc

from reportlab.pdfbase import pdfmetrics

from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.model import Content
from worksheetgen.pipeline import Sheet, build_document, render, run_characters
from worksheetgen.render import subsets
from worksheetgen.sandbox import _FROZEN, Record, plain
from worksheetgen.templating import search_path
from worksheetgen.workers import sharing_glyphs


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
