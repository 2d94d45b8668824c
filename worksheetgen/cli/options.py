"""What the commands share: parsers that explain a mistake, the options build, pack and
batch have in common, and the one translation from parameters to the library's options.

Kept apart from the commands so each command module reads as what it does, not how its
options are spelt; nothing here imports the library beyond `--help`'s needs.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from worksheetgen.choices import Profile, Tier
from worksheetgen.render.formats import NAMES as FORMATS
from worksheetgen.wording import counted

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from worksheetgen.pipeline import Report

T = TypeVar("T")
Bundle = TypeVar("Bundle", bound="DataclassInstance")
# The library's PAPERS (pipeline.py), repeated here so `--help` need not import it.
PAPERS = ("a4", "letter")
DEFAULT_TOPIC = "stalins-purges"  # pipeline.DEFAULT_TOPIC, for the help text
BATCH_KINDS = ("gap-fill", "diamond-nine", "essay-planner")  # batch.DEFAULT_KINDS, for the help text


def listed(names: Sequence[str], last: str = "or") -> str:
    """'a4 or letter', 'support, core or challenge', 'gap-fill, diamond-nine and essay-planner'."""
    return f" {last} ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def not_one_of(text: str, what: str, names: Sequence[str]) -> str:
    """ "'gapfill' is not a sheet kind; did you mean 'gap-fill'? Choose ...": what was wrong, and what is right."""
    close = difflib.get_close_matches(text.strip().casefold(), names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "."
    return f"'{text}' is not a {what}{hint} Choose {listed(names)}."


def choice(choices: Sequence[T], what: str) -> Callable[[object], T]:
    """A parser for one of `choices` in any case (`Support`, `A4`); anything else is a usage mistake.

    Parsers also see the default values, already typed: hence `str(value)` here and below.
    """
    names = [str(choice) for choice in choices]

    def parse(value: object) -> T:
        text = str(value)
        for choice, name in zip(choices, names, strict=True):
            if name.casefold() == text.strip().casefold():
                return choice
        raise typer.BadParameter(not_one_of(text, what, names))

    return parse


def number(low: int, high: int | None = None) -> Callable[[object], int]:
    """A parser for a whole number from `low` (to `high`), with a message a teacher understands."""

    def parse(given: object) -> int:
        text = str(given)
        try:
            value = int(text.strip())
        except ValueError:
            value = low - 1
        if value < low or (high is not None and value > high):
            wanted = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise typer.BadParameter(f"'{text}' is not a whole number {wanted}.")
        return value

    return parse


def option(*names: str, metavar: str | None = None, **settings: Any) -> Any:
    """A Typer option with defaults stated in its help text, not as `[default: ...]` code."""
    return typer.Option(*names, metavar=metavar, show_default=False, **settings)


ContentArg = Annotated[
    str | None,
    typer.Argument(
        metavar="CONTENT",
        show_default=False,
        help="A content .yaml file, or the name of a shipped topic (see `worksheetgen list`). "
        f"Default: {DEFAULT_TOPIC}.",
    ),
]
SheetOpt = Annotated[
    list[str] | None,
    option(
        "--sheet",
        "-s",
        metavar="KIND",
        help="A sheet kind, such as gap-fill (`worksheetgen list` shows them all). Repeat for several. "
        "Default: every kind.",
    ),
]
TierOpt = Annotated[
    list[Tier] | None,
    option(
        "--tier",
        "-t",
        metavar="TIER",
        parser=choice(tuple(Tier), "tier"),
        help=f"{listed(tuple(Tier))}. Repeat for several. Default: all three.",
    ),
]
FormatOpt = Annotated[
    list[str] | None,
    option(
        "--format",
        "-f",
        metavar="FORMAT",
        parser=choice(FORMATS, "format"),
        help="pdf or docx (a Word file). Default: both.",
    ),
]
PaperOpt = Annotated[
    str,
    option(
        "--paper",
        metavar="PAPER",
        parser=choice(PAPERS, "paper size"),
        help="a4 or letter; each is laid out for its own page, never scaled. Default: a4.",
    ),
]
ProfileOpt = Annotated[
    Profile,
    option(
        "--profile",
        metavar="PROFILE",
        parser=choice(tuple(Profile), "print profile"),
        help="standard, dyslexia (a font designed for reading, wider spacing) or large-print. Default: standard.",
    ),
]
CreamOpt = Annotated[bool, option("--cream", help="A cream page background (printing on cream paper is better still).")]
KeyOpt = Annotated[bool, option("--key/--no-key", help="Also write the teacher's answer keys (the default), or not.")]
SeedOpt = Annotated[
    int,
    option(
        "--seed",
        metavar="N",
        parser=number(0),
        help="A number that chooses the gaps and shuffles the cards: the same number gives the same sheets. "
        "Default: 0.",
    ),
]
OutOpt = Annotated[Path, option("--out", "-o", metavar="FOLDER", help="The folder to write into. Default: output.")]
ForceOpt = Annotated[
    bool,
    option(
        "--force",
        help="Replace files you have changed since they were written: Word files you edited, a PDF exported "
        "or saved again under its name (otherwise they are kept).",
    ),
]
DraftOpt = Annotated[
    bool,
    option(
        "--draft",
        help="Also print sheets the content cannot finish yet (TODO values, too little for an activity), "
        "marked DRAFT on every page. Without it they are not built, and each thing to finish is listed.",
    ),
]
TemplatesOpt = Annotated[
    list[Path] | None,
    option(
        "--templates",
        metavar="FOLDER",
        help="A folder of your own templates, searched before the built-in ones. Repeat for several.",
    ),
]


def template_folders(option: list[Path] | None) -> tuple[Path, ...]:
    """`--templates` folders first, then those named in a trusted worksheetgen.toml."""
    from worksheetgen.config import load_config, untrusted_warning

    config = load_config()
    if config.untrusted is not None:
        warn([untrusted_warning(config.untrusted, config.changed, config.unreadable)])
    return (*(option or ()), *config.templates)


def checked_kinds(kinds: Iterable[str], template_dirs: tuple[Path, ...]) -> tuple[str, ...]:
    """Sheet kinds as `list` spells them, in any case; an unknown kind is a usage mistake, with a suggestion."""
    from worksheetgen.pipeline import list_kinds

    known = list_kinds(template_dirs)
    by_case = {kind.casefold(): kind for kind in known}
    checked = []
    for kind in kinds:
        if kind.strip().casefold() not in by_case:
            raise typer.BadParameter(
                not_one_of(kind, "sheet kind", known),
                param_hint="'--sheet'",
            )
        checked.append(by_case[kind.strip().casefold()])
    return tuple(checked)


def options_from(ctx: typer.Context, bundle: Callable[..., Bundle], **fixed: Any) -> Bundle:
    """The library's options (`Options`, `BatchOptions`) from the command's parameters of the same names.

    Commands name their parameters after the fields (`kinds` for --sheet, `template_dirs` for
    --templates), so build, pack, preview and batch share this one translation; `fixed` wins.
    """
    fields = {field.name for field in dataclasses.fields(bundle)}  # type: ignore[arg-type]
    given: dict[str, Any] = {name: _plain(value) for name, value in ctx.params.items() if name in fields}
    given |= fixed
    given["template_dirs"] = template_folders(given.get("template_dirs"))
    given["kinds"] = checked_kinds(given.get("kinds", ()), given["template_dirs"])
    return bundle(**given)


def _plain(value: object) -> object:
    """Repeatable options arrive as lists (or None when not given); the library takes tuples."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else value


def warn(messages: Iterable[str]) -> None:
    for message in messages:
        typer.echo(f"warning: {message}", err=True)


def wrote(report: Report, out: Path, then: str = "") -> None:
    """The warnings, then one line saying what was written where; then the sheets kept back, if any
    (an error: exit status 1)."""
    warn(report.warnings)
    folders = {path.parent for path in report.written}
    where = folders.pop() if len(folders) == 1 else out  # a set's own folder (output/dyslexia/) is named
    typer.echo(f"Wrote {counted(len(report.written), 'file')} to {where}/{then}")
    if report.refused:
        raise report.refused
