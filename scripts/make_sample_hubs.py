"""Write the default hub register data/hubs.csv: the one real named hub plus an illustrative sample.

Re-runnable and deterministic: ``.venv/bin/python scripts/make_sample_hubs.py``.

Only one Leeds Digital Health Hub is named in public sources (Cross Gates and District Good
Neighbours, Station Road LS15 7JY). So that the coverage and growth views have something to show,
the rest of the register is an **illustrative sample** (``sample=true``, named "Sample hub — …",
organisation "Illustrative sample (no real organisation)"). It is not a list of real hubs.

How the sample is made
- Counts and timing follow the public milestones
  (../shared/data/leeds_digital_health_hub_growth_milestones.csv): 5 initial hubs in Beeston and
  Middleton; 10 in York Road; enough others for 26 open city-wide by the end of Aug 2022; wave one
  from Oct 2022 in HATCH, Woodsley and Holt Park, Central and Morley and District; more Beeston and
  Middleton venues up to 16 there; then two illustrative later waves (2023-24) across the other
  footprints. See ``PLAN``. Opening months are spread evenly over each batch's window (month
  precision: the sources give no days).
- Locations: for each hub an LSOA of its footprint is drawn at random, weighted by mid-2022
  population x (11 - IMD 2025 decile) (hubs target deprived, populous areas), then a random
  geographic postcode of that LSOA (in_leeds == 1; non-geographic LS88/LS98/LS99 excluded) whose
  centroid point-in-polygon check gives the same LSOA; sample hubs are kept at least
  ``MIN_SPACING_M`` apart. Random draws use numpy's default_rng(``SEED``).
- One sample hub closes (York Road, 2023-06) and one closes and reopens (Seacroft: closed 2022-12,
  reopened 2023-09 as a second row with the same name and postcode and a new id).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from data.sources import source_dir  # noqa: E402
from utils.constants import (  # noqa: E402
    HUB_ADDRESS,
    HUB_CLOSED,
    HUB_ID,
    HUB_LAT,
    HUB_LON,
    HUB_NAME,
    HUB_OPENED,
    HUB_ORG,
    HUB_POSTCODE,
    HUB_SAMPLE,
    HUB_SERVICES,
    HUB_SOURCE,
    IN_LEEDS,
    LAT,
    LCP,
    LON,
    LSOA,
    POSTCODE,
    X,
    Y,
)
from utils.hubs import HUB_NOTES, REGISTER_COLUMNS, assign_areas, geocode_hubs  # noqa: E402

SEED = 20221026  # date of the wave-one workshop; any fixed number would do
MIN_SPACING_M = 400.0
OUT_PATH = REPO_ROOT / "data" / "hubs.csv"
FOOTPRINTS_PATH = REPO_ROOT / "data" / "footprints" / "lsoa21_lcp.csv"
NON_GEOGRAPHIC_DISTRICTS = ("LS88", "LS98", "LS99")

SAMPLE_ORG = "Illustrative sample (no real organisation)"
SAMPLE_SOURCE = (
    f"Illustrative sample: scripts/make_sample_hubs.py (seed {SEED}); counts and timing follow "
    "leeds_digital_health_hub_growth_milestones.csv; location is a postcode centroid, not a venue"
)
SERVICES = (
    "Help with the NHS App and online GP services",
    "Digital skills drop-in",
    "Device and data loans",
    "Online health information sessions",
    "Video consultation space",
)

REAL_HUB = {
    HUB_ID: "HUB-0001",
    HUB_NAME: "Cross Gates and District Good Neighbours",
    HUB_ORG: "Cross Gates & District Good Neighbours' Scheme CIO",
    HUB_ADDRESS: "Station Road, Cross Gates, Leeds",
    HUB_POSTCODE: "LS15 7JY",
    HUB_OPENED: "2020-01 (placeholder)",  # marked: shown as "date not known"
    HUB_CLOSED: None,
    HUB_SERVICES: "The first Leeds Digital Health Hub; neighbourhood network for people aged 60+",
    HUB_NOTES: (
        "Real hub. Opening date not published: sources say only that it was the first Leeds "
        "Digital Health Hub, before Aug 2022. 2020-01 is a placeholder so that it comes first on "
        "the growth chart. Address from a Spring 2020 newsletter."
    ),
    HUB_SOURCE: (
        "https://digitalinclusionleeds.com/our-work/key-initiatives/digital-health-hubs ; "
        "https://digitalinclusionleeds.com/partner-profile-cross-gates-and-district-good-neighbours-scheme ; "
        "https://www.readkong.com/page/spring-2020-cross-gates-district-good-neighbours-scheme-5330626"
    ),
    HUB_SAMPLE: False,
}

BM = "Beeston and Middleton"
# (phase note, footprint, number of hubs, first month, last month)
PLAN: tuple[tuple[str, str, int, str, str], ...] = (
    ("initial Beeston and Middleton hubs (5)", BM, 5, "2021-02", "2021-07"),
    ("York Road hubs (10)", "York Road", 10, "2021-09", "2022-05"),
    ("other hubs open by Aug 2022 (26 city-wide)", "Cross Gates", 2, "2022-01", "2022-06"),
    ("other hubs open by Aug 2022 (26 city-wide)", "Seacroft", 2, "2022-02", "2022-07"),
    ("other hubs open by Aug 2022 (26 city-wide)", "LS25 and LS26", 2, "2022-03", "2022-08"),
    (
        "other hubs open by Aug 2022 (26 city-wide)",
        "Otley and Aireborough",
        1,
        "2022-04",
        "2022-04",
    ),
    ("other hubs open by Aug 2022 (26 city-wide)", "Morley and District", 1, "2022-05", "2022-05"),
    ("other hubs open by Aug 2022 (26 city-wide)", "HATCH", 1, "2022-06", "2022-06"),
    (
        "other hubs open by Aug 2022 (26 city-wide)",
        "Woodsley and Holt Park",
        1,
        "2022-08",
        "2022-08",
    ),
    ("wave one (from Oct 2022)", "HATCH", 4, "2022-11", "2023-04"),
    ("wave one (from Oct 2022)", "Woodsley and Holt Park", 4, "2022-11", "2023-04"),
    ("wave one (from Oct 2022)", "Central", 3, "2022-12", "2023-04"),
    ("wave one (from Oct 2022)", "Morley and District", 3, "2022-12", "2023-03"),
    ("later Beeston and Middleton venues (16 in total)", BM, 11, "2022-11", "2023-09"),
    ("illustrative wave two (2023)", "Otley and Aireborough", 2, "2023-05", "2023-10"),
    ("illustrative wave two (2023)", "LS25 and LS26", 2, "2023-05", "2023-10"),
    ("illustrative wave two (2023)", "Seacroft", 1, "2023-06", "2023-06"),
    ("illustrative wave two (2023)", "Cross Gates", 1, "2023-07", "2023-07"),
    ("illustrative wave two (2023)", "Provisional: Armley area", 2, "2023-05", "2023-09"),
    (
        "illustrative wave two (2023)",
        "Provisional: Bramley & Stanningley area",
        2,
        "2023-06",
        "2023-10",
    ),
    ("illustrative wave three (2023-24)", "Provisional: Pudsey area", 1, "2023-12", "2023-12"),
    (
        "illustrative wave three (2023-24)",
        "Provisional: Farnley & Wortley area",
        2,
        "2023-11",
        "2024-04",
    ),
    (
        "illustrative wave three (2023-24)",
        "Provisional: Calverley & Farsley area",
        1,
        "2024-01",
        "2024-01",
    ),
    (
        "illustrative wave three (2023-24)",
        "Provisional: Alwoodley & Adel area",
        1,
        "2024-02",
        "2024-02",
    ),
    (
        "illustrative wave three (2023-24)",
        "Provisional: Moortown & Chapel Allerton area",
        2,
        "2023-11",
        "2024-05",
    ),
    ("illustrative wave three (2023-24)", "Provisional: Roundhay area", 1, "2024-03", "2024-03"),
    (
        "illustrative wave three (2023-24)",
        "Provisional: Wetherby & Harewood area",
        2,
        "2024-01",
        "2024-06",
    ),
)
CLOSES = {("York Road", 3): "2023-06"}  # (footprint, n) -> closed month
REOPENS = {("Seacroft", 1): ("2022-12", "2023-09")}  # (footprint, n) -> (closed, reopened)


def _months(first: str, last: str, n: int) -> list[str]:
    a, b = pd.Period(first, "M"), pd.Period(last, "M")
    steps = np.linspace(0, (b - a).n, n) if n > 1 else [0]
    return [str(a + int(round(s))) for s in steps]


def _short(lcp: str) -> str:
    return lcp.removeprefix("Provisional: ")


def candidate_postcodes(
    postcodes: pd.DataFrame, lsoas: gpd.GeoDataFrame, footprints: pd.DataFrame
) -> pd.DataFrame:
    """Leeds geographic postcodes whose centroid falls in the LSOA the postcode table says."""
    pc = postcodes[postcodes[IN_LEEDS].astype(bool)].copy()
    pc = pc[~pc[POSTCODE].str.split(" ").str[0].isin(NON_GEOGRAPHIC_DISTRICTS)]
    pc = pc.dropna(subset=[LAT, LON, "LSOA21CD"])
    geo = geocode_hubs(pc[[POSTCODE]].assign(**{HUB_LAT: np.nan, HUB_LON: np.nan}), pc)
    geo = assign_areas(geo, lsoas, footprints)
    geo["pc_lsoa"] = pc["LSOA21CD"].to_numpy()
    return geo[geo[LSOA] == geo["pc_lsoa"]].reset_index(drop=True)


def make_register(
    postcodes: pd.DataFrame, lsoas: gpd.GeoDataFrame, footprints: pd.DataFrame, weights: pd.Series
) -> pd.DataFrame:
    """Return the default register (real hub first, then the sample) with stored columns."""
    rng = np.random.default_rng(SEED)
    cands = candidate_postcodes(postcodes, lsoas, footprints)
    fp_lsoas = footprints.groupby(LCP)[LSOA].apply(sorted)
    real = geocode_hubs(pd.DataFrame([REAL_HUB]), postcodes)
    placed = [(float(real[X].iloc[0]), float(real[Y].iloc[0]))]
    rows = [REAL_HUB]
    counter: dict[str, int] = {}
    next_id = 1
    for phase, lcp, n, first, last in PLAN:
        if lcp not in fp_lsoas.index:
            raise ValueError(f"Footprint {lcp!r} is not in the footprint lookup")
        codes = fp_lsoas[lcp]
        w = weights.reindex(codes).fillna(0).to_numpy(dtype=float)
        for month in _months(first, last, n):
            counter[lcp] = counter.get(lcp, 0) + 1
            k = counter[lcp]
            for _ in range(500):
                lsoa = codes[rng.choice(len(codes), p=w / w.sum())]
                pool = cands[cands[LSOA] == lsoa]
                if pool.empty:
                    continue
                pick = pool.iloc[int(rng.integers(len(pool)))]
                xy = (float(pick[X]), float(pick[Y]))
                if all(np.hypot(xy[0] - a, xy[1] - b) >= MIN_SPACING_M for a, b in placed):
                    break
            else:
                raise RuntimeError(f"Could not place sample hub {k} in {lcp}")
            placed.append(xy)
            services = "; ".join(sorted(rng.choice(SERVICES, size=2, replace=False)))
            name = f"Sample hub — {_short(lcp)} {k}"
            base = {
                HUB_NAME: name,
                HUB_ORG: SAMPLE_ORG,
                HUB_ADDRESS: f"Illustrative location: centroid of postcode {pick[POSTCODE]} (no real venue)",
                HUB_POSTCODE: pick[POSTCODE],
                HUB_LAT: None,
                HUB_LON: None,
                HUB_SERVICES: services,
                HUB_SOURCE: SAMPLE_SOURCE,
                HUB_SAMPLE: True,
            }
            note = f"Illustrative sample, not a real hub. Phase: {phase}."
            closed = CLOSES.get((lcp, k))
            reopen = REOPENS.get((lcp, k))
            if reopen:
                closed = reopen[0]
            rows.append(
                {
                    **base,
                    HUB_ID: f"SAMPLE-{next_id:03d}",
                    HUB_OPENED: month,
                    HUB_CLOSED: closed,
                    HUB_NOTES: note + (" Illustrative closure." if closed else ""),
                }
            )
            next_id += 1
            if reopen:
                rows.append(
                    {
                        **base,
                        HUB_ID: f"SAMPLE-{next_id:03d}",
                        HUB_OPENED: reopen[1],
                        HUB_CLOSED: None,
                        HUB_NOTES: note + f" Illustrative reopening of the hub closed {reopen[0]}.",
                    }
                )
                next_id += 1
    return pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))


def main(argv: list[str] | None = None) -> int:
    """Write data/hubs.csv from the shared data and the default footprints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="shared data folder")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    src = args.source or source_dir()

    postcodes = pd.read_csv(src / "postcodes_leeds_area_latlon_nspl_may2025.csv.gz")
    postcodes[IN_LEEDS] = postcodes[IN_LEEDS].fillna(0).astype(bool)
    lsoas = gpd.read_file(src / "leeds_lsoa2021_boundaries.geojson").rename(
        columns={"LSOA21CD": LSOA}
    )
    lsoas = lsoas.merge(
        pd.read_csv(
            src / "leeds_lsoa2021_msoa_ward_lookup.csv", usecols=["LSOA21CD", "WD25CD"]
        ).rename(columns={"LSOA21CD": LSOA, "WD25CD": "ward_cd"}),
        on=LSOA,
        how="left",
        validate="one_to_one",
    )
    footprints = pd.read_csv(FOOTPRINTS_PATH, dtype=str)
    file7 = pd.read_csv(src / "iod2025_leeds_lsoa21_File7_official.csv").set_index(
        "LSOA code (2021)"
    )
    decile = file7[
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    ]
    weights = file7["Total population: mid 2022"] * (11 - decile)

    register = make_register(postcodes, lsoas, footprints, weights)
    register.to_csv(args.out, index=False, lineterminator="\n")
    print(f"Wrote {len(register)} rows ({int(register[HUB_SAMPLE].sum())} sample) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
