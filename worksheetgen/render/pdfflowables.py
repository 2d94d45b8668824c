"""The PDF renderer's own flowables: paragraphs that wrap once per width and draw a tick box's
line exactly inside their height, the heading of a card sheet (which bookmarks its page), and a
box taller than a page that starts only where a real part of it fits."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, paragraph
from reportlab.platypus.doctemplate import ActionFlowable

PARSED_KEPT = 4096  # paragraphs whose parsed markup is kept (a class batch has about 1,400 distinct)
_PARSED: OrderedDict[tuple[object, ...], tuple[str, list[Any], object]] = OrderedDict()
WRAPPED_KEPT = 4096  # paragraphs whose line breaks are kept, by markup, style and width
_WRAPPED: OrderedDict[tuple[object, ...], dict[str, Any]] = OrderedDict()


class PdfParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its line breaks for the last width it was given.

    Tables and KeepTogether ask each paragraph its height several times at the same width,
    and breaking lines is most of the time spent drawing a sheet; the result depends on the
    width only, so it is worked out once.
    """

    _wrapped_at: float | None = None
    _fresh: tuple[object, ...] | None = None  # the parse key, while the pieces are as parsed (never wrapped)

    def _setup(
        self,
        text: str,
        style: ParagraphStyle,
        bulletText: Any,  # noqa: N803 - reportlab's name
        frags: Any,
        cleaner: Callable[[str], str],
    ) -> None:
        """reportlab's, with each text's parsed markup kept for the next paragraph of the same
        text and style: a batch's variants and keys repeat most of their paragraphs, and parsing
        the markup is a tenth of drawing a sheet. Each paragraph gets its own copies of the pieces."""
        key = _parse_key(text, style, bulletText, self.caseSensitive) if frags is None else None
        found = _PARSED.get(key) if key else None
        if key is None or found is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            if key and self.style is style and self.bulletText is bulletText:  # no <para> or <bullet> markup
                _PARSED[key] = (self.text, [frag.clone() for frag in self.frags], bulletText)
                while len(_PARSED) > PARSED_KEPT:
                    _PARSED.popitem(last=False)
                self._fresh = key
            return
        _PARSED.move_to_end(key)
        cleaned, parsed, _ = found
        super()._setup(cleaned, style, bulletText, [frag.clone() for frag in parsed], cleaner)
        self._fresh = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if availWidth != self._wrapped_at or "blPara" not in self.__dict__:  # split() may drop it
            self._wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self.width, self.height

    def _wrap(self, width: float, height: float) -> None:
        """reportlab's wrap, with the line breaks of a paragraph's first wrap kept for the next
        paragraph of the same markup and style at the same width: a batch's variants and keys
        repeat most of their paragraphs, and breaking lines is a third of drawing a sheet. Each
        paragraph gets its own copies of the lines (the words in them are shared, and never
        changed: a paragraph whose words were split or hyphenated is not kept)."""
        key = (self._fresh, width) if self._fresh is not None else None
        self._fresh = None  # from here on the pieces are the wrapped words, not the parsed markup
        found = _WRAPPED.get(key) if key else None
        if key and found is not None:
            _WRAPPED.move_to_end(key)
            self.__dict__.update(_copied(found))
            return
        before = dict(self.__dict__)
        super().wrap(width, height)
        if key is None:
            return
        changed = {name: value for name, value in self.__dict__.items() if before.get(name, _NONE) is not value}
        if _plain_lines(changed):
            _WRAPPED[key] = _copied(changed)
            while len(_WRAPPED) > WRAPPED_KEPT:
                _WRAPPED.popitem(last=False)


_NONE = object()
_WHOLE_WORDS = (list, paragraph._HSFrag)  # a word, a word followed by a space


def _plain_lines(wrapped: dict[str, Any]) -> bool:
    """Whether a wrap's lines hold whole words only (no word split to fit, no hyphen, nothing
    reportlab changes when it splits the paragraph later), so that copies of them can be shared."""
    lines = wrapped.get("blPara")
    if lines is None or wrapped.get("_hyphenations", 0) or wrapped.get("_splitLongWordCount", 0):
        return False
    if type(lines.lines) is not list:  # right-to-left lines, sorted for drawing
        return False
    if lines.kind == 0:
        return all(type(word) is str for _, words in lines.lines for word in words)
    pieces = wrapped.get("frags")
    return isinstance(pieces, list) and all(type(piece) in _WHOLE_WORDS for piece in pieces)


def _copied(wrapped: dict[str, Any]) -> dict[str, Any]:
    """A wrap's attributes with lists and lines of their own (the words in them shared)."""
    copy = dict(wrapped)
    lines = wrapped["blPara"]
    if lines.kind == 0:
        copy["blPara"] = lines.clone(lines=[(space, list(words)) for space, words in lines.lines])
    else:
        copy["blPara"] = lines.clone(lines=[line.clone(words=list(line.words)) for line in lines.lines])
    if "frags" in wrapped:
        copy["frags"] = [type(piece)(piece) for piece in wrapped["frags"]]
    if "_wrapWidths" in wrapped:
        copy["_wrapWidths"] = list(wrapped["_wrapWidths"])
    return copy


