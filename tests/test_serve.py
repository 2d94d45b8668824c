"""`worksheetgen serve` driven in a real headless Chromium, as a teacher would use the page.

One server and one browser for the module. Every screen is saved as a screenshot (to
$WORKSHEETGEN_SCREENSHOTS, or a temporary folder named in the output) to be looked at.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.serving import get, running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
DATA = Path(__file__).parent / "data"
BUILD_WAIT = 300  # seconds: a pack on a busy two-core machine

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="Chromium and chromedriver are not installed here (apt-get install chromium chromium-driver; .ci/run does)",
)


@dataclass
class Browser:
    driver: object
    url: str
    downloads: Path
    shots: Path

    def open(self) -> None:
        self.driver.get(self.url)  # type: ignore[attr-defined]
        self._wait(lambda: self.driver.execute_script("return document.readyState") == "complete")  # type: ignore[attr-defined]

    def find(self, css: str) -> object:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]

    def all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]

    def tick(self, name: str, values: set[str]) -> None:
        """Exactly these boxes of a group ticked."""
        for box in self.all(f"input[type=checkbox][name={name}]"):
            if box.is_selected() != (box.get_attribute("value") in values):
                box.click()

    def press(self, action: str) -> None:
        """A button that answers with a page: wait for the new page."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.find("html")
        self.find(f"button[name=action][value='{action}']:not(.hidden-default)").click()  # type: ignore[attr-defined]
        WebDriverWait(self.driver, BUILD_WAIT).until(expected_conditions.staleness_of(old))
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def download(self, action: str, name: str, shot: str = "") -> Path:
        """A button that answers with a file: the file, once saved; the progress note gone."""
        for old in self.downloads.iterdir():
            old.unlink()
        self.find(f"button[name=action][value='{action}']:not(.hidden-default)").click()  # type: ignore[attr-defined]
        if shot:  # the progress note, while the file is built
            self._wait(lambda: self.find("#progress").is_displayed())  # type: ignore[attr-defined]
            self.shot(shot, resize=False)
        path = self.downloads / name
        deadline = time.monotonic() + BUILD_WAIT
        while not path.exists() or list(self.downloads.glob("*.crdownload")):
            assert time.monotonic() < deadline, f"{name} not downloaded: {list(self.downloads.iterdir())}"
            assert not self.all("#errors"), self.find("#errors").text  # type: ignore[attr-defined]
            time.sleep(0.2)
        self._wait(lambda: not self.find("#progress").is_displayed())  # type: ignore[attr-defined]
        return path

    def upload(self, field: str, path: Path) -> None:
        self.find(f"input[type=file][name={field}]").send_keys(str(path))  # type: ignore[attr-defined]

    def text(self, css: str) -> str:
        return self.find(css).text  # type: ignore[attr-defined,no-any-return]

    def shot(self, name: str, resize: bool = True) -> None:
        """The whole page as the teacher sees it, top to bottom (or the window as it is)."""
        if not resize:
            self.driver.save_screenshot(str(self.shots / f"{name}.png"))  # type: ignore[attr-defined]
            return
        height = self.driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
        self.driver.set_window_size(1280, min(max(height, 800), 6000))  # type: ignore[attr-defined]
        self.driver.save_screenshot(str(self.shots / f"{name}.png"))  # type: ignore[attr-defined]
        self.driver.set_window_size(1280, 1000)  # type: ignore[attr-defined]

    def _wait(self, condition: object, seconds: float = 30) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, seconds).until(lambda _: condition())  # type: ignore[operator]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    shots = Path(os.environ.get("WORKSHEETGEN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.page_load_strategy = "none"  # a click returns at once, so the progress note can be seen
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    with running_server() as url:
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
            print(f"screenshots: {shots}")
            yield Browser(driver, url, downloads, shots)
        finally:
            driver.quit()


