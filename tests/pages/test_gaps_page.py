"""AppTest for the Gaps page and the Overview's coverage figures and top-five gap links."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from app_pages.figures import gap_figures as gf
from tests.pages.conftest import run_page
from utils import constants as c

GAPS = "app_pages/gaps.py"
TIMEOUT = 180


# Read-only st.dataframe elements do not expose their key to AppTest: find them by a column.
MARKERS = {
    "gaps_lcp_table": "At-risk residents beyond reach",
    "gaps_lsoa_table": "Inputs missing from the index",
    "gaps_every_table": c.COVERED,
    "gaps_breakdown_table": "Contribution to the index",
    "gaps_indicator_table": "Weight in component (%)",
    "gaps_equity_imd_decile_table": ("Residents within reach", gf.EQUITY_DECILE),
    "gaps_equity_lcp_table": ("Residents within reach", "LCP"),
}


def table(at, key: str):
    """The DataFrame behind the page's st.dataframe with this key."""
    marks = MARKERS[key] if isinstance(MARKERS[key], tuple) else (MARKERS[key],)
    found = [d.value for d in at.dataframe if set(marks) <= set(d.value.columns)]
    assert len(found) == 1, f"expected one {key}, found {len(found)}"
    return found[0]


def uncovered_ranking(at) -> list[tuple[str, int]]:
    lcp = table(at, "gaps_lcp_table")
    return list(zip(lcp["LCP"], lcp["At-risk residents beyond reach"].astype(int), strict=True))


def param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def gaps():
    return run_page(GAPS, timeout=TIMEOUT)


def test_gaps_page_shows_ranked_tables_scatter_map_and_downloads(gaps):
    at = gaps
    assert not at.exception
    assert at.title[0].value.startswith("Gaps")
    lcp = table(at, "gaps_lcp_table")
    assert list(lcp.columns[:4]) == [
        "Rank",
        "LCP",
        "Footprint status",
        "At-risk residents beyond reach",
    ]
    assert set(lcp["Footprint status"]) <= {"described", "approximate", "provisional"}
    assert {"Residents", "Open hubs", "% of residents within reach"} <= set(lcp.columns)
    uncovered = lcp["At-risk residents beyond reach"].tolist()
    assert uncovered == sorted(uncovered, reverse=True)
    lsoas = table(at, "gaps_lsoa_table")
    assert len(lsoas) > 0 and "Inputs missing from the index" in lsoas.columns
    # Real hubs only by default (issue 12): the count names no illustrative samples.
    counts = [
        cap.value for cap in at.caption if "in Leeds." in cap.value and "open hub" in cap.value
    ]
    assert counts and not any("illustrative" in text for text in counts)
    labels = [m.label for m in at.metric]
    assert "At-risk beyond reach" in labels and "Hubs per 10,000 at risk" in labels
    assert {"gaps_lcp_download", "gaps_lsoa_download"} <= {b.key for b in at.get("download_button")}
    assert len(at.get("plotly_chart")) >= 2  # need-vs-coverage scatter and the breakdown
    assert any("leaflet" in el.proto.srcdoc for el in at.get("iframe")), "the map should be drawn"


def test_equity_view_shows_reach_by_imd_decile_and_by_lcp_with_status(gaps):
    at = gaps
    deciles = table(at, "gaps_equity_imd_decile_table")
    assert deciles.iloc[:, 0].tolist() == list(range(1, 11))
    assert deciles["Residents"].sum() == table(at, "gaps_equity_lcp_table")["Residents"].sum()
    lcps = table(at, "gaps_equity_lcp_table")
    assert lcps["Footprint status"].notna().all()
    assert set(lcps["Footprint status"]) <= {"described", "approximate", "provisional"}
    within = lcps["Residents within reach"].astype(float)
    assert (within <= lcps["Residents"].astype(float) + 1).all()
    keys = {b.key for b in at.get("download_button")}
    assert {"gaps_equity_imd_decile_download", "gaps_equity_lcp_download"} <= keys


def test_a_wider_radius_changes_the_lcp_ranking():
    at = run_page(GAPS, {"r": "400"}, timeout=TIMEOUT)
    assert not at.exception
    narrow = uncovered_ranking(at)
    at.select_slider(key="view_radius").set_value(2000).run()
    assert not at.exception
    wide = uncovered_ranking(at)
    assert narrow != wide
    assert sum(n for _, n in wide) < sum(n for _, n in narrow)


def test_changing_a_weight_updates_the_index_and_the_url(gaps):
    at = gaps
    before = table(at, "gaps_every_table").set_index(c.LSOA)[c.RISK_INDEX]
    at.slider(key="gaps_w_deprivation").set_value(3.0).run()
    assert not at.exception
    after = table(at, "gaps_every_table").set_index(c.LSOA)[c.RISK_INDEX]
    assert not before.equals(after.reindex(before.index))
    assert "deprivation:3" in param(at, "w")


