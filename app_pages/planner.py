"""Site planner page: where k new hubs would reach the most people not yet reached (MCLP)."""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import common, map_layers
from app_pages.clickable_map import show_clickable_map, take_click
from app_pages.figures import planner_figures as pf
from app_pages.figures import summaries
from app_pages.figures import whatif as wfig
from app_pages.figures.maps import build_hub_map, fit_to_area
from data import loaders
from data.register_store import RegisterStoreError
from geo.sites import K_MAX, K_MIN, OBJECTIVES, SiteError
from geo.whatif import ADDED_LABEL, MAX_ADDED_HUBS
from geo.whatif import parse_added_hubs as wf_parse
from utils import constants as c
from utils.text import escape_markdown, md
from utils.venues import MAX_VENUES, VenueFileError
from utils.view_state import ParamSpec

DEFAULT_K = 5
DEFAULT_OBJECTIVE = "at_risk"
DEFAULT_TARGET_PCT = 80
TARGET_CHOICES = tuple(range(10, 101, 5))
CANDIDATES_LSOA = "lsoa"
CANDIDATES_VENUES = "venues"
CANDIDATE_LABELS = {
    CANDIDATES_LSOA: "One per neighbourhood (LSOA population-weighted centre)",
    CANDIDATES_VENUES: "Real venues I upload (CSV)",
}

# URL parameters of this page (the shared sidebar owns area and r).
SPECS = [
    ParamSpec("k", DEFAULT_K, int, lambda v: K_MIN <= v <= K_MAX, "number of new hubs"),
    ParamSpec(
        "obj", DEFAULT_OBJECTIVE, str, lambda v: v in OBJECTIVES, "objective", OBJECTIVES.get
    ),
    ParamSpec(
        "target",
        DEFAULT_TARGET_PCT,
        int,
        lambda v: v in TARGET_CHOICES,
        "target share",
        lambda v: f"{v}%",
    ),
    ParamSpec(
        "run",
        0,
        int,
        lambda v: v in (0, 1),
        "run setting",
        lambda _v: "the settings without a recommendation",
    ),
]
# URL parameter -> widget key.
_WIDGETS = {"k": "planner_k", "obj": "planner_objective", "target": "planner_target"}
_PROBLEM_ARGS = ("objective", "area", "venues", "venues_name", "demo")
# This page's last choice, kept while another page is shown (see common.url_view).
_MEMORY = "planner_view"


def _restore_widgets() -> None:
    """First visit: fill the widgets from the URL (notices for bad values); later: from memory."""
    view = common.url_view(SPECS, _MEMORY)
    if view.from_url:
        st.session_state["planner_notices"] = view.notices
        if view.values["run"]:
            st.session_state["planner_pending_run"] = True
    for name, key in _WIDGETS.items():
        st.session_state.setdefault(key, view.values[name])
    st.session_state.setdefault("planner_candidates", CANDIDATES_LSOA)


def _widget_values(run: bool) -> dict:
    values = {name: st.session_state[key] for name, key in _WIDGETS.items()}
    values["run"] = int(run)
    return values


def _remember_widgets() -> None:
    st.session_state[_MEMORY] = _widget_values(run=False)


def _sync_url(run: bool) -> None:
    """Keep k, objective and target (and run=1 once results show) in the address bar."""
    common.keep_view(SPECS, _MEMORY, _widget_values(run))


