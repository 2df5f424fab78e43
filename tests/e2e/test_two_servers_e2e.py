"""Two app servers on one PostgreSQL database (as behind a load balancer): a save on one is seen
on the other, and hubs added at the same moment on both are both kept."""

from __future__ import annotations

import time

import pytest

from data.register_store import RegisterStore
from tests.e2e.conftest import StreamlitServer, map_frame
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    pg = PostgresServer()
    pg.start()
    url = pg.new_database()
    RegisterStore(url).dispose()  # seed once, before both servers start
    folder = tmp_path_factory.mktemp("two-servers")
    servers = [StreamlitServer(folder / f"s{i}.sqlite", db_url=url) for i in (1, 2)]
    try:
        for srv in servers:
            srv.start()
        yield url, servers
    finally:
        for srv in servers:
            srv.stop()
        pg.stop()


def _open_add_form(server, pg) -> object:
    pg.goto(f"{server.url}/hubs")
    map_frame(pg)
    pg.get_by_role("tab", name="Add or close a hub").click()
    form = pg.locator('[data-testid="stForm"]').filter(has_text="Hub name").first
    form.get_by_label("Hub name").wait_for(timeout=60_000)
    return form


def _fill(form, name: str, postcode: str) -> None:
    form.get_by_label("Hub name").fill(name)
    form.get_by_label("Postcode").fill(postcode)
    form.get_by_label("Opened (YYYY-MM, or YYYY-MM-DD)").fill("2024-01")
    form.get_by_label("Reason for the change (kept in the history)").fill(f"{name} by browser")


def _search_register(server, pg, text: str, timeout_s: float = 60) -> str:
    """Search the register on a server's Hubs page; return the "n of N register rows" caption."""
    pg.goto(f"{server.url}/hubs")
    map_frame(pg)
    search = pg.get_by_label("Find a hub (name or postcode)")
    search.fill(text)
    search.press("Enter")
    caption = pg.locator('[data-testid="stCaptionContainer"]').filter(has_text="register rows")
    deadline = time.monotonic() + timeout_s
    shown = ""
    while time.monotonic() < deadline:
        shown = caption.first.inner_text()
        if shown.startswith("1 of "):
            break
        pg.wait_for_timeout(300)
    return shown


def test_a_save_on_one_server_is_seen_on_the_other(two_servers, browser):
    url, (one, two) = two_servers
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    try:
        form = _open_add_form(one, pg)
        _fill(form, "Saved on server one", "LS22 6AA")
        form.get_by_role("button", name="Add hub").click()
        pg.get_by_text("Added Saved on server one").wait_for(timeout=60_000)
        caption = _search_register(two, pg, "Saved on server one")
        assert caption.startswith("1 of ")
    finally:
        ctx.close()


def test_hubs_added_at_the_same_moment_on_two_servers_are_both_kept(two_servers, browser):
    url, (one, two) = two_servers
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in (1, 2)]
    pages = [c.new_page() for c in contexts]
    try:
        forms = [_open_add_form(srv, pg) for srv, pg in zip((one, two), pages, strict=True)]
        _fill(forms[0], "Concurrent hub one", "LS15 7JY")
        _fill(forms[1], "Concurrent hub two", "LS22 6AA")
        buttons = [f.get_by_role("button", name="Add hub") for f in forms]
        for b in buttons:
            b.click(no_wait_after=True)  # both submitted before either save has finished
        pages[0].get_by_text("Added Concurrent hub one").wait_for(timeout=90_000)
        pages[1].get_by_text("Added Concurrent hub two").wait_for(timeout=90_000)
        store = RegisterStore(url)
        reg = store.load()
        store.dispose()
        assert {"Concurrent hub one", "Concurrent hub two"} <= set(reg["name"])
        assert reg["hub_id"].is_unique
        assert (
            reg.set_index("name").loc["Cross Gates and District Good Neighbours", "hub_id"]
            == "HUB-0001"
        )
    finally:
        for c in contexts:
            c.close()
