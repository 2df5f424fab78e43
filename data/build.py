"""`python -m data.build`: official source files -> built GeoParquet artefacts in data/build/."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.artefacts import (
    DEMAND_FILE,
    ENGLAND_FILE,
    LSOAS_FILE,
    LSOAS_MAP_FILE,
    MANIFEST_FILE,
    MILESTONES_FILE,
    OUTLINE_FILE,
    POSTCODES_FILE,
    WARDS_FILE,
    read_lsoa11_to_21,
)
from data.sources import MissingSourceError, build_dir, check_sources, source_dir, source_path
from geo.coverage import CoverageError, demand_points
from geo.shapes import simplify_for_map
from utils import constants as c


class BuildError(RuntimeError):
    """The source data failed a check; the message says which and why."""


def _check_leeds_codes(codes: pd.Series, expected: int, what: str) -> None:
    n, n_unique = len(codes), codes.nunique()
    if n != expected or n_unique != expected:
        raise BuildError(
            f"{what}: expected {expected} unique Leeds LSOAs, found {n} ({n_unique} unique)."
        )


def _merge_checked(left: pd.DataFrame, right: pd.DataFrame, on: str, what: str) -> pd.DataFrame:
    """Left-join one-to-one on an ONS code and fail if any left row finds no match."""
    merged = left.merge(right, on=on, how="left", validate="one_to_one", indicator=True)
    missing = merged.loc[merged["_merge"] != "both", on]
    if len(missing):
        raise BuildError(f"{what}: {len(missing)} LSOAs have no match, e.g. {list(missing[:5])}.")
    return merged.drop(columns="_merge")


# --- Readers, one per source --------------------------------------------------------------------


def read_boundaries(folder: Path) -> gpd.GeoDataFrame:
    """Leeds LSOA 2021 polygons with codes and names, EPSG:4326."""
    gdf = gpd.read_file(source_path("lsoa21_boundaries", folder))
    gdf = gdf.set_crs(c.CRS_WGS84, allow_override=True)
    gdf = gdf.rename(columns={"LSOA21CD": c.LSOA, "LSOA21NM": c.LSOA_NAME})[
        [c.LSOA, c.LSOA_NAME, "geometry"]
    ]
    _check_leeds_codes(gdf[c.LSOA], c.LEEDS_LSOA21_COUNT, "LSOA 2021 boundaries")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        raise BuildError("LSOA 2021 boundaries: some LSOAs have no geometry.")
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    return gdf


def read_area_lookup(folder: Path) -> pd.DataFrame:
    """LSOA 2021 -> MSOA 2021 (House of Commons Library name) -> ward 2025."""
    df = pd.read_csv(source_path("lsoa21_lookup", folder), dtype=str)
    return df.rename(
        columns={
            "LSOA21CD": c.LSOA,
            "MSOA21CD": c.MSOA,
            "MSOA21HCLNM": c.MSOA_NAME,
            "WD25CD": c.WARD,
            "WD25NM": c.WARD_NAME,
        }
    )[[c.LSOA, c.MSOA, c.MSOA_NAME, c.WARD, c.WARD_NAME]]


_DOMAIN_SOURCE = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "housing": "Housing_and_Services",
    "environment": "Environment",
}


def read_iod2025_england(folder: Path) -> pd.DataFrame:
    """IoD 2025 scores, ranks and deciles for every LSOA in England (domains + key indicators)."""
    dom = pd.read_csv(source_path("iod2025_domains", folder))
    sub = pd.read_csv(source_path("iod2025_subdomains", folder))
    ind = pd.read_csv(source_path("iod2025_indicators", folder))
    renames = {"lsoa21_code": c.LSOA}
    for part in ("score", "rank", "decile"):
        renames[f"IMD_{part}"] = f"imd_{part}"
        for key, src in _DOMAIN_SOURCE.items():
            renames[f"{src}_{part}"] = f"{key}_{part}"
    dom = dom.rename(columns=renames)
    sub = sub.rename(columns={"lsoa21_code": c.LSOA})[[c.LSOA, "adult_skills_score"]]
    ind = ind.rename(
        columns={
            "lsoa21_code": c.LSOA,
            "digital_connectivity_broadband_download_and_upload_speeds": c.DIGITAL_CONNECTIVITY,
            "income_deprivation_affecting_older_people_index_idaopi_numerator": "idaopi_numerator",
            "adult_skills_and_english_language_proficiency_indicator": c.ADULT_SKILLS_INDICATOR,
        }
    )[[c.LSOA, c.DIGITAL_CONNECTIVITY, c.ADULT_SKILLS_INDICATOR, "idaopi_numerator"]]
    out = dom.merge(sub, on=c.LSOA, validate="one_to_one").merge(
        ind, on=c.LSOA, validate="one_to_one"
    )
    if len(out) != c.ENGLAND_LSOA21_COUNT:
        raise BuildError(
            f"IoD 2025 England: expected {c.ENGLAND_LSOA21_COUNT} LSOAs, got {len(out)}."
        )
    for col in [f"{k}_rank" for k in ["imd", *_DOMAIN_SOURCE]] + [
        f"{k}_decile" for k in ["imd", *_DOMAIN_SOURCE]
    ]:
        out[col] = out[col].astype("Int64")
    return out


def read_file7_leeds(folder: Path) -> pd.DataFrame:
    """Official File 7 Leeds rows: IDACI/IDAOPI and mid-2022 population denominators."""
    df = pd.read_csv(source_path("iod2025_file7_leeds", folder))
    cols = {
        "LSOA code (2021)": c.LSOA,
        "Income Deprivation Affecting Children Index (IDACI) Score (rate)": c.IDACI_SCORE,
        "Income Deprivation Affecting Older People (IDAOPI) Score (rate)": c.IDAOPI_SCORE,
        "Income Deprivation Affecting Older People (IDAOPI) Decile (where 1 is most deprived 10% of LSOAs)": c.IDAOPI_DECILE,  # noqa: E501
        "Total population: mid 2022": c.POP_TOTAL,
        "Dependent Children aged 0-15: mid 2022": c.POP_0_15,
        "Older population aged 60 and over: mid 2022": c.POP_60PLUS,
        "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022": c.POP_18_66,  # noqa: E501
    }
    missing = [k for k in cols if k not in df.columns]
    if missing:
        raise BuildError(f"IoD 2025 File 7: missing columns {missing}.")
    df = df.rename(columns=cols)[list(cols.values())]
    for col in (c.POP_TOTAL, c.POP_0_15, c.POP_60PLUS, c.POP_18_66):
        df[col] = pd.to_numeric(df[col].astype(str).str.replace(",", ""), errors="raise").astype(
            "int64"
        )
    df[c.IDAOPI_DECILE] = df[c.IDAOPI_DECILE].astype("Int64")
    df[c.PCT_60PLUS] = (df[c.POP_60PLUS] / df[c.POP_TOTAL] * 100).round(2)
    return df


def imd2019_on_lsoa21(folder: Path, lookup: pd.DataFrame) -> pd.DataFrame:
    """IMD 2019 rank mapped to LSOA 2021 (area-share-weighted mean of parent ranks)."""
    f2 = pd.read_csv(source_path("iod2019_file2", folder), encoding="utf-8-sig")
    f2 = f2.rename(
        columns={
            "LSOA code (2011)": "LSOA11CD",
            "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)": "rank19",
        }
    )[["LSOA11CD", "rank19"]]
    n_2019 = len(f2)
    pairs = lookup.merge(f2, on="LSOA11CD", how="left", validate="many_to_one")
    if pairs["rank19"].isna().any():
        raise BuildError("IoD 2019: some Leeds LSOA 2011 codes have no IMD 2019 rank.")
    pairs["w"] = pairs["share_of_lsoa21"]
    agg = pairs.groupby("LSOA21CD").apply(
        lambda g: np.average(g["rank19"], weights=g["w"]), include_groups=False
    )
    out = agg.rename(c.IMD2019_RANK).reset_index().rename(columns={"LSOA21CD": c.LSOA})
    out[c.IMD2019_RANK] = out[c.IMD2019_RANK].round(0)
    out[c.IMD2019_PCT] = (out[c.IMD2019_RANK] / n_2019).round(4)
    return out


def iuc_on_lsoa21(folder: Path, lookup: pd.DataFrame) -> pd.DataFrame:
    """IUC 2018 group for each LSOA 2021, from the 2011 parent with the largest area share."""
    iuc = pd.read_csv(source_path("iuc2018", folder)).rename(columns={"LSOA11_CD": "LSOA11CD"})
    pairs = lookup.merge(iuc[["LSOA11CD", "GRP_CD", "GRP_LABEL"]], on="LSOA11CD", how="left")
    pairs = pairs.sort_values("share_of_lsoa21", ascending=False).drop_duplicates("LSOA21CD")
    out = pairs.rename(
        columns={"LSOA21CD": c.LSOA, "GRP_CD": c.IUC_GROUP_CD, "GRP_LABEL": c.IUC_GROUP}
    )[[c.LSOA, c.IUC_GROUP_CD, c.IUC_GROUP]]
    out[c.IUC_GROUP_CD] = out[c.IUC_GROUP_CD].astype("Int64")
    out[c.IUC_EXCLUDED] = out[c.IUC_GROUP_CD].isin(c.IUC_EXCLUDED_GROUPS)
    return out


def read_census_age(folder: Path, key: str = "census_age_leeds") -> pd.DataFrame:
    """Census 2021 usual residents aged 65+ and in all, and the 65+ share (%), per LSOA 2021.

    Parameters
    ----------
    folder : Path
        Source folder.
    key : {"census_age_leeds", "census_age_ew"}
        The Leeds file, or the England and Wales file (for England-wide scaling).
    """
    df = pd.read_csv(source_path(key, folder))
    needed = ["LSOA21CD", "aged_65_plus", "all_usual_residents"]
    missing = [col for col in needed if col not in df.columns]
    if missing:
        raise BuildError(f"Census 2021 age ({key}): missing columns {missing}.")
    out = pd.DataFrame(
        {
            c.LSOA: df["LSOA21CD"].astype(str),
            c.CENSUS_65PLUS: pd.to_numeric(df["aged_65_plus"], errors="raise").astype("int64"),
            c.CENSUS_RESIDENTS: pd.to_numeric(df["all_usual_residents"], errors="raise").astype(
                "int64"
            ),
        }
    )
    if (out[c.CENSUS_RESIDENTS] <= 0).any() or out[c.LSOA].duplicated().any():
        raise BuildError(f"Census 2021 age ({key}): an LSOA is repeated or has no residents.")
    # Unrounded: the DERI rescales this share, and a check recomputes it from the source file.
    out[c.PCT_65PLUS] = out[c.CENSUS_65PLUS] / out[c.CENSUS_RESIDENTS] * 100
    return out


def england_reference(folder: Path, england: pd.DataFrame) -> pd.DataFrame:
    """England-wide values for England scaling: IoD 2025 scores and indicators, Census 65+ share."""
    cols = [
        c.LSOA,
        c.IMD_SCORE,
        *[f"{k}_score" for k in c.DOMAINS],
        c.ADULT_SKILLS_SCORE,
        c.ADULT_SKILLS_INDICATOR,
        c.DIGITAL_CONNECTIVITY,
    ]
    age = read_census_age(folder, "census_age_ew")[[c.LSOA, c.PCT_65PLUS]]
    # England rows only: the census file also holds Wales, whose deprivation index differs.
    return _merge_checked(england[cols], age, c.LSOA, "Census 2021 age, England")


def census_household_deprivation(folder: Path) -> pd.DataFrame:
    """Census 2021 share of households deprived in two or more dimensions."""
    df = pd.read_csv(source_path("census_hh_deprivation", folder))
    df["dims"] = df["households_number_deprivation_dimensions"].astype(int)
    wide = df.pivot_table(index="lsoa21_code", columns="dims", values="count", aggfunc="sum")
    pct = wide[[2, 3, 4]].sum(axis=1) / wide.sum(axis=1) * 100
    return pct.round(2).rename(c.HH_DEPRIVED_2PLUS_PCT).rename_axis(c.LSOA).reset_index()


def read_postcodes(folder: Path) -> pd.DataFrame:
    """Leeds-area postcode centroids with British National Grid coordinates."""
    df = pd.read_csv(source_path("postcodes", folder), dtype={"LSOA21CD": str, "WD25CD": str})
    df = df.dropna(subset=["lat", "lon"])
    pts = gpd.GeoSeries(gpd.points_from_xy(df["lon"], df["lat"]), crs=c.CRS_WGS84).to_crs(c.CRS_BNG)
    out = pd.DataFrame(
        {
            c.POSTCODE: df["postcode"].astype(str).str.upper().str.strip(),
            c.LAT: df["lat"].astype(float),
            c.LON: df["lon"].astype(float),
            c.X: pts.x.round(1).to_numpy(),
            c.Y: pts.y.round(1).to_numpy(),
            c.IN_LEEDS: df["in_leeds"].astype(int).eq(1).to_numpy(),
            c.LSOA: df["LSOA21CD"].to_numpy(),
            c.WARD: df["WD25CD"].to_numpy(),
        }
    )
    return out.drop_duplicates(c.POSTCODE).reset_index(drop=True)


def population_weighted_centres(lsoas: gpd.GeoDataFrame, postcodes: pd.DataFrame) -> pd.DataFrame:
    """Approximate each LSOA's population-weighted centre by the mean of its postcode centroids.

    Falls back to the postcode nearest that mean when the mean lies outside the LSOA, and to the
    polygon's representative point when the LSOA has no postcode.
    """
    geom_bng = lsoas.set_index(c.LSOA).geometry.to_crs(c.CRS_BNG)
    pcs = postcodes[postcodes[c.IN_LEEDS] & postcodes[c.LSOA].notna()]
    grouped = pcs.groupby(c.LSOA)
    means = grouped[[c.X, c.Y]].mean()
    counts = grouped.size()
    rows = []
    for code, poly in geom_bng.items():
        if code in means.index:
            mx, my = means.loc[code, c.X], means.loc[code, c.Y]
            if not poly.contains(shapely.Point(mx, my)):
                members = pcs.loc[pcs[c.LSOA] == code, [c.X, c.Y]].to_numpy()
                nearest = members[np.argmin(np.hypot(members[:, 0] - mx, members[:, 1] - my))]
                mx, my = nearest
            rows.append((code, mx, my, int(counts.loc[code])))
        else:
            pt = poly.representative_point()
            rows.append((code, pt.x, pt.y, 0))
    out = pd.DataFrame(rows, columns=[c.LSOA, c.PWC_X, c.PWC_Y, c.PWC_N_POSTCODES])
    ll = gpd.GeoSeries(gpd.points_from_xy(out[c.PWC_X], out[c.PWC_Y]), crs=c.CRS_BNG).to_crs(
        c.CRS_WGS84
    )
    out[c.PWC_LAT] = ll.y.round(6).to_numpy()
    out[c.PWC_LON] = ll.x.round(6).to_numpy()
    out[[c.PWC_X, c.PWC_Y]] = out[[c.PWC_X, c.PWC_Y]].round(1)
    return out


def read_wards(folder: Path) -> gpd.GeoDataFrame:
    """Leeds electoral wards (2025), EPSG:4326."""
    gdf = gpd.read_file(source_path("wards", folder)).set_crs(c.CRS_WGS84, allow_override=True)
    return gdf.rename(columns={"WD25CD": c.WARD, "WD25NM": c.WARD_NAME})[
        [c.WARD, c.WARD_NAME, "geometry"]
    ]


def read_milestones(folder: Path) -> pd.DataFrame:
    """Public growth milestones of the hub network (dates kept as published text)."""
    return pd.read_csv(source_path("milestones", folder), dtype=str)


# --- Derived geometry ---------------------------------------------------------------------------


def dissolve_outline(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Union polygons in EPSG:27700 (closing hairline slivers) and return the outline in EPSG:4326."""
    bng = gdf.to_crs(c.CRS_BNG).geometry
    union = shapely.union_all(bng.buffer(0.5).values).buffer(-0.5)
    return gpd.GeoDataFrame({"name": ["Leeds"]}, geometry=[union], crs=c.CRS_BNG).to_crs(
        c.CRS_WGS84
    )


