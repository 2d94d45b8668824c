"""The work behind each button, run in a build process (never on the server's event loop).

Each job works in a temporary folder of its own, removed when it ends however it ends, and
calls the same library functions as the CLI (pipeline, batch, importer, preview, loader).
What comes back is plain data: files as bytes, messages as text with the temporary folder
taken out, so a message reads `my-topic.yaml:12: ...` as it would on the command line.
Exceptions never cross back: the project's errors become messages, anything else a short
note that it is a bug (its traceback goes to the server's log, never to the page).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from worksheetgen.document import Tier
from worksheetgen.errors import ContentError, WorksheetError
from worksheetgen.output import output_name, set_name
from worksheetgen.pipeline import Options, generate, pack, set_folder
from worksheetgen.render.formats import FORMATS
from worksheetgen.serve.form import CONTENT_TYPES, Choices, Upload
from worksheetgen.wording import counted
from worksheetgen.workers import forget_content

PREVIEW_DPI = 45  # a whole A4 page at 372 x 526 pixels: enough to see the layout, small enough for 24 at once
ZIP = "application/zip"
MAX_SHEETS = 600  # a class batch on the page: 200 pupils x 3 kinds, under a minute
BYTES_PER_SHEET = 600_000  # PDF + Word file, and their copies in the .zip
SPARE_BYTES = 50 * 2**20
MEDIA = {fmt.name: fmt.media_type for fmt in FORMATS.values()}
GONE = "stopped: the page was closed before this was ready, so nobody was waiting for it"

# The file the job under way in this process looks for: made by the server when the page that
# asked for the job has gone away (`attended`), so nobody's abandoned work goes on.
_cancel: Path | None = None


@dataclass(frozen=True)
class Download:
    """A file for the browser to save, named as the CLI names it."""

    name: str
    data: bytes
    media: str


@dataclass(frozen=True)
class Preview:
    """One sheet's pages as PNG pictures."""

    kind: str
    tier: Tier
    pages: tuple[bytes, ...]


@dataclass
class Outcome:
    """What a job gives back to the page."""

    errors: list[str] = field(default_factory=list)
    error_lines: list[int] = field(default_factory=list)  # lines of the teacher's own content with a problem
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # good news: "ok: ...", what was loaded
    yaml: str | None = None  # new text for the text area (a file loaded or notes imported)
    name: str | None = None  # its stem
    checklist: list[str] = field(default_factory=list)
    previews: list[Preview] = field(default_factory=list)
    download: Download | None = None


@dataclass
class _Run:
    """One job's temporary folder and what it has found so far."""

    folder: Path
    outcome: Outcome = field(default_factory=Outcome)

    def shown(self, message: str) -> str:
        """A message as the teacher should read it: file names without the temporary folder."""
        return message.replace(f"{self.folder}{os.sep}", "")

    def warn(self, messages: list[str]) -> None:
        self.outcome.warnings.extend(self.shown(str(message)) for message in messages)


@contextmanager
def _workspace() -> Iterator[_Run]:
    folder = Path(tempfile.mkdtemp(prefix="request-"))  # in the server's own folder (`start`)
    try:
        yield _Run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _guarded(job: Callable[..., None]) -> Callable[..., Outcome]:
    """Run `job(run, ...)` in a fresh folder; turn every failure into messages for the page."""

    def run_job(*args: object) -> Outcome:
        with _workspace() as run:
            try:
                job(run, *args)
            except WorksheetError as error:
                run.outcome.errors = [run.shown(line) for line in str(error).splitlines()]
                if isinstance(error, ContentError):
                    run.outcome.error_lines = sorted({p.line for p in error.problems if _own(run, p.file) and p.line})
            except Exception:  # a bug: the teacher gets a plain note, the server's log the details
                traceback.print_exc(file=sys.stderr)
                run.outcome.errors = [
                    "something went wrong inside worksheetgen (a bug, not your file). Nothing was kept. "
                    "Please tell whoever looks after this server what you were doing."
                ]
            finally:
                for path in run.folder.glob("*.yaml"):
                    forget_content(path)
            return run.outcome

    run_job.__name__ = job.__name__
    run_job.__qualname__ = job.__qualname__
    return run_job


def attended(cancel: str, job: Callable[..., Outcome], *args: object) -> Outcome:
    """`job(*args)`, unless the page that asked for it has gone already (the server made the file
    `cancel`): a job that waited its turn for a build process never starts for nobody. Whole packs
    and classes look for the file again after each sheet (`_stop_if`)."""
    global _cancel
    if Path(cancel).exists():
        return Outcome(errors=[GONE])
    Path(f"{cancel}.started").touch()  # the server's wall clock for quick jobs starts now
    _cancel = Path(cancel)
    try:
        return job(*args)
    finally:
        _cancel = None


