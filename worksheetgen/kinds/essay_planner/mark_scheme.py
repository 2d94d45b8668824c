"""The mark scheme the key prints, and the pupil's self-check quoted from it word for word.

PEDAGOGY 2.2 (GCSE 12-mark "explain why", with the stimulus caps) and 2.4/2.5 (A-level, five
levels). Every self-check item quotes a phrase of a level descriptor or a note that the key
prints, so the pupil sheet never promises marks the mark scheme does not give (PEDAGOGY, finish
rules). `quote` refuses a phrase that is not in the descriptor it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheetgen.kinds.language import Framing
from worksheetgen.model import EssayQuestion

GCSE_LEVELS = (
    "Simple or generalised answer; limited knowledge and understanding.",
    "Limited analysis; links are implicit or unsustained; some development.",
    "Some analysis, mainly directed at the conceptual focus of the question; the line of reasoning is generally "
    "sustained; good knowledge and understanding.",
    "An analytical explanation is given which is directed consistently at the conceptual focus of the question, "
    "showing a line of reasoning that is coherent, sustained and logically structured. Information is precisely "
    "selected, showing wide-ranging knowledge.",
)
# A-level: no board's level wording could be checked (PEDAGOGY 2.4 has only the five bands, 1-5 to
# 21-25), so these are the planner's own summary, printed as such, and never the wording of an
# older generic GCSE scheme (PEDAGOGY 2.5) passed off as the board's.
A_LEVEL_LEVELS = (
    "Simple statements with little relevance to the question; no real judgement.",
    "Mostly description, with causes implied rather than explained; limited evidence and judgement.",
    "Several causes explained with some supporting evidence; some analysis and an attempt at a judgement, but "
    "links and balance are uneven.",
    "An analytical answer that explains and links several factors with a range of accurate, selected evidence, "
    "reaching a reasoned judgement; balance or depth may be uneven.",
    "A balanced analytical answer that weighs the relative importance of the factors and how short- and long-term "
    "causes worked together, with precisely selected evidence throughout and a substantiated judgement.",
)
# Self-check items (worded in the template) and the descriptor phrase each one quotes: (level, phrase).
GCSE_CHECKS = (
    ("explain", 4, "directed consistently at the conceptual focus of the question"),
    ("links", 4, "a line of reasoning that is coherent, sustained and logically structured"),
    ("precise", 4, "Information is precisely selected, showing wide-ranging knowledge"),
)
A_LEVEL_CHECKS = (
    ("factors", 4, "explains and links several factors"),
    ("weigh", 5, "weighs the relative importance of the factors and how short- and long-term causes worked together"),
    ("precise", 5, "precisely selected evidence throughout"),
    ("counter", 5, "A balanced analytical answer"),
    ("judgement", 5, "a substantiated judgement"),
)


@dataclass(frozen=True)
class Level:
    level: int
    marks: str  # "10–12"
    descriptor: str


@dataclass(frozen=True)
class Check:
    """A self-check item (a key the template words) and the words of the mark scheme it quotes."""

    item: str
    source: str  # "Level 4 (10–12)" or "Mark scheme note"
    quote: str


@dataclass(frozen=True)
class MarkScheme:
    levels: tuple[Level, ...]  # highest first, as the key prints them
    notes: tuple[str, ...]  # caps and notes printed under the levels
    checks: tuple[Check, ...]
    board_wording: bool = True  # False: the levels are the planner's summary (the key says so)


def bands(marks: int, levels: int) -> list[tuple[int, int]]:
    """Equal mark bands: 12 marks, 4 levels -> 1-3, 4-6, 7-9, 10-12."""
    edges = [round(marks * i / levels) for i in range(levels + 1)]
    return [(edges[i] + 1, edges[i + 1]) for i in range(levels)]


def mark_scheme(question: EssayQuestion, a_level: bool, views: bool, frame: Framing) -> MarkScheme:
    """Levels and notes for the key, and the self-check quoted from them.

    `views`: the sheet asks for an interpretation, so the key says what using one earns.
    """
    wording = A_LEVEL_LEVELS if a_level else GCSE_LEVELS
    marked = bands(question.marks, len(wording))
    levels = tuple(
        Level(n, f"{lo}–{hi}", text)
        for n, ((lo, hi), text) in reversed(list(enumerate(zip(marked, wording, strict=True), start=1)))
    )
    notes: list[str] = []
    checks = [quote(levels, item, n, phrase) for item, n, phrase in (A_LEVEL_CHECKS if a_level else GCSE_CHECKS)]
    if not a_level and question.stimulus:
        (_, l2_top), (_, l3_top) = marked[1], marked[2]
        beyond = "No access to Level 4 for answers that do not go beyond the stimulus points."
        notes += [
            beyond,
            f"Level 3: maximum {l3_top - 1} marks if the answer does not go beyond the stimulus points.",
            f"Level 2: maximum {l2_top - 1} marks if the answer is restricted to the stimulus points.",
        ]
        checks.insert(0, Check("beyond", "Mark scheme note", beyond))
    elif a_level:
        notes.append(
            "These levels are the planner’s own summary, not the exam board’s wording (the self-check quotes "
            "them): check against the board’s published mark scheme. Full marks need a substantiated judgement."
        )
    if views:
        expert = frame.experts[:-1]  # "historian"
        credit = (
            f"A {expert}’s view earns credit only when it is used as evidence in the argument; "
            f"naming a {expert} without using the view earns nothing extra."
        )
        notes.append(credit)
        checks.append(Check("view", "Mark scheme note", credit))
    return MarkScheme(levels, tuple(notes), tuple(checks), board_wording=not a_level)


def quote(levels: tuple[Level, ...], item: str, number: int, phrase: str) -> Check:
    """A self-check item quoting `phrase` from level `number`'s descriptor (which must contain it)."""
    level = next(lv for lv in levels if lv.level == number)
    if phrase not in level.descriptor:
        raise ValueError(f"self-check phrase {phrase!r} is not in the Level {number} descriptor")
    return Check(item, f"Level {number} ({level.marks})", phrase)
