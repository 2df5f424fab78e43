"""`python -m bench.run`: every benchmark the issues name, printed as one JSON document.

Measures the data build, loading the built data, coverage and site-recommendation solves, and, in
headless Debian chromium, the Map page against an empty Streamlit page served the same way:
time until the map's 488 polygons are painted, and bytes transferred (HTTP + websocket).
Numbers are medians of a few runs; machines are noisy, so nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import bench_coverage, bench_sites  # noqa: E402
from data import built  # noqa: E402
from data.build import build_all  # noqa: E402

MAP_SELECTOR = 'iframe[title="streamlit_folium.st_folium"]'


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
        built.read_lsoas()
        built.read_lsoa_map_shapes()
        built.read_wards()
        built.read_outline()
        built.read_postcodes()
        built.read_default_footprints()
        times.append(time.perf_counter() - t0)
    return {"load_built_data_s": round(statistics.median(times), 3)}


def map_data_bytes() -> dict:
    """Size of the Map page's map script (geometry, properties, styles, hubs) as sent to the browser."""
    from datetime import date

    from streamlit_folium import generate_leaflet_string

    from data.assets import LEAFLET_CSS, LEAFLET_JS
    from data.register_store import RegisterStore
    from geo.footprints import attach_lcp, dissolve_footprints
    from utils import constants as c
    from utils.hubs import open_on, validate_register
    from utils.indicators import indicator_table
    from utils.maps import build_hub_map

    with tempfile.TemporaryDirectory() as tmp:
        store = RegisterStore(Path(tmp) / "bench.sqlite")
        fp = built.read_default_footprints()
        lsoas = attach_lcp(built.read_lsoas(), fp)
        hubs, _ = validate_register(store.load(), built.read_postcodes(), lsoas, date.today(), fp)
        from data.build import simplify_for_map

        outlines = simplify_for_map(dissolve_footprints(built.read_lsoas(), fp))
        fmap = build_hub_map(
            built.read_lsoa_map_shapes(),
            indicator_table(lsoas, c.IMD_SCORE),
            c.IMD_SCORE,
            label=c.INDICATORS[c.IMD_SCORE][0],
            wards=built.read_wards(),
            outline=built.read_outline(),
            lcp_outlines=outlines,
            hubs=hubs[open_on(hubs, date.today())],
            asset_js=LEAFLET_JS,
            asset_css=LEAFLET_CSS,
        )
        fmap.get_root().render()
        script = generate_leaflet_string(fmap)
        store.dispose()
    return {"map_data_bytes": len(script.encode("utf-8"))}


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


def _browser_runs(url: str, wait_for_map: bool, runs: int) -> dict:
    """Median seconds until ready and bytes transferred for fresh browser contexts."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    seconds, http_bytes, ws_bytes, wire_bytes = [], [], [], []
    parsed = urlparse(url)
    proxy = CountingProxy(parsed.port)
    url = url.replace(f":{parsed.port}", f":{proxy.port}", 1)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs + 1):  # the first run warms the server's caches and is dropped
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            sizes = {"http": 0, "ws": 0}

            def on_loaded(event: dict, sizes: dict = sizes) -> None:
                sizes["http"] += event["encodedDataLength"]

            def on_frame(event: dict, sizes: dict = sizes) -> None:
                sizes["ws"] += len(event["response"]["payloadData"])

            cdp.on("Network.loadingFinished", on_loaded)
            cdp.on("Network.webSocketFrameReceived", on_frame)
            proxy.bytes_down = 0
            t0 = time.perf_counter()
            page.goto(url)
            if wait_for_map:
                frame = page.frame_locator(MAP_SELECTOR).first
                frame.locator("path.leaflet-interactive").nth(487).wait_for(timeout=120_000)
            else:
                page.get_by_text("Empty page").first.wait_for(timeout=120_000)
            seconds.append(time.perf_counter() - t0)
            page.wait_for_timeout(3000)  # late requests (fonts, component assets) still count
            wire_bytes.append(proxy.bytes_down)
            http_bytes.append(sizes["http"])
            ws_bytes.append(sizes["ws"])
            ctx.close()
        browser.close()
    proxy.stop()
    return {
        "bytes_on_the_wire": int(statistics.median(wire_bytes[1:])),
        "ready_s": round(statistics.median(seconds[1:]), 2),
        "http_bytes": int(statistics.median(http_bytes[1:])),
        "websocket_payload_bytes": int(statistics.median(ws_bytes[1:])),
    }


def time_browser(runs: int = 3) -> dict:
    """Map page vs an empty Streamlit page, each on its own `streamlit run` server."""
    from tests.e2e.conftest import StreamlitServer

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, script in (("map", "dashboard.py"), ("empty", "bench/empty_app.py")):
            server = StreamlitServer(Path(tmp) / f"{name}.sqlite", script=script)
            server.start()
            try:
                target = f"{server.url}/map" if name == "map" else server.url
                results[name] = _browser_runs(target, wait_for_map=name == "map", runs=runs)
            finally:
                server.stop()
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
    parser.add_argument("--runs", type=int, default=3, help="browser runs per page")
    args = parser.parse_args(argv)
    out: dict = {}
    out.update(time_build())
    out.update(time_load())
    out["coverage_488_lsoas_100_hubs_ms"] = bench_coverage.time_coverage(n_hubs=100)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints its own JSON too
        out["site_solve_s_by_k"] = bench_sites.main()
    out.update(map_data_bytes())
    if not args.no_browser:
        out["browser"] = time_browser(args.runs)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