def test_settings_in_the_url_are_restored():
    at = run_page(GAPS, {"w": "deprivation:2,broadband:0", "def": "core20", "scale": "england"})
    assert not at.exception
    assert at.slider(key="gaps_w_deprivation").value == 2.0
    assert at.slider(key="gaps_w_broadband").value == 0.0
    assert at.slider(key="gaps_w_age").value == 1.0
    assert at.radio(key="gaps_at_risk").value == "core20"
    assert at.radio(key="gaps_scaling").value == "england"
    assert param(at, "def") == "core20"


def test_invalid_settings_in_the_url_fall_back_to_defaults_with_a_notice():
    at = run_page(GAPS, {"w": "bogus:9", "def": "everyone", "scale": "mars"})
    assert not at.exception
    assert at.slider(key="gaps_w_deprivation").value == 1.0
    assert at.radio(key="gaps_at_risk").value == "top20_risk"
    assert at.radio(key="gaps_scaling").value == "leeds"
    notices = " ".join(t.value for t in at.toast)
    assert "risk weights" in notices and "at-risk definition" in notices


def test_all_weights_at_zero_shows_an_error_not_a_crash():
    at = run_page(GAPS, timeout=TIMEOUT)
    for key in ("age", "broadband", "deprivation"):
        at.slider(key=f"gaps_w_{key}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("weights are zero" in e.value for e in at.error)


def test_choosing_an_lcp_filters_the_lsoa_gaps_and_states_its_rank():
    at = run_page(GAPS, {"area": "HATCH", "r": "400"}, timeout=TIMEOUT)
    assert not at.exception
    lsoas = table(at, "gaps_lsoa_table")
    assert len(lsoas) > 0 and set(lsoas["LCP"]) == {"HATCH"}
    assert any("**HATCH** ranks" in md.value for md in at.markdown)


def test_breakdown_contributions_add_up_to_the_chosen_lsoas_index(gaps):
    at = gaps
    code = at.selectbox(key="gaps_breakdown_lsoa").value
    parts = table(at, "gaps_breakdown_table")
    index = table(at, "gaps_every_table").set_index(c.LSOA).loc[code, c.RISK_INDEX]
    assert parts["Contribution to the index"].sum() == pytest.approx(index, abs=0.02)


def test_breakdown_lists_each_deri_input_with_value_score_and_component(gaps):
    at = gaps
    code = at.selectbox(key="gaps_breakdown_lsoa").value
    inputs = table(at, "gaps_indicator_table")
    assert inputs["Component"].tolist() == ["Age", "Broadband"] + ["Deprivation"] * 4
    assert inputs["Weight in component (%)"].tolist() == [100, 100, 20, 40, 20, 20]
    assert inputs["Value"].notna().all() and inputs["Score (0–10)"].between(0, 10).all()
    components = inputs.groupby("Component", sort=False)["Component score (0–10)"].first()
    weights = table(at, "gaps_breakdown_table").set_index("Component")["Weight"]
    index = table(at, "gaps_every_table").set_index(c.LSOA).loc[code, c.RISK_INDEX]
    weighted = (components * weights.loc[components.index]).sum() / weights.sum()
    assert weighted == pytest.approx(index, abs=0.02)


def test_reset_to_deri_weights_restores_equal_thirds_and_keeps_other_settings():
    at = run_page(GAPS, {"w": "age:3,broadband:0", "def": "core20"}, timeout=TIMEOUT)
    assert not at.exception
    assert at.slider(key="gaps_w_age").value == 3.0
    assert at.button(key="gaps_reset").label == "Reset to DERI weights"
    at.button(key="gaps_reset").click().run()
    assert not at.exception
    for key in ("age", "broadband", "deprivation"):
        assert at.slider(key=f"gaps_w_{key}").value == 1.0
    assert at.radio(key="gaps_at_risk").value == "core20"
    assert param(at, "w") is None


def test_england_scaling_names_the_input_still_scaled_within_leeds():
    at = run_page(GAPS, {"scale": "england"}, timeout=TIMEOUT)
    assert not at.exception
    notes = [cap.value for cap in at.caption if "England-wide" in cap.value]
    assert notes and "IDAOPI" in notes[0]


def test_overview_links_each_top_gap_to_the_gaps_page_filtered_to_it():
    at = run_page("app_pages/overview.py", timeout=TIMEOUT)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Residents within reach" in labels
    assert "At-risk beyond reach" in labels
    text = " ".join(md.value for md in at.markdown)
    hrefs = re.findall(r'href="([^"]+)"', text)
    gap_links = [h for h in hrefs if urlparse(h).path.endswith("gaps")]
    assert len(gap_links) == 5
    areas = at.selectbox(key="view_area").options
    first = parse_qs(urlparse(gap_links[0].replace("&amp;", "&")).query)["area"][0]
    assert first in areas

    # Following the link starts a new session on the Gaps page with that LCP chosen.
    linked = run_page(GAPS, {"area": first}, timeout=TIMEOUT)
    assert not linked.exception
    assert linked.selectbox(key="view_area").value == first
    assert set(table(linked, "gaps_lsoa_table")["LCP"]) <= {first}
