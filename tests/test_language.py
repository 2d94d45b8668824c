"""The key question is parsed once, and every cause kind words it the same way.

Units for kinds/language.py (the parser, `mid`, keywords, the subject's framing), then the
agreement a teacher would notice: on "Why did the Tsar abdicate?" the diamond, the ladder, the
grid and the planner all say "the Tsar abdicated", never "the events" or "the Tsar" alone.
"""

from __future__ import annotations

import random

import pytest

from tests.topics import WITH_CAUSES, content, printed_text
from worksheetgen.document import Tier
from worksheetgen.kinds import causation_grid, diamond_nine, essay_planner, ranking_ladder
from worksheetgen.kinds.language import STOPWORDS, framing, keywords, mid, names_in, parse, parse_question
from worksheetgen.model import Content

CAUSE_KINDS = (diamond_nine, ranking_ladder, causation_grid)


@pytest.mark.parametrize(
    ("question", "outcome", "clause", "without", "ask", "was"),
    [
        (
            "Why did the purges happen?",
            "the purges",
            "the purges happened",
            "the purges would not have happened",
            "Would the purges have happened",
            "was",
        ),
        (
            "Why did the Tsar abdicate?",
            "the Tsar’s abdication",
            "the Tsar abdicated",
            "the Tsar would not have abdicated",
            "Would the Tsar have abdicated",
            "was",
        ),
        (
            "Why did Stalin carry out the purges?",
            "the purges",
            "Stalin carried out the purges",
            "Stalin would not have carried out the purges",
            "Would Stalin have carried out the purges",
            "was",
        ),
        (
            "Why did the First World War break out?",
            "the First World War",
            "the First World War broke out",
            "the First World War would not have broken out",
            "Would the First World War have broken out",
            "was",
        ),
        (
            "Why did the League of Nations fail?",
            "the League of Nations’ failure",
            "the League of Nations failed",
            "the League of Nations would not have failed",
            "Would the League of Nations have failed",
            "was",
        ),
        (
            "Why was the Tsar overthrown in 1917?",
            "the topic",
            "the Tsar was overthrown in 1917",
            "the Tsar would not have been overthrown in 1917",
            "Would the Tsar have been overthrown in 1917",
            "was",
        ),
        (
            "Why do coastal floods happen?",
            "coastal floods",
            "coastal floods happen",
            "coastal floods would not happen",
            "Would coastal floods happen",
            "is",
        ),
        (
            "How does water move around the Earth?",
            "the topic",
            "water moves around the Earth",
            "water would not move around the Earth",
            "Would water move around the Earth",
            "is",
        ),
        (
            "Why did the Great Fire of London destroy so much of the city?",
            "the topic",
            "the Great Fire of London destroyed so much of the city",
            "the Great Fire of London would not have destroyed so much of the city",
            "Would the Great Fire of London have destroyed so much of the city",
            "was",
        ),
        (
            "What caused the Great Depression?",
            "the Great Depression",
            "the Great Depression happened",
            "the Great Depression would not have happened",
            "Would the Great Depression have happened",
            "was",
        ),
    ],
)
def test_the_key_question_in_every_form_a_sentence_needs(
    question: str, outcome: str, clause: str, without: str, ask: str, was: str
) -> None:
    parsed = parse(question, topic="the topic")
    assert (parsed.outcome, parsed.clause, parsed.without, parsed.ask, parsed.was) == (
        outcome,
        clause,
        without,
        ask,
        was,
    )
    assert parsed.enquiry == f"{parsed.form} {clause}"
    assert parsed.because == f"{clause[0].upper()}{clause[1:]} because of"


def test_a_question_of_no_known_form_keeps_its_own_words() -> None:
    parsed = parse("How far was Stalin to blame?", topic="the purges")
    assert parsed.form == "other" and parsed.outcome == "the purges"
    assert parsed.enquiry == "the question “How far was Stalin to blame?”"
    assert parsed.because == "One answer to “How far was Stalin to blame?”:"


def test_the_topic_title_names_the_outcome_when_the_question_does_not() -> None:
    water = content("water-cycle")
    assert parse_question(water).outcome == "the water cycle"


def test_mid_sentence_keeps_names_and_lowers_everything_else() -> None:
    names = names_in(content("stalins-purges"))
    assert mid("Opposition to Stalin inside the Communist Party", names).startswith("opposition to Stalin")
    assert mid("Stalin’s suspicion", names) == "Stalin’s suspicion"
    assert mid("NKVD quotas", names) == "NKVD quotas"
    assert mid("A decree the same evening", names) == "a decree the same evening"
    assert mid("The Water Cycle", frozenset(), title=True) == "the water cycle"
    assert mid("The Abdication of Nicholas II", frozenset({"Nicholas"}), title=True) == "the abdication of Nicholas II"


def test_names_come_from_inside_sentences_not_from_sentence_starts() -> None:
    names = names_in(content("coastal-flooding"))
    assert {"Canvey", "Essex", "Netherlands"} <= names
    assert not {"Low", "Much", "Salt", "Global"} & names  # first words of titles and evidence


def test_keywords_skip_stop_words_and_exam_instructions() -> None:
    assert keywords("Explain why the show trials happened in 1936") == {"show", "trial", "happened", "1936"}
    assert {"the", "and", "of", "which"} <= STOPWORDS


@pytest.mark.parametrize(
    ("subject", "discipline", "experts"),
    [("History", "history", "historians"), ("Geography", "geography", "geographers"), ("Biology", "other", "experts")],
)
def test_the_subject_chooses_the_framing(subject: str, discipline: str, experts: str) -> None:
    frame = framing(Content(title="T", key_question="Why?", subject=subject))
    assert (frame.discipline, frame.experts) == (discipline, experts)


@pytest.mark.parametrize("topic", WITH_CAUSES)
@pytest.mark.parametrize("tier", list(Tier))
def test_every_cause_kind_holds_the_same_parsed_question(topic: str, tier: Tier) -> None:
    parsed = parse_question(content(topic))
    rng = random.Random(0)
    for kind in CAUSE_KINDS:
        assert kind.prepare(content(topic), tier, rng).question == parsed, kind.__name__
    assert essay_planner.prepare(content(topic), tier, rng).key_question == parsed


@pytest.mark.parametrize("tier", list(Tier))
def test_on_why_did_the_tsar_abdicate_every_kind_says_the_tsar_abdicated(tier: Tier) -> None:
    topic = "tsar-abdication"
    printed = {
        "diamond key": printed_text(topic, "diamond-nine", tier, key=True),
        "ladder key": printed_text(topic, "ranking-ladder", tier, key=True),
        "planner key": printed_text(topic, "essay-planner", tier, key=True),
    }
    assert "Would the Tsar have abdicated without this cause?" in printed["diamond key"]
    assert "Would the Tsar have abdicated without this cause?" in printed["ladder key"]
    assert "Without it, the Tsar would not have abdicated" in printed["diamond key"]
    assert "why the Tsar abdicated" in printed["planner key"]
    if tier is Tier.support:
        assert "Without it, the Tsar would not have abdicated." in printed_text(topic, "ranking-ladder", tier)
        assert "One reason the Tsar abdicated was" in printed_text(topic, "essay-planner", tier)
    for name, words in printed.items():
        assert "the events" not in words and "this happened" not in words, name
