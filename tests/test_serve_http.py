"""`worksheetgen serve` over HTTP on the loopback address, without a browser: many teachers at
once, hostile requests, and nothing left behind. One server for the module, with a temporary
folder of its own to see that every request's folder is removed."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import time
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest

from tests.serving import get, post, running_server

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_serve.py"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("server-tmp")
    with running_server(tmp=tmp) as url:
        yield url, tmp
    assert not list(tmp.iterdir()), "the server left files behind when it stopped"


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_serve", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_serve"] = module
    spec.loader.exec_module(module)
    return module


def test_eight_packs_and_twenty_previews_at_once(server: tuple[str, Path]) -> None:
    url, tmp = server
    bench = _bench()
    start = time.monotonic()
    answers = bench.load(url, packs=8, previews=20)  # type: ignore[attr-defined]
    print(bench.summary(answers, time.monotonic() - start))  # type: ignore[attr-defined]
    assert len(answers) == 28
    assert not [a for a in answers if a.problem], [a for a in answers if a.problem]
    status, page = get(url)
    assert status == 200 and b"<form" in page
    assert len(list(tmp.glob("worksheetgen-serve-*"))) == 1  # the server's own, while it runs
    assert not list(tmp.glob("worksheetgen-serve-*/*")), "a request's temporary folder was left behind"


def test_no_path_from_a_request_reaches_the_file_system(server: tuple[str, Path]) -> None:
    url, tmp = server
    marker = tmp.parent / "outside.yaml"
    # a preview's own button: nothing else ticked is needed
    fields = [("action", "one:gap-fill:core:pdf"), ("topic", "../../outside"), ("name", "../../../outside")]
    status, headers, body = post(url, fields)
    assert status == 200 and body.startswith(b"%PDF")  # an unknown topic is the shipped one, never a path
    assert headers["content-disposition"].startswith('attachment; filename="stalins-purges_gap-fill_core.pdf"')
    own = "title: Mine\nkey_question: Why?\n"
    status, headers, body = post(url, [("action", "check"), ("topic", ""), ("yaml", own), ("name", "../../outside")])
    assert b"ok: outside.yaml has no problems" in body
    assert not marker.exists()
    for path in ("/static/../serve/app.py", "/static/%2e%2e%2fapp.py", "/static/page.html", "/etc/passwd"):
        status, _, _ = _get_status(url.rstrip("/") + path)
        assert status == 404, path


def test_an_uploaded_file_name_is_only_a_name(server: tuple[str, Path]) -> None:
    url, tmp = server
    yaml = b"title: A topic\nkey_question: Why did it happen?\n"
    status, _, body = post(url, [("action", "load")], [("upload", "../../../../tmp/evil name.yaml", yaml)])
    assert b"ok: evil-name.yaml has no problems" in body
    assert not (tmp.parent / "evil name.yaml").exists() and not Path("/tmp/evil name.yaml").exists()


def test_a_class_list_with_problems_lists_every_one_and_the_server_goes_on(server: tuple[str, Path]) -> None:
    url, _ = server
    roster = b"name,tier\nAnn,core\nBen,hard\n\x00\x01\x02"
    status, _, body = post(url, [("action", "batch"), ("batch_kind", "gap-fill")], [("roster", "9x.csv", roster)])
    assert status == 422 and b"error: 9x.csv:" in body and b"Traceback" not in body
    status, _, body = post(url, [("action", "load")], [("upload", "notes.docx", b"PK\x03\x04 not really a zip")])
    assert status == 422 and b"notes.docx" in body and b"Traceback" not in body
    assert get(url)[0] == 200


def test_a_pack_zip_is_named_and_laid_out_as_the_cli_lays_it_out(server: tuple[str, Path]) -> None:
    url, _ = server
    fields = [("action", "pack"), ("topic", "stalins-purges"), ("kind", "key-terms"), ("tier", "core")]
    fields += [("format", "pdf"), ("profile", "dyslexia"), ("seed", "7")]
    status, headers, body = post(url, fields)
    assert status == 200, body[:500]
    assert 'filename="stalins-purges_dyslexia_seed-7_pack.zip"' in headers["content-disposition"]
    names = sorted(zipfile.ZipFile(BytesIO(body)).namelist())
    assert names == [
        "dyslexia_seed-7/stalins-purges_key-terms_core.pdf",
        "dyslexia_seed-7/stalins-purges_key-terms_core_key.pdf",
        "dyslexia_seed-7/stalins-purges_print.pdf",
    ]


def test_other_host_names_are_refused_on_loopback(server: tuple[str, Path]) -> None:
    """A web page elsewhere cannot reach the server by pointing its own name at 127.0.0.1."""
    import http.client

    url, _ = server
    host, port = url.split("//")[1].strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/", headers={"Host": "attacker.example"})
    assert connection.getresponse().status == 400
    connection.close()


def _get_status(url: str) -> tuple[int, dict[str, str], bytes]:
    import urllib.error

    try:
        status, body = get(url)
        return status, {}, body
    except urllib.error.HTTPError as error:
        return error.code, {}, error.read()


def test_a_busy_port_is_a_plain_error() -> None:
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "worksheetgen", "serve", "--port", str(port), "--no-open"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == f"error: port {port} is in use already (another server?): choose another with --port\n"


def test_stopping_the_server_mid_build_is_quick_and_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl+C while a whole pack is building: the server stops within seconds, and the pack's
    half-written folder goes with it."""
    import threading

    def build(url: str) -> None:
        from worksheetgen.pipeline import list_kinds

        fields = [("action", "pack"), ("topic", "stalins-purges"), ("format", "pdf"), ("format", "docx")]
        fields += [("kind", kind) for kind in list_kinds()] + [("tier", t) for t in ("support", "core", "challenge")]
        with contextlib.suppress(OSError):  # the server stopped: that is the point
            post(url, fields, timeout=300)

    with running_server(tmp=tmp_path) as url:
        threading.Thread(target=build, args=(url,), daemon=True).start()
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("worksheetgen-serve-*/request-*/out/*")):
            assert time.monotonic() < deadline, "the pack never started"
            time.sleep(0.1)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 20
    assert not list(tmp_path.iterdir())


