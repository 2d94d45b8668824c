"""`python -m worksheetgen` runs the command line."""

from worksheetgen.cli import main

main()
