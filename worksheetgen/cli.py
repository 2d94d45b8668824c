"""The command line: parse options, call the library, map errors to exit codes.

Exit status: 0 success; 1 bad input (`error: ...` naming the place, printed by `main`, the one
place that catches the library's errors); 2 a usage mistake (an unknown option, choice or
sheet kind, with a suggestion). `--verbose`, before or after the command, shows a traceback.
"""

from __future__ import annotations

import dataclasses
import difflib
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from worksheetgen.document import Tier
from worksheetgen.errors import WorksheetError
from worksheetgen.layout import Profile
from worksheetgen.wording import counted

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from worksheetgen.pipeline import Report

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: importing rich's formatter doubled start-up time
    pretty_exceptions_enable=False,
    help="Printable, differentiated lesson worksheets (PDF and editable Word files) from one content file. "
    "Start with `worksheetgen pack`; `worksheetgen COMMAND --help` explains each command.",
)


class _ProseHelp(TyperCommand):
    """Help that reads like prose: `ROSTER` and `FILE...`, not `{ROSTER}` and `ROSTER <path>`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [piece.replace("{", "").replace("}", "") for piece in super().collect_usage_pieces(ctx)]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        params = self.get_params(ctx)
        sections = {
            "Arguments": [
                (p.metavar or (p.name or "").upper(), p.help or "") for p in params if isinstance(p, TyperArgument)
            ],
            "Options": [row for p in params if p.param_type_name == "option" and (row := p.get_help_record(ctx))],
        }
        for title, rows in sections.items():
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


command = partial(app.command, cls=_ProseHelp)
T = TypeVar("T")
Bundle = TypeVar("Bundle", bound="DataclassInstance")
VERBOSE = "--verbose"
_state = {"verbose": False}
# The library's PAPERS and FORMATS (pipeline.py), repeated here so `--help` need not import it.
PAPERS = ("a4", "letter")
FORMATS = ("pdf", "docx")
DEFAULT_TOPIC = "stalins-purges"  # pipeline.DEFAULT_TOPIC, for the help text


@app.callback()
def _main(
    verbose: Annotated[
        bool,
        typer.Option(
            VERBOSE, help="Show the full traceback of an error, for a bug report (before or after the command)."
        ),
    ] = False,
) -> None:
    _state["verbose"] = verbose


def _listed(names: Sequence[str], last: str = "or") -> str:
    """'a4 or letter', 'support, core or challenge', 'gap-fill, diamond-nine and essay-planner'."""
    return f" {last} ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def _not_one_of(text: str, what: str, names: Sequence[str]) -> str:
    """ "'gapfill' is not a sheet kind; did you mean 'gap-fill'? Choose ...": what was wrong, and what is right."""
    close = difflib.get_close_matches(text.strip().casefold(), names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "."
    return f"'{text}' is not a {what}{hint} Choose {_listed(names)}."


def _choice(choices: Sequence[T], what: str) -> Callable[[object], T]:
    """A parser for one of `choices` in any case (`Support`, `A4`); anything else is a usage mistake.

    Parsers also see the default values, already typed: hence `str(value)` here and below.
    """
    names = [str(choice) for choice in choices]

    def parse(value: object) -> T:
        text = str(value)
        for choice, name in zip(choices, names, strict=True):
            if name.casefold() == text.strip().casefold():
                return choice
        raise typer.BadParameter(_not_one_of(text, what, names))

    return parse


def _number(low: int, high: int | None = None) -> Callable[[object], int]:
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


def _option(*names: str, metavar: str | None = None, **settings: Any) -> Any:
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
    _option(
        "--sheet",
        "-s",
        metavar="KIND",
        help="A sheet kind, such as gap-fill (`worksheetgen list` shows them all). Repeat for several. "
        "Default: every kind.",
    ),
]
TierOpt = Annotated[
    list[Tier] | None,
    _option(
        "--tier",
        "-t",
        metavar="TIER",
        parser=_choice(tuple(Tier), "tier"),
        help=f"{_listed(tuple(Tier))}. Repeat for several. Default: all three.",
    ),
]
FormatOpt = Annotated[
    list[str] | None,
    _option(
        "--format",
        "-f",
        metavar="FORMAT",
        parser=_choice(FORMATS, "format"),
        help="pdf or docx (a Word file). Default: both.",
    ),
]
PaperOpt = Annotated[
    str,
    _option(
        "--paper",
        metavar="PAPER",
        parser=_choice(PAPERS, "paper size"),
        help="a4 or letter; each is laid out for its own page, never scaled. Default: a4.",
    ),
]
ProfileOpt = Annotated[
    Profile,
    _option(
        "--profile",
        metavar="PROFILE",
        parser=_choice(tuple(Profile), "print profile"),
        help="standard, dyslexia (a font designed for reading, wider spacing) or large-print. Default: standard.",
    ),
]
CreamOpt = Annotated[
    bool, _option("--cream", help="A cream page background (printing on cream paper is better still).")
]
KeyOpt = Annotated[bool, _option("--key/--no-key", help="Also write the teacher's answer keys (the default), or not.")]
SeedOpt = Annotated[
    int,
    _option(
        "--seed",
        metavar="N",
        parser=_number(0),
        help="A number that chooses the gaps and shuffles the cards: the same number gives the same sheets. "
        "Default: 0.",
    ),
]
OutOpt = Annotated[Path, _option("--out", "-o", metavar="FOLDER", help="The folder to write into. Default: output.")]
ForceOpt = Annotated[
    bool,
    _option("--force", help="Replace Word files you have edited since they were written (otherwise they are kept)."),
]
DraftOpt = Annotated[
    bool,
    _option(
        "--draft",
        help="Also print sheets the content cannot finish yet (TODO values, too little for an activity), "
        "marked DRAFT on every page. Without it they are not built, and each thing to finish is listed.",
    ),
]
TemplatesOpt = Annotated[
    list[Path] | None,
    _option(
        "--templates",
        metavar="FOLDER",
        help="A folder of your own templates, searched before the built-in ones. Repeat for several.",
    ),
]


def _template_dirs(option: list[Path] | None) -> tuple[Path, ...]:
    """`--templates` folders first, then those named in a trusted worksheetgen.toml."""
    from worksheetgen.config import load_config, untrusted_warning

    config = load_config()
    if config.untrusted is not None:
        _warn([untrusted_warning(config.untrusted)])
    return (*(option or ()), *config.templates)


def _checked_kinds(kinds: Iterable[str], template_dirs: tuple[Path, ...]) -> tuple[str, ...]:
    """Sheet kinds as `list` spells them, in any case; an unknown kind is a usage mistake, with a suggestion."""
    from worksheetgen.pipeline import list_kinds

    known = list_kinds(template_dirs)
    by_case = {kind.casefold(): kind for kind in known}
    checked = []
    for kind in kinds:
        if kind.strip().casefold() not in by_case:
            raise typer.BadParameter(
                _not_one_of(kind, "sheet kind", known),
                param_hint="'--sheet'",
            )
        checked.append(by_case[kind.strip().casefold()])
    return tuple(checked)


def _options(ctx: typer.Context, bundle: Callable[..., Bundle], **fixed: Any) -> Bundle:
    """The library's options (`Options`, `BatchOptions`) from the command's parameters of the same names.

    Commands name their parameters after the fields (`kinds` for --sheet, `template_dirs` for
    --templates), so build, pack, preview and batch share this one translation; `fixed` wins.
    """
    fields = {field.name for field in dataclasses.fields(bundle)}  # type: ignore[arg-type]
    given: dict[str, Any] = {name: _plain(value) for name, value in ctx.params.items() if name in fields}
    given |= fixed
    given["template_dirs"] = _template_dirs(given.get("template_dirs"))
    given["kinds"] = _checked_kinds(given.get("kinds", ()), given["template_dirs"])
    return bundle(**given)


def _plain(value: object) -> object:
    """Repeatable options arrive as lists (or None when not given); the library takes tuples."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else value


