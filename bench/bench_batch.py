"""Benchmark the class batch against the targets in issue 4, in one run.

    python bench/bench_batch.py            # all measurements, a table at the end

1. a 30-pupil roster x 3 kinds (gap-fill, diamond-nine, essay-planner), PDF + DOCX + print file;
2. per sheet, our PDF + DOCX against LibreOffice converting the same DOCX to PDF (one
   `soffice` call per sheet, as a teacher exporting from a word processor would): for one
   sheet on its own (build, PDF and DOCX, one core) and per pupil sheet in a class batch;
3. 300 pupils against 30: time ratio and peak memory ratio (main process plus workers);
4. `worksheetgen --help` start-up time.

Each batch runs the CLI (`worksheetgen batch`) in a fresh process, as a teacher would run it,
timed from before Python imports anything of ours.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = "Ann Ben Chloe Dev Ella Femi Grace Harry Isla Jack Kai Lily Mo Nia Olly Priya Quinn Rosa Sam Tom".split()
TIERS = ("support", "core", "core", "challenge")
MEASURE = """
import time
start = time.perf_counter()
import json, resource, sys
from worksheetgen.cli import app
try:
    app(["batch", sys.argv[1], "--out", sys.argv[2]])
except SystemExit as exit:
    if exit.code:
        raise
wall = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": own + workers}))
"""


def write_roster(path: Path, pupils: int, per_class: int = 30) -> None:
    """A realistic roster: classes of 30, mixed tiers, some dyslexia and large-print needs."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "class", "tier", "needs"])
        for i in range(pupils):
            needs = "dyslexia" if i % 9 == 4 else ("large-print" if i % 29 == 11 else "")
            name = f"{FIRST[i % len(FIRST)]} Pupil{i:03d}"
            writer.writerow([name, f"10{chr(65 + i // per_class)}", TIERS[i % len(TIERS)], needs])


def run_batch(pupils: int, work: Path) -> dict[str, float]:
    roster = work / f"roster-{pupils}.csv"
    write_roster(roster, pupils)
    out = work / f"out-{pupils}"
    result = subprocess.run([sys.executable, "-c", MEASURE, str(roster), str(out)], capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stderr)
    measured: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    measured["sheets"] = sum(1 for p in out.rglob("*.pdf") if p.parent.name != "keys" and "_print" not in p.name)
    return measured


def per_sheet_against_libreoffice(work: Path) -> tuple[float, float] | None:
    """Median seconds for our PDF + DOCX of one sheet, and for LibreOffice converting that DOCX.

    Ours: build, PDF and DOCX of each of the 9 sheets, best of 3 (the machine's noise
    filtered out), then the median sheet. LibreOffice: one `soffice` call per sheet."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    from worksheetgen.document import Tier
    from worksheetgen.loader import load_content
    from worksheetgen.pipeline import Sheet, build_document, render, resolve_content
    from worksheetgen.templating import search_path

    content = load_content(resolve_content(None)).content
    sheets = [Sheet(kind, tier) for kind in ("gap-fill", "diamond-nine", "essay-planner") for tier in Tier]

    def ours(sheet: Sheet) -> tuple[float, bytes]:
        start = time.perf_counter()
        document, _ = build_document(content, sheet, 0, search_path())
        render(document, "pdf")
        word = render(document, "docx")
        return time.perf_counter() - start, word

    ours(sheets[0])  # fonts and templates load once per process, as in any run
    timings, theirs = [], []
    profile = work / "lo-profile"
    for sheet in sheets:
        timings.append(min(ours(sheet)[0] for _ in range(3)))
        path = work / f"{sheet.kind}-{sheet.tier.value}.docx"
        path.write_bytes(ours(sheet)[1])
        start = time.perf_counter()
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(work), str(path)],
            check=True, capture_output=True,
        )  # fmt: skip
        theirs.append(time.perf_counter() - start)
    return statistics.median(timings), statistics.median(theirs)


def help_time() -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "worksheetgen", "--help"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    return min(runs)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="wsg-bench-"))
    print(f"machine: {os.cpu_count()} cores; work folder {work}")
    thirty = run_batch(30, work)
    three_hundred = run_batch(300, work)
    sheets = per_sheet_against_libreoffice(work)
    startup = help_time()
    print()
    print(f"30 pupils x 3 kinds:   {thirty['wall']:.2f} s wall, {int(thirty['sheets'])} pupil sheets   (target < 5 s)")
    print(f"300 pupils x 3 kinds:  {three_hundred['wall']:.2f} s wall")
    print(f"time ratio 300/30:     {three_hundred['wall'] / thirty['wall']:.2f}   (target <= 11)")
    print(f"peak memory 30 / 300:  {thirty['peak_kib'] / 1024:.0f} MiB / {three_hundred['peak_kib'] / 1024:.0f} MiB")
    print(f"memory ratio 300/30:   {three_hundred['peak_kib'] / thirty['peak_kib']:.2f}   (target <= 1.3)")
    if sheets:
        ours, theirs = sheets
        in_batch = three_hundred["wall"] / three_hundred["sheets"]
        print(f"LibreOffice DOCX->PDF: {theirs * 1000:.0f} ms a sheet (one soffice call per sheet)")
        print(f"one sheet on its own:  {ours * 1000:.1f} ms for PDF + DOCX, {theirs / ours:.0f}x   (target >= 40x)")
        print(f"in a 300-pupil batch:  {in_batch * 1000:.1f} ms a pupil sheet, {theirs / in_batch:.0f}x")
    else:
        print("per sheet: LibreOffice not installed, comparison skipped")
    print(f"worksheetgen --help:   {startup:.3f} s   (target < 0.25 s)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
