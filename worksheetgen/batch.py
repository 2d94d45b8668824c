"""Class batches: a named sheet per pupil at their tier and needs, one print file per class.

Pupils of the same tier cycle through a few seeded variants (A, B, C), so neighbours get a
different word-bank order or card order; one key per variant names the pupils it is for.
Each variant is rendered once and a named copy stamped for each of its pupils. Work is spread
over the CPU cores; only file paths come back to the main process, and each class's print
file is merged from disk, so memory stays flat however long the roster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from worksheetgen.document import Document, Paragraph, Run, Tier
from worksheetgen.errors import ContentError, Problem, WorksheetError
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.ooxml import replace_header_text
from worksheetgen.output import distinct_names, output_name, remove_stale_temporaries, safe_part, write_output
from worksheetgen.pipeline import (
    Report,
    Sheet,
    build_document,
    check_printable,
    check_printable_text,
    contents_document,
    list_kinds,
    name_overlay,
    render,
)
from worksheetgen.printfile import Entry, Part, merge_for_duplex, overlay_pages, page_count
from worksheetgen.roster import Pupil, check_roster
from worksheetgen.templating import search_path

T = TypeVar("T")
DEFAULT_KINDS = ("gap-fill", "diamond-nine", "essay-planner")
VARIANTS = "ABC"  # enough that no pupil sits between two identical sheets
OWN_FOLDERS = ("keys",)  # folders the batch writes for itself, never a class's
TASK_PUPILS = 12  # pupils named per rendered variant in one task: keeps the cores evenly busy


@dataclass(frozen=True)
class BatchOptions:
    kinds: tuple[str, ...] = ()
    seed: int = 0
    out: Path = Path("output")
    paper: str = "a4"
    profile: Profile = Profile.standard  # for pupils whose roster row names no needs
    force: bool = False
    template_dirs: tuple[Path, ...] = ()
    workers: int | None = None  # default: one per CPU core


@dataclass(frozen=True)
class Job:
    """One pupil's sheets: everything a worker needs, small enough to send to another process."""

    pupil: Pupil
    folder: str  # the class folder
    stem: str  # the pupil's safe file-name stem, distinct across the roster
    variant: str


@dataclass
class _Class:
    """The sheets of one class, in roster order, waiting to be merged into its print file."""

    name: str
    parts: list[tuple[str, str, Path]] = field(default_factory=list)  # (pupil, sheet label, pdf)


def run_batch(
    roster_path: Path, content_path: Path, options: BatchOptions, progress: Callable[[Pupil], None] | None = None
) -> Report:
    """Validate everything first, then write every pupil's sheets, the class print files and the keys."""
    roster = check_roster(roster_path)
    content = load_content(content_path).content
    kinds = _check_kinds(options)
    jobs = plan_jobs(roster.pupils)
    for profile in dict.fromkeys(_profile(job, options) for job in jobs):
        check_printable(content, PrintSettings(options.paper, profile))
    problems = roster.problems + _name_problems(roster_path, jobs, options)  # every roster problem in one pass
    if problems:
        raise ContentError(sorted(problems, key=lambda problem: problem.line or 0))
    _preflight(content, jobs, kinds, options)
    report = Report(warnings=list(roster.warnings))
    remove_stale_temporaries(options.out)
    sheets: dict[tuple[int, str], tuple[str, Path]] = {}  # (pupil's place in the roster, kind) -> PDF
    waiting = {index: len(kinds) for index in range(len(jobs))}  # sheets still to write, per pupil
    classes = _members(jobs)
    to_print = {folder: len(kinds) * len(members) for folder, members in classes.items()}
    with _executor(options, len(jobs)) as pool, _cancel_on_interrupt(pool):
        tasks = [
            pool.submit(_variant_sheets, task, content_path, options) for task in _variant_tasks(jobs, kinds, options)
        ]
        keys = [pool.submit(_write_key, task, content_path, options) for task in _key_tasks(jobs, kinds)]
        prints = []
        for future in as_completed(tasks):
            for sheet in future.result():
                report.written.extend(path for path, _ in sheet.files)
                report.warnings.extend(note for _, note in sheet.files if note)
                sheets[sheet.index, sheet.kind] = sheet.label, sheet.pdf
                waiting[sheet.index] -= 1
                if progress and not waiting[sheet.index]:
                    progress(jobs[sheet.index].pupil)
                folder = jobs[sheet.index].folder
                to_print[folder] -= 1
                if not to_print[folder]:  # the class is complete: merge it while other work goes on
                    group = _class(jobs, kinds, sheets, classes[folder])
                    prints.append(pool.submit(_write_class_print, content_path, group, options.out / folder, options))
        report.written.extend(future.result() for future in prints)
        report.written.extend(path for future in keys for path in future.result())
    return report


