"""Shareable view: URL parameters decode with defaults and notices, encode without defaults."""

import pandas as pd

from utils import constants as c
from utils.view_state import ALL_LEEDS, decode_params, encode_params, lsoas_in_area, shared_specs

AREAS = [ALL_LEEDS, "HATCH", "York Road"]


def test_valid_parameters_restore_the_view():
    values, notices = decode_params(
        {"area": "HATCH", "ind": "health_score", "r": "1200", "present": "1"}, shared_specs(AREAS)
    )
    assert values == {
        "area": "HATCH",
        "ind": "health_score",
        "r": 1200,
        "present": True,
        "demo": False,
    }
    assert notices == []


def test_invalid_or_stale_parameters_fall_back_to_defaults_with_a_notice():
    values, notices = decode_params(
        {"area": "Atlantis", "r": "999", "ind": "nope"}, shared_specs(AREAS)
    )
    assert values["area"] == ALL_LEEDS and values["r"] == c.DEFAULT_RADIUS_M
    assert values["ind"] == c.DEFAULT_INDICATOR
    assert len(notices) == 3 and "Atlantis" in notices[0]


def test_non_numeric_radius_is_a_notice_not_an_error():
    values, notices = decode_params({"r": "far"}, shared_specs(AREAS))
    assert values["r"] == c.DEFAULT_RADIUS_M and len(notices) == 1


def test_encoding_omits_defaults_and_round_trips():
    specs = shared_specs(AREAS)
    view = {
        "area": "York Road",
        "ind": c.DEFAULT_INDICATOR,
        "r": 400,
        "present": False,
        "demo": False,
    }
    encoded = encode_params(view, specs)
    assert encoded == {"area": "York Road", "r": "400"}
    assert decode_params(encoded, specs)[0] == view


def test_lsoas_in_area_picks_one_lcp_or_all_of_leeds():
    lsoas = pd.DataFrame({c.LSOA: ["a", "b", "c"], c.LCP: ["X", "Y", "X"]})
    assert list(lsoas_in_area(lsoas, "X")[c.LSOA]) == ["a", "c"]
    assert len(lsoas_in_area(lsoas, "All Leeds")) == 3
    assert len(lsoas_in_area(lsoas.drop(columns=[c.LCP]), "X")) == 3  # no footprints attached yet


def test_notices_name_the_default_in_words_not_internal_values():
    from app_pages.figures.gap_figures import gap_specs

    _, notices = decode_params({"w": "age_income:x", "def": "nope", "scale": "mars"}, gap_specs())
    assert len(notices) == 3
    text = " ".join(notices)
    assert "('age_income'" not in text and "top20_risk" not in text and "(('" not in text
    assert "showing the default weights instead" in notices[0]
    assert "showing top 20% risk in Leeds instead" in notices[1]
    assert "showing “Within Leeds” instead" in notices[2]
    _, notices = decode_params({"ind": "zzz", "r": "far"}, shared_specs(AREAS))
    assert notices[0].endswith(f"showing {c.INDICATORS[c.DEFAULT_INDICATOR][0]} instead.")
    assert notices[1].endswith(f"showing {c.DEFAULT_RADIUS_M:,} m instead.")


def test_notices_quote_link_values_truncated_and_as_inert_text():
    from tests.hostile import HOSTILE, assert_inert_markdown

    for value in HOSTILE:
        _, notices = decode_params({"area": value}, shared_specs(AREAS))
        assert len(notices) == 1
        assert_inert_markdown(notices[0])
        assert len(notices[0]) < 200  # a 10,000-character value is quoted as 60 + "…"
    _, notices = decode_params({"area": "x" * 10_000}, shared_specs(AREAS))
    assert "“" + "x" * 60 + "…”" in notices[0]
