"""Unit tests for the Digital Exclusion Risk Index on small hand-computed examples."""

import math

import numpy as np
import pandas as pd
import pytest

from utils.constants import (
    ADULT_SKILLS_INDICATOR,
    AT_RISK,
    DIGITAL_CONNECTIVITY,
    EMPLOYMENT_SCORE,
    IDAOPI_SCORE,
    IMD_DECILE,
    IMD_SCORE,
    LSOA,
    PCT_65PLUS,
    RISK_INDEX,
)
from utils.risk import (
    DEFAULT_COMPONENT_WEIGHTS,
    DEFAULT_SPEC,
    RISK_COMPLETE,
    RISK_MISSING,
    Component,
    Indicator,
    RiskDataError,
    RiskWeightError,
    at_risk_flags,
    component_column,
    compute_risk_index,
    deri_table,
    describe_method,
    local_only_indicators,
    raw_column,
    risk_breakdown,
    scaled_column,
)

# Two components; a2 is reversed (a higher value means lower risk).
SPEC = (
    Component(
        "alpha",
        "Alpha",
        (Indicator("a1", "A one", "test"), Indicator("a2", "A two", "test", direction=-1)),
    ),
    Component("beta", "Beta", (Indicator("b1", "B one", "test"),)),
)


@pytest.fixture
def small() -> pd.DataFrame:
    # Hand computation (Leeds scaling = min/max over these rows):
    #   a1: min 0, max 10          -> L1 0,  L2 5,  L3 10,  L4 NaN
    #   a2: reversed, min 0 max 10 -> L1 0,  L2 10, L3 NaN, L4 5
    #   b1: min 2, max 6           -> L1 0,  L2 5,  L3 NaN, L4 10
    #   alpha = mean(a1, a2)       -> L1 0,  L2 7.5, L3 10 (a1 only), L4 5 (a2 only)
    #   beta                       -> L1 0,  L2 5,  L3 NaN, L4 10
    #   index (1:1)                -> L1 0,  L2 6.25, L3 10 (alpha only), L4 7.5, L5 NaN
    return pd.DataFrame(
        {
            LSOA: ["L1", "L2", "L3", "L4", "L5"],
            "a1": [0.0, 5.0, 10.0, np.nan, np.nan],
            "a2": [10.0, 0.0, np.nan, 5.0, np.nan],
            "b1": [2.0, 4.0, np.nan, 6.0, np.nan],
        }
    )


def test_index_matches_hand_computation_with_reversed_indicator_and_missing_values(small):
    result = compute_risk_index(small, spec=SPEC)
    assert result.index.name == LSOA
    assert list(result.index) == ["L1", "L2", "L3", "L4", "L5"]
    np.testing.assert_allclose(result[scaled_column("a2")], [0, 10, np.nan, 5, np.nan])
    np.testing.assert_allclose(result[component_column("alpha")], [0, 7.5, 10, 5, np.nan])
    np.testing.assert_allclose(result[component_column("beta")], [0, 5, np.nan, 10, np.nan])
    np.testing.assert_allclose(result[RISK_INDEX], [0, 6.25, 10, 7.5, np.nan])


def test_missing_inputs_are_explained_not_zeroed(small):
    result = compute_risk_index(small, spec=SPEC)
    reasons = result[RISK_MISSING]
    assert reasons["L1"] == "" and reasons["L2"] == ""
    assert result[RISK_COMPLETE].tolist() == [True, True, False, False, False]
    assert "Alpha: A two not available" in reasons["L3"]
    assert "Beta: no data, so the index uses the other components" in reasons["L3"]
    assert "Alpha: A one not available" in reasons["L4"]
    assert "remaining indicator" in reasons["L4"]
    assert "index not computed" in reasons["L5"]
    assert math.isnan(result.loc["L5", RISK_INDEX])


def test_changing_component_weights_changes_the_index(small):
    result = compute_risk_index(small, {"alpha": 3, "beta": 1}, spec=SPEC)
    # L2: (3*7.5 + 1*5)/4; L4: (3*5 + 1*10)/4; L3 still alpha only.
    np.testing.assert_allclose(result[RISK_INDEX], [0, 6.875, 10, 6.25, np.nan])
    assert result.attrs["component_weights"] == {"alpha": 3.0, "beta": 1.0}


def test_zero_weight_component_is_left_out_and_its_gaps_are_not_reported(small):
    result = compute_risk_index(small, {"beta": 0}, spec=SPEC)
    np.testing.assert_allclose(result[RISK_INDEX], [0, 7.5, 10, 5, np.nan])
    assert "Beta" not in result.loc["L3", RISK_MISSING]


