"""Output folders, file names and atomic writes: a run leaves the old file or the new one, never half.

Files get the mode the user's umask gives any new file (a shared department drive needs
other staff to read them). Each set of sheets (a profile, a paper size, a seed) has its own
folder, so one set never replaces another. Temporary files carry their writer's process id
and start time, so a later run removes those of killed runs and never one still being written.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from pathlib import Path
from typing import BinaryIO

from pathvalidate import sanitize_filename

from worksheetgen.errors import OutputError
from worksheetgen.render.formats import as_written, edited_by_a_teacher

TEMP_SUFFIX = ".wsg-tmp"
SYNC_THREADS = 8  # files flushed to disk at once
# `.NAME.PID-START.XXXXXXXX.wsg-tmp` exactly as `_temporary` makes it (mkstemp's 8 characters)
_OWNED_TEMP = re.compile(r"\..+\.(?P<pid>\d+)-(?P<start>-?\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


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


def set_name(
    *, profile: str = "standard", paper: str = "a4", cream: bool = False, seed: int = 0, draft: bool = False
) -> str:
    """The subfolder for one set of sheets: '' for the usual set (standard, A4, seed 0), else
    what differs, e.g. `dyslexia_cream` or `letter_seed-7`, so no set replaces another. Drafts
    (`--draft`) always go into a `draft` folder of their own: a DRAFT never replaces a finished sheet."""
    parts = [
        *(["draft"] if draft else []),
        *([profile] if profile != "standard" else []),
        *(["cream"] if cream else []),
        *([paper] if paper != "a4" else []),
        *([f"seed-{seed}"] if seed else []),
    ]
    return "_".join(parts)


def kept_note(path: Path, pdf_rebuilt: bool, print_file: bool = False) -> str:
    """What to tell the teacher when their edited DOCX is kept (and the PDF beside it is not),
    or a PDF that is not as we wrote it (exported from Word under the sheet's name, say): a print
    file (pack, batch) holds the sheet as built, never the kept file."""
    if path.suffix == ".pdf":
        note = (
            f"kept '{path}': this PDF was not written by worksheetgen, or was changed after it was "
            "(exported from Word, or saved again in a PDF editor); --force replaces it"
        )
        return note + ("; the print file holds the sheet as built, not this file" if print_file else "")
    note = f"kept '{path}': it was edited after it was written; --force replaces it"
    if pdf_rebuilt:
        note += f"; its PDF, '{path.with_suffix('.pdf').name}', was rebuilt and does not have your edits"
    return note


# Folders -----------------------------------------------------------------------------------


def output_folder(root: Path, *parts: str) -> Path:
    """A folder this run writes into: `root` (as the user gave it) and subfolders inside it.

    Made if missing; refused if it is a file, or if a subfolder is a link (a run never writes
    through a link into some other folder); cleared of temporaries left by killed runs.
    """
    folder = linkless_folder(root, *parts)
    make_folder(folder)
    remove_stale_temporaries(folder)
    return folder


def linkless_folder(root: Path, *parts: str) -> Path:
    """`root` / `parts`, refused if a subfolder is a link (checked only: nothing is made)."""
    folder = root
    for part in filter(None, parts):
        folder = folder / part
        if folder.is_symlink():
            raise OutputError(
                f"'{folder}' is a link to '{os.readlink(folder)}'; worksheetgen does not write through links "
                "inside its output folder: remove the link, or choose another output folder with --out"
            )
    return folder


def make_folder(folder: Path) -> None:
    """Create a folder (and its parents), saying plainly when a file is in the way."""
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker == folder:
        raise OutputError(
            f"'{folder}' is a file, not a folder: choose another output folder with --out, or move the file"
        )
    if blocker is not None:
        raise OutputError(
            f"cannot write to folder '{folder}': '{blocker}' is a file, not a folder; "
            "choose another output folder with --out"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to folder '{folder}': {exc.strerror}") from None


# Atomic writes -----------------------------------------------------------------------------


def write_output(path: Path, data: bytes, *, force: bool = False) -> bool:
    """Write a sheet, unless it is a file a teacher has edited since we wrote it (a DOCX).

    Returns False when the teacher's file was kept. Something in the way that is not a file (a
    named pipe, a device, a link to one) is an error: writing would block, or replace it unseen.
    """
    return write_outputs([(path, data)], force=force)[0]


def write_outputs(files: Sequence[tuple[Path, bytes]], *, force: bool = False) -> list[bool]:
    """`write_output` for several files at once, their data flushed to disk together
    (`write_all_atomic`): whether each was written."""
    for path, _ in files:
        refuse_what_is_not_a_file(path)
    wanted = [force or not edited_by_a_teacher(path) for path, _ in files]
    write_all_atomic(
        [(path, as_written(path, data)) for (path, data), write in zip(files, wanted, strict=True) if write]
    )
    return wanted


def refuse_what_is_not_a_file(path: Path) -> None:
    """Something at `path` that is not a file (a folder, a named pipe, a device, a link to one) is an error."""
    try:
        mode = path.stat().st_mode
    except OSError:  # not there (or a dangling link, which the new file replaces)
        return
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a file (a named pipe, a device, or a link to one)"
        raise OutputError(f"{path} is {what}; move it out of the way and build again")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` in one step (see `write_atomic_with`)."""
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let `write` fill a temporary file beside `path`, then replace `path` with it in one step.

    However the run ends (an error, Ctrl+C, a kill signal turned into an exception), the
    temporary file is removed: the folder holds the old file or the new one, never half.
    """
    _write_atomic([(path, write)])


def write_all_atomic(files: Sequence[tuple[Path, bytes]]) -> None:
    """`write_atomic` for several files: each is written to its temporary, then all are flushed
    to disk at once (one wait for the disk instead of one each: a sheet's PDF and DOCX, a
    variant's named copies), then each replaces its file, in order."""
    _write_atomic([(path, partial(_write_bytes, data)) for path, data in files])


def _write_bytes(data: bytes, handle: BinaryIO) -> None:
    handle.write(data)


def _write_atomic(files: Sequence[tuple[Path, Callable[[BinaryIO], object]]]) -> None:
    temps: list[str] = []
    handles: list[BinaryIO] = []
    current = files[0][0] if files else Path()
    try:
        try:
            for current, write in files:
                fd, temp = _temporary(current)
                temps.append(temp)
                handles.append(handle := os.fdopen(fd, "wb"))
                if hasattr(os, "fchmod"):  # mkstemp makes 0600: give the mode any new file gets
                    os.fchmod(fd, 0o666 & ~_umask())
                write(handle)
                handle.flush()
            _sync(handles)
        finally:
            for each in handles:
                each.close()
        for temp, (current, _) in zip(temps, files, strict=True):
            os.replace(temp, current)
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise OutputError(
                f"cannot write '{current}': it is read-only or open in another program - close it and retry"
            ) from None
        raise OutputError(f"cannot write '{current}': {exc.strerror}") from None
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _temporary(path: Path) -> tuple[int, str]:
    """A temporary file beside `path`, named for this process."""
    try:
        if not path.parent.is_dir():
            make_folder(path.parent)
        prefix = f".{path.name}.{_own_tag(os.getpid())}."
        return tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write to folder '{path.parent}': {exc.strerror}") from None


def _sync(handles: Sequence[BinaryIO]) -> None:
    """Flush the files' data to disk before any replaces its old file (so a power cut leaves
    the old file or the new one). The disk flushes files asked for together in one go, so
    several are flushed from threads at once."""
    if len(handles) < 2:
        for handle in handles:
            os.fsync(handle.fileno())
        return
    with ThreadPoolExecutor(min(len(handles), SYNC_THREADS)) as threads:
        list(threads.map(os.fsync, [handle.fileno() for handle in handles]))


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Temporaries left by killed runs ------------------------------------------------------------


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files whose writer is gone (killed outright: SIGKILL cannot be caught).

    A temporary whose writer is still running (this run's workers, or another run beside it)
    is left alone: its name says which process owns it. Only names made exactly as this tool
    makes them are touched: an output folder may be a link to a shared drive, whose other files
    (`.important.wsg-tmp`) are not ours to remove.
    """
    if folder.is_dir():
        for temp in folder.glob(f".*{TEMP_SUFFIX}"):
            owner = _OWNED_TEMP.fullmatch(temp.name)
            if not owner:
                continue  # not named as this tool names its own (WEAK 12: a shared drive's files were removed)
            if _started(int(owner["pid"])) == int(owner["start"]):
                continue  # its writer is still at work
            with contextlib.suppress(OSError):
                temp.unlink()


@lru_cache(maxsize=4)
def _own_tag(pid: int) -> str:
    """`pid-start` of this process (keyed by pid: a forked worker has its own), so a reused
    process id is never mistaken for the owner of a temporary file."""
    return f"{pid}-{_started(pid)}"


def _started(pid: int) -> int:
    """When a process started, in the system's units; -1 if there is no such process."""
    if sys.platform.startswith("linux"):
        try:
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])  # field 22
        except (OSError, IndexError, ValueError):
            return -1
    import psutil  # elsewhere: imported only when needed (it costs start-up time)

    try:
        return round(psutil.Process(pid).create_time() * 100)
    except psutil.Error:
        return -1