def _venue_upload() -> dict | None:
    """Uploader for candidate venues; returns the accepted file ({'name', 'data'}) or None.

    A file with any problem is shown with its per-row errors and changes nothing: the last
    accepted file (or none) stays in use.
    """
    st.file_uploader(
        f"Venue list: CSV with columns name and postcode (latitude/longitude optional), "
        f"up to {MAX_VENUES:,} venues in Leeds",
        type=["csv"],
        key="planner_venue_file",
    )
    upload = st.session_state.get("planner_venue_file")
    accepted = st.session_state.get("planner_venues")
    if upload is not None:
        data = upload.getvalue()
        if accepted is None or data != accepted["data"]:
            try:
                valid, errors = loaders.load_venues(data, upload.name)
            except VenueFileError as err:
                st.error(
                    f"{escape_markdown(str(err))} Nothing was changed: fix the file and upload "
                    "it again."
                )
            else:
                if errors:
                    st.error(
                        f"{md(upload.name)} was not used: {len(errors)} problem(s) below. Nothing "
                        "was changed; fix these rows and upload the file again."
                    )
                    st.dataframe(
                        pf.row_errors_table(errors), hide_index=True, key="planner_venue_errors"
                    )
                else:
                    accepted = {"name": upload.name, "data": data, "n": len(valid)}
                    st.session_state["planner_venues"] = accepted
    if accepted is not None:
        st.success(f"Using **{md(accepted['name'])}**: {accepted['n']} venues as candidate sites.")
    else:
        st.info("No venue list in use yet: upload one to plan with real venues.")
    return accepted


def _assumptions(existing) -> None:
    n_sample = int(existing[c.HUB_SAMPLE].sum()) if len(existing) else 0
    sample_line = (
        f"**{n_sample} of the {len(existing)} open hubs are illustrative samples** and are "
        "counted as existing hubs, so the optimiser avoids the areas they reach. Replace them "
        "with the real register before planning real sites."
        if n_sample
        else "Only the register's real hubs are counted as existing hubs (illustrative samples "
        "are left out unless demo mode is on in the sidebar)."
    )
    st.markdown(
        f"""
- **Straight-line reach, where people live.** Demand points are the residential postcodes
  of each neighbourhood (LSOA); a postcode counts as reached when it is within the reach
  radius of a hub *as the crow flies*, not by walking or bus routes. Each LSOA's residents
  are split equally over its postcodes, so part of a neighbourhood can be reached.
- **Existing hubs are kept.** Every open hub in Leeds stays where it is (one just outside an
  LCP can reach into it); new hubs are chosen to reach people *not already reached*.
  {sample_line}
- **No capacity limits.** A hub is assumed to serve everyone within reach, however many.
- **At-risk residents** = everyone living in an at-risk neighbourhood: the 20% of Leeds LSOAs
  with the highest Digital Exclusion Risk Index (default weights, Leeds scaling), the same
  number as on the Overview and Gaps pages.
- **Risk-weighted residents** (another objective) = risk index (0–10) ÷ 10 × residents: every
  neighbourhood counts, in proportion to its risk; a neighbourhood at the top of the index
  counts all its residents, one at 5 counts half. It is not a number of at-risk people.
- **Exact optimum.** The maximal covering location problem (MCLP) is solved exactly (CBC);
  the table then lists the chosen sites in the order each adds most, so the first rows are
  the ones to build first. Candidates that reach exactly the same people are listed as
  equally good alternatives.
"""
    )


