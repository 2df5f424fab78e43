"""Write the default LSOA 2021 -> Local Care Partnership lookup (data/footprints/lsoa21_lcp.csv).

Re-runnable and deterministic: ``.venv/bin/python scripts/make_default_footprints.py``.

Leeds has 19 Local Care Partnerships (LCPs). Public descriptions exist for ten of them
(../shared/data/leeds_local_care_partnerships_facts.csv). The official LSOA -> LCP lookup is not
published, so this script writes our best fit from three layers of rules, most specific first:

1. ``LSOA_RULES``: single LSOAs where a ward *and* an MSOA are split between LCPs (e.g. Scholes vs
   Shadwell inside one MSOA). Chosen from the postcode sectors inside each LSOA.
2. ``MSOA_RULES``: whole MSOAs (House of Commons Library names) where a ward is split ("part" in
   the facts file), e.g. Chapel Allerton South & Chapeltown -> HATCH.
3. ``WARD_RULES``: every ward (WD25CD, best-fit ward of the LSOA) gets a default footprint.

City areas whose LCP name is not public are grouped by ward into nine footprints named plainly
"Provisional: <wards> area" with status ``provisional``. No LCP name is invented.
The reasoning per footprint is in data/footprints/README.md; keep both in step.

The output is the committed, authored CSV (columns lsoa21cd, lcp, status; one row per Leeds LSOA).
With ``--summary`` the script also prints a Markdown table (LSOAs, population) for the README.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from data.sources import source_dir  # noqa: E402
from utils.constants import LEEDS_LSOA21_COUNT  # noqa: E402

OUT_PATH = REPO_ROOT / "data" / "footprints" / "lsoa21_lcp.csv"

# --- Footprint names and statuses --------------------------------------------------------------
BM = "Beeston and Middleton"
YORK_ROAD = "York Road"
CROSS_GATES = "Cross Gates"
SEACROFT = "Seacroft"
HATCH = "HATCH"
WHP = "Woodsley and Holt Park"
CENTRAL = "Central"
MORLEY = "Morley and District"
OTLEY = "Otley and Aireborough"
LS25 = "LS25 and LS26"

P_ARMLEY = "Provisional: Armley area"
P_BRAMLEY = "Provisional: Bramley & Stanningley area"
P_FARNLEY = "Provisional: Farnley & Wortley area"
P_PUDSEY = "Provisional: Pudsey area"
P_CALVERLEY = "Provisional: Calverley & Farsley area"
P_ALWOODLEY = "Provisional: Alwoodley & Adel area"
P_MOORTOWN = "Provisional: Moortown & Chapel Allerton area"
P_ROUNDHAY = "Provisional: Roundhay area"
P_WETHERBY = "Provisional: Wetherby & Harewood area"

# described: the public text lists the places/practices and we mapped those places to LSOAs.
# approximate: the LCP is named publicly but its area is vague or not stated.
# provisional: no public LCP name for this part of the city; grouped by ward.
STATUS = {
    CROSS_GATES: "described",
    HATCH: "described",
    WHP: "described",
    MORLEY: "described",
    LS25: "described",
    BM: "approximate",
    YORK_ROAD: "approximate",
    SEACROFT: "approximate",
    CENTRAL: "approximate",
    OTLEY: "approximate",
    **{
        p: "provisional"
        for p in (
            P_ARMLEY,
            P_BRAMLEY,
            P_FARNLEY,
            P_PUDSEY,
            P_CALVERLEY,
            P_ALWOODLEY,
            P_MOORTOWN,
            P_ROUNDHAY,
            P_WETHERBY,
        )
    },
}

# --- Ward defaults: WD25CD -> (ward name as a check, footprint) ---------------------------------
WARD_RULES: dict[str, tuple[str, str]] = {
    "E05011549": ("Otley & Yeadon", OTLEY),
    "E05011395": ("Guiseley & Rawdon", OTLEY),
    "E05011547": ("Horsforth", WHP),
    "E05011397": ("Headingley & Hyde Park", WHP),
    "E05011403": ("Little London & Woodhouse", WHP),
    "E05011402": ("Kirkstall", WHP),
    "E05011413": ("Weetwood", WHP),  # Ireland Wood, Tinshill, Far Headingley (see README)
    "E05012841": ("Adel & Wharfedale", P_ALWOODLEY),  # Holt Park/Cookridge/Pool split off below
    "E05012842": ("Alwoodley", P_ALWOODLEY),
    "E05011405": ("Moortown", P_MOORTOWN),
    "E05011390": ("Chapel Allerton", P_MOORTOWN),  # Chapeltown split off to HATCH below
    "E05011411": ("Roundhay", P_ROUNDHAY),
    "E05011414": ("Wetherby", P_WETHERBY),
    "E05011396": ("Harewood", P_WETHERBY),  # Scholes and Barwick/Aberford split off below
    "E05011394": ("Gipton & Harehills", HATCH),  # Gipton split off to York Road below
    "E05011388": ("Burmantofts & Richmond Hill", HATCH),  # Osmondthorpe/Halton Moor -> York Road
    "E05011400": ("Killingbeck & Seacroft", SEACROFT),  # Killingbeck/Cross Gates West split off
    "E05011391": ("Cross Gates & Whinmoor", CROSS_GATES),
    "E05013831": ("Temple Newsam", CROSS_GATES),  # Halton Moor split off to York Road
    "E05013830": ("Garforth & Swillington", LS25),
    "E05011401": ("Kippax & Methley", LS25),
    "E05011410": ("Rothwell", LS25),
    "E05011384": ("Ardsley & Robin Hood", MORLEY),  # Robin Hood/Lofthouse split off to LS25/26
    "E05011406": ("Morley North", MORLEY),
    "E05011407": ("Morley South", MORLEY),
    "E05012647": ("Beeston & Holbeck", BM),
    "E05011404": ("Middleton Park", BM),
    "E05011399": ("Hunslet & Riverside", BM),  # city centre and Leeds Dock split off to Central
    "E05011385": ("Armley", P_ARMLEY),
    "E05011387": ("Bramley & Stanningley", P_BRAMLEY),
    "E05012648": ("Farnley & Wortley", P_FARNLEY),
    "E05011409": ("Pudsey", P_PUDSEY),
    "E05011389": ("Calverley & Farsley", P_CALVERLEY),
}

# --- MSOA rules (applied to every LSOA of the MSOA, whatever its ward) --------------------------
MSOA_RULES: dict[str, tuple[str, str]] = {
    "E02002342": ("Cookridge & Holt Park", WHP),  # Holt Park, Cookridge named
    "E02002348": ("Lawnswood & Ireland Wood", WHP),  # Ireland Wood practice named
    "E02002336": ("Bramhope & Pool-in-Wharfedale", OTLEY),  # Otley side of the Chevin
    "E02006861": ("Hyde Park Corner & Woodhouse Cliff", WHP),  # Hyde Park, Woodhouse named
    "E02002371": ("Chapel Allerton South & Chapeltown", HATCH),  # Chapeltown named
    "E02002376": ("Gipton North", YORK_ROAD),
    "E02002389": ("Gipton South & Killingbeck Park", YORK_ROAD),
    "E02002399": ("Osmondthorpe & Neville Hill", YORK_ROAD),
    "E02002401": ("Halton Moor", YORK_ROAD),
    "E02002393": ("Lincoln Green & St James", HATCH),  # Burmantofts named
    "E02006875": ("Leeds City Centre", CENTRAL),
    "E02006876": ("Leeds Dock, Hunslet & Stourton", CENTRAL),
    "E02002410": ("Wortley", P_FARNLEY),  # one Wortley LSOA has Beeston & Holbeck as best-fit ward
    "E02002400": ("Armley & New Wortley", P_ARMLEY),
    "E02002434": ("Robin Hood, Lofthouse & Middleton Lane", LS25),  # Lofthouse Surgery named
}

# --- LSOA rules (MSOA itself split) -------------------------------------------------------------
LSOA_RULES: dict[str, tuple[str, str]] = {
    # Scarcroft, Shadwell & Scholes MSOA: the two LS15 4 (Scholes) LSOAs -> Cross Gates.
    "E01011715": ("Scholes (north)", CROSS_GATES),
    "E01011719": ("Scholes", CROSS_GATES),
    # Aberford, Barwick & Thorner MSOA: Barwick-in-Elmet (named) and Aberford (LS25) -> LS25/26;
    # Thorner (LS14 3, E01011310) stays with the Wetherby & Harewood provisional group.
    "E01011296": ("Barwick-in-Elmet", LS25),
    "E01011309": ("Barwick-in-Elmet east / Potterton", LS25),
    "E01011297": ("Aberford", LS25),
    # Cross Gates West & Killingbeck MSOA: LS15 7 (Cross Gates, incl. Station Road LS15 7JY)
    # -> Cross Gates; LS14 6 / LS9 0 (Killingbeck) -> York Road.
    "E01011345": ("Cross Gates west (Station Road)", CROSS_GATES),
    "E01011666": ("Cross Gates west", CROSS_GATES),
    "E01011341": ("Killingbeck", YORK_ROAD),
    "E01011343": ("Killingbeck / Seacroft edge", YORK_ROAD),
}


def assign_footprints(lookup: pd.DataFrame) -> pd.DataFrame:
    """Return lsoa21cd, lcp, status for every LSOA in the LSOA -> MSOA -> ward lookup.

    Parameters
    ----------
    lookup : pandas.DataFrame
        ../shared/data/leeds_lsoa2021_msoa_ward_lookup.csv (LSOA21CD, MSOA21CD, MSOA21HCLNM,
        WD25CD, WD25NM).
    """
    wards = lookup.drop_duplicates("WD25CD").set_index("WD25CD")["WD25NM"]
    for code, (name, _) in WARD_RULES.items():
        if wards.get(code) != name:
            raise ValueError(
                f"Ward {code} is {wards.get(code)!r} in the lookup, rule says {name!r}"
            )
    missing_wards = set(wards.index) - set(WARD_RULES)
    if missing_wards:
        raise ValueError(f"No rule for wards {sorted(missing_wards)}")
    msoas = lookup.drop_duplicates("MSOA21CD").set_index("MSOA21CD")["MSOA21HCLNM"]
    for code, (name, _) in MSOA_RULES.items():
        if msoas.get(code) != name:
            raise ValueError(
                f"MSOA {code} is {msoas.get(code)!r} in the lookup, rule says {name!r}"
            )
    unknown_lsoas = set(LSOA_RULES) - set(lookup["LSOA21CD"])
    if unknown_lsoas:
        raise ValueError(f"LSOA rules name unknown LSOAs {sorted(unknown_lsoas)}")

    def pick(row: pd.Series) -> str:
        if row["LSOA21CD"] in LSOA_RULES:
            return LSOA_RULES[row["LSOA21CD"]][1]
        if row["MSOA21CD"] in MSOA_RULES:
            return MSOA_RULES[row["MSOA21CD"]][1]
        return WARD_RULES[row["WD25CD"]][1]

    out = pd.DataFrame({"lsoa21cd": lookup["LSOA21CD"]})
    out["lcp"] = lookup.apply(pick, axis=1)
    out["status"] = out["lcp"].map(STATUS)
    return out.sort_values("lsoa21cd").reset_index(drop=True)


def check(footprints: pd.DataFrame, facts: pd.DataFrame) -> None:
    """Raise if the lookup breaks the contract: 488 LSOAs once each, 19 LCPs, names from the facts."""
    if len(footprints) != LEEDS_LSOA21_COUNT or footprints["lsoa21cd"].duplicated().any():
        raise ValueError("Each of the 488 Leeds LSOAs must appear exactly once")
    if footprints["lcp"].nunique() != 19:
        raise ValueError(f"Expected 19 footprints, got {footprints['lcp'].nunique()}")
    named = {n for n in facts["lcp_name"] if not str(n).startswith("(")}
    used_named = {n for n in footprints["lcp"] if not n.startswith("Provisional:")}
    if used_named != named:
        raise ValueError(f"Named footprints {sorted(used_named)} differ from facts {sorted(named)}")


def summary_table(footprints: pd.DataFrame, population: pd.Series) -> str:
    """Markdown table: footprint, status, LSOAs, mid-2022 population."""
    df = footprints.assign(pop=footprints["lsoa21cd"].map(population))
    g = df.groupby(["lcp", "status"], as_index=False).agg(
        lsoas=("lsoa21cd", "size"), pop=("pop", "sum")
    )
    order = {"described": 0, "approximate": 1, "provisional": 2}
    g = g.sort_values(["status", "lcp"], key=lambda s: s.map(order) if s.name == "status" else s)
    lines = ["| footprint | status | LSOAs | population mid-2022 |", "|---|---|---:|---:|"]
    lines += [f"| {r.lcp} | {r.status} | {r.lsoas} | {int(r.pop):,} |" for r in g.itertuples()]
    lines.append(f"| **Leeds** | | {len(df)} | {int(df['pop'].sum()):,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write data/footprints/lsoa21_lcp.csv from the shared lookups."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="shared data folder")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    parser.add_argument("--summary", action="store_true", help="print a Markdown summary table")
    args = parser.parse_args(argv)
    src = args.source or source_dir()

    lookup = pd.read_csv(src / "leeds_lsoa2021_msoa_ward_lookup.csv", dtype=str)
    facts = pd.read_csv(src / "leeds_local_care_partnerships_facts.csv", dtype=str)
    footprints = assign_footprints(lookup)
    check(footprints, facts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    footprints.to_csv(args.out, index=False, lineterminator="\n")
    print(
        f"Wrote {len(footprints)} LSOAs in {footprints['lcp'].nunique()} footprints to {args.out}"
    )
    if args.summary:
        file7 = pd.read_csv(src / "iod2025_leeds_lsoa21_File7_official.csv")
        population = file7.set_index("LSOA code (2021)")["Total population: mid 2022"]
        print(summary_table(footprints, population))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
