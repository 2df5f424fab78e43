"""Carry a user's register edits, made on one saved version, over to a newer version by hub id."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from utils.constants import HUB_ID
from utils.hubs import REGISTER_COLUMNS, coerce_register


@dataclass(frozen=True)
class RegisterEdits:
    """What one user changed: cells by hub id, hubs deleted, rows added (ids blank or new)."""

    changed: dict[str, dict[str, object]] = field(default_factory=dict)
    deleted: tuple[str, ...] = ()
    added: tuple[dict[str, object], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changed or self.deleted or self.added)


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):  # type: ignore[arg-type]
        return True
    return a == b


def diff_register(base: pd.DataFrame, edited: pd.DataFrame) -> RegisterEdits:
    """The edits that turn ``base`` into ``edited``, keyed by hub id (not by row position).

    Examples
    --------
    >>> base = coerce_register(pd.DataFrame({"hub_id": ["HUB-0001"], "name": ["A"]}))
    >>> diff_register(base, base.assign(name="B")).changed
    {'HUB-0001': {'name': 'B'}}
    """
    old = coerce_register(base).set_index(HUB_ID, drop=False)
    new = coerce_register(edited)
    changed: dict[str, dict[str, object]] = {}
    added: list[dict[str, object]] = []
    kept: set[str] = set()
    for row in new.to_dict("records"):
        hub = row[HUB_ID]
        if pd.isna(hub) or hub not in old.index:
            added.append(row)
            continue
        kept.add(hub)
        before = old.loc[hub]
        cells = {c: row[c] for c in REGISTER_COLUMNS if not _same(before[c], row[c])}
        if cells:
            changed[hub] = cells
    deleted = tuple(h for h in old.index if h not in kept)
    return RegisterEdits(changed, deleted, tuple(added))


def apply_edits(latest: pd.DataFrame, edits: RegisterEdits) -> pd.DataFrame:
    """``latest`` with the edits applied by hub id: only the cells the user changed are set.

    Hubs the user changed that someone else has removed meanwhile stay removed; rows the user
    added are appended (blank ids get fresh ids when saved).
    """
    out = coerce_register(latest).copy()
    out = out[~out[HUB_ID].isin(edits.deleted)].reset_index(drop=True)
    for hub, cells in edits.changed.items():
        rows = out.index[out[HUB_ID] == hub]
        for col, value in cells.items():
            out.loc[rows, col] = value
    if edits.added:
        out = pd.concat([out, pd.DataFrame(list(edits.added))], ignore_index=True)
    return coerce_register(out)
