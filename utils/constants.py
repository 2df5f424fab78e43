"""Shared names: column names of the built tables, CRSs, radii, palettes and source vintages."""

# Coordinate reference systems: draw and store in WGS84, measure in British National Grid.
CRS_WGS84 = "EPSG:4326"
CRS_BNG = "EPSG:27700"

LEEDS_LAD_CODE = "E08000035"
LEEDS_LSOA21_COUNT = 488
LEEDS_LSOA11_COUNT = 482
ENGLAND_LSOA21_COUNT = 33_755

# --- Built LSOA table (data/build/lsoas.parquet), one row per Leeds LSOA 2021 -----------------
LSOA = "lsoa21cd"
LSOA_NAME = "lsoa21nm"
MSOA = "msoa21cd"
MSOA_NAME = "msoa_name"  # House of Commons Library MSOA name
WARD = "ward_cd"
WARD_NAME = "ward_nm"
LCP = "lcp"  # added at run time from the footprint lookup
LCP_STATUS = "lcp_status"

POP_TOTAL = "pop_total"  # mid-2022, IoD 2025 File 7
POP_0_15 = "pop_0_15"
POP_60PLUS = "pop_60plus"
POP_18_66 = "pop_18_66"
PCT_60PLUS = "pct_60plus"
# Census 2021 usual residents (census day, 21 March 2021): 65+ and all ages, and 65+ as a %.
CENSUS_65PLUS = "census_65plus"
CENSUS_RESIDENTS = "census_residents"
PCT_65PLUS = "pct_65plus"

IMD_SCORE = "imd_score"
IMD_RANK = "imd_rank"
IMD_DECILE = "imd_decile"
IDACI_SCORE = "idaci_score"
IDAOPI_SCORE = "idaopi_score"
IDAOPI_DECILE = "idaopi_decile"
ADULT_SKILLS_SCORE = "adult_skills_score"
# IoD 2025 indicator: share of working-age adults with no or low qualifications or poor English.
ADULT_SKILLS_INDICATOR = "adult_skills_indicator"
EMPLOYMENT_SCORE = "employment_score"  # IoD 2025 Employment domain score (a rate)
DIGITAL_CONNECTIVITY = "digital_connectivity"  # IoD 2025 broadband speed indicator, higher = worse

# The seven IoD domains: key -> label. Each has <key>_score, <key>_rank, <key>_decile columns.
DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
}

IMD2019_RANK = "imd2019_rank"  # mapped from LSOA 2011 via the derived lookup
IMD2019_PCT = "imd2019_pct"  # rank / 32,844 (0 = most deprived)
IMD2025_PCT = "imd2025_pct"  # rank / 33,755
IMD_PCT_CHANGE = "imd_pct_change"  # 2025 minus 2019; negative = relatively more deprived

IUC_GROUP_CD = "iuc_group_cd"
IUC_GROUP = "iuc_group"
IUC_EXCLUDED = "iuc_excluded"  # groups 7-10, usually linked with digital exclusion
IUC_EXCLUDED_GROUPS = (7, 8, 9, 10)

HH_DEPRIVED_2PLUS_PCT = "hh_deprived_2plus_pct"  # Census 2021 TS011

# Population-weighted centre, approximated by the mean of the LSOA's postcode centroids.
PWC_X = "pwc_x"
PWC_Y = "pwc_y"
PWC_LAT = "pwc_lat"
PWC_LON = "pwc_lon"
PWC_N_POSTCODES = "pwc_n_postcodes"

# --- Built postcode table (data/build/postcodes.parquet) -------------------------------------
POSTCODE = "postcode"
LAT = "lat"
LON = "lon"
X = "x"
Y = "y"
IN_LEEDS = "in_leeds"

# --- Hub register ------------------------------------------------------------------------------
HUB_ID = "hub_id"
HUB_NAME = "name"
HUB_ORG = "organisation"
HUB_ADDRESS = "address"
HUB_POSTCODE = "postcode"
HUB_LAT = "latitude"
HUB_LON = "longitude"
HUB_OPENED = "opened"
HUB_CLOSED = "closed"
HUB_SERVICES = "services"
HUB_SOURCE = "source"
HUB_SAMPLE = "sample"

# --- Coverage ----------------------------------------------------------------------------------
RADIUS_CHOICES_M = (400, 800, 1200, 2000)
DEFAULT_RADIUS_M = 800  # about a 10-minute walk
NEAREST_HUB_M = "nearest_hub_m"
COVERED = "covered"
RISK_INDEX = "risk_index"
AT_RISK = "at_risk"

# Columns geo.coverage adds (geo.coverage re-exports them; figures read them from here).
SHARE_WITHIN_REACH = "share_within_reach"  # 0-1: fraction of the LSOA's demand postcodes in reach
N_DEMAND = "demand_postcodes"  # number of demand postcodes of the LSOA
DEMAND_RESIDENTS = "residents"  # residents given to one demand postcode (LSOA total / count)
COVERED_POP = "covered_pop"
AT_RISK_POP = "at_risk_pop"
UNCOVERED_AT_RISK_POP = "uncovered_at_risk_pop"
NEAREST_HUB_IDX = "nearest_hub_idx"  # row position in the hubs frame, -1 if no hub
NEAREST_HUB = "nearest_hub"  # HUB_ID of the nearest hub (only if hubs have HUB_ID)
AREA = "area"  # label of a summary row: "Leeds" or the group value
LEEDS_LABEL = "Leeds"
NO_GROUP_LABEL = "(not assigned)"
GAP_RANK = "gap_rank"
QUADRANT = "quadrant"

# Summary columns (geo.coverage.summarise_coverage / rank_lcp_gaps).
N_LSOAS = "n_lsoas"
POPULATION = "population"
COVERED_PCT = "covered_pct"
AT_RISK_COVERED_POP = "at_risk_covered_pop"
AT_RISK_COVERED_PCT = "at_risk_covered_pct"
N_HUBS = "hubs"
HUBS_PER_10K_AT_RISK = "hubs_per_10k_at_risk"

# --- Map indicators a user can pick: column -> (label, higher_is_worse) -----------------------
INDICATORS = {
    IMD_SCORE: ("IMD 2025 score", True),
    IMD_DECILE: ("IMD 2025 decile (national, 1 = most deprived)", False),
    **{f"{k}_score": (f"{v} domain score (IoD 2025)", True) for k, v in DOMAINS.items()},
    IDAOPI_SCORE: ("Income deprivation affecting older people (IDAOPI 2025)", True),
    PCT_60PLUS: ("Share of residents aged 60+ (mid-2022)", True),
    PCT_65PLUS: ("Share of residents aged 65+ (Census 2021)", True),
    DIGITAL_CONNECTIVITY: (
        "Digital connectivity: broadband speeds (IoD 2025, higher = worse)",
        True,
    ),
}
DEFAULT_INDICATOR = IMD_SCORE

# Colour-blind-safe sequential palette (viridis, 7 steps, dark = high value).
PALETTE_SEQUENTIAL = ("#fde725", "#90d743", "#35b779", "#21918c", "#31688e", "#443983", "#440154")

# Vintages shown beside every figure.
SOURCE_IOD2025 = "English Indices of Deprivation 2025 (MHCLG, Oct 2025)"
SOURCE_POP2022 = "IoD 2025 population denominators, mid-2022 (MHCLG File 7)"
SOURCE_BOUNDARIES = "ONS LSOA 2021 boundaries (generalised, Dec 2021)"
SOURCE_CENSUS_AGE = "Census 2021 usual residents by age (ONS, 21 March 2021)"
