"""The web server's connection limits (serve/http.py): slow or idle clients are cut off, a flood
of connections never takes the server down, and a request that has arrived is never cut short."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from worksheetgen.serve.http import Protocol, allow_more_files


class QuickProtocol(Protocol):
    header_seconds = 0.5
    body_seconds = 1.0
    write_seconds = 1.0
    max_connections = 5


async def slow_app(scope: dict, receive, send) -> None:  # type: ignore[no-untyped-def]
    """Reads the whole body, then takes 1.5 s (longer than any deadline) to answer."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    if scope["path"] == "/big":  # 20 MB at once, as a page echoing a huge form field once did
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"20000000")]})
        await send({"type": "http.response.body", "body": b"x" * 20_000_000})
        return
    await asyncio.sleep(1.5)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(slow_app, http=QuickProtocol, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield sock.getsockname()
    server.should_exit = True
    thread.join(10)


def _closed_within(conn: socket.socket, seconds: float) -> bool:
    conn.settimeout(seconds)
    try:
        return conn.recv(100) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _answer(conn: socket.socket, seconds: float) -> bytes:
    """All the server sends before it closes the connection (within `seconds`)."""
    conn.settimeout(seconds)
    answer = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def _get(address: tuple[str, int]) -> bytes:
    with socket.create_connection(address, timeout=10) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := conn.recv(1000):
            answer += chunk
        return answer


def test_headers_that_never_finish_are_cut_off(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert _closed_within(conn, 3)


def test_a_body_trickled_a_byte_at_a_time_is_cut_off(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n")
        start = time.monotonic()
        with pytest.raises((BrokenPipeError, ConnectionResetError)):
            while time.monotonic() - start < 5:
                conn.sendall(b"x")
                time.sleep(0.2)
        assert time.monotonic() - start < 3


def test_a_request_that_has_arrived_is_answered_however_long_it_takes(address: tuple[str, int]) -> None:
    assert _get(address).startswith(b"HTTP/1.1 200")


def test_a_flood_of_idle_connections_is_turned_away_and_the_server_answers_after_it(
    address: tuple[str, int],
) -> None:
    held = [socket.create_connection(address) for _ in range(5)]
    time.sleep(0.1)
    extra = [socket.create_connection(address) for _ in range(20)]
    for conn in extra:  # answered busy and closed at once, not held open
        assert _answer(conn, 0.5).startswith(b"HTTP/1.1 503 Service Unavailable")
    for conn in held + extra:
        conn.close()
    time.sleep(0.2)
    assert _get(address).startswith(b"HTTP/1.1 200")


def test_a_client_that_never_reads_its_answer_is_cut_off_and_its_answer_dropped(address: tuple[str, int]) -> None:
    conn = socket.socket()
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    conn.connect(address)
    with conn:
        conn.sendall(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(3)  # reads nothing: the server's write deadline (1 s here) passes
        start = time.monotonic()
        answer = _answer(conn, 5)
        assert time.monotonic() - start < 4
        assert len(answer) < 10_000_000  # the rest of the 20 MB was dropped, not kept for it
    assert _get(address).startswith(b"HTTP/1.1 200")


def test_a_text_box_over_a_content_files_cap_is_not_sent_back() -> None:
    from worksheetgen.serve.form import read_choices

    huge = read_choices({"topic": [""], "yaml": ["<" * 5_000_000]})
    assert huge.yaml == ""  # the page does not echo it (20 MB of &lt;)
    assert huge.problems == [
        "the text in the box was 4.8 MB: a content file can be at most 2 MB, so it was not kept. "
        "Load your content file, or import a shorter part of your notes"
    ]
    usual = read_choices({"topic": [""], "yaml": ["title: <b> & c\n" * 10_000]})
    assert usual.yaml == "title: <b> & c\n" * 10_000
    assert not usual.problems


def test_the_open_file_limit_is_raised_to_the_hard_limit() -> None:
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
    try:
        allow_more_files()
        raised = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        assert raised == (65536 if hard == resource.RLIM_INFINITY else min(hard, 65536))
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
