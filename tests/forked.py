"""A teacher's template rendered in a fork of the test process instead of a fresh interpreter.

isolation.py starts `python -I -c "...child()"` for every sheet from a teacher's templates: about
0.3 s of CPU to start Python and import Jinja and the sandbox, a third of the cost of each of the
hundred-odd attacks in test_sandbox and test_markup. `forked_children` runs the same `child()` in a
fork of this process, which has them imported already: the same pickled payload in, the same
resource limits (the address-space limit raised by what this process had mapped before the fork,
so the template gets the headroom a fresh child has), the same JSON answer out, killed by the same
signals, and the same wall-clock timeout. What a fork cannot show (a fresh interpreter's path,
`-I`, the modules the child loads) is checked with the real child: tests marked `own_process`.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from types import SimpleNamespace
from typing import Any

CHILD = "from worksheetgen.isolation import child; child()"
FRESH_CHILD_MAPPED = 26 << 20  # bytes a fresh `python -I` child has mapped when it sets its limits


def _mapped() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run(command: list[str], *, input: bytes, capture_output: bool, timeout: float, **_: Any) -> Any:  # noqa: A002
    """`subprocess.run` as isolation.render_isolated calls it, for its child command only."""
    assert command[-1] == CHILD, command
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with warnings.catch_warnings():  # Python 3.12+: a thread a serve test left must not fail this
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: never returns into the test run
            code = 1
            try:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                from worksheetgen import isolation

                isolation.MEMORY_LIMIT += max(0, _mapped() - FRESH_CHILD_MAPPED)
                sys.stdin = io.TextIOWrapper(io.BytesIO(input))
                sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(out.fileno()), "wb"), encoding="utf-8")
                sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(err.fileno()), "wb"), encoding="utf-8")
                isolation.child()
                sys.stdout.flush()
                code = 0
            except BaseException:  # noqa: BLE001 - as an uncaught exception ends a fresh child
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
                    sys.stderr.flush()
            finally:
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(command, timeout)
            time.sleep(0.005)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, os.waitstatus_to_exitcode(status), out.read(), err.read())


# What isolation.py uses of the subprocess module, with `run` forking.
SUBPROCESS = SimpleNamespace(
    run=run, TimeoutExpired=subprocess.TimeoutExpired, CompletedProcess=subprocess.CompletedProcess
)
