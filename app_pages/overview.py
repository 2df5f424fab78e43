"""Overview page: Leeds headline figures, each with its source and vintage, and a small map."""

from functools import partial

import streamlit as st

from app_pages import common, map_layers
from app_pages.figures import about, summaries
from app_pages.figures import gap_figures as gf
from app_pages.figures.exports import summary_html
from app_pages.figures.maps import build_hub_map
from data import loaders
from geo.coverage import rank_lcp_gaps, summarise_coverage
from utils import constants as c
from utils import demo as demo_rules
from utils.demo import hubs_for_mode
from utils.hubs import hub_identity
from utils.indicators import headline_figures, indicator_table

st.title("Leeds Digital Health Hubs: coverage at a glance")

lsoas = loaders.load_lsoas_with_lcp()
demo = common.demo_mode()
hubs = loaders.load_open_hubs(demo=demo)
n_sample = int(hubs[c.HUB_SAMPLE].sum()) if len(hubs) else 0
register = loaders.load_register_hubs()
n_real_register = int(hub_identity(hubs_for_mode(register, demo=False)).nunique())
st.info(demo_rules.real_hub_count_note(n_real_register, demo))
st.page_link("app_pages/hubs.py", label="Add or upload hubs on the Hubs page", icon="➕")

cols = st.columns(4)
for col, fig in zip(cols, headline_figures(lsoas, len(hubs) - n_sample, n_sample), strict=True):
    col.metric(fig.label, fig.value)
    col.caption(fig.source)

view = common.shared_view()
radius = int(view["r"])
st.subheader(common.titled(f"Who is within reach of a hub ({radius:,} m)"))
# Default weights, Leeds scaling, top-20% at risk; real hubs only unless demo mode.
coverage = loaders.load_coverage(radius, demo=demo)
leeds = summarise_coverage(coverage, hubs=hubs).iloc[0]
cols = st.columns(4)
for col, fig in zip(cols, gf.coverage_headlines(leeds, radius, gf.DEFAULT_AT_RISK), strict=True):
    col.metric(fig.label, fig.value)
    col.caption(fig.source)
st.caption(
    "At risk: the 20% of Leeds LSOAs with the highest Digital Exclusion Risk Index (default "
    "weights). Reach is measured from where people live: each LSOA's residents are split "
    "equally over its residential postcodes (see About the data). Change the radius in the sidebar; change the weights or use Core20 on the Gaps page."
)

st.subheader(common.titled("Top five gaps: LCPs with the most at-risk residents beyond reach"))
# Links reload the app on the Gaps page: a new session reads the area (and radius) from the URL.
link_params = common.shared_params()
gaps_md = gf.top_gaps_markdown(
    rank_lcp_gaps(coverage, hubs), radius, common.area_choices(), extra=link_params
)
if gaps_md:
    st.markdown(gaps_md, unsafe_allow_html=True)
    st.caption("Each link opens the Gaps page for that LCP.")
else:
    st.success(f"Every at-risk resident in Leeds lives within {radius:,} m of an open hub.")

st.subheader(common.titled("IMD 2025 score and hubs"))
imd_table = indicator_table(lsoas, c.IMD_SCORE)
common.figure_summary(
    summaries.indicator_map_summary(imd_table, c.IMD_SCORE, c.INDICATORS[c.IMD_SCORE][0], "Leeds")
)
fmap = build_hub_map(
    map_layers.lsoa_map_encoded(),
    imd_table,
    c.IMD_SCORE,
    label=common.titled(c.INDICATORS[c.IMD_SCORE][0]),
    outline=loaders.load_outline(),
    lcp_outlines=loaders.load_lcp_outlines(),
    hubs=hubs,
    **map_layers.MAP_ASSETS,
)
common.show_map(fmap, height=460)
common.figure_table(
    "Table: the map's IMD 2025 score for every neighbourhood", imd_table, key="overview_map_table"
)
common.sample_hub_notice(hubs)
st.caption(f"Sources: {c.SOURCE_IOD2025}; {c.SOURCE_POP2022}; {c.SOURCE_BOUNDARIES}.")

st.download_button(
    "Printable one-page summary of this view (HTML: open it and print to PDF)",
    partial(
        summary_html,
        common.titled("Leeds Digital Health Hubs: coverage at a glance"),
        [
            f"Hubs used: {demo_rules.hubs_used(demo)}",
            f"Area: {view['area']}",
            f"Reach: {radius:,} m straight line; at risk: top 20% risk (default weights)",
            f"Data built {loaders.load_manifest()['built_at']}",
        ],
        [
            *headline_figures(lsoas, len(hubs) - n_sample, n_sample),
            *gf.coverage_headlines(leeds, radius, gf.DEFAULT_AT_RISK),
        ],
        gf.lcp_gap_table(gf.top_gaps(rank_lcp_gaps(coverage, hubs))),
        common.share_link(),
        [about.ATTRIBUTION, *[f"{t}: {x}" for t, x in about.APPROXIMATIONS[:4]]],
    ),
    file_name=common.file_name("hub_coverage_summary.html"),
    mime="text/html",
    key="overview_summary_download",
)