# --- Orchestration ------------------------------------------------------------------------------


def build_lsoas(folder: Path, postcodes: pd.DataFrame, england: pd.DataFrame) -> gpd.GeoDataFrame:
    """Join every LSOA-level source onto the 488 Leeds LSOA polygons, failing loudly on gaps."""
    gdf = read_boundaries(folder)
    df = pd.DataFrame(gdf.drop(columns="geometry"))
    df = _merge_checked(df, read_area_lookup(folder), c.LSOA, "LSOA->MSOA/ward lookup")
    leeds_iod = england[england[c.LSOA].isin(df[c.LSOA])].drop(columns="idaopi_numerator")
    df = _merge_checked(df, leeds_iod, c.LSOA, "IoD 2025")
    df = _merge_checked(df, read_file7_leeds(folder), c.LSOA, "IoD 2025 File 7")
    lookup = read_lsoa11_to_21(folder)
    df = _merge_checked(
        df, imd2019_on_lsoa21(folder, lookup), c.LSOA, "IoD 2019 via 2011->2021 lookup"
    )
    df = _merge_checked(df, iuc_on_lsoa21(folder, lookup), c.LSOA, "IUC 2018 via 2011->2021 lookup")
    df = _merge_checked(df, census_household_deprivation(folder), c.LSOA, "Census 2021 TS011")
    df = _merge_checked(df, read_census_age(folder), c.LSOA, "Census 2021 age")
    df = _merge_checked(df, population_weighted_centres(gdf, postcodes), c.LSOA, "postcode centres")
    df[c.IMD2025_PCT] = (df[c.IMD_RANK].astype(float) / c.ENGLAND_LSOA21_COUNT).round(4)
    df[c.IMD_PCT_CHANGE] = (df[c.IMD2025_PCT] - df[c.IMD2019_PCT]).round(4)

    must_have = [
        c.IMD_SCORE,
        c.IMD_RANK,
        c.IMD_DECILE,
        *[f"{k}_score" for k in c.DOMAINS],
        c.POP_TOTAL,
        c.PCT_65PLUS,
        c.ADULT_SKILLS_INDICATOR,
        c.DIGITAL_CONNECTIVITY,
        c.IDAOPI_SCORE,
    ]
    gaps = df[must_have].isna().sum()
    if gaps.any():
        raise BuildError(f"Values missing for some LSOAs: {gaps[gaps > 0].to_dict()}.")
    out = gpd.GeoDataFrame(df, geometry=gdf.geometry.values, crs=c.CRS_WGS84)
    _check_leeds_codes(out[c.LSOA], c.LEEDS_LSOA21_COUNT, "built LSOA table")
    return out.sort_values(c.LSOA).reset_index(drop=True)


