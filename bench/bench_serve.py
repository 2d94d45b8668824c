"""Load on `worksheetgen serve` over the loopback address: many teachers at once.

    python bench/bench_serve.py                  # 8 packs and 20 previews at the same moment
    python bench/bench_serve.py --packs 16 --previews 40

Starts the server on a free loopback port, sends every request at once from its own thread,
checks every answer (a .zip holding the pack's PDFs and print file; a page with pictures),
prints the times, and stops the server. tests/test_serve_load.py runs the same check.
Every request has a time limit, so the run always ends.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serving import post, running_server  # noqa: E402

KINDS = ("gap-fill", "diamond-nine", "timeline", "key-terms", "essay-planner")
TIERS = ("support", "core", "challenge")
TIMEOUT = 600  # seconds for any one request: the run stops by itself, whatever happens


@dataclass(frozen=True)
class Answer:
    what: str
    seconds: float
    problem: str  # '' when the answer is right


def pack_request(url: str, number: int) -> Answer:
    """A pack of one kind in every tier as PDF, with keys and the print file."""
    kind = KINDS[number % len(KINDS)]
    fields = [("action", "pack"), ("topic", "stalins-purges"), ("kind", kind), ("key", "on"), ("seed", str(number))]
    fields += [("tier", tier) for tier in TIERS] + [("format", "pdf")]
    start = time.monotonic()
    status, headers, body = post(url, fields, timeout=TIMEOUT)
    seconds = time.monotonic() - start
    if status != 200 or headers.get("content-type") != "application/zip":
        return Answer(f"pack {kind}", seconds, f"status {status}: {body[:300]!r}")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    expected = 3 * 2 + 1  # tiers x (pupil, key), and the print file
    problem = "" if len(names) == expected and any(n.endswith("_print.pdf") for n in names) else f"zip holds {names}"
    return Answer(f"pack {kind}", seconds, problem)


def preview_request(url: str, number: int) -> Answer:
    kind, tier = KINDS[number % len(KINDS)], TIERS[number % len(TIERS)]
    fields = [("action", "preview"), ("topic", "stalins-purges"), ("kind", kind), ("tier", tier)]
    start = time.monotonic()
    status, _, body = post(url, fields, timeout=TIMEOUT)
    seconds = time.monotonic() - start
    problem = "" if status == 200 and b"data:image/png;base64," in body else f"status {status}: {body[:300]!r}"
    return Answer(f"preview {kind} {tier}", seconds, problem)


def load(url: str, packs: int, previews: int) -> list[Answer]:
    """Every request sent at the same moment; every answer, in the order sent."""
    with ThreadPoolExecutor(packs + previews) as pool:
        futures = [pool.submit(pack_request, url, n) for n in range(packs)]
        futures += [pool.submit(preview_request, url, n) for n in range(previews)]
        return [future.result(timeout=TIMEOUT + 30) for future in futures]


def summary(answers: list[Answer], wall: float) -> str:
    lines = [f"all {len(answers)} requests answered in {wall:.1f} s"]
    for what in ("pack", "preview"):
        times = [a.seconds for a in answers if a.what.startswith(what)]
        if times:
            lines.append(f"  {len(times)} {what}s: median {statistics.median(times):.1f} s, slowest {max(times):.1f} s")
    lines += [f"  FAILED {a.what}: {a.problem}" for a in answers if a.problem]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=8)
    parser.add_argument("--previews", type=int, default=20)
    args = parser.parse_args()
    with running_server() as url:
        start = time.monotonic()
        answers = load(url, args.packs, args.previews)
        print(summary(answers, time.monotonic() - start))
    return 1 if any(a.problem for a in answers) else 0


if __name__ == "__main__":
    sys.exit(main())
