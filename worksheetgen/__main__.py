"""`python -m worksheetgen` runs the command line."""

from worksheetgen.cli import console

console()