def build_all(src: Path | None = None, out: Path | None = None) -> dict:
    """Build every artefact and return the manifest (timings, row counts, sources)."""
    src = src or source_dir()
    out = out or build_dir()
    missing = check_sources(src)
    if missing:
        raise MissingSourceError("\n\n".join(missing))
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)

    postcodes = read_postcodes(src)
    england = read_iod2025_england(src)
    lsoas = build_lsoas(src, postcodes, england)
    wards = read_wards(src)
    try:
        demand = demand_points(postcodes, lsoas)
    except CoverageError as err:
        raise BuildError(f"Demand postcodes: {err}") from err

    # Write to temporary names first so a failed build never leaves a half-written set.
    artefacts = {
        LSOAS_FILE: lsoas,
        LSOAS_MAP_FILE: simplify_for_map(lsoas[[c.LSOA, "geometry"]]),
        WARDS_FILE: simplify_for_map(wards),
        OUTLINE_FILE: simplify_for_map(dissolve_outline(lsoas)),
        POSTCODES_FILE: postcodes,
        DEMAND_FILE: demand,
        ENGLAND_FILE: england_reference(src, england),
        MILESTONES_FILE: read_milestones(src),
    }
    for name, frame in artefacts.items():
        frame.to_parquet(out / f".{name}.tmp", index=False)
    for name in artefacts:
        (out / f".{name}.tmp").replace(out / name)

    manifest = {
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "source_dir": str(src),
        "seconds": round(time.perf_counter() - t0, 2),
        "rows": {name: len(frame) for name, frame in artefacts.items()},
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=None, help="source data folder")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default data/build)")
    args = parser.parse_args(argv)
    try:
        manifest = build_all(args.source, args.out)
    except (MissingSourceError, BuildError) as err:
        print(f"Data build failed:\n{err}", file=sys.stderr)
        return 1
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
