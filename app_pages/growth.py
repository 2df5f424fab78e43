"""Growth page: how the hub network grew, what it did for coverage, and deprivation change."""

from datetime import date, datetime

import streamlit as st

from app_pages import common, map_layers
from app_pages.figures import growth_figures as gf
from app_pages.figures import summaries
from app_pages.figures.maps import fit_to_area
from data import loaders
from geo import coverage as cov
from utils import constants as c
from utils import growth as g
from utils.text import md
from utils.view_state import ParamSpec

DATE_KEY = "growth_date"
DATE_PARAM = "date"
DATE_MEMORY = "growth_view"

view = common.shared_view()
demo = common.demo_mode()
today = date.today()
radius = int(view["r"])

st.title("Growth: how the hub network grew")
st.caption(
    "Hubs open on the first of each month, from the hub register's opened and closed dates. "
    "Public milestones are marked with their source; imprecise published dates are shown as "
    "published (e.g. “before Aug 2022”)."
)

hubs = loaders.load_hubs(demo=demo)  # real hubs only unless demo mode
try:
    series = g.growth_series(hubs, end=today)
    milestones = g.parse_milestones(loaders.load_milestones())
except g.GrowthError as err:
    st.error(f"The growth of the network cannot be charted: {err} Correct the register and reload.")
    common.stop_page()
if series.empty:
    st.info(
        "The register has no real hubs with an opened date yet, so there is no growth to chart. "
        "Add or upload hubs on the Hubs page."
    )
    common.stop_page()

st.info(g.illustrative_note(g.hub_counts(hubs)))

# --- Hubs open over time -------------------------------------------------------------------------
common.figure_summary(summaries.growth_summary(series))
common.show_chart(
    gf.build_growth_chart(
        series,
        milestones,
        title=common.titled("Digital Health Hubs open, by Local Care Partnership"),
        date_not_known=g.placeholder_hubs(hubs),
    ),
    width="stretch",
    theme=None,
    key="growth_chart",
)
with st.expander("Table: hubs open each month, and the public milestones"):
    st.dataframe(series, hide_index=True, width="stretch", key="growth_series_table")
    common.csv_download(series, "leeds_hubs_open_by_month.csv", key="growth_series_download")
    ms_table = gf.milestone_table(milestones)
    st.dataframe(
        ms_table,
        hide_index=True,
        width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source")},
        key="growth_milestones_table",
    )
    common.csv_download(ms_table, "leeds_hub_milestones.csv", key="growth_milestones_download")

# --- The network as of a date --------------------------------------------------------------------
st.subheader(common.titled("The network as of a date"))
month_starts = [m.date() for m in series[g.MONTH].drop_duplicates()]
options = month_starts + ([today] if today not in month_starts else [])
lsoas = loaders.load_lsoas_with_lcp()


def _label(day: date) -> str:
    return f"today ({day.day} {day:%b %Y})" if day == today else f"{day:%b %Y}"


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _parse_month(raw: str) -> date:
    return datetime.strptime(raw.strip(), "%Y-%m").date()


@st.fragment
def network_as_of() -> None:
    """Date slider and map; a fragment, so moving the slider redraws only this part."""
    spec = ParamSpec(
        DATE_PARAM, today, _parse_month, lambda d: d in options, "date", encode=_month
    )
    # First visit (or the register changed): take the date from the link if it is usable.
    url = common.url_view([spec], DATE_MEMORY, reread=st.session_state.get(DATE_KEY) not in options)
    if url.from_url:
        st.session_state[DATE_KEY] = url.values[DATE_PARAM]
    if url.notices:
        st.warning(
            f"The link's date “{md(st.query_params.get(DATE_PARAM))}” is not a month of the "
            f"network's life (use YYYY-MM, {options[0]:%Y-%m} to {today:%Y-%m}); "
            "showing today instead."
        )
    as_of = st.select_slider(
        "Show the network as of", options=options, format_func=_label, key=DATE_KEY
    )
    common.keep_view([spec], DATE_MEMORY, {DATE_PARAM: as_of})

    indicator = view["ind"]
    label = c.INDICATORS[indicator][0]
    open_hubs = loaders.load_open_hubs(as_of, demo=demo)
    gaps = cov.rank_lsoa_gaps(loaders.load_coverage(radius, as_of=as_of, demo=demo))
    fmap = map_layers.indicator_map(
        lsoas,
        indicator,
        open_hubs,
        demo=demo,
        outline=loaders.load_outline(),
        rings_m=radius,
        highlight=gaps[c.LSOA].tolist(),
    )
    fit_to_area(fmap, lsoas, view["area"])
    common.figure_summary(summaries.network_summary(open_hubs, len(gaps), as_of, radius))
    common.show_map(fmap, height=560)
    st.caption(
        f"{len(open_hubs)} hubs open on {as_of.day} {as_of:%b %Y}, with {radius:,} m reach "
        f"rings. Pink outlines: at-risk neighbourhoods with fewer than half their residents within "
        f"reach by then ({len(gaps)}). "
        f"Shading: {label}."
    )
    common.sample_hub_notice(open_hubs)
    common.figure_table(
        "Table: the hubs open on this date",
        summaries.open_hubs_table(open_hubs),
        key="growth_open_table",
    )


