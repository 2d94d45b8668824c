"""The command line: parse options, call the library, map errors to exit codes.

Exit status: 0 success, 1 bad input (a message starting `error:` naming the place),
2 usage errors (Typer's own). `--verbose` shows a traceback for bug reports.
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from worksheetgen.document import Tier
from worksheetgen.errors import WorksheetError
from worksheetgen.layout import Profile

if TYPE_CHECKING:
    from worksheetgen.pipeline import Options

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: importing rich's formatter doubled start-up time
    pretty_exceptions_enable=False,
    help="Printable, differentiated lesson worksheets (PDF and editable DOCX) from YAML content.",
)

T = TypeVar("T")
_state = {"verbose": False}


class Format(StrEnum):
    pdf = "pdf"
    docx = "docx"


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", help="Show tracebacks for errors.")] = False) -> None:
    _state["verbose"] = verbose


def _run(action: Callable[[], T]) -> T:
    """Run library code; a WorksheetError becomes `error: ...` and exit status 1."""
    try:
        return action()
    except WorksheetError as exc:
        if _state["verbose"]:
            traceback.print_exc()
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(1) from None


def _template_dirs(option: list[Path] | None) -> tuple[Path, ...]:
    """`--templates` folders first, then those named in worksheetgen.toml."""
    from worksheetgen.config import load_config

    return (*(option or ()), *_run(load_config).templates)


def _warn(messages: list[str]) -> None:
    for message in messages:
        typer.echo(f"warning: {message}", err=True)


ContentArg = Annotated[
    str | None,
    typer.Argument(help="A content .yaml file, or the name of a shipped topic. Default: the shipped topic."),
]
SheetOpt = Annotated[list[str] | None, typer.Option("--sheet", "-s", help="Sheet kind (repeatable). Default: all.")]
TierOpt = Annotated[list[Tier] | None, typer.Option("--tier", "-t", help="Tier (repeatable). Default: all three.")]
FormatOpt = Annotated[
    list[Format] | None, typer.Option("--format", "-f", help="Output format (repeatable). Default: both.")
]
PaperOpt = Annotated[Paper, typer.Option("--paper", help="Paper size; each is laid out for its own page.")]
ProfileOpt = Annotated[
    Profile, typer.Option("--profile", help="standard, dyslexia (readable font, wider spacing) or large-print.")
]
CreamOpt = Annotated[bool, typer.Option("--cream", help="Cream page background (printing on cream paper is better).")]
KeyOpt = Annotated[bool, typer.Option("--key/--no-key", help="Also write the teacher's answer keys.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for gap choice and shuffles; same seed, same sheets.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace DOCX files a teacher has edited since.")]
TemplatesOpt = Annotated[
    list[Path] | None, typer.Option("--templates", help="Your own template folder, searched before the built-in one.")
]


def _options(
    sheet: list[str] | None,
    tier: list[Tier] | None,
    formats: list[Format] | None,
    paper: Paper,
    profile: Profile,
    cream: bool,
    key: bool,
    force: bool,
    seed: int,
    out: Path,
    templates: list[Path] | None,
) -> Options:
    """The library's options from build's and pack's command-line options (empty means all)."""
    from worksheetgen.pipeline import Options

    return Options(
        kinds=tuple(sheet or ()),
        tiers=tuple(tier or ()),
        formats=tuple(f.value for f in formats or ()),
        paper=paper.value,
        profile=profile,
        cream=cream,
        key=key,
        force=force,
        seed=seed,
        out=out,
        template_dirs=_template_dirs(templates),
    )