def _warn(messages: Iterable[str]) -> None:
    for message in messages:
        typer.echo(f"warning: {message}", err=True)


def _wrote(report: Report, out: Path, then: str = "") -> None:
    """The warnings, then one line saying what was written where; then the sheets kept back, if any
    (an error: exit status 1)."""
    _warn(report.warnings)
    typer.echo(f"Wrote {counted(len(report.written), 'file')} to {out}/{then}")
    if report.refused:
        raise report.refused


@command(short_help="Build chosen sheets as PDF and Word files, with keys.")
def build(
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
    """Build worksheets as PDF and Word files, each with its teacher's answer key: every sheet
    kind in every tier, unless you choose some with --sheet and --tier.

    \b
    Examples:
      worksheetgen build --sheet gap-fill --tier support --format pdf
      worksheetgen build content/my-topic.yaml --paper letter --no-key --out handouts
    """
    from worksheetgen.pipeline import Options, generate, resolve_content

    _wrote(generate(resolve_content(content), _options(ctx, Options)), out)


@command("pack", short_help="The whole lesson pack, with one print-ready PDF.")
def pack_(
    ctx: typer.Context,
    content: ContentArg = None,
    kinds: SheetOpt = None,
    tiers: TierOpt = None,
    formats: FormatOpt = None,
    paper: PaperOpt = "a4",
    profile: ProfileOpt = Profile.standard,
    cream: CreamOpt = False,
    force: ForceOpt = False,
    seed: SeedOpt = 0,
    out: OutOpt = Path("output"),
    draft: DraftOpt = False,
    template_dirs: TemplatesOpt = None,
) -> None:
    """The whole lesson pack: every sheet kind in every tier as PDF and Word files, the answer
    keys, and one print file (a contents page, then every sheet starting on an odd page, ready
    for double-sided printing).

    \b
    Example:
      worksheetgen pack content/my-topic.yaml --profile dyslexia
    """
    from worksheetgen.pipeline import Options, pack, resolve_content

    report = pack(resolve_content(content), _options(ctx, Options, key=True))
    printable = [p for p in report.written if p.name.endswith("_print.pdf")]
    _wrote(report, out, f" (print this one: {printable[0].name})" if printable else "")


BATCH_KINDS = ("gap-fill", "diamond-nine", "essay-planner")  # batch.DEFAULT_KINDS, for the help text


@command(short_help="A named sheet for every pupil in a class list (CSV).")
def batch(
    ctx: typer.Context,
    roster: Annotated[
        Path,
        typer.Argument(
            metavar="ROSTER",
            show_default=False,
            help="The class list: a CSV file whose header row names the columns `name` (required), "
            "`class`, `tier` and `needs` (dyslexia, large-print).",
        ),
    ],
    content: Annotated[
        str | None,
        _option(
            "--content",
            "-c",
            metavar="CONTENT",
            help=f"A content .yaml file, or the name of a shipped topic. Default: {DEFAULT_TOPIC}.",
        ),
    ] = None,
    kinds: Annotated[
        list[str] | None,
        _option(
            "--sheet",
            "-s",
            metavar="KIND",
            help="A sheet kind (`worksheetgen list` shows them all). Repeat for several. "
            f"Default: {_listed(BATCH_KINDS, 'and')}.",
        ),
    ] = None,
    paper: PaperOpt = "a4",
    profile: Annotated[
        Profile,
        _option(
            "--profile",
            metavar="PROFILE",
            parser=_choice(tuple(Profile), "print profile"),
            help="For pupils whose row names no needs: standard, dyslexia or large-print. Default: standard.",
        ),
    ] = Profile.standard,
    seed: SeedOpt = 0,
    force: ForceOpt = False,
    out: OutOpt = Path("output"),
    draft: DraftOpt = False,
    template_dirs: TemplatesOpt = None,
) -> None:
    """A sheet for every pupil, with their name and class, at their tier and with their needs;
    one print file per class in register order; and a key for each variant.

    \b
    Example:
      worksheetgen batch roster.csv --content content/my-topic.yaml --sheet timeline
    """
    from worksheetgen.batch import BatchOptions, run_batch
    from worksheetgen.pipeline import resolve_content

    options = _options(ctx, BatchOptions)
    content_path = resolve_content(content)
    if sys.stderr.isatty():
        with typer.progressbar(length=_count_rows(roster), label="Pupils", file=sys.stderr) as bar:
            report = run_batch(roster, content_path, options, progress=lambda _: bar.update(1))
    else:
        report = run_batch(roster, content_path, options)
    prints = [p for p in report.written if p.name.endswith("_print.pdf")]
    _wrote(report, out, f"; print files: {', '.join(str(p) for p in prints)}")


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
        str, _option("--sheet", "-s", metavar="KIND", help="The kind to build from content. Default: gap-fill.")
    ] = "gap-fill",
    tier: Annotated[
        Tier,
        _option(
            "--tier",
            "-t",
            metavar="TIER",
            parser=_choice(tuple(Tier), "tier"),
            help="The tier to build from content. Default: core.",
        ),
    ] = Tier.core,
    paper: PaperOpt = "a4",
    profile: ProfileOpt = Profile.standard,
    dpi: Annotated[
        int,
        _option("--dpi", metavar="N", parser=_number(20, 300), help="Dots per inch, from 20 to 300. Default: 60."),
    ] = 60,
    out: Annotated[
        Path, _option("--out", "-o", metavar="FOLDER", help="The folder for the pictures. Default: output/preview.")
    ] = Path("output/preview"),
) -> None:
    """Turn each page into a picture (PNG) for a quick look: a PDF, or one sheet built from content.

    \b
    Example:
      worksheetgen preview --sheet timeline --tier support
    """
    from worksheetgen.pipeline import Options, generate, resolve_content
    from worksheetgen.preview import preview_pdf

    pdf = Path(target or "")
    if pdf.suffix.lower() != ".pdf":
        options = _options(ctx, Options, kinds=(sheet,), tiers=(tier,), formats=("pdf",), key=False, draft=True)
        report = generate(resolve_content(target), options)
        _warn(report.warnings)
        pdf = report.written[0]
    pages, notes = preview_pdf(pdf, out, dpi)
    _warn(notes)
    for page in pages:
        typer.echo(str(page))


