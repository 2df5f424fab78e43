"""Issue 14 on the real Leeds data: what-if gain, map-click lookup, postcode search, profile."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data import artefacts as built
from geo.coverage import COVERED_POP, coverage_by_lsoa
from geo.footprints import attach_lcp
from geo.profile import lsoa_at_point, lsoa_for_postcode, lsoa_profile, profile_table
from geo.whatif import WhatIfBase, compare_with_optimiser, parse_added_hubs, whatif_gain
from utils.constants import AT_RISK, IN_LEEDS, LCP, LEEDS_LSOA21_COUNT, LSOA, POSTCODE, X, Y
from utils.hubs import open_on, read_register_file, validate_register
from utils.risk import attach_risk, compute_risk_index

LS9_7EZ_LSOA = "E01011349"


@pytest.fixture(scope="module")
def shapes(built_dir):
    return built.read_lsoas(built_dir)


@pytest.fixture(scope="module")
def risk(shapes) -> pd.DataFrame:
    return compute_risk_index(pd.DataFrame(shapes.drop(columns="geometry")))


@pytest.fixture(scope="module")
def lsoas(shapes, risk) -> pd.DataFrame:
    frame = pd.DataFrame(
        attach_lcp(shapes, built.read_default_footprints()).drop(columns="geometry")
    )
    return attach_risk(frame, risk.reset_index())


@pytest.fixture(scope="module")
def postcodes(built_dir) -> pd.DataFrame:
    return built.read_postcodes(built_dir)


@pytest.fixture(scope="module")
def demand(built_dir) -> pd.DataFrame:
    return built.read_demand(built_dir)


@pytest.fixture(scope="module")
def open_hubs(shapes, postcodes) -> pd.DataFrame:
    raw = read_register_file(built.DEFAULT_HUBS.read_bytes(), built.DEFAULT_HUBS.name)
    hubs, errors = validate_register(
        raw, postcodes, shapes, date.today(), footprints=built.read_default_footprints()
    )
    assert errors == []
    return hubs[open_on(hubs, date.today())].reset_index(drop=True)


@pytest.fixture(scope="module")
def ten_added(postcodes) -> pd.DataFrame:
    leeds = postcodes.loc[postcodes[IN_LEEDS].astype(bool), POSTCODE].sort_values()
    picked = leeds.iloc[np.linspace(0, len(leeds) - 1, 10).astype(int)]
    added = parse_added_hubs(";".join(picked), postcodes)
    assert added.problems == () and len(added) == 10
    return added.hubs


@pytest.mark.parametrize("radius", [400, 800, 1200, 2000])
def test_leeds_whatif_gain_equals_coverage_with_minus_without(
    lsoas, demand, open_hubs, ten_added, radius
):
    before = coverage_by_lsoa(lsoas, open_hubs, radius, demand=demand)
    both = pd.concat([open_hubs[[X, Y]], ten_added[[X, Y]]], ignore_index=True)
    after = coverage_by_lsoa(lsoas, both, radius, demand=demand)
    diff = after[COVERED_POP].to_numpy() - before[COVERED_POP].to_numpy()
    at_risk = lsoas[AT_RISK].to_numpy(dtype=bool)

    g = whatif_gain(lsoas, demand, open_hubs, ten_added, radius)
    assert g.residents > 0
    assert g.residents == pytest.approx(diff.sum(), rel=1e-12)
    assert g.at_risk_residents == pytest.approx(diff[at_risk].sum(), rel=1e-12, abs=1e-9)
    gained = set(lsoas[LSOA].to_numpy()[diff > 0])
    assert set(g.by_lsoa[LSOA]) == gained
    assert g.by_lcp["newly_reached"].sum() == pytest.approx(g.residents, rel=1e-12)
    assert set(g.by_lcp[LCP]) == set(lsoas.loc[diff > 0, LCP])


def test_a_hub_at_ls9_7ez_newly_reaches_residents(lsoas, demand, open_hubs, postcodes):
    added = parse_added_hubs("LS9 7EZ", postcodes)
    g = WhatIfBase(lsoas, demand, open_hubs, 800).gain(added.hubs)
    assert g.residents > 0


def test_compare_with_optimiser_on_leeds(lsoas, demand, open_hubs, ten_added):
    base = WhatIfBase(lsoas, demand, open_hubs, 800)
    mine = base.gain(ten_added.iloc[:3])
    cmp = compare_with_optimiser(base, mine, 3, lsoas, demand, open_hubs)
    assert len(cmp["optimiser_sites"]) == 3
    assert cmp["optimiser_at_risk"] > 0
    expected = 100 * (cmp["optimiser_at_risk"] - mine.at_risk_residents) / cmp["optimiser_at_risk"]
    assert cmp["gap_at_risk_pct"] == pytest.approx(expected)


def test_a_click_inside_any_lsoa_finds_that_lsoa(shapes):
    points = shapes.geometry.representative_point()
    found = [lsoa_at_point(p.y, p.x, shapes) for p in points]
    assert found == shapes[LSOA].tolist()
    assert len(found) == LEEDS_LSOA21_COUNT
    assert lsoa_at_point(51.5, -0.12, shapes) is None  # London


def test_a_click_on_the_drawn_map_shapes_finds_the_same_lsoa(built_dir, shapes):
    map_shapes = built.read_lsoa_map_shapes(built_dir)
    row = shapes.loc[shapes[LSOA] == LS9_7EZ_LSOA].iloc[0]
    p = row.geometry.representative_point()
    assert lsoa_at_point(p.y, p.x, map_shapes) == LS9_7EZ_LSOA


@pytest.mark.parametrize("typed", ["ls97ez", " LS9 7EZ ", "LS9 7EZ"])
def test_leeds_postcode_search_finds_its_lsoa(postcodes, typed):
    assert lsoa_for_postcode(typed, postcodes) == (LS9_7EZ_LSOA, "")


def test_postcode_outside_leeds_or_unknown_says_so(postcodes):
    outside = postcodes.loc[~postcodes[IN_LEEDS].astype(bool), POSTCODE]
    if len(outside):
        code, why = lsoa_for_postcode(outside.iloc[0], postcodes)
        assert code is None and "outside Leeds" in why
    code, why = lsoa_for_postcode("SW1A 1AA", postcodes)
    assert code is None and "not a Leeds postcode" in why


def test_profile_of_the_ls9_7ez_lsoa(lsoas, demand, open_hubs, risk):
    cov = coverage_by_lsoa(lsoas, open_hubs, 800, demand=demand)
    p = lsoa_profile(LS9_7EZ_LSOA, lsoas, cov, risk, open_hubs, 800)
    assert p["code"] == LS9_7EZ_LSOA and p["name"].startswith("Leeds")
    assert p["msoa"].startswith("E02") and p["ward"].startswith("E05") and p["lcp"]
    assert p["population"] > 0 and p["population_65plus"] > 0
    assert 1 <= p["imd_decile"] <= 10 and p["imd_rank"] >= 1
    assert p["domains"]["decile"].between(1, 10).all()
    assert p["indicators"]["raw"].notna().all() and p["indicators"]["score"].between(0, 10).all()
    assert len(p["components"]) == 3
    assert p["iuc_group"] and p["nearest_hub_m"] is not None and p["nearest_hub_name"]
    assert 0 <= p["share_within_reach"] <= 1
    assert p["imd_pct_change"] == pytest.approx(p["imd2025_pct"] - p["imd2019_pct"], abs=1e-3)
    assert len(profile_table(p)) == 15
