"""The hub register's working copy in a database (SQLite by default), with history and restore.

Settings
--------
HUB_COVERAGE_DB
    A SQLAlchemy URL (``postgresql+psycopg://…``, ``sqlite:///…``) or a plain file path for SQLite.
    Default: ``data/build/hub_register.sqlite`` (gitignored).

The CSV (data/hubs.csv) is the import/export format; the database is the working copy. On first
start an empty database is seeded from the CSV. Every save writes the new register *and* a
history row with a full JSON snapshot in one transaction, so a crash or a failed write leaves the
previous register in place and any version can be restored. The store checks the shape of a
register (columns, unique ids); the domain rules live in ``utils.hubs.validate_register`` and must
be applied by the caller first.
"""

from __future__ import annotations

import io
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from utils.constants import HUB_ID, HUB_LAT, HUB_LON, HUB_SAMPLE
from utils.hubs import REGISTER_COLUMNS, TEXT_COLUMNS, coerce_register, read_register_file

DB_ENV = "HUB_COVERAGE_DB"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "data" / "build" / "hub_register.sqlite"
DEFAULT_SEED_CSV = REPO_ROOT / "data" / "hubs.csv"

HISTORY_COLUMNS = ("version_id", "created_at", "action", "reason", "summary", "n_hubs")


class RegisterStoreError(RuntimeError):
    """The register could not be saved, loaded or restored."""


class UnknownVersionError(RegisterStoreError):
    """No history row with that version id."""


class UnknownScenarioError(RegisterStoreError):
    """No saved scenario with that name."""


def database_url(value: str | os.PathLike | None = None) -> str:
    """Return a SQLAlchemy URL from a URL, a file path, $HUB_COVERAGE_DB or the default path."""
    value = value if value is not None else os.environ.get(DB_ENV) or DEFAULT_DB_PATH
    text = str(value)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(df: pd.DataFrame) -> list[dict]:
    return [
        {c: _clean(v) for c, v in zip(REGISTER_COLUMNS, row, strict=True)}
        for row in df[list(REGISTER_COLUMNS)].itertuples(index=False, name=None)
    ]