def test_the_gate_holds_on_the_web_page_too(server: tuple[str, Path]) -> None:
    """A TODO the sheet would print: no download, what to finish at its line; check says draft."""
    url, _ = server
    own = "title: Mine\nkey_question: 'TODO: write the key question?'\n"
    fields = [("action", "one:gap-fill:core:pdf"), ("topic", ""), ("yaml", own), ("name", "mine")]
    status, _, body = post(url, fields)
    assert status == 422 and not body.startswith(b"%PDF")
    assert b"mine.yaml:2:" in body and b"still a placeholder" in body
    status, _, body = post(url, [("action", "check"), ("topic", ""), ("yaml", own), ("name", "mine")])
    assert b"draft: mine.yaml: valid, but 1 value still TODO" in body


def test_a_python_file_in_the_servers_folder_never_runs(tmp_path: Path) -> None:
    """Fifth red-team pass: build processes are fresh interpreters ('spawn'), which put the
    working folder first on their path, so a `pickle.py` there ran in every one of them."""
    for module in ("pickle", "json", "copyreg"):
        (tmp_path / f"{module}.py").write_text(f'open("PWNED-{module}", "w").write("ran")\n', encoding="utf-8")
    with running_server(cwd=tmp_path) as url:
        time.sleep(3)  # the build processes start and import their libraries
        status, page = get(url)
        assert status == 200 and b"<html" in page
    assert not list(tmp_path.glob("PWNED-*"))


def test_a_form_posted_by_another_web_site_is_refused(server: tuple[str, Path]) -> None:
    """Fifth red-team pass: any page the teacher opened could post a hostile file to the server."""
    url, _ = server
    fields = [("action", "one:gap-fill:core:pdf"), ("topic", "stalins-purges")]
    own = url.rstrip("/").split("//")[1]
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        status, _, body = post(url, fields, headers=headers)
        assert status == 403 and b"another web site" in body, headers
    for headers in ({"Origin": f"http://{own}"}, {"Origin": "null", "Sec-Fetch-Site": "same-origin"}):
        status, _, body = post(url, fields, headers=headers)  # our own page, in older and newer browsers
        assert status == 200 and body.startswith(b"%PDF"), headers


def _class_list(pupils: int) -> bytes:
    rows = [f"Pupil {i:03d},9{'XYZW'[i // 30 % 4]},{('support', 'core', 'challenge')[i % 3]}" for i in range(pupils)]
    return ("name,class,tier\n" + "\n".join(rows) + "\n").encode()


def test_a_class_too_big_for_the_page_is_refused_before_any_work(server: tuple[str, Path]) -> None:
    url, _ = server
    fields = [("action", "batch"), ("batch_kind", "gap-fill"), ("batch_kind", "timeline")]
    status, _, body = post(url, fields, [("roster", "year10.csv", _class_list(301))])
    assert status == 422
    assert b"year10.csv: 602 sheets is more than this page makes at once (600" in body
    assert b"worksheetgen batch year10.csv" in body