def _results(inputs: dict, venues: dict | None, existing) -> bool:
    """Solve (cached) and show the recommendation; False if the inputs could not be solved."""
    args = dict(
        objective=inputs["objective"],
        radius_m=inputs["radius_m"],
        area=inputs["area"],
        venues=venues["data"] if venues else None,
        venues_name=venues["name"] if venues else "",
        demo=common.demo_mode(),
    )
    try:
        with st.spinner(f"Finding the best {inputs['k']} site(s) (exact optimisation)…"):
            rec, table = loaders.load_recommendation(k=inputs["k"], **args)
            curve = loaders.load_coverage_curve(k_max=inputs["k"], **args)
            needed = loaders.load_sites_needed(target_share=inputs["target_pct"] / 100, **args)
    except SiteError as err:
        st.error(
            f"{escape_markdown(str(err))}\n\nWhat to do: change the area, objective or radius in the sidebar, or use "
            "another candidate list, then press **Recommend sites** again."
        )
        return False

    unit = pf.objective_unit(inputs["objective"])
    n_sample = int(existing[c.HUB_SAMPLE].sum()) if len(existing) else 0
    summary = pf.plan_summary(rec, len(existing), n_sample)
    need = pf.needed_summary(needed)
    _, candidates, _ = loaders.load_planner_problem(**{k: args[k] for k in _PROBLEM_ARGS})

    st.subheader(
        common.titled(f"Recommendation: {len(rec.sites)} new hub(s) in {md(inputs['area'])}")
    )
    st.caption(
        f"Chosen from {len(candidates):,} candidate sites; {len(existing)} open hubs kept; "
        f"{OBJECTIVES[inputs['objective']].lower()} within {inputs['radius_m']:,} m."
    )
    if rec.message:
        st.warning(rec.message)
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Reached by existing hubs",
        f"{summary['before_weight']:,.0f} ({summary['before_share']:.1%})",
        help=f"{unit.capitalize()} within {inputs['radius_m']:,} m of an open hub today, of "
        f"{summary['total_weight']:,.0f} in {md(inputs['area'])}.",
    )
    m2.metric(
        f"With {len(rec.sites)} new hub(s)",
        f"{summary['after_weight']:,.0f} ({summary['after_share']:.1%})",
        delta=f"+{(summary['after_share'] - summary['before_share']) * 100:.1f} points",
    )
    m3.metric(f"Newly reached {unit}", f"+{rec.gained_weight:,.0f}")
    st.markdown(pf.needed_sentence(need, inputs["objective"], inputs["area"], inputs["radius_m"]))

    weights = loaders.load_planner_weights(inputs["objective"])
    fmap = build_hub_map(
        map_layers.lsoa_map_encoded(),
        weights,
        loaders.PLANNER_WEIGHT,
        label=common.titled(f"{unit.capitalize()} per neighbourhood"),
        higher_is_worse=True,
        decile_col=c.IMD_DECILE,
        outline=loaders.load_outline(),
        lcp_outlines=loaders.load_lcp_outlines(),
        hubs=existing,
        rings_m=inputs["radius_m"],
        new_sites=table,
        **map_layers.MAP_ASSETS,
    )
    fit_to_area(fmap, loaders.load_lsoas_with_lcp(), inputs["area"])
    display = pf.sites_display_table(table, inputs["objective"])
    common.figure_summary(summaries.sites_summary(display, unit))
    common.show_map(fmap, height=560)
    st.caption(
        "Pink dots with a black outline: recommended new sites, with their reach circles; "
        "blue dots: open hubs kept, orange with a dashed outline: illustrative samples (dashed "
        "circles: their reach). Shading: the measure being maximised. The table below lists the "
        "sites."
    )
    common.sample_hub_notice(existing)

    st.markdown("**Sites in order of marginal gain** (build the first rows first)")
    st.dataframe(display, hide_index=True, width="stretch", key="planner_table")
    common.csv_download(
        display, "hub_site_recommendation.csv", "Download sites (CSV)", key="planner_download"
    )

    common.figure_summary(summaries.curve_summary(curve, unit))
    common.show_chart(
        pf.coverage_curve_figure(curve, inputs["objective"], rec.k_requested, need["target_share"]),
        width="stretch",
        key="planner_curve",
    )
    common.figure_table(
        "Table: the coverage curve's numbers",
        summaries.curve_table(curve),
        key="planner_curve_table",
    )
    with st.expander("Solver details"):
        if rec.model_shape == (0, 0):
            st.write(
                "No solver run was needed: after the exact presolve at most "
                f"{inputs['k']} candidate sites could still reach anyone new, so all of them "
                "are recommended. Results are cached for identical inputs."
            )
        else:
            st.write(
                f"Model after exact presolve: {rec.model_shape[0]} demand groups × "
                f"{rec.model_shape[1]} sites (existing hubs included); solved to optimality by "
                f"CBC in {rec.solve_seconds:.2f} s. Results are cached for identical inputs."
            )

    _save_form(inputs, venues, summary, need, table, curve)
    return True