@contextmanager
def _cancel_on_interrupt(pool: Executor) -> Iterator[None]:
    """On Ctrl+C or a kill signal, drop the sheets not yet started instead of finishing them all."""
    try:
        yield
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _name_problems(roster_path: Path, jobs: list[Job], options: BatchOptions) -> list[Problem]:
    """Every name and class must print in the pupil's font: found here, with its roster line,
    before anything is written (not by a worker, half-way through the class)."""
    problems = []
    for job in jobs:
        settings = PrintSettings(options.paper, _profile(job, options))
        for column, text in (("name", job.pupil.name), ("class", job.pupil.group)):
            try:
                check_printable_text([text], settings)
            except WorksheetError as error:
                problems.append(Problem(str(roster_path), str(error), job.pupil.line, path=column))
    return problems


def _profile(job: Job, options: BatchOptions) -> Profile:
    """The pupil's own needs, else the profile asked for the whole class."""
    return job.pupil.profile if job.pupil.needs else options.profile


def _check_kinds(options: BatchOptions) -> tuple[str, ...]:
    kinds = options.kinds or DEFAULT_KINDS
    known = list_kinds(options.template_dirs)
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise WorksheetError(f"unknown sheet kind {unknown[0]!r}; available: {', '.join(known)}")
    return kinds


def _preflight(content: Content, jobs: list[Job], kinds: tuple[str, ...], options: BatchOptions) -> None:
    """Build each kind and tier once before writing anything, so a template error stops the run clean."""
    search = search_path(options.template_dirs)
    for tier in dict.fromkeys(job.pupil.tier for job in jobs):
        for kind in kinds:
            build_document(content, Sheet(kind, tier), options.seed, search)


def plan_jobs(pupils: list[Pupil]) -> list[Job]:
    """Folders, file names and variants: same-tier pupils cycle A, B, C in register order."""
    folders = dict(zip(*_unique_groups(pupils), strict=True))
    stems = distinct_names([p.name for p in pupils], fallback="pupil")
    counters: dict[Tier, int] = {}
    jobs = []
    for pupil, stem in zip(pupils, stems, strict=True):
        index = counters.get(pupil.tier, 0)
        counters[pupil.tier] = index + 1
        jobs.append(Job(pupil, folders[pupil.group], stem, VARIANTS[index % len(VARIANTS)]))
    return jobs


def _unique_groups(pupils: list[Pupil]) -> tuple[list[str], list[str]]:
    """Class folders; a class called `keys` gets `keys-2`, apart from the batch's own `keys/`."""
    groups = list(dict.fromkeys(p.group for p in pupils))
    folders = distinct_names([*OWN_FOLDERS, *(g or "no-class" for g in groups)], fallback="class")
    return groups, folders[len(OWN_FOLDERS) :]


class _Inline(Executor):
    """Runs tasks at once in this process: for small rosters, starting workers costs more."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _executor(options: BatchOptions, jobs: int) -> Executor:
    workers = min(options.workers or os.cpu_count() or 1, jobs)
    return ProcessPoolExecutor(workers) if workers > 1 else _Inline()


@lru_cache(maxsize=2)
def _content(path: Path) -> Content:
    """Loaded once per worker process."""
    return load_content(path).content


@dataclass(frozen=True)
class _VariantTask:
    """One variant of one sheet, and every pupil who gets it: rendered once, then named per pupil."""

    kind: str
    tier: Tier
    variant: str
    settings: PrintSettings
    pupils: tuple[tuple[int, Job], ...]  # (place in the roster, job)


def _variant_tasks(jobs: list[Job], kinds: tuple[str, ...], options: BatchOptions) -> list[_VariantTask]:
    groups: dict[tuple[str, Tier, str, PrintSettings], list[tuple[int, Job]]] = {}
    for kind in kinds:
        for index, job in enumerate(jobs):
            settings = PrintSettings(options.paper, _profile(job, options))
            groups.setdefault((kind, job.pupil.tier, job.variant, settings), []).append((index, job))
    return [
        _VariantTask(*key, tuple(pupils[start : start + TASK_PUPILS]))
        for key, pupils in groups.items()
        for start in range(0, len(pupils), TASK_PUPILS)
    ]


@dataclass(frozen=True)
class _PupilSheet:
    """One pupil's named copy of one sheet, as written."""

    index: int  # the pupil's place in the roster
    kind: str
    label: str  # what the class print file's contents page calls it
    files: tuple[tuple[Path, str], ...]  # (file, note for the teacher), PDF first

    @property
    def pdf(self) -> Path:
        return self.files[0][0]