@app.command()
def build(
    content: ContentArg = None,
    sheet: SheetOpt = None,
    tier: TierOpt = None,
    format: FormatOpt = None,  # noqa: A002 - the option is called --format
    paper: PaperOpt = Paper.a4,
    profile: ProfileOpt = Profile.standard,
    cream: CreamOpt = False,
    key: KeyOpt = True,
    force: ForceOpt = False,
    seed: SeedOpt = 0,
    out: OutOpt = Path("output"),
    templates: TemplatesOpt = None,
) -> None:
    """Build worksheets (every kind and tier unless narrowed) as PDF and DOCX."""
    from worksheetgen.pipeline import generate, resolve_content

    options = _options(sheet, tier, format, paper, profile, cream, key, force, seed, out, templates)
    report = _run(lambda: generate(_run(lambda: resolve_content(content)), options))
    _warn(report.warnings)
    typer.echo(f"Wrote {len(report.written)} files to {out}/")


@app.command("pack")
def pack_(
    content: ContentArg = None,
    sheet: SheetOpt = None,
    tier: TierOpt = None,
    format: FormatOpt = None,  # noqa: A002 - the option is called --format
    paper: PaperOpt = Paper.a4,
    profile: ProfileOpt = Profile.standard,
    cream: CreamOpt = False,
    force: ForceOpt = False,
    seed: SeedOpt = 0,
    out: OutOpt = Path("output"),
    templates: TemplatesOpt = None,
) -> None:
    """The whole lesson pack: every kind x tier, PDF + DOCX, keys, and one merged print PDF."""
    from worksheetgen.pipeline import pack, resolve_content

    options = _options(sheet, tier, format, paper, profile, cream, True, force, seed, out, templates)
    report = _run(lambda: pack(_run(lambda: resolve_content(content)), options))
    _warn(report.warnings)
    printable = [p for p in report.written if p.name.endswith("_print.pdf")]
    typer.echo(f"Wrote {len(report.written)} files to {out}/ (print this one: {printable[0].name})")


@app.command()
def batch(
    roster: Annotated[Path, typer.Argument(help="Class roster CSV: name, class, tier, needs (dyslexia; large-print).")],
    content: Annotated[str | None, typer.Option("--content", "-c", help="Content .yaml or shipped topic name.")] = None,
    sheet: SheetOpt = None,
    paper: PaperOpt = Paper.a4,
    profile: ProfileOpt = Profile.standard,
    seed: SeedOpt = 0,
    force: ForceOpt = False,
    out: OutOpt = Path("output"),
    templates: TemplatesOpt = None,
) -> None:
    """A named sheet for every pupil at their tier and needs, one print PDF per class, and keys."""
    from worksheetgen.batch import BatchOptions, run_batch
    from worksheetgen.pipeline import resolve_content

    options = BatchOptions(
        kinds=tuple(sheet or ()),
        seed=seed,
        out=out,
        paper=paper.value,
        profile=profile,
        force=force,
        template_dirs=_template_dirs(templates),
    )
    content_path = _run(lambda: resolve_content(content))
    if sys.stderr.isatty():
        with typer.progressbar(length=_count_rows(roster), label="Pupils", file=sys.stderr) as bar:
            report = _run(lambda: run_batch(roster, content_path, options, progress=lambda _: bar.update(1)))
    else:
        report = _run(lambda: run_batch(roster, content_path, options))
    _warn(report.warnings)
    prints = [p for p in report.written if p.name.endswith("_print.pdf")]
    typer.echo(f"Wrote {len(report.written)} files to {out}/; print files: {', '.join(str(p) for p in prints)}")


def _count_rows(roster: Path) -> int:
    """A rough pupil count for the progress bar (the roster is validated properly later)."""
    try:
        return max(1, sum(1 for line in roster.read_bytes().splitlines() if line.strip()) - 1)
    except OSError:
        return 1


