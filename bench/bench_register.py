"""`python -m bench.bench_register`: read and validate a 5,000-row register (the upload limit).

The register uses real Leeds postcodes (every 6th in the built lookup), month dates and no
coordinates, so every row is geocoded, placed in an LSOA and an LCP: the work an upload at the
limit costs before anyone can apply it. Prints JSON; the target is at most 3 s.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date

import pandas as pd

from data import artefacts
from utils.hubs import read_register_file, validate_register
from utils.uploads import MAX_REGISTER_ROWS


def register_csv(n: int = MAX_REGISTER_ROWS) -> bytes:
    """A valid register of ``n`` hubs at real Leeds postcodes, as an uploaded CSV."""
    postcodes = artefacts.read_postcodes()
    leeds = postcodes.loc[postcodes["in_leeds"].astype(bool), "postcode"].iloc[::6].iloc[:n]
    df = pd.DataFrame(
        {
            "name": [f"Bench hub {i}" for i in range(n)],
            "organisation": "Bench org",
            "postcode": leeds.to_numpy(),
            "opened": [f"20{18 + i % 7}-{1 + i % 12:02d}" for i in range(n)],
            "sample": "false",
        }
    )
    return df.to_csv(index=False).encode("utf-8")


def time_validation(n: int = MAX_REGISTER_ROWS, repeats: int = 3) -> dict:
    """Median seconds to read and validate an ``n``-row register (data loaded beforehand)."""
    data = register_csv(n)
    postcodes, lsoas = artefacts.read_postcodes(), artefacts.read_lsoas()
    footprints = artefacts.read_default_footprints()
    times, n_errors = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        raw = read_register_file(data, "bench.csv")
        valid, errors = validate_register(raw, postcodes, lsoas, date.today(), footprints)
        times.append(time.perf_counter() - t0)
        n_errors = len(errors)
    return {
        f"register_validation_{n}_rows_s": round(statistics.median(times), 2),
        "register_validation_errors": n_errors,
        "register_validation_valid_rows": len(valid),
    }


def main() -> dict:
    out = time_validation()
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
