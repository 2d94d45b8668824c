"""Class batches: a named sheet per pupil at their tier and needs, one print file per class.

Pupils of the same tier cycle through a few seeded variants (A, B, C), so neighbours get a
different word-bank order or card order; one key per variant names the pupils it is for. Keys
go into `keys/`, each named for the roster's classes (`keys/9X_...`), so the keys of one class
never replace another's.
Each variant is rendered once and a named copy stamped for each of its pupils. Work is spread
over the CPU cores; only file paths come back to the main process, and each class's print
file is merged from disk a sheet at a time, so memory stays flat however long the roster.
Every PDF of the batch shares its font subsets, so a print file embeds each face once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

from worksheetgen.document import Document, Paragraph, Run, Tier
from worksheetgen.errors import ContentError, Problem, WorksheetError
from worksheetgen.gate import Unfinished, UnfinishedError, as_draft, refused
from worksheetgen.key_names import key_prefix
from worksheetgen.layout import PrintSettings, Profile
from worksheetgen.loader import Loaded, load_content
from worksheetgen.output import distinct_names, output_folder, output_name, safe_part, set_name
from worksheetgen.pipeline import (
    Files,
    Report,
    Sheet,
    check_printable,
    check_printable_text,
    checked_document,
    contents_document,
    list_kinds,
    name_overlay,
    render,
    run_characters,
    template_for,
    warm_renderers,
    write_files,
    write_sheet,
)
from worksheetgen.render.ooxml import named_copies
from worksheetgen.render.printfile import Entry, Part, page_count, stamp_copies, write_print_file
from worksheetgen.roster import Pupil, check_roster
from worksheetgen.templating import load_template, search_path
from worksheetgen.wording import few
from worksheetgen.workers import (
    Queue,
    content_of,
    executor,
    remember_content,
    sharing_glyphs,
    stop_on_failure,
    worker_count,
)

DEFAULT_KINDS = ("gap-fill", "diamond-nine", "essay-planner")
VARIANTS = "ABC"  # enough that no pupil sits between two identical sheets
OWN_FOLDERS = ("keys",)  # folders the batch writes for itself, never a class's
KEY_NAMES = 60  # pupils a key names (10,000 pupils made pages of names on each key)
TASK_PUPILS = 30  # pupils named per rendered variant in one task: few renders, cores still evenly busy
ONE_PRINT_FILE_UP_TO = 40  # pupils; a bigger class gets its print file in parts ...
PRINT_PART = 30  # ... of this many pupils each: one pile for the photocopier


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
    draft: bool = False  # print unfinished sheets marked DRAFT (otherwise their kinds are left out)


@dataclass(frozen=True)
class Job:
    """One pupil's sheets: everything a worker needs, small enough to send to another process."""

    pupil: Pupil
    folder: str  # the class folder
    stem: str  # the pupil's safe file-name stem, distinct across the roster
    variant: str


@dataclass
class _PrintFile:
    """A class's print file (or one part of a big class's), waiting for its pupils' sheets."""

    path: str  # inside the set's folder: `9X/9X_print.pdf`, or `9X/9X_part-2_print.pdf`
    title: str  # `Class 9X`, `Class 9X, part 2 of 3`
    members: list[int]  # pupils, by their place in the roster
    waiting: int = field(default=0)  # sheets not yet written


