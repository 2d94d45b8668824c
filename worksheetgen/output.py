"""Output file names and atomic writes: a run leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from pathvalidate import sanitize_filename

from worksheetgen.errors import OutputError
from worksheetgen.ooxml import is_ours_and_unchanged


def safe_part(text: str, fallback: str = "sheet") -> str:
    """A readable name that is safe on Windows, macOS and Linux: `Why did 1917/18?` -> `Why-did-1917-18`.

    Slashes become dashes (pathvalidate would drop them: "1917/18" -> "191718"), leading dots
    go (no hidden files), reserved names such as CON get a suffix, and length stays readable.
    """
    text = re.sub(r"[\\/:*?\"<>|\s]+", "-", text.strip())
    text = re.sub(r"[^\w.\-']", "", text).strip(".-")[:80].strip(".-")
    return sanitize_filename(text, platform="universal") or fallback


def distinct_names(names: list[str], fallback: str) -> list[str]:
    """Safe names that stay distinct even on case-insensitive file systems (`-2`, `-3` ...)."""
    seen: set[str] = set()
    result = []
    for name in names:
        base = safe_part(name, fallback)
        candidate, number = base, 1
        while candidate.lower() in seen:
            number += 1
            candidate = f"{base}-{number}"
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def output_name(topic: str, kind: str, tier: str, is_key: bool, fmt: str) -> str:
    """`stalins-purges_gap-fill_core_key.pdf`: kind and tier always, `key` for answer keys."""
    parts = [safe_part(topic), kind, tier] + (["key"] if is_key else [])
    return "_".join(parts) + f".{fmt}"


TEMP_SUFFIX = ".wsg-tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then replace it in one step.

    However the run ends (an error, Ctrl+C, a kill signal turned into an exception), the
    temporary file is removed: the folder holds the old file or the new one, never half.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write to folder '{path.parent}': {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise OutputError(
                f"cannot write '{path}': it is read-only or open in another program - close it and retry"
            ) from None
        raise OutputError(f"cannot write '{path}': {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a run that was killed outright (SIGKILL cannot be caught)."""
    if folder.is_dir():
        for stale in folder.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                stale.unlink()


def write_output(path: Path, data: bytes, *, force: bool = False) -> bool:
    """Write a sheet, unless it is a DOCX a teacher has edited since we wrote it.

    Returns False when the teacher's file was kept.
    """
    if not force and path.suffix == ".docx" and path.exists() and not is_ours_and_unchanged(path):
        return False
    write_atomic(path, data)
    return True
