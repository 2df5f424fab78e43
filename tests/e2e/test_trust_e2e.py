"""Trust in a real browser: hostile text shows as text, /overview opens, nothing phones out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from data.register_store import RegisterStore
from tests.e2e.conftest import REPO, free_port, map_frame, wait_healthy, wait_until_quiet
from tests.hostile import HOST

pytestmark = pytest.mark.e2e

OVERVIEW_TITLE = "Leeds Digital Health Hubs: coverage at a glance"
# Under 60 characters, so messages quote it whole. Jinja that would print "X EVALUATED" if run,
# and a Markdown image that would make the browser fetch from another host if rendered.
NAME = f"X {{% if 1 %}}EVALUATED{{% endif %}} ![i](//{HOST}/i)"
PATHS = ["", "overview", "map", "gaps", "planner", "growth", "hubs", "about"]


def test_a_hostile_hub_name_shows_as_literal_text_and_nothing_leaves_localhost(server, page):
    assert len(NAME) < 60
    store = RegisterStore(server.env["HUB_COVERAGE_DB"])
    before_version = store.current_version()
    try:
        page.goto(f"{server.url}/hubs")
        map_frame(page)
        page.get_by_role("tab", name="Add or close a hub").click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="Hub name").first
        form.get_by_label("Hub name").fill(NAME)
        form.get_by_label("Postcode").fill("ls22 6aa")
        form.get_by_label("Opened (YYYY-MM, or YYYY-MM-DD)").fill("2024-01")
        form.get_by_label("Reason for the change (kept in the history)").fill("{version}")
        form.get_by_role("button", name="Add hub").click()
        flash = page.locator('[data-testid="stAlertContentSuccess"]').first
        flash.wait_for(timeout=60_000)
        assert f"Added {NAME}. Saved as version" in flash.inner_text()
        assert flash.locator("img").count() == 0

        search = page.get_by_label("Find a hub (name or postcode)")
        search.fill("EVALUATED")
        search.press("Enter")
        frame = map_frame(page)
        frame.locator("path.hc-hub").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_000)
        frame.locator("path.hc-hub").first.hover(force=True)
        tooltip = frame.locator(".leaflet-tooltip").first
        tooltip.wait_for(timeout=30_000)
        assert NAME in tooltip.inner_text()  # the template text itself, never evaluated
        for path in ("", "map", "growth"):
            page.goto(f"{server.url}/{path}")
            map_frame(page)
            wait_until_quiet(page)
            assert "X EVALUATED" not in page.locator("body").inner_text()
        assert page.request_log.third_party() == []
        assert not [u for u in page.request_log.urls if HOST in u]
    finally:
        if store.current_version() != before_version:
            store.restore(before_version, "Browser test clean-up")
        store.dispose()


def test_overview_opens_at_its_own_address_with_the_view_kept(server, page):
    page.goto(f"{server.url}/overview?r=1200")
    page.get_by_role("heading", name=OVERVIEW_TITLE).wait_for(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    page.wait_for_function("() => window.location.search.includes('r=1200')", timeout=30_000)
    page.goto(f"{server.url}/")
    page.get_by_role("heading", name=OVERVIEW_TITLE).wait_for(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0


class Listener:
    """A TCP socket standing in for an HTTP(S) proxy: it records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def test_the_server_makes_no_outbound_request_while_every_page_is_opened(browser, tmp_path: Path):
    """Started as `make run` starts it (config.toml only, no --server.address), with every
    proxy variable pointing at a local listener: an outbound request would reach it."""
    listener = Listener()
    proxy = f"http://127.0.0.1:{listener.port}"
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    env.update(
        HTTP_PROXY=proxy,
        HTTPS_PROXY=proxy,
        http_proxy=proxy,
        https_proxy=proxy,
        ALL_PROXY=proxy,
        all_proxy=proxy,
        HUB_COVERAGE_DB=str(tmp_path / "register.sqlite"),
    )
    port = free_port()
    log = tmp_path / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        pg = context.new_page()
        for path in PATHS:
            pg.goto(f"{url}/{path}")
            pg.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=90_000)
            pg.wait_for_timeout(500)
        pg.wait_for_timeout(2_000)
        assert listener.hits == [], f"outbound requests reached the proxy: {listener.hits}"
        assert "External URL" not in log.read_text()
    finally:
        context.close()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        listener.close()