@app.command()
def preview(
    target: Annotated[str | None, typer.Argument(help="A PDF, or content to build one sheet from first.")] = None,
    sheet: Annotated[str, typer.Option("--sheet", "-s", help="Kind to build when TARGET is content.")] = "gap-fill",
    tier: Annotated[Tier, typer.Option("--tier", "-t", help="Tier to build when TARGET is content.")] = Tier.core,
    paper: PaperOpt = Paper.a4,
    profile: ProfileOpt = Profile.standard,
    dpi: Annotated[int, typer.Option("--dpi", min=20, max=300, help="Resolution of the PNGs.")] = 60,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the PNGs.")] = Path("output/preview"),
) -> None:
    """Render pages to PNG for a quick look: a PDF, or one sheet built from content."""
    from worksheetgen.pipeline import Options, generate, resolve_content
    from worksheetgen.preview import preview_pdf

    pdf = Path(target or "")
    if pdf.suffix.lower() != ".pdf":
        options = Options(kinds=(sheet,), tiers=(tier,), formats=("pdf",), paper=paper.value, profile=profile,
                          key=False, out=out)  # fmt: skip
        report = _run(lambda: generate(_run(lambda: resolve_content(target)), options))
        _warn(report.warnings)
        pdf = report.written[0]
    pages = _run(lambda: preview_pdf(pdf, out, dpi))
    for page in pages:
        typer.echo(str(page))


@app.command("list")
def list_(templates: TemplatesOpt = None) -> None:
    """List sheet kinds, tiers and shipped content."""
    from worksheetgen.pipeline import list_kinds
    from worksheetgen.resources import shipped_topics

    typer.echo("Sheet kinds: " + ", ".join(_run(lambda: list_kinds(_template_dirs(templates)))))
    typer.echo("Tiers:       " + ", ".join(f"{t.value} {t.marker}" for t in Tier))
    typer.echo("Content:")
    for name, path in shipped_topics().items():
        typer.echo(f"  {name}  ({path})")


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Content files to check.")]) -> None:
    """Check content files; every problem is listed with FILE:LINE:COL."""
    from worksheetgen.loader import load_content

    failed = False
    for file in files:
        try:
            loaded = load_content(file)
        except WorksheetError as exc:
            failed = True
            for line in str(exc).splitlines():
                typer.echo(f"error: {line}", err=True)
            continue
        _warn([str(w) for w in loaded.warnings])
        typer.echo(f"ok: {file}")
    if failed:
        raise typer.Exit(1)


@app.command()
def new(
    title: Annotated[str, typer.Argument(help="The topic, e.g. 'The 1905 Revolution'.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write. Default: content/<title>.yaml.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a commented starter content file that already validates and builds."""
    from worksheetgen.authoring import write_new
    from worksheetgen.output import safe_part

    path = out or Path("content") / f"{safe_part(title).lower()}.yaml"
    _run(lambda: write_new(path, title, force=force))
    typer.echo(f"Wrote {path}: replace the examples, then run: worksheetgen validate {path}")


@app.command("import")
def import_(
    notes: Annotated[Path, typer.Argument(help="Your notes: plain text or Markdown, any common encoding.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="YAML to write. Default: NOTES with .yaml.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The topic's title, if not the first heading.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the YAML file if it exists.")] = False,
) -> None:
    """Turn notes into a content file: repairs garbled text, marks what it cannot decide as TODO."""
    from worksheetgen.errors import OutputError
    from worksheetgen.importer import import_file
    from worksheetgen.output import write_atomic

    target = out or notes.with_suffix(".yaml")
    if target.exists() and not force:
        _run(lambda: _raise(OutputError(f"'{target}' already exists; choose another with --out, or add --force")))
    text, warnings = _run(lambda: import_file(notes, title=title))
    _warn(warnings)
    _run(lambda: write_atomic(target, text.encode("utf-8")))
    typer.echo(f"Wrote {target}: fill in the TODOs, then run: worksheetgen validate {target}")


def _raise(error: Exception) -> None:
    raise error


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write. Default: print it.")] = None,
) -> None:
    """The content format as JSON Schema, for completion and inline errors in your editor."""
    import json

    from worksheetgen.authoring import content_schema
    from worksheetgen.output import write_atomic

    text = json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    _run(lambda: write_atomic(out, text.encode("utf-8")))
    typer.echo(f"Wrote {out}")


def _interrupted(signum: int, frame: object) -> None:
    """A kill signal unwinds like Ctrl+C, so half-written temporary files are removed."""
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
