"""`worksheetgen serve` under load on the loopback address: 8 packs and 20 previews at once,
every answer right, the server answering afterwards. Bounded: every request has a time limit."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

from tests.serving import get, running_server

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_serve.py"


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_serve", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_serve"] = module
    spec.loader.exec_module(module)
    return module


def test_eight_packs_and_twenty_previews_at_once() -> None:
    bench = _bench()
    with running_server() as url:
        start = time.monotonic()
        answers = bench.load(url, packs=8, previews=20)  # type: ignore[attr-defined]
        print(bench.summary(answers, time.monotonic() - start))  # type: ignore[attr-defined]
        assert len(answers) == 28
        assert not [a for a in answers if a.problem], [a for a in answers if a.problem]
        status, page = get(url)
        assert status == 200 and b"<form" in page
