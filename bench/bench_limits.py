"""Time the input limits of issue 7, each through the command line as a teacher would run it.

    python bench/bench_limits.py

Target: each finishes (or refuses with a message) within 10 s, with no quadratic blow-up.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(*args: str, cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "worksheetgen", *args], cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, result.returncode


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="wsg-limits-"))
    (work / "line.txt").write_text("The purge widened from the party to the whole of society. " * 18_000)
    (work / "bullets.txt").write_text("".join(f"- Point {i}: in 1934 the terror grew.\n" for i in range(50_000)))
    causes = "".join(
        f"  - id: c{i}\n    title: Cause {i}\n    category: political\n    timescale: long-term\n"
        f"    evidence: [Evidence for cause {i}.]\n"
        for i in range(200)
    )
    (work / "causes.yaml").write_text(f"title: Many causes\nkey_question: Why?\ncauses:\n{causes}")
    (work / "roster.csv").write_text("name,class,tier\n" + "".join(f"Pupil {i},10{i // 30},core\n" for i in range(300)))
    runs = {
        "1 MB single-line notes (import)": ("import", "line.txt", "--out", "line.yaml"),
        "50,000 bullets (import)": ("import", "bullets.txt", "--out", "bullets.yaml"),
        "200 causes (build every kind, PDF + DOCX)": ("build", "causes.yaml", "--out", "causes-out"),
        "300-name roster (batch, gap-fill)": ("batch", "roster.csv", "--sheet", "gap-fill", "--out", "roster-out"),
    }
    for label, args in runs.items():
        seconds, status = timed(*args, cwd=work)
        print(f"{label:45s} {seconds:6.2f} s  exit {status}   (target < 10 s)")


if __name__ == "__main__":
    main()
