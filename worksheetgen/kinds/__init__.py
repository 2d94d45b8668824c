"""Sheet kinds: a template, and for some kinds a module that prepares its data.

A kind is a template `<kind>.j2` (and `<kind>.key.j2` for its answer key). A kind that needs
Python has a module in this package whose `prepare(content, tier, rng)`, decorated with
`@kind("<kind>")` (see `registry`), gives the template its `sheet`; any other kind's `sheet` is
None. So a kind that only recombines existing blocks is one template file and no Python, and a
kind that needs Python is its template(s) and one module: nothing else names it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from worksheetgen.kinds.registry import REGISTERED, Prepared, Preparer

__all__ = ["PREPARERS", "Prepared", "Preparer"]


def _discover() -> Mapping[str, Preparer]:
    """Import every module of this package (in name order), so each kind registers itself."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")
    return MappingProxyType(REGISTERED)


PREPARERS: Mapping[str, Preparer] = _discover()
