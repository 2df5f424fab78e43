"""Shared pytest fixtures: where the real source data and the built artefacts live."""

from pathlib import Path

import pytest

from data.sources import build_dir as _build_dir
from data.sources import source_dir as _source_dir


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The folder of real open source data (../shared/data unless HUB_COVERAGE_DATA says otherwise)."""
    path = _source_dir()
    if not path.is_dir():
        pytest.fail(f"Source data folder {path} is missing; set HUB_COVERAGE_DATA.")
    return path


@pytest.fixture(scope="session")
def built_dir() -> Path:
    """The built artefacts folder, built on demand if missing."""
    path = _build_dir()
    if not (path / "lsoas.parquet").exists() or not (path / "demand_postcodes.parquet").exists():
        from data.build import build_all

        build_all()
    return path
