"""Indicator tables and headline figures for Leeds LSOAs (pure pandas)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utils import constants as c

# Columns of the analyst export, in order (one row per LSOA 2021).
EXPORT_COLUMNS = [
    c.LSOA,
    c.LSOA_NAME,
    c.MSOA,
    c.MSOA_NAME,
    c.WARD,
    c.WARD_NAME,
    c.IMD_SCORE,
    c.IMD_RANK,
    c.IMD_DECILE,
    *[f"{k}_score" for k in c.DOMAINS],
    c.IDACI_SCORE,
    c.IDAOPI_SCORE,
    c.ADULT_SKILLS_SCORE,
    c.DIGITAL_CONNECTIVITY,
    c.POP_TOTAL,
    c.POP_0_15,
    c.POP_60PLUS,
    c.PCT_60PLUS,
    c.IMD2019_RANK,
    c.IMD_PCT_CHANGE,
    c.IUC_GROUP,
    c.HH_DEPRIVED_2PLUS_PCT,
]


class UnknownIndicatorError(KeyError):
    """The requested indicator is not one the dashboard offers."""


def indicator_label(indicator: str) -> str:
    """Human label of a map indicator."""
    if indicator not in c.INDICATORS:
        raise UnknownIndicatorError(
            f"Unknown indicator '{indicator}'. Choose one of {list(c.INDICATORS)}."
        )
    return c.INDICATORS[indicator][0]


def decile_column_for(indicator: str) -> str | None:
    """The national-decile column that goes with an indicator, if there is one."""
    if indicator in (c.IMD_SCORE, c.IMD_DECILE):
        return c.IMD_DECILE
    if indicator == c.IDAOPI_SCORE:
        return c.IDAOPI_DECILE
    if indicator.endswith("_score") and indicator[: -len("_score")] in c.DOMAINS:
        return f"{indicator[: -len('_score')]}_decile"
    return None


def indicator_table(lsoas: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One row per LSOA with names, ward, the indicator and its national decile (table alternative).

    Parameters
    ----------
    lsoas : DataFrame
        The built LSOA table.
    indicator : str
        A key of ``constants.INDICATORS``.
    """
    indicator_label(indicator)
    decile = decile_column_for(indicator)
    cols = [c.LSOA, c.LSOA_NAME, c.MSOA_NAME, c.WARD_NAME, indicator]
    if decile and decile != indicator:
        cols.append(decile)
    if c.LCP in lsoas.columns:
        cols.insert(4, c.LCP)
    return pd.DataFrame(lsoas[cols]).reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """A figure with its source and vintage."""

    label: str
    value: str
    source: str


def headline_figures(lsoas: pd.DataFrame, n_hubs_real: int, n_hubs_sample: int) -> list[Headline]:
    """Leeds headline figures: LSOAs, population, most-deprived-10% LSOAs, hubs.

    Parameters
    ----------
    lsoas : DataFrame
        The built LSOA table.
    n_hubs_real, n_hubs_sample : int
        Open hubs in the register, real and illustrative.
    """
    most_deprived = int((lsoas[c.IMD_DECILE] == 1).sum())
    pop = int(lsoas[c.POP_TOTAL].sum())
    pop_md = int(lsoas.loc[lsoas[c.IMD_DECILE] == 1, c.POP_TOTAL].sum())
    return [
        Headline("Neighbourhoods (LSOAs)", f"{len(lsoas):,}", c.SOURCE_BOUNDARIES),
        Headline("Residents", f"{pop:,}", c.SOURCE_POP2022),
        Headline(
            "LSOAs in England's most deprived 10%",
            f"{most_deprived}",
            f"{pop_md:,} residents. {c.SOURCE_IOD2025}",
        ),
        Headline(
            "Open hubs in the register",
            f"{n_hubs_real + n_hubs_sample}",
            (f"{n_hubs_sample} are illustrative samples, not real sites. " if n_hubs_sample else "")
            + "Hub register (this dashboard)",
        ),
    ]


def lsoa_export_table(lsoas: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The analyst export: one row per LSOA 2021 with codes, names and indicators.

    Parameters
    ----------
    lsoas : DataFrame
        The built LSOA table (geometry is dropped).
    extra : DataFrame, optional
        More columns keyed by LSOA code (e.g. LCP, risk index, nearest hub); joined one-to-one.
    """
    base = [col for col in EXPORT_COLUMNS if col in lsoas.columns]
    if c.LCP in lsoas.columns:
        base[6:6] = [col for col in (c.LCP, c.LCP_STATUS) if col in lsoas.columns]
    out = pd.DataFrame(lsoas[base]).reset_index(drop=True)
    if extra is not None:
        extra = extra.drop(
            columns=[col for col in extra.columns if col in out.columns and col != c.LSOA]
        )
        out = out.merge(extra, on=c.LSOA, how="left", validate="one_to_one")
    if len(out) != len(lsoas):
        raise ValueError("Export join changed the number of LSOAs.")
    return out.sort_values(c.LSOA).reset_index(drop=True)
