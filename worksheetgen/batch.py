"""Class batches: a named sheet per pupil at their tier and needs, one print file per class.

Pupils of the same tier cycle through a few seeded variants (A, B, C, D), so neighbours get a
different word-bank order or card order; one key per variant names the pupils it is for.
Work is spread over the CPU cores; only file paths come back to the main process, and each
class's print file is merged from disk, so memory stays flat however long the roster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from worksheetgen.document import Document, Paragraph, Run, Tier
from worksheetgen.errors import WorksheetError
from worksheetgen.layout import PrintSettings
from worksheetgen.loader import load_content
from worksheetgen.model import Content
from worksheetgen.output import distinct_names, output_name, remove_stale_temporaries, safe_part, write_output
from worksheetgen.pipeline import Report, Sheet, build_document, contents_document, list_kinds, render
from worksheetgen.printfile import Entry, Part, merge_for_duplex
from worksheetgen.roster import Pupil, read_roster
from worksheetgen.templating import search_path

DEFAULT_KINDS = ("gap-fill", "diamond-nine", "essay-planner")
VARIANTS = "ABCD"


@dataclass(frozen=True)
class BatchOptions:
    kinds: tuple[str, ...] = ()
    seed: int = 0
    out: Path = Path("output")
    paper: str = "a4"
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
    roster = read_roster(roster_path)
    content = load_content(content_path).content
    kinds = _check_kinds(options)
    jobs = plan_jobs(roster.pupils)
    _preflight(content, jobs, kinds, options)
    report = Report(warnings=list(roster.warnings))
    remove_stale_temporaries(options.out)
    classes: dict[str, _Class] = {}
    for job, written in zip(jobs, _run_jobs(jobs, content_path, kinds, options), strict=True):
        report.written.extend(path for _, path, _ in written)
        report.warnings.extend(note for _, _, note in written if note)
        group = classes.setdefault(job.folder, _Class(job.pupil.group or "No class"))
        group.parts.extend((job.pupil.name, label, path) for label, path, _ in written if path.suffix == ".pdf")
        if progress:
            progress(job.pupil)
    for folder, group in classes.items():
        report.written.append(_write_class_print(content, group, options.out / folder, options))
    report.written.extend(_write_keys(content, content_path.stem, jobs, kinds, options))
    return report


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
    """Folders, file names and variants: same-tier pupils cycle A, B, C, D in register order."""
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
    groups = list(dict.fromkeys(p.group for p in pupils))
    return groups, distinct_names([g or "no-class" for g in groups], fallback="class")


Written = list[tuple[str, Path, str]]  # (sheet label, file, note for the teacher)


def _run_jobs(jobs: list[Job], content_path: Path, kinds: tuple[str, ...], options: BatchOptions) -> Iterator[Written]:
    """Each job's written files, in roster order; in worker processes when there is enough work."""
    workers = min(options.workers or os.cpu_count() or 1, len(jobs))
    args = [(job, content_path, kinds, options) for job in jobs]
    if workers <= 1:
        yield from (_pupil_sheets(*a) for a in args)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(_pupil_sheets_packed, args, chunksize=max(1, len(jobs) // (workers * 4)))


def _pupil_sheets_packed(args: tuple[Job, Path, tuple[str, ...], BatchOptions]) -> Written:
    return _pupil_sheets(*args)


@lru_cache(maxsize=2)
def _content(path: Path) -> Content:
    """Loaded once per worker process."""
    return load_content(path).content


def _pupil_sheets(job: Job, content_path: Path, kinds: tuple[str, ...], options: BatchOptions) -> Written:
    """Build, name and write one pupil's sheets (PDF and DOCX); return (label, path, note)."""
    content = _content(content_path)
    settings = PrintSettings(options.paper, job.pupil.profile)
    search = search_path(options.template_dirs)
    written = []
    for kind in kinds:
        document, _ = build_document(
            content, Sheet(kind, job.pupil.tier), f"{options.seed}/{job.variant}", search, settings
        )
        meta = replace(document.meta, pupil=job.pupil.name, group=job.pupil.group, variant=job.variant)
        document = replace(document, meta=meta)
        label = f"{meta.sheet} {job.pupil.tier.marker} {job.pupil.tier.value}"
        for fmt in ("pdf", "docx"):
            path = options.out / job.folder / f"{job.stem}_{kind}.{fmt}"
            kept = not write_output(path, render(document, fmt, settings), force=options.force)
            note = f"kept '{path}': it was edited after it was written; --force replaces it" if kept else ""
            written.append((label, path, note))
    return written


def _write_class_print(content: Content, group: _Class, folder: Path, options: BatchOptions) -> Path:
    """One print file per class: roster order, every sheet on an odd page, a contents page first."""
    parts = [Part(pupil, label, path.read_bytes()) for pupil, label, path in group.parts]

    def contents(entries: list[Entry]) -> bytes:
        document = contents_document(content, entries)
        title = replace(document.meta, sheet=f"Class {group.name}")
        return render(replace(document, meta=title), "pdf", PrintSettings(options.paper))

    merged, _ = merge_for_duplex(parts, contents)
    path = folder / f"{safe_part(group.name, 'class')}_print.pdf"
    write_output(path, merged)
    return path


def _write_keys(
    content: Content, stem: str, jobs: list[Job], kinds: tuple[str, ...], options: BatchOptions
) -> list[Path]:
    """One key per kind, tier and variant in use, naming the pupils whose sheets it marks."""
    search = search_path(options.template_dirs)
    written = []
    for (tier, variant), pupils in _variants(jobs).items():
        names = ", ".join(f"{p.name} ({p.group})" if p.group else p.name for p in pupils)
        note = Paragraph((Run(f"Variant {variant}, for: ", bold=True), Run(names)), "instruction")
        for kind in kinds:
            document, _ = build_document(content, Sheet(kind, tier, is_key=True), f"{options.seed}/{variant}", search)
            document = Document(replace(document.meta, variant=variant), (note, *document.blocks))
            for fmt in ("pdf", "docx"):
                name = output_name(stem, kind, tier.value, True, fmt).replace("_key.", f"_variant-{variant}_key.")
                path = options.out / "keys" / name
                if write_output(path, render(document, fmt, PrintSettings(options.paper)), force=options.force):
                    written.append(path)
    return written


def _variants(jobs: list[Job]) -> dict[tuple[Tier, str], list[Pupil]]:
    groups: dict[tuple[Tier, str], list[Pupil]] = {}
    for job in jobs:
        groups.setdefault((job.pupil.tier, job.variant), []).append(job.pupil)
    return dict(sorted(groups.items(), key=lambda item: (list(Tier).index(item[0][0]), item[0][1])))
