"""Shared basics of the tables shown beside figures: pick and name columns for people."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def labelled(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The columns of ``frame`` that ``labels`` names, in its order, renamed for people.

    Parameters
    ----------
    frame
        A domain table (column names from ``utils.constants`` / ``geo.coverage``).
    labels
        Column name -> label shown to people; names missing from ``frame`` are skipped.

    Returns
    -------
    pd.DataFrame
        A new table with a fresh 0..n-1 index.

    Examples
    --------
    >>> labelled(pd.DataFrame({"b": [1], "a": [2], "z": [3]}), {"a": "A", "b": "B", "c": "C"})
       A  B
    0  2  1
    """
    keep = [col for col in labels if col in frame.columns]
    return pd.DataFrame(frame[keep]).rename(columns=dict(labels)).reset_index(drop=True)
