"""Sheet kinds that need a little Python to prepare their template's data.

A kind is a template `<kind>.j2` (and `<kind>.key.j2` for its answer key). Kinds listed
here get a prepared `sheet` object too; every other kind gets `content` and `tier` only,
so a kind that recombines existing blocks needs no Python at all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from worksheetgen.document import Tier
from worksheetgen.kinds import gapfill
from worksheetgen.model import Content

Preparer = Callable[[Content, Tier, random.Random], Any]

PREPARERS: dict[str, Preparer] = {
    "gap-fill": gapfill.prepare,
}

KIND_TITLES: dict[str, str] = {
    "gap-fill": "Gap-fill",
}
