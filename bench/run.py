"""`python -m bench.run`: every benchmark the issues name, printed as one JSON document.

Measures the data build, loading the built data, coverage and site-recommendation solves,
validating a 5,000-row register (the upload limit), and, in
headless Debian chromium, the Map page against an empty Streamlit page served the same way:
time until the map's 488 polygons are painted, and bytes transferred (HTTP + websocket); and
on the Map page, a click on an LSOA until its profile is shown (issue 14).
Numbers are medians of a few runs; machines are noisy, so nothing here asserts a target.
`python -m bench.run --browser-only` runs just the browser part; HC_BENCH_SETTLE_MS (default 3000)
is how long each visit waits after "ready" for late requests, which still count as bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import (  # noqa: E402
    bench_coverage,
    bench_register,
    bench_sites,
    bench_whatif,
    bench_whatif_browser,
)
from data import artefacts  # noqa: E402
from data.build import build_all  # noqa: E402


def time_build() -> dict:
    """Build every artefact from scratch into a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build_all(out=Path(tmp))
        return {"build_s": round(time.perf_counter() - t0, 2)}


def time_load(repeats: int = 5) -> dict:
    """Load what the app reads on a cold cache (the st.cache_data wrappers then serve it)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        artefacts.read_lsoas()
        artefacts.read_lsoa_map_shapes()
        artefacts.read_wards()
        artefacts.read_outline()
        artefacts.read_postcodes()
        artefacts.read_default_footprints()
        times.append(time.perf_counter() - t0)
    return {"load_built_data_s": round(statistics.median(times), 3)}


def map_data_bytes() -> dict:
    """Size of the Map page's map: the HTML page (geometry, properties, styles, hubs, legend)
    the app hands its map frame, built by the app's own loader. Leaflet is linked, not inlined."""
    import logging

    from app_pages import map_layers
    from data import loaders
    from utils import constants as c

    for name in list(logging.root.manager.loggerDict):  # caches work without a server: quiet
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HUB_COVERAGE_DB"] = str(Path(tmp) / "bench.sqlite")
        page = map_layers.map_page_document(c.IMD_SCORE, "All Leeds")
        loaders.register_store().dispose()
    return {"map_data_bytes": len(page.encode("utf-8"))}


class CountingProxy:
    """A localhost TCP proxy that counts the bytes the server sends to the browser.

    This is what really crosses the wire (HTTP after any compression, websocket frames after
    permessage-deflate), which the browser's own counters do not report for websockets.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.bytes_down = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _pipe(self, reader, writer, count: bool) -> None:
        try:
            while data := await reader.read(65536):
                if count:
                    self.bytes_down += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(
            self._pipe(client_reader, server_writer, count=False),
            self._pipe(server_reader, client_writer, count=True),
        )

    def stop(self) -> None:
        """Stop the proxy's event loop."""
        self._loop.call_soon_threadsafe(self._loop.stop)


# Runs in the page. Every 25 ms it counts the map's LSOA polygons in the page and in any map
# iframe (on the empty page it looks for the title); once they are there it waits for the next
# paint and records the time since navigation started. Timed in the browser, so the test driver
# adds nothing, and both pages pay for the same polling.
READY_PROBE = """
(() => {
  if (window !== window.top) return;
  const want = location.pathname.startsWith('/map') ? 'map' : 'title';
  const docs = () => [document, ...[...document.querySelectorAll('iframe')]
    .map(f => { try { return f.contentDocument; } catch (e) { return null; } })
    .filter(d => d)];
  const ready = () => want === 'map'
    ? docs().some(d => d.querySelectorAll('path.leaflet-interactive').length >= 488)
    : [...document.querySelectorAll('h1')].some(h => h.textContent.includes('Empty page'));
  const timer = setInterval(() => {
    if (!ready()) return;
    clearInterval(timer);
    requestAnimationFrame(() => setTimeout(() => { window.__hcReadyMs = performance.now(); }, 0));
  }, 25);
})();
"""


