"""Presenter slides: a fixed sequence whose every slide is a shareable view."""

from app_pages.figures.slides import build_slides, slide_index
from utils.view_state import ALL_LEEDS


def test_slides_run_overview_gaps_growth_planner_and_carry_the_view():
    slides = build_slides("HATCH", 1200, "health_score")
    assert [s.page for s in slides] == ["overview", "gaps", "growth", "planner"]
    assert all(s.params["present"] == "1" and s.params["r"] == "1200" for s in slides)
    assert slides[1].params["area"] == "HATCH" and "HATCH" in slides[1].title
    assert [s.params["slide"] for s in slides] == ["0", "1", "2", "3"]
    assert slides[3].params["run"] == "1"


def test_all_leeds_slides_have_no_area_parameter():
    assert all("area" not in s.params for s in build_slides(ALL_LEEDS, 800, "imd_score"))


def test_slide_index_is_clamped_and_tolerates_junk():
    assert slide_index("2", 4) == 2
    assert slide_index("9", 4) == 3
    assert slide_index("-1", 4) == 0
    assert slide_index("x", 4) == 0
    assert slide_index(None, 4) == 0
