"""Page quality for the PDF: what a teacher sees before photocopying.

- A heading (or a writing-lines label) never ends a page: it goes with the start of what
  follows it (`KeepWithNext`), or both move to the next page.
- A page holding only a few lines is pulled back: the page before it is given a little less
  room, so that more of the content moves onto the near-empty page (`fills` records how full
  each page is; `SheetTemplate` shortens the pages it is told to).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Frame
from reportlab.platypus.doctemplate import ActionFlowable

from worksheetgen.render.pdfflowables import AlwaysSplit
from worksheetgen.render.pdfpage import SheetTemplate

NEAR_EMPTY = 0.22  # a page (of two or more) filled less than this is pulled back; the check says 20%
OVERFLOWED = 0.6  # a page fuller than this ran over onto the next (else it ended with a page break)
SPARSE, FULL = 0.4, 0.85  # a sparse page (not the last) after a full one that ran over: the two are balanced
KEEP = "_wsg_keep_with_next"


def keep_with_next(flowable: Flowable) -> Flowable:
    """Mark a flowable to stay on the page of the one after it."""
    setattr(flowable, KEEP, True)
    return flowable


def chain_kept(flowables: Sequence[Flowable]) -> list[Flowable]:
    """Marked flowables joined with what follows them into one `KeepWithNext`."""
    out: list[Flowable] = []
    kept: list[Flowable] = []
    for flowable in flowables:
        if getattr(flowable, KEEP, False):
            kept.append(flowable)
        elif kept:
            out.append(KeepWithNext(kept, flowable))
            kept = []
        else:
            out.append(flowable)
    return out + kept


class KeepWithNext(AlwaysSplit):
    """Headings and the flowable after them: placed together, or, where the start of the
    flowable does not fit under the headings, moved together to the next page.

    It never draws itself: it always asks to be split, and the split hands the frame its
    parts (headings, then the flowable or its first part and the rest)."""

    def __init__(self, leading: list[Flowable], following: Flowable) -> None:
        super().__init__()
        self.leading = leading
        self.following = following

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if getattr(self, "_postponed", False):  # already moved once: at the top of a page, place as is
            return [*self.leading, self.following]
        above = sum(
            f.wrapOn(self.canv, availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
            for f in self.leading
        )
        room = availHeight - above
        if room <= 0:
            return self._move()
        _, height = self.following.wrapOn(self.canv, availWidth, room)
        if height + self.following.getSpaceBefore() <= room:
            return [*self.leading, self.following]
        parts = self.following.splitOn(self.canv, availWidth, room)
        if not parts or isinstance(parts[0], ActionFlowable) or parts[0].wrapOn(self.canv, availWidth, room)[1] <= 0:
            return self._move()
        return [*self.leading, *parts]

    def _move(self) -> list[Flowable]:
        """Both to the next page; but not where that would leave this page nearly empty (a title
        alone above instructions and a task that needs a page of its own): then the leading
        flowables stay here and what follows starts the next page."""
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._y - frame._y1 > frame._height * (1 - NEAR_EMPTY):
            return [*self.leading, self.following]
        return []


def _height(flowable: Flowable, canvas: object, width: float, height: float) -> float:
    return float(flowable.wrapOn(canvas, width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter())


class FillingTemplate(SheetTemplate):
    """A sheet template that records how full each page's frame ends, and gives some pages
    a shorter frame (`short`: page number -> points taken off its foot)."""

    def __init__(self, *args: object, short: dict[int, float] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.short = short or {}
        self.fills: list[float] = []
        self.blanked = False  # a page was left blank before a card sheet
        self._full_frame: Frame | None = None

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab's name
        template = self.pageTemplate
        full = self._full_frame = self._full_frame or template.frames[0]
        cut = self.short.get(self.page + 1, 0.0)
        template.frames = [_frame(full, cut)] if cut else [full]
        super().handle_pageBegin()

    def handle_pageEnd(self) -> None:  # noqa: N802
        full = self._full_frame or self.frame
        top = full._y1 + full._height
        blank = getattr(self, "left_blank", False)  # left blank for a card sheet: never pulled back
        self.blanked = self.blanked or blank
        self.fills.append(1.0 if blank else max(0.0, (top - self.frame._y) / full._height))
        self.left_blank = False
        super().handle_pageEnd()


def _frame(full: Frame, cut: float) -> Frame:
    return Frame(
        full._x1, full._y1 + cut, full._width, full._height - cut, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip


def pull_back(fills: Sequence[float], height: float) -> dict[int, float]:
    """For each near-empty page after the first, how much to shorten the page before it so
    that it gives up enough to fill the near-empty one past the limit (only where the page
    before ran over: one ended by a page break gives nothing up). A sparse page before the
    last, after a full page that ran over (a list whose last three entries went overleaf),
    gets half the difference, so the two are about equally full."""
    short = {}
    for number, fill in enumerate(fills, start=1):
        before = fills[number - 2] if number > 1 else 0.0
        if number > 1 and fill < NEAR_EMPTY and before > OVERFLOWED:
            short[number - 1] = (1 - before + NEAR_EMPTY + 0.03 - fill) * height
        elif 1 < number < len(fills) and fill < SPARSE and before > FULL:
            short[number - 1] = (before - fill) / 2 * height
    return short


def better(old: Sequence[float], new: Sequence[float]) -> bool:
    """A second layout is kept if it has no more pages and fewer near-empty ones, none of them new;
    or as many pages, no new near-empty one, and its sparsest page (but the last) fuller by a tenth."""
    near = [i for i, f in enumerate(old) if f < NEAR_EMPTY]
    near_new = [i for i, f in enumerate(new) if f < NEAR_EMPTY]
    if len(new) <= len(old) and len(near_new) < len(near) and set(near_new) <= set(near):
        return True
    return len(new) == len(old) and set(near_new) <= set(near) and _sparsest(new) > _sparsest(old) + 0.1


def _sparsest(fills: Sequence[float]) -> float:
    return min(fills[:-1], default=1.0)
