"""Sheet kinds: a template, and for some kinds a module that prepares its data.

A kind is a template `<kind>.j2` (and `<kind>.key.j2` for its answer key). If a module
`worksheetgen/kinds/<kind_with_underscores>.py` exists, its `prepare(content, tier, rng)`
result reaches the template as `sheet`; otherwise `sheet` is None. So a kind that only
recombines existing blocks is one template file and no Python.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from collections.abc import Callable
from typing import Any

from worksheetgen.document import Tier
from worksheetgen.model import Content

Preparer = Callable[[Content, Tier, random.Random], Any]


def preparer(kind: str) -> Preparer | None:
    """The `prepare` function of a built-in kind, if it has one (found by naming convention)."""
    name = f"{__name__}.{kind.replace('-', '_')}"
    if not kind.replace("-", "_").isidentifier() or importlib.util.find_spec(name) is None:
        return None
    prepare: Preparer = importlib.import_module(name).prepare
    return prepare
