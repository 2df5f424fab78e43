"""The hub register's working copy in a database (SQLite by default), with history and restore.

Settings
--------
HUB_COVERAGE_DB
    A SQLAlchemy URL (``postgresql+psycopg://…``, ``sqlite:///…``) or a plain file path for SQLite.
    Default: ``var/hub_register.sqlite`` (gitignored; outside ``data/build/`` so rebuilding the
    data or ``make clean`` never touches user edits).

The CSV (data/hubs.csv) is the import/export format; the database is the working copy. On first
start an empty database is seeded from the CSV. Every save writes the new register *and* a
history row with a full JSON snapshot in one transaction, so a crash or a failed write leaves the
previous register in place and any version can be restored. The store checks the shape of a
register (columns, unique ids); the domain rules live in ``utils.hubs.validate_register`` and must
be applied by the caller first (or passed as ``check`` to :meth:`RegisterStore.update`).

Concurrency (several sessions, several app servers on one database)
    Every write transaction starts by updating the single ``register_state`` row, which takes
    that row's lock on PostgreSQL and the write lock on SQLite, so writers queue instead of
    overwriting each other. Adding or closing a hub is applied to the latest register inside that
    transaction (:meth:`update`). A whole-register save (edit in place, upload, restore,
    footprints) passes ``expected_version``, the version the user started from; if anyone saved
    since, nothing is written and :class:`RegisterConflictError` lists what was saved meanwhile.
    Version ids and ``HUB-nnnn`` ids come from counters in that row: they only ever go up (also
    after a close, a restore or a backup restore), so an id is never given to a second hub.

Faults
    A SQLite database that cannot be read (corrupt), is read-only, or is missing although a marker
    beside it (``<file>.marker.json``, written once the database holds a register) says it had a
    history raises :class:`RegisterUnavailableError` or opens read-only, with one message that names
    the file and what to do. A missing database is never re-seeded while its marker exists: delete
    the marker to start again from data/hubs.csv, or restore a backup
    (``python -m data.register restore FILE``).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from utils.constants import HUB_ID, HUB_LAT, HUB_LON, HUB_SAMPLE
from utils.hubs import REGISTER_COLUMNS, TEXT_COLUMNS, coerce_register, read_register_file

DB_ENV = "HUB_COVERAGE_DB"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "var" / "hub_register.sqlite"
LEGACY_DB_PATH = REPO_ROOT / "data" / "build" / "hub_register.sqlite"
DEFAULT_SEED_CSV = REPO_ROOT / "data" / "hubs.csv"
BACKUP_FORMAT = "hub-coverage-register-backup"
RESTORE_HINT = "python -m data.register restore BACKUP.json"

HISTORY_COLUMNS = ("version_id", "created_at", "action", "reason", "summary", "n_hubs")
_HUB_NUMBER = re.compile(r"^HUB-(\d+)$")


class RegisterStoreError(RuntimeError):
    """The register could not be saved, loaded or restored."""


class UnknownVersionError(RegisterStoreError):
    """No history row with that version id."""


class UnknownScenarioError(RegisterStoreError):
    """No saved scenario with that name."""


class RegisterUnavailableError(RegisterStoreError):
    """The database cannot be used at all (corrupt, or missing although it had a history)."""


class RegisterReadOnlyError(RegisterStoreError):
    """The database can be read but not written; saving is off."""


class RegisterConflictError(RegisterStoreError):
    """Someone saved since the version this change was made on; nothing was written.

    Attributes
    ----------
    expected : int
        The version the change was made on.
    current : int
        The version in force now.
    since : pandas.DataFrame
        What was saved meanwhile (history rows, oldest first; or footprint versions).
    """

    def __init__(self, message: str, expected: int, current: int, since: pd.DataFrame) -> None:
        super().__init__(message)
        self.expected, self.current, self.since = expected, current, since


def adopt_legacy_database(path: Path = DEFAULT_DB_PATH, legacy: Path = LEGACY_DB_PATH) -> bool:
    """Copy a register database from its old home in data/build/ to var/ (once, if var/ has none).

    Earlier versions kept it in the build folder, where ``make clean`` would delete it.
    """
    if path.exists() or not legacy.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(legacy, path)
    return True


def database_url(value: str | os.PathLike | None = None) -> str:
    """Return a SQLAlchemy URL from a URL, a file path, $HUB_COVERAGE_DB or the default path."""
    if value is None and not os.environ.get(DB_ENV):
        adopt_legacy_database()
    value = value if value is not None else os.environ.get(DB_ENV) or DEFAULT_DB_PATH
    text = str(value)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (also ``sqlite:///file:…?uri=true``); None otherwise."""
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    name = parsed.database
    if name == ":memory:" or "mode=memory" in url:
        return None
    if name.startswith("file:"):
        name = name[len("file:") :]
    return Path(name)


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


