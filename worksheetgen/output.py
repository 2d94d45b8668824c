"""Output file names and atomic writes: a run leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from worksheetgen.errors import OutputError


def safe_part(text: str) -> str:
    """A readable, portable piece of a file name: `Why did 1917/18?` -> `Why-did-1917-18`."""
    text = re.sub(r"[\\/:*?\"<>|\s]+", "-", text.strip())
    text = re.sub(r"[^\w.\-']", "", text).strip(".-")
    return text[:80] or "sheet"


def output_name(topic: str, kind: str, tier: str, is_key: bool, fmt: str) -> str:
    """`stalins-purges_gap-fill_core_key.pdf`: kind and tier always, `key` for answer keys."""
    parts = [safe_part(topic), kind, tier] + (["key"] if is_key else [])
    return "_".join(parts) + f".{fmt}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then replace it in one step."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write to folder '{path.parent}': {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, PermissionError):
            raise OutputError(
                f"cannot write '{path}': it is read-only or open in another program - close it and retry"
            ) from None
        raise OutputError(f"cannot write '{path}': {exc.strerror}") from None