def _save_scenario(form_key: str, title: str, name_key: str, make_payload) -> None:
    """A scenario-save form; on submit build the payload (``make_payload()``) and store it."""
    with st.form(form_key, clear_on_submit=False, border=True):
        st.markdown(f"**{title}**")
        name = st.text_input("Scenario name", key=name_key, max_chars=80)
        saved = st.form_submit_button("Save scenario")
    if not saved:
        return
    try:
        existing_names = set(loaders.register_store().list_scenarios()["name"])
        loaders.register_store().save_scenario(name, make_payload())
    except (RegisterStoreError, pf.ScenarioError) as err:
        st.error(f"Not saved: {escape_markdown(str(err))}")
        return
    verb = "replaced" if name.strip() in existing_names else "saved"
    st.success(f"Scenario “{md(name.strip())}” {verb}. Find it under Saved scenarios below.")


def _save_form(inputs, venues, summary, need, table, curve) -> None:
    full = {
        **inputs,
        "candidates": (f"venues: {venues['name']}" if venues else "LSOA centres"),
        "register_version": loaders.register_version(),
        "footprints_version": loaders.footprints_version(),
    }
    _save_scenario(
        "planner_save_form",
        "Save this recommendation as a scenario",
        "planner_scenario_name",
        lambda: pf.scenario_payload(full, summary, need, table, curve),
    )


def _use_scenario_settings(inputs: dict) -> None:
    """Button callback: put a saved scenario's settings back into the widgets and run it."""
    st.session_state["planner_k"] = int(inputs["k"])
    st.session_state["planner_objective"] = inputs["objective"]
    st.session_state["planner_target"] = int(inputs["target_pct"])
    # Area and radius belong to the shared sidebar; set them so the scenario re-runs as saved.
    if inputs["area"] in common.area_choices():
        st.session_state["view_area"] = inputs["area"]
    if int(inputs["radius_m"]) in c.RADIUS_CHOICES_M:
        st.session_state["view_radius"] = int(inputs["radius_m"])
    st.session_state["planner_candidates"] = CANDIDATES_LSOA
    st.session_state["planner_pending_run"] = True


def _load(name: str) -> dict | None:
    try:
        return pf.parse_scenario(loaders.register_store().load_scenario(name))
    except (RegisterStoreError, pf.ScenarioError) as err:
        st.error(f"Could not open “{md(name)}”: {escape_markdown(str(err))}")
        return None


