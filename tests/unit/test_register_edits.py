"""Unit tests for utils.register_edits: a user's edits carried over to a newer register by id."""

import pandas as pd

from utils.hubs import coerce_register
from utils.register_edits import apply_edits, diff_register


def _reg(rows):
    return coerce_register(pd.DataFrame(rows))


BASE = _reg(
    [
        {"hub_id": "HUB-0001", "name": "Cross Gates", "services": "", "postcode": "LS15 7JY"},
        {"hub_id": "HUB-0002", "name": "Two", "services": "x", "postcode": "LS22 6AA"},
        {"hub_id": "HUB-0003", "name": "Three", "services": "y", "postcode": "LS22 6AA"},
    ]
)


def test_edits_made_on_an_old_version_keep_the_changes_saved_meanwhile():
    mine = BASE.copy()
    mine.loc[0, "services"] = "Drop-in"  # a cell I changed
    mine = mine[mine["hub_id"] != "HUB-0003"]  # a hub I deleted
    mine = pd.concat([mine, _reg([{"name": "My new hub", "postcode": "LS15 7JY"}])])
    edits = diff_register(BASE, mine)
    assert edits.changed == {"HUB-0001": {"services": "Drop-in"}}
    assert edits.deleted == ("HUB-0003",)
    assert [r["name"] for r in edits.added] == ["My new hub"]

    theirs = BASE.copy()  # someone else renamed hub 1 and added hub 4 meanwhile
    theirs.loc[0, "name"] = "Cross Gates (renamed)"
    theirs = pd.concat([theirs, _reg([{"hub_id": "HUB-0004", "name": "Their hub"}])])
    merged = apply_edits(theirs, edits).set_index("name")
    assert list(merged.index) == ["Cross Gates (renamed)", "Two", "Their hub", "My new hub"]
    assert merged.loc["Cross Gates (renamed)", "services"] == "Drop-in"
    assert pd.isna(merged.loc["My new hub", "hub_id"])  # the database gives it a fresh id


def test_no_edits_is_falsy():
    assert not diff_register(BASE, BASE.copy())