def test_england_scaling_uses_reference_min_max_and_falls_back_locally(small):
    reference = pd.DataFrame({"a1": [-10.0, 30.0, 0.0], "a2": [0.0, 20.0, np.nan]})
    result = compute_risk_index(small, scaling="england", reference=reference, spec=SPEC)
    # a1: 10*(x+10)/40; a2 reversed: 10*(20-x)/20; b1 not in the reference -> Leeds min/max.
    np.testing.assert_allclose(result[scaled_column("a1")], [2.5, 3.75, 5, np.nan, np.nan])
    np.testing.assert_allclose(result[scaled_column("a2")], [5, 10, np.nan, 7.5, np.nan])
    np.testing.assert_allclose(result[scaled_column("b1")], [0, 5, np.nan, 10, np.nan])
    # alpha: L1 (2.5+5)/2, L2 (3.75+10)/2, L3 5, L4 7.5; index = mean(alpha, beta) where present.
    np.testing.assert_allclose(result[component_column("alpha")], [3.75, 6.875, 5, 7.5, np.nan])
    np.testing.assert_allclose(result[RISK_INDEX], [1.875, 5.9375, 5, 8.75, np.nan])
    assert any("B one" in note for note in result.attrs["scaling_notes"])


def test_england_scaling_without_reference_is_refused(small):
    with pytest.raises(RiskDataError, match="England reference table"):
        compute_risk_index(small, scaling="england", spec=SPEC)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"alpha": -1}, "negative"),
        ({"alpha": 0, "beta": 0}, "All component weights are zero"),
        ({"gamma": 1}, "Unknown component"),
        ({"alpha": float("nan")}, "finite"),
        ({"alpha": "lots"}, "must be a number"),
    ],
)
def test_bad_weights_raise_plain_english_error(small, weights, message):
    with pytest.raises(RiskWeightError, match=message):
        compute_risk_index(small, weights, spec=SPEC)


def test_constant_indicator_is_reported_missing_not_guessed(small):
    small["b1"] = 3.0
    result = compute_risk_index(small, spec=SPEC)
    assert result[scaled_column("b1")].isna().all()
    assert "Beta: no data" in result.loc["L1", RISK_MISSING]
    assert any("same value everywhere" in n for n in result.attrs["scaling_notes"])


def test_duplicate_lsoa_codes_are_rejected(small):
    small.loc[1, LSOA] = "L1"
    with pytest.raises(RiskDataError, match="more than once"):
        compute_risk_index(small, spec=SPEC)


def test_text_values_are_refused(small):
    small["a1"] = ["1", "2", "3", "4", "5"]
    with pytest.raises(RiskDataError, match="needs numbers"):
        compute_risk_index(small, spec=SPEC)


def _default_frame() -> pd.DataFrame:
    """Three LSOAs with the built column names of every DERI input."""
    return pd.DataFrame(
        {
            LSOA: ["E1", "E2", "E3"],
            PCT_65PLUS: [10.0, 20.0, 30.0],  # -> 0, 5, 10
            DIGITAL_CONNECTIVITY: [3.0, 2.0, 1.0],  # higher = worse -> 10, 5, 0
            IDAOPI_SCORE: [0.1, np.nan, 0.3],  # -> 0, missing, 10
            ADULT_SKILLS_INDICATOR: [0.1, 0.2, 0.5],  # -> 0, 2.5, 10
            EMPLOYMENT_SCORE: [0.3, 0.1, 0.2],  # -> 10, 0, 5
            IMD_SCORE: [5.0, 45.0, 25.0],  # -> 0, 10, 5
        }
    )


def test_deri_components_use_gmca_weights_and_the_index_is_their_mean():
    result = compute_risk_index(_default_frame())
    assert [c.key for c in DEFAULT_SPEC] == ["age", "broadband", "deprivation"]
    np.testing.assert_allclose(result[component_column("age")], [0, 5, 10])
    np.testing.assert_allclose(result[component_column("broadband")], [10, 5, 0])
    # Deprivation = 0.2 IDAOPI + 0.4 skills + 0.2 employment + 0.2 IMD:
    #   E1 0.2*0 + 0.4*0 + 0.2*10 + 0.2*0 = 2; E3 0.2*10 + 0.4*10 + 0.2*5 + 0.2*5 = 8;
    #   E2 lacks IDAOPI: (0.4*2.5 + 0.2*0 + 0.2*10) / 0.8 = 3.75.
    np.testing.assert_allclose(result[component_column("deprivation")], [2, 3.75, 8])
    np.testing.assert_allclose(result[RISK_INDEX], [12 / 3, 13.75 / 3, 18 / 3])
    assert "IDAOPI" in result.loc["E2", RISK_MISSING]
    assert result[RISK_COMPLETE].tolist() == [True, False, True]


