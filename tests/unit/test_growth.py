"""Growth series, milestones, coverage over time, deprivation change and the growth figures."""

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from app_pages.figures import growth_figures as gf
from utils import constants as c
from utils import growth as g

BEESTON = "Beeston and Middleton"
YORK = "York Road"


def _register() -> pd.DataFrame:
    """A small register: month and day precision, a closed-and-reopened hub, an old closed hub."""
    return pd.DataFrame(
        {
            c.HUB_ID: ["a", "b", "b", "s", "c", "e"],
            c.HUB_NAME: ["Alpha", "Bravo", "Bravo", "Sample One", "Charlie", "Echo"],
            c.HUB_OPENED: [
                "2022-01",
                "2022-02-15",
                "2022-06",
                "2022-03",
                "2019-01",
                pd.Timestamp("2022-04-01"),
            ],
            c.HUB_CLOSED: [None, "2022-04", None, "2022-05-10", "2020-01", float("nan")],
            c.HUB_SAMPLE: [False, False, False, True, False, False],
            c.LCP: [BEESTON, YORK, YORK, BEESTON, BEESTON, YORK],
            c.HUB_LAT: [53.78, 53.81, 53.81, 53.77, 53.79, 53.80],
            c.HUB_LON: [-1.56, -1.50, -1.50, -1.55, -1.57, -1.49],
        }
    )


def _pivot(series: pd.DataFrame, value: str) -> dict:
    wide = series.pivot(index=g.MONTH, columns=g.GROUP, values=value)
    return {f"{m:%Y-%m}": row.to_dict() for m, row in wide.iterrows()}


# --- register dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022-10", "2022-10-01", "month"),
        ("2022-10-26", "2022-10-26", "day"),
        (" 2022-1 ", "2022-01-01", "month"),
        (pd.Timestamp("2022-10-26 15:30"), "2022-10-26", "day"),
        (pd.Timestamp("2022-10-26", tz="Europe/London"), "2022-10-26", "day"),
    ],
)
def test_register_dates_are_read_as_the_first_day_they_apply(value, expected, precision):
    when, got_precision = g.parse_register_date(value)
    assert when == pd.Timestamp(expected)
    assert got_precision == precision


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, ""])
def test_missing_register_dates_are_nat(value):
    when, precision = g.parse_register_date(value)
    assert pd.isna(when) and precision == "missing"


@pytest.mark.parametrize("value", ["Oct 2022", "2022-13", "2022-02-30", "2022", 2022])
def test_unreadable_register_dates_raise(value):
    with pytest.raises(g.RegisterDateError):
        g.parse_register_date(value)


def test_register_date_labels_keep_month_precision():
    assert g.register_date_label("2022-10") == "Oct 2022"
    assert g.register_date_label("2022-10-26") == "26 Oct 2022"
    assert g.register_date_label(None) == "unknown"


# --- open on a date, growth series --------------------------------------------------------------


def test_a_hub_is_open_from_its_opened_day_until_the_day_before_it_closes():
    hubs = _register()
    assert g.hubs_open_on(hubs, "2022-02-15").tolist() == [True, True, False, False, False, False]
    # Bravo's first period ends on the closing day itself (closed = first day not open).
    assert g.hubs_open_on(hubs, "2022-03-31").tolist()[1] is True
    assert g.hubs_open_on(hubs, "2022-04-01").tolist()[1] is False
    assert g.hubs_open_on(hubs, "2022-05-09").tolist()[3] is True
    assert g.hubs_open_on(hubs, "2022-05-10").tolist()[3] is False