def run_batch(
    roster_path: Path, content_path: Path, options: BatchOptions, progress: Callable[[Pupil], None] | None = None
) -> Report:
    """Validate everything first, then write every pupil's sheets, the class print files and the keys."""
    roster = check_roster(roster_path)
    loaded = load_content(content_path)
    content = loaded.content
    kinds = _check_kinds(options)
    jobs = plan_jobs(roster.pupils)
    for profile in dict.fromkeys(_profile(job, options) for job in jobs):
        check_printable(content, PrintSettings(options.paper, profile))
    problems = roster.problems + _name_problems(roster_path, jobs, options)  # every roster problem in one pass
    if problems:
        raise ContentError(sorted(problems, key=lambda problem: problem.line or 0))
    report = Report(warnings=[*roster.warnings, *_nameless_classes(roster_path, jobs)])
    remember_content(content_path, content)
    names = (text for job in jobs for text in (job.pupil.name, job.pupil.group))
    glyphs = run_characters(content, *names)
    workers = worker_count(len(jobs), options.workers)
    search = search_path(options.template_dirs)
    for sheet in (Sheet(kind, Tier.core, is_key) for kind in kinds for is_key in (False, True)):
        load_template(template_for(sheet, search), search)  # compiled here once, not in every worker
    if workers > 1:
        settings = {
            PrintSettings(options.paper),
            *(PrintSettings(options.paper, _profile(job, options)) for job in jobs),
        }
        warm_renderers(settings, content.language)
    # made once the preflight passes
    root = options.out / set_name(paper=options.paper, seed=options.seed, draft=options.draft)
    with executor(len(jobs), workers, glyphs) as pool, stop_on_failure(pool, root), sharing_glyphs(glyphs):
        built = _preflight(pool, content_path, jobs, kinds, options)
        report.kept_back = [(sheet, item) for (sheet, _, _), (_, unfinished) in built.items() for item in unfinished]
        kinds = _gate(loaded, kinds, report, options.draft)
        options = replace(options, out=_folders(jobs, options))
        tally = _Tally(jobs, kinds, report, progress)
        queue = Queue(pool, workers)
        for task in _variant_tasks(jobs, kinds, options):
            first = built.get((Sheet(task.kind, task.tier), task.variant, task.settings))
            queue.add(_variant_sheets, task, content_path, options, first)
        for key in _key_tasks(jobs, kinds, key_prefix(roster_path, jobs)):
            queue.add(
                _write_key,
                key,
                content_path,
                options,
                built.get((Sheet(key.kind, key.tier, True), key.variant, KEY_PRINT)),
            )
        printed: set[Path] = set()
        for done, result in queue.results():
            if done is _variant_sheets:
                for file in tally.written(result):  # its sheets are all written: merge it next
                    queue.add(_write_print_file, content_path, file, tally.parts(file), options, urgent=True)
            elif done is _write_key:
                _report(report, result)
            else:
                printed.add(result)
    report.written.extend(path for path in (options.out / file.path for file in tally.files) if path in printed)
    report.close_gate(loaded, options.draft)
    return report


@dataclass
class _Tally:
    """The sheets written so far: each pupil's progress is shown, and each print file merged,
    as soon as their sheets are all written."""

    jobs: list[Job]
    kinds: tuple[str, ...]
    report: Report
    progress: Callable[[Pupil], None] | None
    sheets: dict[tuple[int, str], _PupilSheet] = field(default_factory=dict)  # by (pupil's place, kind)

    def __post_init__(self) -> None:
        self.waiting = {index: len(self.kinds) for index in range(len(self.jobs))}  # sheets to come, per pupil
        self.files = _print_files(self.jobs, self.kinds)  # in roster order
        self.print_file_of = {index: file for file in self.files for index in file.members}

    def written(self, sheets: list[_PupilSheet]) -> list[_PrintFile]:
        """Count these sheets in; return the print files now complete."""
        complete = []
        for sheet in sheets:
            _report(self.report, sheet.files)
            self.sheets[sheet.index, sheet.kind] = sheet
            self.waiting[sheet.index] -= 1
            if self.progress and not self.waiting[sheet.index]:
                self.progress(self.jobs[sheet.index].pupil)
            file = self.print_file_of[sheet.index]
            file.waiting -= 1
            complete += [] if file.waiting else [file]
        return complete

    def parts(self, file: _PrintFile) -> list[Part]:
        """A print file's sheets in roster order, each pupil's in the order the kinds were asked for."""
        return [
            Part(
                self.jobs[index].pupil.name,
                sheet.label,
                sheet.built if sheet.built is not None else sheet.pdf,
                sheet.pages,
            )
            for index in file.members
            for sheet in (self.sheets[index, kind] for kind in self.kinds)
        ]


def _report(report: Report, files: Files) -> None:
    """Files written, and notes about files kept (a teacher's edited DOCX)."""
    report.written.extend(path for path, kept in files if not kept)
    report.warnings.extend(kept for _, kept in files if kept)


def _folders(jobs: list[Job], options: BatchOptions) -> Path:
    """The set's folder (named for the paper and seed when not the usual ones), checked and made
    with every class folder and the keys folder in it, before any worker writes there."""
    root = output_folder(options.out, set_name(paper=options.paper, seed=options.seed, draft=options.draft))
    for folder in (*dict.fromkeys(job.folder for job in jobs), *OWN_FOLDERS):
        output_folder(root, folder)
    return root


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


Built = tuple[Document, tuple[Unfinished, ...]]  # a sheet as built, not yet marked DRAFT; what it lacks
KEY_PRINT = PrintSettings()  # keys are built for A4 in the standard profile, and printed on the batch's paper