def _scenario_section() -> None:
    st.header("Saved scenarios")
    try:
        names = loaders.register_store().list_scenarios()["name"].tolist()
    except RegisterStoreError as err:
        st.error(f"The scenario store could not be read: {escape_markdown(str(err))}")
        return
    if not names:
        st.caption("No saved scenarios yet: run a recommendation and save it above.")
        return
    # A keyed radio, not st.tabs: tabs jump back to the first one whenever the page above changes.
    mode = st.radio(
        "Scenarios",
        ["Open a scenario", "Compare two scenarios"],
        horizontal=True,
        label_visibility="collapsed",
        key="planner_scenario_mode",
    )
    if mode == "Open a scenario":
        name = st.selectbox("Scenario", names, index=None, key="planner_open")
        sc = _load(name) if name else None
        if sc is not None:
            i = sc["inputs"]
            st.markdown(
                f"**{md(name)}** — {md(pf.scenario_label(sc, OBJECTIVES), limit=None)} · "
                f"saved {md(sc['saved_at'])}"
            )
            s = sc["summary"]
            st.markdown(
                f"Reached: {s['before_share']:.1%} with existing hubs → **{s['after_share']:.1%}** "
                f"with {s['n_sites']} new hub(s). "
                + pf.needed_sentence(sc["needed"], i["objective"], i["area"], int(i["radius_m"]))
            )
            sites = pf.sites_display_table(sc["sites"], i["objective"])
            st.dataframe(sites, hide_index=True, width="stretch", key="planner_open_table")
            b1, b2, b3 = st.columns(3)
            with b1:
                common.csv_download(
                    sites, f"scenario_{name}.csv", "Download sites (CSV)", key="planner_open_dl"
                )
            b2.button(
                "Use these settings and re-run",
                key="planner_open_use",
                on_click=_use_whatif if sc.get("whatif") else _use_scenario_settings,
                args=(sc if sc.get("whatif") else i,),
                help="Sets k, objective, target, area and radius as saved (candidates: LSOA "
                "centres; upload the venue file again if the scenario used one).",
            )
            if b3.button("Delete scenario", key="planner_open_delete"):
                loaders.register_store().delete_scenario(name)
                st.rerun()
    else:
        a, b = st.columns(2)
        name_a = a.selectbox("First scenario", names, index=None, key="planner_compare_a")
        name_b = b.selectbox("Second scenario", names, index=None, key="planner_compare_b")
        if name_a and name_b:
            if name_a == name_b:
                st.info("Choose two different scenarios to compare.")
                return
            pair = {n: _load(n) for n in (name_a, name_b)}
            if any(v is None for v in pair.values()):
                return
            table = pf.comparison_table(pair, OBJECTIVES)
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                height=(len(table) + 1) * 35 + 3,  # every measure visible without scrolling
                key="planner_compare",
            )
            common.csv_download(
                table, "scenario_comparison.csv", "Download comparison (CSV)", key="planner_cmp_dl"
            )
            common.figure_summary(summaries.comparison_summary(pair))
            common.show_chart(
                pf.comparison_figure(pair), width="stretch", key="planner_compare_curve"
            )
            cols = st.columns(2)
            for col, (n, sc) in zip(cols, pair.items(), strict=True):
                col.markdown(f"**{md(n)}**")
                col.dataframe(
                    pf.sites_display_table(sc["sites"], sc["inputs"]["objective"]),
                    hide_index=True,
                    width="stretch",
                    key=f"planner_compare_sites_{'a' if n == name_a else 'b'}",
                )


# --- What-if mode (issue 14): place hypothetical hubs, see who they newly reach ------------------

MODE_OPTIMISER = "optimiser"
MODE_WHATIF = "whatif"
MODES = {
    MODE_OPTIMISER: "Optimiser: the best sites for k new hubs",
    MODE_WHATIF: "What if a hub opened here?",
}
_WHATIF_LABELS = "planner_whatif_labels"  # the placed hubs' add= labels (plain strings)
_WHATIF_URL_MEMORY = "planner_whatif_view"  # common.url_view's memory of the add= parameter
_WHATIF_SPEC = ParamSpec(
    "add", "", str, lambda v: len(v) <= 2000, "what-if hubs", lambda _v: "no what-if hubs"
)


def _whatif_url(labels: list[str] | None = None) -> list[str]:
    """The ``add=`` parameter, kept like every view (common.url_view / keep_view).

    Called with no labels, returns the placed hubs' labels (from the link on the first visit,
    with a notice per bad part, then from the session); called with labels, puts them in the
    address bar (none: the parameter goes).
    """
    if labels is None:
        view = common.url_view([_WHATIF_SPEC], _WHATIF_URL_MEMORY)
        if view.from_url or _WHATIF_LABELS not in st.session_state:
            added = wf_parse(view.values["add"], loaders.load_postcodes())
            st.session_state[_WHATIF_LABELS] = added.hubs[ADDED_LABEL].astype(str).tolist()
            st.session_state.setdefault("planner_notices", []).extend(
                view.notices + [md(p, limit=None) for p in added.problems]
            )
            if view.values["add"].strip():
                st.session_state["planner_mode"] = MODE_WHATIF
        return list(st.session_state[_WHATIF_LABELS])
    common.keep_view([_WHATIF_SPEC], _WHATIF_URL_MEMORY, {"add": ";".join(labels)})
    return labels


