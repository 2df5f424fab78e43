"""AppTest for the Hubs page: register uploads, add, close, edit, restore and footprint uploads.

AppTest 1.67 drives ``st.file_uploader`` directly (``FileUploader.set_value``), so the uploads go
through the real widget; data-editor edits are seeded through ``at.session_state`` (AppTest does
not type into the grid). Each test puts the register and footprints back as they were, because
the other page tests share the throwaway database and expect the default register.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data.register_store import RegisterStore
from tests.pages.conftest import run_page

PAGE = "app_pages/hubs.py"
DEFAULT_FOOTPRINTS = Path(__file__).resolve().parents[2] / "data" / "footprints" / "lsoa21_lcp.csv"

GOOD_CSV = (
    b"name,postcode,opened,sample\n"
    b"Test hub one,ls157jy,2023-05,false\n"
    b"Test hub <b>two</b>,LS22 6AA,2024-01,false\n"
)
BAD_CSV = (
    b"name,postcode,opened\n"
    b"Fine hub,LS15 7JY,2023-05\n"
    b",ZZ1 1ZZ,2099-01\n"
    b"Undated hub,LS22 6AA,soon\n"
)


@pytest.fixture()
def store():
    """The test database; the register and footprints are put back after each test."""
    st_ = RegisterStore()
    before, fp_before = st_.current_version(), st_.footprints_version()
    yield st_
    if st_.current_version() != before:
        st_.restore(before, "Test clean-up")
    if st_.footprints_version() != fp_before:
        st_.reset_footprints()
    st_.dispose()


def _page():
    at = run_page(PAGE, timeout=180)
    assert not at.exception
    return at


def _by_prefix(widgets, prefix: str):
    found = [w for w in widgets if (w.key or "").startswith(prefix)]
    assert found, f"no widget with a key starting {prefix!r}"
    return found[0]


def _table_with(at, column: str) -> pd.DataFrame | None:
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    return tables[0] if tables else None


def _errors(at) -> pd.DataFrame:
    table = _table_with(at, "Problem")
    assert table is not None, "no table of row errors on the page"
    return table


def _texts(at) -> str:
    return " ".join(
        [e.value for e in at.error]
        + [s.value for s in at.success]
        + [w.value for w in at.warning]
        + [m.value for m in at.markdown]
    )


def test_page_shows_the_register_map_and_marks_samples_and_footprints(store):
    at = _page()
    table = _table_with(at, "kind")
    assert table is not None and len(table) >= 70
    assert "Illustrative sample" in set(table["kind"])
    # The register lists every row; its map follows the real-hubs rule (issue 12).
    assert any("not drawn on the map" in cap.value for cap in at.caption)
    maps = [el.proto.srcdoc for el in at.get("iframe") if "hc-hub" in el.proto.srcdoc]
    assert maps and not any("hc-hub-sample" in m for m in maps)
    footprints = _table_with(at, "marked")
    assert footprints is not None and len(footprints) == 19
    marked = footprints[footprints["marked"] != ""]
    assert len(marked) > 0 and set(marked["lcp_status"]) <= {"approximate", "provisional", "mixed"}
    assert set(footprints.loc[footprints["marked"] == "", "lcp_status"]) == {"described"}


def test_uploading_a_bad_register_shows_row_errors_and_changes_nothing(store):
    before = store.current_version()
    at = _page()
    _by_prefix(at.file_uploader, "hubs_upload_").set_value(("bad.csv", BAD_CSV, "text/csv")).run()
    assert not at.exception
    errors = _errors(at)
    assert {"3", "4"} <= set(errors["Row"])
    problems = " ".join(errors["Problem"])
    assert "Name is blank" in problems and "in the future" in problems and "soon" in problems
    assert "cannot be applied" in _texts(at)
    assert not [b for b in at.button if b.key == "hubs_upload_apply"]
    assert _table_with(at, "Row") is not None  # the preview of the rows as read
    assert store.current_version() == before


def test_uploading_a_good_register_replaces_it_after_a_reason(store):
    before = store.current_version()
    at = _page()
    _by_prefix(at.file_uploader, "hubs_upload_").set_value(("good.csv", GOOD_CSV, "text/csv")).run()
    assert not at.exception and not at.error
    at.button(key="hubs_upload_apply").click().run()
    assert "reason" in " ".join(e.value for e in at.error).lower()  # no reason, no save
    assert store.current_version() == before

    at.text_input(key="hubs_upload_reason").set_value("Real register from the programme team")
    at.button(key="hubs_upload_apply").click().run()
    assert not at.exception
    register = store.load()
    assert list(register["name"]) == ["Test hub one", "Test hub <b>two</b>"]
    assert list(register["postcode"]) == ["LS15 7JY", "LS22 6AA"]
    assert register["latitude"].isna().all()  # postcode centroids are derived, not stored
    latest = store.history().iloc[0]
    assert latest["action"] == "upload" and latest["reason"].startswith("Real register")
    assert "Applied good.csv" in _texts(at)
    assert len(_table_with(at, "kind")) == 2


def test_adding_a_hub_by_postcode_saves_it_and_a_bad_postcode_saves_nothing(store):
    before = store.current_version()
    at = _page()
    at.text_input(key="hubs_add_name").set_value("Wetherby test hub")
    at.text_input(key="hubs_add_postcode").set_value("LS99 9ZZ")
    at.text_input(key="hubs_add_opened").set_value("2024-02")
    at.text_input(key="hubs_add_reason").set_value("New hub")
    at.button(key="hubs_add_submit").click().run()
    assert not at.exception
    assert "Unknown postcode LS99 9ZZ" in " ".join(_errors(at)["Problem"])
    assert store.current_version() == before

    at.text_input(key="hubs_add_postcode").set_value("ls22 6aa")
    at.button(key="hubs_add_submit").click().run()
    assert not at.exception
    register = store.load()
    new = register[register["name"] == "Wetherby test hub"]
    assert len(new) == 1 and new["postcode"].iloc[0] == "LS22 6AA"
    assert not bool(new["sample"].iloc[0])
    assert new["hub_id"].iloc[0].startswith("HUB-")
    assert store.history().iloc[0]["action"] == "add"
    assert at.text_input(key="hubs_add_name").value == ""  # the form is cleared after saving


def test_closing_a_hub_sets_its_closed_date(store):
    at = _page()
    hub_id = "HUB-0001"
    at.selectbox(key="hubs_close_hub").set_value(hub_id)
    at.text_input(key="hubs_close_reason").set_value("Venue closed")
    at.button(key="hubs_close_submit").click().run()
    assert not at.exception
    register = store.load().set_index("hub_id")
    assert register.loc[hub_id, "closed"] is not None and register.loc[hub_id, "closed"] != ""
    assert store.history().iloc[0]["action"] == "close"


def test_an_invalid_edit_in_place_is_not_saved_and_a_valid_one_is(store):
    before = store.current_version()
    at = _page()
    key = _by_prefix(at.data_editor, "hubs_editor_").key
    at.session_state[key] = {
        "edited_rows": {0: {"name": ""}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    errors = _errors(at)
    assert list(errors["Row"]) == ["2"] and "Name is blank" in errors["Problem"].iloc[0]
    assert not [b for b in at.button if b.key == "hubs_edit_save"]

    at.session_state[key] = {
        "edited_rows": {0: {"services": "Digital skills drop-in"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.text_input(key="hubs_edit_reason").set_value("Services updated")
    at.button(key="hubs_edit_save").click().run()
    assert not at.exception
    assert store.current_version() != before
    assert store.load()["services"].iloc[0] == "Digital skills drop-in"


def test_restoring_an_earlier_version_brings_its_register_back(store):
    original = store.load()
    first = store.current_version()
    store.save(original.iloc[:3], "Shrink for the test", action="edit")
    at = _page()
    at.selectbox(key="hubs_restore_version").set_value(first)
    at.text_input(key="hubs_restore_reason").set_value("Undo the shrink")
    at.button(key="hubs_restore_submit").click().run()
    assert not at.exception
    assert len(store.load()) == len(original)
    assert store.history().iloc[0]["action"] == f"restore:{first}"


def _footprint_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8")


def test_a_bad_footprint_upload_shows_row_errors_and_keeps_the_footprints(store):
    lookup = pd.read_csv(DEFAULT_FOOTPRINTS, dtype=str)[["lsoa21cd", "lcp"]]
    bad = pd.concat(
        [lookup.iloc[5:], pd.DataFrame({"lsoa21cd": ["E01999999"], "lcp": ["Nowhere"]})]
    )
    at = _page()
    _by_prefix(at.file_uploader, "hubs_fp_upload_").set_value(
        ("lcp.csv", _footprint_csv(bad), "text/csv")
    ).run()
    assert not at.exception
    errors = _errors(at)
    assert str(len(bad) + 1) in set(errors["Row"])  # the bogus code's spreadsheet row
    assert "5 Leeds LSOA(s) have no LCP" in " ".join(errors["Problem"])
    assert not [b for b in at.button if b.key == "hubs_fp_apply"]
    assert store.footprints_version() == 0


def test_a_good_footprint_upload_applies_for_everyone_and_reset_returns_to_default(store):
    lookup = pd.read_csv(DEFAULT_FOOTPRINTS, dtype=str)[["lsoa21cd", "lcp"]]
    lookup["lcp"] = lookup["lcp"].str.replace("Provisional: ", "", regex=False)
    at = _page()
    _by_prefix(at.file_uploader, "hubs_fp_upload_").set_value(
        ("official.csv", _footprint_csv(lookup), "text/csv")
    ).run()
    assert not at.exception and not at.error
    at.text_input(key="hubs_fp_reason").set_value("Official lookup from the ICB")
    at.button(key="hubs_fp_apply").click().run()
    assert not at.exception
    assert store.footprints_version() > 0
    footprints = _table_with(at, "marked")
    assert set(footprints["lcp_status"]) == {"official"}
    assert set(footprints["marked"]) == {""}  # an official lookup needs no warning
    assert "Armley area" in set(footprints["lcp"])

    at.button(key="hubs_fp_reset").click().run()
    assert not at.exception
    assert store.footprints_version() == 0
