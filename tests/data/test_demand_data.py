"""Coverage measured where people live, on the real Leeds data: demand postcodes and the export."""

from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from data.artefacts import DEMAND_FILE
from data.export import DERI_COMPONENT_COLUMNS, lsoa_table
from geo.coverage import (
    COVERED_POP,
    DEMAND_RESIDENTS,
    SHARE_WITHIN_REACH,
    coverage_by_lsoa,
    postcode_district,
)
from utils import constants as c
from utils.hubs import open_on, read_register_file, validate_register
from utils.risk import at_risk_flags, compute_risk_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demand(built_dir) -> pd.DataFrame:
    return pd.read_parquet(built_dir / DEMAND_FILE)


@pytest.fixture(scope="module")
def lsoas(built_dir) -> pd.DataFrame:
    return pd.DataFrame(gpd.read_parquet(built_dir / "lsoas.parquet").drop(columns="geometry"))


@pytest.fixture(scope="module")
def open_hubs(built_dir, lsoas) -> pd.DataFrame:
    """Hubs of the default register open today (the one real hub and the samples)."""
    raw = read_register_file((ROOT / "data" / "hubs.csv").read_bytes(), "hubs.csv")
    postcodes = pd.read_parquet(built_dir / "postcodes.parquet")
    footprints = pd.read_csv(ROOT / "data" / "footprints" / "lsoa21_lcp.csv", dtype=str)
    footprints = footprints.rename(columns={"status": c.LCP_STATUS})
    valid, errors = validate_register(
        raw, postcodes, gpd.read_parquet(built_dir / "lsoas.parquet"), date.today(), footprints
    )
    assert errors == []
    return valid[open_on(valid, date.today())].reset_index(drop=True)


def test_demand_is_30659_residential_leeds_postcodes_16_to_818_per_lsoa(demand, lsoas):
    assert len(demand) == 30_659
    assert demand[c.POSTCODE].is_unique
    per_lsoa = demand.groupby(c.LSOA).size()
    assert len(per_lsoa) == c.LEEDS_LSOA21_COUNT == len(lsoas)
    assert set(per_lsoa.index) == set(lsoas[c.LSOA])
    assert per_lsoa.min() == 16 and per_lsoa.max() == 818
    assert not postcode_district(demand[c.POSTCODE]).isin(["LS88", "LS98", "LS99"]).any()


def test_residents_are_split_equally_and_none_are_lost(demand, lsoas):
    assert demand[DEMAND_RESIDENTS].sum() == pytest.approx(lsoas[c.POP_TOTAL].sum())  # 820,802
    per = demand.groupby(c.LSOA)[DEMAND_RESIDENTS].agg(["min", "max", "sum"])
    assert np.allclose(per["min"], per["max"])
    pop = lsoas.set_index(c.LSOA)[c.POP_TOTAL].reindex(per.index)
    assert np.allclose(per["sum"], pop)


@pytest.mark.parametrize("radius", [400, 800, 2000])
def test_share_within_reach_on_leeds_matches_brute_force_distances(
    demand, lsoas, open_hubs, radius
):
    frame = lsoas.assign(**{c.AT_RISK: lsoas[c.IMD_DECILE] <= 2})
    out = coverage_by_lsoa(frame, open_hubs, radius, demand=demand).set_index(c.LSOA)
    # Brute force: every postcode against every hub.
    dx = demand[c.X].to_numpy()[:, None] - open_hubs[c.X].to_numpy()[None, :]
    dy = demand[c.Y].to_numpy()[:, None] - open_hubs[c.Y].to_numpy()[None, :]
    nearest = np.sqrt(dx**2 + dy**2).min(axis=1)
    brute = (
        pd.DataFrame({c.LSOA: demand[c.LSOA], "in": nearest <= radius, "d": nearest})
        .groupby(c.LSOA)
        .agg(share=("in", "mean"), d=("d", "min"))
    )
    assert np.allclose(out.loc[brute.index, SHARE_WITHIN_REACH], brute["share"])
    assert np.allclose(out.loc[brute.index, c.NEAREST_HUB_M], brute["d"])
    pop = out.loc[brute.index, c.POP_TOTAL].astype(float)
    assert np.allclose(out.loc[brute.index, COVERED_POP], pop * brute["share"])
    # Some LSOAs are partly within reach: whole neighbourhoods are no longer in or out.
    assert ((brute["share"] > 0) & (brute["share"] < 1)).any()


