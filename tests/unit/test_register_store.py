"""Unit tests for data.register_store: seeding, atomic saves, history, restore, scenarios."""

import json

import pandas as pd
import pytest
import sqlalchemy as sa

import data.register_store as store_mod
from data.register_store import (
    RegisterStore,
    RegisterStoreError,
    UnknownScenarioError,
    UnknownVersionError,
    database_url,
)
from utils.constants import HUB_ID, HUB_LAT, HUB_NAME, HUB_SAMPLE
from utils.hubs import REGISTER_COLUMNS

SEED_CSV = (
    "hub_id,name,organisation,address,postcode,latitude,longitude,opened,closed,services,notes,source,sample\n"
    'HUB-0001,Real hub,Org,"Station Road, Leeds",LS15 7JY,,,2020-01,,Help,note,https://x,False\n'
    "SAMPLE-001,Sample hub — A 1,Illustrative,,LS10 4HU,53.75,-1.53,2021-02,,,,,True\n"
)


@pytest.fixture()
def seed(tmp_path):
    path = tmp_path / "hubs.csv"
    path.write_text(SEED_CSV, encoding="utf-8")
    return path


@pytest.fixture()
def store(tmp_path, seed):
    s = RegisterStore(tmp_path / "register.sqlite", seed_csv=seed)
    yield s
    s.dispose()


def test_first_start_seeds_from_the_csv(store):
    reg = store.load()
    assert list(reg.columns) == list(REGISTER_COLUMNS)
    assert list(reg[HUB_ID]) == ["HUB-0001", "SAMPLE-001"]
    assert reg[HUB_SAMPLE].tolist() == [False, True]
    assert reg.loc[1, HUB_LAT] == pytest.approx(53.75)
    hist = store.history()
    assert len(hist) == 1 and hist.loc[0, "action"] == "seed"


def test_second_start_does_not_reseed(tmp_path, seed, store):
    store.save(store.load().iloc[:1], reason="Drop the sample")
    again = RegisterStore(tmp_path / "register.sqlite", seed_csv=seed)
    assert list(again.load()[HUB_ID]) == ["HUB-0001"]
    assert len(again.history()) == 2
    again.dispose()


def test_empty_database_without_seed_file_raises(tmp_path):
    with pytest.raises(RegisterStoreError, match="seed register"):
        RegisterStore(tmp_path / "x.sqlite", seed_csv=tmp_path / "missing.csv")


def test_save_records_what_changed_when_and_why(store):
    reg = store.load()
    reg.loc[0, HUB_NAME] = "Renamed"
    reg = pd.concat([reg, reg.iloc[[1]].assign(**{HUB_ID: "SAMPLE-002"})], ignore_index=True)
    version = store.save(reg, reason="Fix name, add a hub")
    hist = store.history()
    newest = hist.iloc[0]
    assert newest["version_id"] == version
    assert newest["reason"] == "Fix name, add a hub"
    assert (
        "1 added (SAMPLE-002)" in newest["summary"] and "1 changed (HUB-0001)" in newest["summary"]
    )
    assert newest["n_hubs"] == 3 and newest["created_at"]
    assert store.load().loc[0, HUB_NAME] == "Renamed"


def test_save_without_a_reason_is_refused(store):
    with pytest.raises(RegisterStoreError, match="reason"):
        store.save(store.load(), reason="  ")


def test_save_with_duplicate_ids_or_missing_columns_is_refused_and_changes_nothing(store):
    before = store.load()
    with pytest.raises(RegisterStoreError, match="Duplicate"):
        store.save(pd.concat([before, before.iloc[[0]]]), reason="dupe")
    with pytest.raises(RegisterStoreError, match="lacks column"):
        store.save(before.drop(columns=["opened"]), reason="bad")
    pd.testing.assert_frame_equal(store.load(), before)
    assert len(store.history()) == 1


def test_a_crash_during_save_leaves_the_previous_register(store, monkeypatch):
    before = store.load()

    def boom(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    # Fails after the hubs table was emptied and refilled, while writing the history row.
    monkeypatch.setattr(store_mod.json, "dumps", boom)
    with pytest.raises(RegisterStoreError, match="nothing was changed"):
        store.save(before.iloc[:1], reason="Will crash")
    monkeypatch.undo()
    pd.testing.assert_frame_equal(store.load(), before)
    assert len(store.history()) == 1


def test_restore_brings_back_an_earlier_version_as_a_new_version(store):
    original = store.load()
    store.save(original.iloc[:1], reason="Remove sample")
    restored_version = store.restore(1, reason="Undo removal")
    pd.testing.assert_frame_equal(store.load(), original)
    hist = store.history()
    assert hist.iloc[0]["version_id"] == restored_version
    assert hist.iloc[0]["action"] == "restore:1"
    assert len(store.snapshot(2)) == 1


def test_restoring_an_unknown_version_raises(store):
    with pytest.raises(UnknownVersionError):
        store.restore(99, reason="nope")


def test_scenarios_can_be_saved_listed_loaded_and_overwritten(store):
    store.save_scenario("Plan A", json.dumps({"sites": [1, 2]}))
    store.save_scenario("Plan B", json.dumps({"sites": []}))
    store.save_scenario("Plan A", json.dumps({"sites": [3]}))
    assert set(store.list_scenarios()["name"]) == {"Plan A", "Plan B"}
    assert json.loads(store.load_scenario("Plan A")) == {"sites": [3]}
    store.delete_scenario("Plan B")
    with pytest.raises(UnknownScenarioError):
        store.load_scenario("Plan B")


def test_scenario_needs_a_name_and_valid_json(store):
    with pytest.raises(RegisterStoreError):
        store.save_scenario("", "{}")
    with pytest.raises(RegisterStoreError, match="not valid JSON"):
        store.save_scenario("x", "{not json")


def test_database_location_comes_from_url_path_or_environment(tmp_path, monkeypatch):
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(tmp_path / "a.sqlite") == f"sqlite:///{tmp_path / 'a.sqlite'}"
    monkeypatch.setenv("HUB_COVERAGE_DB", str(tmp_path / "env" / "b.sqlite"))
    assert database_url() == f"sqlite:///{tmp_path / 'env' / 'b.sqlite'}"
    assert (tmp_path / "env").is_dir()


def test_in_memory_database_works(seed):
    s = RegisterStore("sqlite://", seed_csv=seed)
    assert len(s.load()) == 2
    s.save(s.load(), reason="no-op")
    assert s.history().iloc[0]["summary"] == "no changes"
    s.dispose()


def test_footprint_upload_is_versioned_and_reset_returns_to_the_default(tmp_path):
    store = RegisterStore(tmp_path / "fp.sqlite")
    assert store.footprints_version() == 0 and store.load_footprints(0) is None
    lookup = pd.DataFrame({"lsoa21cd": ["E01000001"], "lcp": ["A"], "lcp_status": ["official"]})
    v = store.save_footprints(lookup, reason="Official lookup from the ICB")
    assert store.footprints_version() == v > 0
    assert store.load_footprints(v).to_dict("records") == lookup.to_dict("records")
    store.reset_footprints()
    assert store.footprints_version() == 0


def test_current_version_moves_on_every_save(tmp_path):
    store = RegisterStore(tmp_path / "v.sqlite")
    first = store.current_version()
    assert store.save(store.load(), reason="touch") == store.current_version() > first
