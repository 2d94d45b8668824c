"""Your own templates render in a separate process with hard limits on memory and CPU time.

The sandbox (sandbox.py) stops what a template can reach and the usual ways it can grow, but
a single C-level operation (a huge `round`, a hash of a nested tuple, a quadratic `strip`)
never returns to its checks. So when the search path holds a teacher's template folder, each
template renders in a child process (as browsers isolate a page) under an address-space and
CPU-time limit, killed outright past a wall-clock limit; the built-in templates, which ship
with the package, render in this process at full speed.

Parent and child speak JSON: the context goes as a pickle of plain data (template_data.plain) the
parent made itself; the result
comes back as the text and the template line of each output line (already worked out), never
as objects the child made.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worksheetgen import sandbox, template_data
from worksheetgen.errors import TemplateError
from worksheetgen.sourcemap import Rendered

REFUSED = "refused by the sandbox"
MEMORY_LIMIT = 1024 << 20  # bytes of address space for the child (a shipped sheet needs ~150 MB; WEAK 11: was 1.5 GB)


@dataclass(frozen=True)
class Located(Rendered):
    """A rendered template whose output lines' template lines were worked out in the child."""

    lines: tuple[str, ...] = ()

    def where(self, output_line: int | None) -> str:
        if output_line and 0 < output_line <= len(self.lines):
            return self.lines[output_line - 1]
        return self.name if not output_line else f"{self.name}, output line {output_line}"


def render_isolated(name: str, path: tuple[Path, ...], context: dict[str, Any]) -> Rendered:
    """Render `name` in a child process; every failure, a crash or a kill included, is a TemplateError."""
    limit = sandbox.TIME_LIMIT
    # The template's view of the context (records, tuples, scalars), made here: the child then
    # needs only Jinja and the sandbox, not the content's models (pydantic), and starts in a third
    # of the time (about 0.2 s of CPU instead of 0.6 s for each sheet).
    plain = {key: template_data.plain(value) for key, value in context.items()}
    from worksheetgen.templating import trusted_templates

    payload = pickle.dumps((name, path, plain, limit, trusted_templates()))
    # -I: isolated, so a `json.py` or `pickle.py` in the working folder is never imported
    # in place of the standard library's (fifth red-team pass), nor PYTHON* variables obeyed.
    command = [sys.executable, "-I", "-c", "from worksheetgen.isolation import child; child()"]
    wall = limit + sandbox.WALL_GRACE + 2  # past the child's own clocks: one operation that never came back
    try:
        done = subprocess.run(command, input=payload, capture_output=True, timeout=wall)
    except subprocess.TimeoutExpired:
        raise TemplateError(
            f"template {name}: refused by the sandbox: it did not finish within {wall:g} seconds"
        ) from None
    if done.returncode != 0:
        raise TemplateError(
            f"template {name}: refused by the sandbox: it stopped the renderer ({_how(done.returncode)})"
        )
    try:
        answer = json.loads(done.stdout)
    except ValueError:  # the child ended without a whole answer
        raise TemplateError(f"template {name}: refused by the sandbox: it stopped the renderer (no answer)") from None
    if "error" in answer:
        raise TemplateError(answer["error"])
    return Located(name, answer["text"], (), tuple(answer["lines"]))


def _how(returncode: int) -> str:
    signals = {-9: "killed for its memory or time", -11: "it crashed Python", -24: "out of CPU time"}
    return signals.get(returncode, f"exit status {returncode}")


def child() -> None:
    """The child's side: limits first, then render, then answer on stdout as JSON."""
    name, path, context, limit, trusted = pickle.loads(sys.stdin.buffer.read())
    _limit_resources(limit)
    sandbox.TIME_LIMIT = limit
    from worksheetgen.templating import render_here, restore_trusted_templates

    restore_trusted_templates(trusted)  # the child reads the templates again: checked as the parent's were

    try:
        rendered = render_here(name, path, context, traced=True)  # every line's origin is asked for
    except TemplateError as error:
        answer: dict[str, Any] = {"error": str(error)}
    else:
        count = rendered.text.count("\n") + 1
        answer = {"text": rendered.text, "lines": [rendered.where(line) for line in range(1, count + 1)]}
    sys.stdout.write(json.dumps(answer))


def _limit_resources(seconds: float) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the sandbox's own checks and the wall-clock kill remain
        return
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = int(seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