def test_growth_series_counts_are_exact_with_a_closed_and_reopened_hub():
    series = g.growth_series(_register(), start="2022-01", end="2022-07")

    assert list(series.columns) == [g.MONTH, g.GROUP, g.OPEN_HUBS, g.OPEN_REAL, g.OPEN_SAMPLE]
    assert _pivot(series, g.OPEN_HUBS) == {
        "2022-01": {BEESTON: 1, YORK: 0},
        "2022-02": {BEESTON: 1, YORK: 0},  # Bravo opens mid-February
        "2022-03": {BEESTON: 2, YORK: 1},  # the sample hub opens
        "2022-04": {BEESTON: 2, YORK: 1},  # Bravo closed, Echo opens on 1 April
        "2022-05": {BEESTON: 2, YORK: 1},  # sample hub closes on 10 May
        "2022-06": {BEESTON: 1, YORK: 2},  # Bravo reopens
        "2022-07": {BEESTON: 1, YORK: 2},
    }
    assert _pivot(series, g.OPEN_SAMPLE)["2022-04"] == {BEESTON: 1, YORK: 0}
    assert (series[g.OPEN_HUBS] == series[g.OPEN_REAL] + series[g.OPEN_SAMPLE]).all()


def test_a_hub_closed_before_the_start_is_never_counted_but_its_lcp_is_listed():
    series = g.growth_series(_register(), start="2022-01", end="2022-02", by=None)
    assert series[g.OPEN_HUBS].tolist() == [1, 1]
    assert series[g.GROUP].unique().tolist() == [g.LEEDS_GROUP]


def test_default_window_runs_from_the_first_opening_to_the_last_change():
    series = g.growth_series(_register(), by=None)
    assert series[g.MONTH].min() == pd.Timestamp("2019-01-01")
    # Sample hub closes 10 May 2022, the latest event, so the series ends on 1 June 2022.
    assert series[g.MONTH].max() == pd.Timestamp("2022-06-01")
    by_month = series.set_index(g.MONTH)[g.OPEN_HUBS]
    assert by_month[pd.Timestamp("2019-12-01")] == 1
    assert by_month[pd.Timestamp("2020-01-01")] == 0


def test_groups_are_ordered_by_first_opening():
    series = g.growth_series(_register(), start="2022-01", end="2022-01")
    assert series[g.GROUP].tolist() == [BEESTON, YORK]


def test_overlapping_rows_for_one_hub_are_counted_once():
    hubs = pd.DataFrame(
        {
            c.HUB_ID: [None, None, None],
            c.HUB_NAME: ["Delta", "Delta", "Foxtrot"],
            c.HUB_OPENED: ["2022-01", "2022-02", "2022-02"],
            c.HUB_CLOSED: ["2022-04", None, None],
        }
    )
    series = g.growth_series(hubs, start="2022-03", end="2022-03", by=None)
    assert series[g.OPEN_HUBS].tolist() == [2]
    assert series[g.OPEN_REAL].tolist() == [2]  # no sample column: all real


def test_unassigned_lcp_and_undated_hubs_are_reported_not_dropped_silently():
    hubs = _register()
    hubs.loc[0, c.LCP] = None
    hubs.loc[5, c.HUB_OPENED] = None
    series = g.growth_series(hubs, start="2022-07", end="2022-07")
    assert dict(zip(series[g.GROUP], series[g.OPEN_HUBS], strict=True)) == {
        BEESTON: 0,
        YORK: 1,
        g.UNASSIGNED_GROUP: 1,
    }
    assert g.hub_counts(hubs).undated == 1


def test_a_hub_closing_before_it_opens_is_rejected_with_its_row():
    hubs = _register()
    hubs.loc[4, c.HUB_CLOSED] = "2018-06"
    with pytest.raises(g.RegisterDateError, match="row 5 \\(Charlie\\)"):
        g.growth_series(hubs)


def test_a_missing_lcp_column_explains_what_to_do():
    with pytest.raises(g.GrowthError, match="footprint"):
        g.growth_series(_register().drop(columns=c.LCP))


def test_hub_counts_and_note_say_how_many_are_illustrative():
    hubs = _register()
    counts = g.hub_counts(hubs, "2022-04")
    assert counts == g.HubCounts(total=3, real=2, sample=1, undated=0)
    assert g.hub_counts(hubs) == g.HubCounts(total=5, real=4, sample=1, undated=0)
    assert g.illustrative_note(counts).startswith("1 of the 3 hubs counted is illustrative")


