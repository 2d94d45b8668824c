"""Benchmark the class batch and the pack against the targets in issues 4 and 15, in one run.

    python bench/bench_batch.py            # all measurements, a table at the end
    python bench/bench_batch.py --quick    # without the LibreOffice comparison

1. a 30-pupil class x 3 kinds (gap-fill, diamond-nine, essay-planner): PDF + DOCX + print file
   + keys; the print file's size and its fonts (`pdffonts`: each face should be there once);
2. 300 pupils in one class against 30: time ratio, and peak memory of the largest single
   process (main or worker, polled with psutil), not the sum;
3. `pack` (every kind x tier, PDF + DOCX + keys + print file), its print file and fonts;
4. per sheet, our PDF + DOCX against LibreOffice converting the same DOCX to PDF (one
   `soffice` call per sheet, as a teacher exporting from a word processor would);
5. `worksheetgen --help` start-up time.

Every command runs as a fresh process, as a teacher would run it, timed from process start;
each is run three times and the median kept (the machine may be busy with other work).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

FIRST = "Ann Ben Chloe Dev Ella Femi Grace Harry Isla Jack Kai Lily Mo Nia Olly Priya Quinn Rosa Sam Tom".split()
TIERS = ("support", "core", "core", "challenge")


def write_roster(path: Path, pupils: int, per_class: int = 30) -> None:
    """A realistic roster: classes of 30, mixed tiers, some dyslexia and large-print needs."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "class", "tier", "needs"])
        for i in range(pupils):
            needs = "dyslexia" if i % 9 == 4 else ("large-print" if i % 29 == 11 else "")
            name = f"{FIRST[i % len(FIRST)]} Pupil{i:03d}"
            writer.writerow([name, f"10{chr(65 + i // per_class)}", TIERS[i % len(TIERS)], needs])


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and the peak resident memory (MiB) of the largest single process in the
    command's process tree, polled every 10 ms."""
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}

    def poll() -> None:
        while process.poll() is None:
            try:
                for each in [process, *process.children(recursive=True)]:
                    peaks[each.pid] = max(peaks.get(each.pid, 0), each.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.01)

    watcher = threading.Thread(target=poll)
    watcher.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    if process.returncode:
        sys.exit(stderr.decode())
    return wall, max(peaks.values(), default=0) / 2**20


def median_run(command: list[str], cwd: Path, out: Path, runs: int = 3) -> tuple[float, float]:
    """Median wall time and the highest peak of `runs` fresh runs (the output folder emptied first)."""
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        results.append(run(command, cwd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def batch(pupils: int, work: Path, per_class: int = 30) -> tuple[float, float, Path]:
    roster = work / f"roster-{pupils}.csv"
    write_roster(roster, pupils, per_class)
    out = work / f"out-{pupils}"
    wall, peak = median_run([sys.executable, "-m", "worksheetgen", "batch", str(roster), "--out", str(out)], work, out)
    return wall, peak, out


def fonts(pdf: Path) -> list[str]:
    """The font objects `pdffonts` lists (one line each)."""
    if shutil.which("pdffonts") is None:
        return []
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    return [line.split()[0].split("+")[-1] for line in lines]


def describe(pdf: Path) -> str:
    faces = fonts(pdf)
    once = "each face once" if len(faces) == len(set(faces)) else "faces repeated"
    return f"{pdf.stat().st_size / 1e6:.2f} MB, {len(faces)} font entries ({', '.join(sorted(set(faces)))}): {once}"


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


def compile_like_pip() -> None:
    """Compile the package's bytecode first, as `pip install .` does: with PYTHONDONTWRITEBYTECODE
    set (some machines set it) an editable checkout would otherwise compile every module again in
    every process, about 0.8 s of CPU a command that a teacher's installed copy never pays."""
    import compileall

    import worksheetgen

    compileall.compile_dir(Path(worksheetgen.__file__).parent, quiet=1)


def main() -> None:
    compile_like_pip()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the LibreOffice comparison")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wsg-bench-"))
    print(f"machine: {psutil.cpu_count()} cores, load {psutil.getloadavg()[0]:.1f}; work folder {work}")
    thirty, thirty_peak, thirty_out = batch(30, work)
    big, big_peak, _ = batch(300, work, per_class=300)
    pack_out = work / "pack"
    pack = [sys.executable, "-m", "worksheetgen", "pack", "--out", str(pack_out)]
    packed, pack_peak = median_run(pack, work, pack_out)
    sheets = None if args.quick else per_sheet_against_libreoffice(work)
    startup = help_time()
    print()
    print(f"30 pupils x 3 kinds:    {thirty:.2f} s wall   (target < 2.5 s)")
    print(f"  its print file:       {describe(thirty_out / '10A' / '10A_print.pdf')}   (target < 1.5 MB)")
    print(f"300 pupils, one class:  {big:.2f} s wall, {big / thirty:.2f}x the time of 30   (target <= 10.5x)")
    print(f"peak memory, largest process, 300 / 30: {big_peak:.0f} / {thirty_peak:.0f} MiB = "
          f"{big_peak / thirty_peak:.2f}x   (target <= 1.3x)")  # fmt: skip
    print(f"pack:                   {packed:.2f} s wall, peak {pack_peak:.0f} MiB   (target < 2 s)")
    print(f"  its print file:       {describe(pack_out / 'stalins-purges_print.pdf')}")
    if sheets:
        ours, theirs = sheets
        print(f"LibreOffice DOCX->PDF:  {theirs * 1000:.0f} ms a sheet (one soffice call per sheet)")
        print(f"one sheet on its own:   {ours * 1000:.1f} ms for PDF + DOCX, {theirs / ours:.0f}x   (target >= 40x)")
    elif not args.quick:
        print("per sheet: LibreOffice not installed, comparison skipped")
    print(f"worksheetgen --help:    {startup:.3f} s   (target < 0.15 s)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
