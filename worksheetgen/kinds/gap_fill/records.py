"""The gap-fill's records: candidate gaps and sentences while choosing, and the GapFill (plain,
frozen data) that the templates are handed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from worksheetgen.model import Misconception

# A number standing alone: not part of a date like 1914-06-28, a time like 1:30 or a range 1936–38.
NUMBER = re.compile(r"(?<![\w,.\-/:–])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?%?)(?![\w,\-/:–]|\.\d)")


@dataclass(frozen=True)
class Candidate:
    """A possible gap: where it is, the answer as printed, and accepted alternatives."""

    sentence: int
    start: int
    end: int
    answer: str
    alternatives: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return bool(NUMBER.fullmatch(self.answer))


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    text: str
    marks: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Answer:
    number: int
    answer: str
    alternatives: tuple[str, ...]
    hint: str
    approximately: str = ""  # for a large number: the rounded figures the key accepts


@dataclass(frozen=True)
class Part:
    """A piece of the passage: plain text, or a gap with its answer."""

    text: str = ""
    gap: Answer | None = None


@dataclass(frozen=True)
class Glossed:
    term: str
    definition: str


@dataclass(frozen=True)
class Slip:
    """The likeliest wrong answer for one gap: a word of the same kind, and what it really is."""

    number: int
    answer: str
    wrong: str
    why: str  # the wrong word's role or meaning, from the content


@dataclass(frozen=True)
class Point:
    """A point a good follow-up answer makes, for the challenge key: a cause and its first evidence."""

    title: str
    timescale: str
    category: str
    evidence: str


@dataclass(frozen=True)
class GapFill:
    """Everything the gap-fill templates need for one tier."""

    paragraphs: tuple[tuple[Part, ...], ...]
    answers: tuple[Answer, ...]
    bank: tuple[str, ...]
    distractors: tuple[str, ...]
    glossed: tuple[Glossed, ...]
    misconceptions: tuple[Misconception, ...]
    hinted: int  # support: how many gaps show a first letter
    rounded: bool  # a gap needs a large number, which may be given rounded
    frame: str  # "history", "geography" or "other": how the follow-up and the key are worded
    enquiry: str  # "why the purges happened", or "the question “...”"
    form: str  # the key question's form: "why", "how" or "other"
    points: tuple[Point, ...]  # challenge key: what a good follow-up answer includes
    key_words: tuple[str, ...]  # challenge key, when the topic has no causes: terms a good answer uses
    spellings: str  # the content's note on spellings to accept ("" if none)
    notes: tuple[str, ...] = field(default=())
    slips: tuple[Slip, ...] = ()  # the key: each gap's likeliest wrong answer and why it is wrong
