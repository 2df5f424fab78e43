"""Concurrent writers on one register database, on SQLite and on a real PostgreSQL server.

No save may be lost: adds and closes are applied to the latest register under the write lock;
whole-register saves only succeed on the version they were made from; ids are never reused.
The PostgreSQL server is started by the tests (tests/postgres.py); under CI a missing server
fails these tests instead of skipping them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from data.register import main as register_cli
from data.register_store import (
    RegisterConflictError,
    RegisterStore,
    RegisterStoreError,
)
from tests.postgres import PostgresServer
from utils.constants import HUB_CLOSED, HUB_ID, HUB_NAME, HUB_OPENED, HUB_POSTCODE, HUB_SAMPLE
from utils.hubs import coerce_register

REPO = Path(__file__).resolve().parents[2]
CROSS_GATES = "Cross Gates and District Good Neighbours"


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.sqlite'}"
    return request.getfixturevalue("postgres").new_database()


def _row(name: str) -> dict:
    return {HUB_NAME: name, HUB_POSTCODE: "LS15 7JY", HUB_OPENED: "2024-01", HUB_SAMPLE: False}


def _adder(name: str, hold_s: float = 0.0):
    def change(latest: pd.DataFrame) -> pd.DataFrame:
        time.sleep(hold_s)  # hold the lock a moment so the other writer really has to wait
        return pd.concat([latest, pd.DataFrame([_row(name)])], ignore_index=True)

    return change


# A separate Python process (not multiprocessing: after AppTest ran, spawn would re-run the
# app's entry point as __main__).
_WRITER = """
import sys, time
import pandas as pd
from data.register_store import RegisterStore
url, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
row = {"name": name, "postcode": "LS15 7JY", "opened": "2024-01", "sample": False}
store = RegisterStore(url)
time.sleep(max(0.0, start - time.time()))

def change(latest):
    time.sleep(0.3)  # hold the lock so the other process must wait
    return pd.concat([latest, pd.DataFrame([row])], ignore_index=True)

