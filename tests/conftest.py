"""Shared fixtures: the shipped content, and sheets built once per test session."""

from __future__ import annotations

import fcntl
import os
import shutil
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


def pytest_configure(config: pytest.Config) -> None:
    """A pytest-xdist worker talks to its controller on a thread of its own, so from Python 3.12
    each fork of a worker pool warns about threads (and warnings fail the run). That thread is
    the test runner's, not ours: the warning stays an error without xdist."""
    config.addinivalue_line("markers", "own_process: a teacher's template renders in a fresh child, not a fork")
    if "PYTEST_XDIST_WORKER" in os.environ:
        message = r"This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to deadlocks"
        config.addinivalue_line("filterwarnings", f"ignore:{message}:DeprecationWarning")


# Module fixtures that cost next to nothing on each worker: `built` (both the shared one below and
# test_all_kinds') points into the session's lesson pack, or renders a sheet on first use.
SHARED_FREELY = {"built"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (`-n`), each worker builds its own module fixtures: a test using one
    (a LibreOffice conversion, a running server, a browser) goes to the worker that runs the
    module's other users of it (pytest-xdist starts the largest groups first). Every other test
    goes wherever a core is free. Session fixtures that cost much are built once for all the
    workers (`built_once`). A module fixture in SHARED_FREELY costs next to nothing per worker, so
    its users go wherever a core is free: a group of 96 read-backs on one worker held the run's tail."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info else ()
        costly = [d[-1] for d in definitions if d and d[-1].argname not in SHARED_FREELY]
        if any(d.scope in ("module", "class", "package") for d in costly):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else item.nodeid))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """A folder that `build` fills once for the whole test run. Under pytest-xdist each worker
    has its own session, so a session fixture would build it once per worker: here the first
    worker to ask builds it in the run's shared temporary folder while any other waits, then
    reads it. Tests only read these folders."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # one per run, shared by its workers
    folder, done = shared / f"once-{name}", shared / f"once-{name}.done"
    with open(shared / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed building it
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture
def forked_children(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A teacher's template renders in a fork of this process, under the same limits, instead of
    a fresh interpreter (tests/forked.py); unless the test is marked `own_process`."""
    if request.node.get_closest_marker("own_process") is None:
        from tests import forked
        from worksheetgen import isolation

        monkeypatch.setattr(isolation, "subprocess", forked.SUBPROCESS)


@pytest.fixture(scope="session")
def shipped_path() -> Path:
    return resolve_content(None)


@pytest.fixture(scope="session")
def shipped(shipped_path: Path) -> Content:
    return load_content(shipped_path).content


@pytest.fixture(scope="session")
def gapfill_out(tmp_path_factory: pytest.TempPathFactory, shipped_path: Path) -> dict[str, Path]:
    """Every gap-fill tier, pupil copy and key, PDF and DOCX, on A4 and Letter."""

    def build(root: Path) -> None:
        for paper in ("a4", "letter"):
            generate(shipped_path, Options(kinds=("gap-fill",), paper=paper, out=root / paper))

    root = built_once(tmp_path_factory, "gapfill", build)
    return {f"{p.parent.name}/{p.name}": p for p in root.rglob("*.*")}


def sheet_file(outputs: dict[str, Path], tier: Tier, fmt: str, *, key: bool = False, paper: str = "a4") -> Path:
    name = f"{paper}/stalins-purges_gap-fill_{tier.value}{'_key' if key else ''}.{fmt}"
    return outputs[name]


@pytest.fixture(scope="session")
def pack_out(tmp_path_factory: pytest.TempPathFactory, shipped_path: Path) -> Path:
    """The whole lesson pack, built once: every kind x tier x format, keys, the print PDF."""
    from worksheetgen.pipeline import pack

    return built_once(tmp_path_factory, "pack", lambda out: pack(shipped_path, Options(out=out)))


Builder = Callable[[Tier, bool, str], Path]


def write_sheet(
    content: Content, kind: str, tier: Tier, key: bool, fmt: str, folder: Path, seed: int = 0, paper: str = "a4"
) -> Path:
    """Build and render one sheet the way the pipeline does, and write it into `folder`."""
    settings = PrintSettings(paper)  # the template is laid out for the paper too, as `build` does
    document, _ = build_document(content, Sheet(kind, tier, key), seed, search_path(), settings)
    path = folder / f"{kind}_{tier.value}{'_key' if key else ''}_{seed}_{paper}.{fmt}"
    path.write_bytes(render(document, fmt, settings))
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
