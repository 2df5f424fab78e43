"""Unit tests for the Digital Exclusion Risk Index on small hand-computed examples."""

import math

import numpy as np
import pandas as pd
import pytest

from utils.constants import (
    ADULT_SKILLS_SCORE,
    AT_RISK,
    DIGITAL_CONNECTIVITY,
    IDAOPI_SCORE,
    IMD_DECILE,
    IMD_SCORE,
    LSOA,
    PCT_60PLUS,
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
    describe_method,
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
    return pd.DataFrame(
        {
            LSOA: ["E1", "E2", "E3"],
            PCT_60PLUS: [10.0, 20.0, 30.0],
            IDAOPI_SCORE: [0.1, np.nan, 0.3],
            ADULT_SKILLS_SCORE: [0.0, 1.0, 2.0],
            "health_score": [-1.0, 0.0, 1.0],
            DIGITAL_CONNECTIVITY: [3.0, 2.0, 1.0],
            IMD_SCORE: [5.0, 25.0, 45.0],
        }
    )


def test_default_spec_runs_on_built_column_names_without_the_iuc_overlay():
    result = compute_risk_index(_default_frame())
    for comp in DEFAULT_SPEC:
        if comp.weight > 0:
            assert component_column(comp.key) in result.columns
    # E1: age 0, skills 0, connectivity 10, deprivation 0 -> 2.5
    # E2: age 5 (IDAOPI missing), skills 5, connectivity 5, deprivation 5 -> 5
    np.testing.assert_allclose(result[RISK_INDEX], [2.5, 5.0, 7.5])
    assert "IDAOPI" in result.loc["E2", RISK_MISSING]


def test_weighting_a_component_whose_column_is_absent_is_refused():
    with pytest.raises(RiskDataError, match="iuc_excluded"):
        compute_risk_index(_default_frame(), {"internet_use": 1})


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
    for comp in DEFAULT_SPEC:
        assert comp.label in text
    assert "| Deprivation | 2 (40%)" in text
    assert "Core20" in text


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