def test_sample_flags_accept_csv_strings():
    hubs = _register()
    hubs[c.HUB_SAMPLE] = ["false", "no", "", "TRUE", "0", None]
    assert g.sample_flags(hubs).tolist() == [False, False, False, True, False, False]
    hubs.loc[0, c.HUB_SAMPLE] = "maybe"
    with pytest.raises(g.GrowthError, match="true/false"):
        g.sample_flags(hubs)


# --- milestones -------------------------------------------------------------------------------

# Every date style in ../shared/data/leeds_digital_health_hub_growth_milestones.csv.
MILESTONE_DATES = [
    ("2018", "2018", "year", "2018-07-01", "2018-01-01", "2019-01-01", False),
    ("2020 (autumn)", "autumn 2020", "season", "2020-10-01", "2020-09-01", "2020-12-01", False),
    ("before 2022-08", "before Aug 2022", "before", "2022-08-01", None, "2022-08-01", False),
    ("2022-08", "Aug 2022", "month", "2022-08-01", "2022-08-01", "2022-09-01", False),
    ("2022-10-26", "26 Oct 2022", "day", "2022-10-26", "2022-10-26", "2022-10-27", False),
    (
        "after 2022-10 (page undated)",
        "after Oct 2022 (page undated)",
        "after",
        "2022-10-01",
        "2022-10-01",
        None,
        False,
    ),
    (
        "mid-to-late 2024 (planned)",
        "mid-to-late 2024 (planned)",
        "range",
        "2024-08-01",
        "2024-05-01",
        "2025-01-01",
        True,
    ),
]


@pytest.mark.parametrize(
    ("text", "label", "precision", "estimate", "earliest", "latest", "planned"), MILESTONE_DATES
)
def test_milestone_dates_keep_their_imprecision(
    text, label, precision, estimate, earliest, latest, planned
):
    parsed = g.parse_milestone_date(text)
    assert parsed.label == label
    assert parsed.precision == precision
    assert parsed.estimate == pd.Timestamp(estimate)
    assert (pd.isna(parsed.earliest) and earliest is None) or parsed.earliest == pd.Timestamp(
        earliest
    )
    assert (pd.isna(parsed.latest) and latest is None) or parsed.latest == pd.Timestamp(latest)
    assert parsed.planned is planned


@pytest.mark.parametrize("text", ["autumn 2020", "early 2023", "late 2021", "winter 2020"])
def test_other_milestone_phrasings_are_understood(text):
    parsed = g.parse_milestone_date(text)
    assert parsed.label == text
    assert parsed.precision in {"season", "range"}


@pytest.mark.parametrize("text", ["soon", "2022/08", "before before 2022", "Q3 2022"])
def test_unknown_milestone_dates_raise(text):
    with pytest.raises(g.MilestoneDateError):
        g.parse_milestone_date(text)


def _milestone_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["before 2022-08", "2022-10", "2018"],
            "lcp_or_scope": [BEESTON, "Leeds (city)", "Cross Gates"],
            "event_type": ["hubs_launched", "rollout_start", "partnership"],
            "description": ["Initial hubs", "Rollout starts", "Partnership begins"],
            "hubs_added": ["5", None, None],
            "hubs_cumulative_or_total": ["6", None, None],
            "source_url": [
                "https://digitalinclusionleeds.com/a",
                "https://x.org/b ; https://y",
                "u",
            ],
            "date_precision": ["date not stated", "month", "exact"],
        }
    )


def test_parse_milestones_sorts_by_date_and_keeps_sources():
    ms = g.parse_milestones(_milestone_rows())
    assert ms[g.MS_LABEL].tolist() == ["2018", "before Aug 2022", "Oct 2022"]
    assert ms[g.MS_HUBS_ADDED].tolist()[1] == 5
    assert pd.isna(ms[g.MS_HUBS_TOTAL].tolist()[0])
    assert ms[g.MS_SOURCE].tolist()[1] == "https://digitalinclusionleeds.com/a"


