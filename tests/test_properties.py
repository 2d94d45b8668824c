"""Property-based: random, hostile content either builds faithfully inside the page or is refused clearly.

Hypothesis writes topics full of markup characters (`Tsar <Nicholas II>`, `</para>`, `&amp;`),
control characters, 200+ letter words, Latin with diacritics, Cyrillic and Greek, and empty
lists; sometimes it slips in a character no PDF font has (CJK, most emoji). For every kind,
a sampled tier, pupil copy and key:

(a) the build raises a `WorksheetError` with a message (never another exception), which for a
    character the fonts lack names that character, and which is never a `TemplateError`
    (teacher text is escaped, so it can never break a template's markup); or
(b) it succeeds: no character of the PDF lies within 14 mm of a page edge, the DOCX renders,
    and the teacher's text is on the page in both formats: title and key question always,
    every event title on a timeline, every word of the passage on a gap-fill (the gapped ones
    in the key). Text is compared with whitespace and control characters removed, since line
    wrapping adds breaks and control characters may be dropped or become spaces.
"""

from __future__ import annotations

import re
import signal
import string
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.readback import MM, chars_outside, docx_text
from worksheetgen.document import Tier
from worksheetgen.errors import TemplateError, WorksheetError
from worksheetgen.layout import layout_for
from worksheetgen.model import Category, Content, Timescale
from worksheetgen.pipeline import Sheet, build_document, list_kinds, render
from worksheetgen.templating import search_path

# On a failure Hypothesis formats the example with black, whose import warns (mypy_extensions);
# under the project's "warnings are errors" that would hide the failing example behind an INTERNALERROR.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")

SEARCH = search_path()
KINDS = list_kinds()

# Alphabets the shipped fonts (DejaVu Sans) cover.
LATIN = string.ascii_letters + "éèêëàâäçñøåæœßÉÇŁłŚśŹźŻżĄąĘęőűŐŰčšžČŠŽğışİÅÆØÑÖÜ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
GREEK = "αβγδεζηθικλμνξοπρσςτυφχψωΑΒΓΔΘΛΞΠΣΦΨΩάέήίόύώ"
LETTERS = LATIN + CYRILLIC + GREEK
# Markup a careless renderer would interpret instead of print. No `[`, `]` or `|` on their own:
# in a passage those spell gap marks, which the passage strategy writes on purpose.
HOSTILE = [
    "<", ">", "&", '"', "'", "<b>", "</b>", "</para>", "<para>", "<br/>", "&amp;", "&lt;b&gt;", "&#160;",
    "&nbsp;", "<font name='x'>", "</font>", "]]>", "<!--", "-->", "<?xml?>", "<sheet>", '<gap n="1"/>',
    "Tsar <Nicholas II>", "A & B", "{{ content }}", "{% if %}", "%s", "\\", "O'Brien", '"quoted"',
]  # fmt: skip
# Between tokens: spaces, and the control characters pasted text brings (removed, or made spaces).
SEPARATORS = [
    " ", " ", " ", " ", " ", "  ", "\x00", " \x07", "\x0b", " \x0c ", "\x1b", "\ufffe", "\t", "\r\n",
    "\u00a0", "\x85", "\u2028", " \x7f", "\u3000",
]  # fmt: skip
# Characters no PDF font has: the tool must refuse them by name, never print a box or crash.
# (DejaVu Sans does have some emoji, such as U+1F600, so these are chosen from ones it lacks.)
UNSUPPORTED = ["漢", "語", "中", "한", "ア", "🎉", "👍", "🚀"]
POISONABLE = ["title", "key_question", "summary", "events", "glossary"]

WORD = st.text(alphabet=LETTERS, min_size=1, max_size=10)
# 200+ letters with no space to break at (a chunk repeated: cheaper to generate than 200 draws).
LONG_WORD = st.builds(
    lambda chunk, extra: chunk * (200 // len(chunk) + 1) + extra, st.text(LETTERS, min_size=3, max_size=9), WORD
)
NUMBER = st.sampled_from(["1917", "1936", "1,000", "12.5", "40%", "3"])
_MARKUP = st.sampled_from(HOSTILE)
# one_of picks a branch uniformly: words 8 in 12, markup 2 in 12, numbers and long words 1 in 12.
TOKEN = st.one_of(*[WORD] * 8, _MARKUP, _MARKUP, NUMBER, LONG_WORD)
SEPARATOR = st.sampled_from(SEPARATORS)


def visible(text: str) -> str:
    """What a reader sees, ignoring layout: NFC, no whitespace, no control or non-characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cn", "Cs"))


def spaced(text: str) -> str:
    """Teacher text with whitespace-like controls as spaces and other controls removed."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for c in text:
        if c.isspace() or unicodedata.category(c) in ("Zl", "Zp"):
            out.append(" ")
        elif unicodedata.category(c) not in ("Cc", "Cn", "Cs"):
            out.append(c)
    return "".join(out)


def phrase(min_tokens: int = 1, max_tokens: int = 6) -> st.SearchStrategy[str]:
    """Tokens joined by (hostile) separators, with at least one visible character."""
    pairs = st.lists(st.tuples(SEPARATOR, TOKEN), min_size=min_tokens, max_size=max_tokens)
    return pairs.map(lambda ps: "".join(s + t for s, t in ps)).filter(lambda s: visible(s) != "")


def optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), strategy)


