"""The commands that make sheets: build, pack, batch and preview.

build and pack take the same options (pack always writes keys): they are declared once, in
`_sheet_parameters`, and both commands read them back through `options_from`, so the two can
never drift apart and a new option is added in one place.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from worksheetgen.choices import Profile, Tier
from worksheetgen.cli.app import command
from worksheetgen.cli.options import (
    BATCH_KINDS,
    DEFAULT_TOPIC,
    ContentArg,
    CreamOpt,
    DraftOpt,
    ForceOpt,
    FormatOpt,
    KeyOpt,
    OutOpt,
    PaperOpt,
    ProfileOpt,
    SeedOpt,
    SheetOpt,
    TemplatesOpt,
    TierOpt,
    choice,
    listed,
    number,
    option,
    options_from,
    warn,
    wrote,
)
from worksheetgen.errors import WorksheetError
from worksheetgen.wording import few

Command = Callable[..., None]


def _sheet_parameters(
    ctx: typer.Context,
    content: ContentArg = None,
    kinds: SheetOpt = None,
    tiers: TierOpt = None,
    formats: FormatOpt = None,
    paper: PaperOpt = "a4",
    profile: ProfileOpt = Profile.standard,
    cream: CreamOpt = False,
    key: KeyOpt = True,
    force: ForceOpt = False,
    seed: SeedOpt = 0,
    out: OutOpt = Path("output"),
    draft: DraftOpt = False,
    template_dirs: TemplatesOpt = None,
) -> None:
    """The options of build and pack, each named after its `pipeline.Options` field."""


def _sheet_options(*, without: tuple[str, ...] = ()) -> Callable[[Command], Command]:
    """Give a command `_sheet_parameters`' options (less `without`): Typer reads a command's
    options from its signature, and the command reads their values from `ctx.params`."""
    shared = inspect.signature(_sheet_parameters, eval_str=True)
    signature = shared.replace(parameters=[p for p in shared.parameters.values() if p.name not in without])

    def give(run: Command) -> Command:
        run.__signature__ = signature  # type: ignore[attr-defined]
        return run

    return give


@command(short_help="Build chosen sheets as PDF and Word files, with keys.")
@_sheet_options()
def build(ctx: typer.Context, **_: object) -> None:
    """Build worksheets as PDF and Word files, each with its teacher's answer key: every sheet
    kind in every tier, unless you choose some with --sheet and --tier.

    \b
    Examples:
      worksheetgen build --sheet gap-fill --tier support --format pdf
      worksheetgen build content/my-topic.yaml --paper letter --no-key --out handouts
    """
    from worksheetgen.pipeline import Options, generate, resolve_content

    options = options_from(ctx, Options)
    wrote(generate(resolve_content(ctx.params["content"]), options), options.out)


@command("pack", short_help="The whole lesson pack, with one print-ready PDF.")
@_sheet_options(without=("key",))
def pack_(ctx: typer.Context, **_: object) -> None:
    """The whole lesson pack: every sheet kind in every tier as PDF and Word files, the answer
    keys, and one print file (a contents page, then every sheet starting on an odd page, ready
    for double-sided printing).

    \b
    Example:
      worksheetgen pack content/my-topic.yaml --profile dyslexia
    """
    from worksheetgen.pipeline import Options, pack, resolve_content

    options = options_from(ctx, Options, key=True)
    report = pack(resolve_content(ctx.params["content"]), options)
    printable = [p for p in report.written if p.name.endswith("_print.pdf")]
    wrote(report, options.out, f" (print this one: {printable[0].name})" if printable else "")


_NO_TIER = (
    "batch has no --tier: each pupil's tier comes from the roster's `tier` column (support, core or challenge; "
    "core where it is blank). To give the whole class one tier, add a `tier` column with that tier in every row"
)


@command(short_help="A named sheet for every pupil in a class list (CSV).")
def batch(
    ctx: typer.Context,
    roster: Annotated[
        Path,
        typer.Argument(
            metavar="ROSTER",
            show_default=False,
            help="The class list: a CSV file whose header row names the columns `name` (required), "
            "`class`, `tier` (each pupil's tier: support, core or challenge) and `needs` (dyslexia, large-print).",
        ),
    ],
    content: Annotated[
        str | None,
        option(
            "--content",
            "-c",
            metavar="CONTENT",
            help=f"A content .yaml file, or the name of a shipped topic. Default: {DEFAULT_TOPIC}.",
        ),
    ] = None,
    kinds: Annotated[
        list[str] | None,
        option(
            "--sheet",
            "-s",
            metavar="KIND",
            help="A sheet kind (`worksheetgen list` shows them all). Repeat for several. "
            f"Default: {listed(BATCH_KINDS, 'and')}.",
        ),
    ] = None,
    paper: PaperOpt = "a4",
    profile: Annotated[
        Profile,
        option(
            "--profile",
            metavar="PROFILE",
            parser=choice(tuple(Profile), "print profile"),
            help="For pupils whose row names no needs: standard, dyslexia or large-print. Default: standard.",
        ),
    ] = Profile.standard,
    seed: SeedOpt = 0,
    force: ForceOpt = False,
    out: OutOpt = Path("output"),
    draft: DraftOpt = False,
    template_dirs: TemplatesOpt = None,
    tier: Annotated[list[str] | None, option("--tier", "-t", metavar="TIER", hidden=True, help=_NO_TIER)] = None,
) -> None:
    """A sheet for every pupil, with their name and class, at their tier and with their needs;
    one print file per class in register order; and a key for each variant, in keys/, named for
    the roster's classes (keys/9X_...), so one class's keys never replace another's.

    \b
    Example:
      worksheetgen batch roster.csv --content content/my-topic.yaml --sheet timeline
    """
    from worksheetgen.batch import BatchOptions, run_batch
    from worksheetgen.pipeline import resolve_content

    if tier:
        raise typer.BadParameter(_NO_TIER)
    options = options_from(ctx, BatchOptions)
    content_path = resolve_content(content)
    if sys.stderr.isatty():
        with typer.progressbar(length=_count_rows(roster), label="Pupils", file=sys.stderr) as bar:
            report = run_batch(roster, content_path, options, progress=lambda _: bar.update(1))
    else:
        report = run_batch(roster, content_path, options)
    prints = [p for p in report.written if p.name.endswith("_print.pdf")]
    keys = sorted({f"{p.parent}/{p.name.split('_', 1)[0]}_*" for p in report.written if p.parent.name == "keys"})
    where = f"; print files: {few([str(p) for p in prints], then=', each in its class folder')}"
    wrote(report, out, where + (f"; keys: {few(keys)}" if keys else ""))


def _count_rows(roster: Path) -> int:
    """A rough pupil count for the progress bar (the roster is validated properly later)."""
    from worksheetgen.inputs import ROSTER, read_bytes

    try:  # bounded: a roster that is /dev/zero or a FIFO is refused here, not read for ever
        return max(1, sum(1 for line in read_bytes(roster, ROSTER).splitlines() if line.strip()) - 1)
    except WorksheetError:
        return 1


@command(short_help="Look at a sheet as pictures (PNG), no PDF viewer needed.")
def preview(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="TARGET",
            show_default=False,
            help=f"A PDF to look at, or content (a .yaml file or a shipped topic) to build one sheet from. "
            f"Default: {DEFAULT_TOPIC}.",
        ),
    ] = None,
    sheet: Annotated[
        str, option("--sheet", "-s", metavar="KIND", help="The kind to build from content. Default: gap-fill.")
    ] = "gap-fill",
    tier: Annotated[
        Tier,
        option(
            "--tier",
            "-t",
            metavar="TIER",
            parser=choice(tuple(Tier), "tier"),
            help="The tier to build from content. Default: core.",
        ),
    ] = Tier.core,
    paper: PaperOpt = "a4",
    profile: ProfileOpt = Profile.standard,
    dpi: Annotated[
        int,
        option("--dpi", metavar="N", parser=number(20, 300), help="Dots per inch, from 20 to 300. Default: 60."),
    ] = 60,
    out: Annotated[
        Path | None,
        option("--out", "-o", metavar="FOLDER", help="The folder for the pictures. Default: output/preview."),
    ] = None,
) -> None:
    """Turn each page into a picture (PNG) for a quick look: a PDF, or one sheet built from content.

    \b
    Example:
      worksheetgen preview --sheet timeline --tier support
    """
    from worksheetgen.output import linkless_folder
    from worksheetgen.pipeline import Options, generate, resolve_content
    from worksheetgen.preview import preview_pdf

    # Checked as build checks its folders: a folder named with --out may be a link (the user named it),
    # `preview` inside the default `output` may not (a link planted there was written through). It is
    # made when the first file goes in (nothing is made for a usage mistake or a missing PDF).
    folder = out if out is not None else linkless_folder(Path("output"), "preview")
    pdf = Path(target or "")
    ours = pdf.suffix.lower() != ".pdf"  # built here, so drawn here; a PDF from elsewhere is drawn in a child
    if ours:
        options = options_from(
            ctx, Options, kinds=(sheet,), tiers=(tier,), formats=("pdf",), key=False, draft=True, out=folder
        )
        report = generate(resolve_content(target), options)
        warn(report.warnings)
        pdf = report.written[0]
    pages, notes = preview_pdf(pdf, folder, dpi, ours=ours)
    warn(notes)
    for page in pages:
        typer.echo(str(page))
