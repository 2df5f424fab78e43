"""Database faults: one clear message naming the file, nothing re-seeded over a lost history."""

from __future__ import annotations

import pandas as pd
import pytest

from data.register_store import (
    DEFAULT_DB_PATH,
    REPO_ROOT,
    RegisterReadOnlyError,
    RegisterStore,
    RegisterUnavailableError,
    adopt_legacy_database,
)
from utils.constants import HUB_NAME


def test_the_default_database_lives_in_var_not_in_the_build_folder():
    assert DEFAULT_DB_PATH.parent == REPO_ROOT / "var"
    assert "var/" in (REPO_ROOT / ".gitignore").read_text().splitlines()


def test_a_corrupt_database_gives_one_message_naming_the_file(tmp_path):
    db = tmp_path / "register.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RegisterUnavailableError) as err:
        RegisterStore(db)
    message = str(err.value)
    assert str(db) in message and "restore" in message and "cannot be read" in message
    assert db.read_bytes().startswith(b"this is not a database")  # left as it was


def test_a_deleted_database_with_history_is_not_reseeded(tmp_path):
    db = tmp_path / "register.sqlite"
    store = RegisterStore(db)
    store.save(store.load().iloc[:3], reason="three hubs left")
    store.dispose()
    marker = db.with_name(db.name + ".marker.json")
    assert marker.exists()
    db.unlink()
    with pytest.raises(RegisterUnavailableError) as err:
        RegisterStore(db)
    message = str(err.value)
    assert str(db) in message and str(marker) in message and "version 2" in message
    assert not db.exists()  # nothing was created or seeded
    marker.unlink()  # the documented way to start again from the seed CSV
    fresh = RegisterStore(db)
    assert len(fresh.history()) == 1
    fresh.dispose()


def test_a_database_deleted_while_running_refuses_to_save(tmp_path):
    db = tmp_path / "register.sqlite"
    store = RegisterStore(db)
    db.unlink()
    with pytest.raises(RegisterReadOnlyError, match="missing"):
        store.save(store.load(), reason="after delete")
    store.dispose()


def test_a_read_only_database_is_shown_but_saving_is_off(tmp_path):
    db = tmp_path / "register.sqlite"
    RegisterStore(db).dispose()
    ro = RegisterStore(f"sqlite:///file:{db}?mode=ro&uri=true")
    assert ro.read_only_reason and str(db) in ro.read_only_reason
    assert "read-only" in ro.read_only_reason
    assert len(ro.load()) > 0
    with pytest.raises(RegisterReadOnlyError, match="read-only"):
        ro.save(ro.load(), reason="try")
    with pytest.raises(RegisterReadOnlyError):
        ro.save_footprints(pd.DataFrame({"lsoa21cd": ["x"], "lcp": ["A"]}), reason="try")
    ro.dispose()


def test_the_fallback_store_shows_the_seed_register_read_only():
    store = RegisterStore.fallback("The database is broken.")
    assert store.load()[HUB_NAME].iloc[0].startswith("Cross Gates")
    with pytest.raises(RegisterReadOnlyError, match="broken"):
        store.save(store.load(), reason="try")
    store.dispose()


def test_a_database_in_the_old_build_folder_is_carried_over_to_var(tmp_path):
    legacy, new = tmp_path / "build" / "hub_register.sqlite", tmp_path / "var" / "hub.sqlite"
    legacy.parent.mkdir()
    store = RegisterStore(legacy)
    store.save(store.load().iloc[:2], reason="user edit")
    store.dispose()
    assert adopt_legacy_database(new, legacy)
    moved = RegisterStore(new)
    assert len(moved.load()) == 2 and moved.history().iloc[0]["reason"] == "user edit"
    moved.dispose()
    assert not adopt_legacy_database(new, legacy)  # only once: var/ wins from then on


def test_backup_of_a_missing_database_is_refused(tmp_path):
    from data.register import main

    assert main(["backup", str(tmp_path / "b.json"), "--db", str(tmp_path / "none.sqlite")]) == 1
    assert not (tmp_path / "none.sqlite").exists()


def test_an_unreachable_database_server_says_so_without_the_password():
    url = "postgresql+psycopg://hubs:secret@127.0.0.1:1/hub_coverage?connect_timeout=2"
    with pytest.raises(RegisterUnavailableError) as err:
        RegisterStore(url)
    message = str(err.value)
    assert "127.0.0.1:1/hub_coverage" in message and "secret" not in message
    assert "database server is running" in message