def _parse_key(text: str, style: ParagraphStyle, bullet: Any, case: int) -> tuple[object, ...] | None:
    """What parsing a paragraph's markup depends on: its text and every value of its style."""
    try:
        values = tuple(item for item in style.__dict__.items() if item[0] != "parent")
        key = (text, case, bullet, type(style), values)
        hash(key)
    except TypeError:  # a value that cannot be compared: parse it each time
        return None
    return key


class SpacedParagraph(PdfParagraph):
    """A short paragraph holding a tick box (an instruction, a word bank entry) whose text is drawn
    exactly inside its height, so its last line is as far from what follows as a plain paragraph's.
    Not for running text that may split over pages (its parts are measured by reportlab's count)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if availWidth != self._wrapped_at or "blPara" not in self.__dict__:
            super().wrap(availWidth, availHeight)
            self.grown = self._drift()
            self.height += self.grown
        return self.width, self.height

    def _drift(self) -> float:
        """Growing lines (a tick box, see `boxed`): reportlab counts the first line's height from its
        ascent but draws its baseline the line's font size below the top, so a line holding the big
        box sits lower than counted and the last line would crowd what follows; the paragraph
        grows (or shrinks) by the difference, and by what each line is drawn taller than counted (a
        box line's ascent and descent are each at least 5/6 and 1/6 of the leading), so it is drawn
        exactly inside its height."""
        lines = getattr(self.blPara, "lines", None)
        style = self.style
        growing = getattr(style, "autoLeading", "") == "max" and rl_config.paraFontSizeHeightOffset
        if not growing or self.blPara.kind != 1 or not lines:
            return 0.0
        leading = style.leading

        def drawn(line: object) -> float:  # reportlab's line height as drawn, not as counted
            ascent, descent = line.ascent, -line.descent  # type: ignore[attr-defined]
            return float(max(leading * 5 / 6, ascent) + max(leading / 6, descent) - max(ascent + descent, leading))

        first = lines[0]
        return float(first.fontSize - max(leading * 5 / 6, first.ascent)) + sum(drawn(line) for line in lines)


class TickedParagraph(SpacedParagraph):
    """A running paragraph holding a tick box (a fact to tick, a self-check line), drawn exactly
    inside its height like a SpacedParagraph, so a border under it never runs through its last
    line. What it grows by comes out of the space after it (down to `LEAST_AFTER`, or wholly when
    another tick-box paragraph follows): it is drawn where it was before, and what follows moves down
    only where a border or rule would have touched it.
    Split over pages, each part grows by its own lines' drift: the first is cut to leave room
    for it (a part's drift is at most the whole paragraph's)."""

    LEAST_AFTER = 2.0
    grown = 0.0
    closes = True  # False when another tick-box paragraph follows (its tall first line keeps clear)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        self.wrap(availWidth, availHeight)
        return list(super().split(availWidth, availHeight - self.grown))

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        after = float(super().getSpaceAfter())
        if not self.closes:  # the text below starts a line's ascent down: laid out as before
            return after - self.grown
        return max(min(after, self.LEAST_AFTER), after - self.grown)


class CardSheetStart(PdfParagraph):
    """The heading of a card sheet to cut out: notes its page, which gets a 'Cut-out cards'
    bookmark so that a print file can give the cards a leaf of their own."""

    def draw(self) -> None:
        self.canv.card_pages.add(self.canv.getPageNumber())
        super().draw()


class OddPageStart(ActionFlowable):  # type: ignore[misc]
    """Before a card sheet, at the top of a page: if that page is even (the back of the sheet
    before), it is left blank but for a short note and the cards start on the next, odd, page:
    the front of a leaf of their own, so cutting them out never cuts what the pupil keeps."""

    def __init__(self, note: Paragraph) -> None:
        super().__init__()
        self.note = note

    def apply(self, doc: Any) -> None:
        if doc.page % 2 or not doc.frame._atTop:
            return
        frame = doc.frame
        _, height = self.note.wrap(frame._width, frame._height)
        self.note.drawOn(doc.canv, frame._x1, frame._y1 + (frame._height - height) / 2)
        doc.left_blank = True  # a page meant to be (almost) empty: see FillingTemplate
        doc.handle_pageBreak()


class AlwaysSplit(Flowable):  # type: ignore[misc]
    """A flowable that never fits whole, so the frame always asks it to split: its `split`
    decides what goes on this page and what moves on. It is never drawn itself."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return availWidth, availHeight + 1

    def draw(self) -> None:  # pragma: no cover - always split before drawing
        raise AssertionError(f"{type(self).__name__} is split, never drawn")


class TallBox(AlwaysSplit):
    """A box taller than a page, which must split anyway: it starts where the page has room if
    what fits there is a real part of it (`least` points or more), else on the next page (a box
    title alone at the foot of a page is no start)."""

    def __init__(self, box: Flowable, least: float) -> None:
        super().__init__()
        self.box = box
        self.least = least

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = self.box.splitOn(self.canv, availWidth, availHeight)
        if getattr(self, "_postponed", False) or (
            parts and parts[0].wrapOn(self.canv, availWidth, availHeight)[1] >= self.least
        ):
            return list(parts) or [self.box]
        return []  # the frame moves it to the next page
