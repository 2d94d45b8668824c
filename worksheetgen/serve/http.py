"""uvicorn's HTTP/1.1 connection, with the limits a server on a school network needs and
uvicorn leaves out: slow or idle clients cannot hold every file handle.

- A request's headers must arrive within HEADER_SECONDS of the connection (or of the end of the
  previous answer on it), and its body within BODY_SECONDS of its headers; a client that
  trickles a byte at a time is cut off.
- An answer must be taken by the client: once more of it waits to be sent than the transport
  holds (64 KB), the client has WRITE_SECONDS to read some; a client that never reads is cut off
  (its buffered answer dropped), so it cannot hold memory or its connection for ever.
- At most MAX_CONNECTIONS are open at once, and at most MAX_PER_CLIENT from one address: one more
  is answered 503 (busy) and closed as soon as it is accepted, so the server never runs out of
  file handles (which made asyncio drop the listening socket for good), one computer cannot
  take every connection, and the server answers again as soon as the flood stops.
"""

from __future__ import annotations

import asyncio
import contextlib

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
BODY_SECONDS = 120.0  # 5 MB on a slow school network
WRITE_SECONDS = 30.0  # a browser reads its answer at once; a slow network still moves 64 KB in 30 s
MAX_CONNECTIONS = 200
MAX_PER_CLIENT = 50  # a browser opens 6 to a server; several colleagues behind one NAT a few dozen
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 10\r\n"
    b"Connection: close\r\nContent-Length: 70\r\n\r\n"
    b"The server has too many connections open: try again in a few seconds.\n"
)


class Protocol(H11Protocol):
    header_seconds = HEADER_SECONDS
    body_seconds = BODY_SECONDS
    write_seconds = WRITE_SECONDS
    max_connections = MAX_CONNECTIONS
    max_per_client = MAX_PER_CLIENT
    _deadline: asyncio.TimerHandle | None = None
    _unread: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = _host(self)
        same = sum(_host(other) == host for other in self.connections) if host else 0
        if len(self.connections) > self.max_connections or same > self.max_per_client:
            transport.write(BUSY)  # fits the socket's buffer: sent even to a client that never reads
            transport.close()
            return
        self._expect(self.header_seconds)

    def pause_writing(self) -> None:
        """More of an answer waits than the transport holds: the client must read within write_seconds."""
        super().pause_writing()
        if self._unread is None:
            self._unread = self.loop.call_later(self.write_seconds, self._not_read)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._unread is not None:
            self._unread.cancel()
            self._unread = None

    def _not_read(self) -> None:
        self._unread = None
        self.transport.abort()  # close() would wait, holding the answer, for the client to read it

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
        if self._unread is not None:
            self._unread.cancel()
            self._unread = None
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


def _host(connection: object) -> str | None:
    """A connection's remote address (None when not known)."""
    client = getattr(connection, "client", None)
    return str(client[0]) if client else None


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
