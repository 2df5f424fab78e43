"""`python -m data.export lsoas --out FILE.csv`: the analyst LSOA table from the command line.

Besides codes, names, LCP and indicators, each LSOA gets the Digital Exclusion Risk Index and
its components (default weights, scaled within Leeds, 0-10), the top-20% at-risk flag, and
coverage measured where people live: the shortest straight-line distance from any of its
residential postcodes to a hub open on the day, the share of those postcodes within the radius
(800 m by default), the residents within reach (residents x share) and ``covered`` (at least
half of them within reach). Hubs come from the register database (``HUB_COVERAGE_DB`` or
``--db``; a new database is seeded from data/hubs.csv, the default register): real hubs only,
or with ``--demo`` the illustrative sample hubs too, in which case the file name ends
"-illustrative" (FILE-illustrative.csv). Every row's ``hubs_used`` says which ("real" or
"real + illustrative samples").
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data import artefacts
from geo.coverage import COVERED_POP, NEAREST_HUB, SHARE_WITHIN_REACH, coverage_by_lsoa
from geo.footprints import attach_lcp
from utils import constants as c
from utils.demo import export_name, hubs_for_mode, with_hubs_used
from utils.hubs import open_on, validate_register
from utils.indicators import lsoa_export_table
from utils.risk import RISK_MISSING, at_risk_flags, component_column, compute_risk_index

DERI_SCORE = "deri_score"
RESIDENTS_WITHIN_REACH = "residents_within_reach"
# Export column -> DERI component key (its score column is utils.risk.component_column(key)).
DERI_COMPONENT_COLUMNS = {
    "deri_age": "age",
    "deri_broadband": "broadband",
    "deri_deprivation": "deprivation",
}

# Columns added to the export, in order.
COVERAGE_EXPORT_COLUMNS = [
    c.RISK_INDEX,
    RISK_MISSING,
    c.AT_RISK,
    c.NEAREST_HUB_M,
    NEAREST_HUB,
    c.COVERED,
    DERI_SCORE,
    *DERI_COMPONENT_COLUMNS,
    SHARE_WITHIN_REACH,
    RESIDENTS_WITHIN_REACH,
]


def coverage_columns(
    lsoas: pd.DataFrame,
    hubs: pd.DataFrame,
    radius_m: int = c.DEFAULT_RADIUS_M,
    demand: pd.DataFrame | None = None,
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
    demand
        Residential postcodes (``geo.coverage.demand_points``; the built ones by default).

    Returns
    -------
    pd.DataFrame
        ``LSOA`` plus ``COVERAGE_EXPORT_COLUMNS``. The distance (from the LSOA's closest
        residential postcode) is in whole metres and blank when there is no hub at all; the
        index is blank (with a reason) when no input exists. ``deri_*`` are the index and its
        components (0-10); ``share_within_reach`` is 0-1 and ``residents_within_reach`` is
        residents x share.
    """
    table = pd.DataFrame(lsoas.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    risk = compute_risk_index(table).reset_index()
    components = [component_column(k) for k in DERI_COMPONENT_COLUMNS.values()]
    table = table.merge(
        risk[[c.LSOA, c.RISK_INDEX, RISK_MISSING, *[x for x in components if x in risk]]],
        on=c.LSOA,
        how="left",
        validate="one_to_one",
    )
    table[c.AT_RISK] = at_risk_flags(table)
    covered = coverage_by_lsoa(
        table, hubs, radius_m, demand=artefacts.read_demand() if demand is None else demand
    )
    if len(covered) != len(lsoas):
        raise ValueError("Coverage changed the number of LSOAs.")
    out = pd.DataFrame(
        {col: covered[col] for col in [c.LSOA, *COVERAGE_EXPORT_COLUMNS] if col in covered}
    )
    out[c.RISK_INDEX] = out[c.RISK_INDEX].round(4)
    out[DERI_SCORE] = out[c.RISK_INDEX]
    for name, key in DERI_COMPONENT_COLUMNS.items():
        col = component_column(key)
        out[name] = covered[col].astype(float).round(4) if col in covered else np.nan
    out[SHARE_WITHIN_REACH] = covered[SHARE_WITHIN_REACH].astype(float).round(4)
    out[RESIDENTS_WITHIN_REACH] = covered[COVERED_POP].astype(float).round(1)
    dist = out[c.NEAREST_HUB_M].astype(float).replace([np.inf, -np.inf], np.nan)
    out[c.NEAREST_HUB_M] = dist.round().astype("Int64")
    if NEAREST_HUB not in out:
        out[NEAREST_HUB] = pd.NA
    return out[[c.LSOA, *COVERAGE_EXPORT_COLUMNS]]


def register_hubs(
    lsoas: pd.DataFrame,
    footprints: pd.DataFrame,
    as_of: date,
    db: str | None = None,
    demo: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """Hubs open on ``as_of`` from the register database, and one line per rejected row.

    Real hubs only unless ``demo`` (utils.demo.hubs_for_mode, the app's rule).
    """
    from data.register_store import RegisterStore

    store = RegisterStore(db)
    try:
        raw = store.load()
    finally:
        store.dispose()
    valid, errors = validate_register(raw, artefacts.read_postcodes(), lsoas, as_of, footprints)
    valid = hubs_for_mode(valid, demo)
    return valid[open_on(valid, as_of)].reset_index(drop=True), [str(e) for e in errors]


def lsoa_table(
    radius_m: int = c.DEFAULT_RADIUS_M,
    as_of: date | None = None,
    db: str | None = None,
    demo: bool = False,
    hubs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per Leeds LSOA 2021: codes, names, LCP (default footprints), indicators, risk
    index and its components, nearest open hub, the residents within ``radius_m`` and
    ``hubs_used``.

    Real hubs only unless ``demo`` (then the illustrative sample hubs too). ``hubs``: the open
    hubs to measure to (``x``/``y`` in EPSG:27700) instead of the register's; ``demo`` then only
    says what ``hubs_used`` reports.
    """
    artefacts.build_if_missing()
    footprints = artefacts.read_default_footprints()
    lsoas = attach_lcp(artefacts.read_lsoas(), footprints)
    if hubs is None:
        hubs, problems = register_hubs(lsoas, footprints, as_of or date.today(), db, demo)
        for problem in problems:
            print(f"Register row left out: {problem}", file=sys.stderr)
    table = with_hubs_used(lsoa_export_table(lsoas, coverage_columns(lsoas, hubs, radius_m)), demo)
    table.attrs["n_hubs"] = len(hubs)
    table.attrs["n_sample_hubs"] = (
        int(hubs[c.HUB_SAMPLE].sum()) if len(hubs) and c.HUB_SAMPLE in hubs else 0
    )
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
    parser.add_argument(
        "--demo",
        action="store_true",
        help="include the illustrative sample hubs (the file name then ends -illustrative)",
    )
    args = parser.parse_args(argv)
    from data.register_store import RegisterStoreError

    try:
        table = lsoa_table(radius_m=args.radius, db=args.db, demo=args.demo)
    except RegisterStoreError as err:  # e.g. a corrupt or lost database: say which and why
        print(f"error: {err}", file=sys.stderr)
        return 1
    out = args.out.with_name(export_name(args.out.name, args.demo))
    table.to_csv(out, index=False)
    n_hubs, n_sample = table.attrs["n_hubs"], table.attrs["n_sample_hubs"]
    print(
        f"Wrote {len(table)} rows x {table.shape[1]} columns to {out} "
        f"({n_hubs} hubs open today, {n_sample} of them illustrative samples; "
        f"reach {args.radius} m)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
