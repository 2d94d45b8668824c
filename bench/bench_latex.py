"""Side by side with the LaTeX route: a class's named copies of a 2-page gap-fill sheet.

    python bench/bench_latex.py              # 5 runs of each, taken in turn
    python bench/bench_latex.py --runs 9
    python bench/bench_latex.py --install    # apt-get texlive-latex-extra first if pdflatex or exam.cls is missing

LaTeX's `exam` class (the engine behind R/exams and auto-multiple-choice) builds a class's
named copies as one document. Here: 30 named copies of a 2-page gap-fill sheet from the
shipped passage, in one `pdflatex` run, each copy starting on an odd page as our print file
does. Ours: `worksheetgen batch` for the same 30 pupils (gap-fill, three tiers), writing
everything a teacher gets: each pupil's PDF and DOCX, the class print file and the keys.
Each command runs as a fresh process, the two taken in turn; medians and the ratio are
printed. Without pdflatex and the exam class the script says so and stops.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
from bench_batch import compile_like_pip  # bench/ is the script's own folder, first on sys.path

PUPILS = 30
TIERS = ("support", "core", "core", "challenge")
FIRST = "Ann Ben Chloe Dev Ella Femi Grace Harry Isla Jack Kai Lily Mo Nia Olly Priya Quinn Rosa Sam Tom".split()


def names() -> list[str]:
    return [f"{FIRST[i % len(FIRST)]} Pupil{i:03d}" for i in range(PUPILS)]


def find_latex(install: bool) -> str | None:
    """pdflatex, if it and the exam class are installed (or can be, with --install)."""

    def found() -> bool:
        kpsewhich = shutil.which("kpsewhich")
        return bool(shutil.which("pdflatex") and kpsewhich and subprocess.run(
            [kpsewhich, "exam.cls"], capture_output=True, text=True).stdout.strip())  # fmt: skip

    if not found() and install and shutil.which("apt-get"):
        print("installing texlive-latex-extra with apt-get (a few minutes) ...", flush=True)
        command = ["apt-get", "install", "-y", "--no-install-recommends", "texlive-latex-extra"]
        subprocess.run(command, check=False, capture_output=True)
    return shutil.which("pdflatex") if found() else None


def latex_escape(text: str) -> str:
    table = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": "~{}"}
    return "".join(table.get(c, c) for c in text)


def exam_document() -> str:
    """30 named copies of a 2-page gap-fill sheet, as one `exam` document."""
    from worksheetgen.loader import load_content
    from worksheetgen.pipeline import resolve_content

    content = load_content(resolve_content(None)).content
    answers: list[str] = []

    def gap(match: re.Match[str]) -> str:
        answers.append(match.group(1).split("|")[0])
        return rf"\textbf{{({len(answers)})}}~\fillin[][1.1in]"

    passage = "\n\n".join(re.sub(r"\[\[(.+?)\]\]", gap, latex_escape(p)) for p in content.summary)
    bank = ", ".join(sorted(answers))
    questions = "\n".join(
        rf"\question {q} \fillwithlines{{1.1in}}"
        for q in ("Which cause of the purges does the passage show most clearly? Explain.",
                  "Why did Stalin turn on the party's own members?",
                  "How far was Kirov's murder a turning point?")
    )  # fmt: skip
    sheet = rf"""
\newcommand{{\sheet}}[2]{{%
\cleardoublepage\setcounter{{page}}{{1}}%
\firstpageheader{{Name: #1 \quad Class: #2}}{{}}{{Date: \rule{{1in}}{{0.4pt}}}}%
\runningheader{{#1}}{{}}{{\thepage}}%
\begin{{center}}\textbf{{\Large Gap-fill: {latex_escape(content.title)}}}\\[2pt]
\textbf{{{latex_escape(content.key_question)}}}\end{{center}}
Fill each numbered gap with a word from the word bank.

\fbox{{\parbox{{0.95\textwidth}}{{\textbf{{Word bank:}} {latex_escape(bank)}}}}}

\medskip
{passage}

\begin{{questions}}
{questions}
\end{{questions}}
}}
"""
    copies = "\n".join(rf"\sheet{{{latex_escape(name)}}}{{10A}}" for name in names())
    return rf"""\documentclass[a4paper,12pt]{{exam}}
\usepackage[utf8]{{inputenc}}
\usepackage[margin=20mm]{{geometry}}
\pagestyle{{headandfoot}}
\firstpagefooter{{{latex_escape(content.credit or "")}}}{{}}{{Page \thepage}}
\runningfooter{{}}{{}}{{Page \thepage}}
{sheet}
\begin{{document}}
{copies}
\end{{document}}
"""


def roster(path: Path) -> None:
    rows = [f"{name},10A,{TIERS[i % len(TIERS)]}" for i, name in enumerate(names())]
    path.write_text("name,class,tier\n" + "\n".join(rows) + "\n", encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{command[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--install", action="store_true", help="apt-get texlive-latex-extra if missing")
    args = parser.parse_args()
    compile_like_pip()
    pdflatex = find_latex(args.install)
    if pdflatex is None:
        print("skipped: pdflatex with the exam class not found (install texlive-latex-extra, or run with --install)")
        return
    work = Path(tempfile.mkdtemp(prefix="wsg-latex-"))
    (work / "sheets.tex").write_text(exam_document(), encoding="utf-8")
    roster(work / "roster.csv")
    latex = [pdflatex, "-interaction=batchmode", "-halt-on-error", "sheets.tex"]
    ours = [sys.executable, "-m", "worksheetgen", "batch", "roster.csv", "--sheet", "gap-fill", "--out", "out"]
    timed(latex, work)  # the first run of each warms the file cache
    timed(ours, work)
    with pikepdf.open(work / "sheets.pdf") as pdf:
        pages = len(pdf.pages)
    print(f"pdflatex: {pages} pages, {pages / PUPILS:g} a pupil; worksheetgen: {PUPILS} pupils, gap-fill, 3 tiers")
    theirs_runs, ours_runs = [], []
    for _ in range(args.runs):
        shutil.rmtree(work / "out", ignore_errors=True)
        ours_runs.append(timed(ours, work))
        theirs_runs.append(timed(latex, work))
    mine, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    print(f"pdflatex, one exam document of {PUPILS} named copies: {theirs:.2f} s (median of {args.runs})")
    print(f"worksheetgen batch, PDF + DOCX + print file + keys:  {mine:.2f} s (median of {args.runs})")
    print(f"ratio: {mine / theirs:.1f}x   (target <= 2x; the goal beyond is parity)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
