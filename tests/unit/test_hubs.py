"""Unit tests for utils.hubs: postcodes, dates, geocoding, area assignment, validation, exports."""

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from utils.constants import (
    CRS_BNG,
    CRS_WGS84,
    HUB_CLOSED,
    HUB_ID,
    HUB_LAT,
    HUB_LON,
    HUB_NAME,
    HUB_OPENED,
    HUB_POSTCODE,
    HUB_SAMPLE,
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
from utils.hubs import (
    OPENED_DATE,
    OPENED_PRECISION,
    REGISTER_COLUMNS,
    HubRegisterError,
    InvalidPostcodeError,
    RowError,
    assign_areas,
    excel_safe,
    geocode_hubs,
    normalise_postcode,
    open_on,
    parse_hub_date,
    read_register_file,
    register_to_csv,
    validate_register,
)

TODAY = date(2024, 6, 30)
_TO_WGS = Transformer.from_crs(CRS_BNG, CRS_WGS84, always_xy=True)


def _latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS.transform(x, y)
    return lat, lon


@pytest.fixture()
def lsoas() -> gpd.GeoDataFrame:
    """Two 1 km squares side by side (A west, B east), stored in EPSG:4326 like the built table."""
    gdf = gpd.GeoDataFrame(
        {
            LSOA: ["E01000001", "E01000002"],
            WARD: ["E05000001", "E05000002"],
        },
        geometry=[box(430000, 433000, 431000, 434000), box(431000, 433000, 432000, 434000)],
        crs=CRS_BNG,
    )
    return gdf.to_crs(CRS_WGS84)


@pytest.fixture()
def footprints() -> pd.DataFrame:
    return pd.DataFrame(
        {
            LSOA: ["E01000001", "E01000002"],
            LCP: ["West LCP", "East LCP"],
            "lcp_status": ["described"] * 2,
        }
    )


@pytest.fixture()
def postcodes() -> pd.DataFrame:
    """Postcode centroids: two inside A/B, one in Leeds' list but outside the squares, one not in Leeds."""
    rows = [
        ("LS1 1AA", 430500, 433500, True),
        ("LS15 7JY", 431500, 433500, True),
        ("LS2 9ZZ", 440000, 433500, True),
        ("BD1 1AA", 415000, 433500, False),
    ]
    out = []
    for pc, x, y, leeds in rows:
        lat, lon = _latlon(x, y)
        out.append({POSTCODE: pc, LAT: lat, LON: lon, X: x, Y: y, IN_LEEDS: leeds})
    return pd.DataFrame(out)


def _register(**overrides) -> pd.DataFrame:
    base = {
        HUB_ID: "H1",
        HUB_NAME: "Hub one",
        HUB_POSTCODE: "ls11aa",
        HUB_OPENED: "2022-10",
        HUB_CLOSED: "",
        HUB_SAMPLE: "false",
    }
    base.update(overrides)
    return pd.DataFrame([base])


# --- postcodes -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ls157jy", "LS15 7JY"),
        (" LS15  7JY ", "LS15 7JY"),
        ("ls15-7jy", "LS15 7JY"),
        ("LS11AA", "LS1 1AA"),
        ("wf3 1jz", "WF3 1JZ"),
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_postcode_is_normalised_to_standard_form(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", None, float("nan"), "LS15", "not a postcode", "1234 567"]
)
def test_blank_or_malformed_postcode_raises(raw):
    with pytest.raises(InvalidPostcodeError):
        normalise_postcode(raw)


# --- dates ---------------------------------------------------------------------------------------
def test_month_only_date_keeps_month_precision():
    text, ts, precision = parse_hub_date("2022-10")
    assert (text, ts, precision) == ("2022-10", pd.Timestamp("2022-10-01"), "month")


@pytest.mark.parametrize(
    "raw, text, precision",
    [
        ("2022-10-15", "2022-10-15", "day"),
        ("15/10/2022", "2022-10-15", "day"),
        ("10/2022", "2022-10", "month"),
        ("2022-10-15 00:00:00", "2022-10-15", "day"),
        (pd.Timestamp("2022-10-15"), "2022-10-15", "day"),
        (date(2022, 10, 15), "2022-10-15", "day"),
    ],
)
def test_accepted_date_forms_are_canonicalised(raw, text, precision):
    parsed = parse_hub_date(raw)
    assert parsed[0] == text and parsed[2] == precision


def test_blank_date_is_none_and_bad_dates_raise():
    assert parse_hub_date("") is None
    assert parse_hub_date(None) is None
    for bad in ("October 2022", "2022-13", "2022-02-30", "soon"):
        with pytest.raises(ValueError):
            parse_hub_date(bad)


# --- geocoding -----------------------------------------------------------------------------------
def test_geocode_fills_coordinates_from_the_postcode(postcodes):
    reg = pd.DataFrame({HUB_POSTCODE: ["ls157jy"], HUB_LAT: [None], HUB_LON: [None]})
    out = geocode_hubs(reg, postcodes)
    assert out.loc[0, HUB_POSTCODE] == "LS15 7JY"
    assert out.loc[0, "geocoded_from"] == "postcode"
    assert out.loc[0, X] == pytest.approx(431500, abs=0.01)
    assert out.loc[0, Y] == pytest.approx(433500, abs=0.01)


def test_typed_coordinates_win_over_the_postcode(postcodes):
    lat, lon = _latlon(430100, 433100)
    reg = pd.DataFrame({HUB_POSTCODE: ["LS15 7JY"], HUB_LAT: [lat], HUB_LON: [lon]})
    out = geocode_hubs(reg, postcodes)
    assert out.loc[0, "geocoded_from"] == "coordinates"
    assert out.loc[0, X] == pytest.approx(430100, abs=0.01)


def test_unknown_postcode_leaves_coordinates_blank(postcodes):
    out = geocode_hubs(pd.DataFrame({HUB_POSTCODE: ["LS99 9ZZ"]}), postcodes)
    assert np.isnan(out.loc[0, HUB_LAT]) and np.isnan(out.loc[0, X])
    assert out.loc[0, "geocoded_from"] is None


# --- areas ---------------------------------------------------------------------------------------
def _points(*xy) -> pd.DataFrame:
    return pd.DataFrame({X: [p[0] for p in xy], Y: [p[1] for p in xy]})


def test_point_gets_the_lsoa_ward_and_lcp_it_falls_in(lsoas, footprints):
    out = assign_areas(_points((430500, 433500), (431500, 433500)), lsoas, footprints)
    assert list(out[LSOA]) == ["E01000001", "E01000002"]
    assert list(out[WARD]) == ["E05000001", "E05000002"]
    assert list(out[LCP]) == ["West LCP", "East LCP"]


def test_point_on_a_shared_boundary_goes_to_exactly_one_lsoa(lsoas, footprints):
    out = assign_areas(_points((431000, 433500)), lsoas, footprints)
    assert len(out) == 1
    assert out.loc[0, LSOA] == "E01000001"


def test_point_just_outside_the_generalised_edge_is_snapped(lsoas, footprints):
    out = assign_areas(_points((429980, 433500)), lsoas, footprints)
    assert out.loc[0, LSOA] == "E01000001"


def test_point_far_outside_gets_no_area(lsoas, footprints):
    out = assign_areas(_points((420000, 433500)), lsoas, footprints)
    assert pd.isna(out.loc[0, LSOA]) and pd.isna(out.loc[0, LCP])


# --- validation ----------------------------------------------------------------------------------
def _validate(reg, postcodes, lsoas, footprints):
    return validate_register(reg, postcodes, lsoas, TODAY, footprints=footprints)


def test_valid_register_passes_and_derives_areas(postcodes, lsoas, footprints):
    valid, errors = _validate(_register(), postcodes, lsoas, footprints)
    assert errors == []
    row = valid.iloc[0]
    assert row[HUB_POSTCODE] == "LS1 1AA"
    assert row[LSOA] == "E01000001" and row[LCP] == "West LCP"
    assert row[OPENED_PRECISION] == "month" and row[OPENED_DATE] == pd.Timestamp("2022-10-01")
    assert not row[HUB_SAMPLE]


def _only_error(errors) -> RowError:
    assert len(errors) == 1, errors
    return errors[0]


def test_unknown_postcode_is_rejected_with_row_number(postcodes, lsoas, footprints):
    reg = pd.concat([_register(), _register(**{HUB_ID: "H2", HUB_POSTCODE: "LS99 9ZZ"})])
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    err = _only_error(errors)
    assert (err.row, err.column) == (3, HUB_POSTCODE)
    assert "Unknown postcode LS99 9ZZ" in err.message
    assert list(valid[HUB_ID]) == ["H1"]


def test_malformed_postcode_is_rejected_with_row_number(postcodes, lsoas, footprints):
    err = _only_error(
        _validate(_register(**{HUB_POSTCODE: "LS1"}), postcodes, lsoas, footprints)[1]
    )
    assert (err.row, err.column) == (2, HUB_POSTCODE)


def test_blank_postcode_without_coordinates_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(_validate(_register(**{HUB_POSTCODE: ""}), postcodes, lsoas, footprints)[1])
    assert err.row == 2 and "blank" in err.message


def test_blank_postcode_with_coordinates_is_accepted(postcodes, lsoas, footprints):
    lat, lon = _latlon(431200, 433200)
    reg = _register(**{HUB_POSTCODE: "", HUB_LAT: str(lat), HUB_LON: str(lon)})
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    assert errors == [] and valid.loc[0, LCP] == "East LCP"


def test_postcode_outside_leeds_is_rejected_with_row_number(postcodes, lsoas, footprints):
    err = _only_error(
        _validate(_register(**{HUB_POSTCODE: "BD1 1AA"}), postcodes, lsoas, footprints)[1]
    )
    assert err.row == 2 and "outside Leeds" in err.message


def test_hub_outside_leeds_is_rejected_with_row_number(postcodes, lsoas, footprints):
    # In the Leeds postcode list, but the point lies outside every LSOA polygon.
    err = _only_error(
        _validate(_register(**{HUB_POSTCODE: "LS2 9ZZ"}), postcodes, lsoas, footprints)[1]
    )
    assert err.row == 2 and "outside Leeds" in err.message


def test_typed_coordinates_outside_leeds_are_rejected(postcodes, lsoas, footprints):
    lat, lon = _latlon(400000, 400000)
    reg = _register(**{HUB_LAT: lat, HUB_LON: lon})
    err = _only_error(_validate(reg, postcodes, lsoas, footprints)[1])
    assert "outside Leeds" in err.message


def test_only_one_of_latitude_longitude_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(_validate(_register(**{HUB_LAT: "53.8"}), postcodes, lsoas, footprints)[1])
    assert err.row == 2 and "both" in err.message


def test_non_numeric_coordinates_are_rejected(postcodes, lsoas, footprints):
    reg = _register(**{HUB_LAT: "north", HUB_LON: "-1.5"})
    err = _only_error(_validate(reg, postcodes, lsoas, footprints)[1])
    assert err.row == 2 and "not valid numbers" in err.message


def test_blank_name_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(_validate(_register(**{HUB_NAME: "  "}), postcodes, lsoas, footprints)[1])
    assert (err.row, err.column) == (2, HUB_NAME)


def test_opened_in_the_future_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(
        _validate(_register(**{HUB_OPENED: "2024-07"}), postcodes, lsoas, footprints)[1]
    )
    assert (err.row, err.column) == (2, HUB_OPENED) and "future" in err.message


def test_opened_this_month_is_not_in_the_future(postcodes, lsoas, footprints):
    assert _validate(_register(**{HUB_OPENED: "2024-06"}), postcodes, lsoas, footprints)[1] == []


def test_blank_or_unparseable_opened_is_rejected(postcodes, lsoas, footprints):
    for bad in ("", "sometime"):
        err = _only_error(
            _validate(_register(**{HUB_OPENED: bad}), postcodes, lsoas, footprints)[1]
        )
        assert err.column == HUB_OPENED


def test_closed_before_opened_is_rejected(postcodes, lsoas, footprints):
    reg = _register(**{HUB_OPENED: "2022-10-15", HUB_CLOSED: "2022-09-30"})
    err = _only_error(_validate(reg, postcodes, lsoas, footprints)[1])
    assert (err.row, err.column) == (2, HUB_CLOSED) and "before opened" in err.message


def test_closed_in_the_same_month_at_month_precision_is_accepted(postcodes, lsoas, footprints):
    reg = _register(**{HUB_OPENED: "2022-10-15", HUB_CLOSED: "2022-10"})
    assert _validate(reg, postcodes, lsoas, footprints)[1] == []


def test_closed_in_the_future_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(
        _validate(_register(**{HUB_CLOSED: "2030-01"}), postcodes, lsoas, footprints)[1]
    )
    assert err.column == HUB_CLOSED and "future" in err.message


def test_bad_sample_flag_is_rejected(postcodes, lsoas, footprints):
    err = _only_error(
        _validate(_register(**{HUB_SAMPLE: "maybe"}), postcodes, lsoas, footprints)[1]
    )
    assert err.column == HUB_SAMPLE


def test_duplicate_id_is_rejected_naming_the_first_row(postcodes, lsoas, footprints):
    reg = pd.concat([_register(), _register(**{HUB_NAME: "Other", HUB_POSTCODE: "LS15 7JY"})])
    err = _only_error(_validate(reg, postcodes, lsoas, footprints)[1])
    assert err.row == 3 and "first used on row 2" in err.message


def test_same_hub_open_twice_is_a_duplicate(postcodes, lsoas, footprints):
    reg = pd.concat(
        [_register(), _register(**{HUB_ID: "H2", HUB_NAME: "hub  ONE", HUB_OPENED: "2023-01"})]
    )
    err = _only_error(_validate(reg, postcodes, lsoas, footprints)[1])
    assert err.row == 3 and "Duplicate of row 2" in err.message


def test_hub_that_closed_may_reopen_as_a_new_row(postcodes, lsoas, footprints):
    reg = pd.concat(
        [
            _register(**{HUB_CLOSED: "2022-12"}),
            _register(**{HUB_ID: "H2", HUB_OPENED: "2023-09"}),
        ]
    )
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    assert errors == [] and len(valid) == 2


def test_missing_required_column_is_a_whole_file_error(postcodes, lsoas, footprints):
    reg = _register().drop(columns=[HUB_OPENED])
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    assert valid.empty
    assert errors[0].row is None and HUB_OPENED in errors[0].column


def test_blank_ids_are_filled(postcodes, lsoas, footprints):
    reg = pd.concat([_register(**{HUB_ID: "HUB-0007"}), _register(**{HUB_ID: "", HUB_NAME: "Two"})])
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    assert errors == [] and list(valid[HUB_ID]) == ["HUB-0007", "HUB-0008"]


def test_errors_are_listed_for_every_bad_row(postcodes, lsoas, footprints):
    reg = pd.concat(
        [
            _register(),
            _register(**{HUB_ID: "H2", HUB_NAME: "Two", HUB_POSTCODE: "LS99 9ZZ"}),
            _register(**{HUB_ID: "H3", HUB_NAME: "Three", HUB_OPENED: "2099-01"}),
        ]
    )
    valid, errors = _validate(reg, postcodes, lsoas, footprints)
    assert [e.row for e in errors] == [3, 4]
    assert list(valid[HUB_ID]) == ["H1"]
    assert str(errors[0]).startswith("Row 3 (postcode):")


# --- files ---------------------------------------------------------------------------------------
def test_non_utf8_csv_is_reported_with_its_line():
    data = "name,postcode,opened\nA,LS1 1AA,2022-10\nCaf\u00e9,LS1 1AA,2022-10\n".encode("latin-1")
    with pytest.raises(HubRegisterError, match=r"not UTF-8.*line 3"):
        read_register_file(data, "hubs.csv")


def test_missing_columns_are_named():
    with pytest.raises(HubRegisterError, match="missing the column.*opened"):
        read_register_file(b"name,postcode\nA,LS1 1AA\n", "hubs.csv")


def test_empty_or_unknown_file_types_are_rejected():
    with pytest.raises(HubRegisterError, match="empty"):
        read_register_file(b"", "hubs.csv")
    with pytest.raises(HubRegisterError, match="xlsx"):
        read_register_file(b"x", "hubs.pdf")


def test_header_spellings_are_recognised_and_bom_is_ignored():
    data = "\ufeffHub name,Post code,Opened,Lat,Lng\nA,ls11aa,2022-10,,\n".encode()
    raw = read_register_file(data, "hubs.csv")
    assert {HUB_NAME, HUB_POSTCODE, HUB_OPENED, HUB_LAT, HUB_LON} <= set(raw.columns)
    assert raw.loc[0, HUB_POSTCODE] == "ls11aa"


def test_xlsx_register_is_read_with_dates(tmp_path):
    df = pd.DataFrame(
        {HUB_NAME: ["A"], HUB_POSTCODE: ["LS1 1AA"], HUB_OPENED: [pd.Timestamp("2022-10-15")]}
    )
    path = tmp_path / "hubs.xlsx"
    df.to_excel(path, index=False)
    raw = read_register_file(path.read_bytes(), "hubs.xlsx")
    assert parse_hub_date(raw.loc[0, HUB_OPENED])[0] == "2022-10-15"


def test_excel_safe_neutralises_formula_cells():
    df = pd.DataFrame(
        {
            "a": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", " =1", "\t=1", "plain", None],
            "n": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    out = excel_safe(df)
    assert list(out["a"][:6]) == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "' =1", "'\t=1"]
    assert out["a"][6] == "plain" and pd.isna(out["a"][7])
    assert out["n"].tolist() == df["n"].tolist()
    assert df["a"][0].startswith("=")  # input untouched


def test_register_export_is_safe_and_has_all_columns():
    reg = pd.DataFrame(
        {HUB_ID: ["H1"], HUB_NAME: ["=cmd|' /C calc'!A0"], HUB_POSTCODE: ["LS1 1AA"]}
    )
    text = register_to_csv(reg).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",") == list(REGISTER_COLUMNS)
    assert ",'=cmd" in row


def test_open_on_respects_opened_and_closed():
    reg = pd.DataFrame(
        {HUB_OPENED: ["2022-01", "2022-06-15", "2021-01"], HUB_CLOSED: [None, None, "2022-03"]}
    )
    assert open_on(reg, date(2022, 6, 1)).tolist() == [True, False, False]
