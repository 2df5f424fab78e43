"""Bounds on uploaded files: how many rows, and how big a workbook may unzip to, before parsing.

The web server refuses files over 5 MB (``server.maxUploadSize`` in .streamlit/config.toml);
these checks bound the work a small file can still cause (an XLSX is a zip and can unzip to
hundreds of megabytes) and are the one place the limits are stated.
"""

from __future__ import annotations

import io
import zipfile

MAX_UPLOAD_MB = 5  # keep equal to server.maxUploadSize in .streamlit/config.toml
MAX_REGISTER_ROWS = 5_000
MAX_FOOTPRINT_ROWS = 5_000  # Leeds has 488 LSOAs (2021) and 482 (2011)
MAX_XLSX_UNCOMPRESSED_MB = 20


def check_workbook_size(data: bytes, filename: str, error: type[Exception]) -> None:
    """Refuse an XLSX whose parts unzip to more than ``MAX_XLSX_UNCOMPRESSED_MB``.

    Reads only the zip directory (``infolist``), so a "zip bomb" is refused without being
    unpacked. A file that is not a zip at all is left for the Excel reader to report.

    Raises
    ------
    error
        With the file name, its unzipped size and the limit.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if total > MAX_XLSX_UNCOMPRESSED_MB * 1_000_000:
        raise error(
            f"{filename} unzips to {total / 1_000_000:,.0f} MB; workbooks may unzip to at most "
            f"{MAX_XLSX_UNCOMPRESSED_MB} MB. Save the sheet as CSV (UTF-8), or remove other "
            "sheets and pictures, and upload again."
        )


def check_row_count(
    n_rows: int, limit: int, filename: str, what: str, error: type[Exception]
) -> None:
    """Refuse a file with no data rows or more than ``limit`` rows (before any row is checked).

    Parameters
    ----------
    n_rows : int
        Data rows read (header excluded).
    limit : int
        The most rows accepted.
    filename, what : str
        Named in the message, e.g. ``"hub register.csv"`` and ``"register rows"``.
    error : type of Exception
        The caller's domain error.
    """
    if n_rows == 0:
        raise error(f"{filename} has a header but no {what}: there is nothing to apply.")
    if n_rows > limit:
        raise error(
            f"{filename} has {n_rows:,} {what}; at most {limit:,} are accepted. Nothing was "
            "checked: split the file or remove rows and upload again."
        )
