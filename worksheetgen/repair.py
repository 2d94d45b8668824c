"""Repair a teacher's notes on the way in: decode any file, undo mojibake, report every change by line.

Notes arrive as UTF-8, UTF-8 with a BOM, Windows-1252 from old Word, or text that was already
garbled on its way through a web page (`Tsarâ€™s`, or Windows quotes read as Mac Central
European: `Ď`/`í` for ‘/’). Each fix is reported as a `Repair` naming the line of the file it
was made on, so the teacher can check it. Line numbers always refer to the original file: a
line break made from a control character does not shift them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ftfy

from worksheetgen import inputs
from worksheetgen.textclean import char_name
from worksheetgen.wording import counted


@dataclass(frozen=True)
class Repair:
    """One change made to the notes, and the line of the file it was made on."""

    line: int
    message: str

    def __str__(self) -> str:
        """`line 12: citation marker [3] removed`, the way the warning is printed."""
        return f"line {self.line}: {self.message}"


LineFix = Callable[[str], tuple[str, str | None]]

MAX_DIFF = 4000  # longest line whose changes are shown piece by piece

# ftfy only for encoding repairs: quotes stay curly, and control characters, line breaks and
# spaces are left to the steps below so that each is reported on its own.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    fix_character_width=False,
    fix_surrogates=False,  # lone surrogates are undecodable bytes: removed and reported by fix_controls
    normalization=None,
    explain=True,
)

# Windows-1252 punctuation read as mac_latin2 (Mac Central European): 0x91 ‘ -> Ď, 0x92 ’ -> í,
# 0x93 “ -> ď, 0x94 ” -> Ē. Applied only where these stand as punctuation, and only in notes
# that carry the signature below, because í, Ď and ď are real letters in other languages.
_MAC_APOSTROPHE = re.compile(r"(?<=[A-Za-z])í(?=(?:t|d|m|ll|re|ve)\b)|(?<=[A-Za-z]{3})í(?=s\b)")
_MAC_CLOSE = re.compile(r"(?<=[A-Za-z0-9.,!?;:…])í(?![^\W\d_])")
_MAC_OPEN = re.compile(r"Ď(?=[A-Za-z0-9])")
_MAC_DOUBLE = re.compile(r"ď(?=[A-Za-z0-9])([^\n]*?[A-Za-z0-9.,!?…])Ē")
# Letters that show a line is genuinely Czech, Spanish, Portuguese...: never "repaired".
_FOREIGN_LETTERS = re.compile(r"[áéóúñãõçčřšžěůýÁÉÓÚÑÃÕÇČŘŠŽĚŮÝ]")

_LINE_BREAK = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_ODD_SPACE = re.compile(r"[\u00a0\u2007\u202f\u2000-\u2006\u2008-\u200a\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_APOSTROPHE_LOOKALIKE = re.compile(r"(?<=[^\W\d_])[´`′ʼ‛](?=[^\W\d_])")
_CURLY = re.compile(r"[‘’“”]")
_CITATION = re.compile(
    r"(?<=[\w.,;:!?)’”\"'\]])[ \t]*"
    r"\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*|\^\d{1,3}|[a-z]|(?i:note \d{1,3})"
    r"|(?i:(?:citation|clarification|verification|dubious|original research|better source|full citation"
    r"|unreliable source|page|year|date|who|when|where|which|by whom|according to whom|specify|vague)"
    r"[^\[\]\n]{0,40}))\](?!\])"
)


def read_notes(path: Path) -> tuple[str, list[Repair]]:
    """Read a notes file in whatever encoding it came, repaired; every repair is reported with its line."""
    text, repairs = decode_notes(read_bytes(path))
    lines, more = repair_lines(text)
    return "\n".join(lines), repairs + more


def repair_text(text: str) -> tuple[str, list[Repair]]:
    """Repair text already decoded (pasted notes); line numbers count from 1 at its start."""
    lines, repairs = repair_lines(text)
    return "\n".join(lines), repairs


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an error a teacher can act on: never a device, a pipe or a 50 MB file."""
    return inputs.read_bytes(path, inputs.NOTES)


def decode_notes(raw: bytes) -> tuple[str, list[Repair]]:
    """UTF-8 (a BOM is dropped), UTF-16, else Windows-1252, saying which was used."""
    decoded = inputs.decode(raw, "")
    repairs = [Repair(1, "UTF-8 byte-order mark (BOM) removed")] if decoded.encoding == "UTF-8 with BOM" else []
    if decoded.warning:
        repairs.append(Repair(decoded.warning.line or 1, decoded.warning.message))
    return decoded.text, repairs


