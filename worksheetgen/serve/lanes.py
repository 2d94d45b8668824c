"""The build processes behind the web page: two lanes, each a pool of processes.

Whole packs and classes go to one lane, previews and checks to the other, so a quick job never
waits behind a queue of packs. Each lane gives its processes a few jobs at once and lets a few
more wait, one remote computer at most half of each; past that the page says the server is busy.
A pool is replaced after a number of jobs (so memory goes back), a job that runs too long has its
processes ended, and a job whose browser has gone is told to stop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request

from worksheetgen.serve import jobs
from worksheetgen.serve.jobs import Outcome
from worksheetgen.workers import WATCH_EVERY

WATCH_SECONDS = 1.0  # how often a class batch looks whether its browser is still there

QUICK, HEAVY = "quick", "heavy"  # previews and checks never wait behind a queue of whole packs
# Jobs a lane's pool of build processes takes before a fresh pool takes over: Python keeps much of the
# memory a big build took (a build process held about 1 GB after a bomb-like input), and a process that
# exits gives it all back. The old pool's processes finish the jobs they started, then exit. (Not
# ProcessPoolExecutor's max_tasks_per_child: on Python 3.11 it deadlocks once a worker retires, gh-115634.)
JOBS_PER_POOL = {QUICK: 100, HEAVY: 8}  # a whole pack or class takes seconds; starting a process 0.5 s
# Jobs given to build processes at once, in every pool of a lane, old and new: more wait their turn on
# the event loop (costing nothing but their connection), up to WAITING; past that the page says the
# server is busy, at once. Without a cap, 40 packs posted and abandoned started 12 build processes.
IN_FLIGHT = {QUICK: 8, HEAVY: 4}
WAITING = {QUICK: 24, HEAVY: 12}
# A quick job's wall clock: past it its process is ended (a crafted .docx took minutes). Generous, as
# previews of a whole pack on a slow, busy laptop may take a minute (30 s failed under test load).
QUICK_SECONDS = 120.0
# A whole pack or class's wall clock (from when it starts in its process): a shipped pack takes under
# a minute, a class of 600 sheets a few; past this its process is ended, as a quick job's is.
HEAVY_SECONDS = 600.0
# One client (one remote address) may hold at most half of a lane's build processes, and half of its
# places (IN_FLIGHT and WAITING) together: one computer posting packs in a loop cannot fill the queue, and
# other teachers are still served. A request with no address known (not over TCP) is not counted, nor
# any on a server that listens on loopback only (every request is from the computer it runs on).
CLIENT_SHARE = 0.5
BUSY = "the server is busy with other teachers' sheets: try again in a minute"
BUSY_YOU = (
    "this computer has {held} under way or waiting on the server already, as many as one computer may"
    " have at once (others are using it too): wait for them to finish, then try again"
)


class BusyError(Exception):
    """More work is under way and waiting than the server takes: answered 503 at once."""

    def __init__(self, message: str = BUSY) -> None:
        super().__init__(message)
        self.message = message


def set_up(state: Any, builds: int, root: str, *, warm: bool = True, per_client: bool = True) -> None:
    """The server's state: each lane's pool, and what it counts (the tests make it the same way,
    with `warm=False`: build processes that do not load the renderers start in a moment).
    `per_client`: cap each remote address's share (`CLIENT_SHARE`); not on loopback, where every
    request comes from the one computer the server runs on."""
    state.per_client = per_client
    state.builds = builds
    state.root = root
    state.warm = warm
    state.pools = {lane: new_pool(builds, root, warm) for lane in (QUICK, HEAVY)}
    state.served = dict.fromkeys(state.pools, 0)  # jobs given to each lane's pool
    state.retired = []  # the processes of pools replaced, finishing their last jobs
    state.stopping = False
    state.in_flight = dict.fromkeys(state.pools, 0)  # jobs given to build processes and not yet done
    state.waiting = dict.fromkeys(state.pools, 0)  # requests waiting for one of IN_FLIGHT
    state.limits = {
        "in_flight": dict(IN_FLIGHT),
        "waiting": dict(WAITING),
        "quick_seconds": QUICK_SECONDS,
        "heavy_seconds": HEAVY_SECONDS,
    }
    # Per client (remote address) and lane: its jobs given to build processes and not yet done, and its
    # requests waiting for a turn.
    state.client_in_flight = {lane: collections.Counter() for lane in state.pools}
    state.client_waiting = {lane: collections.Counter() for lane in state.pools}
    state.watch_seconds = WATCH_SECONDS
    state.ended = []  # pools whose processes were ended because a job ran past its time


def new_pool(size: int, root: str, warm: bool = True) -> ProcessPoolExecutor:
    """Build processes started afresh ('spawn': the server's threads are not copied into them),
    each exiting if the server dies, each importing the libraries before its first build.
    PYTHONSAFEPATH: a fresh interpreter must not put the working folder first on its path, where
    a `pickle.py` left there would run in place of the standard library's (fifth red-team pass)."""
    os.environ["PYTHONSAFEPATH"] = "1"
    spawn = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(size, mp_context=spawn, initializer=jobs.start, initargs=(os.getpid(), root, warm))
    for _ in range(size if warm else 0):
        pool.submit(jobs.warm)
    return pool


def pool_for(state: Any, lane: str) -> ProcessPoolExecutor:
    """The lane's pool for one more job. Past JOBS_PER_POOL jobs a fresh pool takes over, and the old
    one is shut down: its processes finish the jobs they are running, then exit, and their memory goes
    back. Jobs it had not started are cancelled there (`run` gives them to the fresh pool), so old
    pools never go on working through a queue beside the new one."""
    state.retired[:] = [process for process in state.retired if process.is_alive()]
    state.served[lane] += 1
    if state.served[lane] > JOBS_PER_POOL[lane]:
        old = state.pools[lane]
        state.pools[lane] = new_pool(state.builds, state.root, getattr(state, "warm", True))
        state.served[lane] = 1
        state.retired.extend((getattr(old, "_processes", None) or {}).values())  # shutdown forgets them
        old.shutdown(wait=False, cancel_futures=True)
    pool: ProcessPoolExecutor = state.pools[lane]
    return pool


def stop_builds(app: Starlette) -> None:
    """End every build now (the server is stopping: Ctrl+C should not wait for a class's sheets).
    Each waiting request is answered with a page saying so; the builds' workers exit when they
    see their build process gone."""
    app.state.stopping = True
    pools = app.state.pools.values()
    processes = [p for pool in pools for p in (getattr(pool, "_processes", None) or {}).values()]
    processes += app.state.retired
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)
    time.sleep(WATCH_EVERY * 2)  # their own workers look for them every WATCH_EVERY seconds