def test_choose_a_topic_see_previews_and_download_the_pack(browser: Browser) -> None:
    browser.open()
    browser.shot("01-start")
    assert browser.find("#topic").get_attribute("value") == "stalins-purges"  # type: ignore[attr-defined]
    browser.tick("kind", {"gap-fill", "diamond-nine"})
    browser.tick("tier", {"support", "core", "challenge"})
    browser.press("preview")
    previews = browser.all("#previews figure")
    assert [(p.get_attribute("data-kind"), p.get_attribute("data-tier")) for p in previews] == [
        (kind, tier) for kind in ("diamond-nine", "gap-fill") for tier in ("support", "core", "challenge")
    ]
    for image in browser.all("#previews img"):  # every picture decoded, at a page's proportions
        width, height = browser.driver.execute_script(  # type: ignore[attr-defined]
            "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image
        )
        assert width > 300 and 1.3 < height / width < 1.5, (width, height)
    browser.shot("02-previews")

    pack = browser.download("pack", "stalins-purges_pack.zip", shot="03-building")
    names = _unzip(pack, browser.downloads.parent / "unpacked-pack")
    for kind in ("gap-fill", "diamond-nine"):
        for tier in ("support", "core", "challenge"):
            for key in ("", "_key"):
                assert f"stalins-purges_{kind}_{tier}{key}.pdf" in names
                assert f"stalins-purges_{kind}_{tier}{key}.docx" in names
    assert "stalins-purges_print.pdf" in names
    for name in names:
        path = browser.downloads.parent / "unpacked-pack" / name
        if name.endswith(".pdf"):
            assert len(PdfReader(path).pages) >= (12 if name.endswith("_print.pdf") else 1)
        else:
            paragraphs = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
            assert any("Stalin" in text for text in paragraphs), (name, paragraphs[:5])


def test_one_sheet_from_its_preview(browser: Browser) -> None:
    """The page is still the previews page: its Word button gives that one sheet."""
    path = browser.download("one:gap-fill:core:docx", "stalins-purges_gap-fill_core.docx")
    assert any("Stalin" in p.text for p in docx.Document(str(path)).paragraphs)


def test_a_class_list_gives_each_pupil_a_named_sheet_and_a_print_file(browser: Browser) -> None:
    roster = browser.downloads.parent / "9x roster.csv"
    roster.write_text("name,class,tier,needs\nAnn Smith,9X,support,\nBen Jones,9X,core,dyslexia\nCal Brown,9Y,,\n")
    browser.open()
    browser.upload("roster", roster)
    browser.tick("batch_kind", {"gap-fill"})
    path = browser.download("batch", "9x-roster_class-sheets.zip")
    names = _unzip(path, browser.downloads.parent / "unpacked-class")
    for pupil in ("9X/Ann-Smith", "9X/Ben-Jones", "9Y/Cal-Brown"):
        assert f"{pupil}_gap-fill.pdf" in names and f"{pupil}_gap-fill.docx" in names
        text = " ".join(
            p.extract_text()
            for p in PdfReader(browser.downloads.parent / "unpacked-class" / f"{pupil}_gap-fill.pdf").pages
        )
        assert pupil.split("/")[1].replace("-", " ") in text
    assert {"9X/9X_print.pdf", "9Y/9Y_print.pdf"} <= set(names)
    assert len(PdfReader(browser.downloads.parent / "unpacked-class" / "9X/9X_print.pdf").pages) >= 2


def test_every_roster_problem_is_listed_with_its_line(browser: Browser) -> None:
    roster = browser.downloads.parent / "class.csv"
    roster.write_text("name,tier,needs\nAnn,core,\n,core,\nBen,hard,\nCal,core,glasses\n")
    browser.open()
    browser.upload("roster", roster)
    browser.press("batch")
    errors = browser.text("#errors")
    assert "class.csv:3: name: expected a pupil's name, found an empty cell" in errors
    assert "class.csv:4: tier: expected a tier (support, core, challenge), found 'hard'" in errors
    assert "class.csv:5: needs:" in errors
    assert "worksheetgen-serve-" not in browser.find("body").text  # type: ignore[attr-defined]
    browser.shot("04-roster-problems")


def test_a_content_file_with_an_error_shows_its_line_then_builds_once_fixed(browser: Browser) -> None:
    good = (DATA / "great-fire.yaml").read_text("utf-8")
    lines = good.splitlines()
    lines[4] = "title: The Great Fire: London, 1666"  # an unquoted colon, on line 5
    bad = browser.downloads.parent / "my lesson.yaml"
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    browser.open()
    browser.upload("upload", bad)
    browser.press("load")
    errors = browser.text("#errors")
    assert "error: my-lesson.yaml:5:" in errors and "colon" in errors, errors
    assert "The Great Fire: London, 1666" in browser.text("#errors pre.source")
    assert "Traceback" not in browser.find("body").text  # type: ignore[attr-defined]
    browser.shot("05-content-error")

    browser.find("#errors li[data-line='5']").click()  # type: ignore[attr-defined]
    box = browser.find("#yaml")
    selected = browser.driver.execute_script(  # type: ignore[attr-defined]
        "return arguments[0].value.slice(arguments[0].selectionStart, arguments[0].selectionEnd)", box
    )
    assert selected == lines[4]
    browser.driver.execute_script("arguments[0].value = arguments[1]", box, good)  # type: ignore[attr-defined]
    browser.press("check")
    assert "ok: my-lesson.yaml has no problems" in browser.text("#notes")
    browser.tick("kind", {"timeline"})
    browser.tick("tier", {"core"})
    browser.press("preview")
    assert len(browser.all("#previews figure")) == 1
    path = browser.download("one:timeline:core:pdf", "my-lesson_timeline_core.pdf")
    assert "Great Fire" in PdfReader(path).pages[0].extract_text()