def _whatif_on_click() -> None:
    """Map callback: a click on a what-if hub removes it, anywhere else places one."""
    click = take_click("planner_whatif_map", object_clicks=True)
    if click is None:
        return
    labels = list(st.session_state.get(_WHATIF_LABELS, []))
    number = wfig.clicked_hub_number(click.tooltip) if click.on_object else None
    if number is not None:
        new = wfig.remove_label(labels, number)
    else:
        new = wfig.place_point(labels, click.lat, click.lon)
    _whatif_set(labels, new, "another", rerun=False)


def _whatif_set(labels: list[str], new: list[str], what: str, rerun: bool = True) -> None:
    """Keep a changed list of placed hubs if every hub is valid (rerun: redraw the widgets)."""
    if new == labels:
        if len(labels) >= MAX_ADDED_HUBS:
            st.session_state["planner_whatif_notice"] = (
                f"At most {MAX_ADDED_HUBS} what-if hubs: remove one before adding {what}."
            )
        return
    problems = loaders.load_added_hubs(";".join(new)).problems
    if problems:
        st.session_state["planner_whatif_notice"] = " ".join(md(p, limit=None) for p in problems)
        return
    st.session_state[_WHATIF_LABELS] = new
    if rerun:
        st.rerun()


def _whatif_inputs(labels: list[str]) -> None:
    """Keyboard ways to place and remove hubs: a postcode box, an uploaded venue, a list."""
    a, b = st.columns(2)
    with a.form("planner_whatif_pc_form", border=False):
        pc = st.text_input("Place a hub at a postcode", key="planner_whatif_postcode")
        placed = st.form_submit_button("Place hub")
    if placed and pc.strip():
        found = wf_parse(pc, loaders.load_postcodes())
        if found.problems:
            st.session_state["planner_whatif_notice"] = md(found.problems[0], limit=None)
        else:
            label = str(found.hubs[ADDED_LABEL].iloc[0])
            new = (
                labels + [label] if label not in labels and len(labels) < MAX_ADDED_HUBS else labels
            )
            _whatif_set(labels, new, "another")
    if labels:
        choice = b.selectbox(
            "Remove a placed hub",
            range(1, len(labels) + 1),
            format_func=lambda i: f"What-if hub {i}: {labels[i - 1]}",
            index=None,
            key="planner_whatif_remove_pick",
        )
        r1, r2 = b.columns(2)
        if r1.button("Remove hub", key="planner_whatif_remove", disabled=choice is None):
            _whatif_set(labels, wfig.remove_label(labels, int(choice)), "")
        if r2.button("Remove all", key="planner_whatif_clear"):
            _whatif_set(labels, [], "")
    with st.expander("Place a hub at an uploaded venue"):
        venues = _venue_upload()
        if venues is not None:
            valid, _ = loaders.load_venues(venues["data"], venues["name"])
            pick = st.selectbox(
                "Venue",
                range(len(valid)),
                format_func=lambda i: str(valid[c.HUB_NAME].iloc[i]),
                index=None,
                key="planner_whatif_venue",
            )
            if st.button("Place hub at this venue", key="planner_whatif_venue_place") and (
                pick is not None
            ):
                row = valid.iloc[int(pick)]
                new = wfig.place_point(labels, row[c.HUB_LAT], row[c.HUB_LON])
                _whatif_set(labels, new, "another")