def _visit(browser, url: str, proxy: CountingProxy) -> dict:
    """One cold visit in a fresh browser context: ms until ready, and bytes transferred."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(READY_PROBE)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes = {"http": 0, "ws": 0}

    def on_loaded(event: dict) -> None:
        sizes["http"] += event["encodedDataLength"]

    def on_frame(event: dict) -> None:
        sizes["ws"] += len(event["response"]["payloadData"])

    cdp.on("Network.loadingFinished", on_loaded)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    proxy.bytes_down = 0
    page.goto(url)
    page.wait_for_function("window.__hcReadyMs > 0", timeout=120_000, polling=200)
    ready_ms = page.evaluate("window.__hcReadyMs")
    page.wait_for_timeout(
        int(os.environ.get("HC_BENCH_SETTLE_MS", 3000))
    )  # late requests (fonts, component assets) still count
    result = {
        "ready_s": ready_ms / 1000,
        "bytes_on_the_wire": proxy.bytes_down,
        "http_bytes": sizes["http"],
        "websocket_payload_bytes": sizes["ws"],
    }
    ctx.close()
    return result


# LSOAs clicked in turn on the Map page (an LS9 7EZ one, Cross Gates, city centre, Headingley...).
CLICK_LSOAS = ("E01011349", "E01011345", "E01011264", "E01011460", "E01011349", "E01011345")


# Installed before each click: the time of the click in the map's frame, and of the first paint
# after the profile's sentence for that LSOA appears in the page. Both on the page's clock.
CLICK_PROBE = """(code) => {
  window.__hcClick = {};
  const want = 'Selected neighbourhood ' + code;
  const frame = document.querySelector('iframe[src*="streamlit_folium.st_folium"]');
  frame.contentWindow.document.addEventListener(
    'click', () => { window.__hcClick.click = performance.now(); }, {capture: true, once: true});
  const seen = new MutationObserver(() => {
    if (window.__hcClick.shown || !document.body.innerText.includes(want)) return;
    window.__hcClick.shown = performance.now();
    seen.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      window.__hcClick.painted = performance.now(); }, 0));
  });
  seen.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def time_click_to_profile(browser, url: str) -> dict:
    """Map page: seconds from a click on an LSOA until its profile is painted, in the browser.

    The click lands on the LSOA's interior point (where Leaflet draws it); "painted" is the
    first paint after the panel's sentence naming that LSOA appears. Timed in the page (click
    event to paint), so the test driver's own overhead is left out; ``driver_median_s`` is the
    same clicks timed by Playwright (before the click is sent until it finds the text). The
    first click is reported apart; medians are over the others.
    """
    from data.artefacts import read_lsoas

    shapes = read_lsoas().set_index("lsoa21cd")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    frame = page.frame_locator('iframe[src*="streamlit_folium.st_folium"]').first
    frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    from tests.e2e.map_clicks import click_lsoa

    in_page, driver = [], []
    for code in CLICK_LSOAS:
        page.evaluate(CLICK_PROBE, code)
        shown = f"Selected neighbourhood {code}"
        driver.append(click_lsoa(page, frame, code, shapes, shown, timeout_ms=60_000))
        page.wait_for_function("window.__hcClick.painted > 0", timeout=60_000, polling=50)
        t = page.evaluate("window.__hcClick")
        in_page.append((t["painted"] - t["click"]) / 1000)
        page.wait_for_timeout(500)  # let the rerun finish before the next click
    ctx.close()
    return {
        "first_click_s": round(in_page[0], 2),
        "median_s": round(statistics.median(in_page[1:]), 2),
        "each_s": [round(t, 2) for t in in_page],
        "driver_median_s": round(statistics.median(driver[1:]), 2),
        "target_s": 0.5,
    }


def _median_of(visits: list[dict]) -> dict:
    return {
        key: round(statistics.median(v[key] for v in visits), 2 if key == "ready_s" else None)
        for key in visits[0]
    }


def time_browser(runs: int = 9) -> dict:
    """Map page vs an empty Streamlit page, each on its own `streamlit run` server.

    Visits alternate (empty, map, empty, map, ...) so both see the same machine load; the first
    pair warms the servers' caches and is dropped. Each visit is a fresh browser context (a cold
    browser cache), timed from navigation start to the map's polygons (or the empty page's
    title) being painted. Bytes are counted by a proxy in front of each server.
    """
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    visits: dict[str, list[dict]] = {"empty": [], "map": []}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {
            "empty": StreamlitServer(Path(tmp) / "empty.sqlite", script="bench/empty_app.py"),
            "map": StreamlitServer(Path(tmp) / "map.sqlite", script="dashboard.py"),
        }
        proxies = {}
        try:
            for name, server in servers.items():
                server.start()
                proxies[name] = CountingProxy(server.port)
            urls = {
                name: f"http://127.0.0.1:{proxies[name].port}" + ("/map" if name == "map" else "/")
                for name in servers
            }
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                for _ in range(runs + 1):
                    for name in ("empty", "map"):
                        visits[name].append(_visit(browser, urls[name], proxies[name]))
                click = time_click_to_profile(browser, urls["map"])
                browser.close()
        finally:
            for name, server in servers.items():
                server.stop()
                if name in proxies:
                    proxies[name].stop()
    results = {name: _median_of(v[1:]) for name, v in visits.items()}
    results["map_click_to_profile"] = click
    results["ready_s_each_visit"] = {
        name: [round(v["ready_s"], 2) for v in vs[1:]] for name, vs in visits.items()
    }
    empty, mapped = results["empty"], results["map"]
    results["ready_ratio_map_to_empty"] = round(mapped["ready_s"] / empty["ready_s"], 2)
    results["transfer_ratio_map_to_empty"] = round(
        mapped["bytes_on_the_wire"] / empty["bytes_on_the_wire"], 2
    )
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measurements")
    parser.add_argument("--browser-only", action="store_true", help="only the browser measurements")
    parser.add_argument("--runs", type=int, default=9, help="browser visits per page")
    args = parser.parse_args(argv)
    out: dict = {}
    if args.browser_only:
        browser = time_browser(args.runs)
        # Issue 14: click on the planner's what-if map -> newly reached figure; target <= 1.0 s.
        browser["planner_whatif_click"] = bench_whatif_browser.time_planner_click()
        print(json.dumps({"browser": browser}, indent=2))
        return 0
    out.update(time_build())
    out.update(time_load())
    out["coverage_30659_postcodes_100_hubs_ms"] = bench_coverage.time_coverage(n_hubs=100)
    # What-if hubs (issue 14): 10 placed hubs -> newly reached figures; target well under 200 ms.
    out["whatif"] = bench_whatif.run()
    # Reading and validating a register at the upload limit (5,000 rows); target <= 3 s.
    out.update(bench_register.time_validation())
    with contextlib.redirect_stdout(io.StringIO()):  # it prints its own JSON too
        out["site_solve_s_by_k"] = bench_sites.main()
    out.update(map_data_bytes())
    if not args.no_browser:
        out["browser"] = time_browser(args.runs)
        out["browser"]["planner_whatif_click"] = bench_whatif_browser.time_planner_click()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
