"""Presenter mode and shared links: state restored from the URL, slides step forward."""

from tests.pages.conftest import run_page


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_presenter_mode_from_the_url_shows_the_slide_controls():
    at = run_page("app_pages/overview.py", {"present": "1"})
    assert not at.exception
    assert at.toggle(key="view_present").value is True
    assert button(at, "present_next") and button(at, "present_prev").disabled
    assert any("Presenter mode" in md.value for md in at.markdown)


def test_next_slide_moves_to_the_gaps_view_of_the_chosen_area():
    at = run_page("app_pages/overview.py", {"present": "1", "area": "HATCH", "slide": "0"})
    assert not at.exception
    button(at, "present_next").click().run()
    assert not at.exception
    assert at.query_params.get("slide") in (["1"], "1")
    assert at.session_state["view_area"] == "HATCH"
    assert any("Coverage gaps: HATCH" in md.value for md in at.markdown)


def test_exit_presenter_mode_returns_to_the_normal_view():
    at = run_page("app_pages/overview.py", {"present": "1"})
    button(at, "present_exit_button").click().run()
    assert not at.exception
    assert at.session_state["view_present"] is False
    assert "present" not in at.query_params
