"""A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries in a temp directory.

``make test`` installs Debian's ``postgresql`` when missing. Without it (or when the server does
not start) the tests that need it skip locally, but fail under CI (``CI=true``): a concurrency
proof that silently did not run is no proof.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in found:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unavailable(reason: str, folder: Path | None = None) -> None:
    """Fail under CI, skip elsewhere (removing the server's temp folder first)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is needed for this test and {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


class PostgresServer:
    """initdb + pg_ctl start on a free port; as the ``postgres`` user when run as root."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="hubcov-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        if self.bin is None:
            unavailable("Debian `postgresql` is not installed (make test installs it).", self.dir)
        if self.user:
            shutil.chown(self.dir, self.user, self.user)
        done = self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        if done.returncode:
            unavailable(f"initdb failed: {done.stderr.strip()[-500:]}", self.dir)
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        done = self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )
        if done.returncode:
            log = (
                (self.dir / "log").read_text(errors="replace")[-800:]
                if (self.dir / "log").exists()
                else ""
            )
            unavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log}", self.dir)

    def new_database(self) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        import psycopg

        name = f"hubs_{uuid.uuid4().hex[:10]}"
        deadline = time.time() + 30
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user="postgres",
                    dbname="postgres",
                    autocommit=True,
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                break
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.bin is not None and self.data.exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