def _whatif_section(area: str, radius: int, existing) -> list[str]:
    """The what-if mode: map to click, figures beside it, tables, compare and save."""
    labels = _whatif_url()
    st.subheader(common.titled("What if a hub opened here?"))
    st.caption(
        "Click the map to place a hypothetical hub (up to "
        f"{MAX_ADDED_HUBS}); click a placed hub to remove it. Or type a postcode, or choose a "
        f"venue. Reach: {radius:,} m straight line, as on every page; all Leeds is counted."
    )
    _whatif_inputs(labels)
    notice = st.session_state.pop("planner_whatif_notice", None)
    if notice:
        st.warning(notice)

    demo = common.demo_mode()
    added = loaders.load_added_hubs(";".join(labels)).hubs
    base = loaders.load_whatif_base(radius, demo=demo)
    gain = base.gain(added)
    summary = wfig.whatif_summary(gain, len(added), radius)

    left, right = st.columns([3, 2])
    with left:
        common.figure_summary(summary)
        fmap = build_hub_map(
            map_layers.lsoa_map_encoded(),
            loaders.load_planner_weights("at_risk"),
            loaders.PLANNER_WEIGHT,
            label=common.titled("At-risk residents per neighbourhood"),
            higher_is_worse=True,
            decile_col=c.IMD_DECILE,
            outline=loaders.load_outline(),
            lcp_outlines=loaders.load_lcp_outlines(),
            hubs=existing,
            rings_m=radius,
            **map_layers.MAP_ASSETS,
        )
        fit_to_area(fmap, loaders.load_lsoas_with_lcp(), area)
        wfig.add_whatif_hubs(fmap, added, radius)
        # The click is handled in the callback, before this run draws the map and the figures.
        show_clickable_map(
            fmap,
            key="planner_whatif_map",
            height=560,
            object_clicks=True,
            on_change=_whatif_on_click,
        )
        st.caption(
            "Orange dots with a black outline: what-if hubs, with their reach circles; blue dots: "
            "open hubs. Shading: at-risk residents. The tables list what changes."
        )
    with right:
        st.metric("Residents newly within reach", f"+{gain.residents:,.0f}")
        st.metric("At-risk residents newly within reach", f"+{gain.at_risk_residents:,.0f}")
        if len(added):
            st.markdown("**Change per LCP**")
            st.dataframe(
                wfig.lcp_table(gain), hide_index=True, width="stretch", key="planner_whatif_lcp"
            )
    if not len(added):
        return labels
    st.markdown("**Placed hubs** (each on its own; together they may overlap)")
    st.dataframe(
        wfig.hubs_table(added, gain), hide_index=True, width="stretch", key="planner_whatif_hubs"
    )
    st.markdown("**Neighbourhoods that gain**")
    lsoa_tab = wfig.lsoa_table(gain)
    st.dataframe(lsoa_tab, hide_index=True, width="stretch", key="planner_whatif_lsoas")
    common.csv_download(
        lsoa_tab, "whatif_neighbourhoods.csv", "Download (CSV)", key="planner_whatif_dl"
    )
    _whatif_compare(labels, radius, demo)
    _whatif_save(added, gain, base, radius)
    return labels


def _use_whatif(scenario: dict) -> None:
    """Button callback: reopen a saved what-if (its hubs and radius) in the what-if mode."""
    st.session_state[_WHATIF_LABELS] = [p for p in scenario["whatif"]["add"].split(";") if p]
    st.session_state["planner_mode"] = MODE_WHATIF
    if int(scenario["inputs"]["radius_m"]) in c.RADIUS_CHOICES_M:
        st.session_state["view_radius"] = int(scenario["inputs"]["radius_m"])


def _whatif_compare(labels: list[str], radius: int, demo: bool) -> None:
    add = ";".join(labels)
    if st.button("Compare with the optimiser", key="planner_whatif_compare"):
        st.session_state["planner_whatif_compared"] = add
    if st.session_state.get("planner_whatif_compared") != add:
        return
    try:
        with st.spinner(f"Placing {len(labels)} hub(s) with the optimiser…"):
            result = loaders.load_whatif_comparison(add, radius, demo=demo)
    except SiteError as err:
        st.error(f"The optimiser could not run: {escape_markdown(str(err))}")
        return
    st.markdown(
        f"**Your {result['k']} hub(s) beside the optimiser's {result['k']}** (the optimiser "
        "maximises at-risk residents, one candidate per neighbourhood, all Leeds)"
    )
    st.dataframe(
        wfig.comparison_rows(result), hide_index=True, width="stretch", key="planner_whatif_cmp"
    )


