"""One exception family. The CLI turns any of these into a message and exit status 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is: `FILE:LINE:COL: path: message`."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where = f" {self.path}:" if self.path else ""
        return f"{place}:{where} {self.message}"


class WorksheetError(Exception):
    """Base of every error a user can cause; the message is meant for them."""


MAX_SHOWN = 50  # problems printed at once (TeX stops at 100): past that, fixing the first ones comes first


class ContentError(WorksheetError):
    """A content file has one or more problems; all of them are reported at once (the first MAX_SHOWN)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_SHOWN]]
        if len(problems) > MAX_SHOWN:
            shown.append(f"{problems[0].file}: and {len(problems) - MAX_SHOWN:,} more problems: fix these first")
        super().__init__("\n".join(shown))


class TemplateError(WorksheetError):
    """A sheet template is missing, broken, or tried something it may not do."""


class RenderError(WorksheetError):
    """The document cannot be rendered faithfully (missing glyphs, text too long)."""


class OutputError(WorksheetError):
    """An output file cannot be written."""
