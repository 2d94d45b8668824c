"""PDF renderer (reportlab): a Document laid out as Platypus flowables, with a second layout
where the first leaves a near-empty page.

Blocks become flowables in pdfblocks.py (measured in pdfmeasure.py, table rows kept together in
pdfrows.py, styles in pdfkit.py); the embedded Unicode font is checked for every character
before anything is drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from reportlab.platypus.doctemplate import LayoutError

from worksheetgen import document as d
from worksheetgen.errors import RenderError
from worksheetgen.layout import DEFAULT_PRINT, Layout, PrintSettings, layout_for
from worksheetgen.render.pdfblocks import block_flowables, title_flowables
from worksheetgen.render.pdfbudget import refuse_past_page_limit
from worksheetgen.render.pdfflow import FillingTemplate, better, chain_kept, pull_back
from worksheetgen.render.pdffonts import Fonts, check_glyphs, check_text, fonts_for
from worksheetgen.render.pdfkit import Kit, paragraph_styles
from worksheetgen.render.pdfpage import doc_template, numbered_canvas, render_name_overlay
from worksheetgen.render.pdfrows import RowsTooTallError

__all__ = ["check_printable", "render_name_overlay", "render_pdf"]


def render_pdf(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bytes:
    """Render a Document to PDF bytes; identical input gives identical bytes.

    A sheet with a near-empty page is laid out a second time with the page before it a little
    shorter, and that layout kept if it is better (see pdfflow)."""
    return _render(document, settings)[0]


def leaves_a_page_blank(document: d.Document, settings: PrintSettings = DEFAULT_PRINT) -> bool:
    """Whether the PDF leaves a page blank so that its card sheet starts on an odd page (the
    DOCX, which has no page layout of its own to ask, does the same). A sheet's PDF is rendered
    just before its DOCX (a batch's without the name: that changes no page break), so the answer
    of the last layout of the same blocks is reused rather than laid out again."""
    last = _LAST_LAYOUT.get("sheet")
    if last and last[0] is document.blocks and last[1:3] == (document.meta.tier, settings):
        return last[3]
    return _render(document, settings)[1]


_LAST_LAYOUT: dict[str, tuple[tuple[d.Block, ...], d.Tier, PrintSettings, bool]] = {}  # the last sheet laid out


def _render(document: d.Document, settings: PrintSettings) -> tuple[bytes, bool]:
    pdf, blank = _layout(document, settings)
    _LAST_LAYOUT["sheet"] = (document.blocks, document.meta.tier, settings, blank)
    return pdf, blank


def _layout(document: d.Document, settings: PrintSettings) -> tuple[bytes, bool]:
    layout = layout_for(document.meta.tier, settings)
    fonts = fonts_for(layout.typeface)
    check_glyphs(document, fonts)
    pdf, fills, blank = _build(document, layout, fonts, {})
    short = pull_back(fills, layout.frame_height.pt)
    if short:
        try:
            again, new_fills, new_blank = _build(document, layout, fonts, short)
        except RenderError:  # the shorter page cannot hold a block that fitted before
            return pdf, blank
        if better(fills, new_fills):
            return again, new_blank
    return pdf, blank


def _build(
    document: d.Document, layout: Layout, fonts: Fonts, short: dict[int, float]
) -> tuple[bytes, list[float], bool]:
    """One layout of the sheet: its PDF, how full each page's frame is, and whether a page was
    left blank before a card sheet."""
    kit = Kit(fonts, paragraph_styles(layout, fonts), layout, instructions=not document.meta.is_key)
    buffer = io.BytesIO()
    doc = doc_template(buffer, document.meta, layout, FillingTemplate, short=short)
    try:
        refuse_past_page_limit(document.blocks, layout, fonts.regular, min(document.meta.page_limit, doc.MAX_PAGES))
        story = chain_kept([*title_flowables(document.meta, kit), *block_flowables(document.blocks, kit, doc.width)])
        doc.build(story, canvasmaker=numbered_canvas(document.meta, layout, fonts))
    except RowsTooTallError as exc:
        raise RenderError(f"{document.meta.title}: {exc}") from None
    except LayoutError as exc:
        own = document.meta.page_limit <= d.OWN_PAGE_LIMIT
        raise RenderError(f"{document.meta.title}: {_explain_layout(str(exc), own)}") from None
    return buffer.getvalue(), doc.fills, doc.blanked


def _explain_layout(message: str, own: bool = False) -> str:
    """reportlab's LayoutError, said so that a teacher can find the text to shorten."""
    if "runs past" in message and own:
        return (
            f"{message}, the most a sheet from your own templates may run to (a built-in sheet may run to "
            "150): does a loop in the template repeat more than it should?"
        )
    if "runs past" in message:
        return f"{message}: a very long word in a narrow box, or far more content than one sheet holds"
    found = re.search(r"Paragraph at 0x[0-9a-fA-F]+>([^'\"\\]{1,60})", message)
    tall = re.search(r"tallest cell ([\d.]+) points", message)
    what = f" (it starts {found.group(1)!r})" if found else ""
    size = f": {float(tall.group(1)):.0f} pt tall" if tall else ""
    return f"one block of text is too long to fit on a page{size}{what}; shorten it or split it up"


def check_printable(texts: Iterable[str], settings: PrintSettings) -> None:
    """Check text against the profile's fonts before anything is rendered or written."""
    check_text(texts, fonts_for(layout_for(d.Tier.core, settings).typeface))
