"""Benchmark: coverage measured at the 30,659 Leeds residential postcodes against n hubs.

Median milliseconds for ``coverage_by_lsoa`` (postcode distances to the nearest hub, share of
each LSOA's postcodes within reach), printed as JSON. Budget: 50 ms for 100 hubs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from geo.coverage import coverage_by_lsoa, demand_points, summarise_coverage  # noqa: E402
from utils.constants import (  # noqa: E402
    AT_RISK,
    IMD_DECILE,
    LCP,
    LEEDS_LSOA21_COUNT,
    LSOA,
    POP_TOTAL,
    PWC_X,
    PWC_Y,
    X,
    Y,
)

SEED = 20_251_125


def _lsoas(build_dir: Path | None) -> tuple[pd.DataFrame, str]:
    """Real built LSOAs if present, else a synthetic Leeds-sized table."""
    path = (build_dir or REPO_ROOT / "data" / "build") / "lsoas.parquet"
    if path.exists():
        cols = [LSOA, PWC_X, PWC_Y, POP_TOTAL, IMD_DECILE]
        df = pd.read_parquet(path, columns=cols)
        df[AT_RISK] = df[IMD_DECILE].isin([1, 2]).to_numpy(dtype=bool)
        return df, "built"
    rng = np.random.default_rng(SEED)
    n = LEEDS_LSOA21_COUNT
    df = pd.DataFrame(
        {
            LSOA: [f"E0{i:07d}" for i in range(n)],
            PWC_X: rng.uniform(415_000, 445_000, n),
            PWC_Y: rng.uniform(425_000, 450_000, n),
            POP_TOTAL: rng.integers(1_000, 3_000, n),
            AT_RISK: rng.random(n) < 0.3,
        }
    )
    return df, "synthetic"


def _demand(lsoas: pd.DataFrame, source: str, build_dir: Path | None) -> pd.DataFrame:
    """The built demand postcodes, or (synthetic LSOAs) 63 scattered points per LSOA."""
    path = (build_dir or REPO_ROOT / "data" / "build") / "demand_postcodes.parquet"
    if source == "built" and path.exists():
        return pd.read_parquet(path)
    if source == "built":
        pc = pd.read_parquet((build_dir or REPO_ROOT / "data" / "build") / "postcodes.parquet")
        return demand_points(pc, lsoas)
    rng = np.random.default_rng(SEED)
    per = 63  # 30,744 points: about Leeds' 30,659 postcodes
    return pd.DataFrame(
        {
            LSOA: np.repeat(lsoas[LSOA].to_numpy(), per),
            X: np.repeat(lsoas[PWC_X].to_numpy(), per) + rng.normal(0, 300, per * len(lsoas)),
            Y: np.repeat(lsoas[PWC_Y].to_numpy(), per) + rng.normal(0, 300, per * len(lsoas)),
        }
    )


def _hubs(lsoas: pd.DataFrame, n_hubs: int) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    pick = rng.choice(len(lsoas), size=n_hubs, replace=n_hubs > len(lsoas))
    return pd.DataFrame(
        {
            X: lsoas[PWC_X].to_numpy()[pick] + rng.normal(0, 300, n_hubs),
            Y: lsoas[PWC_Y].to_numpy()[pick] + rng.normal(0, 300, n_hubs),
            LCP: [f"LCP {i % 19}" for i in range(n_hubs)],
        }
    )


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm-up: imports (scipy) and first-call caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def time_coverage(
    n_hubs: int = 100,
    repeats: int = 50,
    radius_m: float = 800,
    build_dir: Path | None = None,
) -> float:
    """Median milliseconds for ``coverage_by_lsoa`` over all demand postcodes and ``n_hubs``."""
    lsoas, source = _lsoas(build_dir)
    demand = _demand(lsoas, source, build_dir)
    hubs = _hubs(lsoas, n_hubs)
    return _median_ms(lambda: coverage_by_lsoa(lsoas, hubs, radius_m, demand=demand), repeats)


def run(n_hubs: int = 100, repeats: int = 50, radius_m: float = 800) -> dict:
    """Coverage alone and coverage plus the Leeds and per-LCP summaries, as a JSON-ready dict."""
    lsoas, source = _lsoas(None)
    demand = _demand(lsoas, source, None)
    hubs = _hubs(lsoas, n_hubs)
    lsoas = lsoas.assign(**{LCP: [f"LCP {i % 19}" for i in range(len(lsoas))]})

    def full() -> None:
        out = coverage_by_lsoa(lsoas, hubs, radius_m, demand=demand)
        summarise_coverage(out, hubs=hubs)
        summarise_coverage(out, group_col=LCP, hubs=hubs)

    return {
        "benchmark": "coverage",
        "data": source,
        "n_lsoas": len(lsoas),
        "n_demand_postcodes": len(demand),
        "n_hubs": n_hubs,
        "radius_m": radius_m,
        "repeats": repeats,
        "coverage_median_ms": round(
            _median_ms(lambda: coverage_by_lsoa(lsoas, hubs, radius_m, demand=demand), repeats),
            3,
        ),
        "coverage_and_summaries_median_ms": round(_median_ms(full, repeats), 3),
        "budget_ms": 50,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