def _preflight(
    pool: Executor, content_path: Path, jobs: list[Job], kinds: tuple[str, ...], options: BatchOptions
) -> dict[tuple[Sheet, str, PrintSettings], Built]:
    """Build each kind and tier once, sheet and key, before writing anything (over the cores), so
    a template error stops the run clean; each is the first variant's sheet (as its first pupil's
    needs lay it out) and key, what keeps it from pupils found (gate.py), and the document kept
    for its variant's task, which need not build it again."""
    first: dict[Tier, Job] = {}  # each tier's first pupil, who gets its first variant
    for job in jobs:
        first.setdefault(job.pupil.tier, job)
    builds = [
        (Sheet(kind, tier, is_key), VARIANTS[0], KEY_PRINT if is_key else PrintSettings(options.paper, profile))
        for tier, profile in ((tier, _profile(job, options)) for tier, job in first.items())
        for kind in kinds
        for is_key in (False, True)
    ]
    futures = [pool.submit(_first_build, *build, content_path, options) for build in builds]
    return {build: future.result() for build, future in zip(builds, futures, strict=True)}


def _first_build(
    sheet: Sheet, variant: str, settings: PrintSettings, content_path: Path, options: BatchOptions
) -> Built:
    search = search_path(options.template_dirs)
    document, _, unfinished = checked_document(
        content_of(content_path), sheet, f"{options.seed}/{variant}", search, settings
    )
    return document, unfinished


def _checked(
    sheet: Sheet, variant: str, settings: PrintSettings, content_path: Path, options: BatchOptions, built: Built | None
) -> Document:
    """The variant's sheet as built in the preflight, else built now; marked DRAFT if unfinished with --draft."""
    if built is None:
        search = search_path(options.template_dirs)
        seed = f"{options.seed}/{variant}"
        return checked_document(content_of(content_path), sheet, seed, search, settings, options.draft)[0]
    document, unfinished = built
    return as_draft(document, unfinished) if unfinished and options.draft else document


def _gate(loaded: Loaded, kinds: tuple[str, ...], report: Report, draft: bool) -> tuple[str, ...]:
    """The kinds to print: all with --draft; otherwise those with nothing unfinished at any tier in
    use (every pupil gets the same kinds), or an error before anything is written if none is left."""
    if draft:
        return kinds
    unfinished = {sheet.kind for sheet, _ in report.kept_back}
    kept = tuple(kind for kind in kinds if kind not in unfinished)
    if not kept:
        raise UnfinishedError(refused(loaded, report.kept_back), len(unfinished), 0, "sheet kind")
    report.built, report.kinds_only = len(kept), True
    return kept


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


def _nameless_classes(roster_path: Path, jobs: list[Job]) -> list[str]:
    """A class called `..`, `.` or `???` has nothing a folder name can keep: say where its sheets went."""
    first: dict[str, Job] = {}
    for job in jobs:
        first.setdefault(job.pupil.group, job)
    return [
        f"{roster_path}:{job.pupil.line}: class {group!r} has no letter or number to name a folder with:"
        f" its sheets go in '{job.folder}/'"
        for group, job in first.items()
        if group and not safe_part(group, "")
    ]


def _unique_groups(pupils: list[Pupil]) -> tuple[list[str], list[str]]:
    """Class folders; a class called `keys` gets `keys-2`, apart from the batch's own `keys/`."""
    groups = list(dict.fromkeys(p.group for p in pupils))
    folders = distinct_names([*OWN_FOLDERS, *(g or "no-class" for g in groups)], fallback="class")
    return groups, folders[len(OWN_FOLDERS) :]


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
    tasks = [
        _VariantTask(*key, tuple(pupils[start : start + TASK_PUPILS]))
        for key, pupils in groups.items()
        for start in range(0, len(pupils), TASK_PUPILS)
    ]
    return sorted(tasks, key=lambda task: task.pupils[0][0])  # register order: print files fill up in turn


@dataclass(frozen=True)
class _PupilSheet:
    """One pupil's named copy of one sheet, as written."""

    index: int  # the pupil's place in the roster
    kind: str
    label: str  # what the class print file's contents page calls it
    files: Files  # PDF first
    pages: int
    built: bytes | None = None  # the named copy as built, when the PDF at its path was kept (not ours)

    @property
    def pdf(self) -> Path:
        return self.files[0][0]


