"""AppTest: two people saving at once on the Hubs page; nothing is lost and ids are never reused.

"Someone else" is a second RegisterStore on the same database, saving between the page's runs,
as another session or another app server would.
"""

from __future__ import annotations

import pandas as pd
import pytest

from data.register_store import RegisterStore
from tests.pages.conftest import run_page
from tests.pages.test_hubs_page import GOOD_CSV, _by_prefix, _texts
from utils.constants import HUB_ID, HUB_NAME

PAGE = "app_pages/hubs.py"


@pytest.fixture()
def store():
    st_ = RegisterStore()
    before = st_.current_version()
    yield st_
    if st_.current_version() != before:
        st_.restore(before, "Test clean-up")
    st_.dispose()


def _someone_else_adds(store: RegisterStore, name: str) -> None:
    row = {HUB_NAME: name, "postcode": "LS22 6AA", "opened": "2024-01", "sample": False}
    store.update(
        lambda latest: pd.concat([latest, pd.DataFrame([row])], ignore_index=True),
        reason=f"{name} added elsewhere",
        action="add",
    )


def test_an_add_while_someone_else_added_keeps_both_hubs(store):
    at = run_page(PAGE, timeout=180)
    _someone_else_adds(store, "Their hub")  # after this page read the register
    at.text_input(key="hubs_add_name").set_value("My hub")
    at.text_input(key="hubs_add_postcode").set_value("LS15 7JY")
    at.text_input(key="hubs_add_opened").set_value("2024-02")
    at.text_input(key="hubs_add_reason").set_value("Mine")
    at.button(key="hubs_add_submit").click().run()
    assert not at.exception
    reg = store.load()
    assert {"Their hub", "My hub"} <= set(reg[HUB_NAME])
    assert reg[HUB_ID].is_unique
    ids = reg.set_index(HUB_NAME)[HUB_ID]
    assert ids["Cross Gates and District Good Neighbours"] == "HUB-0001"
    assert ids["My hub"] != ids["Their hub"] and ids["My hub"].startswith("HUB-")


def test_an_upload_after_someone_saved_is_refused_with_what_they_did_then_applies_again(store):
    at = run_page(PAGE, timeout=180)
    _by_prefix(at.file_uploader, "hubs_upload_").set_value(("good.csv", GOOD_CSV, "text/csv")).run()
    at.text_input(key="hubs_upload_reason").set_value("Programme team register")
    _someone_else_adds(store, "Meanwhile hub")
    version = store.current_version()
    at.button(key="hubs_upload_apply").click().run()
    assert not at.exception
    assert store.current_version() == version  # nothing saved over their change
    texts = _texts(at)
    assert "saved by someone else" in texts and "Your changes are kept" in texts
    meanwhile = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert any("Meanwhile hub added elsewhere" in set(t["reason"]) for t in meanwhile)
    # The file is still there; applying again (having seen the change) replaces the register.
    at.button(key="hubs_upload_apply").click().run()
    assert not at.exception
    reg = store.load()
    assert list(reg[HUB_NAME]) == ["Test hub one", "Test hub <b>two</b>"]
    # Rows without ids get ids never used before: HUB-0001 stays Cross Gates in the history.
    assert "HUB-0001" not in set(reg[HUB_ID])
    assert all(i.startswith("HUB-") for i in reg[HUB_ID])


def test_edits_made_before_someone_saved_are_kept_and_can_be_applied_to_the_latest(store):
    at = run_page(PAGE, timeout=180)
    key = _by_prefix(at.data_editor, "hubs_editor_").key
    at.session_state[key] = {
        "edited_rows": {0: {"services": "Edited on the old version"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    _someone_else_adds(store, "Saved while I edited")
    at.run()
    assert not at.exception
    assert any("You are editing version" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "hubs_edit_save"]
    assert _by_prefix(at.data_editor, "hubs_editor_").key == key  # same editor, edits kept
    at.text_input(key="hubs_edit_carry_reason").set_value("Services")
    at.button(key="hubs_edit_carry").click().run()
    assert not at.exception
    reg = store.load().set_index(HUB_ID)
    assert reg.loc["HUB-0001", "services"] == "Edited on the old version"
    assert "Saved while I edited" in set(reg[HUB_NAME])


def test_an_add_that_duplicates_a_hub_saved_meanwhile_is_refused_and_the_form_kept(store):
    at = run_page(PAGE, timeout=180)
    _someone_else_adds(store, "Same hub")  # same name and postcode, open: a duplicate now
    version = store.current_version()
    at.text_input(key="hubs_add_name").set_value("Same hub")
    at.text_input(key="hubs_add_postcode").set_value("LS22 6AA")
    at.text_input(key="hubs_add_opened").set_value("2024-01")
    at.text_input(key="hubs_add_reason").set_value("Mine")
    at.button(key="hubs_add_submit").click().run()
    assert not at.exception
    assert store.current_version() == version
    texts = _texts(at)
    assert "was not added" in texts or "does not fit the register as saved now" in texts
    at.run()
    assert at.text_input(key="hubs_add_name").value == "Same hub"  # nothing typed is lost
