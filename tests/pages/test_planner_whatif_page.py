"""AppTest for the Site planner's what-if mode: add= links, placing and removing, compare, save."""

from __future__ import annotations

from tests.pages.conftest import run_page

PAGE = "app_pages/planner.py"


def _query(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _newly(at) -> tuple[float, float]:
    figures = {m.label: m.value for m in at.metric}
    return tuple(
        float(figures[label].lstrip("+").replace(",", ""))
        for label in ("Residents newly within reach", "At-risk residents newly within reach")
    )


def test_a_what_if_link_shows_a_positive_newly_reached_figure():
    at = run_page(PAGE, {"add": "LS9 7EZ"}, timeout=180)
    assert not at.exception
    assert at.radio(key="planner_mode").value == "whatif"
    residents, at_risk = _newly(at)
    assert residents > 0 and at_risk > 0
    assert _query(at, "add") == "LS9 7EZ"
    hubs = next(d.value for d in at.dataframe if "Placed at" in d.value.columns)
    assert hubs["Placed at"].tolist() == ["LS9 7EZ"]
    assert any("more residents within 800 m" in m.value for m in at.markdown)


def test_bad_parts_of_a_what_if_link_are_plain_notices_and_the_good_ones_kept():
    at = run_page(PAGE, {"add": "ls97ez;nowhere;60.1,-1.5;**bold**"}, timeout=180)
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "'nowhere'" in notices and "not a point in Leeds" in notices
    assert "\\*\\*bold\\*\\*" in notices  # user text quoted inert, not bold
    assert _query(at, "add") == "LS9 7EZ"
    assert _newly(at)[0] > 0


def test_only_bad_parts_leave_no_hub_and_no_add_parameter():
    at = run_page(PAGE, {"add": "hello"}, timeout=180)
    assert not at.exception
    assert any("'hello'" in i.value for i in at.info)
    assert _newly(at) == (0.0, 0.0)
    assert _query(at, "add") is None


def test_hubs_are_placed_by_postcode_and_removed_from_the_list():
    at = run_page(PAGE, {"add": "LS9 7EZ"}, timeout=180)
    one = _newly(at)[0]
    at.text_input(key="planner_whatif_postcode").input("ls14 1nd")
    at.button[[b.label for b in at.button].index("Place hub")].click().run()
    assert not at.exception
    assert _query(at, "add") == "LS9 7EZ;LS14 1ND"
    assert _newly(at)[0] > one
    at.selectbox(key="planner_whatif_remove_pick").select(1).run()
    at.button(key="planner_whatif_remove").click().run()
    assert not at.exception
    assert _query(at, "add") == "LS14 1ND"
    at.button(key="planner_whatif_clear").click().run()
    assert _newly(at) == (0.0, 0.0) and _query(at, "add") is None


def test_an_unknown_postcode_typed_in_the_box_is_a_notice_and_changes_nothing():
    at = run_page(PAGE, {"add": "LS9 7EZ"}, timeout=180)
    at.text_input(key="planner_whatif_postcode").input("ZZ99 9ZZ")
    at.button[[b.label for b in at.button].index("Place hub")].click().run()
    assert not at.exception
    assert any("ZZ99 9ZZ" in w.value for w in at.warning)
    assert _query(at, "add") == "LS9 7EZ"


def test_compare_with_the_optimiser_shows_both_side_by_side_with_the_gap():
    at = run_page(PAGE, {"add": "LS9 7EZ"}, timeout=300)
    at.button(key="planner_whatif_compare").click().run(timeout=300)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Gap (% of the optimiser's)" in d.value.columns)
    assert table["Measure"].tolist() == [
        "Residents newly reached",
        "At-risk residents newly reached",
    ]
    mine = float(table["Your 1 hub(s)"].iloc[1].replace(",", ""))
    best = float(table["Optimiser's 1 hub(s)"].iloc[1].replace(",", ""))
    assert mine == _newly(at)[1] and best >= mine  # it maximises at-risk residents


def test_a_what_if_is_saved_as_a_scenario_and_opens_in_the_list():
    at = run_page(PAGE, {"add": "LS9 7EZ;LS14 1ND"}, timeout=180)
    at.text_input(key="planner_whatif_scenario_name").input("What-if east")
    at.button[[b.label for b in at.button].index("Save scenario")].click().run()
    assert not at.exception
    assert any("What-if east" in s.value for s in at.success)
    at.selectbox(key="planner_open").select("What-if east").run()
    assert not at.exception
    sites = next(d.value for d in at.dataframe if "Site" in d.value.columns)
    assert sites["Site"].tolist() == ["What-if hub 1: LS9 7EZ", "What-if hub 2: LS14 1ND"]
    # Re-running a saved what-if reopens its hubs in the what-if mode.
    at.radio(key="planner_mode").set_value("optimiser").run()
    assert _query(at, "add") is None
    at.button(key="planner_open_use").click().run()
    assert not at.exception
    assert at.radio(key="planner_mode").value == "whatif"
    assert _query(at, "add") == "LS9 7EZ;LS14 1ND"