@command("list", short_help="List the sheet kinds, tiers and shipped topics.")
def list_(template_dirs: TemplatesOpt = None) -> None:
    """List the sheet kinds (yours too, with --templates or worksheetgen.toml), tiers and shipped topics."""
    from worksheetgen.pipeline import list_kinds
    from worksheetgen.resources import shipped_topics

    typer.echo("Sheet kinds: " + ", ".join(list_kinds(_template_dirs(template_dirs))))
    typer.echo("Tiers:       " + ", ".join(f"{t.value} {t.marker}" for t in Tier))
    typer.echo("Content:")
    for name, path in shipped_topics().items():
        typer.echo(f"  {name}  ({path})")


@command(short_help="Check content files and list every problem.")
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="One or more content .yaml files.")],
) -> None:
    """Check content files: every problem in every file is listed with FILE:LINE:COLUMN. A valid
    file with TODO values is reported as a draft; each TODO, and each sheet kind the file has too
    little for, is listed as a warning with its line. The exit status is still 0.

    \b
    Example:
      worksheetgen validate content/my-topic.yaml
    """
    from worksheetgen.errors import ContentError
    from worksheetgen.gate import review, verdict
    from worksheetgen.loader import load_content
    from worksheetgen.pipeline import list_kinds

    problems = []
    for file in files:
        try:
            loaded = load_content(file)
        except ContentError as error:  # go on to the next file; all are reported together below
            problems.extend(error.problems)
            continue
        _warn(str(w) for w in loaded.warnings)
        unfinished = review(loaded, list_kinds(_template_dirs(None)))
        _warn(str(p) for p in unfinished)
        typer.echo(verdict(file, unfinished))
    if problems:
        raise ContentError(problems)


