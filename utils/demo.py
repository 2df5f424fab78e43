"""Real hubs by default, illustrative samples only in demo mode: the one rule and its labels.

Every figure, ranking, map, chart, recommendation, slide and export counts the register's real
hubs (sample flag false) unless the viewer turns on demo mode (``?demo=1``). While it is on, every
title says "(illustrative)", every download's file name ends "-illustrative" and every exported
row says which hubs were used (``hubs_used``).
"""

from __future__ import annotations

import pandas as pd

from utils import constants as c

DEMO_PARAM = "demo"  # URL parameter: demo=1
DEMO_LABEL = "Demo: include illustrative sample hubs"
HUBS_USED = "hubs_used"  # export column, on every row
HUBS_USED_REAL = "real"
HUBS_USED_DEMO = "real + illustrative samples"
TITLE_SUFFIX = " (illustrative)"
FILE_SUFFIX = "-illustrative"
BANNER = (
    "**Demo mode: illustrative sample hubs are included.** Every figure, map, chart, "
    "recommendation and download on this page counts invented sample hubs as well as the real "
    "register, so none of it can be quoted. Turn off *Demo* in the sidebar for real hubs only."
)


def sample_mask(hubs: pd.DataFrame) -> pd.Series:
    """True for rows flagged as illustrative samples (a missing column or value means real)."""
    if c.HUB_SAMPLE not in hubs.columns:
        return pd.Series(False, index=hubs.index)
    return hubs[c.HUB_SAMPLE].fillna(False).astype(bool)


def hubs_for_mode(hubs: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """The register rows a figure may use: real rows only, or every row in demo mode.

    Examples
    --------
    >>> reg = pd.DataFrame({"name": ["Real", "Sample"], "sample": [False, True]})
    >>> hubs_for_mode(reg, demo=False)["name"].tolist()
    ['Real']
    """
    if demo:
        return hubs
    return hubs[~sample_mask(hubs)].reset_index(drop=True)


def hubs_used(demo: bool) -> str:
    """The ``hubs_used`` value: "real" or "real + illustrative samples"."""
    return HUBS_USED_DEMO if demo else HUBS_USED_REAL


def with_hubs_used(df: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """A copy of an export table with the ``hubs_used`` column on every row (last column)."""
    out = df.copy()
    if HUBS_USED in out.columns:
        out = out.drop(columns=HUBS_USED)
    out[HUBS_USED] = hubs_used(demo)
    return out


def export_name(filename: str, demo: bool) -> str:
    """A download's file name: unchanged in real mode, ``…-illustrative.ext`` in demo mode.

    Examples
    --------
    >>> export_name("leeds_lsoas.csv", demo=True)
    'leeds_lsoas-illustrative.csv'
    """
    if not demo:
        return filename
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    if stem.endswith(FILE_SUFFIX):
        return filename
    return f"{stem}{FILE_SUFFIX}" + (f".{ext}" if dot else "")


def title(text: str, demo: bool) -> str:
    """A chart or map title, with " (illustrative)" in demo mode."""
    if not demo or text.endswith(TITLE_SUFFIX):
        return text
    return text + TITLE_SUFFIX


def real_hub_count_note(n_real: int, demo: bool = False) -> str:
    """Overview line on how many real hubs the register holds and where to add the rest."""
    if n_real == 0:
        lead = "The register holds **no real hubs** yet"
    elif n_real == 1:
        lead = "The register holds **1 real hub**"
    else:
        lead = f"The register holds **{n_real} real hubs**"
    counted = (
        "demo mode adds the illustrative samples to every figure"
        if demo
        else "every figure here counts real hubs only"
    )
    return f"{lead}; {counted}. Add or upload the rest of the network on the Hubs page."
