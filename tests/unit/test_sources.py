"""Source files: a missing one says which file, from which publisher, and how to point elsewhere."""

import pytest

from data.sources import SOURCE_ENV, MissingSourceError, check_sources, source_dir, source_path


def test_missing_source_names_the_file_publisher_and_env_var(tmp_path):
    with pytest.raises(MissingSourceError) as err:
        source_path("iod2025_domains", tmp_path)
    msg = str(err.value)
    assert "iod2025_england_lsoa21_domains.csv.gz" in msg and "MHCLG" in msg and SOURCE_ENV in msg


def test_check_sources_lists_every_missing_file(tmp_path):
    assert len(check_sources(tmp_path)) >= 10


def test_source_dir_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path))
    assert source_dir() == tmp_path
