"""Shared fixtures: the shipped content, and sheets built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from worksheetgen.document import Tier
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Options, generate, resolve_content

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def shipped_path() -> Path:
    return resolve_content(None)


@pytest.fixture(scope="session")
def shipped(shipped_path: Path) -> Content:
    return load_content(shipped_path).content


@pytest.fixture(scope="session")
def gapfill_out(tmp_path_factory: pytest.TempPathFactory, shipped_path: Path) -> dict[str, Path]:
    """Every gap-fill tier, pupil copy and key, PDF and DOCX, on A4 and Letter."""
    root = tmp_path_factory.mktemp("gapfill")
    for paper in ("a4", "letter"):
        generate(shipped_path, Options(kinds=("gap-fill",), paper=paper, out=root / paper))
    return {f"{p.parent.name}/{p.name}": p for p in root.rglob("*.*")}


def sheet_file(outputs: dict[str, Path], tier: Tier, fmt: str, *, key: bool = False, paper: str = "a4") -> Path:
    name = f"{paper}/stalins-purges_gap-fill_{tier.value}{'_key' if key else ''}.{fmt}"
    return outputs[name]


@pytest.fixture(scope="session")
def pack_out(tmp_path_factory: pytest.TempPathFactory, shipped_path: Path) -> Path:
    """The whole lesson pack, built once: every kind x tier x format, keys, the print PDF."""
    from worksheetgen.pipeline import pack

    out = tmp_path_factory.mktemp("pack")
    pack(shipped_path, Options(out=out))
    return out
