"""Read a class roster as Excel and school information systems save it: a tier and needs per pupil.

Excel writes UTF-8 with or without a BOM, Windows-1252 ("CSV"), old Mac line ends ("CSV
(Macintosh)") or UTF-16 with tabs ("Unicode Text"); it uses `;` in much of Europe and leaves
blank lines and stray spaces. School systems export `Surname` and `Forename` rather than a
`name`, and `Form` or `Reg Group` rather than a `class`. All of those are read. Every
problem (a row with no name, a name too long to print, an unknown tier or need, a quote that
swallowed the rows after it) is reported with its line, all at once, before anything is
written; oddities that do no harm (a duplicate name, an extra cell, invisible characters
removed from a name) are warnings, each said once however many rows it touches.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path

from worksheetgen.document import Tier
from worksheetgen.errors import ContentError, Problem
from worksheetgen.inputs import ROSTER, read_text
from worksheetgen.layout import Profile
from worksheetgen.textclean import INVISIBLE, char_name, clean_text

COLUMNS = ("name", "class", "tier", "needs")
# The longest name that still prints at full size in the sheet's one-line header
# ("Name: ...   Class: ...   Date: ___", 10 pt on A4); the large-print header shrinks to
# about 10 pt for a name this long. Longer ones would print ever smaller.
MAX_NAME = 45
MAX_CLASS = 20
LINES_SHOWN = 5  # lines named in one warning before "and N more"

# What school systems and spreadsheets call each column (compared in lower case, with
# `_`, `-`, `.` as spaces), the preferred one first: a pupil is called by their preferred name.
ALIASES = {
    "name": ("name", "pupil", "pupil name", "student", "student name", "full name", "legal name", "learner"),
    "surname first": (  # one column holding `Smith, Ann`
        *("surname forename", "surname forenames", "surname first name", "last name first name"),
        *("surname preferred forename", "legal surname legal forename", "name surname first", "pupil surname forename"),
    ),
    "first": (
        *("preferred forename", "preferred first name", "preferred name", "known as", "first name", "forename"),
        *("forenames", "first names", "given name", "given names", "legal forename", "legal first name"),
    ),
    "surname": ("preferred surname", "surname", "last name", "family name", "legal surname", "legal last name"),
    "class": (
        *("class", "form", "tutor group", "reg group", "registration group", "form group", "set", "group"),
        *("teaching group", "class group", "reg", "tutor"),
    ),
    "tier": ("tier",),
    "needs": ("needs", "need", "access needs", "print needs"),
}
_ROLE_NAMES = {"first": "the first name", "surname": "the surname"}
_NAME_ROLES = ("name", "surname first", "first", "surname")  # a full name, or a first name and surname
_PARTS = ("first", "surname")  # each from its preferred column, else the next one that is filled in
HEADER_WITHIN = 10  # rows looked at for the header row, below a title line or two such as `Class list 9X`
_KNOWN = {alias: role for role, aliases in ALIASES.items() for alias in aliases}


class Need(StrEnum):
    dyslexia = "dyslexia"
    large_print = "large-print"


@dataclass(frozen=True)
class Pupil:
    """One roster row: who, which class, which tier, which print needs."""

    line: int
    name: str
    group: str
    tier: Tier
    needs: frozenset[Need]

    @property
    def profile(self) -> Profile:
        """Large print wins when both are asked for: it is the one a pupil cannot do without."""
        if Need.large_print in self.needs:
            return Profile.large_print
        if Need.dyslexia in self.needs:
            return Profile.dyslexia
        return Profile.standard


@dataclass(frozen=True)
class Roster:
    """The pupils read, warnings to show, and the problems that stop a batch (none from `read_roster`)."""

    pupils: list[Pupil]
    warnings: list[str]
    problems: list[Problem] = field(default_factory=list)


def read_roster(path: Path) -> Roster:
    """Parse and validate a roster; raise ContentError listing every bad row."""
    roster = check_roster(path)
    if roster.problems:
        raise ContentError(roster.problems)
    return roster


def check_roster(path: Path) -> Roster:
    """Every problem with a roster, without stopping at them: a batch adds its own checks of the
    same names (fonts) and reports everything in one pass. A row with a name but a bad tier or
    need still gives a pupil (at core tier), so that its name is checked too."""
    decoded = read_text(path, ROSTER)
    _refuse_content(path, decoded.text)
    notes = _Notes(path)
    if decoded.warning:
        notes.add(decoded.warning.line or 1, decoded.warning.message)
    rows = _rows(decoded.text.replace("\r\n", "\n").replace("\r", "\n"), notes)
    first = list(islice((row for row in rows if any(cell.strip() for cell in row[1])), HEADER_WITHIN))
    if not first:
        raise ContentError([Problem(str(path), "the roster is empty: expected a header row with a `name` column")])
    at = next((index for index, (_, cells) in enumerate(first) if _names_pupils(cells)), 0)
    header = first[at]
    if at:
        above = ",".join(first[0][1]).strip(" ,")
        lines = f"line {first[0][0]}" if at == 1 else f"lines {first[0][0]}-{first[at - 1][0]}"
        notes.add(
            header[0], f"{lines} above the header row skipped ({above[:40]!r}): the header row is line {header[0]}"
        )
    columns = _columns(path, *header, notes)
    body = (row for part in (first[at + 1 :], rows) for row in part)
    pupils = [pupil for line, cells in body if (pupil := _row(line, cells, columns, len(header[1]), notes))]
    if not pupils and not notes.problems:
        notes.problems.append(Problem(str(path), "the roster has a header but no pupils"))
    _same_names(pupils, notes)
    return Roster(pupils, notes.warnings(), sorted(notes.problems, key=lambda p: p.line or 0))


def _refuse_content(path: Path, text: str) -> None:
    """A content file given where the class list goes (`batch topic.yaml`) is named for what it is."""
    if path.suffix.lower() in (".yaml", ".yml") or re.search(r"^(title|key_question):", text[:20_000], re.MULTILINE):
        message = (
            "expected a class list (CSV), found what looks like a content file: give the class list first and the "
            f"content with --content, as in: worksheetgen batch roster.csv --content {path}"
        )
        raise ContentError([Problem(str(path), message)])


@dataclass
class _Notes:
    """Problems, and warnings gathered by what they say, so 20,000 rows give one line, not 20,000."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, list[int]] = field(default_factory=dict)  # warning -> the lines it applies to

    def problem(self, line: int, message: str, column: str = "") -> None:
        self.problems.append(Problem(str(self.path), message, line, path=column))

    def add(self, line: int, message: str) -> None:
        self.lines.setdefault(message, []).append(line)

    def warnings(self) -> list[str]:
        result = []
        for message, lines in sorted(self.lines.items(), key=lambda item: item[1][0]):
            if len(lines) == 1:
                result.append(f"{self.path}:{lines[0]}: {message}")
                continue
            shown = ", ".join(map(str, lines[:LINES_SHOWN]))
            more = f" and {len(lines) - LINES_SHOWN:,} more" if len(lines) > LINES_SHOWN else ""
            result.append(f"{self.path}: lines {shown}{more}: {message}")
        return result