def test_deri_keeps_each_indicators_own_value_beside_its_score():
    frame = _default_frame()
    result = compute_risk_index(frame)
    for comp in DEFAULT_SPEC:
        for ind in comp.indicators:
            np.testing.assert_array_equal(
                result[raw_column(ind.column)], frame[ind.column].to_numpy()
            )


def test_changing_deri_weights_gives_the_weighted_mean_of_components():
    result = compute_risk_index(_default_frame(), {"age": 2})
    # E1: (2*0 + 10 + 2) / 4; E3: (2*10 + 0 + 8) / 4.
    np.testing.assert_allclose(result[RISK_INDEX], [3.0, (10 + 5 + 3.75) / 4, 7.0])
    back = compute_risk_index(_default_frame(), dict(DEFAULT_COMPONENT_WEIGHTS))
    np.testing.assert_allclose(back[RISK_INDEX], [12 / 3, 13.75 / 3, 18 / 3])


def test_deri_england_scaling_uses_england_range_except_for_idaopi():
    reference = pd.DataFrame(
        {
            PCT_65PLUS: [0.0, 40.0],
            DIGITAL_CONNECTIVITY: [-4.0, 4.0],
            ADULT_SKILLS_INDICATOR: [0.0, 1.0],
            EMPLOYMENT_SCORE: [0.0, 0.5],
            IMD_SCORE: [0.0, 100.0],
        }
    )
    result = compute_risk_index(_default_frame(), scaling="england", reference=reference)
    np.testing.assert_allclose(result[scaled_column(PCT_65PLUS)], [2.5, 5, 7.5])
    np.testing.assert_allclose(result[scaled_column(DIGITAL_CONNECTIVITY)], [8.75, 7.5, 6.25])
    # IDAOPI has no England-wide values: Leeds min/max, and a note says so.
    np.testing.assert_allclose(result[scaled_column(IDAOPI_SCORE)], [0, np.nan, 10])
    # Deprivation E1 = 0.2*0 + 0.4*1 + 0.2*6 + 0.2*0.5 = 1.7; E3 = 2 + 2 + 0.8 + 0.5 = 5.3.
    np.testing.assert_allclose(
        result.loc[["E1", "E3"], component_column("deprivation")], [1.7, 5.3]
    )
    np.testing.assert_allclose(
        result.loc[["E1", "E3"], RISK_INDEX], [(2.5 + 8.75 + 1.7) / 3, (7.5 + 6.25 + 5.3) / 3]
    )
    notes = result.attrs["scaling_notes"]
    assert len(notes) == 1 and "IDAOPI" in notes[0]


def test_only_idaopi_lacks_england_wide_values():
    assert local_only_indicators() == [
        i.label for c in DEFAULT_SPEC for i in c.indicators if i.column == IDAOPI_SCORE
    ]


def test_weighting_an_unknown_component_is_refused():
    with pytest.raises(RiskWeightError, match="Unknown component"):
        compute_risk_index(_default_frame(), {"internet_use": 1})


def test_a_missing_deri_input_column_is_named():
    with pytest.raises(RiskDataError, match="employment_score"):
        compute_risk_index(_default_frame().drop(columns=EMPLOYMENT_SCORE))


def test_indicator_breakdown_gives_raw_value_score_and_component():
    result = compute_risk_index(_default_frame())
    rows = risk_breakdown(result, "E3", level="indicator").set_index("indicator")
    assert list(rows.index) == [i.column for c in DEFAULT_SPEC for i in c.indicators]
    assert rows.loc[IMD_SCORE, "raw"] == 25.0 and rows.loc[IMD_SCORE, "score"] == 5.0
    dep = rows[rows["component"] == "deprivation"]
    assert (dep["weight_in_component"] * dep["score"]).sum() == pytest.approx(8.0)
    assert dep["component_score"].eq(8.0).all()
    assert rows["component_weight_share"].eq(1 / 3).all()
    e2 = risk_breakdown(result, "E2", level="indicator").set_index("indicator")
    assert not e2.loc[IDAOPI_SCORE, "available"] and np.isnan(e2.loc[IDAOPI_SCORE, "raw"])