class RegisterStore:
    """Working copy of the hub register with versioned history and saved scenarios.

    Parameters
    ----------
    url : str or path, optional
        SQLAlchemy URL or SQLite file path; default $HUB_COVERAGE_DB or data/build/hub_register.sqlite.
    seed_csv : path, optional
        Register CSV used to seed an empty database (default data/hubs.csv).

    Examples
    --------
    >>> store = RegisterStore("sqlite://")  # in memory, seeded from data/hubs.csv
    >>> version = store.save(store.load(), reason="No change, just testing")
    """

    def __init__(
        self, url: str | os.PathLike | None = None, seed_csv: str | os.PathLike | None = None
    ) -> None:
        self.url = database_url(url)
        self.seed_csv = Path(seed_csv) if seed_csv is not None else DEFAULT_SEED_CSV
        kwargs: dict = {}
        if self.url.startswith("sqlite"):
            # Streamlit serves sessions from several threads.
            kwargs["connect_args"] = {"check_same_thread": False}
            if self.url in ("sqlite://", "sqlite:///:memory:"):
                kwargs["poolclass"] = sa.pool.StaticPool
        self.engine: Engine = sa.create_engine(self.url, **kwargs)
        self.meta = sa.MetaData()
        text_cols = [sa.Column(c, sa.Text) for c in TEXT_COLUMNS if c != HUB_ID]
        self.hubs = sa.Table(
            "hubs",
            self.meta,
            sa.Column(HUB_ID, sa.String(64), primary_key=True),
            sa.Column("position", sa.Integer, nullable=False),
            *text_cols,
            sa.Column(HUB_LAT, sa.Float),
            sa.Column(HUB_LON, sa.Float),
            sa.Column(HUB_SAMPLE, sa.Boolean, nullable=False),
        )
        self.versions = sa.Table(
            "versions",
            self.meta,
            sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("action", sa.String(32), nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("summary", sa.Text, nullable=False),
            sa.Column("n_hubs", sa.Integer, nullable=False),
            sa.Column("snapshot", sa.Text, nullable=False),
        )
        self.scenarios = sa.Table(
            "scenarios",
            self.meta,
            sa.Column("name", sa.String(200), primary_key=True),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("updated_at", sa.String(32), nullable=False),
        )
        # Uploaded LSOA -> LCP lookups; version 0 (no row) means the project's default lookup.
        self.footprints = sa.Table(
            "footprints",
            self.meta,
            sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("lookup", sa.Text, nullable=False),
            sa.Column("active", sa.Boolean, nullable=False),
        )
        self.meta.create_all(self.engine)
        self._seed_if_empty()

    # --- internals ---------------------------------------------------------------------------
    def _seed_if_empty(self) -> None:
        with self.engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(self.versions)).scalar():
                return
            if not self.seed_csv.exists():
                raise RegisterStoreError(
                    f"The database is empty and the seed register {self.seed_csv} is missing."
                )
            seed = read_register_file(self.seed_csv.read_bytes(), self.seed_csv.name)
            self._write(conn, coerce_register(seed), "seed", f"Seeded from {self.seed_csv.name}")

    def _current(self, conn: sa.Connection) -> pd.DataFrame:
        rows = conn.execute(sa.select(self.hubs).order_by(self.hubs.c.position)).mappings().all()
        return coerce_register(
            pd.DataFrame([dict(r) for r in rows], columns=list(REGISTER_COLUMNS))
        )

    @staticmethod
    def _check(df: pd.DataFrame) -> pd.DataFrame:
        missing = [c for c in REGISTER_COLUMNS if c not in df.columns]
        if missing:
            raise RegisterStoreError(f"The register lacks column(s): {', '.join(missing)}.")
        reg = coerce_register(df)
        if reg[HUB_ID].isna().any():
            raise RegisterStoreError("Every hub needs an id before saving.")
        dupes = sorted(set(reg.loc[reg[HUB_ID].duplicated(), HUB_ID]))
        if dupes:
            raise RegisterStoreError(f"Duplicate hub id(s): {', '.join(dupes)}.")
        return reg

    @staticmethod
    def _summary(old: pd.DataFrame, new: pd.DataFrame) -> str:
        old_i, new_i = old.set_index(HUB_ID), new.set_index(HUB_ID)
        added = sorted(set(new_i.index) - set(old_i.index))
        removed = sorted(set(old_i.index) - set(new_i.index))
        both = sorted(set(new_i.index) & set(old_i.index))
        old_rec = {r[HUB_ID]: r for r in _records(old)}
        new_rec = {r[HUB_ID]: r for r in _records(new)}
        changed = [i for i in both if old_rec[i] != new_rec[i]]
        parts = []
        for label, ids in (("added", added), ("removed", removed), ("changed", changed)):
            if ids:
                shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
                parts.append(f"{len(ids)} {label} ({shown})")
        return "; ".join(parts) or "no changes"

    def _write(self, conn: sa.Connection, reg: pd.DataFrame, action: str, reason: str) -> int:
        old = self._current(conn)
        summary = self._summary(old, reg) if action != "seed" else f"{len(reg)} hubs"
        records = _records(reg)
        conn.execute(sa.delete(self.hubs))
        if records:
            conn.execute(
                sa.insert(self.hubs), [{**r, "position": i} for i, r in enumerate(records)]
            )
        result = conn.execute(
            sa.insert(self.versions).values(
                created_at=_now(),
                action=action,
                reason=reason,
                summary=summary,
                n_hubs=len(records),
                snapshot=json.dumps(records, ensure_ascii=False),
            )
        )
        return int(result.inserted_primary_key[0])

    # --- register ------------------------------------------------------------------------------
    def load(self) -> pd.DataFrame:
        """Return the current register (stored columns, in saved order)."""
        with self.engine.connect() as conn:
            return self._current(conn)

    def save(self, df: pd.DataFrame, reason: str, action: str = "save") -> int:
        """Replace the register and record a history row, all in one transaction.

        Parameters
        ----------
        df : pandas.DataFrame
            The full new register (already validated with ``utils.hubs.validate_register``).
        reason : str
            Free-text reason shown in the history; must not be blank.
        action : str
            Short label for the history ("save", "upload", "edit", …).

        Returns
        -------
        int
            The new version id.

        Raises
        ------
        RegisterStoreError
            If the reason is blank, the register is malformed or the database write fails (the
            previous register is then unchanged).
        """
        if not str(reason or "").strip():
            raise RegisterStoreError("Give a reason for the change (it is kept in the history).")
        reg = self._check(df)
        try:
            with self.engine.begin() as conn:
                return self._write(conn, reg, action, reason.strip())
        except sa.exc.SQLAlchemyError as err:
            raise RegisterStoreError(
                f"Saving the register failed; nothing was changed ({err})."
            ) from err

    def history(self) -> pd.DataFrame:
        """Return the history, newest first: version_id, created_at, action, reason, summary, n_hubs."""
        cols = [self.versions.c[c] for c in HISTORY_COLUMNS]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*cols).order_by(self.versions.c.version_id.desc())).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(HISTORY_COLUMNS))

    def snapshot(self, version_id: int) -> pd.DataFrame:
        """Return the register as it was saved in a version."""
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(self.versions.c.snapshot).where(self.versions.c.version_id == version_id)
            ).scalar()
        if text is None:
            raise UnknownVersionError(f"There is no version {version_id} in the history.")
        return coerce_register(pd.DataFrame(json.loads(text), columns=list(REGISTER_COLUMNS)))

    def restore(self, version_id: int, reason: str) -> int:
        """Make an earlier version the current register (recorded as a new version)."""
        reg = self.snapshot(version_id)
        return self.save(
            reg, reason or f"Restored version {version_id}", action=f"restore:{version_id}"
        )

    def current_version(self) -> int:
        """Return the version id of the register in force (it changes on every save)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.max(self.versions.c.version_id))).scalar() or 0
            )

    # --- footprints (LSOA -> LCP lookups uploaded for everyone) ----------------------------------
    def footprints_version(self) -> int:
        """Return the id of the footprint lookup in force; 0 means the project's default."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(sa.func.max(self.footprints.c.version_id)).where(self.footprints.c.active)
            ).scalar()
        return int(found or 0)

    def save_footprints(self, lookup: pd.DataFrame, reason: str) -> int:
        """Put a validated LSOA -> LCP lookup in force for everyone; return its version id."""
        if not str(reason or "").strip():
            raise RegisterStoreError("Give a reason for the change (it is kept in the history).")
        text = lookup.to_json(orient="records", force_ascii=False)
        with self.engine.begin() as conn:
            conn.execute(sa.update(self.footprints).values(active=False))
            result = conn.execute(
                sa.insert(self.footprints).values(
                    created_at=_now(), reason=reason.strip(), lookup=text, active=True
                )
            )
        return int(result.inserted_primary_key[0])

    def reset_footprints(self) -> None:
        """Go back to the project's default footprints (uploaded lookups stay in the history)."""
        with self.engine.begin() as conn:
            conn.execute(sa.update(self.footprints).values(active=False))

    def load_footprints(self, version_id: int) -> pd.DataFrame | None:
        """Return an uploaded lookup by version id (None for 0, the default)."""
        if not version_id:
            return None
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(self.footprints.c.lookup).where(
                    self.footprints.c.version_id == version_id
                )
            ).scalar()
        if text is None:
            raise UnknownVersionError(f"There is no footprint lookup version {version_id}.")
        return pd.read_json(io.StringIO(text), orient="records", dtype=str)

    # --- scenarios (site planner) ----------------------------------------------------------------
    def save_scenario(self, name: str, payload_json: str) -> None:
        """Save or overwrite a named scenario (any JSON text)."""
        name = str(name or "").strip()
        if not name:
            raise RegisterStoreError("Give the scenario a name.")
        try:
            json.loads(payload_json)
        except (TypeError, ValueError) as err:
            raise RegisterStoreError(f"Scenario '{name}' is not valid JSON: {err}") from err
        with self.engine.begin() as conn:
            conn.execute(sa.delete(self.scenarios).where(self.scenarios.c.name == name))
            conn.execute(
                sa.insert(self.scenarios).values(name=name, payload=payload_json, updated_at=_now())
            )

    def list_scenarios(self) -> pd.DataFrame:
        """Return saved scenarios (name, updated_at), newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(self.scenarios.c.name, self.scenarios.c.updated_at).order_by(
                    self.scenarios.c.updated_at.desc(), self.scenarios.c.name
                )
            ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["name", "updated_at"])

    def load_scenario(self, name: str) -> str:
        """Return a saved scenario's JSON text."""
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(self.scenarios.c.payload).where(self.scenarios.c.name == name)
            ).scalar()
        if text is None:
            raise UnknownScenarioError(f"There is no saved scenario called '{name}'.")
        return text

    def delete_scenario(self, name: str) -> None:
        """Delete a saved scenario (no error if it does not exist)."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(self.scenarios).where(self.scenarios.c.name == name))

    def dispose(self) -> None:
        """Close pooled connections (tests, shutdown)."""
        self.engine.dispose()
