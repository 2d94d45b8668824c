"""The whole build, top to bottom: load content, build a Document per sheet, render, write.

Everything the command line does is callable from here.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from worksheetgen import workers
from worksheetgen.document import OWN_PAGE_LIMIT, Block, Document, Meta, Paragraph, Run, Tier, iter_text
from worksheetgen.errors import TemplateError, WorksheetError
from worksheetgen.gate import Unfinished, UnfinishedError, as_draft, check_sheet, refused
from worksheetgen.layout import DEFAULT_PRINT, PrintSettings, Profile, layout_for
from worksheetgen.loader import Loaded, load_content
from worksheetgen.markup import parse_sheet
from worksheetgen.model import Content
from worksheetgen.output import kept_note, output_folder, output_name, safe_part, set_name, write_outputs
from worksheetgen.render.formats import FORMATS as REGISTRY
from worksheetgen.render.formats import NAMES
from worksheetgen.render.printfile import Entry, Part, PrintFile, page_count
from worksheetgen.resources import builtin_templates, shipped_topics
from worksheetgen.templating import available_kinds, load_template, render_template, search_path
from worksheetgen.yamltree import strings

FORMATS = NAMES
PAPERS = ("a4", "letter")
DEFAULT_TOPIC = "stalins-purges"


@dataclass(frozen=True)
class Options:
    """What to build; empty tuples mean 'all'."""

    kinds: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = ()
    formats: tuple[str, ...] = ()
    paper: str = "a4"
    profile: Profile = Profile.standard
    cream: bool = False
    key: bool = True
    force: bool = False
    seed: int = 0
    out: Path = Path("output")
    template_dirs: tuple[Path, ...] = ()
    draft: bool = False  # print sheets with placeholders or too little to do, marked DRAFT

    @property
    def print_settings(self) -> PrintSettings:
        return PrintSettings(self.paper, self.profile, self.cream)


@dataclass(frozen=True)
class Sheet:
    """One sheet to build: which kind, tier, and whether it is the teacher's key."""

    kind: str
    tier: Tier
    is_key: bool = False


