"""The web page: one form that works without JavaScript, and the routes behind it (Starlette).

Requests are read here and handed to `jobs` in pools of build processes (lanes.py), so the
event loop only reads forms and sends files: many teachers can build at once, and a build that
crashes takes only its own process with it. Every answer is the page (with the teacher's
messages) or a file; a stack trace never reaches the browser.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import AsyncIterator
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
from worksheetgen.serve.lanes import BusyError, run, set_up, stop_builds

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
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]

_pages = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


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
            return await run(request, jobs.check, choices) if choices.own else _nothing_chosen()
        refused = refusal(upload, CONTENT_TYPES + NOTES_TYPES, "a content file or notes")
        return Outcome(errors=[refused]) if refused else await run(request, jobs.load, upload)
    if action == "check":
        return await run(request, jobs.check, choices)
    if action == "batch":
        refused = refusal(roster, ROSTER_TYPES, "a class list") if roster else "choose the class list (.csv) first"
        missing = "" if choices.batch_kinds else "tick at least one sheet kind for the class"
        if refused or missing:
            return Outcome(errors=[refused or missing])
        return await run(request, jobs.batch, choices, roster)
    sheet = one_sheet(action)  # a preview's own button: its kind, tier and format, whatever is ticked now
    if sheet:
        return await run(request, jobs.one, choices, *sheet)
    missing = _missing(choices, formats=action in ("pack", "sheets"))
    if missing:
        return Outcome(errors=[missing])
    if action == "preview":
        return await run(request, jobs.previews, choices)
    if action in ("pack", "sheets"):
        return await run(request, jobs.sheets, choices, action == "pack")
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
