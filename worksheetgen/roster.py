"""Read a class roster CSV as Excel saves it: a tier and needs per pupil.

Excel writes UTF-8 with a BOM, or cp1252; uses `;` as the delimiter in many locales; and
leaves blank lines and stray spaces. All of those are accepted. A bad row (empty name,
unknown tier or need) is reported with its line number, every one at once, before anything
is written.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from worksheetgen.document import Tier
from worksheetgen.errors import ContentError, Problem
from worksheetgen.layout import Profile
from worksheetgen.textclean import clean_text

COLUMNS = ("name", "class", "tier", "needs")


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
    pupils: list[Pupil]
    warnings: list[str]


def read_roster(path: Path) -> Roster:
    """Parse and validate a roster; raise ContentError listing every bad row."""
    text, warnings = _decode(path)
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text), skipinitialspace=True))
    header_index = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if header_index is None:
        raise ContentError([Problem(str(path), "the roster is empty: expected a header row with a `name` column")])
    columns = _columns(path, rows[header_index], header_index + 1, warnings)
    pupils: list[Pupil] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: _clean(row[i] if i < len(row) else "", path, index, warnings) for name, i in columns.items()}
        pupil = _pupil(path, index, cells, problems)
        if pupil:
            pupils.append(pupil)
    if problems:
        raise ContentError(problems)
    if not pupils:
        raise ContentError([Problem(str(path), "the roster has a header but no pupils")])
    return Roster(pupils, warnings)


def _clean(cell: str, path: Path, line: int, warnings: list[str]) -> str:
    """A cell through the same text boundary as content: a control character pasted into a name
    would otherwise reach the sheet's header."""
    text, notes = clean_text(cell)
    warnings.extend(f"{path}:{line}: {note}" for note in notes)
    return text.strip()


def _decode(path: Path) -> tuple[str, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), [f"{path}: not UTF-8; read as Windows-1252 (cp1252)"]


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab: whichever the header row uses most."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=header.count)


def _columns(path: Path, header: list[str], line: int, warnings: list[str]) -> dict[str, int]:
    """Where each known column is; `name` is required, unknown columns are ignored with a warning."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        if name in COLUMNS:
            found.setdefault(name, index)
        elif name:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            warnings.append(f"{path}:{line}: column {cell.strip()!r} ignored{hint}")
    if "name" not in found:
        raise ContentError(
            [Problem(str(path), f"expected a `name` column, found: {', '.join(c.strip() for c in header)}", line)]
        )
    return found


def _pupil(path: Path, line: int, cells: dict[str, str], problems: list[Problem]) -> Pupil | None:
    before = len(problems)
    name = " ".join(cells.get("name", "").split())
    if not name:
        problems.append(Problem(str(path), "expected a pupil's name, found an empty cell", line, path="name"))
    tier_text = cells.get("tier", "").lower() or Tier.core.value
    if tier_text not in Tier.__members__:
        choices = ", ".join(t.value for t in Tier)
        problems.append(Problem(str(path), f"expected a tier ({choices}), found {tier_text!r}", line, path="tier"))
    needs: set[Need] = set()
    for need in (n.strip().lower() for n in cells.get("needs", "").replace(",", ";").split(";")):
        if not need:
            continue
        if need in {n.value for n in Need}:
            needs.add(Need(need))
        else:
            choices = ", ".join(n.value for n in Need)
            problems.append(Problem(str(path), f"expected needs from ({choices}), found {need!r}", line, path="needs"))
    if len(problems) > before:
        return None
    return Pupil(line, name, " ".join(cells.get("class", "").split()), Tier(tier_text), frozenset(needs))