def test_notes_are_imported_with_a_checklist(browser: Browser) -> None:
    browser.open()
    browser.upload("upload", DATA / "notes" / "coasts.txt")
    browser.press("load")
    assert "coasts.txt was turned into a content file" in browser.text("#notes")
    assert browser.all("#checklist li[data-line]")
    assert "title:" in browser.find("#yaml").get_attribute("value")  # type: ignore[attr-defined]
    assert browser.find("#topic").get_attribute("value") == ""  # type: ignore[attr-defined]
    browser.shot("06-notes-imported")


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("big notes.txt", 6 * 1024 * 1024, "too big to take: 6.0 MB were sent, and this page takes at most 5 MB"),
        ("photo.jpg", 1000, "'photo.jpg' is not a content file or notes: choose a file ending in .yaml"),
        ("gap-fill.j2", 100, "your own templates are not taken over the web"),
    ],
)
def test_an_oversize_or_wrong_file_is_refused_clearly(browser: Browser, name: str, size: int, expected: str) -> None:
    path = browser.downloads.parent / name
    path.write_bytes(b"x" * size)
    browser.open()
    browser.upload("upload", path)
    browser.press("load")
    assert expected in browser.text("#errors")
    browser.shot(f"07-refused-{path.suffix.lstrip('.')}")
    status, page = get(browser.url)  # the server still answers
    assert status == 200 and b"<form" in page


def _unzip(path: Path, into: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(into)
        return sorted(archive.namelist())


def test_the_page_works_without_javascript(browser: Browser) -> None:
    """Plain forms: previews and a download with scripts switched off (no progress note then)."""
    browser.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})  # type: ignore[attr-defined]
    try:
        browser.open()
        browser.tick("kind", {"key-terms"})
        browser.tick("tier", {"support"})
        browser.tick("format", {"pdf"})
        browser.press("preview")
        assert [p.get_attribute("data-kind") for p in browser.all("#previews figure")] == ["key-terms"]
        path = browser.download("sheets", "stalins-purges_sheets.zip")
        assert _unzip(path, browser.downloads.parent / "unpacked-plain") == [
            "stalins-purges_key-terms_support.pdf",
            "stalins-purges_key-terms_support_key.pdf",
        ]
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})  # type: ignore[attr-defined]


def test_build_processes_are_replaced_after_their_jobs_so_memory_goes_back(tmp_path: Path) -> None:
    """A build process kept about 1 GB after a bomb-like input until the server stopped; each lane's pool
    is now replaced after JOBS_PER_POOL jobs, and its processes exit once their jobs are done."""
    from types import SimpleNamespace

    from worksheetgen.serve import lanes

    lane = lanes.HEAVY
    state = SimpleNamespace(  # processes that do not load the renderers: the jobs here need none of them
        pools={lane: lanes.new_pool(1, str(tmp_path), False)},
        served={lane: 0},
        retired=[],
        builds=1,
        root=str(tmp_path),
        warm=False,
    )
    pids = []
    try:
        for _ in range(2 * lanes.JOBS_PER_POOL[lane] + 1):
            pids.append(lanes.pool_for(state, lane).submit(os.getpid).result(timeout=120))
        for process in state.retired:
            process.join(timeout=60)
        assert state.retired and not any(p.is_alive() for p in state.retired)  # they exit: memory back
    finally:
        for pool in state.pools.values():
            pool.shutdown()
    assert len(set(pids)) == 3, pids  # a fresh process for each JOBS_PER_POOL jobs
    assert pids[: lanes.JOBS_PER_POOL[lane]] == [pids[0]] * lanes.JOBS_PER_POOL[lane]
    assert os.getpid() not in pids