def _variant_sheets(
    task: _VariantTask, content_path: Path, options: BatchOptions, built: Built | None = None
) -> list[_PupilSheet]:
    """Render the variant once (PDF without a name line, DOCX with a blank one), then write a
    named copy for each of its pupils: stamping a name costs a fraction of rendering."""
    document = _checked(Sheet(task.kind, task.tier), task.variant, task.settings, content_path, options, built)
    meta = replace(document.meta, variant=task.variant)
    pdf = render(replace(document, meta=replace(meta, name_later=True)), "pdf", task.settings)
    word = render(replace(document, meta=meta), "docx", task.settings)
    pages = page_count(pdf)
    named = [replace(meta, pupil=job.pupil.name, group=job.pupil.group) for _, job in task.pupils]
    copies = stamp_copies(pdf, name_overlay(named, task.settings, pages))
    words = named_copies(word, meta.header_label, (pupil.header_label for pupil in named))
    files = []
    for (_, job), copy, docx in zip(task.pupils, copies, words, strict=True):
        folder, name = options.out / job.folder, f"{job.stem}_{task.kind}"
        files += [(folder / f"{name}.pdf", copy), (folder / f"{name}.docx", docx)]
    written = write_files(files, options.force, pdf_rebuilt=True, print_file=True)  # flushed to disk together
    # The class print file merges each PDF we wrote; a kept one (not ours) never: our copy goes instead.
    return [
        _PupilSheet(
            index,
            task.kind,
            f"{pupil.sheet} {task.tier.marker} {task.tier.value}",
            written[2 * at : 2 * at + 2],
            pages,
            files[2 * at][1] if written[2 * at][1] else None,
        )
        for at, ((index, _), pupil) in enumerate(zip(task.pupils, named, strict=True))
    ]


def _print_files(jobs: list[Job], kinds: tuple[str, ...]) -> list[_PrintFile]:
    """One print file per class; a class too big for one is split into parts, in roster order."""
    members: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        members.setdefault(job.folder, []).append(index)
    files = []
    for folder, pupils in members.items():
        name = jobs[pupils[0]].pupil.group or "No class"
        stem = f"{folder}/{safe_part(name, 'class')}"
        size = len(pupils) if len(pupils) <= ONE_PRINT_FILE_UP_TO else PRINT_PART
        parts = [pupils[start : start + size] for start in range(0, len(pupils), size)]
        for number, part in enumerate(parts, 1):
            if len(parts) == 1:
                files.append(_PrintFile(f"{stem}_print.pdf", f"Class {name}", part, len(part) * len(kinds)))
            else:
                title = f"Class {name}, part {number} of {len(parts)}"
                files.append(_PrintFile(f"{stem}_part-{number}_print.pdf", title, part, len(part) * len(kinds)))
    return files


def _write_print_file(content_path: Path, file: _PrintFile, parts: list[Part], options: BatchOptions) -> Path:
    """Roster order, every sheet on an odd page, a contents page first (merged in a worker)."""

    def contents(entries: list[Entry]) -> bytes:
        document = contents_document(content_of(content_path), entries, search_path(options.template_dirs), pupils=True)
        title = replace(document.meta, sheet=file.title)
        return render(replace(document, meta=title), "pdf", PrintSettings(options.paper))

    path = options.out / file.path
    write_print_file(path, parts, contents)
    return path


@dataclass(frozen=True)
class _KeyTask:
    kind: str
    tier: Tier
    variant: str
    pupils: str  # who the variant's sheets went to
    prefix: str  # the roster's classes, starting the key's file name: `9X`, `9X-9Y`


def _key_tasks(jobs: list[Job], kinds: tuple[str, ...], prefix: str) -> list[_KeyTask]:
    tasks: list[_KeyTask] = []
    for (tier, variant), pupils in _variants(jobs).items():
        every = [f"{p.name} ({p.group})" if p.group else p.name for p in pupils]
        names = few(every, KEY_NAMES, then=" (each sheet names its variant)")
        tasks.extend(_KeyTask(kind, tier, variant, names, prefix) for kind in kinds)
    return tasks


def _write_key(task: _KeyTask, content_path: Path, options: BatchOptions, built: Built | None = None) -> Files:
    """One key per kind, tier and variant in use, naming the pupils whose sheets it marks."""
    document = _checked(Sheet(task.kind, task.tier, is_key=True), task.variant, KEY_PRINT, content_path, options, built)
    note = Paragraph((Run(f"Variant {task.variant}, for: ", bold=True), Run(task.pupils)), "instruction")
    document = Document(replace(document.meta, variant=task.variant), (note, *document.blocks))

    def path_for(fmt: str) -> Path:
        name = output_name(content_path.stem, task.kind, task.tier.value, True, fmt)
        return options.out / "keys" / f"{task.prefix}_{name.replace('_key.', f'_variant-{task.variant}_key.')}"

    return write_sheet(document, ("pdf", "docx"), path_for, PrintSettings(options.paper), options.force).files


def _variants(jobs: list[Job]) -> dict[tuple[Tier, str], list[Pupil]]:
    groups: dict[tuple[Tier, str], list[Pupil]] = {}
    for job in jobs:
        groups.setdefault((job.pupil.tier, job.variant), []).append(job.pupil)
    return dict(sorted(groups.items(), key=lambda item: (list(Tier).index(item[0][0]), item[0][1])))
