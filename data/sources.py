"""Where the official source files and the built artefacts live, and what each source file is."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_ENV = "HUB_COVERAGE_DATA"
BUILD_ENV = "HUB_COVERAGE_BUILD"


@dataclass(frozen=True)
class SourceFile:
    """One official source file the build reads."""

    key: str
    filename: str
    publisher: str
    dataset: str


SOURCES: dict[str, SourceFile] = {
    s.key: s
    for s in (
        SourceFile(
            "iod2025_domains",
            "iod2025_england_lsoa21_domains.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2025, File 7 domains (scores, ranks, deciles), LSOA 2021",
        ),
        SourceFile(
            "iod2025_subdomains",
            "iod2025_england_lsoa21_subdomains.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2025, sub-domains, LSOA 2021",
        ),
        SourceFile(
            "iod2025_indicators",
            "iod2025_england_lsoa21_indicators.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2025, underlying indicators, LSOA 2021",
        ),
        SourceFile(
            "iod2025_file7_leeds",
            "iod2025_leeds_lsoa21_File7_official.csv",
            "MHCLG",
            "IoD 2025 File 7 (all ranks, scores, deciles and population denominators), Leeds rows",
        ),
        SourceFile(
            "iod2019_file2",
            "iod2019_england_lsoa11_File2_domains_ranks_deciles.csv.gz",
            "MHCLG",
            "English Indices of Deprivation 2019, File 2 (ranks and deciles), LSOA 2011",
        ),
        SourceFile(
            "lsoa11_to_21",
            "leeds_lsoa2011_to_lsoa2021_lookup_derived.csv",
            "ONS (derived by polygon overlap)",
            "LSOA 2011 to LSOA 2021 lookup for Leeds",
        ),
        SourceFile(
            "iuc2018",
            "iuc2018_leeds_lsoa11.csv",
            "CDRC (ESRC Consumer Data Research Centre)",
            "Internet User Classification 2018, LSOA 2011",
        ),
        SourceFile(
            "census_hh_deprivation",
            "census2021_household_deprivation_dimensions_leeds_lsoa21.csv",
            "ONS",
            "Census 2021 TS011 households by deprivation dimensions, LSOA 2021",
        ),
        SourceFile(
            "census_age_leeds",
            "census2021_age6_leeds_lsoa21.csv",
            "ONS",
            "Census 2021 usual residents by age (6 groups incl. 65+), Leeds LSOA 2021",
        ),
        SourceFile(
            "census_age_ew",
            "census2021_age6_ew_lsoa21.csv.gz",
            "ONS",
            "Census 2021 usual residents by age (6 groups incl. 65+), England and Wales LSOA 2021",
        ),
        SourceFile(
            "lsoa21_boundaries",
            "leeds_lsoa2021_boundaries.geojson",
            "ONS Open Geography Portal",
            "LSOA (Dec 2021) boundaries, generalised, Leeds",
        ),
        SourceFile(
            "lsoa21_lookup",
            "leeds_lsoa2021_msoa_ward_lookup.csv",
            "ONS / House of Commons Library",
            "LSOA 2021 to MSOA 2021 (HCL names) to ward 2025 lookup, Leeds",
        ),
        SourceFile(
            "wards",
            "leeds_wards2025_boundaries.geojson",
            "ONS Open Geography Portal",
            "Electoral wards (May 2025) boundaries, Leeds",
        ),
        SourceFile(
            "postcodes",
            "postcodes_leeds_area_latlon_nspl_may2025.csv.gz",
            "ONS (NSPL May 2025) via Open Innovations",
            "National Statistics Postcode Lookup, Leeds-area postcode centroids",
        ),
        SourceFile(
            "milestones",
            "leeds_digital_health_hub_growth_milestones.csv",
            "Compiled from 100% Digital Leeds public pages",
            "Leeds Digital Health Hub growth milestones",
        ),
    )
}


class MissingSourceError(FileNotFoundError):
    """A source file the build needs is not in the source folder."""


def source_dir() -> Path:
    """Return the source-data folder: $HUB_COVERAGE_DATA, else ../shared/data beside the repo."""
    env = os.environ.get(SOURCE_ENV)
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "data").resolve()


def build_dir() -> Path:
    """Return the folder for built artefacts: $HUB_COVERAGE_BUILD, else data/build (gitignored)."""
    env = os.environ.get(BUILD_ENV)
    return Path(env) if env else REPO_ROOT / "data" / "build"


def source_path(key: str, folder: Path | None = None) -> Path:
    """Return the path of a source file, raising a message that says where to get it if missing.

    Parameters
    ----------
    key : str
        Key in ``SOURCES``.
    folder : Path, optional
        Source folder; defaults to ``source_dir()``.
    """
    src = SOURCES[key]
    path = (folder or source_dir()) / src.filename
    if not path.exists():
        raise MissingSourceError(
            f"Missing source file {path}.\n"
            f"Get '{src.dataset}' from {src.publisher} and save it as {src.filename} in "
            f"{path.parent}, or point {SOURCE_ENV} at a folder that has it "
            "(see ../shared/data/PROVENANCE.md for every file's origin)."
        )
    return path


def check_sources(folder: Path | None = None) -> list[str]:
    """Return one message per missing source file (empty when all are present)."""
    missing = []
    for key in SOURCES:
        try:
            source_path(key, folder)
        except MissingSourceError as err:
            missing.append(str(err))
    return missing