network_as_of()


with st.expander("Animated playback of the network's growth (for presenting)"):
    st.caption("The same numbers month by month are in the first table on this page.")
    common.show_chart(
        gf.build_network_animation(
            hubs,
            month_starts,
            outline=loaders.load_outline(),
            title=common.titled("Hub network over time"),
        ),
        width="stretch",
        theme=None,
        key="growth_animation",
    )

# --- Coverage over time --------------------------------------------------------------------------
st.subheader(common.titled("Did the new hubs reach the people most at risk?"))
measures = {
    cov.AT_RISK_COVERED_PCT: ("At-risk residents within reach (%)", "% of at-risk residents"),
    cov.COVERED_PCT: ("All residents within reach (%)", "% of all residents"),
    cov.AT_RISK_COVERED_POP: ("At-risk residents within reach (people)", "At-risk residents"),
}
measure = st.radio(
    "Measure",
    list(measures),
    format_func=lambda m: measures[m][0],
    horizontal=True,
    key="growth_measure",
)
lcps = loaders.lcp_names()
default_lcps = [view["area"]] if view["area"] in lcps else []
chosen = st.multiselect(
    "LCPs to compare with Leeds", lcps, default=default_lcps, key="growth_compare"
)
over_time = loaders.load_coverage_over_time(radius, demo=demo)
shown = over_time[over_time[cov.AREA].isin([cov.LEEDS_LABEL, *chosen])]
common.figure_summary(
    summaries.coverage_over_time_summary(
        shown,
        measure,
        measures[measure][0],
        view["area"] if view["area"] in chosen else cov.LEEDS_LABEL,
    )
)
common.show_chart(
    gf.build_coverage_over_time_chart(
        shown,
        measure,
        group_col=cov.AREA,
        y_title=measures[measure][1],
        title=common.titled(f"Coverage within {radius:,} m, month by month"),
        leeds_label=cov.LEEDS_LABEL,
    ),
    width="stretch",
    theme=None,
    key="growth_coverage_chart",
)
st.caption(
    "At risk: the 20% of Leeds neighbourhoods with the highest Digital Exclusion Risk Index. "
    "Reach is measured where people live: each neighbourhood's residents are split equally over "
    "its residential postcodes, and those within the straight-line radius of an open hub count."
)
common.figure_table(
    "Table: coverage each month, Leeds and every LCP",
    over_time,
    key="growth_coverage_table",
    filename=f"leeds_coverage_by_month_{radius}m.csv",
    download_key="growth_coverage_download",
)

# --- Deprivation change --------------------------------------------------------------------------
st.subheader("Context: change in deprivation, IMD 2019 → 2025")
change = g.deprivation_change_by_lcp(lsoas)
common.figure_summary(summaries.deprivation_change_summary(change))
common.show_chart(
    gf.build_deprivation_change_chart(change),
    width="stretch",
    theme=None,
    key="growth_deprivation",
)
st.caption(
    "IoD 2019 ranks were carried to 2021 neighbourhoods through the ONS 2011→2021 LSOA lookup. "
    f"Sources: {c.SOURCE_IOD2025}; English Indices of Deprivation 2019; {c.SOURCE_POP2022}."
)
common.figure_table(
    "Table: deprivation change per LCP",
    change,
    key="growth_deprivation_table",
    filename="leeds_imd_change_by_lcp.csv",
    download_key="growth_deprivation_download",
)
