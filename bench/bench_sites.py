"""Benchmark: time a Leeds-sized site-planner solve for k = 5, 10, 20 (budget: k = 20 in 2 s).

Demand is the 30,659 residential postcodes (each LSOA's weight split equally over them), 1,000
candidate sites and 60 existing hubs at 800 m; the time includes merging postcodes reached by
the same candidates (geo.sites.collapse_demand) and the exact solve.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.sites import recommend_sites, spread_to_postcodes  # noqa: E402
from utils.constants import (  # noqa: E402
    CRS_BNG,
    CRS_WGS84,
    IN_LEEDS,
    LSOA,
    POP_TOTAL,
    PWC_X,
    PWC_Y,
    X,
    Y,
)

BUILD = ROOT / "data" / "build"
SHARED_POSTCODES = (
    ROOT.parent / "shared" / "data" / "postcodes_leeds_area_latlon_nspl_may2025.csv.gz"
)
SEED = 20_25
N_CANDIDATES = 1_000
N_EXISTING = 60
RADIUS_M = 800
KS = (5, 10, 20)


def _leeds_postcodes() -> pd.DataFrame:
    """Leeds postcode centroids with X/Y in EPSG:27700 (built table if present, else the source)."""
    built = BUILD / "postcodes.parquet"
    if built.exists():
        pc = pd.read_parquet(built, columns=[X, Y, IN_LEEDS, LSOA])
        return pc[pc[IN_LEEDS].astype(bool)].dropna(subset=[X, Y])
    from pyproj import Transformer

    raw = pd.read_csv(SHARED_POSTCODES, dtype={"LSOA21CD": "string"})
    raw = raw[(raw["in_leeds"] == 1) & raw["lat"].notna()]
    to_bng = Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)
    x, y = to_bng.transform(raw["lon"].to_numpy(), raw["lat"].to_numpy())
    return pd.DataFrame({X: x, Y: y, LSOA: raw["LSOA21CD"].to_numpy()})


def _inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    rng = np.random.default_rng(SEED)
    postcodes = _leeds_postcodes()
    lsoas = BUILD / "lsoas.parquet"
    if lsoas.exists():
        demand = pd.read_parquet(lsoas, columns=[LSOA, PWC_X, PWC_Y, POP_TOTAL])
        source = "data/build/lsoas.parquet"
    else:
        # Same approximation as the build: PWC = mean of the LSOA's postcode centroids.
        demand = (
            postcodes.dropna(subset=[LSOA])
            .groupby(LSOA, as_index=False)[[X, Y]]
            .mean()
            .rename(columns={X: PWC_X, Y: PWC_Y})
        )
        demand[POP_TOTAL] = rng.integers(1_000, 3_000, len(demand)).astype(float)
        source = "postcode centroids from ../shared/data (no built LSOA table)"
    # Seeded "at-risk" weights: population x a skewed risk share, spread over the postcodes.
    demand["weight"] = demand[POP_TOTAL].to_numpy(dtype=float) * rng.beta(2, 5, len(demand))
    demand_file = BUILD / "demand_postcodes.parquet"
    if demand_file.exists():
        points = pd.read_parquet(demand_file, columns=[LSOA, X, Y])
    else:
        points = postcodes.dropna(subset=[LSOA])[[LSOA, X, Y]]
    demand = spread_to_postcodes(points, demand, "weight")
    picks = rng.choice(len(postcodes), N_CANDIDATES + N_EXISTING, replace=False)
    sites = postcodes.iloc[picks][[X, Y]].reset_index(drop=True)
    candidates = sites.iloc[:N_CANDIDATES].reset_index(drop=True)
    existing = sites.iloc[N_CANDIDATES:].reset_index(drop=True)
    return demand, candidates, existing, source


def main() -> dict[int, float]:
    """Time one solve per k and print ``{k: seconds}`` as JSON (details on stderr)."""
    demand, candidates, existing, source = _inputs()
    # Warm up imports and the CBC binary so the first timing is not the cold start.
    recommend_sites(demand, candidates, existing, "weight", 1, RADIUS_M)
    timings: dict[int, float] = {}
    for k in KS:
        start = time.perf_counter()
        rec = recommend_sites(demand, candidates, existing, "weight", k, RADIUS_M)
        timings[k] = round(time.perf_counter() - start, 3)
        print(
            f"k={k}: {timings[k]} s, model {rec.model_shape}, sites {len(rec.sites)}, "
            f"reach {rec.before_share:.1%} -> {rec.after_share:.1%}",
            file=sys.stderr,
        )
    print(f"demand: {len(demand)} from {source}", file=sys.stderr)
    print(json.dumps(timings))
    return timings


if __name__ == "__main__":
    main()