def _own(run: _Run, file: str) -> bool:
    """Is this the teacher's own content file (not a roster or a shipped topic)?"""
    return Path(file).parent == run.folder and Path(file).suffix in CONTENT_TYPES


def _content(run: _Run, choices: Choices) -> Path:
    """The content file to build from: a shipped topic, or the text area written into the folder."""
    from worksheetgen.resources import shipped_topics

    if not choices.own:
        return shipped_topics()[choices.topic]
    if not choices.yaml.strip():
        raise WorksheetError(
            "there is no content of your own yet: choose a shipped topic, or load your content file or notes"
        )
    path = run.folder / f"{choices.name}.yaml"
    path.write_bytes(choices.yaml.encode("utf-8", "replace"))
    return path


def _options(run: _Run, choices: Choices, **fixed: object) -> Options:
    """The library's Options from the form; never your own templates (not over the web)."""
    given: dict[str, object] = {
        "kinds": choices.kinds,
        "tiers": choices.tiers,
        "formats": choices.formats,
        "paper": choices.paper,
        "profile": choices.profile,
        "cream": choices.cream,
        "key": choices.key,
        "seed": choices.seed,
        "out": run.folder / "out",
        "template_dirs": (),
    }
    return Options(**(given | fixed))  # type: ignore[arg-type]


def _zipped(run: _Run, name: str) -> Download:
    """Everything written under the output folder, as the CLI lays it out, with the warnings."""
    buffer = io.BytesIO()
    out = run.folder / "out"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs and DOCX are compressed already
        for path in sorted(out.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(out).as_posix())
        if run.outcome.warnings:
            archive.writestr("warnings.txt", "".join(f"warning: {w}\n" for w in run.outcome.warnings))
    return Download(name, buffer.getvalue(), ZIP)


@_guarded
def load(run: _Run, upload: Upload) -> None:
    """A content file shown in the text area (checked), or notes imported into a draft to finish."""
    from worksheetgen.inputs import CONTENT, read_text
    from worksheetgen.loader import load_content

    run.outcome.name = upload.stem
    if upload.suffix in CONTENT_TYPES:
        path = run.folder / f"{upload.stem}.yaml"
        path.write_bytes(upload.data)
        run.outcome.yaml = read_text(path, CONTENT).text
        run.warn([str(w) for w in load_content(path).warnings])
        run.outcome.notes.append(f"ok: {path.name} has no problems: preview or download below")
        return
    from worksheetgen.importer import import_file

    notes = run.folder / f"{upload.stem}{upload.suffix}"
    notes.write_bytes(upload.data)
    imported = import_file(notes)
    run.outcome.yaml = imported.yaml
    run.warn(imported.warnings)
    run.outcome.checklist = [f"{upload.stem}.yaml:{fix.line}: {fix.text}" for fix in imported.checklist]
    run.outcome.notes.append(
        f"{notes.name} was turned into a content file with {counted(imported.todos, 'value')} to fill in "
        "(marked TODO): "
        "finish it in the box below, most useful first"
    )


@_guarded
def check(run: _Run, choices: Choices) -> None:
    """The content checked as `worksheetgen validate` checks it."""
    from worksheetgen.gate import review, verdict
    from worksheetgen.loader import load_content
    from worksheetgen.pipeline import list_kinds

    path = _content(run, choices)
    loaded = load_content(path)
    unfinished = review(loaded, list_kinds())
    run.warn([str(w) for w in [*loaded.warnings, *unfinished]])
    drafted = verdict(path.name, unfinished)
    run.outcome.notes.append(run.shown(drafted) if drafted.startswith("draft:") else f"ok: {path.name} has no problems")


@_guarded
def previews(run: _Run, choices: Choices) -> None:
    """Each chosen sheet (pupil copy) as pictures, built as `worksheetgen preview` builds them."""
    from worksheetgen.preview import preview_pdf

    path = _content(run, choices)
    options = _options(run, choices, formats=("pdf",), key=False, draft=True)  # unfinished ones marked DRAFT
    report = generate(path, options)
    run.warn(report.warnings)
    folder = set_folder(options)
    for kind in choices.kinds:
        for tier in choices.tiers:
            pdf = folder / output_name(path.stem, kind, tier.value, False, "pdf")
            pages, notes = preview_pdf(pdf, run.folder / "png", PREVIEW_DPI)
            run.warn(notes)
            run.outcome.previews.append(Preview(kind, tier, tuple(page.read_bytes() for page in pages)))


