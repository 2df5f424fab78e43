"""Back up and restore the whole register database (register, history, footprints, scenarios).

Usage::

    python -m data.register backup FILE.json              # write everything to FILE.json
    python -m data.register restore FILE.json             # into an empty or missing database
    python -m data.register restore FILE.json --replace   # overwrite a database with history

The database is $HUB_COVERAGE_DB (a SQLAlchemy URL or SQLite file), default
var/hub_register.sqlite; ``--db`` overrides it. A restore is one transaction: it either
completes or changes nothing. Counters never go backwards, so ids are not reused after a restore.
Restart the app servers after a restore so their caches and fault state are fresh.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data.register_store import RegisterStore, RegisterStoreError, database_url, sqlite_file


def backup(path: Path, db: str | None = None) -> dict:
    """Write the whole store to ``path`` as JSON; return what was written."""
    file = sqlite_file(database_url(db))
    if file is not None and not file.exists():
        raise RegisterStoreError(f"There is no register database at {file} to back up.")
    store = RegisterStore(db, seed=False)
    try:
        data = store.export_all()
    finally:
        store.dispose()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # a half-written backup never replaces a good one
    return data


def restore(path: Path, db: str | None = None, replace: bool = False) -> int:
    """Load a backup from ``path`` into the database; return the version in force."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RegisterStoreError(f"Cannot read the backup {path}: {err}") from err
    store = RegisterStore(db, seed=False)
    try:
        return store.import_all(data, replace=replace)
    finally:
        store.dispose()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["backup", "restore"])
    parser.add_argument("file", type=Path, help="backup JSON file")
    parser.add_argument("--db", default=None, help="database URL or SQLite file")
    parser.add_argument(
        "--replace", action="store_true", help="restore over a database that has a history"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            data = backup(args.file, args.db)
            print(
                f"Backed up {len(data['hubs'])} hubs, {len(data['versions'])} versions, "
                f"{len(data['footprints'])} footprint lookups and {len(data['scenarios'])} "
                f"scenarios from {data['source']} to {args.file}"
            )
        else:
            version = restore(args.file, args.db, args.replace)
            print(f"Restored {args.file}; the register in force is version {version}.")
    except RegisterStoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
