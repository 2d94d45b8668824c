"""The web page: one form that works without JavaScript, and the routes behind it (Starlette).

Requests are read here and handed to `jobs` in pools of build processes, so the event loop
only reads forms and sends files: many teachers can build at once, and a build that crashes
takes only its own process with it. Every answer is the page (with the teacher's messages) or
a file; a stack trace never reaches the browser.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from worksheetgen.document import Tier
from worksheetgen.layout import Profile
from worksheetgen.pipeline import FORMATS, PAPERS, list_kinds
from worksheetgen.resources import shipped_topics
from worksheetgen.serve import jobs
from worksheetgen.serve.form import (
    CONTENT_TYPES,
    MAX_UPLOAD,
    NOTES_TYPES,
    OWN,
    ROSTER_TYPES,
    Choices,
    Upload,
    defaults,
    one_sheet,
    read_choices,
    refusal,
)
from worksheetgen.serve.jobs import Outcome
from worksheetgen.workers import WATCH_EVERY

HERE = Path(__file__).parent
BODY_LIMIT = MAX_UPLOAD + 64 * 1024  # the file, and the rest of the form beside it
DRAIN_LIMIT = 64 * 1024 * 1024  # read (and drop) this much of a too-big upload, so the browser shows our page
ASSETS = {  # everything the page loads, served from the package: nothing from the internet
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
WATCH_SECONDS = 1.0  # how often a class batch looks whether its browser is still there
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]

_pages = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


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


def create_app(*, builds: int | None = None, loopback: bool = True) -> Starlette:
    """The web app; `builds` is how many builds run at once (default: one per CPU core, at least 2)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        root = tempfile.mkdtemp(prefix="worksheetgen-serve-")  # every request's folder is in here
        set_up(app.state, max(2, builds or os.cpu_count() or 2), root, per_client=not loopback)
        try:
            yield
        finally:
            for pool in app.state.pools.values():
                pool.shutdown(wait=False, cancel_futures=True)
            stop_builds(app)
            shutil.rmtree(app.state.root, ignore_errors=True)  # what builds stopped halfway had written

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES)] if loopback else []
    routes = [
        Route("/", home, methods=["GET"]),
        Route("/", submit, methods=["POST"]),
        Route("/static/{name}", asset, methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def set_up(state: Any, builds: int, root: str, *, warm: bool = True, per_client: bool = True) -> None:
    """The server's state: each lane's pool, and what it counts (the tests make it the same way,
    with `warm=False`: build processes that do not load the renderers start in a moment).
    `per_client`: cap each remote address's share (`CLIENT_SHARE`); not on loopback, where every
    request comes from the one computer the server runs on."""
    state.per_client = per_client
    state.builds = builds
    state.root = root
    state.warm = warm
    state.pools = {lane: _new_pool(builds, root, warm) for lane in (QUICK, HEAVY)}
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


def _new_pool(size: int, root: str, warm: bool = True) -> ProcessPoolExecutor:
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


def _pool_for(state: Any, lane: str) -> ProcessPoolExecutor:
    """The lane's pool for one more job. Past JOBS_PER_POOL jobs a fresh pool takes over, and the old
    one is shut down: its processes finish the jobs they are running, then exit, and their memory goes
    back. Jobs it had not started are cancelled there (`_run` gives them to the fresh pool), so old
    pools never go on working through a queue beside the new one."""
    state.retired[:] = [process for process in state.retired if process.is_alive()]
    state.served[lane] += 1
    if state.served[lane] > JOBS_PER_POOL[lane]:
        old = state.pools[lane]
        state.pools[lane] = _new_pool(state.builds, state.root, getattr(state, "warm", True))
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


async def home(request: Request) -> Response:
    return _page(defaults())


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:  # a fixed list: the request's path never reaches the file system
        return Response("Not found", 404, headers=HEADERS, media_type="text/plain")
    return Response((HERE / "static" / name).read_bytes(), headers=HEADERS, media_type=ASSETS[name])


async def submit(request: Request) -> Response:
    """Any button of the form; the page again (with messages) or the file asked for."""
    if from_another_site(request):
        return Response("Refused: this form was sent by another web site, not by worksheetgen's page.\n", 403)
    try:
        return await _submit(request)
    except ClientDisconnect:  # the browser went away mid-form: nobody to answer, nothing wrong
        return Response(status_code=400)
    except Exception:  # a bug: never a stack trace on the page, and the server goes on
        traceback.print_exc(file=sys.stderr)
        outcome = Outcome(errors=["something went wrong inside worksheetgen (a bug, not your file); please try again"])
        return _page(defaults(), outcome, status=500)


def from_another_site(request: Request) -> bool:
    """A form another web page made the browser post here (cross-site request forgery: any page
    the teacher opens could make this server import a hostile file). Browsers say where a form
    comes from: `Sec-Fetch-Site`, or in older ones `Origin` (which is "null" for our own page,
    whose referrer policy is no-referrer, in browsers that send both); a client that says
    nothing, like curl, is let in."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")


async def _submit(request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, int):
        return _page(defaults(), Outcome(errors=[_too_big(body)]), status=413)
    fields, uploads, problem = await _form(request, body)
    choices = read_choices(fields)
    if problem:
        return _page(choices, Outcome(errors=[problem]), status=400)
    action = (fields.get("action") or [""])[0]
    try:
        outcome = await _act(request, action, choices, uploads)
    except BusyError as busy:
        return _page(choices, Outcome(errors=[busy.message]), status=503, headers={"Retry-After": "60"})
    if outcome.yaml is not None:  # a file loaded: it is now the teacher's own content
        choices = replace(choices, topic=OWN, yaml=outcome.yaml, name=outcome.name or choices.name)
    if outcome.download and not outcome.errors:
        return _download(outcome.download)
    return _page(choices, outcome, status=422 if outcome.errors else 200)


async def _act(request: Request, action: str, choices: Choices, uploads: dict[str, Upload]) -> Outcome:
    """Check what the form asks for, then run the job for the button pressed."""
    if choices.problems:
        return Outcome(errors=choices.problems)
    upload, roster = uploads.get("upload"), uploads.get("roster")
    if action == "load":
        if upload is None:
            return await _run(request, jobs.check, choices) if choices.own else _nothing_chosen()
        refused = refusal(upload, CONTENT_TYPES + NOTES_TYPES, "a content file or notes")
        return Outcome(errors=[refused]) if refused else await _run(request, jobs.load, upload)
    if action == "check":
        return await _run(request, jobs.check, choices)
    if action == "batch":
        refused = refusal(roster, ROSTER_TYPES, "a class list") if roster else "choose the class list (.csv) first"
        missing = "" if choices.batch_kinds else "tick at least one sheet kind for the class"
        if refused or missing:
            return Outcome(errors=[refused or missing])
        return await _run(request, jobs.batch, choices, roster)
    sheet = one_sheet(action)  # a preview's own button: its kind, tier and format, whatever is ticked now
    if sheet:
        return await _run(request, jobs.one, choices, *sheet)
    missing = _missing(choices, formats=action in ("pack", "sheets"))
    if missing:
        return Outcome(errors=[missing])
    if action == "preview":
        return await _run(request, jobs.previews, choices)
    if action in ("pack", "sheets"):
        return await _run(request, jobs.sheets, choices, action == "pack")
    return Outcome()


def _nothing_chosen() -> Outcome:
    return Outcome(errors=["choose a file to load first (a content file, or your notes)"])


def _missing(choices: Choices, *, formats: bool) -> str:
    """What the teacher has left unticked that a build needs."""
    if not choices.kinds:
        return "tick at least one sheet kind"
    if not choices.tiers:
        return "tick at least one tier"
    if formats and not choices.formats:
        return "tick PDF or Word (or both)"
    return ""


def _lane(job: Callable[..., Outcome]) -> str:
    return HEAVY if job in (jobs.sheets, jobs.batch) else QUICK


async def _run(request: Request, job: Callable[..., Outcome], *args: Any) -> Outcome:
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
        pool = _pool_for(state, lane)
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
                state.pools[lane] = _new_pool(state.builds, state.root, getattr(state, "warm", True))
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
    in the fresh pool (`_run`); the ones killed give back all their memory."""
    if state.pools[lane] is pool:
        state.pools[lane] = _new_pool(state.builds, state.root, getattr(state, "warm", True))
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


async def _body(request: Request) -> bytes | int:
    """The request's body, or its size when it is over the limit (read to the end, up to a point,
    so the browser is still listening when the page saying so arrives)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > DRAIN_LIMIT:
        return int(declared)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= BODY_LIMIT:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT:
            break
    return b"".join(chunks) if size <= BODY_LIMIT else size


def _too_big(size: int) -> str:
    return (
        f"that is too big to take: {size / 1024 / 1024:.1f} MB were sent, and this page takes at most "
        f"{MAX_UPLOAD // 1024 // 1024} MB at once. Nothing was kept. Save your notes as plain text (.txt), "
        "or split them into two files"
    )


async def _form(request: Request, body: bytes) -> tuple[dict[str, list[str]], dict[str, Upload], str]:
    """The form's fields and files (read from the body already in memory)."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    fields: dict[str, list[str]] = {}
    uploads: dict[str, Upload] = {}
    try:
        async with Request(request.scope, replay).form(max_files=4, max_fields=400, max_part_size=BODY_LIMIT) as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if value.filename:
                        uploads[name] = Upload(value.filename, await value.read())
                else:
                    fields.setdefault(name, []).append(value)
    except Exception as exc:  # a form no browser would send, cut short, or with too many parts
        return {}, {}, f"the form could not be read ({exc}); reload the page and try again"
    return fields, uploads, ""


def _download(download: jobs.Download) -> Response:
    """A file to save, named as the CLI names it (UTF-8 names too, RFC 6266)."""
    plain = download.name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(download.name)}"
    return Response(download.data, media_type=download.media, headers=HEADERS | {"Content-Disposition": disposition})


def _page(
    choices: Choices, outcome: Outcome | None = None, status: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    outcome = outcome or Outcome()
    html = _pages.get_template("page.html").render(
        choices=choices,
        outcome=outcome,
        errors=_messages(outcome.errors, choices),
        checklist=_messages(outcome.checklist, choices),
        previews=[_shown(preview) for preview in outcome.previews],
        topics=list(shipped_topics()),
        kinds=list_kinds(),
        tiers=list(Tier),
        profiles=list(Profile),
        papers=PAPERS,
        formats=FORMATS,
        limit=MAX_UPLOAD // 1024 // 1024,
        content_types=", ".join(CONTENT_TYPES),
        notes_types=", ".join(NOTES_TYPES),
        accept=",".join(CONTENT_TYPES + NOTES_TYPES),
        own=OWN,
    )
    return HTMLResponse(html, status, headers=HEADERS | (headers or {}))


def _messages(lines: list[str], choices: Choices) -> list[dict[str, Any]]:
    """Messages, each with the line of the teacher's own content it names, and that line's text."""
    text = choices.yaml.splitlines()
    place = re.compile(rf"^{re.escape(choices.name)}\.ya?ml:(\d+)")
    shown = []
    for message in lines:
        match = place.match(message) if choices.own else None
        line = int(match.group(1)) if match else None
        source = text[line - 1] if line and line <= len(text) else ""
        shown.append({"text": message, "line": line, "source": source})
    return shown


def _shown(preview: jobs.Preview) -> dict[str, Any]:
    return {
        "kind": preview.kind,
        "tier": preview.tier,
        "pages": ["data:image/png;base64," + base64.b64encode(page).decode() for page in preview.pages],
    }