def _hub_numbers(ids: object) -> list[int]:
    return [int(m.group(1)) for i in ids if i is not None and (m := _HUB_NUMBER.match(str(i)))]


def _reason_or_raise(reason: str) -> str:
    if not str(reason or "").strip():
        raise RegisterStoreError("Give a reason for the change (it is kept in the history).")
    return str(reason).strip()


class RegisterStore:
    """Working copy of the hub register with versioned history and saved scenarios.

    Parameters
    ----------
    url : str or path, optional
        SQLAlchemy URL or SQLite file path; default $HUB_COVERAGE_DB or var/hub_register.sqlite.
    seed_csv : path, optional
        Register CSV used to seed an empty database (default data/hubs.csv).
    seed : bool
        Seed an empty database from ``seed_csv`` (False: leave it empty, e.g. before a restore;
        this also skips the missing-database check).

    Attributes
    ----------
    read_only_reason : str or None
        Why saving is off (a read-only database, or a fallback copy); None when writable.

    Raises
    ------
    RegisterUnavailableError
        The database is corrupt, or missing although its marker says it had a history.

    Examples
    --------
    >>> store = RegisterStore("sqlite://")  # in memory, seeded from data/hubs.csv
    >>> version = store.save(store.load(), reason="No change, just testing")
    """

    def __init__(
        self,
        url: str | os.PathLike | None = None,
        seed_csv: str | os.PathLike | None = None,
        *,
        seed: bool = True,
    ) -> None:
        self.url = database_url(url)
        self.seed_csv = Path(seed_csv) if seed_csv is not None else DEFAULT_SEED_CSV
        self.path = sqlite_file(self.url)
        self.read_only_reason: str | None = None
        if seed and self.path is not None and not self.path.exists() and self.marker.exists():
            raise RegisterUnavailableError(self._missing_message())
        kwargs: dict = {}
        if self.url.startswith("sqlite"):
            # Streamlit serves sessions from several threads; writers wait for the lock.
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if self.path is None:
                kwargs["poolclass"] = sa.pool.StaticPool
        self.engine: Engine = sa.create_engine(self.url, **kwargs)
        self._define_tables()
        try:
            self._create_tables()
            self._init_state(seed)
        except RegisterStoreError:
            self.engine.dispose()
            raise
        except sa.exc.DBAPIError as err:
            if self._is_read_only(err):
                self.read_only_reason = self._read_only_message(err)
            else:
                self.engine.dispose()
                raise RegisterUnavailableError(self._unreadable_message(err)) from err
        if self.read_only_reason is None:
            self._probe_write()
        if self.read_only_reason is not None:
            try:
                self.current_version()
            except sa.exc.DBAPIError as err:
                self.engine.dispose()
                raise RegisterUnavailableError(self._unreadable_message(err)) from err
        self._write_marker()

    @classmethod
    def fallback(cls, reason: str, seed_csv: str | os.PathLike | None = None) -> RegisterStore:
        """An in-memory, read-only copy seeded from the CSV, for when the database is unusable."""
        store = cls("sqlite://", seed_csv=seed_csv)
        store.read_only_reason = reason
        return store

    # --- schema ------------------------------------------------------------------------------
    def _define_tables(self) -> None:
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
            sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=False),
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
            sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("lookup", sa.Text, nullable=False),
            sa.Column("active", sa.Boolean, nullable=False),
        )
        # One row: the write lock every writer takes first, and the id counters (only go up).
        self.state = sa.Table(
            "register_state",
            self.meta,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("last_version", sa.Integer, nullable=False),
            sa.Column("last_footprints", sa.Integer, nullable=False),
            sa.Column("next_hub", sa.Integer, nullable=False),
            sa.Column("touched_at", sa.String(32), nullable=False),
        )

    def _create_tables(self) -> None:
        # Two servers starting on one empty PostgreSQL database may race to create the tables.
        for attempt in range(5):
            try:
                self.meta.create_all(self.engine)
                return
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as err:
                if attempt == 4 or self._is_read_only(err):
                    raise
                time.sleep(0.2 * (attempt + 1))

    def _init_state(self, seed: bool) -> None:
        with self.engine.connect() as conn:
            have = conn.execute(sa.select(self.state.c.id)).first()
        if have is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        sa.insert(self.state).values(
                            id=1, last_version=0, last_footprints=0, next_hub=1, touched_at=_now()
                        )
                    )
            except sa.exc.IntegrityError:
                pass  # another server made it first
        if not seed:
            return
        with self.engine.connect() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(self.versions)).scalar():
                return
        if not self.seed_csv.exists():
            raise RegisterStoreError(
                f"The database is empty and the seed register {self.seed_csv} is missing."
            )
        seed_df = coerce_register(
            read_register_file(self.seed_csv.read_bytes(), self.seed_csv.name)
        )
        with self._locked(check_writable=False) as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(self.versions)).scalar():
                return  # another server seeded it meanwhile
            self._write(conn, self._check(seed_df), "seed", f"Seeded from {self.seed_csv.name}")

    def _probe_write(self) -> None:
        """Find out now, not at the first save, whether the database takes writes."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    sa.update(self.state).where(self.state.c.id == 1).values(touched_at=_now())
                )
        except sa.exc.DBAPIError as err:
            if not self._is_read_only(err):
                raise RegisterUnavailableError(self._unreadable_message(err)) from err
            self.read_only_reason = self._read_only_message(err)

    # --- fault messages ------------------------------------------------------------------------
    @property
    def marker(self) -> Path:
        """File beside a SQLite database saying it holds a register (see the module docstring)."""
        path = self.path or Path(os.devnull)
        return path.with_name(path.name + ".marker.json")

    @property
    def location(self) -> str:
        """The database file, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def _write_marker(self) -> None:
        if self.path is None or self.read_only_reason is not None:
            return
        try:
            version = self.current_version()
            if version:
                self.marker.write_text(
                    json.dumps({"database": str(self.path), "version": version, "at": _now()}),
                    encoding="utf-8",
                )
        except (OSError, sa.exc.DBAPIError):
            pass  # the marker is a safety net; the save itself succeeded

    @staticmethod
    def _is_read_only(err: Exception) -> bool:
        text = str(getattr(err, "orig", err)).lower()
        return any(s in text for s in ("readonly", "read-only", "read only", "permission denied"))

    def _missing_message(self) -> str:
        try:
            last = json.loads(self.marker.read_text(encoding="utf-8"))
            had = f"version {last.get('version')}, {last.get('at')}"
        except (OSError, ValueError):
            had = "see the marker"
        return (
            f"The register database {self.path} is missing, but {self.marker} shows it held the "
            f"register and its history ({had}). Nothing was re-seeded, so no history is "
            f"overwritten; the app shows the default register read-only. Put the file back, or "
            f"restore a backup with `{RESTORE_HINT}`; to start again from {self.seed_csv.name} "
            f"delete {self.marker}. Then restart the app."
        )

    def _unreadable_message(self, err: Exception) -> str:
        detail = str(getattr(err, "orig", err)).splitlines()[0][:200]
        return (
            f"The register database {self.location} cannot be read ({detail}). The app shows the "
            f"default register read-only and saving is off. "
            + (
                f"Move the damaged file aside and restore a backup with `{RESTORE_HINT}`"
                if self.path is not None
                else f"Check that the database server is running and that {DB_ENV} points at it "
                f"(or restore a backup into a new database with `{RESTORE_HINT}`)"
            )
            + ", then restart the app."
        )

    def _read_only_message(self, err: Exception) -> str:
        detail = str(getattr(err, "orig", err)).splitlines()[0][:200]
        return (
            f"The register database {self.location} is read-only ({detail}): the app shows it, "
            f"but saving is off. Make the file and its folder writable for the app's user (or "
            f"grant write access on the database), then restart the app."
        )

    # --- transactions ----------------------------------------------------------------------------
    @contextmanager
    def _locked(self, check_writable: bool = True) -> Iterator[sa.Connection]:
        """A write transaction holding the state row's lock (taken by the first statement)."""
        if check_writable:
            self._assert_writable()
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    sa.update(self.state).where(self.state.c.id == 1).values(touched_at=_now())
                )
                yield conn
        except sa.exc.DBAPIError as err:
            if self._is_read_only(err):
                self.read_only_reason = self._read_only_message(err)
            raise RegisterStoreError(
                f"Saving to the database failed; nothing was changed ({err.orig})."
            ) from err
        except sa.exc.SQLAlchemyError as err:
            raise RegisterStoreError(
                f"Saving to the database failed; nothing was changed ({err})."
            ) from err

    def _assert_writable(self) -> None:
        if self.read_only_reason is not None:
            raise RegisterReadOnlyError(self.read_only_reason)
        if self.path is not None and not self.path.exists():
            self.read_only_reason = self._missing_message()
            raise RegisterReadOnlyError(self.read_only_reason)

    def _state(self, conn: sa.Connection) -> sa.Row:
        return conn.execute(sa.select(self.state).where(self.state.c.id == 1)).one()

    def _latest_version(self, conn: sa.Connection) -> int:
        return int(conn.execute(sa.select(sa.func.max(self.versions.c.version_id))).scalar() or 0)

    def _current(self, conn: sa.Connection) -> pd.DataFrame:
        rows = conn.execute(sa.select(self.hubs).order_by(self.hubs.c.position)).mappings().all()
        return coerce_register(
            pd.DataFrame([dict(r) for r in rows], columns=list(REGISTER_COLUMNS))
        )

    @staticmethod
    def _check(df: pd.DataFrame) -> pd.DataFrame:
        """Shape checks; blank ids are allowed (the database gives them fresh ids)."""
        missing = [c for c in REGISTER_COLUMNS if c not in df.columns]
        if missing:
            raise RegisterStoreError(f"The register lacks column(s): {', '.join(missing)}.")
        reg = coerce_register(df)
        ids = reg[HUB_ID].dropna()
        dupes = sorted(set(ids[ids.duplicated()]))
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
        """Replace the register and add a history row; give blank ids fresh HUB-nnnn ids."""
        state = self._state(conn)
        reg = reg.copy()
        blank = reg[HUB_ID].isna()
        next_hub = max(int(state.next_hub), max(_hub_numbers(reg[HUB_ID]), default=0) + 1)
        if blank.any():
            n = int(blank.sum())
            reg.loc[blank, HUB_ID] = [f"HUB-{i:04d}" for i in range(next_hub, next_hub + n)]
            next_hub += n
        old = self._current(conn)
        summary = self._summary(old, reg) if action != "seed" else f"{len(reg)} hubs"
        records = _records(reg)
        version = max(int(state.last_version), self._latest_version(conn)) + 1
        conn.execute(sa.delete(self.hubs))
        if records:
            conn.execute(
                sa.insert(self.hubs), [{**r, "position": i} for i, r in enumerate(records)]
            )
        conn.execute(
            sa.insert(self.versions).values(
                version_id=version,
                created_at=_now(),
                action=action,
                reason=reason,
                summary=summary,
                n_hubs=len(records),
                snapshot=json.dumps(records, ensure_ascii=False),
            )
        )
        conn.execute(
            sa.update(self.state)
            .where(self.state.c.id == 1)
            .values(last_version=version, next_hub=next_hub)
        )
        return version

    def _history_since(self, conn: sa.Connection, version: int) -> pd.DataFrame:
        cols = [self.versions.c[c] for c in HISTORY_COLUMNS]
        rows = conn.execute(
            sa.select(*cols)
            .where(self.versions.c.version_id > version)
            .order_by(self.versions.c.version_id)
        ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(HISTORY_COLUMNS))

    def _expect(self, conn: sa.Connection, expected: int | None) -> None:
        if expected is None:
            return
        current = self._latest_version(conn)
        if current != int(expected):
            since = self._history_since(conn, int(expected))
            raise RegisterConflictError(
                f"The register was saved by someone else since you started (version "
                f"{expected} → {current}); your change was not saved.",
                int(expected),
                current,
                since,
            )

    def _saved(self, version: int) -> int:
        self._write_marker()
        return version

    # --- register ------------------------------------------------------------------------------
    def load(self) -> pd.DataFrame:
        """Return the current register (stored columns, in saved order)."""
        with self.engine.connect() as conn:
            return self._current(conn)

    def save(
        self,
        df: pd.DataFrame,
        reason: str,
        action: str = "save",
        expected_version: int | None = None,
    ) -> int:
        """Replace the register and record a history row, all in one transaction.

        Parameters
        ----------
        df : pandas.DataFrame
            The full new register (already validated with ``utils.hubs.validate_register``).
            Rows with a blank ``hub_id`` get fresh ``HUB-nnnn`` ids from the database.
        reason : str
            Free-text reason shown in the history; must not be blank.
        action : str
            Short label for the history ("save", "upload", "edit", …).
        expected_version : int, optional
            The version the new register was made from; if the register has moved on since,
            nothing is written and :class:`RegisterConflictError` is raised.

        Returns
        -------
        int
            The new version id.

        Raises
        ------
        RegisterStoreError
            If the reason is blank, the register is malformed, the database is read-only, the
            register changed since ``expected_version`` or the write fails (the previous
            register is then unchanged).
        """
        reason = _reason_or_raise(reason)
        reg = self._check(df)
        with self._locked() as conn:
            self._expect(conn, expected_version)
            version = self._write(conn, reg, action, reason)
        return self._saved(version)

    def update(
        self,
        change: Callable[[pd.DataFrame], pd.DataFrame],
        reason: str,
        action: str,
        check: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    ) -> int:
        """Apply a change to the latest register inside one transaction (add or close a hub).

        Parameters
        ----------
        change : callable
            Takes the register in force (read under the write lock) and returns the new one.
        reason, action : str
            As for :meth:`save`.
        check : callable, optional
            Validates the changed register and returns it in stored form; raises
            ``RegisterStoreError`` to refuse (nothing is written).

        Returns
        -------
        int
            The new version id.
        """
        reason = _reason_or_raise(reason)
        with self._locked() as conn:
            new = change(self._current(conn))
            if check is not None:
                new = check(new)
            version = self._write(conn, self._check(new), action, reason)
        return self._saved(version)

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

    def restore(self, version_id: int, reason: str, expected_version: int | None = None) -> int:
        """Make an earlier version the current register (recorded as a new version)."""
        reg = self.snapshot(version_id)
        return self.save(
            reg,
            reason or f"Restored version {version_id}",
            action=f"restore:{version_id}",
            expected_version=expected_version,
        )

    def current_version(self) -> int:
        """Return the version id of the register in force (it changes on every save)."""
        with self.engine.connect() as conn:
            return self._latest_version(conn)

    # --- footprints (LSOA -> LCP lookups uploaded for everyone) ----------------------------------
    def _footprints_in_force(self, conn: sa.Connection) -> int:
        found = conn.execute(
            sa.select(sa.func.max(self.footprints.c.version_id)).where(self.footprints.c.active)
        ).scalar()
        return int(found or 0)

    def footprints_version(self) -> int:
        """Return the id of the footprint lookup in force; 0 means the project's default."""
        with self.engine.connect() as conn:
            return self._footprints_in_force(conn)

    def _expect_footprints(self, conn: sa.Connection, expected: int | None) -> None:
        if expected is None:
            return
        current = self._footprints_in_force(conn)
        if current != int(expected):
            fp = self.footprints.c
            rows = conn.execute(
                sa.select(fp.version_id, fp.created_at, fp.reason).where(fp.version_id == current)
            ).all()
            since = pd.DataFrame(
                [(v, t, "footprints", r, f"lookup version {v} in force", None) for v, t, r in rows]
                or [(0, "", "footprints", "", "the project's default lookup in force", None)],
                columns=list(HISTORY_COLUMNS),
            )
            raise RegisterConflictError(
                f"The footprints were changed by someone else since you started (version "
                f"{expected} → {current}); your change was not saved.",
                int(expected),
                current,
                since,
            )

    def save_footprints(
        self, lookup: pd.DataFrame, reason: str, expected_version: int | None = None
    ) -> int:
        """Put a validated LSOA -> LCP lookup in force for everyone; return its version id.

        ``expected_version`` is the footprints version the user started from (see :meth:`save`).
        """
        reason = _reason_or_raise(reason)
        text = lookup.to_json(orient="records", force_ascii=False)
        with self._locked() as conn:
            self._expect_footprints(conn, expected_version)
            state = self._state(conn)
            top = conn.execute(sa.select(sa.func.max(self.footprints.c.version_id))).scalar()
            version = max(int(state.last_footprints), int(top or 0)) + 1
            conn.execute(sa.update(self.footprints).values(active=False))
            conn.execute(
                sa.insert(self.footprints).values(
                    version_id=version, created_at=_now(), reason=reason, lookup=text, active=True
                )
            )
            conn.execute(
                sa.update(self.state).where(self.state.c.id == 1).values(last_footprints=version)
            )
        return version

    def reset_footprints(self, expected_version: int | None = None) -> None:
        """Go back to the project's default footprints (uploaded lookups stay in the history)."""
        with self._locked() as conn:
            self._expect_footprints(conn, expected_version)
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
        with self._locked() as conn:
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
        with self._locked() as conn:
            conn.execute(sa.delete(self.scenarios).where(self.scenarios.c.name == name))

    # --- backup and restore of everything (python -m data.register) -----------------------------
    def export_all(self) -> dict:
        """The whole store as JSON-ready data: register, history, footprints, scenarios, counters."""
        with self.engine.connect() as conn:
            state = self._state(conn)
            tables = {
                name: [dict(r) for r in conn.execute(sa.select(table)).mappings().all()]
                for name, table in (
                    ("versions", self.versions),
                    ("footprints", self.footprints),
                    ("scenarios", self.scenarios),
                )
            }
            hubs = _records(self._current(conn))
        return {
            "format": BACKUP_FORMAT,
            "format_version": 1,
            "exported_at": _now(),
            "source": self.location,
            "current_version": max((v["version_id"] for v in tables["versions"]), default=0),
            "counters": {
                "last_version": int(state.last_version),
                "last_footprints": int(state.last_footprints),
                "next_hub": int(state.next_hub),
            },
            "hubs": hubs,
            **tables,
        }

    def import_all(self, backup: dict, replace: bool = False) -> int:
        """Replace everything with a backup from :meth:`export_all`; return the version in force.

        Refuses to overwrite a database that has a history unless ``replace``. Counters never go
        backwards: a later save gets a version and hub ids above both the backup's and the
        database's, so no id in a running server's caches or the old history is reused.
        """
        if not isinstance(backup, dict) or backup.get("format") != BACKUP_FORMAT:
            raise RegisterStoreError(
                "This file is not a register backup (python -m data.register backup)."
            )
        versions = backup.get("versions") or []
        if not versions:
            raise RegisterStoreError("The backup holds no register versions.")
        counters = backup.get("counters") or {}
        with self._locked() as conn:
            state = self._state(conn)
            if self._latest_version(conn) and not replace:
                raise RegisterStoreError(
                    f"The database {self.location} already holds a register with history; "
                    "restore with --replace to overwrite it (back it up first)."
                )
            for table in (self.hubs, self.versions, self.footprints, self.scenarios):
                conn.execute(sa.delete(table))
            conn.execute(sa.insert(self.versions), versions)
            if backup.get("footprints"):
                conn.execute(sa.insert(self.footprints), backup["footprints"])
            if backup.get("scenarios"):
                conn.execute(sa.insert(self.scenarios), backup["scenarios"])
            hubs = backup.get("hubs") or []
            if hubs:
                conn.execute(
                    sa.insert(self.hubs), [{**r, "position": i} for i, r in enumerate(hubs)]
                )
            every_id = [r.get(HUB_ID) for v in versions for r in json.loads(v["snapshot"])]
            conn.execute(
                sa.update(self.state)
                .where(self.state.c.id == 1)
                .values(
                    last_version=max(
                        int(state.last_version),
                        int(counters.get("last_version", 0)),
                        max(int(v["version_id"]) for v in versions),
                    ),
                    last_footprints=max(
                        int(state.last_footprints),
                        int(counters.get("last_footprints", 0)),
                        max(
                            (int(f["version_id"]) for f in backup.get("footprints") or []),
                            default=0,
                        ),
                    ),
                    next_hub=max(
                        int(state.next_hub),
                        int(counters.get("next_hub", 1)),
                        max(_hub_numbers(every_id), default=0) + 1,
                    ),
                )
            )
            # A version of its own, above every id used before, so caches keyed by the version
            # in running servers cannot show an older register under a reused number.
            version = self._write(
                conn,
                self._current(conn),
                "backup-restore",
                f"Restored the backup of {backup.get('source', '?')} exported "
                f"{backup.get('exported_at', '?')}",
            )
        return self._saved(version)

    def dispose(self) -> None:
        """Close pooled connections (tests, shutdown)."""
        self.engine.dispose()