def test_a_bad_milestone_date_names_its_row():
    rows = _milestone_rows()
    rows.loc[1, "date"] = "sometime"
    with pytest.raises(g.MilestoneDateError, match="row 2"):
        g.parse_milestones(rows)


def test_every_date_in_the_real_milestones_file_parses(shared_data_dir: Path):
    raw = pd.read_csv(shared_data_dir / "leeds_digital_health_hub_growth_milestones.csv", dtype=str)
    ms = g.parse_milestones(raw)
    assert len(ms) == len(raw)
    assert "before Aug 2022" in set(ms[g.MS_LABEL])
    # Nothing imprecise in the file is given a day-precise label.
    assert set(ms.loc[ms[g.MS_PRECISION] == "day", g.MS_LABEL]) == {"26 Oct 2022"}


# --- coverage over time -----------------------------------------------------------------------


def test_coverage_over_time_runs_the_callable_on_the_hubs_open_each_month():
    calls = []

    def stub(open_hubs: pd.DataFrame) -> dict:
        calls.append(sorted(open_hubs[c.HUB_ID]))
        return {"n_hubs": len(open_hubs), "ids": ",".join(sorted(open_hubs[c.HUB_ID]))}

    months = pd.date_range("2022-02-01", "2022-04-01", freq="MS")
    out = g.coverage_over_time(_register(), months, stub)

    assert list(out.columns) == [g.MONTH, g.HUB_SET, "n_hubs", "ids"]
    got = {
        (f"{m:%Y-%m}", s): ids
        for m, s, ids in zip(out[g.MONTH], out[g.HUB_SET], out["ids"], strict=True)
    }
    assert got == {
        ("2022-02", g.HUB_SET_REAL): "a",
        ("2022-02", g.HUB_SET_ALL): "a",
        ("2022-03", g.HUB_SET_REAL): "a,b",
        ("2022-03", g.HUB_SET_ALL): "a,b,s",
        ("2022-04", g.HUB_SET_REAL): "a,e",
        ("2022-04", g.HUB_SET_ALL): "a,e,s",
    }
    # The same set of open hubs is summarised once (Feb real == Feb all).
    assert len(calls) == 5


def test_coverage_over_time_without_split_passes_each_reopened_hub_once():
    hubs = pd.DataFrame(
        {
            c.HUB_ID: ["d", "d"],
            c.HUB_OPENED: ["2022-01", "2022-02"],
            c.HUB_CLOSED: ["2022-04", None],
        }
    )
    out = g.coverage_over_time(
        hubs, ["2022-03"], lambda h: pd.DataFrame({"n": [len(h)]}), split_sample=False
    )
    assert out.to_dict("records") == [{g.MONTH: pd.Timestamp("2022-03-01"), "n": 1}]


def test_coverage_fn_must_return_a_table():
    with pytest.raises(g.GrowthError, match="DataFrame"):
        g.coverage_over_time(_register(), ["2022-03"], lambda h: 3)


# --- deprivation change -----------------------------------------------------------------------


def _lsoas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c.LSOA: ["E1", "E2", "E3"],
            c.IMD2019_PCT: [0.10, 0.30, 0.50],
            c.IMD2025_PCT: [0.05, 0.40, 0.50],
            c.IMD_PCT_CHANGE: [-0.05, 0.10, 0.00],
            c.POP_TOTAL: [3000, 1000, 2000],
        }
    )


