"""Bounded uploads on the pages: files over a limit or without rows are refused, never applied."""

from __future__ import annotations

import io
import zipfile

from tests.pages.conftest import run_page
from utils.uploads import MAX_REGISTER_ROWS, MAX_XLSX_UNCOMPRESSED_MB

HUBS = "app_pages/hubs.py"


def _upload(name: str, data: bytes, key_prefix: str = "hubs_upload_"):
    at = run_page(HUBS, timeout=180)
    widget = [w for w in at.file_uploader if (w.key or "").startswith(key_prefix)][0]
    widget.set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def _no_apply(at) -> bool:
    return not [b for b in at.button if b.key in ("hubs_upload_apply", "hubs_fp_apply")]


def test_a_register_over_the_row_limit_is_refused_with_the_limit_stated():
    rows = "".join(f"Hub {i},LS15 7JY,2024-01\n" for i in range(MAX_REGISTER_ROWS + 1))
    at = _upload("big.csv", ("name,postcode,opened\n" + rows).encode())
    text = " ".join(e.value for e in at.error)
    assert "5,001 register rows" in text and "at most 5,000" in text
    assert _no_apply(at)
    assert not [d for d in at.dataframe if "Problem" in d.value.columns]  # nothing validated


def test_a_header_only_register_is_refused_and_never_offered_for_apply():
    at = _upload("empty.csv", b"name,postcode,opened\n")
    assert "no register rows" in " ".join(e.value for e in at.error)
    assert _no_apply(at)


def test_a_workbook_that_unzips_too_large_is_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * ((MAX_XLSX_UNCOMPRESSED_MB + 1) * 1_000_000))
    for prefix in ("hubs_upload_", "hubs_fp_upload_"):
        at = _upload("bomb.xlsx", buf.getvalue(), prefix)
        assert f"at most {MAX_XLSX_UNCOMPRESSED_MB} MB" in " ".join(e.value for e in at.error)
        assert _no_apply(at)