def _variant_sheets(task: _VariantTask, content_path: Path, options: BatchOptions) -> list[_PupilSheet]:
    """Render the variant once (PDF without a name line, DOCX with a blank one), then write a
    named copy for each of its pupils: stamping a name costs a fraction of rendering."""
    search = search_path(options.template_dirs)
    seed = f"{options.seed}/{task.variant}"
    document, _ = build_document(_content(content_path), Sheet(task.kind, task.tier), seed, search, task.settings)
    meta = replace(document.meta, variant=task.variant)
    pdf = render(replace(document, meta=replace(meta, name_later=True)), "pdf", task.settings)
    word = render(replace(document, meta=meta), "docx", task.settings)
    pages = page_count(pdf)
    done = []
    for index, job in task.pupils:
        named = replace(meta, pupil=job.pupil.name, group=job.pupil.group)
        files = {
            "pdf": overlay_pages(pdf, name_overlay(named, task.settings, pages)),
            "docx": replace_header_text(word, meta.header_label, named.header_label),
        }
        written = []
        for fmt, data in files.items():
            path = options.out / job.folder / f"{job.stem}_{task.kind}.{fmt}"
            kept = not write_output(path, data, force=options.force)
            written.append(
                (path, f"kept '{path}': it was edited after it was written; --force replaces it" if kept else "")
            )
        label = f"{named.sheet} {task.tier.marker} {task.tier.value}"
        done.append(_PupilSheet(index, task.kind, label, tuple(written)))
    return done


def _members(jobs: list[Job]) -> dict[str, list[int]]:
    """Each class folder's pupils, by their place in the roster."""
    members: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        members.setdefault(job.folder, []).append(index)
    return members


def _class(
    jobs: list[Job], kinds: tuple[str, ...], sheets: dict[tuple[int, str], tuple[str, Path]], members: list[int]
) -> _Class:
    """A class's sheets in roster order, each pupil's in the order the kinds were asked for."""
    group = _Class(jobs[members[0]].pupil.group or "No class")
    for index in members:
        group.parts.extend((jobs[index].pupil.name, *sheets[index, kind]) for kind in kinds)
    return group


def _write_class_print(content_path: Path, group: _Class, folder: Path, options: BatchOptions) -> Path:
    """One print file per class: roster order, every sheet on an odd page, a contents page first."""
    parts = [Part(pupil, label, path.read_bytes()) for pupil, label, path in group.parts]

    def contents(entries: list[Entry]) -> bytes:
        document = contents_document(_content(content_path), entries)
        title = replace(document.meta, sheet=f"Class {group.name}")
        return render(replace(document, meta=title), "pdf", PrintSettings(options.paper))

    merged, _ = merge_for_duplex(parts, contents)
    path = folder / f"{safe_part(group.name, 'class')}_print.pdf"
    write_output(path, merged)
    return path


@dataclass(frozen=True)
class _KeyTask:
    kind: str
    tier: Tier
    variant: str
    pupils: str  # who the variant's sheets went to


def _key_tasks(jobs: list[Job], kinds: tuple[str, ...]) -> list[_KeyTask]:
    tasks: list[_KeyTask] = []
    for (tier, variant), pupils in _variants(jobs).items():
        names = ", ".join(f"{p.name} ({p.group})" if p.group else p.name for p in pupils)
        tasks.extend(_KeyTask(kind, tier, variant, names) for kind in kinds)
    return tasks


def _write_key(task: _KeyTask, content_path: Path, options: BatchOptions) -> list[Path]:
    """One key per kind, tier and variant in use, naming the pupils whose sheets it marks."""
    search = search_path(options.template_dirs)
    seed = f"{options.seed}/{task.variant}"
    document, _ = build_document(_content(content_path), Sheet(task.kind, task.tier, is_key=True), seed, search)
    note = Paragraph((Run(f"Variant {task.variant}, for: ", bold=True), Run(task.pupils)), "instruction")
    document = Document(replace(document.meta, variant=task.variant), (note, *document.blocks))
    written = []
    stem = content_path.stem
    for fmt in ("pdf", "docx"):
        name = output_name(stem, task.kind, task.tier.value, True, fmt).replace(
            "_key.", f"_variant-{task.variant}_key."
        )
        path = options.out / "keys" / name
        if write_output(path, render(document, fmt, PrintSettings(options.paper)), force=options.force):
            written.append(path)
    return written


def _variants(jobs: list[Job]) -> dict[tuple[Tier, str], list[Pupil]]:
    groups: dict[tuple[Tier, str], list[Pupil]] = {}
    for job in jobs:
        groups.setdefault((job.pupil.tier, job.variant), []).append(job.pupil)
    return dict(sorted(groups.items(), key=lambda item: (list(Tier).index(item[0][0]), item[0][1])))
