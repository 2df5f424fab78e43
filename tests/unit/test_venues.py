"""Unit tests for uploaded candidate venues (utils/venues.py): reading, validation, geocoding."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Transformer

from utils.constants import (
    CRS_BNG,
    CRS_WGS84,
    HUB_LAT,
    HUB_LON,
    HUB_NAME,
    HUB_POSTCODE,
    IN_LEEDS,
    LAT,
    LCP,
    LON,
    LSOA,
    POSTCODE,
    WARD,
    X,
    Y,
)
from utils.venues import (
    GEOCODED_FROM,
    MAX_VENUES,
    VENUE_ROW,
    VenueFileError,
    read_venues_csv,
    validate_venues,
)

_TO_BNG = Transformer.from_crs(CRS_WGS84, CRS_BNG, always_xy=True)


def _postcodes() -> pd.DataFrame:
    rows = [
        # postcode, lat, lon, in_leeds, lsoa
        ("LS15 7JY", 53.8070, -1.4500, True, "E01011345"),
        ("LS1 1AA", 53.79617, -1.55254, True, "E01033008"),
        ("LS1 1AB", 53.79609, -1.55364, True, "E01033015"),
        ("LS1 1AD", 53.79609, -1.55364, True, "E01033015"),  # same centroid as LS1 1AB
        ("WF1 1AA", 53.6830, -1.4990, False, None),
        ("LS99 9ZZ", None, None, True, None),  # a postcode without a location
    ]
    df = pd.DataFrame(rows, columns=[POSTCODE, LAT, LON, IN_LEEDS, LSOA])
    x, y = _TO_BNG.transform(df[LON].to_numpy(dtype=float), df[LAT].to_numpy(dtype=float))
    df[X], df[Y] = x, y
    df[WARD] = ["E05011400", "E05011399", "E05011399", "E05011399", None, None]
    return df


def _venues(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[HUB_NAME, HUB_POSTCODE, HUB_LAT, HUB_LON])


def _messages(errors) -> dict[int, str]:
    return {e.row: e.message for e in errors}


def test_valid_venues_are_geocoded_from_their_postcodes():
    valid, errors = validate_venues(
        _venues(("Cross Gates Library", "ls157jy", "", ""), ("City GP", "LS1 1AA", "", "")),
        _postcodes(),
    )
    assert errors == []
    assert list(valid[HUB_POSTCODE]) == ["LS15 7JY", "LS1 1AA"]
    assert list(valid[LSOA]) == ["E01011345", "E01033008"]
    assert list(valid[VENUE_ROW]) == [2, 3]
    assert (valid[GEOCODED_FROM] == "postcode").all()
    assert valid[X].between(400_000, 460_000).all()


def test_typed_coordinates_win_over_the_postcode_centroid():
    valid, errors = validate_venues(
        _venues(("Library", "LS1 1AA", "53.7965", "-1.5530")), _postcodes()
    )
    assert errors == []
    assert valid.loc[0, GEOCODED_FROM] == "coordinates"
    assert valid.loc[0, HUB_LAT] == 53.7965
    x, _ = _TO_BNG.transform(-1.5530, 53.7965)
    assert valid.loc[0, X] == pytest.approx(x)


def test_blank_name_is_reported_with_row_number():
    _, errors = validate_venues(_venues(("  ", "LS1 1AA", "", "")), _postcodes())
    assert _messages(errors) == {2: "Name is blank."}


def test_unknown_postcode_is_reported_with_row_number():
    valid, errors = validate_venues(
        _venues(("A", "LS1 1AA", "", ""), ("B", "LS2 9ZZ", "", "")), _postcodes()
    )
    assert "Unknown postcode LS2 9ZZ" in _messages(errors)[3]
    assert list(valid[HUB_NAME]) == ["A"]


def test_malformed_postcode_is_reported():
    _, errors = validate_venues(_venues(("A", "not a postcode", "", "")), _postcodes())
    assert "not a valid UK postcode" in _messages(errors)[2]


def test_blank_postcode_is_reported():
    _, errors = validate_venues(_venues(("A", "", "53.79", "-1.55")), _postcodes())
    assert _messages(errors)[2] == "Postcode is blank."


def test_venue_outside_leeds_is_rejected_with_row_number():
    _, errors = validate_venues(_venues(("Wakefield hall", "WF1 1AA", "", "")), _postcodes())
    assert _messages(errors) == {2: "Postcode WF1 1AA is outside Leeds."}


def test_duplicate_name_and_postcode_is_reported_on_the_later_row():
    valid, errors = validate_venues(
        _venues(("Library", "LS1 1AA", "", ""), ("library ", "ls11aa", "", "")), _postcodes()
    )
    assert "same name and postcode as row 2" in _messages(errors)[3]
    assert len(valid) == 1


def test_two_venues_at_the_same_location_are_reported_as_duplicates():
    _, errors = validate_venues(
        _venues(("GP", "LS1 1AB", "", ""), ("Church hall", "LS1 1AD", "", "")), _postcodes()
    )
    assert "same location as row 2" in _messages(errors)[3]


def test_separate_buildings_in_one_postcode_pass_with_their_own_coordinates():
    _, errors = validate_venues(
        _venues(
            ("GP", "LS1 1AB", "53.79609", "-1.55364"),
            ("Church hall", "LS1 1AB", "53.79700", "-1.55200"),
        ),
        _postcodes(),
    )
    assert errors == []


def test_half_a_coordinate_pair_is_reported():
    _, errors = validate_venues(_venues(("A", "LS1 1AA", "53.79", "")), _postcodes())
    assert "both latitude and longitude" in _messages(errors)[2]


def test_non_numeric_coordinates_are_reported():
    _, errors = validate_venues(_venues(("A", "LS1 1AA", "north", "-1.5")), _postcodes())
    assert "not valid" in _messages(errors)[2]


def test_coordinates_far_from_the_postcode_are_reported():
    _, errors = validate_venues(_venues(("A", "LS1 1AA", "53.9", "-1.55")), _postcodes())
    assert "km from postcode LS1 1AA" in _messages(errors)[2]


def test_postcode_without_location_needs_coordinates():
    _, errors = validate_venues(_venues(("A", "LS99 9ZZ", "", "")), _postcodes())
    assert "no location" in _messages(errors)[2]


def test_errors_come_in_row_order_and_only_valid_rows_are_returned():
    valid, errors = validate_venues(
        _venues(
            ("", "LS1 1AA", "", ""),
            ("Good", "LS15 7JY", "", ""),
            ("B", "XX", "", ""),
        ),
        _postcodes(),
    )
    assert [e.row for e in errors] == [2, 4]
    assert list(valid[HUB_NAME]) == ["Good"]


def test_lcp_lookup_labels_each_venue():
    lookup = pd.DataFrame({LSOA: ["E01011345", "E01033008"], LCP: ["Cross Gates", "City"]})
    valid, _ = validate_venues(
        _venues(("A", "LS15 7JY", "", ""), ("B", "LS1 1AA", "", "")), _postcodes(), lookup
    )
    assert list(valid[LCP]) == ["Cross Gates", "City"]


def test_missing_required_column_is_a_file_level_error():
    valid, errors = validate_venues(pd.DataFrame({HUB_NAME: ["A"]}), _postcodes())
    assert valid.empty
    assert errors[0].row is None and HUB_POSTCODE in errors[0].column


# --- Reading the upload -----------------------------------------------------------------------


def test_read_csv_accepts_loose_headers_and_keeps_text():
    raw = read_venues_csv(b"\xef\xbb\xbfVenue name,Post code,Lat,Lng\nLibrary,ls15 7jy,,\n")
    assert list(raw.columns) == [HUB_NAME, HUB_POSTCODE, HUB_LAT, HUB_LON]
    assert raw.loc[0, HUB_POSTCODE] == "ls15 7jy"


def test_read_then_validate_round_trip():
    raw = read_venues_csv(b"name,postcode\nLibrary,LS15 7JY\nGP,LS1 1AA\n")
    valid, errors = validate_venues(raw, _postcodes())
    assert errors == [] and len(valid) == 2


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"name,postcode\n", "no venues"),
        (b"name,town\nA,Leeds\n", "missing the column"),
        (b"name,postcode\nCaf\xe9,LS1 1AA\n", "not UTF-8"),
        (b"name,postcode,name\nA,LS1 1AA,B\n", "more than once"),
    ],
)
def test_unreadable_uploads_raise_a_plain_english_error(data, match):
    with pytest.raises(VenueFileError, match=match):
        read_venues_csv(data)


def test_too_many_venues_are_refused():
    body = "".join(f"V{i},LS1 1AA\n" for i in range(MAX_VENUES + 1))
    with pytest.raises(VenueFileError, match="at most"):
        read_venues_csv(("name,postcode\n" + body).encode())
