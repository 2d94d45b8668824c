"""The command line: parse options, call the library, map errors to exit codes.

A package so each part stays small and reads as one job: `app` (the Typer app, its help
format, and `main`, the one place library errors become `error:` lines and exit status 1),
`options` (parsers and the options commands share), `sheets` (build, pack, batch, preview),
`topics` (list, validate, new, import, trust, schema) and `web` (serve). Importing the
command modules registers their commands, in the order `--help` lists them. The console
script is `worksheetgen.cli:console`.
"""

from worksheetgen.cli import sheets, topics, web  # in this order: --help lists commands as they are registered
from worksheetgen.cli.app import app, console, main
from worksheetgen.cli.options import BATCH_KINDS, DEFAULT_TOPIC, PAPERS
from worksheetgen.render.formats import NAMES as FORMATS

__all__ = ["BATCH_KINDS", "DEFAULT_TOPIC", "FORMATS", "PAPERS", "app", "console", "main", "sheets", "topics", "web"]
