"""How `worksheetgen serve` hands jobs to its build processes (worksheetgen/serve/lanes.py `run`):
a page that has gone gets nothing built for it, the work given out at once is capped across every
pool, old and new, and a quick job that runs past its time has its process ended. Jobs here are
naps (tests/serving.py), so the tests time the server, not the renderers."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.serving import nap
from worksheetgen.serve import app, jobs, lanes


class Browser:
    """What `_run` asks of a request: the app's state, and whether the browser is still there."""

    def __init__(self, state: SimpleNamespace) -> None:
        self.app = SimpleNamespace(state=state)
        self.gone = False

    async def is_disconnected(self) -> bool:
        return self.gone


@pytest.fixture
def state(tmp_path: Path) -> Iterator[SimpleNamespace]:
    state = SimpleNamespace()
    lanes.set_up(state, 2, str(tmp_path), warm=False)
    state.watch_seconds = 0.1
    try:
        yield state
    finally:
        state.stopping = True
        for pool in state.pools.values():
            state.retired.extend((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
        for process in state.retired:
            process.kill()
            process.join(10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_job_whose_page_has_gone_never_starts(state: SimpleNamespace, tmp_path: Path) -> None:
    """Two processes busy; two more jobs queued (one already handed to the pool's call queue, one
    not): their browsers leave, and neither starts. Before, 40 packs posted and abandoned all ran."""
    here, gone = Browser(state), Browser(state)
    markers = [tmp_path / f"started-{n}" for n in range(2)]

    async def scene() -> list[jobs.Outcome]:
        busy = [asyncio.create_task(lanes.run(here, nap, 3)) for _ in range(2)]  # type: ignore[arg-type]
        await asyncio.sleep(0.3)
        left = [asyncio.create_task(lanes.run(gone, nap, 0, str(m))) for m in markers]  # type: ignore[arg-type]
        await asyncio.sleep(0.3)
        gone.gone = True
        started = time.monotonic()
        answers = await asyncio.gather(*left)
        assert time.monotonic() - started < 2, "the page had gone, yet the jobs were waited for"
        return answers + await asyncio.gather(*busy)

    answers = asyncio.run(asyncio.wait_for(scene(), 120))
    assert [a.errors for a in answers[:2]] == [[jobs.GONE]] * 2
    assert all(a.notes and not a.errors for a in answers[2:]), answers[2:]
    time.sleep(1)
    assert not [m for m in markers if m.exists()], "a job started for a page that had gone"
    assert state.in_flight == {lanes.QUICK: 0, lanes.HEAVY: 0}
    assert not list(tmp_path.glob("cancel-*")), "a cancel file was left behind"


def test_past_the_cap_a_request_waits_and_past_the_waiting_room_it_is_busy_at_once(state: SimpleNamespace) -> None:
    state.limits["in_flight"][lanes.QUICK] = 2
    state.limits["waiting"][lanes.QUICK] = 1
    teacher = Browser(state)

    async def scene() -> tuple[list[jobs.Outcome], float]:
        running = [asyncio.create_task(lanes.run(teacher, nap, 2)) for _ in range(2)]  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
        waiting = asyncio.create_task(lanes.run(teacher, nap, 0))  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
        assert state.in_flight[lanes.QUICK] == 2 and state.waiting[lanes.QUICK] == 1
        started = time.monotonic()
        with pytest.raises(lanes.BusyError):
            await lanes.run(teacher, nap, 0)  # type: ignore[arg-type]
        refused_in = time.monotonic() - started
        return await asyncio.gather(*running, waiting), refused_in

    answers, refused_in = asyncio.run(asyncio.wait_for(scene(), 120))
    assert refused_in < 0.5
    assert all(a.notes and not a.errors for a in answers), answers  # the one that waited was built too
    assert state.in_flight[lanes.QUICK] == 0 and state.waiting[lanes.QUICK] == 0


def test_a_quick_job_past_its_time_has_its_process_ended_and_the_lane_goes_on(
    state: SimpleNamespace, tmp_path: Path
) -> None:
    """A crafted .docx held both quick processes for minutes, for every teacher; now a quick job
    has QUICK_SECONDS (here 2) once started, then its process is killed and the teacher told."""
    state.limits["quick_seconds"] = 2
    marker = tmp_path / "slow"
    teacher = Browser(state)

    async def scene() -> tuple[jobs.Outcome, float, jobs.Outcome]:
        started = time.monotonic()
        slow = await lanes.run(teacher, nap, 600, str(marker))  # type: ignore[arg-type]
        took = time.monotonic() - started
        state.limits["quick_seconds"] = 60
        after = await lanes.run(teacher, nap, 0)  # type: ignore[arg-type]
        await asyncio.sleep(0.5)
        return slow, took, after

    slow, took, after = asyncio.run(asyncio.wait_for(scene(), 120))
    assert took < 30
    assert slow.errors and "took longer than 2 seconds, so it was stopped" in slow.errors[0], slow.errors
    pid = int(marker.read_text())
    for process in state.retired:
        process.join(10)
    assert not _alive(pid), "the slow job's process goes on"
    assert after.notes and not after.errors, after.errors  # the lane works again
    assert state.in_flight[lanes.QUICK] == 0


def test_an_old_pool_starts_none_of_the_jobs_it_had_not_started(tmp_path: Path) -> None:
    """When a lane's pool is replaced (after JOBS_PER_POOL jobs) the old one finishes only the
    jobs it is running; before, each replaced pool went on through its whole queue beside the new
    one (40 abandoned packs: 12 build processes at once)."""
    lane = lanes.HEAVY
    state = SimpleNamespace(
        pools={lane: lanes.new_pool(1, str(tmp_path), False)},
        served={lane: 0},
        retired=[],
        builds=1,
        root=str(tmp_path),
    )
    try:
        old = lanes.pool_for(state, lane)
        futures = [old.submit(time.sleep, 1) for _ in range(5)]
        state.served[lane] = lanes.JOBS_PER_POOL[lane]
        assert lanes.pool_for(state, lane) is not old
        deadline = time.monotonic() + 10  # the pool's own thread cancels them, a moment later
        while sum(f.cancelled() for f in futures) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sum(f.cancelled() for f in futures) >= 2  # all but the running one and its call queue's
    finally:
        for pool in [*state.pools.values(), old]:
            pool.shutdown(cancel_futures=True)


def test_a_busy_server_says_so_at_once_with_503(monkeypatch: pytest.MonkeyPatch) -> None:
    async def busy(*_: object) -> jobs.Outcome:
        raise lanes.BusyError

    monkeypatch.setattr(app, "_act", busy)
    body = b'--b\r\nContent-Disposition: form-data; name="action"\r\n\r\npack\r\n--b--\r\n'
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"multipart/form-data; boundary=b")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(app.create_app()(scope, receive, send))  # no lifespan: no build processes needed for this
    start = sent[0]
    assert start["status"] == 503 and (b"retry-after", b"60") in start["headers"]  # type: ignore[operator]
    assert b"the server is busy with other teachers&#39; sheets: try again in a minute" in sent[1]["body"]  # type: ignore[operator]


class Client(Browser):
    """A browser on another computer: a request knows its remote address."""

    def __init__(self, state: SimpleNamespace, host: str) -> None:
        super().__init__(state)
        self.client = SimpleNamespace(host=host, port=50000)


def test_one_computer_holds_at_most_half_the_lane_and_others_are_still_served(state: SimpleNamespace) -> None:
    """Issue 11: the caps were global, so one client posting in a loop filled every build process
    and the waiting room, and every other teacher got 'busy'. Now one address holds at most half
    of a lane's processes, and half of its processes and waiting room together (503 at once past
    that, saying why); another computer's job starts at once beside it."""
    state.limits["in_flight"][lanes.QUICK] = 4
    state.limits["waiting"][lanes.QUICK] = 4
    flooder, colleague = Client(state, "10.0.0.66"), Client(state, "10.0.0.7")

    async def scene() -> tuple[list[jobs.Outcome], jobs.Outcome, float, str]:
        mine = [asyncio.create_task(lanes.run(flooder, nap, 6)) for _ in range(4)]  # type: ignore[arg-type]
        await asyncio.sleep(0.3)
        assert state.client_in_flight[lanes.QUICK]["10.0.0.66"] == 1, "at most half the 2 build processes"
        assert state.client_waiting[lanes.QUICK]["10.0.0.66"] == 3
        with pytest.raises(lanes.BusyError) as busy:
            await lanes.run(flooder, nap, 0)  # type: ignore[arg-type]
        started = time.monotonic()
        other = await lanes.run(colleague, nap, 0)  # type: ignore[arg-type]
        waited = time.monotonic() - started
        assert state.waiting[lanes.QUICK] == 3, "the colleague's job was built before the flood's"
        return await asyncio.gather(*mine), other, waited, busy.value.message

    answers, other, waited, message = asyncio.run(asyncio.wait_for(scene(), 120))
    assert other.notes and not other.errors, other.errors
    assert waited < 20, "another computer's job waited behind the flood (4 naps of 6 s)"
    assert "this computer has 4 previews, checks or sheets under way or waiting on the server already" in message
    assert all(a.notes and not a.errors for a in answers), answers  # the flooder's own were built
    assert state.in_flight[lanes.QUICK] == 0 and state.waiting[lanes.QUICK] == 0
    assert not state.client_in_flight[lanes.QUICK] and not state.client_waiting[lanes.QUICK]


def test_a_whole_pack_past_its_time_is_stopped_with_a_message(
    state: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: heavy jobs (packs, classes) had no time limit; now HEAVY_SECONDS (10 minutes;
    here 2 s), then the process is ended as a quick job's is, and the teacher told."""
    assert lanes.HEAVY_SECONDS == 600
    state.limits["heavy_seconds"] = 2
    monkeypatch.setattr(lanes, "_lane", lambda job: lanes.HEAVY)
    marker = tmp_path / "slow"
    teacher = Client(state, "10.0.0.8")

    async def scene() -> tuple[jobs.Outcome, float]:
        started = time.monotonic()
        slow = await lanes.run(teacher, nap, 600, str(marker))  # type: ignore[arg-type]
        took = time.monotonic() - started
        deadline = time.monotonic() + 10  # the ended pool's futures are counted done a moment later
        while state.in_flight[lanes.HEAVY] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return slow, took

    slow, took = asyncio.run(asyncio.wait_for(scene(), 60))
    assert took < 30
    assert slow.errors and "minutes, so it was stopped and nothing was kept" in slow.errors[0], slow.errors
    assert "worksheetgen pack" in slow.errors[0]
    pid = int(marker.read_text())
    for process in state.retired:
        process.join(10)
    assert not _alive(pid), "the slow pack's process goes on"
    assert state.in_flight[lanes.HEAVY] == 0
