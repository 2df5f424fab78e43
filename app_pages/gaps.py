"""Gaps page: which LCPs and neighbourhoods have high need and no hub within reach."""

import streamlit as st

from app_pages import common, map_layers
from app_pages.figures import gap_figures as gf
from app_pages.figures import summaries
from app_pages.figures.maps import build_hub_map, fit_to_area
from data import loaders
from geo.coverage import (
    AREA,
    GAP_RANK,
    CoverageError,
    rank_lcp_gaps,
    rank_lsoa_gaps,
    summarise_coverage,
)
from utils import constants as c
from utils.risk import (
    AT_RISK_DEFINITIONS,
    DEFAULT_SPEC,
    DERI_NAME,
    RISK_MISSING,
    RiskError,
    risk_breakdown,
)
from utils.text import escape_markdown, md, plain
from utils.view_state import ALL_LEEDS, lsoas_in_area

WEIGHT_KEYS = {comp.key: f"gaps_w_{comp.key}" for comp in DEFAULT_SPEC}
AT_RISK_KEY, SCALING_KEY, SAVED_KEY = "gaps_at_risk", "gaps_scaling", "gaps_saved"
BREAKDOWN_KEY = "gaps_breakdown_lsoa"


def apply_settings(values: dict) -> None:
    """Put URL-style settings ({"w", "def", "scale"}) into the widgets' session state."""
    for comp, weight in dict(values["w"]).items():
        st.session_state[WEIGHT_KEYS[comp]] = float(weight)
    st.session_state[AT_RISK_KEY] = values["def"]
    st.session_state[SCALING_KEY] = values["scale"]


def restore_settings() -> None:
    """Fill the widgets from the URL on a first visit, or from this session's last choice."""
    keys = [*WEIGHT_KEYS.values(), AT_RISK_KEY, SCALING_KEY]
    if all(k in st.session_state for k in keys):
        return
    view = common.url_view(gf.gap_specs(), SAVED_KEY)
    for notice in view.notices:
        st.toast(notice)
    apply_settings(view.values)


def reset_weights() -> None:
    """Button callback: the DERI's own component weights (equal thirds); other settings stay."""
    for comp, weight in gf.DEFAULT_WEIGHTS:
        st.session_state[WEIGHT_KEYS[comp]] = float(weight)


def current_settings() -> dict:
    """The page's settings in URL form."""
    return {
        "w": gf.weights_key({k: st.session_state[key] for k, key in WEIGHT_KEYS.items()}),
        "def": st.session_state[AT_RISK_KEY],
        "scale": st.session_state[SCALING_KEY],
    }


def count_table(table, key: str, where=st) -> None:
    """A table whose whole-number counts show thousands separators."""
    where.dataframe(
        table, hide_index=True, width="stretch", column_config=thousands(table), key=key
    )


def thousands(table) -> dict:
    """Column settings showing whole-number counts with thousands separators."""
    return {
        col: st.column_config.NumberColumn(format="localized")
        for col in gf.COUNT_COLUMNS
        if col in table.columns
    }


def sync_page_params(values: dict) -> None:
    """Write the page's settings into the URL (defaults left out) and remember them."""
    common.keep_view(gf.gap_specs(), SAVED_KEY, values, gf.encode_gap_params(values))


view = common.shared_view()
radius, area = int(view["r"]), view["area"]
demo = common.demo_mode()
restore_settings()

st.title("Gaps: high need, beyond reach of a hub")
st.caption(
    f"Reach: {radius:,} m in a straight line from where people live (each LSOA's residential "
    "postcodes, residents split equally) to an open hub (change it in the sidebar). "
    + ("All of Leeds." if area == ALL_LEEDS else f"Showing {md(area)}; the LCP ranking is city-wide.")
)