def _lane(job: Callable[..., Outcome]) -> str:
    return HEAVY if job in (jobs.sheets, jobs.batch) else QUICK


async def run(request: Request, job: Callable[..., Outcome], *args: Any) -> Outcome:
    """A job in a build process, awaited without holding up the event loop: whole packs and
    classes in one lane of processes, everything quick in another. At most `IN_FLIGHT` jobs of a
    lane are given to its processes at once; a request past that waits its turn here, and past
    `WAITING` is refused (`BusyError`). While a job waits or runs, the browser is watched: when it has
    gone, a job not started is cancelled and one under way is told to stop (its cancel file). A
    quick job that runs past its time has its processes ended, and the lane starts afresh."""
    state = request.app.state
    lane = _lane(job)
    client = _client(request)
    if not await _turn(request, lane, client):
        return Outcome(errors=[jobs.GONE])
    cancel = Path(state.root) / f"cancel-{uuid.uuid4().hex}"
    loop = asyncio.get_running_loop()
    for attempt in range(2):
        pool = pool_for(state, lane)
        future = _submit_counted(state, lane, loop, cancel, pool, jobs.attended, str(cancel), job, *args, client=client)
        answer: asyncio.Future[Outcome] = asyncio.wrap_future(future)
        limit = state.limits["quick_seconds" if lane == QUICK else "heavy_seconds"]
        deadline = None  # from when the job starts in its process, not while it waits for one
        while not (await asyncio.wait({answer}, timeout=state.watch_seconds))[0]:
            if await request.is_disconnected():
                # Told to stop: one not started never starts (`jobs.attended`), one under way stops after
                # its sheet. Not future.cancel(): a future cancelled here while its pool's thread holds it
                # makes that thread raise InvalidStateError if the pool breaks (Python 3.11).
                if not future.done():
                    cancel.touch()
                return Outcome(errors=[jobs.GONE])
            if limit and deadline is None and Path(f"{cancel}.started").exists():
                deadline = loop.time() + limit - state.watch_seconds
            if deadline is not None and loop.time() > deadline:
                _end_pool(state, lane, pool)
                return Outcome(errors=[_too_long(limit or 0) if lane == QUICK else _too_long_heavy(limit or 0)])
        if answer.cancelled():  # its pool was replaced before the job started: the fresh pool takes it
            continue
        try:
            return answer.result()
        except BrokenProcessPool:  # a build process died: start new ones and say so
            if state.stopping:
                return Outcome(
                    errors=["the server was stopped before this was finished: start it again, and try again"]
                )
            if any(ended is pool for ended in state.ended) and attempt == 0:
                continue  # ended for another job that ran past its time: this one starts again
            if state.pools[lane] is pool:
                state.pools[lane] = new_pool(state.builds, state.root, getattr(state, "warm", True))
                state.served[lane] = 0
            return Outcome(
                errors=[
                    "the build stopped before it finished (the server may be short of memory): try again, or "
                    "choose fewer sheets"
                ]
            )
    return Outcome(errors=[BUSY])


def _client(request: Request) -> str | None:
    """Who asks: the remote address (None when it is not known, as for a request not over TCP, or
    not counted: a server on loopback serves only the computer it runs on)."""
    if not getattr(request.app.state, "per_client", True):
        return None
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or None


