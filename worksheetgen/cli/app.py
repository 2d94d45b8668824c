"""The Typer app, its prose help, and `main`: the one place the library's errors are caught.

Exit status: 0 success; 1 bad input (`error: ...` naming the place, printed by `main`, which
alone catches `WorksheetError`, so commands just call the library and let errors rise); 2 a
usage mistake (an unknown option, choice or sheet kind, with a suggestion). `--verbose`,
before or after the command, shows a traceback.
"""

from __future__ import annotations

import errno
import gc
import signal
import sys
import traceback
from functools import partial
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from worksheetgen.errors import WorksheetError

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
VERBOSE = "--verbose"
_state = {"verbose": False}


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


def _interrupted(signum: int, frame: object) -> None:
    """A kill signal unwinds like Ctrl+C, so half-written temporary files are removed."""
    raise KeyboardInterrupt


def _verbose_first(args: list[str]) -> list[str]:
    """`--verbose` after the command too: move it to the front, where the app's own option is."""
    end = args.index("--") if "--" in args else len(args)
    if VERBOSE not in args[:end]:
        return args
    return [VERBOSE, *(arg for i, arg in enumerate(args) if i >= end or arg != VERBOSE)]


def console() -> None:
    """The console script and `python -m worksheetgen`: `main`, in a process that ends with it.

    Python's last act at exit is a garbage collection through every object it holds (some 80,000
    after a batch: 0.05-0.08 s), only to free memory the system takes back anyway; frozen, they
    are left out of it. Files are closed by then: every write closes its file (output.py)."""
    try:
        main()
    finally:
        gc.freeze()


def main() -> None:
    """Bad input becomes `error: ...` lines and exit status 1."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        app(_verbose_first(sys.argv[1:]), prog_name="worksheetgen")
    except (WorksheetError, OSError) as error:
        if _state["verbose"]:
            traceback.print_exc()
        for line in _message(error).splitlines():
            typer.echo(f"error: {line}", err=True)
        sys.exit(1)


def _message(error: WorksheetError | OSError) -> str:
    """What went wrong; a file system refusal the commands did not foresee (a name part over
    255 characters, fifth red-team pass) says which file, not a traceback."""
    if isinstance(error, WorksheetError):
        return str(error)
    what = "a name in the path is too long (over 255 characters)" if error.errno == errno.ENAMETOOLONG else None
    place = f"'{error.filename}'" if error.filename else "a file"
    return f"{place}: {what or error.strerror or type(error).__name__}"
