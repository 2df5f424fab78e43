"""AppTest: the Accessibility statement page, and every map and chart's sentence and table."""

import re

from tests.pages.conftest import run_page
from utils import constants as c


def _frame_with(at, column: str):
    """The DataFrame behind an st.dataframe (read-only ones do not expose their key to AppTest)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def _text(at) -> str:
    """The page's Markdown as a reader sees it (escapes that keep names literal removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", " ".join(md.value for md in at.markdown))


def test_accessibility_statement_is_in_the_navigation_and_complete(monkeypatch):
    monkeypatch.setenv("HUB_COVERAGE_ACCESSIBILITY_CONTACT", "hubs-team@example.org")
    at = run_page("app_pages/accessibility.py")
    assert not at.exception
    assert at.title[0].value == "Accessibility statement"
    text = _text(at)
    assert "What does not meet the standard yet" in text
    assert "contact hubs-team@example.org" in text


def test_every_page_draws_the_accessibility_css():
    at = run_page("app_pages/overview.py")
    assert not at.exception
    # The CSS travels as an st.html element on every page (contrast, focus, reflow).
    assert any(":focus-visible" in getattr(el, "proto", None).body for el in at.get("html"))


def test_overview_map_has_a_sentence_and_a_table():
    at = run_page("app_pages/overview.py")
    assert not at.exception
    assert "IMD 2025 score across 488 neighbourhoods in Leeds: most deprived" in _text(at)
    assert len(_frame_with(at, c.IMD_SCORE)) == c.LEEDS_LSOA21_COUNT


def test_gaps_page_states_the_largest_gap_in_words():
    at = run_page("app_pages/gaps.py")
    assert not at.exception
    text = _text(at)
    assert "has the most at-risk residents beyond reach: " in text
    assert "at-risk neighbourhoods in Leeds" in text
    assert "adds most to the DERI score of" in text


def test_map_page_summary_follows_the_area():
    at = run_page("app_pages/map.py", {"area": "HATCH"})
    assert not at.exception
    assert "neighbourhoods in HATCH: most deprived" in _text(at)


def test_growth_page_states_growth_coverage_and_change_in_words():
    at = run_page("app_pages/growth.py")
    assert not at.exception
    text = _text(at)
    for phrase in (
        "Open hubs grew from",
        "within reach (%) in Leeds",
        "became relatively more deprived",
    ):
        assert phrase in text, phrase
    assert "1 hub was open" in text or "hubs were open" in text  # number agrees with the count
    assert len(_frame_with(at, "Kind")) > 0


def test_planner_recommendation_has_sentences_and_the_curve_table():
    at = run_page("app_pages/planner.py", {"area": "Cross Gates", "k": "3", "run": "1"})
    assert not at.exception
    text = _text(at)
    assert "Build first at" in text and "With today's hubs" in text
    assert _frame_with(at, "New hubs")["New hubs"].tolist() == [0, 1, 2, 3]


def test_hubs_page_map_has_a_sentence():
    at = run_page("app_pages/hubs.py")
    assert not at.exception
    assert "open hubs shown in Leeds:" in _text(at)
