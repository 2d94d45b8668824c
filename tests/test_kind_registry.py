"""Kinds register themselves: a kind module's `@kind` is all that names it."""

from __future__ import annotations

import pytest

from worksheetgen.kinds import PREPARERS
from worksheetgen.kinds.registry import kind
from worksheetgen.resources import builtin_templates
from worksheetgen.templating import available_kinds


def test_every_kind_with_python_is_found_and_has_a_template() -> None:
    assert set(PREPARERS) <= set(available_kinds((builtin_templates(),)))
    assert {"gap-fill", "diamond-nine", "essay-planner", "timeline"} <= set(PREPARERS)


def test_helper_modules_are_not_kinds() -> None:
    assert not {"common", "language", "causes", "registry"} & set(PREPARERS)


def test_a_second_module_for_the_same_kind_is_refused() -> None:
    with pytest.raises(RuntimeError, match="two modules prepare the kind 'gap-fill'"):
        kind("gap-fill")(PREPARERS["gap-fill"])
