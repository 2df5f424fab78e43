"""What-if hubs: parsing add=, and the gain equals coverage with minus coverage without."""

import numpy as np
import pandas as pd
import pytest

from geo.coverage import COVERED_POP, coverage_by_lsoa
from geo.whatif import (
    MAX_ADDED_HUBS,
    NEW_AT_RISK,
    NEW_RESIDENTS,
    WhatIfBase,
    compare_with_optimiser,
    format_added_hubs,
    parse_added_hubs,
    whatif_gain,
)
from utils.constants import (
    AT_RISK,
    IN_LEEDS,
    LAT,
    LCP,
    LON,
    LSOA,
    LSOA_NAME,
    POP_TOTAL,
    POSTCODE,
    PWC_X,
    PWC_Y,
    X,
    Y,
)

X0, Y0 = 430_000.0, 433_000.0


@pytest.fixture
def lsoas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            LSOA: ["A", "B", "C"],
            LSOA_NAME: ["Leeds 001A", "Leeds 001B", "Leeds 002A"],
            POP_TOTAL: [1000.0, 600.0, 900.0],
            AT_RISK: [True, False, True],
            LCP: ["North", "North", "South"],
            PWC_X: [X0 + 100, X0 + 2000, X0 + 5000],
            PWC_Y: [Y0, Y0, Y0],
        }
    )


@pytest.fixture
def demand() -> pd.DataFrame:
    # A: 4 postcodes (250 residents each), B: 3 (200 each), C: 3 (300 each).
    pts = [
        ("A", 0, 0), ("A", 300, 0), ("A", 900, 0), ("A", 1000, 0),
        ("B", 2000, 0), ("B", 2400, 0), ("B", 2800, 0),
        ("C", 5000, 0), ("C", 5000, 500), ("C", 5000, 800),
    ]  # fmt: skip
    return pd.DataFrame(
        {LSOA: [p[0] for p in pts], X: [X0 + p[1] for p in pts], Y: [Y0 + p[2] for p in pts]}
    )


@pytest.fixture
def open_hubs() -> pd.DataFrame:
    return pd.DataFrame({X: [X0], Y: [Y0]})  # reaches A's first two postcodes at 400 m


def _coverage_difference(lsoas, demand, open_hubs, added_xy, radius):
    before = coverage_by_lsoa(lsoas, open_hubs, radius, demand=demand)
    both = pd.concat([open_hubs, pd.DataFrame(added_xy, columns=[X, Y])], ignore_index=True)
    after = coverage_by_lsoa(lsoas, both, radius, demand=demand)
    diff = after[COVERED_POP] - before[COVERED_POP]
    return diff, diff[lsoas[AT_RISK].to_numpy()].sum()


def test_gain_is_counted_at_postcodes_with_the_boundary_inclusive(lsoas, demand, open_hubs):
    g = whatif_gain(lsoas, demand, open_hubs, np.array([[X0 + 1600, Y0]]), 400)
    # A: postcodes at 900 (700 m) no, 1000 (600 m) no; B: 2000 (400 m, boundary) yes.
    assert g.residents == pytest.approx(200.0)
    assert g.at_risk_residents == 0.0
    assert g.by_lsoa[LSOA].tolist() == ["B"]
    assert g.by_lsoa[NEW_RESIDENTS].tolist() == [pytest.approx(200.0)]


def test_postcodes_already_within_reach_are_not_counted_again(lsoas, demand, open_hubs):
    g = whatif_gain(lsoas, demand, open_hubs, np.array([[X0 + 150, Y0]]), 400)
    assert g.residents == 0.0 and g.by_lsoa.empty


@pytest.mark.parametrize("radius", [400, 800, 1200, 2000])
def test_gain_equals_coverage_with_minus_coverage_without(lsoas, demand, open_hubs, radius):
    rng = np.random.default_rng(radius)
    added = np.column_stack([X0 + rng.uniform(-500, 6000, 4), Y0 + rng.uniform(-800, 800, 4)])
    diff, at_risk = _coverage_difference(lsoas, demand, open_hubs, added, radius)
    g = whatif_gain(lsoas, demand, open_hubs, added, radius)
    assert g.residents == pytest.approx(diff.sum(), rel=1e-12, abs=1e-9)
    assert g.at_risk_residents == pytest.approx(at_risk, rel=1e-12, abs=1e-9)
    per = dict(zip(g.by_lsoa[LSOA], g.by_lsoa[NEW_RESIDENTS], strict=True))
    for code, value in zip(lsoas[LSOA], diff, strict=True):
        assert per.get(code, 0.0) == pytest.approx(value, abs=1e-9)


def test_gain_with_no_open_hubs_and_no_added_hubs(lsoas, demand):
    none = pd.DataFrame({X: [], Y: []})
    assert whatif_gain(lsoas, demand, none, np.empty((0, 2)), 800).residents == 0.0
    g = whatif_gain(lsoas, demand, none, np.array([[X0 + 5000, Y0 + 500]]), 500)
    assert g.residents == pytest.approx(900.0) and g.at_risk_residents == pytest.approx(900.0)


