"""Checks of the risk index and coverage on the real built Leeds data."""

import numpy as np
import pandas as pd
import pytest

from data.artefacts import read_england_iod, read_lsoas
from geo.coverage import coverage_by_lsoa, summarise_coverage
from utils.constants import (
    AT_RISK,
    COVERED,
    IMD_SCORE,
    LEEDS_LSOA21_COUNT,
    LSOA,
    POP_TOTAL,
    PWC_X,
    PWC_Y,
    RISK_INDEX,
    X,
    Y,
)
from utils.risk import (
    DEFAULT_SPEC,
    RISK_MISSING,
    at_risk_flags,
    component_column,
    compute_risk_index,
    scaled_column,
)


@pytest.fixture(scope="module")
def lsoas(built_dir) -> pd.DataFrame:
    return pd.DataFrame(read_lsoas(built_dir).drop(columns="geometry"))


@pytest.fixture(scope="module")
def risk(lsoas) -> pd.DataFrame:
    return compute_risk_index(lsoas)


def test_every_leeds_lsoa_has_an_index_or_a_stated_reason(risk, lsoas):
    assert len(risk) == LEEDS_LSOA21_COUNT
    assert risk.index.is_unique and set(risk.index) == set(lsoas[LSOA])
    no_index = risk[RISK_INDEX].isna()
    assert (risk.loc[no_index, RISK_MISSING].str.len() > 0).all()


def test_index_components_and_indicators_lie_between_0_and_10(risk):
    cols = [RISK_INDEX] + [component_column(c.key) for c in DEFAULT_SPEC if c.weight > 0]
    cols += [scaled_column(i.column) for c in DEFAULT_SPEC if c.weight > 0 for i in c.indicators]
    values = risk[cols].to_numpy(dtype=float)
    finite = values[~np.isnan(values)]
    assert ((finite >= 0) & (finite <= 10)).all()


def test_each_indicator_spans_the_full_scale_within_leeds(risk):
    for comp in DEFAULT_SPEC:
        if comp.weight > 0:
            for ind in comp.indicators:
                col = risk[scaled_column(ind.column)]
                assert col.min() == pytest.approx(0) and col.max() == pytest.approx(10)


def test_deprivation_is_one_third_of_the_index_not_half(risk, lsoas):
    imd = lsoas.set_index(LSOA).loc[risk.index, IMD_SCORE]
    # The deprivation component follows the IMD closely; the index less so, because age and
    # broadband carry two thirds (in Leeds older areas are often less deprived).
    assert risk[component_column("deprivation")].corr(imd, method="spearman") > 0.9
    assert 0.2 < risk[RISK_INDEX].corr(imd, method="spearman") < 0.7


def test_england_scaling_keeps_values_in_range(lsoas, built_dir):
    england = compute_risk_index(lsoas, scaling="england", reference=read_england_iod(built_dir))
    values = england[RISK_INDEX].dropna()
    assert len(values) == LEEDS_LSOA21_COUNT
    assert values.between(0, 10).all()
    # IDAOPI, the one input with no England-wide data here, is scaled within Leeds and said so.
    assert len(england.attrs["scaling_notes"]) == 1
    assert "IDAOPI" in england.attrs["scaling_notes"][0]


def test_top20_flags_about_a_fifth_of_leeds(risk):
    flags = at_risk_flags(risk, "top20_risk")
    assert 97 <= flags.sum() <= 100


def test_core20_flags_exist_in_leeds(lsoas):
    assert 0 < at_risk_flags(lsoas, "core20").sum() < LEEDS_LSOA21_COUNT


def test_hub_at_every_centre_covers_every_lsoa(lsoas, risk):
    frame = lsoas.assign(**{AT_RISK: at_risk_flags(risk, "top20_risk").to_numpy()})
    hubs = pd.DataFrame({X: lsoas[PWC_X], Y: lsoas[PWC_Y]})
    out = coverage_by_lsoa(frame, hubs, 400)
    assert out[COVERED].all()
    leeds = summarise_coverage(out, hubs=hubs).iloc[0]
    assert leeds["population"] == lsoas[POP_TOTAL].sum()
