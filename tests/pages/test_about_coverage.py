"""The About page says how coverage is measured and what the equal split of residents assumes."""

from app_pages.figures.about import coverage_method_markdown
from tests.pages.conftest import run_page


def test_coverage_method_names_the_demand_postcodes_and_the_equal_split():
    text = coverage_method_markdown()
    for phrase in ("30,659", "LS88, LS98 and LS99", "split equally", "share within reach"):
        assert phrase in text
    assert "risk-weighted residents" in text


def test_about_page_shows_the_coverage_method():
    at = run_page("app_pages/about.py", timeout=120)
    assert not at.exception
    assert "How coverage is measured" in [h.value for h in at.header]
    assert any("What the equal split assumes" in m.value for m in at.markdown)