with st.container(border=True):
    left, right = st.columns(2)
    left.radio(
        "Who counts as at risk",
        list(AT_RISK_DEFINITIONS),
        format_func=AT_RISK_DEFINITIONS.get,
        key=AT_RISK_KEY,
    )
    right.radio(
        "DERI scaled",
        list(gf.SCALINGS),
        format_func=gf.SCALINGS.get,
        key=SCALING_KEY,
        help=gf.scaling_help(),
    )
    if st.session_state[SCALING_KEY] == "england":
        right.caption(gf.scaling_help())
    with st.expander(f"{DERI_NAME}: component weights"):
        st.caption(
            "Each component is scored 0–10; the DERI is their mean (GMCA: 1/3 each, i.e. equal "
            "weights). Other weights give a weighted mean and are no longer GMCA's method; "
            "a weight of 0 leaves a component out. The inputs and formula are on the About page."
        )
        cols = st.columns(len(WEIGHT_KEYS))
        for col, comp in zip(cols, DEFAULT_SPEC, strict=True):
            col.slider(
                comp.label,
                min_value=gf.WEIGHT_MIN,
                max_value=gf.WEIGHT_MAX,
                step=gf.WEIGHT_STEP,
                key=WEIGHT_KEYS[comp.key],
                help=comp.note or None,
            )
        st.button("Reset to DERI weights", on_click=reset_weights, key="gaps_reset")
    st.page_link("app_pages/about.py", label="How the DERI is calculated (About page)")

settings = current_settings()
weights, at_risk, scaling = settings["w"], settings["def"], settings["scale"]
sync_page_params(settings)

try:
    coverage = loaders.load_coverage(radius, weights, scaling, at_risk, demo=demo)
except (RiskError, CoverageError) as err:
    st.error(f"{err} Change the settings above (or press *Reset to DERI weights*) and try again.")
    common.stop_page()

hubs = loaders.load_open_hubs(demo=demo)
area_cov = lsoas_in_area(coverage, area)
ranked = rank_lcp_gaps(coverage, hubs)
leeds_row = summarise_coverage(coverage, hubs=hubs).iloc[0]
headline_row = leeds_row if area == ALL_LEEDS else ranked[ranked[AREA] == area].iloc[0]
need_col = gf.need_column(at_risk)
lsoa_gaps = rank_lsoa_gaps(area_cov, risk_col=need_col)

# --- Headline figures ----------------------------------------------------------------------
cols = st.columns(4)
for col, fig in zip(cols, gf.coverage_headlines(headline_row, radius, at_risk), strict=True):
    col.metric(fig.label, fig.value)
    col.caption(fig.source)
st.caption(escape_markdown(plain(gf.hub_count_text(hubs, area), limit=None)))
missing = gf.missing_inputs_summary(area_cov)
if missing:
    st.info(missing)

# --- LCP ranking ---------------------------------------------------------------------------
st.subheader(common.titled("LCPs ranked by at-risk residents beyond reach"))
lcp_table = gf.lcp_gap_table(ranked)
if area != ALL_LEEDS:
    rank = int(ranked.loc[ranked[AREA] == area, GAP_RANK].iloc[0])
    st.markdown(f"**{md(area)}** ranks **{rank} of {len(ranked)}**.")
count_table(lcp_table, "gaps_lcp_table")
common.csv_download(lcp_table, f"leeds_lcp_gaps_{radius}m_{at_risk}.csv", key="gaps_lcp_download")

common.figure_summary(summaries.lcp_gap_summary(lcp_table))
common.show_chart(
    gf.build_need_coverage_scatter(
        ranked,
        leeds_row,
        radius_m=radius,
        highlight=gf.top_gaps(ranked)[AREA],
    ),
    width="stretch",
    key="gaps_scatter",
)
st.caption(
    "One dot per LCP; dot size = at-risk residents beyond reach; orange diamonds = the five "
    "largest gaps. Dashed lines: Leeds as a whole. The table above has the same numbers."
)

# --- Equity: who is within reach -----------------------------------------------------------
st.subheader("Equity: residents within reach by deprivation and by LCP")
st.caption(
    f"Residents within {radius:,} m of an open hub, city-wide. IMD 2025 deciles are national "
    "(1 = the most deprived 10% of areas in England). Footprint status: *described* follows a "
    "public description, *approximate* is a best fit, *provisional* is not a named LCP."
)
by_decile, by_lcp = st.tabs(["By IMD 2025 decile", "By LCP"])
for tab, group, name in (
    (by_decile, c.IMD_DECILE, "imd_decile"),
    (by_lcp, c.LCP, "lcp"),
):
    equity = gf.equity_table(coverage, group)
    count_table(equity, f"gaps_equity_{name}_table", where=tab)
    with tab:
        common.csv_download(
            equity,
            f"leeds_residents_within_reach_by_{name}_{radius}m_{at_risk}.csv",
            key=f"gaps_equity_{name}_download",
        )

