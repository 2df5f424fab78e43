"""Digital Exclusion Risk Index (GMCA DERI v1 method, adapted) for Leeds LSOAs.

Method (GMCA, "DERI Score Methodology v1", GreaterManchesterODA/Digital-Exclusion-Risk-Index)
---------------------------------------------------------------------------------------------
1. Each indicator becomes a 0-10 score by min-max over the local authority (Leeds; England
   when ``scaling="england"`` and an England-wide ``reference`` table is given)::

       direction +1 (higher value = higher risk):  s = 10 * (x - min) / (max - min)
       direction -1 (higher value = lower risk):   s = 10 * (max - x) / (max - min)

   so that 10 always means the highest risk in the area.
2. A component score is the weighted sum of its indicator scores (GMCA's weights within the
   component, which add up to 1): Age, Broadband, Deprivation.
3. The DERI score is the mean of the three components (weights 1/3 each; the user can change
   them, and the index is then the weighted mean)::

       DERI = sum_c(w_c * S_c) / sum_c(w_c)      (c = components with a score, w_c > 0)

The inputs are the open data held for Leeds, not GMCA's own (see ``DEFAULT_SPEC``: each
indicator names the GMCA indicator it stands in for and why).

Missing inputs (for example suppressed values) are never treated as zero: a component's weighted
sum is re-normalised over the indicators it has, the index over the components it has, and the
``risk_missing`` column says in plain English what was left out. An LSOA with no inputs at all
gets a NaN index and a reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from utils.constants import (
    ADULT_SKILLS_INDICATOR,
    AT_RISK,
    DIGITAL_CONNECTIVITY,
    EMPLOYMENT_SCORE,
    IDAOPI_SCORE,
    IMD_DECILE,
    IMD_SCORE,
    LSOA,
    PCT_65PLUS,
    RISK_INDEX,
    SOURCE_CENSUS_AGE,
    SOURCE_IOD2025,
)

__all__ = [
    "AT_RISK_DEFINITIONS",
    "DEFAULT_COMPONENT_WEIGHTS",
    "DEFAULT_SPEC",
    "DERI_NAME",
    "DERI_SHORT",
    "RISK_COMPLETE",
    "RISK_MISSING",
    "Component",
    "Indicator",
    "RiskDataError",
    "RiskError",
    "RiskWeightError",
    "at_risk_flags",
    "attach_risk",
    "component_column",
    "compute_risk_index",
    "deri_table",
    "describe_method",
    "local_only_indicators",
    "raw_column",
    "risk_breakdown",
    "scaled_column",
]

DERI_NAME = "Digital Exclusion Risk Index (GMCA DERI v1 method, adapted)"
DERI_SHORT = "DERI"
GMCA_METHOD_SOURCE = (
    "Greater Manchester Combined Authority, Digital Exclusion Risk Index, "
    "'DERI Score Methodology v1' (github.com/GreaterManchesterODA/Digital-Exclusion-Risk-Index)"
)

# Columns this module adds (not in utils/constants.py; the lead may move them there).
RISK_MISSING = "risk_missing"  # "" when every input was present, else a plain-English reason
RISK_COMPLETE = "risk_complete"  # True when every input of every weighted component was present
COMPONENT_PREFIX = "risk_"  # component score columns: risk_<component key>
SCALED_SUFFIX = "_scaled"  # 0-10 indicator score columns: <indicator column>_scaled
RAW_SUFFIX = "_raw"  # the indicator's own value, copied for breakdowns: <indicator column>_raw

TOP20_SHARE = 0.2
AT_RISK_DEFINITIONS = {
    "top20_risk": f"The 20% of Leeds LSOAs with the highest {DERI_SHORT} score",
    "core20": "LSOAs in the most deprived 20% nationally (IMD 2025 deciles 1-2; NHS Core20)",
}


class RiskError(ValueError):
    """Base class for problems computing the risk index."""


class RiskWeightError(RiskError):
    """Component weights that cannot be used (negative, all zero, unknown component)."""


class RiskDataError(RiskError):
    """Input table unusable for the index (missing columns, non-numeric values, no reference)."""


@dataclass(frozen=True)
class Indicator:
    """One input column of the index.

    ``direction`` is +1 if a higher value means higher risk; ``weight`` is its weight within
    its component. ``gmca`` names the GMCA indicator (and its GMCA weight) it stands in for,
    ``why`` says why this input is used instead, and ``england_wide`` says whether the shared
    data holds values for every LSOA in England (needed for England scaling).
    """

    column: str
    label: str
    source: str
    direction: int = 1
    weight: float = 1.0
    gmca: str = ""
    why: str = ""
    england_wide: bool = True


@dataclass(frozen=True)
class Component:
    """A group of indicators scored together; ``weight`` is its default weight in the index."""

    key: str
    label: str
    indicators: tuple[Indicator, ...]
    weight: float = 1.0
    note: str = ""


SOURCE_FILE7 = "IoD 2025 File 7 (MHCLG), Leeds rows"

# The GMCA v1 components and weights; each input is the closest open substitute held here.
DEFAULT_SPEC: tuple[Component, ...] = (
    Component(
        key="age",
        label="Age",
        indicators=(
            Indicator(
                PCT_65PLUS,
                "Residents aged 65+ (% of all usual residents, Census 2021)",
                SOURCE_CENSUS_AGE,
                weight=1.0,
                gmca="Share of residents aged 65+ (50%) and aged 75+ (50%)",
                why="No 75+ count by LSOA is in the shared data (Census 2021 age is held in six "
                "groups, the oldest being 65+), so the 65+ share takes the whole component.",
            ),
        ),
    ),
    Component(
        key="broadband",
        label="Broadband",
        indicators=(
            Indicator(
                DIGITAL_CONNECTIVITY,
                "IoD 2025 digital connectivity indicator: broadband download and upload "
                "speeds (higher = worse)",
                SOURCE_IOD2025,
                weight=1.0,
                gmca="Homes unable to get 30 Mbit/s, connections below 10 Mbit/s, average "
                "download speed (1/3 each)",
                why="Ofcom Connected Nations figures by LSOA are not in the shared data; this "
                "IoD 2025 indicator is MHCLG's published measure of slow broadband for every "
                "LSOA in England.",
            ),
        ),
    ),
    Component(
        key="deprivation",
        label="Deprivation",
        indicators=(
            Indicator(
                IDAOPI_SCORE,
                "Income deprivation affecting older people (IDAOPI score, rate)",
                SOURCE_FILE7,
                weight=0.2,
                gmca="Residents aged 65+ on Pension Credit (guarantee) (20%)",
                why="Pension Credit claimants by LSOA (DWP) are not in the shared data; IDAOPI "
                "counts people aged 60+ in income-deprived families, mostly through Pension "
                "Credit (guarantee).",
                england_wide=False,
            ),
            Indicator(
                ADULT_SKILLS_INDICATOR,
                "Adult skills and English language proficiency indicator (IoD 2025)",
                SOURCE_IOD2025,
                weight=0.4,
                gmca="Residents aged 16+ with no qualifications (40%)",
                why="Census qualifications by LSOA are not in the shared data; this IoD 2025 "
                "indicator is the share of working-age adults with no or low qualifications or "
                "who cannot speak English well.",
            ),
            Indicator(
                EMPLOYMENT_SCORE,
                "Employment deprivation score (rate, IoD 2025)",
                SOURCE_IOD2025,
                weight=0.2,
                gmca="Alternative unemployment rate (20%)",
                why="The alternative unemployment rate is not in the shared data; the IoD 2025 "
                "Employment score is the share of working-age residents involuntarily out of "
                "work, from benefit records.",
            ),
            Indicator(
                IMD_SCORE,
                "Index of Multiple Deprivation 2025 score",
                SOURCE_IOD2025,
                weight=0.2,
                gmca="Index of Multiple Deprivation score (20%)",
                why="The same indicator, 2025 edition.",
            ),
        ),
    ),
)

DEFAULT_COMPONENT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {c.key: c.weight for c in DEFAULT_SPEC}
)


def raw_column(column: str) -> str:
    """Name of the column holding an indicator's own (unscaled) value in the index's result."""
    return f"{column}{RAW_SUFFIX}"


def local_only_indicators(spec: Sequence[Component] = DEFAULT_SPEC) -> list[str]:
    """Labels of the indicators with no England-wide values here (always scaled within Leeds)."""
    return [i.label for comp in spec for i in comp.indicators if not i.england_wide]


def scaled_column(column: str) -> str:
    """Name of the 0-10 rescaled column for an indicator column."""
    return f"{column}{SCALED_SUFFIX}"


def component_column(key: str) -> str:
    """Name of the component score column for a component key."""
    return f"{COMPONENT_PREFIX}{key}"


def _resolve_weights(
    component_weights: Mapping[str, float] | None, spec: Sequence[Component]
) -> dict[str, float]:
    """Defaults from the spec, overridden by the user's weights; validated."""
    weights = {c.key: float(c.weight) for c in spec}
    if component_weights is not None:
        unknown = sorted(set(component_weights) - set(weights))
        if unknown:
            raise RiskWeightError(
                f"Unknown component(s) {', '.join(unknown)}; the index has: {', '.join(weights)}."
            )
        for key, value in component_weights.items():
            try:
                weights[key] = float(value)
            except (TypeError, ValueError):
                raise RiskWeightError(
                    f"The weight for '{key}' must be a number, not {value!r}."
                ) from None
    labels = {c.key: c.label for c in spec}
    for key, value in weights.items():
        if not math.isfinite(value):
            raise RiskWeightError(f"The weight for '{labels[key]}' must be a finite number.")
        if value < 0:
            raise RiskWeightError(
                f"The weight for '{labels[key]}' is negative ({value:g}); "
                "weights must be zero or more."
            )
    if sum(weights.values()) <= 0:
        raise RiskWeightError(
            "All component weights are zero; give at least one component a weight above zero."
        )
    return weights


