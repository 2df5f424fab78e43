"""The DERI for real Leeds LSOAs, checked against a hand calculation from the source files.

The expected values are recomputed here with pandas straight from ../shared/data (not from the
built tables): each input's min-max over the 488 Leeds LSOAs, GMCA's weights within each
component, and the mean of the three components.
"""

import numpy as np
import pandas as pd
import pytest

from data.artefacts import read_england_iod, read_lsoas
from utils.constants import RISK_INDEX
from utils.risk import DEFAULT_SPEC, component_column, compute_risk_index, risk_breakdown

# First and last Leeds codes, the merged 2021 LSOA, a city-centre and an outer LSOA.
CHECKED = ["E01011264", "E01011739", "E01035054", "E01033008", "E01011400"]

FILE7 = "iod2025_leeds_lsoa21_File7_official.csv"
AGE_LEEDS = "census2021_age6_leeds_lsoa21.csv"
AGE_EW = "census2021_age6_ew_lsoa21.csv.gz"
INDICATORS = "iod2025_england_lsoa21_indicators.csv.gz"
DOMAINS = "iod2025_england_lsoa21_domains.csv.gz"
BROADBAND = "digital_connectivity_broadband_download_and_upload_speeds"
SKILLS = "adult_skills_and_english_language_proficiency_indicator"


@pytest.fixture(scope="module")
def source_inputs(shared_data_dir) -> pd.DataFrame:
    """The six DERI inputs for the 488 Leeds LSOAs, read from the source files."""
    f7 = pd.read_csv(shared_data_dir / FILE7).set_index("LSOA code (2021)")
    age = pd.read_csv(shared_data_dir / AGE_LEEDS).set_index("LSOA21CD")
    ind = pd.read_csv(shared_data_dir / INDICATORS).set_index("lsoa21_code")
    leeds = f7.index
    return pd.DataFrame(
        {
            "age65": age.loc[leeds, "aged_65_plus"] / age.loc[leeds, "all_usual_residents"],
            "broadband": ind.loc[leeds, BROADBAND],
            "idaopi": f7["Income Deprivation Affecting Older People (IDAOPI) Score (rate)"],
            "skills": ind.loc[leeds, SKILLS],
            "employment": f7["Employment Score (rate)"],
            "imd": f7["Index of Multiple Deprivation (IMD) Score"],
        },
        index=leeds,
    )


def _minmax(values: pd.Series, lo: float, hi: float) -> pd.Series:
    return 10 * (values - lo) / (hi - lo)


def _deri(scores: pd.DataFrame) -> pd.DataFrame:
    age = scores["age65"]
    broadband = scores["broadband"]
    deprivation = (
        0.2 * scores["idaopi"]
        + 0.4 * scores["skills"]
        + 0.2 * scores["employment"]
        + 0.2 * scores["imd"]
    )
    return pd.DataFrame(
        {
            "age": age,
            "broadband": broadband,
            "deprivation": deprivation,
            "deri": (age + broadband + deprivation) / 3,
        }
    )


@pytest.fixture(scope="module")
def lsoas(built_dir) -> pd.DataFrame:
    return pd.DataFrame(read_lsoas(built_dir).drop(columns="geometry"))


def test_source_files_cover_the_488_leeds_lsoas_with_no_gaps(source_inputs):
    assert len(source_inputs) == 488 and source_inputs.notna().all().all()


def test_deri_matches_a_hand_calculation_from_the_source_files(source_inputs, lsoas):
    scores = source_inputs.apply(lambda col: _minmax(col, col.min(), col.max()))
    expected = _deri(scores).loc[CHECKED]
    result = compute_risk_index(lsoas).loc[CHECKED]
    for key in ("age", "broadband", "deprivation"):
        np.testing.assert_allclose(result[component_column(key)], expected[key], atol=1e-9)
    np.testing.assert_allclose(result[RISK_INDEX], expected["deri"], atol=1e-9)
    # The scores spread across the scale: this is not a set of equal numbers.
    assert expected["deri"].max() - expected["deri"].min() > 1


def test_whole_leeds_deri_matches_the_hand_calculation(source_inputs, lsoas):
    scores = source_inputs.apply(lambda col: _minmax(col, col.min(), col.max()))
    expected = _deri(scores)["deri"]
    result = compute_risk_index(lsoas)[RISK_INDEX]
    np.testing.assert_allclose(result.loc[expected.index], expected, atol=1e-9)


def test_breakdown_shows_the_source_values_and_their_scores(source_inputs, lsoas):
    code = "E01035054"
    rows = risk_breakdown(compute_risk_index(lsoas), code, level="indicator")
    raw = dict(zip(rows["indicator"], rows["raw"], strict=True))
    src = source_inputs.loc[code]
    assert raw["pct_65plus"] == pytest.approx(100 * src["age65"])
    assert raw["digital_connectivity"] == pytest.approx(src["broadband"])
    assert raw["idaopi_score"] == pytest.approx(src["idaopi"])
    assert raw["adult_skills_indicator"] == pytest.approx(src["skills"])
    assert raw["employment_score"] == pytest.approx(src["employment"])
    assert raw["imd_score"] == pytest.approx(src["imd"])
    col = source_inputs["imd"]
    imd_row = rows[rows["indicator"] == "imd_score"].iloc[0]
    assert imd_row["score"] == pytest.approx(_minmax(col, col.min(), col.max())[code])


def test_england_scaling_matches_a_hand_calculation_from_the_england_files(
    shared_data_dir, source_inputs, lsoas, built_dir
):
    ind = pd.read_csv(shared_data_dir / INDICATORS).set_index("lsoa21_code")
    dom = pd.read_csv(shared_data_dir / DOMAINS).set_index("lsoa21_code")
    ew = pd.read_csv(shared_data_dir / AGE_EW).set_index("LSOA21CD")
    england = ew.loc[ew.index.isin(dom.index)]  # England only: Wales has its own index
    assert len(england) == len(dom) == 33_755
    age = england["aged_65_plus"] / england["all_usual_residents"]
    ranges = {
        "age65": age,
        "broadband": ind[BROADBAND],
        "skills": ind[SKILLS],
        "employment": dom["Employment_score"],
        "imd": dom["IMD_score"],
        "idaopi": source_inputs["idaopi"],  # no England-wide IDAOPI here: Leeds range
    }
    scores = pd.DataFrame(
        {
            key: _minmax(source_inputs[key], values.min(), values.max())
            for key, values in ranges.items()
        }
    )
    expected = _deri(scores).loc[CHECKED, "deri"]
    result = compute_risk_index(
        lsoas, scaling="england", reference=read_england_iod(built_dir)
    ).loc[CHECKED, RISK_INDEX]
    np.testing.assert_allclose(result, expected, atol=1e-9)


def test_england_wide_flags_match_the_built_england_table(built_dir):
    columns = set(read_england_iod(built_dir).columns)
    for comp in DEFAULT_SPEC:
        for ind in comp.indicators:
            assert (ind.column in columns) == ind.england_wide, ind.label
