"""Benchmark: what-if hubs on Leeds, 10 hypothetical hubs against the open register hubs.

Median milliseconds, printed as JSON: preparing ``WhatIfBase`` once (distances from the 30,659
demand postcodes to the open hubs, a k-d tree), the gain of 10 placed hubs on a prepared base
(what a planner click costs), the two together, and coverage measured twice the slow way for
comparison. Target: figures in well under 200 ms for 10 hubs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from data import artefacts as built  # noqa: E402
from geo.coverage import coverage_by_lsoa  # noqa: E402
from geo.footprints import attach_lcp  # noqa: E402
from geo.whatif import WhatIfBase, parse_added_hubs, whatif_gain  # noqa: E402
from utils.constants import IN_LEEDS, POSTCODE, X, Y  # noqa: E402
from utils.hubs import open_on, read_register_file, validate_register  # noqa: E402
from utils.risk import attach_risk, compute_risk_index  # noqa: E402

SEED = 20_261_130


def leeds_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """LSOAs (LCP, risk index, at-risk flag as the app's default), demand, postcodes, open hubs."""
    shapes = built.read_lsoas()
    footprints = built.read_default_footprints()
    lsoas = pd.DataFrame(attach_lcp(shapes, footprints).drop(columns="geometry"))
    lsoas = attach_risk(lsoas, compute_risk_index(lsoas).reset_index())
    postcodes = built.read_postcodes()
    raw = read_register_file(built.DEFAULT_HUBS.read_bytes(), built.DEFAULT_HUBS.name)
    hubs, _ = validate_register(raw, postcodes, shapes, date.today(), footprints=footprints)
    open_hubs = hubs[open_on(hubs, date.today())].reset_index(drop=True)
    return lsoas, built.read_demand(), postcodes, open_hubs


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(1000 * statistics.median(times), 2)


def run(n_added: int = 10, repeats: int = 30, radius_m: float = 800) -> dict:
    """Time the what-if steps for ``n_added`` hubs placed at random Leeds postcodes."""
    lsoas, demand, postcodes, open_hubs = leeds_inputs()
    rng = np.random.default_rng(SEED)
    leeds = postcodes.loc[postcodes[IN_LEEDS].astype(bool), POSTCODE].to_numpy()
    sets = [
        parse_added_hubs(";".join(rng.choice(leeds, n_added, replace=False)), postcodes).hubs
        for _ in range(repeats)
    ]
    base = WhatIfBase(lsoas, demand, open_hubs, radius_m)
    it = iter(sets * 3)
    gain_ms = _median_ms(lambda: base.gain(next(it)), repeats)
    prep_ms = _median_ms(lambda: WhatIfBase(lsoas, demand, open_hubs, radius_m), repeats)
    both_ms = _median_ms(lambda: whatif_gain(lsoas, demand, open_hubs, sets[0], radius_m), repeats)

    def slow() -> None:
        with_added = pd.concat([open_hubs[[X, Y]], sets[0][[X, Y]]], ignore_index=True)
        coverage_by_lsoa(lsoas, open_hubs, radius_m, demand=demand)
        coverage_by_lsoa(lsoas, with_added, radius_m, demand=demand)

    return {
        "open_hubs": len(open_hubs),
        "added_hubs": n_added,
        "radius_m": radius_m,
        "whatif_prepare_base_ms": prep_ms,
        "whatif_gain_10_hubs_ms": gain_ms,
        "whatif_prepare_and_gain_ms": both_ms,
        "coverage_twice_for_comparison_ms": _median_ms(slow, max(5, repeats // 3)),
    }


def main() -> dict:
    """Print and return the timings."""
    out = run()
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