# --- LSOA gaps -----------------------------------------------------------------------------
where = "Leeds" if area == ALL_LEEDS else md(area)  # Markdown: headings, messages, labels
st.subheader(common.titled(f"Neighbourhoods (LSOAs) at risk, mostly beyond reach — {where}"))
st.caption(
    f"At risk: {gf.AT_RISK_SHORT[at_risk]}. Listed when fewer than half of the LSOA's "
    "residential postcodes are within reach. Ordered by "
    + ("IMD 2025 score." if need_col == c.IMD_SCORE else "DERI score.")
)
lsoa_table = gf.lsoa_gap_table(lsoa_gaps)
if len(lsoa_table):
    count_table(lsoa_table, "gaps_lsoa_table")
else:
    st.success(f"Every at-risk LSOA in {where} is within {radius:,} m of an open hub.")
common.csv_download(
    lsoa_table, f"leeds_lsoa_gaps_{radius}m_{at_risk}.csv", key="gaps_lsoa_download"
)

# --- Map -----------------------------------------------------------------------------------
st.subheader(common.titled("Map: DERI score, uncovered high-need LSOAs and hub reach"))
common.figure_summary(summaries.lsoa_gap_summary(lsoa_table, radius, where))
map_table = coverage[[c.LSOA, c.LSOA_NAME, c.MSOA_NAME, c.WARD_NAME, c.RISK_INDEX, c.IMD_DECILE]]
fmap = build_hub_map(
    map_layers.lsoa_map_encoded(),
    map_table,
    c.RISK_INDEX,
    label=common.titled(gf.RISK_LABEL),
    decile_col=c.IMD_DECILE,
    outline=loaders.load_outline(),
    lcp_outlines=loaders.load_lcp_outlines(),
    hubs=hubs,
    rings_m=radius,
    highlight=set(rank_lsoa_gaps(coverage, risk_col=need_col)[c.LSOA]),
    **map_layers.MAP_ASSETS,
)
fit_to_area(fmap, loaders.load_lsoas_with_lcp(), area)
common.show_map(fmap, height=600)
st.caption(
    f"Pink outline: at-risk LSOA with fewer than half its residents within {radius:,} m of a "
    f"hub. Dashed circles: {radius:,} m around each hub. Grey: no index (no inputs). The "
    "neighbourhoods table above has the same LSOAs."
)
common.sample_hub_notice(hubs)

# --- What drives one LSOA's score ----------------------------------------------------------
st.subheader("What drives a neighbourhood's DERI score")
labels = gf.lsoa_choice_labels(area_cov)
if st.session_state.get(BREAKDOWN_KEY) not in labels:
    st.session_state.pop(BREAKDOWN_KEY, None)
code = st.selectbox(
    "Neighbourhood (highest risk first)", list(labels), format_func=labels.get, key=BREAKDOWN_KEY
)
if code is not None:
    risk_row = loaders.load_risk(weights, scaling).set_index(c.LSOA).loc[code]
    breakdown = risk_breakdown(risk_row, component_weights=dict(weights))
    inputs = risk_breakdown(risk_row, component_weights=dict(weights), level="indicator")
    breakdown_rows = gf.breakdown_table(breakdown)
    common.figure_summary(summaries.breakdown_summary(breakdown_rows, labels[code]))
    chart_col, table_col = st.columns([3, 2])
    chart_col.plotly_chart(
        gf.build_breakdown_chart(breakdown, labels[code]),
        width="stretch",
        key="gaps_breakdown_chart",
    )
    table_col.dataframe(breakdown_rows, hide_index=True, key="gaps_breakdown_table")
    st.dataframe(
        gf.indicator_breakdown_table(inputs),
        hide_index=True,
        width="stretch",
        key="gaps_indicator_table",
    )
    st.caption(
        "Each input's own value, its 0–10 score (min–max over "
        + (
            "England; inputs without England-wide values over Leeds"
            if scaling == "england"
            else "Leeds"
        )
        + "), its weight within its component, and the component's score."
    )
    reason = str(risk_row[RISK_MISSING] or "")
    if reason:
        table_col.warning(f"Missing inputs: {reason}.")
    else:
        table_col.caption("Every input of this index was available for this LSOA.")

with st.expander(f"Every LSOA in {where}: DERI and coverage"):
    every = gf.lsoa_coverage_table(area_cov)
    st.dataframe(every, hide_index=True, width="stretch", key="gaps_every_table")
    common.csv_download(
        every, f"leeds_lsoa_coverage_{radius}m_{at_risk}.csv", key="gaps_every_download"
    )

st.caption(f"Sources: {c.SOURCE_IOD2025}; {c.SOURCE_POP2022}; {c.SOURCE_BOUNDARIES}; hub register.")