@command(short_help="Write a starter content file for a new topic.")
def new(
    words: Annotated[
        list[str],
        typer.Argument(metavar="TITLE", help='The topic\'s title: "The 1905 Revolution" (the quotes may be left out).'),
    ],
    out: Annotated[
        Path | None,
        _option(
            "--out", "-o", metavar="FILE", help="The file to write. Default: a file in content/ named after the title."
        ),
    ] = None,
    force: Annotated[bool, _option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write a commented starter content file that already builds every sheet: replace its examples.

    \b
    Example:
      worksheetgen new "The 1905 Revolution"
    """
    from worksheetgen.authoring import title_problem, write_new
    from worksheetgen.output import safe_part

    title = " ".join(" ".join(words).split())  # `new The Weimar Republic` means the same as with quotes
    problem = title_problem(title)
    if problem:
        raise typer.BadParameter(problem, param_hint="TITLE")
    stem = safe_part(title.replace("'", "")).lower()  # no apostrophe to trip up a shell: stalins-purges
    path = out or Path("content") / f"{stem}.yaml"
    write_new(path, title, force=force)
    typer.echo(f"Wrote {path}: replace the examples, then run: worksheetgen validate {path}")


@command("import", short_help="Turn your notes (text or Markdown) into a content file.")
def import_(
    notes: Annotated[
        Path,
        typer.Argument(
            metavar="NOTES",
            help="Your notes: plain text or Markdown (in any common encoding), a saved web page (.html) or a Word file"
            " (.docx).",
        ),
    ],
    out: Annotated[
        Path | None,
        _option("--out", "-o", metavar="FILE", help="The content file to write. Default: NOTES with .yaml."),
    ] = None,
    title: Annotated[
        str | None, _option("--title", metavar="TITLE", help="The topic's title, if not the notes' first heading.")
    ] = None,
    force: Annotated[bool, _option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Turn notes into a content file: garbled text is repaired and what the notes do not say
    is marked TODO, never invented.

    \b
    Example:
      worksheetgen import my-notes.txt --out content/my-topic.yaml
    """
    from worksheetgen.errors import OutputError
    from worksheetgen.importer import import_file
    from worksheetgen.output import write_atomic

    target = out or notes.with_suffix(".yaml")
    if target.exists() and not force:
        raise OutputError(f"'{target}' already exists; choose another with --out, or add --force")
    imported = import_file(notes, title=title)
    _warn(imported.warnings)
    write_atomic(target, imported.yaml.encode("utf-8"))
    typer.echo(f"Wrote {target} ({counted(imported.todos, 'value')} to fill in). To finish it, most useful first:")
    for fix in imported.checklist:
        typer.echo(f"  {target}:{fix.line}: {fix.text}")
    typer.echo(f"Then run: worksheetgen validate {target}")


@command(short_help="Use the template folders named in a folder's worksheetgen.toml.")
def trust(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="The folder holding worksheetgen.toml.")] = Path(),
) -> None:
    """Trust the worksheetgen.toml in FOLDER (default: here), so its template folders are used.

    Templates decide what every sheet says, so a worksheetgen.toml found in a folder is used
    only after you trust it; if the file changes, trust it again.

    \b
    Example:
      worksheetgen trust
    """
    from worksheetgen.config import trust as trust_folder

    path = trust_folder(folder)
    typer.echo(f"Trusted {path}: its template folders are used from now on")


