"""The hand-finishing an import leaves, and how long it takes, over the notes corpus (tests/data/corpus/).

    python bench/bench_import.py                    # this checkout's importer
    python bench/bench_import.py --importer DIR     # another checkout's (e.g. an older one, for before/after)

For each notes file: the `TODO:` values the draft leaves to write, the sheet kinds it has too
little for (`short`: the gate keeps them back until more is written; see worksheetgen/gate.py,
"-" for an importer from before the gate), the share of the hand-written
outline it got right (events, defined terms; see tests/corpus.py), and the import time (best of
3, in this process, so imports of the parsing libraries are not counted). An importer that fails
on a file (an old one given a .docx) is reported as such.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load(importer: Path | None) -> Any:
    """`worksheetgen.importer` from the given checkout (first on the path), or this one."""
    sys.path.insert(0, str(importer or ROOT))
    module = importlib.import_module("worksheetgen.importer")
    print(f"importer: {Path(module.__file__ or '').parent}")
    return module


def draft(module: Any, notes: Path) -> tuple[str, float]:
    """The draft YAML and the best of three import times."""
    times = []
    text = ""
    for _ in range(3):
        start = time.perf_counter()
        result = module.import_file(notes)
        times.append(time.perf_counter() - start)
        text = result.yaml if hasattr(result, "yaml") else result[0]  # older importers returned (yaml, warnings)
    return text, min(times)


def kinds_short(content: Any, notes: Path) -> int | None:
    """How many sheet kinds the draft cannot fill yet (None: this checkout has no gate)."""
    try:
        from worksheetgen.gate import review
        from worksheetgen.loader import Loaded
        from worksheetgen.pipeline import list_kinds
    except ImportError:
        return None
    problems = review(Loaded(content, notes, []), list_kinds())
    return len({p.message.split(" needs ")[0] for p in problems if " needs at least " in p.message})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--importer", type=Path, help="a checkout whose importer to measure")
    module = load(parser.parse_args().importer)
    sys.path.insert(0, str(ROOT))
    import yaml

    from tests.corpus import Score, corpus_files, outline, score
    from worksheetgen.model import Content

    total, todos, seconds, shorts = Score(), 0, 0.0, 0
    print(f"{'notes':36} {'TODO':>5} {'short':>5} {'events':>7} {'terms':>6} {'wrong':>6} {'time':>8}")
    for notes in corpus_files():
        try:
            text, took = draft(module, notes)
            content = Content.model_validate(yaml.safe_load(text))
        except Exception as error:  # noqa: BLE001 - an old importer may fail on a format it never read
            print(f"{notes.name:36} failed: {type(error).__name__}: {str(error)[:60]}")
            continue
        result = score(content, outline(notes), notes.name)
        count = text.count('"TODO:')
        short = kinds_short(content, notes)
        total, todos, seconds = total + result, todos + count, seconds + took
        shorts += short if short is not None else 0
        print(
            f"{notes.name:36} {count:5d} {'-' if short is None else short:>5}"
            f" {result.events_found:3d}/{result.events:<3d}"
            f" {result.terms_found:2d}/{result.terms:<3d} {result.wrong:2d}/{result.proposed:<3d} {took * 1000:6.0f} ms"
        )
    events, terms, wrong = total.shares()
    print(
        f"\n{total.files} files: {todos} TODO values ({todos / max(total.files, 1):.1f} a file), "
        f"{shorts} sheet kinds short of content, "
        f"events {events:.0%}, defined terms {terms:.0%}, wrong {wrong:.0%} of {total.proposed}, "
        f"import {seconds / max(total.files, 1) * 1000:.0f} ms a file"
    )


if __name__ == "__main__":
    main()
