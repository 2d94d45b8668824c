"""Gap-fill (cloze): choose the gaps, the word bank and the distractors for one tier.

Rules from PEDAGOGY.md 1.1: no gap in the first or last sentence, at most one gap per
sentence, content words only, and a word bank never in gap order. Additionally an answer
is only gapped if it appears nowhere else in the passage, so the page never gives it away.

Support reads the content's shorter `summary_support` passage when there is one. Its gaps are
chosen in pairs whose answers share a first letter, and a gap shows its answer's first letter
(in a fixed-width blank, so the length is not given away either) only when another word in the
bank starts with the same letter: the hints help, but never solve the word bank on their own.
Large numbers (1,548,367) are never expected exactly from memory: the key accepts a rounded
figure ("about 1.5 million") and any figure within about a tenth of it.

This module only runs the steps; they live beside it: `records` (what the templates are
handed), `passage` (sentences and the words that could be gaps), `gaps` (which gaps a tier
gets, numbered and hinted), `bank` (the word bank and its distractors) and `helps` (the support
glosses, and the key's slips, misconceptions and follow-up points).
"""

from __future__ import annotations

import random

from worksheetgen.document import Tier
from worksheetgen.kinds.gap_fill.bank import DISTRACTORS, pick_distractors, shuffled_bank
from worksheetgen.kinds.gap_fill.gaps import TARGET_GAPS, choose_gaps, number_answers
from worksheetgen.kinds.gap_fill.helps import follow_up_points, glossed_terms, relevant_misconceptions, slips_for
from worksheetgen.kinds.gap_fill.passage import build_parts, find_candidates, passage_of, split_passage
from worksheetgen.kinds.gap_fill.records import GapFill
from worksheetgen.kinds.language import framing, parse_question
from worksheetgen.kinds.registry import kind
from worksheetgen.model import Content
from worksheetgen.wording import counted


@kind("gap-fill")
def prepare(content: Content, tier: Tier, rng: random.Random) -> GapFill:
    """Choose gaps, bank and glosses for `tier`, deterministically from `rng`."""
    sentences = split_passage(passage_of(content, tier))
    question = parse_question(content)
    candidates, notes = find_candidates(sentences, content)
    chosen = choose_gaps(candidates, len(sentences), tier, rng)
    answers = number_answers(chosen, tier)
    paragraphs = build_parts(sentences, chosen, answers)
    distractors = pick_distractors(content, sentences, chosen, DISTRACTORS[tier], rng)
    bank = () if tier is Tier.challenge else shuffled_bank([a.answer for a in answers], distractors, rng)
    glossed = glossed_terms(content, paragraphs) if tier is Tier.support else ()
    if len(answers) < TARGET_GAPS[tier] - 1:
        made = counted(len(answers), "gap")
        notes.append(f"only {made} could be made for the {tier.value} tier (aim: {TARGET_GAPS[tier]})")
    if tier is Tier.support and content.summary and not content.summary_support:
        notes.append("no summary_support in the content: the support tier uses the full passage")
    return GapFill(
        paragraphs,
        answers,
        bank,
        distractors,
        glossed,
        misconceptions=relevant_misconceptions(content, answers),
        slips=slips_for(content, answers, bank),
        hinted=sum(bool(a.hint) for a in answers),
        rounded=any(a.approximately for a in answers),
        frame=framing(content).discipline,
        enquiry=question.enquiry,
        form=question.form,
        points=follow_up_points(content.causes),
        key_words=tuple(t.term for t in content.glossary[:6]),
        spellings=content.spellings or "",
        notes=tuple(notes),
    )
