"""`worksheetgen serve` started as a teacher starts it, on a free loopback port, for the serve tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# Straight to the loopback address, whatever proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@contextmanager
def running_server(*args: str, tmp: Path | None = None, cwd: Path | None = None) -> Iterator[str]:
    """The server's address while it runs; stopped (with its build processes) afterwards.
    `tmp`: the server's temporary folder (TMPDIR), to see what it leaves there. `cwd`: the
    folder it is started in, by the `worksheetgen` command as a teacher types it (`python -m`
    would put that folder on the server's own path)."""
    env = os.environ | ({"TMPDIR": str(tmp)} if tmp else {}) | {"PYTHONUNBUFFERED": "1"}
    script = shutil.which("worksheetgen", path=str(Path(sys.executable).parent)) if cwd else None
    start = [sys.executable, script] if script else [sys.executable, "-m", "worksheetgen"]
    assert cwd is None or script, "the worksheetgen command is not installed beside this Python"
    process = subprocess.Popen(
        [*start, "serve", "--port", "0", "--no-open", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "serving http://127.0.0.1:" in line, line + (process.stderr.read() if process.stderr else "")
        url = line.split("serving ")[1].split()[0]
        _wait_until_answers(url)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, errors = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, errors = process.communicate()
        assert "Traceback" not in errors, errors  # a bug behind the page shows in the server's log


def _wait_until_answers(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            get(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    with _OPENER.open(url, timeout=timeout) as response:
        return response.status, response.read()


def post(
    url: str,
    fields: Sequence[tuple[str, str]],
    files: Sequence[tuple[str, str, bytes]] = (),
    timeout: float = 300,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """A multipart form as a browser sends it; the status, headers (lower-case names) and body, errors too."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    for name, filename, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    sent = {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})}
    request = urllib.request.Request(url, body, sent)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def zip_names(path: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


def nap(seconds: float, marker: str = "") -> object:
    """A job for a build process (the serve tests): say which process started it, then sleep."""
    from worksheetgen.serve.jobs import Outcome

    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(seconds)
    return Outcome(notes=[f"slept in {os.getpid()}"])