@pytest.fixture(scope="module")
def export(open_hubs) -> pd.DataFrame:
    return lsoa_table(radius_m=800, hubs=open_hubs)


def test_export_keeps_todays_columns_and_adds_deri_and_reach_columns(export):
    old = [c.RISK_INDEX, "risk_missing", c.AT_RISK, c.NEAREST_HUB_M, "nearest_hub", c.COVERED]
    new = [
        "deri_score",
        *DERI_COMPONENT_COLUMNS,
        SHARE_WITHIN_REACH,
        "residents_within_reach",
    ]
    assert set(old + new) <= set(export.columns)
    assert len(export) == c.LEEDS_LSOA21_COUNT and export[c.LSOA].is_unique
    assert export["deri_score"].equals(export[c.RISK_INDEX])
    for col in ["deri_score", *DERI_COMPONENT_COLUMNS]:
        values = export[col].dropna()
        assert values.between(0, 10).all(), col
    assert export[c.AT_RISK].isin([True, False]).all()


def test_export_components_match_the_risk_frame(export, lsoas):
    from utils.risk import component_column

    risk = compute_risk_index(lsoas).reset_index().set_index(c.LSOA)
    table = export.set_index(c.LSOA)
    for name, key in DERI_COMPONENT_COLUMNS.items():
        col = component_column(key)
        if col in risk:  # every key once the DERI components are in utils.risk
            assert np.allclose(table[name], risk.loc[table.index, col].round(4), equal_nan=True)
        else:
            assert table[name].isna().all()


def test_export_reach_columns_agree_with_each_other(export, demand, open_hubs):
    share = export[SHARE_WITHIN_REACH]
    assert share.between(0, 1).all()
    expected = export[c.POP_TOTAL] * share
    # share is rounded to 4 decimals and residents to 0.1 in the file: within half a person.
    assert np.allclose(export["residents_within_reach"], expected, rtol=0, atol=0.5)
    # nearest_hub_m: the closest demand postcode of the LSOA to any open hub, whole metres.
    dx = demand[c.X].to_numpy()[:, None] - open_hubs[c.X].to_numpy()[None, :]
    dy = demand[c.Y].to_numpy()[:, None] - open_hubs[c.Y].to_numpy()[None, :]
    d = pd.Series(np.sqrt(dx**2 + dy**2).min(axis=1)).groupby(demand[c.LSOA].to_numpy()).min()
    got = export.set_index(c.LSOA)[c.NEAREST_HUB_M].astype(float)
    assert np.allclose(got, d.reindex(got.index).round(), atol=1)


def test_export_at_risk_residents_are_the_top_20_percent_lsoas(export, lsoas):
    risk = compute_risk_index(lsoas).reset_index()
    flagged = at_risk_flags(risk)
    expected = lsoas.set_index(c.LSOA).loc[risk.loc[flagged, c.LSOA], c.POP_TOTAL].sum()
    assert export.loc[export[c.AT_RISK], c.POP_TOTAL].sum() == expected


def test_export_command_writes_the_reach_columns_at_the_chosen_radius(tmp_path, capsys):
    from data.export import main

    out = tmp_path / "lsoas.csv"
    db = tmp_path / "register.sqlite"
    assert main(["lsoas", "--out", str(out), "--radius", "400", "--db", str(db)]) == 0
    assert "reach 400 m" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert len(table) == c.LEEDS_LSOA21_COUNT
    assert {"deri_score", SHARE_WITHIN_REACH, "residents_within_reach"} <= set(table.columns)
    assert table[SHARE_WITHIN_REACH].between(0, 1).all()
    wider = lsoa_table(radius_m=1600, db=str(db))
    # A wider radius never reaches fewer residents.
    assert wider["residents_within_reach"].sum() > table["residents_within_reach"].sum()
