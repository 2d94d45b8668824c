"""The commands around content: list what there is, validate, start a new topic, import
notes, trust a folder's templates, and write the content format's JSON Schema for an editor.

None of them renders a sheet; they are kept apart from `sheets` so each module is one job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from worksheetgen.choices import Tier
from worksheetgen.cli.app import command
from worksheetgen.cli.options import TemplatesOpt, option, template_folders, warn
from worksheetgen.wording import counted


@command("list", short_help="List the sheet kinds, tiers and shipped topics.")
def list_(template_dirs: TemplatesOpt = None) -> None:
    """List the sheet kinds (yours too, with --templates or worksheetgen.toml), tiers and shipped topics."""
    from worksheetgen.pipeline import list_kinds
    from worksheetgen.resources import shipped_topics

    typer.echo("Sheet kinds: " + ", ".join(list_kinds(template_folders(template_dirs))))
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
        warn(str(w) for w in loaded.warnings)
        unfinished = review(loaded, list_kinds(template_folders(None)))
        warn(str(p) for p in unfinished)
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
        option(
            "--out", "-o", metavar="FILE", help="The file to write. Default: a file in content/ named after the title."
        ),
    ] = None,
    force: Annotated[bool, option("--force", help="Replace FILE if it exists.")] = False,
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
        option("--out", "-o", metavar="FILE", help="The content file to write. Default: NOTES with .yaml."),
    ] = None,
    title: Annotated[
        str | None, option("--title", metavar="TITLE", help="The topic's title, if not the notes' first heading.")
    ] = None,
    force: Annotated[bool, option("--force", help="Replace FILE if it exists.")] = False,
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
    warn(imported.warnings)
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
    only after you trust it; if the file or any template in its folders changes, trust it again.

    \b
    Example:
      worksheetgen trust
    """
    from worksheetgen.config import trust as trust_folder

    path = trust_folder(folder)
    typer.echo(
        f"Trusted {path}: its template folders are used from now on, as they are now"
        " (if the file or a template in them changes, run `worksheetgen trust` again)"
    )


@command(short_help="Write the content format for your editor (JSON Schema).")
def schema(
    out: Annotated[
        Path | None, option("--out", "-o", metavar="FILE", help="The file to write. Default: print it.")
    ] = None,
    force: Annotated[bool, option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """The content format as JSON Schema, for completion and inline errors in your editor.

    \b
    Example:
      worksheetgen schema --out content.schema.json
    """
    import json

    from worksheetgen.authoring import content_schema
    from worksheetgen.errors import OutputError
    from worksheetgen.output import write_atomic

    text = json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists() and not force:  # it may be a teacher's content file, given by mistake
        raise OutputError(f"'{out}' already exists; choose another with --out, or add --force")
    write_atomic(out, text.encode("utf-8"))
    typer.echo(f"Wrote {out}")