def test_change_per_lcp_and_per_hub(lsoas, demand, open_hubs):
    added = pd.DataFrame({X: [X0 + 2400, X0 + 5000], Y: [Y0, Y0 + 500]})
    g = WhatIfBase(lsoas, demand, open_hubs, 400).gain(added)
    by_lcp = g.by_lcp.set_index(LCP)
    # C: two of its three postcodes (0 and 300 m); B: all three (0 and 400 m, boundary).
    assert by_lcp.loc["South", NEW_RESIDENTS] == pytest.approx(600.0)
    assert by_lcp.loc["South", NEW_AT_RISK] == pytest.approx(600.0)
    assert by_lcp.loc["North", NEW_RESIDENTS] == pytest.approx(600.0)
    assert by_lcp.loc["North", NEW_AT_RISK] == 0.0
    assert g.per_hub[NEW_RESIDENTS].tolist() == [pytest.approx(600.0), pytest.approx(600.0)]
    shares = g.by_lsoa.set_index(LSOA)
    assert shares.loc["C", "share_before"] == 0.0
    assert shares.loc["C", "share_after"] == pytest.approx(2 / 3)


@pytest.fixture
def postcodes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            POSTCODE: ["LS9 7EZ", "LS1 1AA", "BD1 1AA"],
            LAT: [53.80229, 53.79617, 53.79],
            LON: [-1.51857, -1.55254, -1.75],
            X: [432271.0, 430030.0, 416000.0],
            Y: [433441.0, 433100.0, 433000.0],
            IN_LEEDS: [True, True, False],
            LSOA: ["E01011349", "E01033008", None],
        }
    )


def test_add_parameter_reads_postcodes_in_any_spelling_and_points(postcodes):
    added = parse_added_hubs(" ls97ez ;53.8,-1.53; LS1 1AA", postcodes)
    assert added.problems == ()
    assert added.hubs["label"].tolist() == ["LS9 7EZ", "53.80000,-1.53000", "LS1 1AA"]
    assert added.hubs["source"].tolist() == ["postcode", "point", "postcode"]
    # Projected to British National Grid metres.
    assert added.hubs[X].between(400_000, 460_000).all()
    assert added.hubs[Y].between(410_000, 460_000).all()
    assert format_added_hubs(added.hubs) == "LS9 7EZ;53.80000,-1.53000;LS1 1AA"


def test_bad_parts_are_reported_with_a_reason_and_the_good_ones_kept(postcodes):
    added = parse_added_hubs("LS9 7EZ;BD1 1AA;LS99 9ZZ;hello;51.5,-0.12;ls9 7ez;;", postcodes)
    assert added.hubs["label"].tolist() == ["LS9 7EZ"]
    problems = " | ".join(added.problems)
    assert len(added.problems) == 5
    assert "BD1 1AA is outside Leeds" in problems
    assert "LS99 9ZZ is not a Leeds postcode" in problems
    assert "'hello'" in problems and "not a valid UK postcode" in problems
    assert "'51.5,-0.12' is not a point in Leeds" in problems
    assert "already placed" in problems


def test_at_most_ten_hubs_are_placed(postcodes):
    text = ";".join(f"53.80,-1.5{i}" for i in range(10)) + ";53.81,-1.50;53.82,-1.50"
    added = parse_added_hubs(text, postcodes)
    assert len(added) == MAX_ADDED_HUBS
    assert len(added.problems) == 2 and all("at most 10" in p for p in added.problems)


def test_empty_add_parameter_places_nothing(postcodes):
    for text in (None, "", " ; "):
        added = parse_added_hubs(text, postcodes)
        assert len(added) == 0 and added.problems == ()
        assert format_added_hubs(added.hubs) == ""


def test_compare_with_optimiser_measures_both_the_same_way(lsoas, demand, open_hubs):
    base = WhatIfBase(lsoas, demand, open_hubs, 400)
    mine = base.gain(np.array([[X0 + 2400, Y0]]))  # reaches B only (not at risk)
    cmp = compare_with_optimiser(base, mine, 1, lsoas, demand, open_hubs)
    # The optimiser's single site (one per LSOA centre) reaches C's at-risk residents.
    assert cmp["optimiser_sites"][LSOA].tolist() == ["C"]
    assert cmp["optimiser_at_risk"] == pytest.approx(300.0)  # C's centre postcode only
    assert cmp["optimiser_residents"] == pytest.approx(300.0)
    assert cmp["whatif_at_risk"] == 0.0 and cmp["whatif_residents"] == pytest.approx(600.0)
    assert cmp["gap_at_risk_pct"] == pytest.approx(100.0)
    # The what-if reaches more residents than an optimiser aiming at at-risk residents.
    assert cmp["gap_residents_pct"] == pytest.approx(-100.0)
