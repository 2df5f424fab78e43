"""Unit tests for utils.row_checks: the checks every upload validator is built from."""

import numpy as np
import pandas as pd
import pytest

from geo.footprints import FootprintError, read_footprint_file
from utils.hubs import HubRegisterError, add_date_columns, name_key, read_register_file
from utils.row_checks import (
    BOTH_COORDINATES,
    RowError,
    RowErrors,
    check_coordinates,
    check_date,
    decode_utf8,
    is_blank,
    later_repeats,
    one_line,
    parse_flag,
    read_upload,
    repeated,
    try_postcode,
)
from utils.venues import VenueFileError, read_venues_csv

TODAY = pd.Timestamp("2024-06-30")


class _UploadError(ValueError):
    pass


def test_collector_records_rows_and_rejects_them_and_puts_file_problems_last():
    found = RowErrors()
    found.file("lsoa21cd", "3 Leeds LSOA(s) have no LCP.")
    found.add(3, "name", "Name is blank.")
    found.add(0, "postcode", "Postcode is blank.")
    found.add(3, "opened", "Opened date is blank.")
    assert found.bad == {0, 3}
    assert [str(e) for e in found.in_row_order()] == [
        "Row 2 (postcode): Postcode is blank.",
        "Row 5 (name): Name is blank.",
        "Row 5 (opened): Opened date is blank.",
        "File (lsoa21cd): 3 Leeds LSOA(s) have no LCP.",
    ]
    assert isinstance(found.errors[0], RowError)


@pytest.mark.parametrize("value", [None, np.nan, pd.NA, pd.NaT, "", "   "])
def test_blank_values(value):
    assert is_blank(value)
    assert one_line(value) == ""


def test_text_is_one_line():
    assert not is_blank("0")
    assert one_line("  Seacroft \t Hub\n ") == "Seacroft Hub"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        (" Yes ", True),
        ("y", True),
        ("T", True),
        ("1", True),
        (True, True),
        (np.bool_(True), True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("", False),
        (None, False),
        (np.nan, False),
        (False, False),
    ],
)
def test_one_true_false_parser(value, expected):
    assert parse_flag(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "on"])
def test_true_false_parser_refuses_other_words(value):
    with pytest.raises(ValueError, match="is not true/false"):
        parse_flag(value)


def test_postcode_or_none():
    assert try_postcode("ls157jy") == "LS15 7JY"
    assert try_postcode("not a postcode") is None


def test_coordinates_need_both_values_and_real_numbers():
    assert check_coordinates(None, "", "lat", "lon") == check_coordinates("", None, "lat", "lon")
    assert not check_coordinates(None, None, "lat", "lon").given
    one = check_coordinates("53.8", "", "lat", "lon")
    assert (one.column, one.problem, one.ok) == ("lon", BOTH_COORDINATES, False)
    assert check_coordinates("", "-1.5", "lat", "lon").column == "lat"
    bad = check_coordinates("north", "-1.5", "lat", "lon")
    assert bad.given and bad.column == "lat" and "not valid numbers" in bad.problem
    assert check_coordinates("95", "-1.5", "lat", "lon").problem is not None
    assert check_coordinates("inf", "-1.5", "lat", "lon").problem is not None
    good = check_coordinates(" 53.8 ", "-1.5", "lat", "lon")
    assert good.ok and (good.lat, good.lon) == (53.8, -1.5)


def test_dates_are_parsed_by_the_one_parser_and_checked_against_today():
    parsed, problem = check_date("15/10/2022", TODAY, "Opened")
    assert problem is None and parsed.text == "2022-10-15"
    parsed, problem = check_date("2030-01", TODAY, "Closed")
    assert problem == "Closed date 2030-01 is in the future." and parsed.precision == "month"
    parsed, problem = check_date("soon", TODAY, "Opened")
    assert parsed.precision == "missing" and "is not a date" in problem
    parsed, problem = check_date("", TODAY, "Opened")
    assert parsed.precision == "missing" and problem is None


def test_later_repeats_name_the_first_row():
    keys = [(0, "a"), (1, None), (2, "b"), (3, "a"), (4, None), (5, "a")]
    assert list(later_repeats(keys)) == [(3, 0), (5, 0)]


def test_repeated_columns():
    assert repeated(["name", "postcode", "name", "lat", "lat"]) == ["lat", "name"]


def test_not_utf8_names_the_byte_and_line():
    with pytest.raises(_UploadError, match=r"byte 0xE9 on line 2.*CSV UTF-8"):
        decode_utf8(b"name\nCaf\xe9\n", "x.csv", _UploadError)
    assert decode_utf8("\ufeffname\n".encode(), "x.csv", _UploadError) == "name\n"


@pytest.mark.parametrize(
    ("reader", "error"),
    [
        (read_register_file, HubRegisterError),
        (read_footprint_file, FootprintError),
        (read_venues_csv, VenueFileError),
    ],
)
def test_every_upload_gives_the_same_encoding_message(reader, error):
    with pytest.raises(error) as caught:
        reader(b"name,postcode,opened,lsoa21cd,lcp\nCaf\xe9,LS1 1AA,2022-01,E01,A\n", "f.csv")
    assert "is not UTF-8 text (byte 0xE9 on line 2)" in str(caught.value)


def test_read_upload_refuses_empty_files_and_other_suffixes():
    with pytest.raises(_UploadError, match="is empty"):
        read_upload(b"", "x.csv", _UploadError)
    with pytest.raises(_UploadError, match="upload a .csv"):
        read_upload(b"a\n1\n", "x.pdf", _UploadError, csv_suffixes=(".csv",))
    table = read_upload(b"a,b\n1,\n", "x.txt", _UploadError)
    assert table.to_dict("records") == [{"a": "1", "b": ""}]


def test_date_columns_stay_with_their_rows_when_rows_were_dropped():
    df = pd.DataFrame({"opened": ["2020-01", "2021-02", "2022-03-04"], "closed": [None] * 3})
    dated = add_date_columns(df.drop(index=[1]))
    assert dated["opened_date"].tolist() == [pd.Timestamp("2020-01-01"), pd.Timestamp("2022-03-04")]
    assert dated["opened_precision"].tolist() == ["month", "day"]


def test_same_hub_name_rule_is_case_and_space_blind():
    names = pd.Series(["  Seacroft  Hub ", "SEACROFT hub", "Seacroft Hubs"])
    keys = name_key(names)
    assert keys[0] == keys[1] != keys[2]
