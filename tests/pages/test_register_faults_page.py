"""AppTest: a corrupt, read-only or lost register database gives one clear message, no traceback,
and the app keeps working read-only (saving off with the reason)."""

from __future__ import annotations

import pytest

from data.register_store import RegisterStore
from tests.pages.conftest import APP_PAGES, run_page

PAGES = [p for p in APP_PAGES if p != "app_pages/about.py"]


def _messages(at) -> str:
    return " ".join(e.value for e in at.error)


def _check_read_only_app(at, db, words: str) -> None:
    assert not at.exception
    errors = [e.value for e in at.error if str(db) in e.value]
    assert len(errors) == 1 and words in errors[0]
    assert "Traceback" not in _messages(at)


@pytest.fixture()
def corrupt_db(tmp_path, monkeypatch):
    db = tmp_path / "corrupt.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"garbage" * 2000)
    monkeypatch.setenv("HUB_COVERAGE_DB", str(db))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_a_corrupt_database_shows_one_message_and_every_page_still_works(corrupt_db, page):
    at = run_page(page, timeout=180)
    _check_read_only_app(at, corrupt_db, "cannot be read")
    assert "restore" in _messages(at)


def test_a_corrupt_database_turns_saving_off_on_the_hubs_page(corrupt_db):
    at = run_page("app_pages/hubs.py", timeout=180)
    assert any("Saving is off" in i.value for i in at.info)
    assert at.button(key="hubs_add_submit").disabled
    assert at.button(key="hubs_close_submit").disabled
    assert at.button(key="hubs_restore_submit").disabled
    kinds = [d.value for d in at.dataframe if "kind" in d.value.columns]
    assert kinds and len(kinds[0]) > 50  # the seed register is shown


def test_a_read_only_database_is_shown_with_saving_off(tmp_path, monkeypatch):
    db = tmp_path / "ro.sqlite"
    RegisterStore(db).dispose()
    monkeypatch.setenv("HUB_COVERAGE_DB", f"sqlite:///file:{db}?mode=ro&uri=true")
    at = run_page("app_pages/hubs.py", timeout=180)
    _check_read_only_app(at, db, "read-only")
    assert at.button(key="hubs_add_submit").disabled


def test_a_deleted_database_with_history_is_not_reseeded_and_says_so(tmp_path, monkeypatch):
    db = tmp_path / "gone.sqlite"
    store = RegisterStore(db)
    store.save(store.load().iloc[:5], reason="five hubs")
    store.dispose()
    db.unlink()
    monkeypatch.setenv("HUB_COVERAGE_DB", str(db))
    at = run_page("app_pages/hubs.py", timeout=180)
    _check_read_only_app(at, db, "is missing")
    assert not db.exists()  # nothing was re-seeded in its place


@pytest.mark.parametrize("fault", ["deleted", "corrupted"])
def test_a_database_that_goes_bad_while_the_app_runs_gives_the_message_not_a_traceback(
    tmp_path, monkeypatch, fault
):
    db = tmp_path / f"{fault}.sqlite"
    store = RegisterStore(db)
    store.save(store.load().iloc[:60], reason="sixty hubs")
    store.dispose()
    monkeypatch.setenv("HUB_COVERAGE_DB", str(db))
    at = run_page("app_pages/hubs.py", timeout=180)
    assert not at.exception and not [e for e in at.error if str(db) in e.value]
    if fault == "deleted":
        db.unlink()
    else:
        db.write_bytes(b"SQLite format 3\x00" + b"garbage" * 2000)
    at.run()
    _check_read_only_app(at, db, "is missing" if fault == "deleted" else "cannot be read")
    assert at.button(key="hubs_add_submit").disabled
