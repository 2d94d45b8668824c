"""Worker pools stop with their run (issue 11: a failed sheet waited 35 s for a sibling)."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from worksheetgen.workers import stop_on_failure


def slow() -> None:
    time.sleep(60)


def test_a_failure_ends_workers_still_rendering_instead_of_waiting_for_them(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ZeroDivisionError), ProcessPoolExecutor(2) as pool, stop_on_failure(pool, tmp_path):
        running = [pool.submit(slow) for _ in range(4)]
        time.sleep(0.5)  # both workers busy
        raise ZeroDivisionError
    assert time.monotonic() - started < 10
    assert not any(future.done() and not future.cancelled() and future.exception() is None for future in running)