@dataclass
class Report:
    """What a build wrote and what it wants the teacher to know."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built: int = 0  # sheets written
    kept_back: list[tuple[Sheet, Unfinished]] = field(default_factory=list)  # what each unfinished sheet lacks
    refused: UnfinishedError | None = None  # the sheets kept back, each reason at its FILE:LINE
    kinds_only: bool = False  # a batch keeps back whole kinds (every pupil gets the same kinds)

    def close_gate(self, loaded: Loaded, draft: bool) -> None:
        """Say what was kept back (an error, raised once the rest is written) or printed as DRAFT."""
        if not self.kept_back:
            return
        if draft:
            self.warnings.extend(f"printed as DRAFT: {problem}" for problem in refused(loaded, self.kept_back, "on"))
            return
        problems = refused(loaded, self.kept_back)
        if self.kinds_only:
            kinds = len({sheet.kind for sheet, _ in self.kept_back})
            self.refused = UnfinishedError(problems, kinds, self.built, "sheet kind")
        else:
            self.refused = UnfinishedError(problems, len({sheet for sheet, _ in self.kept_back}), self.built)


def resolve_content(name: str | None) -> Path:
    """A path to a YAML file, or the name of a shipped topic; default the shipped one. A name given
    that is both a path and a shipped topic is the path (`build my.yaml`); no name given is always
    the shipped default, whatever is in the working folder (a folder named `stalins-purges` in it
    was read as the content)."""
    if name is None:
        return shipped_topics()[DEFAULT_TOPIC]
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    topics = shipped_topics()
    by_case = {topic.casefold(): path for topic, path in topics.items()}
    if name.casefold() in by_case:  # `Stalins-Purges` is the shipped `stalins-purges`
        return by_case[name.casefold()]
    close = difflib.get_close_matches(name.casefold(), list(by_case), n=1, cutoff=0.6)
    choices = f"give a .yaml file or one of: {', '.join(topics)}"
    hint = f"; did you mean {close[0]!r}? Or {choices}" if close else f": {choices}"
    raise WorksheetError(f"content {name!r} not found{hint}")


def generate(content_path: Path, options: Options, progress: Callable[[Path], None] | None = None) -> Report:
    """Load, build, render and write every requested sheet; returns what was written."""
    loaded = load_content(content_path)
    report = Report(warnings=[str(w) for w in loaded.warnings])
    _write_sheets(content_path, loaded.content, options, report, progress)
    report.close_gate(loaded, options.draft)
    return report


def pack(content_path: Path, options: Options, progress: Callable[[Path], None] | None = None) -> Report:
    """Every kind x tier x format plus keys, and one merged print PDF with a contents page.

    Every PDF of the pack shares its font subsets, so the print file embeds each face once."""
    loaded = load_content(content_path)
    report = Report(warnings=[str(w) for w in loaded.warnings])
    formats = tuple(dict.fromkeys((*(options.formats or FORMATS), "pdf")))
    glyphs = run_characters(loaded.content)
    with workers.sharing_glyphs(glyphs), PrintFile() as print_file:
        keys: list[Sheet] = []

        def place(sheet: Sheet, done: _Sheet) -> None:
            """Copy each PDF into the print file as soon as it is written: pupil sheets, then keys."""
            merged = done.written.for_print
            if merged is not None:
                print_file.add(Part(done.title, _tier_label(sheet), merged, done.written.pages))
                keys.extend([sheet] if sheet.is_key else [])

        def contents(entries: list[Entry]) -> bytes:
            document = contents_document(loaded.content, entries, search_path(options.template_dirs), keys=bool(keys))
            return render(document, "pdf", options.print_settings)

        _write_sheets(content_path, loaded.content, replace(options, formats=formats), report, progress, glyphs, place)
        path = set_folder(options) / f"{safe_part(content_path.stem)}_print.pdf"
        if print_file.parts:  # not when every sheet was kept back
            print_file.save(path, contents)
            report.written.append(path)
    report.close_gate(loaded, options.draft)
    return report


def set_folder(options: Options) -> Path:
    """Where this set of sheets goes: the output folder, or a subfolder naming what differs
    from the usual set (draft, profile, cream, paper, seed), so one set never replaces another."""
    name = set_name(
        profile=options.profile, paper=options.paper, cream=options.cream, seed=options.seed, draft=options.draft
    )
    return output_folder(options.out, name)


Files = tuple[tuple[Path, str], ...]  # (file, note if the teacher's edited file was kept)


@dataclass(frozen=True)
class Written:
    """One sheet as written: its files, and its PDF and page count when there is one."""

    files: Files = ()
    pdf: Path | None = None
    pages: int = 0
    built: bytes | None = None  # the PDF as built, when the file at `pdf` was kept (not ours)

    @property
    def for_print(self) -> bytes | Path | None:
        """What a print file merges: the sheet as built, never a kept file we did not write (a
        teacher's export, a locked PDF, one crafted to take minutes to copy)."""
        return self.built if self.built is not None else self.pdf


def write_files(files: Iterable[tuple[Path, bytes]], force: bool, pdf_rebuilt: bool, print_file: bool = False) -> Files:
    """Write each file, keeping a Word file the teacher has edited (or a PDF that is not as we
    wrote it) unless `force`: the one
    place a sheet reaches the disk, for build, pack and batch alike. The files are flushed
    to disk together (`output.write_all_atomic`). `print_file`: the sheets go into a print file
    too (pack, batch), which a kept PDF's note mentions."""
    files = list(files)
    wrote = write_outputs(files, force=force)
    kept = {path for (path, _), done in zip(files, wrote, strict=True) if not done}
    return tuple(
        (
            path,
            ""
            if path not in kept
            else kept_note(path, pdf_rebuilt and path.with_suffix(".pdf") not in kept, print_file),
        )
        for path, _ in files
    )


def write_sheet(
    document: Document,
    formats: Sequence[str],
    path_for: Callable[[str], Path],
    settings: PrintSettings,
    force: bool,
    print_file: bool = False,
) -> Written:
    """Render a Document in each format, in order, and write it where `path_for(format)` says."""
    rendered = [(path_for(fmt), render(document, fmt, settings)) for fmt in formats]
    files = write_files(rendered, force, pdf_rebuilt="pdf" in formats, print_file=print_file)
    pdf = next(((path, data) for (path, data), fmt in zip(rendered, formats, strict=True) if fmt == "pdf"), None)
    if pdf is None:
        return Written(files)
    kept = any(note for path, note in files if path == pdf[0])
    return Written(files, pdf[0], page_count(pdf[1]), pdf[1] if kept else None)


@dataclass(frozen=True)
class _Sheet:
    """One sheet of a build: its title and notes for the teacher, its files if it was written,
    and why it was kept back (or printed as a draft)."""

    title: str
    notes: tuple[str, ...]
    written: Written
    unfinished: tuple[Unfinished, ...] = ()


def _write_sheets(
    content_path: Path,
    content: Content,
    options: Options,
    report: Report,
    progress: Callable[[Path], None] | None,
    glyphs: str = "",
    written_now: Callable[[Sheet, _Sheet], None] | None = None,
) -> None:
    """Build and write each planned sheet over the CPU cores, pupil sheets before keys; tell
    `written_now` about each sheet in that order, as soon as it and those before it are written."""
    search = search_path(options.template_dirs)
    if "pdf" in (options.formats or FORMATS):
        check_printable(content, options.print_settings)
    sheets = sorted(plan_sheets(options, search), key=lambda sheet: sheet.is_key)
    for sheet in sheets:  # a broken template stops the run before the first file, not after 96
        load_template(template_for(sheet, search), search)
    folder = set_folder(options)
    workers.remember_content(content_path, content)
    if "docx" in (options.formats or FORMATS) and workers.worker_count(len(sheets)) > 1:
        warm_renderers([options.print_settings], content.language)
    with workers.executor(len(sheets), glyphs=glyphs) as pool, workers.stop_on_failure(pool, folder):
        printed = written_now is not None  # (pack) the sheets go into a print file too
        futures = [pool.submit(_write_sheet, content_path, sheet, folder, options, printed) for sheet in sheets]
        for sheet, future in zip(sheets, futures, strict=True):
            done = future.result()
            report.kept_back.extend((sheet, item) for item in done.unfinished)
            report.built += bool(done.written.files)
            for note in done.notes if done.written.files else ():  # a sheet kept back gets no notes: it is not built
                # a pupil copy and its key are built from the same choices: say it once
                message = f"{sheet.kind} ({sheet.tier.value}): {note}"
                if message not in report.warnings:
                    report.warnings.append(message)
            for path, kept in done.written.files:
                report.warnings.extend([kept] if kept else [])
                report.written.extend([] if kept else [path])
                if progress:
                    progress(path)
            if written_now:
                written_now(sheet, done)


def _write_sheet(content_path: Path, sheet: Sheet, folder: Path, options: Options, printed: bool = False) -> _Sheet:
    """One sheet in every format asked for (in a worker process), unless the gate keeps it back."""
    search = search_path(options.template_dirs)
    content = workers.content_of(content_path)
    document, notes, unfinished = checked_document(
        content, sheet, options.seed, search, options.print_settings, options.draft
    )
    if unfinished and not options.draft:
        return _Sheet(document.meta.sheet, tuple(notes), Written(), unfinished)

    def path_for(fmt: str) -> Path:
        return folder / output_name(content_path.stem, sheet.kind, sheet.tier.value, sheet.is_key, fmt)

    written = write_sheet(
        document, options.formats or FORMATS, path_for, options.print_settings, options.force, print_file=printed
    )
    return _Sheet(document.meta.sheet, tuple(notes), written, unfinished)


FURNITURE = "●◆▲·→⇅…–—‘’“”•✓☐✂"  # printed by our own code and templates: markers, arrows, quotes


def run_characters(content: Content, *more: str) -> str:
    """Every character beyond ASCII that a run's sheets may print (the content, the built-in
    templates, our own furniture, and `more`, such as pupils' names): what their font subsets
    share. Your own templates are not read for this: a character only they print goes into a
    subset of its sheet's own."""
    templates = (path.read_text("utf-8") for path in builtin_templates().glob("*.j2"))
    texts = chain(strings(content.model_dump()), templates, more, [FURNITURE])
    return "".join(sorted({char for text in texts for char in text if ord(char) > 127}))


def contents_document(
    content: Content, entries: list[Entry], search: tuple[Path, ...] = (), *, keys: bool = False, pupils: bool = False
) -> Document:
    """The pack's first page: which sheet is where, for the photocopier (`_contents.j2`, which a
    teacher's template folder may override). `keys`: the file holds answer keys after the pupil
    sheets; `pupils`: a class's print file, its rows a pupil's name and their sheet and tier."""
    search = search or search_path()
    rows = [{"label": e.label, "detail": e.detail, "pages": _pages(e)} for e in entries]
    cards = any(e.cards for e in entries)
    context = {"content": content, "entries": rows, "cards": cards, "keys": keys, "pupils": pupils}
    title, blocks = parse_sheet(render_template("_contents.j2", search, context), layout_for(Tier.core).frame_width)
    meta = Meta(
        content.title,
        content.key_question,
        title or "Lesson pack",
        Tier.core,
        credit=content.credit or "",
        subject=content.subject,
        language=content.language,
        plain=True,
        page_limit=OWN_PAGE_LIMIT if own_templates("_contents.j2", search) else Meta.page_limit,
    )
    return Document(meta, (*blocks, *credit_note(meta)))


def own_templates(template: str, search: tuple[Path, ...]) -> bool:
    """Whether a sheet may come from a teacher's template folder: it holds the template, or a partial
    (`_*.j2`) that the built-in templates include. Such a sheet is laid out to OWN_PAGE_LIMIT pages."""
    return any((folder / template).is_file() or any(folder.glob("_*.j2")) for folder in search[:-1])


def _tier_label(sheet: Sheet) -> str:
    return f"{sheet.tier.marker} {sheet.tier.value}" + (", answer key" if sheet.is_key else "")


def _pages(entry: Entry) -> str:
    pages = str(entry.first) if entry.first == entry.last else f"{entry.first}-{entry.last}"
    return f"{pages} (cards {entry.cards})" if entry.cards else pages


def plan_sheets(options: Options, search: tuple[Path, ...]) -> Iterator[Sheet]:
    """Every kind x tier (x key) the options ask for, in a stable order."""
    kinds = options.kinds or tuple(available_kinds(search))
    known = available_kinds(search)
    for kind in kinds:
        if kind not in known:
            raise WorksheetError(f"unknown sheet kind {kind!r}; available: {', '.join(known)}")
    for kind in kinds:
        for tier in options.tiers or tuple(Tier):
            yield Sheet(kind, tier)
            if options.key:
                yield Sheet(kind, tier, is_key=True)


def build_document(
    content: Content,
    sheet: Sheet,
    seed: int | str,
    search: tuple[Path, ...],
    settings: PrintSettings = DEFAULT_PRINT,
) -> tuple[Document, list[str]]:
    """Content + kind + tier -> a format-neutral Document (and notes for the teacher)."""
    document, notes, _ = build_sheet(content, sheet, seed, search, settings)
    return document, notes


def checked_document(
    content: Content,
    sheet: Sheet,
    seed: int | str,
    search: tuple[Path, ...],
    settings: PrintSettings = DEFAULT_PRINT,
    draft: bool = False,
) -> tuple[Document, list[str], tuple[Unfinished, ...]]:
    """`build_document`, then the gate (worksheetgen/gate.py): what keeps the sheet from pupils.
    With `draft` an unfinished sheet comes back marked DRAFT on every page."""
    document, notes, prepared = build_sheet(content, sheet, seed, search, settings)
    unfinished = check_sheet(sheet.kind, document, prepared, content)
    return (as_draft(document, unfinished) if unfinished and draft else document), notes, unfinished


MAX_WORD = 1000  # characters in one unbroken word: a 300-character URL wraps; 200,000 took reportlab minutes


def _check_word_lengths(template: str, blocks: tuple[Block, ...]) -> None:
    """Refuse a word no page can hold before a renderer spends minutes breaking it up."""
    for text in iter_text(blocks):
        for word in text.split():
            if len(word) > MAX_WORD:
                raise TemplateError(
                    f"template {template}: a word of {len(word):,} characters (it starts {word[:20]!r}) is too long"
                    f" to print (at most {MAX_WORD:,}); break it up with spaces"
                )


def build_sheet(
    content: Content,
    sheet: Sheet,
    seed: int | str,
    search: tuple[Path, ...],
    settings: PrintSettings = DEFAULT_PRINT,
) -> tuple[Document, list[str], Any]:
    """The Document, the notes, and what the kind prepared for its template (for the gate)."""
    from worksheetgen.kinds import PREPARERS  # here: `list` needs no kind modules

    rng = random.Random(f"{seed}/{sheet.kind}/{sheet.tier.value}")
    prepare = PREPARERS.get(sheet.kind)
    prepared = prepare(content, sheet.tier, rng) if prepare else None
    template = template_for(sheet, search)
    layout = layout_for(sheet.tier, settings)
    context: dict[str, Any] = {
        "content": content,
        "tier": sheet.tier.value,
        "sheet": prepared,
        "is_key": sheet.is_key,
        "layout": layout,  # lets a template adapt to large print or Letter
        "profile": settings.profile.value,
    }
    title, blocks = parse_sheet(render_template(template, search, context), layout.frame_width)
    _check_word_lengths(template, blocks)
    meta = Meta(
        topic=content.title,
        key_question=content.key_question,
        sheet=title or sheet.kind.replace("-", " ").capitalize(),
        tier=sheet.tier,
        is_key=sheet.is_key,
        credit=content.credit or "",
        subject=content.subject,
        language=content.language,
    )
    if own_templates(template, search):
        meta = replace(meta, page_limit=OWN_PAGE_LIMIT)
    notes = list(prepared.notes if prepared else ())
    if sheet.is_key:
        blocks = (*blocks, *credit_note(meta))
    return Document(meta, blocks), notes, prepared


def credit_note(meta: Meta) -> tuple[Block, ...]:
    """The full source credit, for the key and the contents page (a pupil sheet's footer may
    carry only a short form of it, to stay on one line)."""
    if not meta.credit.strip():
        return ()
    return (Paragraph((Run("Source: ", True), Run(" ".join(meta.credit.split()))), "small"),)


def template_for(sheet: Sheet, search: tuple[Path, ...]) -> str:
    """`<kind>.key.j2` for a key if there is one; else `<kind>.j2`, which sees `is_key`."""
    key_template = f"{sheet.kind}.key.j2"
    if sheet.is_key and any((folder / key_template).is_file() for folder in search):
        return key_template
    return f"{sheet.kind}.j2"


def render(document: Document, fmt: str, settings: PrintSettings = DEFAULT_PRINT) -> bytes:
    """Render with the format's renderer (render/formats.py)."""
    if fmt not in REGISTRY:
        raise WorksheetError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return REGISTRY[fmt].render(document, settings)


def warm_renderers(settings: Iterable[PrintSettings], language: str) -> None:
    """Load the DOCX renderer and make its package shells for these settings, in this process:
    worker processes forked from it afterwards share them, instead of each making its own."""
    from worksheetgen.render.docx import warm_up

    warm_up(settings, language)


def check_printable(content: Content, settings: PrintSettings) -> None:
    """Refuse characters the PDF fonts lack before writing anything (never black boxes)."""
    check_printable_text(strings(content.model_dump()), settings)


def check_printable_text(texts: Iterable[str], settings: PrintSettings) -> None:
    """The same check for text from elsewhere (a roster's names)."""
    from worksheetgen.render.pdf import check_printable as check

    check(texts, settings)


def name_overlay(metas: Sequence[Meta], settings: PrintSettings, pages: int) -> bytes:
    """PDF pages holding only a name line, `pages` per pupil, to stamp onto a sheet rendered
    with `name_later`."""
    from worksheetgen.render.pdf import render_name_overlay

    return render_name_overlay(metas, settings, pages)


def list_kinds(template_dirs: Sequence[Path] = ()) -> list[str]:
    return available_kinds(search_path(template_dirs))
