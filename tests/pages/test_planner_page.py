"""AppTest for the Site planner page: URL state, the recommendation, venues, errors, scenarios."""

from __future__ import annotations

from tests.pages.conftest import run_page

PAGE = "app_pages/planner.py"
# An LCP where 800 m and the register leave room for three useful new sites.
LCP = "Cross Gates"
CROSS_GATES_POSTCODES = ("LS15 7PS", "LS15 9DT", "LS15 4BW")
SEACROFT_POSTCODE = "LS14 1ND"


def _query(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _texts(at) -> str:
    return " ".join(
        [m.value for m in at.markdown]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [s.value for s in at.success]
    )


def _recommend(query: dict[str, str]):
    at = run_page(PAGE, query, timeout=180)
    at.button(key="planner_run").click().run()
    assert not at.exception
    return at


def _sites(at):
    tables = [d.value for d in at.dataframe if "Cumulative % reached" in d.value.columns]
    assert tables, "no recommendation table on the page"
    return tables[0]


def test_page_opens_without_running_the_optimiser():
    at = run_page(PAGE, timeout=180)
    assert not at.exception
    assert "Nothing is computed until you do" in _texts(at)
    assert not [d for d in at.dataframe if "Cumulative % reached" in d.value.columns]
    assert _query(at, "run") is None


def test_link_settings_fill_the_widgets():
    at = run_page(PAGE, {"k": "7", "obj": "older", "target": "60"}, timeout=180)
    assert not at.exception
    assert at.number_input(key="planner_k").value == 7
    assert at.selectbox(key="planner_objective").value == "older"
    assert at.select_slider(key="planner_target").value == 60


def test_bad_link_settings_fall_back_to_defaults_with_a_notice():
    at = run_page(PAGE, {"k": "99", "obj": "happiness"}, timeout=180)
    assert not at.exception
    assert at.number_input(key="planner_k").value == 5
    assert at.selectbox(key="planner_objective").value == "at_risk"
    notices = " ".join(i.value for i in at.info)
    assert "number of new hubs “99”" in notices and "objective “happiness”" in notices


def test_recommend_places_k_sites_in_order_of_gain_and_puts_run_in_the_url():
    at = _recommend({"area": LCP, "k": "3"})
    sites = _sites(at)
    assert len(sites) == 3
    assert list(sites["Order"]) == [1, 2, 3]
    gains = list(sites["Newly reached at-risk residents"])
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    assert set(sites["LCP"]) == {LCP}
    shares = list(sites["Cumulative % reached"])
    assert shares == sorted(shares)
    labels = [m.label for m in at.metric]
    assert "Reached by existing hubs" in labels and "With 3 new hub(s)" in labels
    assert _query(at, "run") == "1" and _query(at, "k") == "3"
    assert len(at.get("plotly_chart")) >= 1


def test_shared_link_with_run_reproduces_the_result_on_open():
    pressed = _sites(_recommend({"area": LCP, "k": "3"}))
    at = run_page(PAGE, {"area": LCP, "k": "3", "run": "1"}, timeout=180)
    assert not at.exception
    opened = _sites(at)
    assert list(opened["Site"]) == list(pressed["Site"])


def test_changing_an_input_after_a_run_asks_to_press_again():
    at = _recommend({"area": LCP, "k": "3"})
    at.number_input(key="planner_k").set_value(4).run()
    assert not at.exception
    assert "press **Recommend sites** to update" in _texts(at)
    assert not [d for d in at.dataframe if "Cumulative % reached" in d.value.columns]
    assert _query(at, "run") is None and _query(at, "k") == "4"


def test_each_objective_names_what_it_counts():
    at = _recommend({"area": LCP, "k": "2", "obj": "older"})
    assert "Newly reached people aged 60+" in _sites(at).columns


def test_target_share_answer_is_stated():
    at = _recommend({"area": LCP, "k": "2", "target": "50"})
    text = _texts(at)
    assert "50% target" in text or "50% of" in text


def test_assumptions_are_stated_on_the_page():
    at = run_page(PAGE, timeout=180)
    text = _texts(at)
    for phrase in ("Straight-line reach", "residential postcodes", "No capacity limits"):
        assert phrase in text
    assert "sample" in text.lower()


def _venues_csv(rows: list[tuple[str, str]]) -> bytes:
    return ("name,postcode\n" + "".join(f"{n},{p}\n" for n, p in rows)).encode()


def _choose_venues(at, data: bytes, name: str = "venues.csv"):
    at.radio(key="planner_candidates").set_value("venues").run()
    at.file_uploader(key="planner_venue_file").upload(name, data, "text/csv").run()
    assert not at.exception
    return at


def test_uploaded_venues_become_the_candidates():
    at = run_page(PAGE, {"area": LCP, "k": "2"}, timeout=180)
    venues = [(f"Venue {i}", pc) for i, pc in enumerate(CROSS_GATES_POSTCODES, start=1)]
    _choose_venues(at, _venues_csv(venues))
    assert "3 venues as candidate sites" in _texts(at)
    at.button(key="planner_run").click().run()
    assert not at.exception
    assert set(_sites(at)["Site"]) <= {n for n, _ in venues}
    assert _query(at, "run") is None  # a link cannot carry the uploaded file


def test_duplicate_venues_are_reported_per_row_and_change_nothing():
    at = run_page(PAGE, {"area": LCP}, timeout=180)
    dupes = [("Library", CROSS_GATES_POSTCODES[0]), ("library", CROSS_GATES_POSTCODES[0])]
    _choose_venues(at, _venues_csv(dupes), "dupes.csv")
    assert any("dupes.csv was not used" in e.value for e in at.error)
    errors = [d.value for d in at.dataframe if "Problem" in d.value.columns][0]
    assert list(errors["Row"]) == ["3"] and "Duplicate venue" in errors["Problem"].iloc[0]
    assert "No venue list in use" in _texts(at)
    assert at.button(key="planner_run").disabled


def test_unreadable_venue_file_is_rejected_with_a_message():
    at = run_page(PAGE, {"area": LCP}, timeout=180)
    _choose_venues(at, b"title,where\nx,y\n", "wrong.csv")
    assert any(
        "missing the column" in e.value and "Nothing was changed" in e.value for e in at.error
    )


def test_no_candidates_in_the_lcp_gives_a_clear_error():
    at = run_page(PAGE, {"area": LCP}, timeout=180)
    _choose_venues(at, _venues_csv([("Seacroft venue", SEACROFT_POSTCODE)]))
    at.button(key="planner_run").click().run()
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "no candidate sites in the chosen area" in msg and "What to do" in msg


def test_scenarios_save_reopen_and_compare():
    at = _recommend({"area": LCP, "k": "3"})
    at.text_input(key="planner_scenario_name").input("Three in Cross Gates")
    at.button[[b.label for b in at.button].index("Save scenario")].click().run()
    assert not at.exception
    assert any("Three in Cross Gates" in s.value for s in at.success)

    at.number_input(key="planner_k").set_value(1).run()
    at.button(key="planner_run").click().run()
    at.text_input(key="planner_scenario_name").input("One in Cross Gates")
    at.button[[b.label for b in at.button].index("Save scenario")].click().run()
    assert not at.exception

    at.selectbox(key="planner_open").set_value("Three in Cross Gates").run()
    reopened = [d.value for d in at.dataframe if "Cumulative % reached" in d.value.columns]
    assert any(len(t) == 3 for t in reopened)

    at.radio(key="planner_scenario_mode").set_value("Compare two scenarios").run()
    at.selectbox(key="planner_compare_a").set_value("Three in Cross Gates")
    at.selectbox(key="planner_compare_b").set_value("One in Cross Gates").run()
    assert not at.exception
    comparison = [d.value for d in at.dataframe if "Measure" in d.value.columns][0]
    assert list(comparison.columns) == ["Measure", "Three in Cross Gates", "One in Cross Gates"]
    row = comparison.set_index("Measure").loc["New hubs placed"]
    assert list(row) == ["3", "1"]
    summary = [m.value for m in at.markdown if "reaches the largest share" in m.value]
    assert summary and "with 3 new hubs" in summary[0] and "with 1 new hub;" in summary[0]
