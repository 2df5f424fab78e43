"""Browser fixtures: a real `streamlit run` server and Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HUB_COVERAGE_CHROMIUM", "/usr/bin/chromium")
# Flags that keep headless chromium from phoning home (this machine has no internet).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Maps that only show are drawn in Streamlit's own iframe element (app_pages.common.show_map);
# maps that answer clicks (the Map page's) in streamlit-folium's component frame.
MAP_FRAME = 'iframe[data-testid="stIFrame"], iframe[src*="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    """Wait until Streamlit's health endpoint answers."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Streamlit did not become healthy at {url}")


class StreamlitServer:
    """A `streamlit run` process (dashboard.py by default) on a free port with its own database."""

    def __init__(
        self, db_path: Path, script: str = "dashboard.py", db_url: str | None = None
    ) -> None:
        """``db_url`` (e.g. PostgreSQL) overrides the SQLite file; logs go beside ``db_path``."""
        self.script = script
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HUB_COVERAGE_DB": db_url or str(db_path)}
        self.proc: subprocess.Popen | None = None
        self.log = db_path.parent / f"streamlit-{self.port}.log"

    def start(self) -> None:
        """Start the server and wait for it to be healthy."""
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
        ]
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        wait_healthy(self.url)

    def stop(self) -> None:
        """Stop the server."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def restart(self) -> None:
        """Stop and start again on the same port and database."""
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """One Streamlit server for the browser tests, with a throwaway register database."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is missing: `apt-get install chromium` (make test does this).")
    srv = StreamlitServer(tmp_path_factory.mktemp("e2e") / "register.sqlite")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class RequestLog:
    """Every URL a page asked for, to prove nothing leaves localhost."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: object) -> None:
        self.urls.append(request.url)  # type: ignore[attr-defined]

    def third_party(self) -> list[str]:
        """Requests to any host other than this machine (data: and blob: URLs are local)."""
        out = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture()
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context and page that records its requests; screenshot on failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    pg = context.new_page()
    log = RequestLog()
    context.on("request", log)
    pg.request_log = log
    yield pg
    outcome = getattr(request.node, "rep_call", None)
    if outcome is not None and outcome.failed:
        art = REPO / "tests" / "e2e" / "artifacts"
        art.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(art / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item so fixtures can see failures."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_until_quiet(pg: object, quiet_s: float = 1.0, timeout_s: float = 30) -> None:
    """Wait until the page has asked for nothing new for ``quiet_s`` (late requests get logged).

    Not Playwright's "networkidle": it can wait forever when a map frame's page is replaced
    while it is still loading Leaflet (a cancelled request in a detached frame).
    """
    log = pg.request_log  # type: ignore[attr-defined]
    seen, last = len(log.urls), time.time()
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        pg.wait_for_timeout(200)  # type: ignore[attr-defined]
        if len(log.urls) != seen:
            seen, last = len(log.urls), time.time()
        elif time.time() - last >= quiet_s:
            return
    raise AssertionError(f"The page was still making requests after {timeout_s} s.")


def map_frame(pg: object, index: int = 0) -> object:
    """The Playwright frame of the n-th folium map on the page."""
    pg.wait_for_selector(MAP_FRAME, timeout=60_000)  # type: ignore[attr-defined]
    return pg.frame_locator(MAP_FRAME).nth(index)  # type: ignore[attr-defined]


def choose_option(pg: object, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox found by its label."""
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).first  # type: ignore[attr-defined]
    box.click()
    pg.locator('[role="option"]').filter(has_text=option).first.click()  # type: ignore[attr-defined]


def wait_for_selectbox_text(pg: object, label: str, text: str, timeout_s: float = 60) -> str:
    """Wait until a selectbox shows ``text``: sidebar widgets are drawn after the page's map."""
    deadline = time.time() + timeout_s
    shown = ""
    while time.time() < deadline:
        shown = selectbox_text(pg, label)
        if text in shown:
            return shown
        pg.wait_for_timeout(200)  # type: ignore[attr-defined]
    raise AssertionError(f"The {label!r} selectbox shows {shown!r}, not {text!r}.")


def selectbox_text(pg: object, label: str) -> str:
    """The visible text and input value of a Streamlit selectbox found by its label."""
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).first  # type: ignore[attr-defined]
    values = [i.input_value() for i in box.locator("input").all()]
    return " ".join([box.inner_text(), *values])
