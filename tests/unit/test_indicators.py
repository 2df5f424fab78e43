"""Indicator tables, decile columns, headline figures and the analyst export."""

import pandas as pd
import pytest

from utils import constants as c
from utils.indicators import (
    UnknownIndicatorError,
    decile_column_for,
    headline_figures,
    indicator_table,
    lsoa_export_table,
)


@pytest.fixture()
def lsoas():
    return pd.DataFrame(
        {
            c.LSOA: ["E1", "E2", "E3"],
            c.LSOA_NAME: ["a", "b", "c"],
            c.MSOA_NAME: ["m", "m", "n"],
            c.WARD_NAME: ["w", "w", "v"],
            c.IMD_SCORE: [50.0, 20.0, 5.0],
            c.IMD_DECILE: [1, 4, 9],
            c.POP_TOTAL: [1500, 1600, 1700],
            c.IMD_RANK: [100, 9000, 30000],
        }
    )


def test_each_domain_score_pairs_with_its_own_decile():
    assert decile_column_for("health_score") == "health_decile"
    assert decile_column_for(c.IMD_SCORE) == c.IMD_DECILE
    assert decile_column_for(c.PCT_60PLUS) is None


def test_unknown_indicator_is_refused_by_name():
    with pytest.raises(UnknownIndicatorError, match="nope"):
        indicator_table(pd.DataFrame(), "nope")


def test_headline_counts_most_deprived_decile_and_population(lsoas):
    figs = {f.label: f for f in headline_figures(lsoas, n_hubs_real=1, n_hubs_sample=4)}
    assert figs["Residents"].value == "4,800"
    assert figs["LSOAs in England's most deprived 10%"].value == "1"
    assert "1,500 residents" in figs["LSOAs in England's most deprived 10%"].source
    assert figs["Open hubs in the register"].value == "5"
    assert "4 are illustrative" in figs["Open hubs in the register"].source
    assert all(f.source for f in figs.values())


def test_export_joins_extra_columns_one_to_one(lsoas):
    extra = pd.DataFrame({c.LSOA: ["E3", "E1", "E2"], c.RISK_INDEX: [1.0, 9.0, 5.0]})
    out = lsoa_export_table(lsoas, extra)
    assert list(out[c.LSOA]) == ["E1", "E2", "E3"] and list(out[c.RISK_INDEX]) == [9.0, 5.0, 1.0]
    with pytest.raises(pd.errors.MergeError):
        lsoa_export_table(lsoas, pd.concat([extra, extra]))