def _whatif_save(added, gain, base, radius: int) -> None:
    def payload() -> dict:
        prefixes = [base.gain(added.iloc[:i]) for i in range(1, len(added) + 1)]
        extra = {
            "register_version": loaders.register_version(),
            "footprints_version": loaders.footprints_version(),
        }
        return wfig.whatif_scenario_payload(added, gain, prefixes, base.reached(), radius, extra)

    _save_scenario(
        "planner_whatif_save_form",
        "Save this what-if as a scenario",
        "planner_whatif_scenario_name",
        payload,
    )


# --- Page ---------------------------------------------------------------------------------------

view = common.shared_view()
area, radius = view["area"], int(view["r"])
_restore_widgets()
_whatif_url()  # reads add= on the first visit (its notices join the page's)

st.title("Site planner: where would new hubs reach the most people?")
st.caption(
    f"{c.SOURCE_IOD2025}; {c.SOURCE_POP2022}; {c.SOURCE_BOUNDARIES}. "
    "An exact optimiser (maximal covering location) keeps today's open hubs and places new ones "
    "where they reach the most people not yet reached."
)
for notice in st.session_state.pop("planner_notices", []):
    st.info(notice)
# The mode survives a visit to another page (Streamlit drops unrendered widget keys).
st.session_state.setdefault(
    "planner_mode", st.session_state.get("planner_mode_memory", MODE_OPTIMISER)
)
mode = st.radio("Mode", list(MODES), format_func=MODES.get, horizontal=True, key="planner_mode")
st.session_state["planner_mode_memory"] = mode
if mode == MODE_WHATIF:
    _whatif_url(_whatif_section(area, radius, loaders.load_open_hubs(demo=common.demo_mode())))
    _scenario_section()
    _sync_url(run=False)
    common.stop_page()
_whatif_url([])

left, mid, right = st.columns([1, 2, 1])
left.number_input(
    "New hubs to place (k)", min_value=K_MIN, max_value=K_MAX, step=1, key="planner_k"
)
mid.selectbox("Maximise", list(OBJECTIVES), format_func=OBJECTIVES.get, key="planner_objective")
mid.caption(pf.objective_note(st.session_state["planner_objective"]))
right.select_slider(
    "Target share for “how many hubs?”",
    options=list(TARGET_CHOICES),
    format_func=lambda v: f"{v}%",
    key="planner_target",
)
_remember_widgets()
st.markdown(
    f"Area **{md(area)}** · reach radius **{radius:,} m** straight line — change both in the sidebar."
)
source = st.radio(
    "Candidate sites",
    list(CANDIDATE_LABELS),
    format_func=CANDIDATE_LABELS.get,
    horizontal=True,
    key="planner_candidates",
)
venues = _venue_upload() if source == CANDIDATES_VENUES else None

inputs = {
    "area": area,
    "objective": st.session_state["planner_objective"],
    "k": int(st.session_state["planner_k"]),
    "radius_m": radius,
    "target_pct": int(st.session_state["planner_target"]),
    "venues_sha256": hashlib.sha256(venues["data"]).hexdigest()[:16] if venues else None,
}
blocked = source == CANDIDATES_VENUES and venues is None
pressed = st.button("Recommend sites", type="primary", key="planner_run", disabled=blocked)
if pressed or st.session_state.pop("planner_pending_run", False):
    st.session_state["planner_ran"] = inputs

ran = st.session_state.get("planner_ran")
existing = loaders.load_open_hubs(demo=common.demo_mode())
shown = False
if ran is None:
    st.info(
        "Choose the number of new hubs and what to maximise, then press **Recommend sites**. "
        "Nothing is computed until you do."
    )
elif ran != inputs:
    st.info("Settings changed since the last recommendation: press **Recommend sites** to update.")
else:
    shown = _results(inputs, venues, existing)

st.subheader("What the model assumes")
_assumptions(existing)
_scenario_section()
_sync_url(run=shown and venues is None)