@command(short_help="Write the content format for your editor (JSON Schema).")
def schema(
    out: Annotated[
        Path | None, _option("--out", "-o", metavar="FILE", help="The file to write. Default: print it.")
    ] = None,
) -> None:
    """The content format as JSON Schema, for completion and inline errors in your editor.

    \b
    Example:
      worksheetgen schema --out content.schema.json
    """
    import json

    from worksheetgen.authoring import content_schema
    from worksheetgen.output import write_atomic

    text = json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    write_atomic(out, text.encode("utf-8"))
    typer.echo(f"Wrote {out}")


@command(short_help="Everything above on a web page, for colleagues without a terminal.")
def serve(
    host: Annotated[
        str,
        _option(
            "--host",
            metavar="ADDRESS",
            help="Where to listen. Default: 127.0.0.1, this computer only; 0.0.0.0 lets anyone on your network in.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        _option(
            "--port",
            metavar="N",
            parser=_number(0, 65535),
            help="The port to listen on (0: any free one). Default: 8000.",
        ),
    ] = 8000,
    open_browser: Annotated[
        bool, _option("--open/--no-open", help="Open the page in your web browser (the default), or not.")
    ] = True,
) -> None:
    """A web page to choose a topic, upload notes or a class list, preview the sheets and
    download them; nothing leaves the computer it runs on. Ctrl+C stops it.

    \b
    Example:
      worksheetgen serve --port 8080
    """
    from worksheetgen.serve import serve as run

    run(host, port, open_browser)


def _interrupted(signum: int, frame: object) -> None:
    """A kill signal unwinds like Ctrl+C, so half-written temporary files are removed."""
    raise KeyboardInterrupt


def _verbose_first(args: list[str]) -> list[str]:
    """`--verbose` after the command too: move it to the front, where the app's own option is."""
    end = args.index("--") if "--" in args else len(args)
    if VERBOSE not in args[:end]:
        return args
    return [VERBOSE, *(arg for i, arg in enumerate(args) if i >= end or arg != VERBOSE)]


def main() -> None:
    """Console-script entry point: bad input becomes `error: ...` lines and exit status 1."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        app(_verbose_first(sys.argv[1:]), prog_name="worksheetgen")
    except WorksheetError as error:
        if _state["verbose"]:
            traceback.print_exc()
        for line in str(error).splitlines():
            typer.echo(f"error: {line}", err=True)
        sys.exit(1)
