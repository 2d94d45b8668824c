"""`worksheetgen serve`: the whole of worksheetgen on a web page, for teachers who never open a terminal.

The page is served by uvicorn (Starlette, see `app`) from this computer: on the loopback
address only, unless `--host` says otherwise. Nothing is loaded from the internet, nothing
uploaded is kept, and each request works in a temporary folder of its own (`jobs`).
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
import webbrowser

from worksheetgen.errors import WorksheetError


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True, builds: int | None = None) -> None:
    """Listen on host:port until Ctrl+C, answering the page; open it in the browser if asked."""
    import uvicorn

    from worksheetgen.serve.app import create_app
    from worksheetgen.serve.http import Protocol, allow_more_files
    from worksheetgen.serve.lanes import stop_builds

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            """Ctrl+C: stop taking requests (uvicorn) and end the builds under way, in the background."""
            super().handle_exit(sig, frame)  # type: ignore[arg-type]
            if getattr(app.state, "pools", None):
                threading.Thread(target=stop_builds, args=(app,), daemon=True).start()

    sock = _listen(host, port)
    shown_host = sock.getsockname()[0]
    shown_port = sock.getsockname()[1]
    url = f"http://{_url_host(shown_host)}:{shown_port}/"
    app = create_app(builds=builds, loopback=_is_loopback(host))
    allow_more_files()
    config = uvicorn.Config(app, http=Protocol, log_level="warning", timeout_graceful_shutdown=5, server_header=False)
    server = Server(config)
    print(f"worksheetgen is serving {url} (Ctrl+C stops it)", flush=True)
    if not _is_loopback(host):
        print(
            f"Colleagues open http://{socket.gethostname()}:{shown_port}/ on their own computers. Anyone who can "
            f"reach this computer on port {shown_port} can use the page (there is no password): run it like this "
            "only on your school's own network.",
            flush=True,
        )
    if open_browser:
        local = url if _is_loopback(host) else f"http://127.0.0.1:{shown_port}/"
        threading.Thread(target=_open_when_up, args=(server, local), daemon=True).start()
    server.run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made here so a busy port or an unknown host is a plain error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        raise WorksheetError(f"cannot serve on host '{host}': no such address on this computer") from None
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise WorksheetError(
                f"port {port} is in use already (another server?): choose another with --port"
            ) from None
        raise WorksheetError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _open_when_up(server: object, url: str) -> None:
    """Open the browser once the server answers (on a desktop; elsewhere this does nothing)."""
    for _ in range(100):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.1)