def test_deprivation_change_is_population_weighted_per_lcp():
    footprints = pd.DataFrame({c.LSOA: ["E1", "E2", "E3"], c.LCP: ["P", "P", "Q"]})
    out = g.deprivation_change_by_lcp(_lsoas(), footprints).set_index(c.LCP)

    assert out.index.tolist() == ["P", "Q", g.LEEDS_GROUP]  # P worsened most, Leeds last
    assert out.loc["P", c.IMD2019_PCT] == pytest.approx((0.10 * 3 + 0.30 * 1) / 4)
    assert out.loc["P", c.IMD2025_PCT] == pytest.approx((0.05 * 3 + 0.40 * 1) / 4)
    assert out.loc["P", c.IMD_PCT_CHANGE] == pytest.approx((-0.05 * 3 + 0.10) / 4)
    assert out.loc["P", g.N_LSOAS] == 2 and out.loc["P", c.POP_TOTAL] == 4000
    assert out.loc[g.LEEDS_GROUP, c.IMD_PCT_CHANGE] == pytest.approx((-0.15 + 0.10 + 0) / 6)


def test_lsoas_outside_every_lcp_are_grouped_not_dropped():
    lsoas = _lsoas().assign(**{c.LCP: ["P", None, "Q"]})
    out = g.deprivation_change_by_lcp(lsoas, include_leeds=False)
    assert set(out[c.LCP]) == {"P", "Q", g.UNASSIGNED_GROUP}
    assert out[g.N_LSOAS].sum() == 3


def test_deprivation_change_names_each_lcps_footprint_status():
    lsoas = _lsoas().assign(
        **{c.LCP: ["P", "P", "Q"], c.LCP_STATUS: ["described", "described", "provisional"]}
    )
    out = g.deprivation_change_by_lcp(lsoas).set_index(c.LCP)
    assert out.loc["P", c.LCP_STATUS] == "described"
    assert out.loc["Q", c.LCP_STATUS] == "provisional"
    assert pd.isna(out.loc[g.LEEDS_GROUP, c.LCP_STATUS])


def test_an_lsoa_in_two_lcps_is_rejected():
    footprints = pd.DataFrame({c.LSOA: ["E1", "E1", "E3"], c.LCP: ["P", "Q", "Q"]})
    with pytest.raises(g.GrowthError, match="E1"):
        g.deprivation_change_by_lcp(_lsoas(), footprints)


def test_percentages_instead_of_fractions_are_rejected():
    lsoas = _lsoas().assign(**{c.IMD2019_PCT: [10.0, 30.0, 50.0], c.LCP: "P"})
    with pytest.raises(g.GrowthError, match="fraction"):
        g.deprivation_change_by_lcp(lsoas)


# --- figures ----------------------------------------------------------------------------------