def _rows(text: str, notes: _Notes) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each row; a cell over the CSV limit, or a quote that runs on over later
    rows, is a problem at its line, and reading goes on with the next row."""
    lines = [line for line in text.split("\n", 20)[:20] if line.strip()]  # a title line above may have none
    header = next((line for line in lines if any(mark in line for mark in ",;\t")), "")
    delimiter = max(",;\t", key=header.count)  # comma, semicolon (much of Europe) or tab ("Unicode Text")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # the only one left once line ends are normalised: a cell over the field limit
            end = reader.line_num
            notes.problem(end, f"a cell of more than {csv.field_size_limit():,} characters: this is not a class list")
            continue
        end = reader.line_num
        swallowed = [cell for cell in cells if "\n" in cell and delimiter in cell.split("\n", 1)[1]]
        if end > start and swallowed:
            closed = "is never closed" if swallowed[-1].endswith("\n") else f"is not closed before line {end}"
            message = (
                f'a quote (") opened on this line {closed}, so lines {start}-{end} were read as one cell: '
                "remove the stray quote, or close it"
            )
            notes.problem(start, message)
            continue
        yield start, cells


def _columns(path: Path, line: int, header: list[str], notes: _Notes) -> dict[str, list[int]]:
    """Where each known column is, by the names school systems use; unknown ones are ignored with
    one warning, a close miss with "did you mean". A first name or surname comes from its preferred
    column, else the next one (Arbor's blank `Preferred Forename` falls back to `Legal Forename`)."""
    candidates: dict[str, list[tuple[int, int]]] = {}  # role -> (preference, column index)
    unknown: list[str] = []
    for index, cell in enumerate(header):
        name = _column_name(cell)
        role = _KNOWN.get(name)
        if role:
            candidates.setdefault(role, []).append((ALIASES[role].index(name), index))
        elif name:
            unknown.append(cell.strip())
    found = {role: min(places)[1] for role, places in candidates.items()}
    if "name" in found:  # a full name wins over a `Smith, Ann` one, and both over its parts
        found.pop("surname first", None)
    if found.keys() & {"name", "surname first"}:
        found = {role: index for role, index in found.items() if role not in _PARTS}
    spare = {role: [index for _, index in sorted(candidates[role])[1:]] for role in _PARTS if role in found}
    _ignored(header, candidates, found, unknown, line, notes, spare)
    if not found.keys() & set(_NAME_ROLES):
        more = f" and {len(header) - 10:,} more" if len(header) > 10 else ""
        shown = ", ".join(repr(c.strip()) for c in header[:10]) + more
        message = (
            f"expected a `name` column (or `surname` and `first name`), found: {shown}{_did_you_mean(unknown)}. "
            "Rename the column of pupils' names to `name`; if the header row is below a title or other lines, "
            "delete the lines above it"
        )
        raise ContentError([Problem(str(path), message, line)])
    return {role: [index, *spare.get(role, [])] for role, index in found.items()}


def looks_like_a_header(line: str) -> bool:
    """Whether one line of text could be a roster's header row (`Surname,Forename,Form`)."""
    delimiter = max(",;\t", key=line.count)
    return line.count(delimiter) > 0 and _names_pupils(next(csv.reader([line], delimiter=delimiter)))


def _names_pupils(cells: list[str]) -> bool:
    """Whether a row could be the header: it has a column of names (looked for in its first cells)."""
    return any(_KNOWN.get(_column_name(cell)) in _NAME_ROLES for cell in cells[:200])


def _ignored(
    header: list[str],
    candidates: dict[str, list[tuple[int, int]]],
    found: dict[str, int],
    unknown: list[str],
    line: int,
    notes: _Notes,
    spare: dict[str, list[int]],
) -> None:
    """One warning for the unknown columns, one for known ones left unused."""
    if unknown:
        shown = ", ".join(map(repr, unknown[:LINES_SHOWN]))
        more = f" and {len(unknown) - LINES_SHOWN:,} more" if len(unknown) > LINES_SHOWN else ""
        notes.add(line, f"column{'s' if len(unknown) > 1 else ''} {shown}{more} ignored{_did_you_mean(unknown)}")
    used = {*found.values(), *(index for indexes in spare.values() for index in indexes)}
    for role, places in candidates.items():
        for _, index in sorted(places):
            if index not in used:
                by = found.get(role, found.get("name", 0))
                what = _ROLE_NAMES.get(role, f"the {role}")
                notes.add(line, f"{_column(header, index)} not used: {_column(header, by)} gives {what}")


def _column(header: list[str], index: int) -> str:
    """`column 3 ('Legal Forename')`: by number too, since two columns can have one name."""
    return f"column {index + 1} ({header[index].strip()!r})"


def _column_name(cell: str) -> str:
    """`First_Name (s)` -> `first name`: how column names are compared."""
    text = re.sub(r"\(s\)", "", clean_text(cell)[0].lower())
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _did_you_mean(unknown: list[str]) -> str:
    """A close miss among the first unknown columns (a header of 160,000 made every column a
    search, 31 s before the error; fifth red-team pass)."""
    for cell in unknown[:50]:
        close = difflib.get_close_matches(_column_name(cell), list(_KNOWN), n=1, cutoff=0.75)
        if close:
            return f"; did you mean {close[0]!r} for {cell!r}?"
    return ""


def _row(line: int, cells: list[str], columns: dict[str, list[int]], width: int, notes: _Notes) -> Pupil | None:
    """One pupil from one row, with every problem in it; None for a blank row or one with no usable name."""
    if not any(cell.strip() for cell in cells):
        return None
    if any(cell.strip() for cell in cells[width:]):
        notes.add(line, "more cells than the header has columns: the extra cells were ignored")
    values = {
        role: next((text for index in indexes if (text := _cell(cells, index, line, notes).strip())), "")
        for role, indexes in columns.items()
    }
    if "surname first" in values:  # `Smith, Ann` -> `Ann Smith`
        surname, _, first = values.pop("surname first").partition(",")
        values["name"] = f"{first} {surname}"
    name = " ".join(" ".join(values[role] for role in ("name", "first", "surname") if role in values).split())
    raw = [cells[i] for role, indexes in columns.items() if role in _NAME_ROLES for i in indexes if i < len(cells)]
    _check_name(name, raw, line, notes)
    group = " ".join(values.get("class", "").split())
    if len(group) > MAX_CLASS:
        notes.problem(line, f"a class name is at most {MAX_CLASS} characters, found {len(group):,}", "class")
    tier = _tier(values.get("tier", "").strip(), line, notes)
    needs = _needs(values.get("needs", ""), line, notes)
    if not name or len(name) > MAX_NAME:
        return None
    return Pupil(line, name, group, tier, needs)


def _cell(cells: list[str], index: int, line: int, notes: _Notes) -> str:
    """A cell through the same text boundary as content: a control character pasted into a name would
    otherwise reach the sheet's header."""
    text, cleaned = clean_text(cells[index] if index < len(cells) else "")
    for note in cleaned:
        notes.add(line, note)
    return text


def _check_name(name: str, raw: list[str], line: int, notes: _Notes) -> None:
    if not name:
        invisible = sorted(set(INVISIBLE.findall("".join(raw))))
        found = f"only invisible characters ({', '.join(map(char_name, invisible))})" if invisible else "an empty cell"
        notes.problem(line, f"expected a pupil's name, found {found}", "name")
    elif len(name) > MAX_NAME:
        message = (
            f"a name of {len(name):,} characters is too long to print: at most {MAX_NAME} characters fit the "
            "sheet's one-line name header at full size; use the name the pupil is known by"
        )
        notes.problem(line, message, "name")


def _tier(text: str, line: int, notes: _Notes) -> Tier:
    tier = text.lower() or Tier.core.value
    if tier in Tier.__members__:
        return Tier(tier)
    notes.problem(line, f"expected a tier ({', '.join(t.value for t in Tier)}), found {text[:40]!r}", "tier")
    return Tier.core


def _needs(text: str, line: int, notes: _Notes) -> frozenset[Need]:
    """`dyslexia; large-print`, also with commas or one per line (Alt+Enter in an Excel cell)."""
    needs: set[Need] = set()
    for typed in re.split(r"[;,\n]", text.lower()):
        need = "-".join(typed.split())  # "large print" is large-print
        if need in {n.value for n in Need}:
            needs.add(Need(need))
        elif need:
            choices = ", ".join(n.value for n in Need)
            notes.problem(line, f"expected needs from ({choices}), found {need[:40]!r}", "needs")
    return frozenset(needs)


def _same_names(pupils: list[Pupil], notes: _Notes) -> None:
    """Two pupils with one name both get sheets (their files are numbered apart): say so, naming both lines."""
    first: dict[str, int] = {}
    for pupil in pupils:
        key = pupil.name.casefold()
        if key in first:
            message = (
                f"{pupil.name!r} is also the name on line {first[key]}: both get sheets, their file names numbered "
                "apart; add an initial if they are two pupils, or remove the repeated row"
            )
            notes.add(pupil.line, message)
        else:
            first[key] = pupil.line
