"""What a batch's answer keys are named for: the roster's classes, else the roster file, so the
keys of one class or roster never replace another's in a shared keys folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from worksheetgen.output import safe_part

if TYPE_CHECKING:
    from worksheetgen.batch import Job

KEY_CLASSES = 3  # more classes than this in one roster: its keys are named for the roster file


def key_prefix(roster_path: Path, jobs: Sequence[Job]) -> str:
    """What starts the name of a batch's keys: its classes (`9X`, `9X+9Y`), else the roster's
    file name (`roster=year-9`), so that the keys of 9Y, batched after 9X into the same folder,
    sit beside 9X's instead of replacing them. A safe name never holds `+` or `=`, so no set of
    classes and no roster can give another's prefix (`9X_9Y` is `9X-9Y`, not `9X+9Y`)."""
    classes = list(dict.fromkeys(job.pupil.group for job in jobs if job.pupil.group))
    if 0 < len(classes) <= KEY_CLASSES:
        return "+".join(_key_part(group) for group in classes)
    if not safe_part(roster_path.stem, ""):  # `..csv`, `...csv`: each its own keys, not one shared `class`
        return f"roster=no-name-{hashlib.sha256(os.fsencode(roster_path.name)).hexdigest()[:8]}"
    return f"roster={_key_part(roster_path.stem)}"  # a year group, or no classes: its roster's name


def _key_part(name: str) -> str:
    return safe_part(name, "class").replace("_", "-")  # `_` parts the rest of the key's name