def _validate_spec(spec: Sequence[Component]) -> None:
    keys = [c.key for c in spec]
    if len(set(keys)) != len(keys):
        raise RiskDataError("Component keys in the risk spec must be unique.")
    for comp in spec:
        if not comp.indicators:
            raise RiskDataError(f"Component '{comp.label}' has no indicators.")
        for ind in comp.indicators:
            if ind.direction not in (1, -1):
                raise RiskDataError(
                    f"Indicator '{ind.label}' has direction {ind.direction}; use +1 or -1."
                )
            if not (math.isfinite(ind.weight) and ind.weight >= 0):
                raise RiskDataError(f"Indicator '{ind.label}' needs a weight of zero or more.")
        if sum(ind.weight for ind in comp.indicators) <= 0:
            raise RiskDataError(f"Component '{comp.label}' has only zero-weight indicators.")


def _as_float(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """Column as a float array with NaN for missing; booleans become 0/1; text is refused."""
    series = frame[column]
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if series.isna().all():
        return np.full(len(series), np.nan)
    raise RiskDataError(
        f"Column '{column}' in the {what} holds {series.dtype} values; the index needs numbers."
    )


def _rescale(values: np.ndarray, lo: float, hi: float, direction: int) -> np.ndarray:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        # No spread across the area: the indicator cannot rank LSOAs, so it is treated as
        # missing (and reported) rather than guessed as 0 or 5.
        return np.full(values.shape, np.nan)
    scaled = 10.0 * (values - lo) / (hi - lo) if direction > 0 else 10.0 * (hi - values) / (hi - lo)
    # England min/max may not contain a local value exactly if the reference vintage differs.
    return np.clip(scaled, 0.0, 10.0)


def _weighted_mean(scores: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise weighted mean over non-NaN columns; returns (mean, present mask)."""
    present = ~np.isnan(scores)
    w = np.where(present, weights[np.newaxis, :], 0.0)
    total = w.sum(axis=1)
    num = np.where(present, scores, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, num / np.where(total > 0, total, 1.0), np.nan)
    return mean, present


def _check_inputs(
    lsoas: pd.DataFrame,
    scaling: str,
    reference: pd.DataFrame | None,
    active: Sequence[Component],
) -> None:
    """Refuse an unknown scaling, a missing reference, LSOA column or weighted indicator, and
    repeated LSOA codes."""
    if scaling not in ("leeds", "england"):
        raise RiskDataError(f"Scaling must be 'leeds' or 'england', not {scaling!r}.")
    if scaling == "england" and reference is None:
        raise RiskDataError(
            "England-wide scaling needs the England reference table "
            "(data/build/england_iod2025.parquet); pass it as `reference`."
        )
    if LSOA not in lsoas.columns:
        raise RiskDataError(f"The LSOA table has no '{LSOA}' (LSOA code) column.")
    codes = lsoas[LSOA]
    if codes.duplicated().any():
        dup = codes[codes.duplicated()].iloc[0]
        raise RiskDataError(f"LSOA code {dup} appears more than once; one row per LSOA needed.")
    needed = sorted({i.column for c in active for i in c.indicators} - set(lsoas.columns))
    if needed:
        raise RiskDataError(
            f"The LSOA table lacks column(s) {', '.join(needed)} needed by the weighted "
            "components; rebuild the data or set those components' weights to zero."
        )


def _scaled_indicator(
    lsoas: pd.DataFrame,
    ind: Indicator,
    reference: pd.DataFrame | None,
    weighted: bool,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """An indicator's values and 0-10 scores: min/max over Leeds, or over ``reference``
    (England) when given and it holds the column. Notes why a weighted indicator cannot rank."""
    values = _as_float(lsoas, ind.column, "LSOA table")
    lo, hi = np.nanmin(values, initial=np.inf), np.nanmax(values, initial=-np.inf)
    if reference is not None:
        if ind.column in reference.columns:
            ref = _as_float(reference, ind.column, "England reference table")
            lo, hi = np.nanmin(ref, initial=np.inf), np.nanmax(ref, initial=-np.inf)
        elif weighted:
            notes.append(f"{ind.label}: not in the England table, scaled within the local area.")
    scaled = _rescale(values, lo, hi, ind.direction)
    if np.isnan(scaled).all() and not np.isnan(values).all() and weighted:
        notes.append(f"{ind.label}: the same value everywhere, so it cannot rank areas.")
    return values, scaled


def compute_risk_index(
    lsoas: pd.DataFrame,
    component_weights: Mapping[str, float] | None = None,
    scaling: Literal["leeds", "england"] = "leeds",
    reference: pd.DataFrame | None = None,
    *,
    spec: Sequence[Component] = DEFAULT_SPEC,
) -> pd.DataFrame:
    """Compute the Digital Exclusion Risk Index (GMCA DERI v1 method, adapted) for each LSOA.

    Parameters
    ----------
    lsoas
        One row per LSOA with an ``LSOA`` code column and the indicator columns of ``spec``
        (only components with a weight above zero are required).
    component_weights
        Weight per component key (any non-negative scale; re-normalised). Keys left out keep
        their default from ``DEFAULT_COMPONENT_WEIGHTS`` (the DERI's equal thirds).
    scaling
        ``"leeds"``: min/max over the rows of ``lsoas``. ``"england"``: min/max over
        ``reference`` (England-wide values of the same columns); indicators absent from the
        reference fall back to the local min/max, listed in ``result.attrs["scaling_notes"]``.
    reference
        England-wide table, required when ``scaling="england"``.
    spec
        Components and indicators; ``DEFAULT_SPEC`` unless testing or exploring.

    Returns
    -------
    pd.DataFrame
        Indexed by LSOA code (index name ``LSOA``), in input order, with the indicator's own
        value (``<column>_raw``) and its 0-10 score (``<column>_scaled``, 10 = highest risk)
        for every indicator, one
        ``risk_<component>`` column per component, ``RISK_INDEX`` (0-10, NaN if no input),
        ``risk_missing`` (plain-English reason, "" when complete) and ``risk_complete``.
        ``attrs`` holds ``component_weights``, ``scaling`` and ``scaling_notes``.

    Raises
    ------
    RiskWeightError
        Negative, non-finite, unknown or all-zero weights.
    RiskDataError
        Missing LSOA/indicator columns, duplicate LSOA codes, text values, or England
        scaling without a reference table.
    """
    _validate_spec(spec)
    weights = _resolve_weights(component_weights, spec)
    active = [c for c in spec if weights[c.key] > 0]
    _check_inputs(lsoas, scaling, reference, active)
    codes = lsoas[LSOA]

    n = len(lsoas)
    out: dict[str, np.ndarray] = {}
    comp_scores: dict[str, np.ndarray] = {}
    notes: list[str] = []
    # Per-row reason fragments, only built where something is missing.
    reasons: list[list[str]] = [[] for _ in range(n)]
    complete = np.ones(n, dtype=bool)

    for comp in spec:
        usable = [i for i in comp.indicators if i.column in lsoas.columns]
        if len(usable) < len(comp.indicators):
            # Only reachable for zero-weight components (checked above): skip quietly.
            continue
        scaled_cols = []
        for ind in usable:
            values, scaled = _scaled_indicator(
                lsoas,
                ind,
                reference if scaling == "england" else None,
                weights[comp.key] > 0,
                notes,
            )
            out[raw_column(ind.column)] = values
            out[scaled_column(ind.column)] = scaled
            scaled_cols.append(scaled)
        matrix = np.column_stack(scaled_cols)
        ind_w = np.array([i.weight for i in usable], dtype=float)
        score, present = _weighted_mean(matrix, ind_w)
        comp_scores[comp.key] = score
        out[component_column(comp.key)] = score
        if weights[comp.key] <= 0:
            continue
        # Zero-weight indicators do not count towards "missing".
        counts = ind_w > 0
        lacking = (~present) & counts[np.newaxis, :]
        for row in np.flatnonzero(lacking.any(axis=1)):
            complete[row] = False
            if np.isnan(score[row]):
                reasons[row].append(
                    f"{comp.label}: no data, so the index uses the other components"
                )
            else:
                missing_labels = [usable[j].label for j in np.flatnonzero(lacking[row])]
                reasons[row].append(
                    f"{comp.label}: {' and '.join(missing_labels)} not available "
                    "(suppressed or missing), so this component uses the remaining indicator(s)"
                )

    keys = [c.key for c in active]
    comp_matrix = np.column_stack([comp_scores[k] for k in keys])
    comp_w = np.array([weights[k] for k in keys], dtype=float)
    index, _ = _weighted_mean(comp_matrix, comp_w)
    for row in np.flatnonzero(np.isnan(index)):
        reasons[row] = ["No inputs available for any weighted component; index not computed"]

    result = pd.DataFrame(out, index=pd.Index(codes.to_numpy(), name=LSOA))
    result[RISK_INDEX] = index
    result[RISK_MISSING] = pd.array(["; ".join(r) for r in reasons], dtype="string")
    result[RISK_COMPLETE] = complete
    result.attrs["component_weights"] = dict(weights)
    result.attrs["scaling"] = scaling
    result.attrs["scaling_notes"] = list(dict.fromkeys(notes))
    return result


def risk_breakdown(
    result: pd.DataFrame | pd.Series,
    lsoa: str | None = None,
    component_weights: Mapping[str, float] | None = None,
    *,
    spec: Sequence[Component] = DEFAULT_SPEC,
    level: Literal["component", "indicator"] = "component",
) -> pd.DataFrame:
    """What drives one LSOA's score: each component's (or indicator's) part in its index.

    Parameters
    ----------
    result
        The frame from ``compute_risk_index`` (then give ``lsoa``), or one row of it.
    lsoa
        LSOA code, when ``result`` is the whole frame.
    component_weights
        The weights used for the index; defaults to ``result.attrs["component_weights"]``,
        then to ``DEFAULT_COMPONENT_WEIGHTS``.
    level
        ``"component"`` (one row per weighted component) or ``"indicator"`` (one row per
        indicator of a weighted component, with its raw value and 0-10 score).

    Returns
    -------
    pd.DataFrame
        ``level="component"``: ``component``, ``label``, ``weight``, ``score`` (0-10, NaN if
        missing), ``available``, ``weight_share`` (weight / total weight of the available
        components) and ``contribution`` (weight x score / total weight of the available
        components). Contributions sum to the row's ``RISK_INDEX``.

        ``level="indicator"``: ``component``, ``component_label``, ``indicator`` (column),
        ``label``, ``source``, ``raw`` (the indicator's own value), ``score`` (0-10),
        ``weight_in_component`` (GMCA weight within the component), ``available``,
        ``component_score`` and ``component_weight_share`` (the component's share of the
        index). Within a complete component, ``weight_in_component x score`` sums to
        ``component_score``.
    """
    if component_weights is None:
        component_weights = result.attrs.get("component_weights")
    weights = _resolve_weights(component_weights, spec)
    if isinstance(result, pd.DataFrame):
        if lsoa is None:
            raise RiskDataError("Give the LSOA code to break down, or pass a single row.")
        if lsoa not in result.index:
            raise RiskDataError(f"LSOA {lsoa} is not in the risk table.")
        row = result.loc[lsoa]
    else:
        row = result
    if level not in ("component", "indicator"):
        raise RiskDataError(f"Breakdown level must be 'component' or 'indicator', not {level!r}.")

    def value(col: str) -> float:
        return float(row[col]) if col in row.index and pd.notna(row[col]) else math.nan

    rows = []
    for comp in spec:
        w = weights[comp.key]
        if w <= 0:
            continue
        rows.append(
            {
                "component": comp.key,
                "label": comp.label,
                "weight": w,
                "score": value(component_column(comp.key)),
            }
        )
    frame = pd.DataFrame(rows, columns=["component", "label", "weight", "score"])
    frame["available"] = frame["score"].notna()
    total = frame.loc[frame["available"], "weight"].sum()
    if total > 0:
        frame["weight_share"] = np.where(frame["available"], frame["weight"] / total, 0.0)
        frame["contribution"] = np.where(
            frame["available"], frame["weight"] * frame["score"].fillna(0.0) / total, 0.0
        )
    else:
        frame["weight_share"] = np.nan
        frame["contribution"] = np.nan
    if level == "component":
        return frame

    shares = dict(zip(frame["component"], frame["weight_share"], strict=True))
    ind_rows = []
    for comp in spec:
        if weights[comp.key] <= 0:
            continue
        comp_total = sum(i.weight for i in comp.indicators)
        for ind in comp.indicators:
            score = value(scaled_column(ind.column))
            ind_rows.append(
                {
                    "component": comp.key,
                    "component_label": comp.label,
                    "indicator": ind.column,
                    "label": ind.label,
                    "source": ind.source,
                    "raw": value(raw_column(ind.column)),
                    "score": score,
                    "weight_in_component": ind.weight / comp_total,
                    "available": not math.isnan(score),
                    "component_score": value(component_column(comp.key)),
                    "component_weight_share": shares[comp.key],
                }
            )
    return pd.DataFrame(ind_rows)


def at_risk_flags(
    df: pd.DataFrame,
    definition: Literal["top20_risk", "core20"] = "top20_risk",
    *,
    share: float = TOP20_SHARE,
) -> pd.Series:
    """Flag at-risk LSOAs.

    Parameters
    ----------
    df
        Rows to flag: for ``"top20_risk"`` it needs ``RISK_INDEX`` (and the ranking is
        within these rows, so pass all of Leeds); for ``"core20"`` it needs ``IMD_DECILE``.
    definition
        ``"top20_risk"``: the ``ceil(share x n)`` LSOAs with the highest index, where n counts
        LSOAs with an index; ties at the cut-off are all included. ``"core20"``: IMD 2025
        national decile 1 or 2 (the NHS Core20 definition).
    share
        Share of LSOAs flagged by ``"top20_risk"`` (default 0.2).

    Returns
    -------
    pd.Series
        Boolean, same index as ``df``, named ``AT_RISK``. LSOAs without an index (or without
        a decile) are False: their reason is in ``risk_missing``.
    """
    if definition == "top20_risk":
        if RISK_INDEX not in df.columns:
            raise RiskDataError(
                f"'top20_risk' needs the '{RISK_INDEX}' column; run compute_risk_index first."
            )
        if not 0 < share <= 1:
            raise RiskDataError(f"The at-risk share must be between 0 and 1, not {share}.")
        risk = pd.to_numeric(df[RISK_INDEX]).astype(float)
        n_valid = int(risk.notna().sum())
        n_top = math.ceil(share * n_valid - 1e-9)
        rank = risk.rank(ascending=False, method="min")
        flags = (rank <= n_top) & risk.notna()
    elif definition == "core20":
        if IMD_DECILE not in df.columns:
            raise RiskDataError(f"'core20' needs the '{IMD_DECILE}' (IMD 2025 decile) column.")
        decile = pd.to_numeric(df[IMD_DECILE])
        flags = decile.isin([1, 2])
    else:
        raise RiskDataError(
            f"Unknown at-risk definition {definition!r}; "
            f"use one of {', '.join(AT_RISK_DEFINITIONS)}."
        )
    return pd.Series(flags.to_numpy(dtype=bool), index=df.index, name=AT_RISK)


def _fraction(weight: float) -> str:
    """A weight as GMCA writes it: 1/3 for a third, else a percentage."""
    return "1/3" if math.isclose(weight, 1 / 3, abs_tol=1e-9) else f"{100 * weight:.0f}%"


def deri_table(spec: Sequence[Component] = DEFAULT_SPEC) -> pd.DataFrame:
    """The DERI inputs side by side with GMCA's: one row per indicator, for the About page.

    Returns
    -------
    pd.DataFrame
        ``Component (weight)``, ``GMCA indicator (weight in component)``, ``Input here``,
        ``Weight in component``, ``England-wide values`` and ``Substitution and why``.
    """
    total = sum(comp.weight for comp in spec)
    rows = []
    for comp in spec:
        comp_total = sum(i.weight for i in comp.indicators)
        for ind in comp.indicators:
            rows.append(
                {
                    "Component (weight)": f"{comp.label} ({_fraction(comp.weight / total)})",
                    "GMCA indicator (weight in component)": ind.gmca,
                    "Input here": f"{ind.label} — {ind.source}",
                    "Weight in component": _fraction(ind.weight / comp_total),
                    "England-wide values": "yes" if ind.england_wide else "no (Leeds only)",
                    "Substitution and why": ind.why,
                }
            )
    return pd.DataFrame(rows)


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    def cell(v: object) -> str:
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.to_numpy()]
    return lines


def describe_method(
    component_weights: Mapping[str, float] | None = None,
    scaling: Literal["leeds", "england"] = "leeds",
    *,
    spec: Sequence[Component] = DEFAULT_SPEC,
) -> str:
    """Markdown description of the DERI (formula, inputs, substitutions, weights) for About."""
    weights = _resolve_weights(component_weights, spec)
    total = sum(weights.values())
    local_only = local_only_indicators(spec)
    area = (
        "all LSOAs in England (" + ", ".join(local_only) + ": no England-wide values here, "
        "so scaled within Leeds)"
        if scaling == "england"
        else "the 488 Leeds LSOAs (GMCA scale within each local authority)"
    )
    lines = [
        f"### {DERI_NAME}",
        "",
        f"The method is GMCA's: {GMCA_METHOD_SOURCE}. The inputs are the closest open data "
        "held here for Leeds; the table shows each GMCA indicator, what stands in for it and "
        "why.",
        "",
        f"1. **Each indicator becomes a 0-10 score** by min-max over {area}, so that 10 is the "
        "highest risk: `s = 10 × (x − min) / (max − min)`.",
        "2. **Component score** = weighted sum of its indicator scores, with GMCA's weights "
        "within the component.",
        "3. **DERI score** = mean of the three components (1/3 each): "
        "`DERI = Σ w_c × S_c / Σ w_c` (0 = lowest risk in the area, 10 = highest).",
        "",
    ]
    lines += _markdown_table(deri_table(spec))
    lines += [
        "",
        "**Component weights in use:** "
        + "; ".join(
            f"{comp.label} {weights[comp.key]:g} ({100 * weights[comp.key] / total:.0f}%)"
            for comp in spec
        )
        + ". The Gaps page can change them (*Reset to DERI weights* restores equal thirds).",
        "",
        "**England scaling** (an option on the Gaps page, not GMCA's method) takes each "
        "indicator's minimum and maximum from every LSOA in England. The shared data has "
        "England-wide values for every input except "
        + (", ".join(local_only) if local_only else "none")
        + ", which stays scaled within Leeds.",
        "",
        "**Missing values** are never counted as zero: a component's weighted sum is "
        "re-normalised over the indicators it has, the index over the components it has, and an "
        "area with no inputs has no index. Each area's breakdown says what was left out. "
        "(Every Leeds LSOA has every input in the current data.)",
        "",
        "**At risk** means either the 20% of Leeds LSOAs with the highest DERI score, or the "
        "NHS Core20 definition: LSOAs in the most deprived 20% nationally (IMD 2025 deciles "
        "1-2).",
        "",
        "The index ranks areas against each other; it is not a count of people who are "
        "offline. Scores from different weightings or scalings are not comparable, and scores "
        "here are not comparable with GMCA's published scores (different inputs).",
    ]
    return "\n".join(lines)


def attach_risk(
    lsoas: pd.DataFrame, risk: pd.DataFrame, definition: str = "top20_risk"
) -> pd.DataFrame:
    """Join the risk index onto LSOAs (one-to-one, no row lost) and flag who counts as at risk.

    Parameters
    ----------
    lsoas : DataFrame
        LSOA rows keyed by LSOA code.
    risk : DataFrame
        ``compute_risk_index(...).reset_index()``: LSOA, RISK_INDEX, risk_missing.
    definition : {"top20_risk", "core20"}
        Passed to ``at_risk_flags``.
    """
    out = lsoas.merge(
        risk[[LSOA, RISK_INDEX, "risk_missing"]], on=LSOA, how="left", validate="one_to_one"
    )
    if len(out) != len(lsoas):
        raise RiskDataError("Joining the risk index changed the number of LSOAs.")
    out[AT_RISK] = at_risk_flags(out, definition)
    return out
