"""Real hubs by default, samples only in demo mode: the helpers every page and export use."""

import pandas as pd

from app_pages.figures.slides import build_slides
from utils import demo
from utils.view_state import decode_params, encode_params, shared_specs


def _register() -> pd.DataFrame:
    return pd.DataFrame({"name": ["Real", "Sample A", "Sample B"], "sample": [False, True, True]})


def test_real_mode_keeps_only_real_rows_and_demo_mode_keeps_all():
    assert demo.hubs_for_mode(_register(), demo=False)["name"].tolist() == ["Real"]
    assert len(demo.hubs_for_mode(_register(), demo=True)) == 3


def test_no_real_rows_gives_an_empty_frame_with_the_same_columns():
    only_samples = _register().iloc[1:]
    out = demo.hubs_for_mode(only_samples, demo=False)
    assert out.empty and list(out.columns) == ["name", "sample"]


def test_every_export_row_says_which_hubs_were_used():
    table = pd.DataFrame({"lsoa21cd": ["E01", "E02"]})
    assert demo.with_hubs_used(table, False)[demo.HUBS_USED].tolist() == ["real", "real"]
    assert set(demo.with_hubs_used(table, True)[demo.HUBS_USED]) == {"real + illustrative samples"}
    assert demo.HUBS_USED not in table.columns  # the caller's frame is not changed


def test_demo_downloads_say_illustrative_in_the_file_name():
    assert demo.export_name("leeds_lsoas.csv", False) == "leeds_lsoas.csv"
    assert demo.export_name("leeds_lsoas.csv", True) == "leeds_lsoas-illustrative.csv"
    assert demo.export_name("a.b.xlsx", True) == "a.b-illustrative.xlsx"
    assert demo.export_name("chart", True) == "chart-illustrative"
    assert demo.export_name("x-illustrative.csv", True) == "x-illustrative.csv"


def test_demo_titles_say_illustrative_once():
    assert demo.title("Coverage", False) == "Coverage"
    assert demo.title("Coverage", True) == "Coverage (illustrative)"
    assert demo.title(demo.title("Coverage", True), True) == "Coverage (illustrative)"


def test_the_demo_switch_lives_in_the_url_as_demo_1():
    specs = shared_specs(["All Leeds"])
    values, notices = decode_params({"demo": "1"}, specs)
    assert values["demo"] is True and not notices
    assert encode_params(values, specs)["demo"] == "1"
    assert "demo" not in encode_params(decode_params({}, specs)[0], specs)  # real: not in links


def test_slides_carry_demo_mode_and_mark_their_titles():
    real = build_slides("All Leeds", 800, "imd_score")
    shown = build_slides("All Leeds", 800, "imd_score", demo=True)
    assert all("demo" not in s.params for s in real)
    assert all("(illustrative)" not in s.title for s in real)
    assert all(s.params["demo"] == "1" and s.title.endswith("(illustrative)") for s in shown)


def test_the_overview_note_counts_real_hubs_and_points_to_the_hubs_page():
    assert "no real hubs" in demo.real_hub_count_note(0)
    assert "**1 real hub**" in demo.real_hub_count_note(1)
    assert "**3 real hubs**" in demo.real_hub_count_note(3)
    assert "Hubs page" in demo.real_hub_count_note(1)
