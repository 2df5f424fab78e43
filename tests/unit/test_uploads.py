"""Bounded uploads: row limits, empty files and workbooks that unzip too large are refused early."""

import io
import zipfile

import pandas as pd
import pytest

from geo.footprints import FootprintError, read_footprint_file
from utils.hubs import HubRegisterError, read_register_file
from utils.uploads import (
    MAX_FOOTPRINT_ROWS,
    MAX_REGISTER_ROWS,
    MAX_XLSX_UNCOMPRESSED_MB,
    check_workbook_size,
)
from utils.venues import MAX_VENUES, VenueFileError, read_venues_csv

HEADER = "name,postcode,opened\n"


def _rows(n: int) -> bytes:
    return (HEADER + "".join(f"Hub {i},LS1 1AA,2024-01\n" for i in range(n))).encode()


def test_a_register_at_the_limit_is_read():
    assert len(read_register_file(_rows(MAX_REGISTER_ROWS), "r.csv")) == MAX_REGISTER_ROWS


def test_a_register_over_the_limit_is_refused_with_the_limit_stated():
    with pytest.raises(
        HubRegisterError, match=f"5,001 register rows; at most {MAX_REGISTER_ROWS:,}"
    ):
        read_register_file(_rows(MAX_REGISTER_ROWS + 1), "r.csv")


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_header_only_register_is_refused_not_offered_for_apply(ext):
    if ext == "csv":
        data = HEADER.encode()
    else:
        buf = io.BytesIO()
        pd.DataFrame(columns=["name", "postcode", "opened"]).to_excel(buf, index=False)
        data = buf.getvalue()
    with pytest.raises(HubRegisterError, match="no register rows"):
        read_register_file(data, f"empty.{ext}")


def _bomb(unzipped_mb: int) -> bytes:
    """A small zip (an .xlsx is one) whose single part unzips to ``unzipped_mb`` megabytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (unzipped_mb * 1_000_000))
    return buf.getvalue()


def test_an_xlsx_that_unzips_too_large_is_refused_before_parsing():
    data = _bomb(MAX_XLSX_UNCOMPRESSED_MB + 5)
    assert len(data) < 1_000_000  # small on the wire
    with pytest.raises(HubRegisterError, match=f"at most {MAX_XLSX_UNCOMPRESSED_MB} MB"):
        read_register_file(data, "bomb.xlsx")
    with pytest.raises(FootprintError, match="unzips to 25 MB"):
        read_footprint_file(data, "bomb.xlsx")


def test_a_normal_workbook_and_non_zip_bytes_pass_the_size_check():
    buf = io.BytesIO()
    pd.DataFrame({"name": ["A"], "postcode": ["LS1 1AA"], "opened": ["2024-01"]}).to_excel(
        buf, index=False
    )
    check_workbook_size(buf.getvalue(), "ok.xlsx", ValueError)
    check_workbook_size(b"not a zip", "x.xlsx", ValueError)


def test_footprint_files_are_bounded_and_must_have_rows():
    head = "lsoa21cd,lcp\n"
    with pytest.raises(FootprintError, match="no LSOA rows"):
        read_footprint_file(head.encode(), "fp.csv")
    many = head + "".join(f"E0{i:07d},X\n" for i in range(MAX_FOOTPRINT_ROWS + 1))
    with pytest.raises(FootprintError, match=f"at most {MAX_FOOTPRINT_ROWS:,}"):
        read_footprint_file(many.encode(), "fp.csv")


def test_venue_lists_are_bounded_at_one_thousand():
    assert MAX_VENUES == 1_000
    body = "name,postcode\n" + "".join(f"V{i},LS1 1AA\n" for i in range(MAX_VENUES + 1))
    with pytest.raises(VenueFileError, match="at most 1,000"):
        read_venues_csv(body.encode(), "v.csv")


def test_server_upload_limit_is_five_megabytes():
    import tomllib
    from pathlib import Path

    from utils.uploads import MAX_UPLOAD_MB

    config = tomllib.loads(
        (Path(__file__).resolve().parents[2] / ".streamlit/config.toml").read_text()
    )
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 5


def test_file_names_in_messages_are_one_line_and_truncated():
    with pytest.raises(HubRegisterError) as err:
        read_register_file(b"", "x" * 10_000 + "\n.csv")
    assert len(str(err.value)) < 100 and "\n" not in str(err.value)


def test_control_characters_never_break_the_excel_download():
    from app_pages.figures.exports import table_xlsx
    from utils.hubs import excel_safe

    df = pd.DataFrame({"name": ["Ctrl\x00\x07\x1b[31m\r\nnext", "=1+1"]})
    safe = excel_safe(df)
    assert safe["name"].tolist() == ["Ctrl\ufffd\ufffd\ufffd[31m\r\nnext", "'=1+1"]
    assert table_xlsx(df)[:2] == b"PK"