@_guarded
def sheets(run: _Run, choices: Choices, whole_pack: bool) -> None:
    """The chosen sheets as a .zip: the pack (keys and the print file) as `worksheetgen pack`
    makes it, or just the sheets as `worksheetgen build` does; one sheet alone (one kind, one
    tier, one format, no key) comes as that file, not a .zip holding it."""

    path = _content(run, choices)
    build = pack if whole_pack else generate
    report = build(path, _options(run, choices, key=True if whole_pack else choices.key), progress=_stop_if(_cancel))
    run.warn(report.warnings)
    if report.refused:  # what to finish, at its lines (the gate, worksheetgen/gate.py)
        raise report.refused
    if not whole_pack and len(report.written) == 1:
        only = report.written[0]
        run.outcome.download = Download(only.name, only.read_bytes(), MEDIA[only.suffix.lstrip(".")])
        return
    what = set_name(profile=choices.profile, paper=choices.paper, cream=choices.cream, seed=choices.seed)
    label = "_".join(filter(None, (path.stem, what, "pack" if whole_pack else "sheets")))
    run.outcome.download = _zipped(run, f"{label}.zip")


@_guarded
def one(run: _Run, choices: Choices, kind: str, tier: Tier, fmt: str, key: bool) -> None:
    """One sheet, PDF or Word, named as `worksheetgen build` names it."""

    path = _content(run, choices)
    options = _options(run, choices, kinds=(kind,), tiers=(tier,), formats=(fmt,), key=key)
    report = generate(path, options)
    run.warn(report.warnings)
    if report.refused:
        raise report.refused
    wanted = output_name(path.stem, kind, tier.value, key, fmt)
    written = next(p for p in report.written if p.name == wanted)
    run.outcome.download = Download(wanted, written.read_bytes(), MEDIA[fmt])


@_guarded
def batch(run: _Run, choices: Choices, roster: Upload) -> None:
    """A named sheet for every pupil on the roster, the class print files and the keys, as
    `worksheetgen batch` writes them, in a .zip. At most MAX_PUPILS (a whole year group is the
    command line's work), with room for them on the disk, and stopped when the job's cancel file
    appears (`attended`): the page was closed, nobody is waiting for the sheets."""
    from worksheetgen.batch import BatchOptions, run_batch
    from worksheetgen.roster import check_roster

    path = _content(run, choices)
    roster_path = run.folder / f"{roster.stem}.csv"
    roster_path.write_bytes(roster.data)
    _check_size(roster_path, len(check_roster(roster_path).pupils) * len(choices.batch_kinds))
    options = BatchOptions(
        kinds=choices.batch_kinds,
        seed=choices.seed,
        out=run.folder / "out",
        paper=choices.paper,
        profile=choices.profile,
        template_dirs=(),
    )
    report = run_batch(roster_path, path, options, progress=_stop_if(_cancel))
    run.warn(report.warnings)
    if report.refused:
        raise report.refused
    run.outcome.download = _zipped(run, f"{roster.stem}_class-sheets.zip")


def _check_size(roster_path: Path, sheets: int) -> None:
    """Refuse, before any work, more sheets than the web page makes at once or the disk can hold."""
    if sheets > MAX_SHEETS:
        raise WorksheetError(
            f"{roster_path.name}: {sheets} sheets is more than this page makes at once ({MAX_SHEETS}: "
            f"{MAX_SHEETS // 3} pupils x 3 kinds). Split the class list, or on this computer run "
            f"`worksheetgen batch {roster_path.name}`"
        )
    free = shutil.disk_usage(roster_path.parent).free
    if free < sheets * BYTES_PER_SHEET + SPARE_BYTES:
        raise WorksheetError(
            f"there is not enough free disk space on the server for {counted(sheets, 'sheet')} "
            f"({free // 2**20} MB free): ask whoever looks after it, or choose fewer pupils or kinds"
        )


def _stop_if(cancel: Path | None) -> Callable[[object], None]:
    def check(_: object) -> None:
        if cancel is not None and cancel.exists():
            raise WorksheetError(GONE)

    return check


def start(server: int, root: str, load: bool = True) -> None:
    """A build process's first act: exit when the server does, keep its folders in the server's
    folder (removed when the server stops, whatever happened), and leave Ctrl+C to the server."""
    from worksheetgen.workers import _start_worker

    _start_worker(server, "")
    tempfile.tempdir = root
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if load:
        warm()  # here, so every build process, a fresh pool's too, is ready before its first job


def warm() -> None:
    """Import the libraries once when a build process starts, not during a teacher's first build."""
    import worksheetgen.batch
    import worksheetgen.importer
    import worksheetgen.preview
    import worksheetgen.render.docx
    import worksheetgen.render.pdf  # noqa: F401