store.update(change, reason="add " + name, action="add")
store.dispose()
"""


def test_two_threads_adding_at_once_keep_both_hubs_with_new_ids(db_url):
    store = RegisterStore(db_url)
    before = store.load()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(name: str) -> None:
        try:
            barrier.wait()
            store.update(_adder(name, 0.3), reason=f"add {name}", action="add")
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=add, args=(n,)) for n in ("Hub A", "Hub B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    after = store.load()
    assert len(after) == len(before) + 2
    new = after[~after[HUB_ID].isin(before[HUB_ID])]
    assert set(new[HUB_NAME]) == {"Hub A", "Hub B"}
    assert new[HUB_ID].is_unique and not new[HUB_ID].isin(before[HUB_ID]).any()
    assert set(new[HUB_ID]) == {"HUB-0002", "HUB-0003"}
    assert after.loc[after[HUB_ID] == "HUB-0001", HUB_NAME].item() == CROSS_GATES
    assert list(store.history()["action"][:2]) == ["add", "add"]
    store.dispose()


def test_two_processes_adding_at_once_keep_both_hubs(db_url):
    RegisterStore(db_url).dispose()  # seed first, so both processes start from the same version
    start = time.time() + 3.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, db_url, name, str(start)],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Process hub A", "Process hub B")
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    store = RegisterStore(db_url)
    reg = store.load()
    assert {"Process hub A", "Process hub B"} <= set(reg[HUB_NAME])
    assert reg[HUB_ID].is_unique
    store.dispose()


def test_whole_register_saves_from_the_same_version_one_wins_the_other_sees_who(db_url):
    store = RegisterStore(db_url)
    base = store.current_version()
    mine, theirs = store.load(), store.load()
    mine.loc[0, HUB_NAME] = "Mine"
    theirs.loc[0, HUB_NAME] = "Theirs"
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def save(label: str, df: pd.DataFrame) -> None:
        barrier.wait()
        try:
            outcome[label] = store.save(df, reason=f"edit by {label}", expected_version=base)
        except RegisterStoreError as err:
            outcome[label] = err

    threads = [
        threading.Thread(target=save, args=("mine", mine)),
        threading.Thread(target=save, args=("theirs", theirs)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [v for v in outcome.values() if isinstance(v, RegisterConflictError)]
    saved = [k for k, v in outcome.items() if isinstance(v, int)]
    assert len(conflicts) == 1 and len(saved) == 1
    winner = saved[0]
    conflict = conflicts[0]
    assert conflict.expected == base and conflict.current == outcome[winner]
    assert list(conflict.since["reason"]) == [f"edit by {winner}"]
    assert {"action", "reason", "summary", "created_at"} <= set(conflict.since.columns)
    assert store.load().loc[0, HUB_NAME] == winner.capitalize()
    store.dispose()


def test_close_applies_to_the_latest_register_and_keeps_an_add_made_meanwhile(db_url):
    store = RegisterStore(db_url)
    seen = store.load()  # the page's view, before someone else adds a hub
    store.update(_adder("Added meanwhile"), reason="add", action="add")

    def close(latest: pd.DataFrame) -> pd.DataFrame:
        out = latest.copy()
        out.loc[out[HUB_ID] == seen.loc[0, HUB_ID], HUB_CLOSED] = "2024-02-01"
        return out

    store.update(close, reason="closed", action="close")
    reg = store.load()
    assert "Added meanwhile" in set(reg[HUB_NAME])
    assert reg.loc[reg[HUB_ID] == "HUB-0001", HUB_CLOSED].item() == "2024-02-01"
    store.dispose()


def test_uploaded_rows_without_ids_get_fresh_ids_and_ids_are_never_reused(db_url):
    store = RegisterStore(db_url)
    upload = pd.DataFrame([_row("Uploaded one"), _row("Uploaded two")])
    upload[HUB_ID] = None
    full = pd.concat([store.load(), upload], ignore_index=True)
    store.save(full, reason="upload", action="upload", expected_version=store.current_version())
    reg = store.load()
    assert reg.loc[reg[HUB_ID] == "HUB-0001", HUB_NAME].item() == CROSS_GATES
    ids = dict(zip(reg[HUB_NAME], reg[HUB_ID], strict=True))
    assert (ids["Uploaded one"], ids["Uploaded two"]) == ("HUB-0002", "HUB-0003")
    # An upload of only id-less rows must not hand out HUB-0001 again.
    store.save(coerce_register(upload), reason="replace", action="upload")
    assert "HUB-0001" not in set(store.load()[HUB_ID])
    assert set(store.load()[HUB_ID]) == {"HUB-0004", "HUB-0005"}
    # Restoring the first version brings Cross Gates back as HUB-0001; the counter stays ahead.
    store.restore(1, reason="undo")
    store.update(_adder("After restore"), reason="add", action="add")
    reg = store.load()
    assert reg.loc[reg[HUB_NAME] == "After restore", HUB_ID].item() == "HUB-0006"
    assert reg.loc[reg[HUB_ID] == "HUB-0001", HUB_NAME].item() == CROSS_GATES
    store.dispose()


def test_footprints_upload_from_an_old_version_is_refused(db_url):
    store = RegisterStore(db_url)
    lookup = pd.DataFrame({"lsoa21cd": ["E01000001"], "lcp": ["A"], "lcp_status": ["official"]})
    first = store.save_footprints(lookup, reason="first", expected_version=0)
    with pytest.raises(RegisterConflictError, match="footprints"):
        store.save_footprints(lookup, reason="stale", expected_version=0)
    with pytest.raises(RegisterConflictError):
        store.reset_footprints(expected_version=0)
    assert store.footprints_version() == first
    store.reset_footprints(expected_version=first)
    assert store.footprints_version() == 0
    assert store.save_footprints(lookup, reason="again") > first  # footprint ids only go up
    store.dispose()


def test_backup_and_restore_round_trip_the_register_with_its_history(db_url, tmp_path):
    store = RegisterStore(db_url)
    store.update(_adder("Backed up hub"), reason="add before backup", action="add")
    lookup = pd.DataFrame({"lsoa21cd": ["E01000001"], "lcp": ["A"], "lcp_status": ["official"]})
    store.save_footprints(lookup, reason="official lookup")
    store.save_scenario("Plan A", json.dumps({"sites": [1]}))
    register, history = store.load(), store.history()
    file = tmp_path / "backup.json"
    assert register_cli(["backup", str(file), "--db", db_url]) == 0

    target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    assert register_cli(["restore", str(file), "--db", target]) == 0
    restored = RegisterStore(target)
    pd.testing.assert_frame_equal(restored.load(), register)
    got = restored.history()
    assert got.iloc[0]["action"] == "backup-restore"
    pd.testing.assert_frame_equal(got.iloc[1:].reset_index(drop=True), history)
    assert restored.load_footprints(restored.footprints_version()).to_dict("records") == (
        lookup.to_dict("records")
    )
    assert json.loads(restored.load_scenario("Plan A")) == {"sites": [1]}
    # Ids keep counting from where the backed-up database was.
    restored.update(_adder("After restore"), reason="add", action="add")
    new_id = restored.load().iloc[-1][HUB_ID]
    assert new_id not in set(register[HUB_ID])
    # A database with history is only overwritten on request.
    assert register_cli(["restore", str(file), "--db", target]) == 1
    assert register_cli(["restore", str(file), "--db", target, "--replace"]) == 0
    restored.dispose()
    store.dispose()


def test_without_postgresql_the_tests_fail_under_ci_and_skip_elsewhere(monkeypatch):
    from tests import postgres as pg_mod

    monkeypatch.setattr(pg_mod, "_pg_bin", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is needed"):
        PostgresServer().start()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        PostgresServer().start()
