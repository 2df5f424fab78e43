"""Text of the About page: sources, vintages, licences, attribution and every approximation."""

from __future__ import annotations

from utils import constants as c

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Internet User Classification: CDRC IUC by the ESRC Consumer Data Research Centre."
)

SOURCES_TABLE = """
| Data | Publisher | Vintage | Geography | Licence |
|---|---|---|---|---|
| English Indices of Deprivation 2025: IMD, 7 domains, sub-domains, indicators | MHCLG | released Oct 2025 (mostly 2022–23 data) | LSOA 2021 | OGL v3.0 |
| IoD 2025 File 7: IDACI, IDAOPI, population denominators | MHCLG | mid-2022 population | LSOA 2021 | OGL v3.0 |
| English Indices of Deprivation 2019 (File 2 ranks) | MHCLG | 2019 | LSOA 2011 | OGL v3.0 |
| Internet User Classification | CDRC (Alexiou & Singleton) | 2018 | LSOA 2011 | CDRC open data |
| Census 2021 TS011 household deprivation | ONS | Census day 2021 | LSOA 2021 | OGL v3.0 |
| LSOA 2021 / MSOA 2021 / ward 2025 boundaries | ONS Open Geography Portal | Dec 2021 / May 2025 | generalised (20 m) | OGL v3.0 |
| MSOA names | House of Commons Library | 2021 | MSOA 2021 | OGL v3.0 |
| Postcode centroids (NSPL) | ONS | May 2025 | postcode | OGL v3.0 + Royal Mail terms |
| LCP facts and hub milestones | compiled from healthandcareleeds.org, 100% Digital Leeds, NHS Confederation | 2020–2024 | text | facts only |
"""

APPROXIMATIONS = [
    (
        "LCP footprints are not official",
        "Leeds has 19 Local Care Partnerships, but no official LSOA-level footprint is published. "
        "Footprints marked *described* follow a public description; *approximate* ones are our best "
        "fit to vague text; *provisional* ones group the rest of the city by ward and are not named "
        "LCPs. Non-described footprints are drawn dashed. Upload the official lookup on the Hubs page.",
    ),
    (
        "Sample hubs are illustrative",
        "Only one hub is publicly named (Cross Gates and District Good Neighbours). The other hubs in "
        "the default register are generated, seeded samples placed to follow the public growth "
        "milestones. They are orange on maps, flagged in every table and chart, and are not real sites.",
    ),
    (
        "Population-weighted centres",
        "Each LSOA's population-weighted centre is approximated by the mean of its postcode centroids "
        "(NSPL May 2025), which gives every postcode the same weight and includes non-residential "
        "postcodes. Where the mean falls outside the LSOA the nearest postcode centroid is used.",
    ),
    (
        "Straight-line reach",
        "Distances to hubs are straight lines in metres on the British National Grid (EPSG:27700), "
        "not walking routes; 800 m is used as a proxy for a 10-minute walk. Rivers, railways and "
        "main roads can make real journeys longer.",
    ),
    (
        "Wards and postcodes are assigned by geometry",
        "The LSOA-to-ward lookup is a best fit by largest area overlap (LSOAs do not nest in wards), "
        "and postcode LSOAs come from point-in-polygon tests on generalised boundaries.",
    ),
    (
        "2011 to 2021 LSOA conversion",
        "IMD 2019 and the Internet User Classification are published for 2011 LSOAs. They are moved to "
        "2021 LSOAs with a lookup derived by polygon overlap (473 unchanged, 7 split, 1 merge), not the "
        "official ONS file. Split LSOAs inherit their parent's value.",
    ),
    (
        "Comparing IMD 2019 with IMD 2025",
        "The two editions rank different numbers of LSOAs (32,844 and 33,755), so change is measured "
        "as the change in national percentile of the IMD rank, not the raw rank. Ranks are relative: "
        "an area can move without its own conditions changing.",
    ),
    (
        "Drawing simplification",
        "Boundaries are ONS generalised boundaries, further simplified for fast drawing "
        "(shared edges kept); analysis uses the unsimplified polygons.",
    ),
    (
        "Digital connectivity",
        "Broadband speed comes from the IoD 2025 digital connectivity indicator (a standardised "
        "score where higher means slower download/upload speeds), not from Ofcom Connected Nations.",
    ),
]


def approximations_markdown() -> str:
    """Every approximation the dashboard makes, as markdown."""
    return "\n".join(f"- **{title}.** {text}" for title, text in APPROXIMATIONS)


def vintage_line() -> str:
    """One line naming the main vintages, for captions."""
    return f"{c.SOURCE_IOD2025}; {c.SOURCE_POP2022}; {c.SOURCE_BOUNDARIES}."


# --- How coverage is measured (issue 12, item 4; kept apart from the text above) ----------------


def coverage_method_markdown() -> str:
    """How coverage is measured where people live, and what the equal split assumes."""
    return (
        "Coverage is measured from **where people live**, not from one point per "
        "neighbourhood. The demand points are the residential postcodes of Leeds: in Leeds, in "
        "one of the 488 LSOAs, and not in the PO-box districts LS88, LS98 and LS99 (30,659 "
        "postcodes, 16 to 818 per LSOA; NSPL May 2025). For each postcode the straight-line "
        "distance to the nearest open hub is measured on the British National Grid "
        "(EPSG:27700). An LSOA's **share within reach** is the fraction of its postcodes within "
        "the radius, and its **residents within reach** are its residents (IoD 2025, mid-2022) "
        "times that share, so part of a neighbourhood can be reached. The site planner uses the "
        "same postcodes as its demand.\n\n"
        "**What the equal split assumes.** No population count is published per postcode, so "
        "each LSOA's residents are split equally over its residential postcodes. That assumes "
        "every postcode houses the same number of people: a postcode of one large block of flats "
        "counts the same as one of a few houses, and a postcode of mostly businesses still gets "
        "a share. Within an LSOA, reach is therefore right on average but can be off where homes "
        "are unevenly spread. Totals for Leeds and for each LSOA are unchanged by the split.\n\n"
        "**At-risk residents** are always the residents of at-risk LSOAs (the top 20% of the "
        "Digital Exclusion Risk Index in Leeds, or IMD 2025 deciles 1-2 when Core20 is chosen): "
        "the same number on every page, slide and export. The planner's *risk-weighted "
        "residents* (risk index ÷ 10 × residents) is a different measure with its own name."
    )