def repair_lines(text: str) -> tuple[list[str], list[Repair]]:
    """The text's lines, one per line of the original (a repaired line may hold line breaks), and the repairs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [unicodedata.normalize("NFC", line) for line in text.split("\n")]
    repairs: list[Repair] = []
    first: list[LineFix] = [fix_mojibake]
    if has_mac_quotes(text):
        first.append(fix_mac_quotes)
    first += [fix_controls, fix_spaces, fix_apostrophe_lookalikes]
    lines = _apply(lines, first, repairs)
    if _CURLY.search("\n".join(lines)):
        lines = _apply(lines, [curl_quotes], repairs)
    lines = _apply(lines, [remove_citations], repairs)
    repairs.sort(key=lambda r: r.line)
    return lines, repairs


def _apply(lines: list[str], fixes: list[LineFix], repairs: list[Repair]) -> list[str]:
    """Run each fix over each line, recording a Repair for every change it makes."""
    result = []
    for number, line in enumerate(lines, start=1):
        for fix in fixes:
            line, message = fix(line)
            if message:
                repairs.append(Repair(number, message))
        result.append(line)
    return result


def fix_mojibake(line: str) -> tuple[str, str | None]:
    """Undo double encoding with ftfy (`â€™` -> `’`), leaving correct curly quotes alone."""
    if line.isascii():
        return line, None
    fixed, steps = ftfy.fix_and_explain(line, config=_FTFY)
    if fixed == line:
        return line, None
    decoded = any(step.action in ("encode", "decode") for step in steps or [])
    what = "double-encoded text (mojibake) repaired" if decoded else "garbled characters repaired"
    return fixed, f"{what}: {_changes(line, fixed)}"


def has_mac_quotes(text: str) -> bool:
    """True if Windows quotes were read as Mac Central European: `governmentís`, `Ďif … oneí`."""
    if "í" not in text:  # both signs need an í (a misread ’): most notes are done in one search
        return False
    for line in text.split("\n"):
        if _FOREIGN_LETTERS.search(line):
            continue
        if _MAC_APOSTROPHE.search(line) or (_MAC_OPEN.search(line) and _MAC_CLOSE.search(line)):
            return True
    return False


def fix_mac_quotes(line: str) -> tuple[str, str | None]:
    """Turn `Ď`/`í` (and `ď`/`Ē`) standing as punctuation back into ‘ ’ (“ ”); call only when signed."""
    if _FOREIGN_LETTERS.search(line):
        return line, None
    fixed = _MAC_APOSTROPHE.sub("’", line)
    fixed = _MAC_CLOSE.sub("’", fixed)
    fixed = _MAC_OPEN.sub("‘", fixed)
    fixed = _MAC_DOUBLE.sub(r"“\1”", fixed)
    if fixed == line:
        return line, None
    return fixed, f"Windows quotes misread as Mac Central European repaired: {_changes(line, fixed)}"


def fix_controls(line: str) -> tuple[str, str | None]:
    """Page and line-break characters become new lines; other control characters are removed."""
    if line.isprintable():  # none of them is printable: most lines are done in one quick test
        return line, None
    notes = []
    breaks = sorted(set(_LINE_BREAK.findall(line)))
    if breaks:
        line = _LINE_BREAK.sub("\n", line)
        notes.append(f"{_names(breaks)} turned into a new line")
    controls = sorted(set(_CONTROL.findall(line)))
    if controls:
        line = _CONTROL.sub("", line)
        notes.append(f"{_names(controls)} removed")
    return line, "; ".join(notes) or None


def fix_spaces(line: str) -> tuple[str, str | None]:
    """Non-breaking and other odd spaces become plain spaces; invisible characters go."""
    if line.isascii():  # none of them is ASCII: most lines are done in one quick test
        return line, None
    notes = []
    spaces = sorted(set(_ODD_SPACE.findall(line)))
    if spaces:
        line = _ODD_SPACE.sub(" ", line)
        notes.append(f"{_names(spaces)} replaced by a space")
    invisible = sorted(set(_INVISIBLE.findall(line)))
    if invisible:
        line = _INVISIBLE.sub("", line)
        notes.append(f"{_names(invisible)} removed")
    return line, "; ".join(notes) or None


def fix_apostrophe_lookalikes(line: str) -> tuple[str, str | None]:
    """An accent or prime typed as an apostrophe (`Stalin´s`) becomes ’."""
    if line.isascii() and "`" not in line:  # the backtick is the only one in ASCII
        return line, None
    found = sorted(set(_APOSTROPHE_LOOKALIKE.findall(line)))
    if not found:
        return line, None
    return _APOSTROPHE_LOOKALIKE.sub("’", line), f"{_names(found)} used as an apostrophe replaced by ’"


def curl_quotes(line: str) -> tuple[str, str | None]:
    """Straight quotes made curly, to match notes that already use curly ones."""
    if "'" not in line and '"' not in line:
        return line, None
    fixed = re.sub(r"(?<=\w)'(?=\w)", "’", line)
    fixed = re.sub(r"'(?=\d\ds\b)", "’", fixed)
    fixed = re.sub(r"(?:^|(?<=[\s(\[{“‘—–-]))'(?=\S)", "‘", fixed)
    fixed = fixed.replace("'", "’")
    fixed = re.sub(r"(?:^|(?<=[\s(\[{‘—–-]))\"(?=\S)", "“", fixed)
    fixed = fixed.replace('"', "”")
    return fixed, "straight quotes made curly to match the rest of the notes"


def remove_citations(line: str) -> tuple[str, str | None]:
    """Footnote markers pasted from web pages (`[12]`, `[citation needed]`) are removed."""
    if "[" not in line:  # every marker is in square brackets: most lines are done in one quick test
        return line, None
    found = [m.group(0).strip() for m in _CITATION.finditer(line)]
    if not found:
        return line, None
    what = "citation marker" if len(found) == 1 else "citation markers"
    return _CITATION.sub("", line), f"{what} {', '.join(found)} removed"


def _changes(old: str, new: str, limit: int = 4) -> str:
    """The pieces that changed, `'â€™' -> '’', ...`, so the teacher sees exactly what was done."""
    if len(old) > MAX_DIFF or len(new) > MAX_DIFF:  # difflib is quadratic: just say how much changed
        changed = abs(len(old) - len(new))
        return f"{counted(changed, 'character')} changed" if changed else "some characters changed"
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces = [f"{old[i1:i2]!r} -> {new[j1:j2]!r}" for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    more = f" and {len(pieces) - limit} more" if len(pieces) > limit else ""
    return ", ".join(pieces[:limit]) + more


def _names(chars: list[str]) -> str:
    """`U+00A0 (no-break space)`: characters named (textclean's names), since most of them are invisible."""
    return ", ".join(map(char_name, chars))
