"""Checks on the built LSOA table: complete, unique, in range, in the right CRS."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from data import artefacts
from utils import constants as c


@pytest.fixture(scope="module")
def lsoas(built_dir) -> gpd.GeoDataFrame:
    return artefacts.read_lsoas(built_dir)


def test_all_488_leeds_lsoas_are_present_once(lsoas):
    assert len(lsoas) == c.LEEDS_LSOA21_COUNT
    assert lsoas[c.LSOA].is_unique
    assert lsoas[c.LSOA].str.match(r"^E01\d{6}$").all()


def test_iod2025_scores_and_deciles_are_complete_and_in_range(lsoas):
    score_cols = [c.IMD_SCORE, *[f"{k}_score" for k in c.DOMAINS]]
    assert not lsoas[score_cols].isna().any().any()
    for col in [c.IMD_DECILE, *[f"{k}_decile" for k in c.DOMAINS]]:
        assert lsoas[col].between(1, 10).all(), col
    assert lsoas[c.IMD_RANK].between(1, c.ENGLAND_LSOA21_COUNT).all()


def test_known_values_match_the_official_files(lsoas):
    # Spot checks against File 7 and the PROVENANCE totals (Leeds: 820,802 people, 170,284 aged 60+).
    assert int(lsoas[c.POP_TOTAL].sum()) == 820_802
    assert int(lsoas[c.POP_60PLUS].sum()) == 170_284
    row = lsoas.set_index(c.LSOA).loc["E01011264"]
    assert row[c.IMD_SCORE] == pytest.approx(17.003) and row[c.IMD_RANK] == 17269


def test_geometry_is_valid_wgs84_and_covers_leeds(lsoas):
    assert lsoas.crs.to_epsg() == 4326
    assert lsoas.geometry.is_valid.all() and not lsoas.geometry.is_empty.any()
    area_km2 = lsoas.to_crs(c.CRS_BNG).area.sum() / 1e6
    assert 540 < area_km2 < 560  # Leeds is about 552 km2


def test_population_weighted_centres_fall_inside_their_lsoa(lsoas):
    bng = lsoas.to_crs(c.CRS_BNG)
    pts = shapely.points(bng[c.PWC_X].to_numpy(), bng[c.PWC_Y].to_numpy())
    inside = shapely.contains(bng.geometry.values, pts) | (
        shapely.distance(bng.geometry.values, pts) < 1
    )
    assert inside.all()
    assert (lsoas[c.PWC_N_POSTCODES] > 0).all()


def test_2019_ranks_and_iuc_groups_reach_every_2021_lsoa(lsoas):
    assert not lsoas[[c.IMD2019_RANK, c.IUC_GROUP_CD, c.HH_DEPRIVED_2PLUS_PCT]].isna().any().any()
    assert lsoas[c.IMD_PCT_CHANGE].between(-1, 1).all()
    assert int(lsoas[c.IUC_EXCLUDED].sum()) > 100


def test_map_shapes_are_small_and_keep_every_lsoa(built_dir, lsoas):
    shapes = artefacts.read_lsoa_map_shapes(built_dir)
    assert set(shapes[c.LSOA]) == set(lsoas[c.LSOA])
    assert shapes.geometry.is_valid.all()
    assert shapely.get_num_coordinates(shapes.geometry.values).sum() < 12_000


def test_postcodes_have_bng_coordinates_inside_the_leeds_bounding_box(built_dir):
    pcs = artefacts.read_postcodes(built_dir)
    leeds = pcs[pcs[c.IN_LEEDS]]
    assert leeds[c.POSTCODE].is_unique
    assert np.all((leeds[c.X] > 410_000) & (leeds[c.X] < 450_000))
    assert "LS15 7JY" in set(leeds[c.POSTCODE])


def test_build_fails_loudly_when_a_source_is_missing(tmp_path):
    from data.build import build_all
    from data.sources import MissingSourceError

    with pytest.raises(MissingSourceError, match="MHCLG"):
        build_all(src=tmp_path, out=tmp_path / "out")