def test_growth_chart_has_real_and_illustrative_bands_a_total_and_milestones():
    series = g.growth_series(_register(), start="2022-01", end="2022-07")
    milestones = g.parse_milestones(_milestone_rows())
    fig = gf.build_growth_chart(series, milestones)

    assert isinstance(fig, go.Figure)
    # Beeston real + illustrative, York Road real, the real total, the milestone markers.
    assert [t.name for t in fig.data] == [
        f"{BEESTON}: real",
        f"{BEESTON}: illustrative",
        f"{YORK}: real",
        "Real hubs, all LCPs",
        "Public milestones",
    ]
    assert fig.data[1].fillpattern.shape == gf.SAMPLE_PATTERN
    assert "illustrative" in fig.layout.title.subtitle.text
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "before Aug 2022" in texts and "digitalinclusionleeds.com" in texts
    # Only the month-precise milestone is a line; the year is a span; "before" has neither.
    spans = [s for s in fig.layout.shapes if s.type == "rect"]
    date_lines = [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert len(spans) == 1
    assert [pd.Timestamp(s.x0) for s in date_lines] == [pd.Timestamp("2022-10-01")]
    assert fig.layout.font.size >= 16


def test_growth_chart_without_sample_hubs_or_milestones():
    hubs = _register()
    hubs[c.HUB_SAMPLE] = False
    fig = gf.build_growth_chart(g.growth_series(hubs, start="2022-01", end="2022-03"))
    assert len(fig.data) == 3
    assert "all real" in fig.layout.title.subtitle.text


def test_coverage_chart_draws_real_solid_and_all_dashed_where_they_differ():
    def stub(open_hubs: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({c.LCP: [g.LEEDS_GROUP, BEESTON], "covered": [len(open_hubs), 1]})

    months = pd.date_range("2022-01-01", "2022-07-01", freq="MS")
    fig = gf.build_coverage_over_time_chart(
        g.coverage_over_time(_register(), months, stub), "covered"
    )
    assert [t.name for t in fig.data] == [
        f"{g.LEEDS_GROUP} (real hubs)",
        f"{g.LEEDS_GROUP} incl. illustrative",
        f"{BEESTON} (real hubs)",
    ]
    assert fig.data[1].line.dash == "dash"


def test_deprivation_chart_has_one_bar_per_row():
    change = g.deprivation_change_by_lcp(_lsoas().assign(**{c.LCP: ["P", "P", "Q"]}))
    fig = gf.build_deprivation_change_chart(change)
    assert len(fig.data) == 1
    assert list(fig.data[0].y) == ["P", "Q", g.LEEDS_GROUP]
    assert fig.data[0].marker.color[0] == gf.COLOUR_WORSE


def test_network_animation_has_a_frame_per_month_and_needs_no_tiles():
    hubs = _register()
    outline = shapely.Polygon([(-1.8, 53.7), (-1.3, 53.7), (-1.3, 53.95), (-1.8, 53.95)])
    months = pd.date_range("2022-01-01", "2022-07-01", freq="MS")
    fig = gf.build_network_animation(hubs, months, outline)

    assert [t.name for t in fig.data] == ["Leeds boundary", "Real hub", "Illustrative (sample) hub"]
    assert all(isinstance(t, go.Scatter) for t in fig.data)  # plain axes, no map tiles
    assert len(fig.frames) == len(months)
    counts = {f.name: (len(f.data[0].x), len(f.data[1].x)) for f in fig.frames}
    assert counts["2022-03-01"] == (2, 1)
    assert counts["2022-06-01"] == (3, 0)  # Bravo reopened at the same place, drawn once
    assert len(fig.layout.sliders[0].steps) == len(months)
    assert fig.layout.updatemenus[0].buttons[0].label.endswith("Play")


def test_network_animation_rejects_an_outline_in_british_national_grid():
    gpd = pytest.importorskip("geopandas")
    outline = gpd.GeoDataFrame(
        geometry=[shapely.box(420000, 420000, 440000, 440000)], crs=c.CRS_BNG
    )
    with pytest.raises(gf.OutlineError, match="EPSG:4326"):
        gf.build_network_animation(_register(), ["2022-03"], outline)


def test_network_animation_accepts_a_wgs84_geodataframe_and_coordinate_lists():
    gpd = pytest.importorskip("geopandas")
    ring = [(-1.8, 53.7), (-1.3, 53.7), (-1.3, 53.95), (-1.8, 53.7)]
    outline = gpd.GeoDataFrame(geometry=[shapely.Polygon(ring)], crs=c.CRS_WGS84)
    assert len(gf.build_network_animation(_register(), ["2022-03"], outline).data) == 3
    assert len(gf.build_network_animation(_register(), ["2022-03"], ring).data) == 3
    assert len(gf.build_network_animation(_register(), ["2022-03"]).data) == 2


def test_growth_chart_says_when_a_hubs_opening_date_is_not_known():
    hubs = _register()
    hubs.loc[0, c.HUB_OPENED] = "2022-01 (placeholder)"
    assert g.placeholder_hubs(hubs) == ["Alpha"]
    series = g.growth_series(hubs, start="2022-01", end="2022-07")
    fig = gf.build_growth_chart(series, date_not_known=g.placeholder_hubs(hubs))
    assert "Opening date not known: Alpha" in fig.layout.title.subtitle.text
    plain = gf.build_growth_chart(series)
    assert "not known" not in plain.layout.title.subtitle.text
