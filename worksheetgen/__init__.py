"""worksheetgen: printable, differentiated lesson worksheets from structured content."""

__version__ = "0.1.0"
