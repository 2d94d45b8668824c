"""uvicorn's HTTP/1.1 connection, with the limits a server on a school network needs and
uvicorn leaves out: slow or idle clients cannot hold every file handle.

- A request's headers must arrive within HEADER_SECONDS of the connection (or of the end of the
  previous answer on it), and its body within BODY_SECONDS of its headers; a client that
  trickles a byte at a time is cut off.
- At most MAX_CONNECTIONS are open at once: one more is closed as soon as it is accepted, so
  the server never runs out of file handles (which made asyncio drop the listening socket for
  good) and answers again as soon as the flood stops.
"""

from __future__ import annotations

import asyncio
import contextlib

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
BODY_SECONDS = 120.0  # 5 MB on a slow school network
MAX_CONNECTIONS = 200


class Protocol(H11Protocol):
    header_seconds = HEADER_SECONDS
    body_seconds = BODY_SECONDS
    max_connections = MAX_CONNECTIONS
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.close()
            return
        self._expect(self.header_seconds)

    def data_received(self, data: bytes) -> None:
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self._deadline is None:  # the first bytes of a new request on a kept-alive connection
            self._expect(self.header_seconds)
        before = self.cycle
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            if not self.cycle.more_body:
                self._stop_waiting()  # the whole request is here: the build takes as long as it takes
            elif self.cycle is not before:
                self._expect(self.body_seconds)  # headers are here, the body is on its way

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _expect(self, seconds: float) -> None:
        self._stop_waiting()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _stop_waiting(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def allow_more_files() -> None:
    """Raise this process's open-file limit to its hard limit (macOS starts at 256, Linux at
    1024), so MAX_CONNECTIONS and the build processes' pipes fit well within it."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):  # not allowed here: the connection cap still holds
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