def _client_caps(state: Any, lane: str) -> tuple[int, int]:
    """How many jobs one client may have given to a lane's build processes (CLIENT_SHARE of the
    processes there are, or of IN_FLIGHT if fewer), and how many in all, given and waiting
    (CLIENT_SHARE of IN_FLIGHT and WAITING together); at least one of each."""
    in_flight, waiting = state.limits["in_flight"][lane], state.limits["waiting"][lane]
    processes = min(in_flight, getattr(state, "builds", in_flight))
    return max(1, int(processes * CLIENT_SHARE)), max(1, int((in_flight + waiting) * CLIENT_SHARE))


def _full(state: Any, lane: str, client: str | None) -> bool:
    """No build process free for this job: the lane's are all busy, or its client holds its share."""
    if state.in_flight[lane] >= state.limits["in_flight"][lane]:
        return True
    return client is not None and state.client_in_flight[lane][client] >= _client_caps(state, lane)[0]


async def _turn(request: Request, lane: str, client: str | None = None) -> bool:
    """Wait until the lane takes one more job; False if the browser left meanwhile. `BusyError` when
    too many are waiting already, or this client holds its share of the lane already (`CLIENT_SHARE`)."""
    state = request.app.state
    if client is not None:
        held = state.client_in_flight[lane][client] + state.client_waiting[lane][client]
        if held >= _client_caps(state, lane)[1]:
            what = "whole packs or classes" if lane == HEAVY else "previews, checks or sheets"
            raise BusyError(BUSY_YOU.format(held=f"{held} {what}"))
    if not _full(state, lane, client):
        return not await request.is_disconnected()
    if state.waiting[lane] >= state.limits["waiting"][lane]:
        raise BusyError
    state.waiting[lane] += 1
    if client is not None:
        state.client_waiting[lane][client] += 1
    try:
        checked = time.monotonic()
        while _full(state, lane, client):
            await asyncio.sleep(0.05)
            if time.monotonic() - checked > state.watch_seconds:
                checked = time.monotonic()
                if await request.is_disconnected():
                    return False
        return not await request.is_disconnected()
    finally:
        state.waiting[lane] -= 1
        if client is not None:
            state.client_waiting[lane][client] -= 1
            if not state.client_waiting[lane][client]:
                del state.client_waiting[lane][client]


def _submit_counted(
    state: Any,
    lane: str,
    loop: asyncio.AbstractEventLoop,
    cancel: Path,
    pool: ProcessPoolExecutor,
    fn: Callable[..., Outcome],
    *args: Any,
    client: str | None = None,
) -> Future[Outcome]:
    """`pool.submit(fn, *args)`, counted in the lane's jobs in flight (and its client's) until it is
    done, however it ends (finished, cancelled, its process gone), even after its request has been answered."""

    started = Path(f"{cancel}.started")

    def done() -> None:
        state.in_flight[lane] -= 1
        if client is not None:
            state.client_in_flight[lane][client] -= 1
            if not state.client_in_flight[lane][client]:
                del state.client_in_flight[lane][client]
        if not started.exists() and state.pools[lane] is pool:  # never started: the pool is not used up by it
            state.served[lane] = max(0, state.served[lane] - 1)
        cancel.unlink(missing_ok=True)
        started.unlink(missing_ok=True)

    state.in_flight[lane] += 1
    if client is not None:
        state.client_in_flight[lane][client] += 1
    try:
        future = pool.submit(fn, *args)
    except BaseException:
        done()
        raise

    def done_soon(_: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server has stopped
            loop.call_soon_threadsafe(done)

    future.add_done_callback(done_soon)
    return future


def _end_pool(state: Any, lane: str, pool: ProcessPoolExecutor) -> None:
    """A job ran past its time: the lane takes a fresh pool, and this one's processes are killed
    (SIGKILL: a process deep in a parser may not hear SIGTERM). Other jobs they held start again
    in the fresh pool (`run`); the ones killed give back all their memory."""
    if state.pools[lane] is pool:
        state.pools[lane] = new_pool(state.builds, state.root, getattr(state, "warm", True))
        state.served[lane] = 0
    state.ended[:] = [*state.ended[-9:], pool]
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError):
            process.kill()
    state.retired.extend(processes)


def _too_long_heavy(seconds: float) -> str:
    return (
        f"this took longer than {seconds / 60:g} minutes, so it was stopped and nothing was kept: choose fewer "
        "sheet kinds or tiers (or fewer pupils), or run `worksheetgen pack` or `worksheetgen batch` on the "
        "computer itself"
    )


def _too_long(seconds: float) -> str:
    return (
        f"this took longer than {seconds:g} seconds, so it was stopped and nothing was kept. If you loaded "
        "notes, load a shorter part of them (or save them as plain text, .txt), or run `worksheetgen import` "
        "on the computer itself"
    )
