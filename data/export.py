"""`python -m data.export lsoas --out FILE.csv`: the analyst LSOA table from the command line.

Besides codes, names, LCP and indicators, each LSOA gets the Digital Exclusion Risk Index
(default weights, scaled within Leeds), the top-20% at-risk flag, the straight-line distance to
the nearest hub open on the day and whether that is within the radius (800 m by default). Hubs
come from the register database (``HUB_COVERAGE_DB`` or ``--db``; a new database is seeded from
data/hubs.csv, the default register).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data import built
from data.build import build_all
from data.sources import build_dir
from geo.coverage import NEAREST_HUB, coverage_by_lsoa
from geo.footprints import attach_lcp
from utils import constants as c
from utils.hubs import open_on, validate_register
from utils.indicators import lsoa_export_table
from utils.risk import RISK_MISSING, at_risk_flags, compute_risk_index

# Columns added to the export, in order.
COVERAGE_EXPORT_COLUMNS = [
    c.RISK_INDEX,
    RISK_MISSING,
    c.AT_RISK,
    c.NEAREST_HUB_M,
    NEAREST_HUB,
    c.COVERED,
]


def coverage_columns(
    lsoas: pd.DataFrame, hubs: pd.DataFrame, radius_m: int = c.DEFAULT_RADIUS_M
) -> pd.DataFrame:
    """Risk index (default weights, Leeds scaling), at-risk flag and hub coverage per LSOA.

    Parameters
    ----------
    lsoas
        The built LSOA table (one row per LSOA, with the risk inputs and population centres).
    hubs
        The hubs to measure to (already filtered to open ones), with ``x``/``y`` in EPSG:27700.
    radius_m
        Reach radius in metres.

    Returns
    -------
    pd.DataFrame
        ``LSOA`` plus ``COVERAGE_EXPORT_COLUMNS``. The distance is in whole metres and blank
        when there is no hub at all; the index is blank (with a reason) when no input exists.
    """
    table = pd.DataFrame(lsoas.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    risk = compute_risk_index(table).reset_index()
    table = table.merge(
        risk[[c.LSOA, c.RISK_INDEX, RISK_MISSING]], on=c.LSOA, how="left", validate="one_to_one"
    )
    table[c.AT_RISK] = at_risk_flags(table)
    covered = coverage_by_lsoa(table, hubs, radius_m)
    if len(covered) != len(lsoas):
        raise ValueError("Coverage changed the number of LSOAs.")
    out = pd.DataFrame(
        {col: covered[col] for col in [c.LSOA, *COVERAGE_EXPORT_COLUMNS] if col in covered}
    )
    out[c.RISK_INDEX] = out[c.RISK_INDEX].round(4)
    dist = out[c.NEAREST_HUB_M].astype(float).replace([np.inf, -np.inf], np.nan)
    out[c.NEAREST_HUB_M] = dist.round().astype("Int64")
    if NEAREST_HUB not in out:
        out[NEAREST_HUB] = pd.NA
    return out[[c.LSOA, *COVERAGE_EXPORT_COLUMNS]]


def register_hubs(
    lsoas: pd.DataFrame, footprints: pd.DataFrame, as_of: date, db: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Hubs open on ``as_of`` from the register database, and one line per rejected row."""
    from data.register_store import RegisterStore

    store = RegisterStore(db)
    try:
        raw = store.load()
    finally:
        store.dispose()
    valid, errors = validate_register(raw, built.read_postcodes(), lsoas, as_of, footprints)
    return valid[open_on(valid, as_of)].reset_index(drop=True), [str(e) for e in errors]


def lsoa_table(
    radius_m: int = c.DEFAULT_RADIUS_M, as_of: date | None = None, db: str | None = None
) -> pd.DataFrame:
    """One row per Leeds LSOA 2021: codes, names, LCP (default footprints), indicators, risk
    index, nearest open hub and whether it is within ``radius_m``.
    """
    if not (build_dir() / "manifest.json").exists():
        build_all()
    footprints = built.read_default_footprints()
    lsoas = attach_lcp(built.read_lsoas(), footprints)
    hubs, problems = register_hubs(lsoas, footprints, as_of or date.today(), db)
    for problem in problems:
        print(f"Register row left out: {problem}", file=sys.stderr)
    table = lsoa_export_table(lsoas, coverage_columns(lsoas, hubs, radius_m))
    table.attrs["n_hubs"] = len(hubs)
    table.attrs["n_sample_hubs"] = int(hubs[c.HUB_SAMPLE].sum()) if len(hubs) else 0
    return table


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("table", choices=["lsoas"], help="which table to export")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument(
        "--radius",
        type=int,
        default=c.DEFAULT_RADIUS_M,
        choices=c.RADIUS_CHOICES_M,
        help="reach radius in metres (default %(default)s)",
    )
    parser.add_argument(
        "--db", default=None, help="register database URL or SQLite file (default $HUB_COVERAGE_DB)"
    )
    args = parser.parse_args(argv)
    from data.register_store import RegisterStoreError

    try:
        table = lsoa_table(radius_m=args.radius, db=args.db)
    except RegisterStoreError as err:  # e.g. a corrupt or lost database: say which and why
        print(f"error: {err}", file=sys.stderr)
        return 1
    table.to_csv(args.out, index=False)
    n_hubs, n_sample = table.attrs["n_hubs"], table.attrs["n_sample_hubs"]
    print(
        f"Wrote {len(table)} rows x {table.shape[1]} columns to {args.out} "
        f"({n_hubs} hubs open today, {n_sample} of them illustrative samples; "
        f"reach {args.radius} m)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
