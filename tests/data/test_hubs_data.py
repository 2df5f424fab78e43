"""Checks on the default hub register (data/hubs.csv) against real postcodes, LSOAs and footprints."""

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.footprints import validate_footprints
from utils.constants import (
    HUB_CLOSED,
    HUB_ID,
    HUB_NAME,
    HUB_ORG,
    HUB_POSTCODE,
    HUB_SAMPLE,
    HUB_SOURCE,
    LCP,
    LSOA,
    WARD,
)
from utils.hubs import OPENED_DATE, open_on, read_register_file, validate_register

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def footprints(shared_data_dir) -> pd.DataFrame:
    codes = pd.read_csv(shared_data_dir / "leeds_lsoa2021_msoa_ward_lookup.csv")["LSOA21CD"]
    fp, errors = validate_footprints(
        pd.read_csv(ROOT / "data" / "footprints" / "lsoa21_lcp.csv", dtype=str), codes
    )
    assert errors == []
    return fp


@pytest.fixture(scope="module")
def hubs(built_dir, footprints) -> pd.DataFrame:
    raw = read_register_file((ROOT / "data" / "hubs.csv").read_bytes(), "hubs.csv")
    postcodes = pd.read_parquet(built_dir / "postcodes.parquet")
    lsoas = gpd.read_parquet(built_dir / "lsoas.parquet")
    valid, errors = validate_register(raw, postcodes, lsoas, date.today(), footprints=footprints)
    assert errors == [], [str(e) for e in errors]
    assert len(valid) == len(raw)
    return valid


def test_default_register_has_60_to_80_hubs_with_unique_ids(hubs):
    assert 60 <= len(hubs) <= 80
    assert hubs[HUB_ID].is_unique


def test_each_default_hub_is_in_exactly_one_lsoa_ward_and_lcp(hubs, footprints):
    assert hubs[LSOA].notna().all() and hubs[WARD].notna().all() and hubs[LCP].notna().all()
    lcp_of = footprints.set_index(LSOA)[LCP]
    assert (hubs[LSOA].map(lcp_of) == hubs[LCP]).all()


def test_the_one_real_hub_is_cross_gates_and_not_a_sample(hubs):
    real = hubs[~hubs[HUB_SAMPLE]]
    assert len(real) == 1
    row = real.iloc[0]
    assert row[HUB_NAME] == "Cross Gates and District Good Neighbours"
    assert row[HUB_POSTCODE] == "LS15 7JY" and row[LCP] == "Cross Gates"
    assert row[HUB_SOURCE].startswith("https://digitalinclusionleeds.com")


def test_sample_hubs_say_they_are_illustrative(hubs):
    sample = hubs[hubs[HUB_SAMPLE]]
    assert sample[HUB_NAME].str.startswith("Sample hub — ").all()
    assert sample[HUB_ORG].str.contains("Illustrative").all()
    assert sample[HUB_SOURCE].str.startswith("Illustrative sample").all()


def test_sample_hub_names_match_the_footprint_they_sit_in(hubs):
    sample = hubs[hubs[HUB_SAMPLE]]
    area = sample[HUB_NAME].str.replace(r"^Sample hub — (.+) \d+$", r"\1", regex=True)
    assert (area == sample[LCP].str.removeprefix("Provisional: ")).all()


def test_sample_follows_the_public_milestones(hubs):
    assert open_on(hubs, date(2022, 8, 31)).sum() == 26
    bm = hubs[hubs[LCP] == "Beeston and Middleton"]
    assert len(bm) == 16 and bm[HUB_CLOSED].isna().all()
    york = hubs[hubs[LCP] == "York Road"]
    first_bm = bm.sort_values(OPENED_DATE).head(5)
    assert first_bm[OPENED_DATE].max() < york[OPENED_DATE].min()
    assert (york[OPENED_DATE] < pd.Timestamp("2022-08-01")).sum() == 10
    wave_one = hubs[hubs[OPENED_DATE] >= pd.Timestamp("2022-10-01")]
    first_wave = wave_one[wave_one[OPENED_DATE] < pd.Timestamp("2023-05-01")]
    assert {"HATCH", "Woodsley and Holt Park", "Central", "Morley and District"} <= set(
        first_wave[LCP]
    )
    assert hubs[OPENED_DATE].min() == hubs.loc[~hubs[HUB_SAMPLE], OPENED_DATE].iloc[0]


def test_sample_includes_a_closure_and_a_reopening(hubs):
    closed = hubs[hubs[HUB_CLOSED].notna()]
    assert len(closed) == 2
    reopened = hubs.groupby([HUB_NAME, HUB_POSTCODE]).size()
    assert (reopened == 2).sum() == 1


def test_every_footprint_has_at_least_one_hub(hubs, footprints):
    assert set(hubs[LCP]) == set(footprints[LCP])


def test_the_real_hubs_placeholder_date_is_marked_in_the_register_not_by_its_id(hubs):
    from utils.dates import display_date, is_placeholder
    from utils.growth import placeholder_hubs

    marked = hubs[hubs["opened"].map(is_placeholder)]
    assert marked[HUB_NAME].tolist() == ["Cross Gates and District Good Neighbours"]
    assert not marked[HUB_SAMPLE].any()
    assert display_date(marked["opened"].iloc[0]) == "date not known"
    assert placeholder_hubs(hubs) == ["Cross Gates and District Good Neighbours"]
    assert marked[OPENED_DATE].iloc[0] == pd.Timestamp("2020-01-01")  # still ordered first


def test_the_register_holds_71_hubs_in_72_rows(hubs):
    from utils.growth import hub_counts
    from utils.hubs import hub_identity

    assert len(hubs) == 72
    assert hub_identity(hubs).nunique() == hub_counts(hubs).total == 71
    assert hub_counts(hubs).real == 1
