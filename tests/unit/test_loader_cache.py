"""The one cache-key rule (data.loaders.by_versions) and building the artefacts on demand."""

from datetime import date

import pytest

from data import artefacts, loaders


@pytest.fixture
def versions(monkeypatch):
    """Register and footprints versions the test can change, as a save would."""
    now = {"register": 1, "footprints": 0}
    monkeypatch.setattr(loaders, "register_version", lambda: now["register"])
    monkeypatch.setattr(loaders, "footprints_version", lambda: now["footprints"])
    return now


def counting_loader(*keys):
    calls = []

    @loaders.by_versions(*keys)
    def load(v, x):
        calls.append((v, x))
        return len(calls)

    load.clear()
    return load, calls


def test_a_loader_is_rebuilt_when_a_version_it_depends_on_changes(versions):
    load, calls = counting_loader(loaders.REGISTER, loaders.FOOTPRINTS)
    assert load(5) == load(5) == 1
    versions["register"] = 2
    assert load(5) == 2
    versions["footprints"] = 3
    assert load(5) == 3
    assert calls[-1][0] == loaders.Versions(register=2, footprints=3, today=None)


def test_a_version_a_loader_does_not_depend_on_never_splits_its_cache(versions):
    load, calls = counting_loader(loaders.FOOTPRINTS)
    load("a")
    versions["register"] = 99  # a register save: footprint-only figures stay cached
    load("a")
    assert len(calls) == 1
    assert calls[0][0] == loaders.Versions(footprints=0)


def test_a_loaders_own_arguments_are_in_its_key(versions):
    load, calls = counting_loader(loaders.REGISTER)
    load(1), load(2), load(1)
    assert [x for _v, x in calls] == [1, 2]


def test_at_uses_the_given_versions_and_drops_those_the_loader_ignores(versions):
    load, calls = counting_loader(loaders.TODAY)
    given = loaders.Versions(register=7, footprints=8, today=date(2025, 1, 1))
    load.at(given, "x")
    assert calls[-1][0] == loaders.Versions(today=date(2025, 1, 1))


def test_current_versions_include_today(versions):
    assert loaders.current_versions() == loaders.Versions(1, 0, date.today())


def test_an_unknown_cache_key_is_refused():
    with pytest.raises(ValueError, match="Unknown cache keys"):
        loaders.by_versions("weather")


def test_build_if_missing_builds_only_an_incomplete_folder(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr(artefacts, "build_dir", lambda: tmp_path)
    monkeypatch.setattr("data.build.build_all", lambda: built.append(True))
    (tmp_path / artefacts.MANIFEST_FILE).write_text("{}")
    assert artefacts.build_if_missing() is True  # no demand file yet: an older build
    (tmp_path / artefacts.DEMAND_FILE).write_bytes(b"")
    assert artefacts.build_if_missing() is False
    assert built == [True]


def test_a_missing_artefact_says_how_to_build_it(tmp_path):
    with pytest.raises(artefacts.BuiltDataMissingError, match="python -m data.build"):
        artefacts.read_lsoas(tmp_path)
