"""Work spread over the CPU cores, in worker processes that never outlive their run.

A run killed outright (`kill -9`: no signal handler runs) cannot stop its workers, so each
worker watches for itself: when its parent process is gone it exits at once, instead of
rendering on for nobody. Small runs work in the calling process: starting workers would cost
more than it saves.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from worksheetgen.model import Content

T = TypeVar("T")
WATCH_EVERY = 0.2  # seconds between a worker's looks at its parent


def worker_count(tasks: int, workers: int | None = None) -> int:
    """One worker per core (or as asked), at most one per task."""
    return max(1, min(workers or os.cpu_count() or 1, tasks))


def executor(tasks: int, workers: int | None = None, glyphs: str = "") -> Executor:
    """A pool of `worker_count` workers, or this process when that is one.

    `glyphs` are the characters every PDF of the run shares (see `render.subsets`)."""
    count = worker_count(tasks, workers)
    if count == 1:
        return Inline()
    return Pool(count, initializer=_start_worker, initargs=(os.getpid(), glyphs))


class Pool(ProcessPoolExecutor):
    """Worker processes forked from this one, with what this process holds by then (modules,
    content, fonts, templates) out of reach of their garbage collector: a collection in a worker
    would otherwise go through all of it, and in doing so write to (and so copy) memory the
    worker shares with this process. The workers are forked at the first task."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if getattr(self, "_processes", None):
            return super().submit(fn, *args, **kwargs)
        gc.freeze()
        try:
            return super().submit(fn, *args, **kwargs)
        finally:
            gc.unfreeze()  # this process collects as before


class Queue:
    """Hands work to a pool a few tasks at a time, urgent work first: work that becomes ready
    late (a class's print file, once its last sheet is written) goes ahead of work queued long
    before, instead of waiting behind it while a core has nothing else to do."""

    def __init__(self, pool: Executor, workers: int) -> None:
        self.pool = pool
        self.slots = workers + 1  # one waiting, so a worker that finishes starts again at once
        self.waiting: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self.running: dict[Future[Any], Callable[..., Any]] = {}

    def add(self, fn: Callable[..., Any], *args: Any, urgent: bool = False) -> None:
        (self.waiting.appendleft if urgent else self.waiting.append)((fn, args))

    def results(self) -> Iterator[tuple[Callable[..., Any], Any]]:
        """Each task's function and result as it finishes, until no work is left (work added
        meanwhile included)."""
        while self.waiting or self.running:
            while self.waiting and len(self.running) < self.slots:
                fn, args = self.waiting.popleft()
                self.running[self.pool.submit(fn, *args)] = fn
            done, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in done:
                yield self.running.pop(future), future.result()


class Inline(Executor):
    """Runs tasks at once in this process."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


_CONTENT: dict[Path, Content] = {}


def remember_content(path: Path, content: Content) -> None:
    """Keep the run's loaded content, so workers started from this process need not load it again."""
    _CONTENT[path] = content


def forget_content(path: Path) -> None:
    """Drop a run's content once it is done with (a server's runs each have their own file)."""
    _CONTENT.pop(path, None)


def content_of(path: Path) -> Content:
    """The content file, loaded at most once per process."""
    if path not in _CONTENT:
        from worksheetgen.loader import load_content

        _CONTENT[path] = load_content(path).content
    return _CONTENT[path]


@contextmanager
def sharing_glyphs(glyphs: str) -> Iterator[None]:
    """PDFs rendered in this process during the block share font subsets for `glyphs`."""
    from worksheetgen.render.subsets import share_glyphs

    share_glyphs(glyphs)
    try:
        yield
    finally:
        share_glyphs("")


@contextmanager
def stop_on_failure(pool: Executor, out: Path) -> Iterator[None]:
    """When a sheet fails, or on Ctrl+C or a kill signal, stop at once: work not yet started is
    dropped and workers still rendering are killed, since the run has failed and nobody waits
    for their sheets; what they were writing under `out` is removed (every write is atomic,
    so no half-written sheet was ever in place)."""
    try:
        yield
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()  # SIGKILL: no traceback from a worker stopped mid-sheet
        pool.shutdown(wait=True, cancel_futures=True)
        from worksheetgen.output import remove_stale_temporaries

        for folder in (out, *(p for p in out.glob("*") if p.is_dir())):
            remove_stale_temporaries(folder)
        raise


def _start_worker(parent: int, glyphs: str) -> None:
    threading.Thread(target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True).start()
    from worksheetgen.render.subsets import share_glyphs

    share_glyphs(glyphs)


def _exit_with_parent(parent: int) -> None:
    """When the parent dies this process is adopted by another, so its parent id changes."""
    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    os._exit(1)
