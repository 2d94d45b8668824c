"""How wide text is in the DOCX's fonts, about, and the header and footer fitted to one line.

The DOCX names fonts it does not carry (Arial, Andika; LibreOffice shows Liberation Sans and,
without Andika, DejaVu Sans; Word without Andika shows Verdana), so widths are estimated from
character classes, on the wide side: a line that would wrap in Word is shortened here instead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from worksheetgen import document as d
from worksheetgen.layout import Layout, Typeface

# Widths of Arial's characters in thousandths of an em, in classes (Verdana, the readable face's
# fallback and its widest stand-in, is about 15% wider):
# enough to keep a footer on one line without the font file, with a margin for error.
_NARROW, _WIDE = frozenset(" .,:;'!|ijlIftr()[]-·"), frozenset("mwMWOQGCDHNU@%")
_EM_WIDTH = {Typeface.sans: 1.0, Typeface.readable: 1.16}
BOLD = 1.1  # bold is about a tenth wider
PAGE_LABEL = "Page 88 of 88"


def text_width(text: str, size: float, layout: Layout) -> float:
    """About how wide `text` is in points at `size` in the layout's DOCX font (on the wide side)."""
    units = sum(280 if c in _NARROW else 860 if c in _WIDE else 600 if c.isupper() else 560 for c in text)
    return units / 1000 * size * _EM_WIDTH[layout.typeface] + len(text) * layout.letter_spacing


def footer_label(meta: d.Meta, layout: Layout) -> str:
    """The footer's topic and credit, shortened to fit one line beside 'Page x of y': the
    credit loses its notes in brackets, then all but its first part (the author), then the
    text is cut at a word with an ellipsis."""
    room = layout.frame_width.pt - text_width(PAGE_LABEL, layout.small_size, layout) - 12
    credit = re.sub(r"\s+", " ", meta.credit).strip()
    shorter = [credit, credit.split(" (")[0], credit.split(" (")[0].split(",")[0]]
    for candidate in dict.fromkeys(shorter):
        label = replace(meta, credit=candidate).footer_label
        if text_width(label, layout.small_size, layout) <= room:
            return label
    # Widths add up, so each word is measured once and the longest run of words that fits is
    # found in one pass: popping a word and measuring the rest again took 15-18 s for a
    # 20,000-character title (quadratic in its words).
    words = label.split(" ")
    space = text_width(" ", layout.small_size, layout)
    width, keep = text_width("…", layout.small_size, layout), 1
    for count, word in enumerate(words, start=1):
        width += text_width(word, layout.small_size, layout) + (space if count > 1 else 0)
        if width > room:
            break
        keep = count
    return " ".join(words[:keep]).rstrip(" ·,:") + "…"


def name_line(label: str, layout: Layout) -> str:
    """The header's text on one line beside the marker: at large sizes every run of underscores
    (the writing lines for name, class and date) shortens in proportion, to no fewer than 4."""
    room = layout.frame_width.pt - text_width("◆ A", layout.small_size, layout) - 12
    runs = [len(rule) for rule in re.findall(r"_{4,}", label)]
    pieces = re.split(r"_{4,}", label)
    for percent in range(100, 0, -5):
        rules = ["_" * max(4, n * percent // 100) for n in runs]
        shorter = "".join(piece + rule for piece, rule in zip(pieces, [*rules, ""], strict=True))
        if text_width(shorter, layout.small_size, layout) <= room:
            break
    return shorter