ANSWER = st.one_of(WORD, WORD, st.sampled_from(["Tsar <Nicholas II>", "<b>Stalin</b>", "A & B", "1937"]), LONG_WORD)
MARK = st.builds(
    lambda answer, alternatives: "[[" + "|".join([answer, *alternatives]) + "]]",
    ANSWER,
    st.lists(WORD, max_size=2),
)
CAPITAL = st.text(alphabet=string.ascii_uppercase + "ÉŁЖΣ", min_size=1, max_size=1)
SENTENCE = st.builds(
    lambda cap, before, mark, after, end: f"{cap}{before} {mark or ''} {after}{end}",
    CAPITAL,
    st.one_of(st.just(""), phrase(1, 4)),
    optional(MARK),
    phrase(1, 4),
    st.sampled_from([".", ".", "!", "?"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)
MONTHS = ["Jan", "Mar", "June", "Sept", "Dec"]
_MARK = re.compile(r"\[\[([^\[\]|]+)((?:\|[^\[\]|]+)*)\]\]")  # README: [[answer]] or [[answer|alt]]


@st.composite
def event_dicts(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to 7 events in distinct years, so every tier's timeline must show all of them."""
    years = draw(st.lists(st.integers(1800, 2020), unique=True, max_size=7))
    events = []
    for year in years:
        date = draw(
            st.sampled_from(
                [str(year), f"{year} <approx>", f"c. {year} & after"]
                + [f"{day} {month} {year}" for day in (1, 25) for month in MONTHS]
            )
        )
        events.append(
            {
                "date": date,
                "title": draw(phrase(1, 5)),
                "detail": draw(optional(phrase(1, 6))),
                "disputed": draw(optional(phrase(1, 4))),
            }
        )
    return events


@st.composite
def content_dicts(draw: st.DrawFn) -> dict[str, Any]:
    text = phrase
    return {
        "title": draw(text(1, 5)),
        "key_question": draw(text(1, 6)),
        "credit": draw(optional(text(1, 4))),  # printed in every footer
        "summary": [
            p if marked else _MARK.sub(lambda m: m.group(1), p)  # unmarked: the tool chooses the gaps
            for marked in [draw(st.booleans())]
            for p in draw(st.lists(PARAGRAPH, max_size=3))
        ],
        "glossary": [
            {
                "term": draw(text(1, 2)),
                "definition": draw(text(1, 8)),
                "simple": draw(optional(text(1, 4))),
                "alternatives": draw(st.lists(WORD, max_size=2)),
            }
            for _ in range(draw(st.integers(0, 6)))
        ],
        "people": [
            {"name": draw(text(1, 3)), "role": draw(text(1, 5)), "alternatives": draw(st.lists(WORD, max_size=1))}
            for _ in range(draw(st.integers(0, 4)))
        ],
        "events": draw(event_dicts()),
        "causes": [
            {
                "id": f"c{i}",
                "title": draw(text(1, 5)),
                "category": draw(st.sampled_from(list(Category))),
                "also": draw(st.lists(st.sampled_from(list(Category)), unique=True, max_size=2)),
                "timescale": draw(st.sampled_from(list(Timescale))),
                "evidence": draw(st.lists(text(1, 8), min_size=1, max_size=2)),
                "disputed": draw(optional(text(1, 4))),
            }
            for i in range(draw(st.integers(0, 7)))
        ],
        "quotes": [
            {"text": draw(text(1, 8)), "speaker": draw(text(1, 3)), "attributed": draw(st.booleans())}
            for _ in range(draw(st.integers(0, 3)))
        ],
        "sources": [
            {
                "id": f"s{i}",
                "title": draw(text(1, 4)),
                "text": draw(text(1, 16)),
                "nature": draw(text(1, 4)),
                "origin": draw(text(1, 4)),
                "purpose": draw(text(1, 4)),
                "context": draw(st.lists(text(1, 5), max_size=2)),
                "limits": draw(optional(text(1, 4))),
            }
            for i in range(draw(st.integers(0, 2)))
        ],
        "essay_questions": [
            {
                "text": draw(text(1, 8)),
                "marks": draw(st.integers(1, 40)),
                "stimulus": draw(st.lists(text(1, 4), max_size=3)),
            }
            for _ in range(draw(st.integers(0, 2)))
        ],
    }


@dataclass(frozen=True)
class Case:
    """The teacher's raw text (as typed) and the Content made from it."""

    raw: dict[str, Any]
    content: Content
    poison: str | None  # a character no font has, if one was put in
    poisoned: str | None  # the field it went into


@st.composite
def cases(draw: st.DrawFn) -> Case:
    raw = draw(content_dicts())
    poison = draw(st.one_of(st.none(), st.none(), st.sampled_from(UNSUPPORTED)))
    field = draw(st.sampled_from(POISONABLE)) if poison else None
    if poison and field in ("title", "key_question"):
        raw[field] = f"{raw[field]} {poison}"
    elif poison and field == "summary" and raw["summary"]:
        raw["summary"][0] = raw["summary"][0].replace(" ", f" {poison}", 1)
    elif poison and field == "events" and raw["events"]:
        raw["events"][0]["title"] += poison
    elif poison and field == "glossary" and raw["glossary"]:
        raw["glossary"][0]["term"] = poison + raw["glossary"][0]["term"]
    else:
        poison = field = None
    return Case(raw, Content.model_validate(raw), poison, field)


def make_case(**fields: Any) -> Case:
    """A hand-written case for @example: the given fields, every list empty."""
    raw: dict[str, Any] = {"summary": [], "glossary": [], "people": [], "events": [], "causes": []}
    raw |= {"quotes": [], "sources": [], "essay_questions": [], **fields}
    return Case(raw, Content.model_validate(raw), None, None)


# What the pages must show ------------------------------------------------------------------

_DIGITS = re.compile(r"[\d.,%]*\d[\d.,%]*")


def passage_pieces(case: Case) -> tuple[list[str], list[str]]:
    """The passage as pieces that cannot be gapped (always shown) and pieces that may be (in the key).

    With `[[marks]]` only marked answers are gapped; without, gaps come from glossary terms,
    people's surnames and numbers, so every place any of those occur counts as possibly gapped.
    """
    paragraphs = [spaced(p) for p in case.raw["summary"]]
    marked = any(_MARK.search(p) for p in paragraphs)
    names = [t.term for t in case.content.glossary] + [p.short_name for p in case.content.people]
    fixed: list[str] = []
    gappable: list[str] = []
    for paragraph in paragraphs:
        if marked:
            plain, spans = "", []
            last = 0
            for m in _MARK.finditer(paragraph):
                plain += paragraph[last : m.start()]
                answer = m.group(1).strip()
                spans.append((len(plain), len(plain) + len(answer)))
                plain += answer
                last = m.end()
            plain += paragraph[last:]
        else:
            plain = paragraph
            spans = [m.span() for m in _DIGITS.finditer(plain)]
            for name in names:
                pattern = rf"(?<!\w){re.escape(spaced(name).strip())}(?!\w)"
                spans += [m.span() for m in re.finditer(pattern, plain, re.IGNORECASE)]
        cut = sorted({i for span in spans for i in span} | {0, len(plain)})
        covered = [any(a <= s and e <= b for a, b in spans) for s, e in zip(cut, cut[1:], strict=False)]
        for (start, end), gap in zip(zip(cut, cut[1:], strict=False), covered, strict=True):
            (gappable if gap else fixed).append(plain[start:end])
    return [p for p in fixed if visible(p)], [p for p in gappable if visible(p)]


def missing(expected: list[str], shown: str) -> list[str]:
    """Expected texts whose visible characters are not all in `shown`, in order.

    Usually a text reads as one unbroken run; but a table row split across a page break is
    read back with its neighbouring column's text in between, so a text is lost only if its
    characters are not there in order at all.
    """
    return [text for text in expected if visible(text) not in shown and not in_order(visible(text), shown)]


def in_order(needle: str, haystack: str) -> bool:
    remaining = iter(haystack)
    return all(char in remaining for char in needle)


def page_text(path: Path, tier: Tier) -> tuple[str, list[str]]:
    """The body text of every page in drawing order, and any control character drawn.

    The running header and footer are left out (by position: they sit outside the body frame),
    so text that runs over a page break reads on. A glyph the font lacks (a box on paper) is
    read back as a control character.
    """
    layout = layout_for(tier)
    top, bottom = (layout.body_top.value - 3) * MM, (layout.body_bottom.value - 3) * MM
    body: list[str] = []
    boxes: list[str] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        height = float(page.mediabox.height)

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, number: int = number, height: float = height
        ) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # baseline, from the page's bottom edge
            if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
                boxes.append(f"page {number}, {y / MM:.0f} mm from the bottom: {text!r}")
            if bottom <= y <= height - top:
                body.append(text)

        page.extract_text(visitor_text=visit)
    return "".join(body), boxes


def check_built(case: Case, kind: str, tier: Tier, is_key: bool, pdf: Path, docx: Path) -> None:
    sheet = f"{kind} {tier.value}{' key' if is_key else ''}"
    outside = chars_outside(pdf, margin_mm=14)
    assert outside == [], f"{sheet}: characters outside the page margins: {outside[:10]}"
    body, boxes = page_text(pdf, tier)
    assert boxes == [], f"{sheet}: control characters drawn as glyphs (boxes on paper): {boxes[:10]}"
    on_pdf, in_docx = visible(body), visible(docx_text(docx))
    must_show = [case.raw["title"], case.raw["key_question"]]
    if kind == "timeline":
        event(f"timeline: {len(case.raw['events'])} events")
        must_show += [e["title"] for e in case.raw["events"]]
        if is_key:
            must_show += [e["date"] for e in case.raw["events"]]
    if kind == "gap-fill" and case.raw["summary"]:
        fixed, gappable = passage_pieces(case)
        event(f"gap-fill passage {'with' if '[[' in ''.join(case.raw['summary']) else 'without'} [[marks]]")
        must_show += fixed + (gappable if is_key else [])
    for name, shown in (("PDF", on_pdf), ("DOCX", in_docx)):
        lost = missing(must_show, shown)
        assert lost == [], f"{sheet}: the {name} lost the teacher's text {lost!r}"
    if case.poison:
        assert case.poison not in on_pdf, f"{sheet}: {case.poison!r} printed although no font has it"


def check_refused(case: Case, error: WorksheetError) -> None:
    message = str(error).strip()
    assert message, "an error must say what is wrong"
    assert not isinstance(error, TemplateError), f"teacher text broke the template markup: {message}"
    if "glyph" in message:
        assert case.poison, f"refused a character the fonts have: {message}"
    if "glyph" in message or case.poisoned in ("title", "key_question"):  # on every sheet: must be named
        assert case.poison in message or f"U+{ord(case.poison):04X}" in message, (
            f"the error does not name {case.poison!r}: {message}"
        )


@contextmanager
def time_limit(seconds: int, what: str) -> Iterator[None]:
    """Fail, rather than hang the test run, if building a sheet never finishes."""
    if not hasattr(signal, "SIGALRM"):  # not on Windows: no limit
        yield
        return

    def stop(*_: object) -> None:
        raise TimeoutError(f"{what} did not finish in {seconds} s: the renderer never stops")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Bugs this test found, as explicit examples so they fail at once, without minutes of shrinking:
# 1. Whitespace other than a space or line break in the title (a lone \r, U+0085, U+3000) is drawn
#    verbatim in the PDF footer, where the font has no glyph for it: a box on every page of every sheet.
#    (\n and \t, from \x0b, \x0c, U+2028 or a YAML block scalar, are already turned into spaces there.)
ODD_SPACE_IN_TITLE = make_case(title="Tsar\rNicholas\x85II\u3000(1894)", key_question="Why?")
# 2. A source of two 210-letter words: the source-analysis support key never finishes rendering
#    (reportlab adds page after page for the mark-scheme box, which quotes a key phrase).
LONG_WORDS_IN_SOURCE = make_case(
    title="T",
    key_question="Why?",
    sources=[
        {"id": "s", "title": "T", "text": "W" * 210 + " " + "W" * 210, "nature": "n", "origin": "o", "purpose": "p"},
    ],
)


@pytest.mark.parametrize("kind", KINDS)
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    # No explain phase: its line tracing makes shrinking these slow examples many times slower.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
@given(case=cases(), tier=st.sampled_from(list(Tier)))
@example(case=ODD_SPACE_IN_TITLE, tier=Tier.core)
@example(case=LONG_WORDS_IN_SOURCE, tier=Tier.support)
def test_hostile_content_builds_faithfully_or_is_refused(kind: str, case: Case, tier: Tier) -> None:
    note(f"raw content: {case.raw!r}")
    with tempfile.TemporaryDirectory() as folder:
        for is_key in (False, True):
            try:
                with time_limit(20, f"{kind} {tier.value}{' key' if is_key else ''}"):  # a sheet takes < 2 s
                    document, _ = build_document(case.content, Sheet(kind, tier, is_key), 0, SEARCH)
                    pdf_bytes = render(document, "pdf")
                    docx_bytes = render(document, "docx")
            except WorksheetError as error:
                event(f"refused: {type(error).__name__}")
                check_refused(case, error)
                continue
            event("built")
            assert case.poisoned not in ("title", "key_question"), f"{case.poison!r} in the title was not refused"
            pdf, docx = Path(folder) / f"{is_key}.pdf", Path(folder) / f"{is_key}.docx"
            pdf.write_bytes(pdf_bytes)
            docx.write_bytes(docx_bytes)
            check_built(case, kind, tier, is_key, pdf, docx)
