"""The content model: what a teacher writes about a topic, validated and typed.

Content knows nothing about sheets. Every sheet kind reads from these models, so a
topic file written once drives every kind and tier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from worksheetgen.textclean import clean_text

MAX_TEXT = 20_000  # characters in a passage paragraph or a source's text (the shipped longest: ~1,300)
MAX_SENTENCE = 1_000  # characters in any other value: a title, a definition, an evidence item (shipped: < 400)
MAX_EVIDENCE = 500  # characters in one evidence item (shipped: < 140): the grid's key prints it in a narrow cell
FROM_FILE = {"from_file": True}  # validation context of a content file a teacher gives


def _cleaner(most: int) -> Callable[[str, ValidationInfo], str]:
    """Content built in code passes the same text boundary as content read from files. A file's
    value is at most `most` characters: 300 KB of one cause's evidence took a minute of layout
    per sheet (fifth red-team pass), and four 19,000-character evidence items, which the key of
    the essay planner puts in one paragraph, made a built-in template fail after minutes (BROKEN
    13). Values meant to be a sentence or two are held to MAX_SENTENCE, so what the built-in
    templates sum stays far under the markup's 50,000 characters a paragraph; passages keep
    MAX_TEXT. The importer, whose output the teacher then edits, may write longer ones, which
    the file check then points at."""

    def clean(value: str, info: ValidationInfo) -> str:
        cleaned = clean_text(value)[0]
        if info.context == FROM_FILE and len(cleaned) > most:
            raise PydanticCustomError(
                "text_too_long",
                "expected at most {most} characters (this has {found}); split it up",
                {"most": f"{most:,}", "found": f"{len(cleaned):,}"},
            )
        return cleaned

    return clean


_TRIM = StringConstraints(strip_whitespace=True, min_length=1)
Text = Annotated[str, AfterValidator(_cleaner(MAX_SENTENCE)), _TRIM]
LongText = Annotated[str, AfterValidator(_cleaner(MAX_TEXT)), _TRIM]  # a passage paragraph or a source
Evidence = Annotated[str, AfterValidator(_cleaner(MAX_EVIDENCE)), _TRIM]  # 980 characters overran a page
CARD_LINE = 40  # characters: as much as a support diamond card shows under its title


def _card_line(text: str) -> str:
    """A card is cut to the size of its box, so its line must fit there."""
    if len(text) > CARD_LINE:
        raise PydanticCustomError(
            "text_too_long",
            "expected at most {most} characters, as a card is cut to the size of its box (this has {found})",
            {"most": CARD_LINE, "found": len(text)},
        )
    return text


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _language_tag(value: str) -> str:
    """A BCP 47-like tag (en-GB, fr, pt-BR, sr-Latn): Word and LibreOffice pick the spelling
    dictionary by it, and a word such as 'English' would silently turn checking off."""
    if not _LANGUAGE_TAG.fullmatch(value):
        raise PydanticCustomError("language_tag", "expected a language tag such as en-GB, en-US, fr or pt-BR")
    return value


LanguageTag = Annotated[Text, AfterValidator(_language_tag)]


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(StrEnum):
    """The type of a cause, as used on the causation grid (the last three for Geography and science)."""

    political = "political"
    economic = "economic"
    social = "social"
    personal = "personal"
    international = "international"
    ideological = "ideological"
    physical = "physical"
    human = "human"
    environmental = "environmental"


class Timescale(StrEnum):
    """When a cause operated: underlying, recent, or the spark."""

    long_term = "long-term"
    short_term = "short-term"
    trigger = "trigger"


class Level(StrEnum):
    """How demanding a term is: support sheets take foundation terms, challenge sheets advanced ones."""

    foundation = "foundation"
    core = "core"
    advanced = "advanced"


ESSENTIAL = "On every tier's sheet whatever the seed: the topic makes no sense without it."


class Term(Strict):
    """A glossary entry."""

    term: Text
    definition: Text
    simple: Text | None = Field(None, description="Shorter definition for the support tier.")
    alternatives: list[Text] = Field(default_factory=list, description="Other accepted forms.")
    note: Text | None = None
    essential: bool = Field(False, description=ESSENTIAL)
    level: Level = Field(Level.core, description="foundation (support sheets), core, or advanced (challenge sheets).")
    support_gloss: bool = Field(
        False,
        description="Explain this word beside the support gap-fill passage, even when it is one of the answers.",
    )


class Person(Strict):
    """Someone pupils need to know."""

    name: Text
    short: Text | None = Field(None, description="How the text refers to them (default: surname).")
    alternatives: list[Text] = Field(default_factory=list, description="Accepted spellings.")
    role: Text
    dates: Text | None = None
    fate: Text | None = None

    @property
    def short_name(self) -> str:
        return self.short or self.name.split()[-1]


class Event(Strict):
    """A dated event for timelines; `date` is shown exactly as typed."""

    date: Text
    sort: Text | None = Field(None, description="Sortable date YYYY[-MM[-DD]] if `date` is vague.")
    title: Text
    detail: Text | None = None
    disputed: Text | None = Field(None, description="What historians disagree about.")
    essential: bool = Field(False, description=ESSENTIAL)


class CauseLink(Strict):
    """How one cause led to, or made worse, another: an arrow the challenge diamond key rewards."""

    to: Text = Field(description="The `id` of the cause this one led to or made worse.")
    how: Text = Field(description="How, in one sentence a teacher can check against the facts.")


class Cause(Strict):
    """One answer to the key question, for ranking and categorising."""

    id: Text
    title: Text
    category: Category
    also: list[Category] = Field(default_factory=list, description="Arguable extra categories.")
    timescale: Timescale
    evidence: list[Evidence] = Field(min_length=1)
    disputed: Text | None = None
    essential: bool = Field(False, description=ESSENTIAL)
    extension: bool = Field(
        False,
        description="Beyond the core course (e.g. A-level): left out first when a sheet has room for fewer causes.",
    )
    card_line: Annotated[Text, AfterValidator(_card_line)] | None = Field(
        None,
        description=f"A few words (at most {CARD_LINE} characters) under the title on a support diamond-nine card: "
        "what the cause was, in a nutshell; a card is the size of its box, so longer will not fit. "
        "Without it, a first evidence item that short is used.",
    )
    key_note: Text | None = Field(
        None,
        description="Why this cause matters as much (or as little) as it does: the ranking keys print it, "
        "in place of a reason worked out from its time-scale and type.",
    )
    links: list[CauseLink] = Field(
        default_factory=list,
        description="The causes this one led to or made worse, and how: the only arrows the keys reward when given.",
    )


class Quote(Strict):
    """Words someone said or wrote; unverified ones are marked attributed."""

    text: Text
    speaker: Text
    date: Text | None = None
    source: Text | None = None
    attributed: bool = Field(False, description="True when the words could not be verified.")
    note: Text | None = None


class Source(Strict):
    """A historical source for source analysis, with its provenance (NOP)."""

    id: Text
    title: Text
    text: LongText
    nature: Text = Field(description="What kind of source it is.")
    origin: Text = Field(description="Who made it, when and where.")
    purpose: Text = Field(description="Why it was made and for whom.")
    context: list[Text] = Field(default_factory=list, description="Own knowledge that helps.")
    useful: Text | None = Field(
        None, description="Why this source is useful, from its author, date, purpose and audience (for the key)."
    )
    limits: Text | None = Field(None, description="Why this source is limited: what it cannot tell us.")
    essential: bool = Field(False, description="Used first: support and core analyse the first source, challenge two.")


class Statistic(Strict):
    """A number with its source; disputed figures say so."""

    label: Text
    value: Text
    source: Text | None = None
    disputed: Text | None = None


class EssayQuestion(Strict):
    """An exam-style question the essay planner is built around."""

    text: Text
    marks: int = Field(gt=0, le=100)
    style: Text | None = None
    stimulus: list[Text] = Field(default_factory=list, description="Bullet points given in the question.")


class Interpretation(Strict):
    """A historian's view, for the challenge tier."""

    historian: Text
    view: Text


class Misconception(Strict):
    """A common wrong answer and the correction, for answer keys."""

    wrong: Text
    right: Text


class Content(Strict):
    """One topic: everything every sheet kind draws on."""

    title: Text
    key_question: Text
    subject: Text = "History"
    period: Text | None = None
    levels: list[Text] = Field(default_factory=list)
    language: LanguageTag = Field("en-GB", description="The sheets' language (BCP 47 tag), for spell checking.")
    credit: Text | None = Field(None, description="Source credit printed in every footer.")
    source_note: LongText | None = None
    summary: list[LongText] = Field(
        default_factory=list,
        description="Narrative paragraphs; mark gap-fill answers as [[answer]] or [[answer|alt]].",
    )
    summary_support: list[LongText] = Field(
        default_factory=list,
        description="A shorter, simpler passage in short sentences for the support gap-fill, marked the same way.",
    )
    spellings: Text | None = Field(
        None, description="What answer keys should say about this topic's spellings (e.g. transliterated names)."
    )
    glossary: list[Term] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    essay_questions: list[EssayQuestion] = Field(default_factory=list)
    interpretations: list[Interpretation] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