def test_a_class_batch_stops_when_the_browser_goes_away(server: tuple[str, Path]) -> None:
    """Nobody waits for the sheets: the build stops before any class's print file is made, and
    its folder goes (without this, 120 pupils' sheets and four print files were finished)."""
    url, tmp = server
    fields = [("action", "batch"), ("batch_kind", "essay-planner"), ("batch_kind", "diamond-nine")]
    with contextlib.suppress(OSError):  # the browser gives up: that is the point
        post(url, fields, [("roster", "year10.csv", _class_list(120))], timeout=1)
    deadline = time.monotonic() + 120
    while not list(tmp.glob("worksheetgen-serve-*/request-*/out")):
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    while list(tmp.glob("worksheetgen-serve-*/request-*")):
        assert not list(tmp.glob("worksheetgen-serve-*/request-*/out/**/*_print.pdf")), "the build went on"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert get(url)[0] == 200


def test_a_browser_that_goes_away_mid_form_leaves_no_traceback(server: tuple[str, Path]) -> None:
    """The module's server is checked for tracebacks in its log when it stops."""
    import socket
    from urllib.parse import urlsplit

    url, _ = server
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port)) as conn:
        head = f"POST / HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        conn.sendall(head.encode() + b"Content-Length: 100000\r\n\r\n--b\r\n" + b"x" * 1000)
        time.sleep(0.5)
    time.sleep(0.5)
    assert get(url)[0] == 200


def test_one_sheet_downloads_as_the_file_itself_not_a_zip_of_one() -> None:
    """One kind, one tier, PDF only, no key: the PDF, named as `build` names it; two files: a .zip."""
    from worksheetgen.document import Tier
    from worksheetgen.serve import jobs
    from worksheetgen.serve.form import Choices

    one = Choices(kinds=("gap-fill",), tiers=(Tier.core,), formats=("pdf",), key=False)
    outcome = jobs.sheets(one, False)
    assert not outcome.errors and outcome.download is not None, outcome.errors
    assert outcome.download.name == "stalins-purges_gap-fill_core.pdf" and outcome.download.media == "application/pdf"
    assert outcome.download.data.startswith(b"%PDF-")
    two = jobs.sheets(Choices(kinds=("gap-fill",), tiers=(Tier.core,), formats=("pdf",), key=True), False)
    assert two.download is not None and two.download.name.endswith(".zip")
    with zipfile.ZipFile(BytesIO(two.download.data)) as archive:
        assert len(archive.namelist()) == 2


def test_packs_whose_browser_left_at_once_are_not_built(server: tuple[str, Path]) -> None:
    """The red team posted 40 packs, closing each connection after 20 ms: every one was built
    (12 build processes, 16 pack workers, 955 MB, 1.5 minutes). Now a pack whose page has gone
    never starts, or stops after its sheet under way: no print file, and the server is idle in
    seconds (before: 12 packs of 12 sheets, one after another, two at a time)."""
    import socket
    from urllib.parse import urlsplit

    url, tmp = server
    parts = urlsplit(url)
    fields = [("action", "pack"), ("topic", "stalins-purges"), ("format", "pdf"), ("kind", "gap-fill")]
    fields += [("kind", "timeline")] + [("tier", t) for t in ("support", "core", "challenge")]
    body = "".join(f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields) + "--b--\r\n"
    head = f"POST / HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
    request = f"{head}Content-Length: {len(body)}\r\n\r\n{body}".encode()
    status, headers, _ = post(url, fields)  # a teacher who waits gets the pack (and the build processes are warm)
    assert status == 200 and headers["content-type"] == "application/zip"
    fired = time.monotonic()
    for _ in range(12):
        with socket.create_connection((parts.hostname, parts.port)) as conn:
            conn.sendall(request)
            time.sleep(0.02)
    requests, cancels, prints = "worksheetgen-serve-*/request-*", "worksheetgen-serve-*/cancel-*", "**/*_print.pdf"
    while not list(tmp.glob(requests)):  # the first packs start (the server read them before they left)
        assert time.monotonic() - fired < 30, "no pack started"
        time.sleep(0.05)
    idle_since = None
    while idle_since is None or time.monotonic() - idle_since < 3:  # idle, and staying idle: nothing queued
        assert not list(tmp.glob(f"{requests}/out/{prints}")), "an abandoned pack went on to its print file"
        assert len(list(tmp.glob(requests))) <= 4  # lanes.IN_FLIGHT[HEAVY] at most
        assert time.monotonic() - fired < 60, "the abandoned packs are still building"
        busy = list(tmp.glob(requests)) or list(tmp.glob(cancels))  # a job's cancel file goes when it is done
        idle_since = None if busy else (idle_since or time.monotonic())
        time.sleep(0.05)
    assert get(url)[0] == 200