def test_default_weights_are_read_only():
    with pytest.raises(TypeError):
        DEFAULT_COMPONENT_WEIGHTS["deprivation"] = 5  # type: ignore[index]


def test_breakdown_contributions_sum_to_the_index(small):
    result = compute_risk_index(small, {"alpha": 3, "beta": 1}, spec=SPEC)
    b2 = risk_breakdown(result, "L2", spec=SPEC)
    assert b2["component"].tolist() == ["alpha", "beta"]
    np.testing.assert_allclose(b2["contribution"], [3 * 7.5 / 4, 5 / 4])
    assert b2["contribution"].sum() == pytest.approx(result.loc["L2", RISK_INDEX])


def test_breakdown_of_lsoa_with_missing_component_renormalises(small):
    result = compute_risk_index(small, spec=SPEC)
    b3 = risk_breakdown(result.loc["L3"], component_weights={"alpha": 1, "beta": 1}, spec=SPEC)
    assert b3["available"].tolist() == [True, False]
    np.testing.assert_allclose(b3["weight_share"], [1.0, 0.0])
    assert b3["contribution"].sum() == pytest.approx(10.0)


def test_breakdown_of_unknown_lsoa_is_refused(small):
    result = compute_risk_index(small, spec=SPEC)
    with pytest.raises(RiskDataError, match="not in the risk table"):
        risk_breakdown(result, "NOPE", spec=SPEC)


def test_top20_flags_the_highest_fifth_and_never_missing_index():
    df = pd.DataFrame({RISK_INDEX: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan]})
    flags = at_risk_flags(df, "top20_risk")
    assert flags.name == AT_RISK
    assert flags.tolist() == [False] * 8 + [True, True, False]


def test_top20_includes_ties_at_the_cut_off():
    df = pd.DataFrame({RISK_INDEX: [1.0, 2, 3, 4, 5, 6, 7, 9, 9, 9]})
    assert at_risk_flags(df, "top20_risk").sum() == 3


def test_core20_uses_national_imd_deciles_one_and_two():
    df = pd.DataFrame({IMD_DECILE: [1, 2, 3, 10]}, index=["a", "b", "c", "d"])
    flags = at_risk_flags(df, "core20")
    assert flags.to_dict() == {"a": True, "b": True, "c": False, "d": False}


def test_at_risk_needs_its_input_column():
    with pytest.raises(RiskDataError, match="compute_risk_index"):
        at_risk_flags(pd.DataFrame({"x": [1]}), "top20_risk")
    with pytest.raises(RiskDataError, match="Unknown at-risk definition"):
        at_risk_flags(pd.DataFrame({RISK_INDEX: [1]}), "bottom")  # type: ignore[arg-type]


def test_method_description_states_formula_components_and_weights():
    text = describe_method({"deprivation": 2})
    assert "10 × (x − min) / (max − min)" in text
    assert "GMCA DERI v1 method, adapted" in text
    for comp in DEFAULT_SPEC:
        assert comp.label in text
    assert "Deprivation 2 (50%)" in text
    assert "Core20" in text


def test_deri_table_pairs_each_gmca_indicator_with_its_input_weight_and_reason():
    table = deri_table()
    assert len(table) == 6
    assert table["Component (weight)"].tolist() == (
        ["Age (1/3)", "Broadband (1/3)"] + ["Deprivation (1/3)"] * 4
    )
    assert table["Weight in component"].tolist() == ["100%", "100%", "20%", "40%", "20%", "20%"]
    assert table["GMCA indicator (weight in component)"].str.len().gt(0).all()
    assert table["Substitution and why"].str.len().gt(0).all()
    assert "75+" in table.loc[0, "Substitution and why"]
    assert table["England-wide values"].tolist().count("no (Leeds only)") == 1
    assert "| Age (1/3) |" in describe_method()


def test_attach_risk_joins_one_to_one_and_flags_the_top_fifth():
    import pandas as pd

    from utils.constants import AT_RISK, LSOA, RISK_INDEX
    from utils.risk import attach_risk

    lsoas = pd.DataFrame({LSOA: [f"E{i}" for i in range(10)], "pop_total": [1000] * 10})
    risk = pd.DataFrame(
        {
            LSOA: [f"E{i}" for i in range(10)][::-1],
            RISK_INDEX: [float(i) for i in range(10)],
            "risk_missing": [""] * 10,
        }
    )
    out = attach_risk(lsoas, risk)
    assert list(out[LSOA]) == list(lsoas[LSOA])
    assert set(out.loc[out[AT_RISK], LSOA]) == {"E0", "E1"}
