"""Shared fixtures: the shipped content, and sheets built once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from worksheetgen.document import Tier
from worksheetgen.layout import PrintSettings
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.pipeline import Options, Sheet, build_document, generate, render, resolve_content
from worksheetgen.templating import search_path

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session", autouse=True)
def own_settings_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Trust lists, other user settings and the compiled-template cache go to folders of the test
    run's, never the user's own."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config-home"))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))


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


Builder = Callable[[Tier, bool, str], Path]


def write_sheet(
    content: Content, kind: str, tier: Tier, key: bool, fmt: str, folder: Path, seed: int = 0, paper: str = "a4"
) -> Path:
    """Build and render one sheet the way the pipeline does, and write it into `folder`."""
    document, _ = build_document(content, Sheet(kind, tier, key), seed, search_path())
    path = folder / f"{kind}_{tier.value}{'_key' if key else ''}_{seed}_{paper}.{fmt}"
    path.write_bytes(render(document, fmt, PrintSettings(paper)))
    return path


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest, shipped: Content, tmp_path_factory: pytest.TempPathFactory) -> Builder:
    """The test module's KIND in every tier, pupil copy and key, PDF and DOCX: at seed 0 the
    session's lesson pack has them all (rendered once for the whole run); at another seed each
    is built once, on first use."""
    kind: str = request.module.KIND
    seed: int = getattr(request.module, "SEED", 0)
    if seed == 0:
        pack: Path = request.getfixturevalue("pack_out")
        return lambda tier, key, fmt: pack / f"stalins-purges_{kind}_{tier.value}{'_key' if key else ''}.{fmt}"
    folder = tmp_path_factory.mktemp(kind)
    cache: dict[tuple[Tier, bool, str], Path] = {}

    def get(tier: Tier, key: bool, fmt: str) -> Path:
        if (tier, key, fmt) not in cache:
            cache[(tier, key, fmt)] = write_sheet(shipped, kind, tier, key, fmt, folder, seed)
        return cache[(tier, key, fmt)]

    return get
