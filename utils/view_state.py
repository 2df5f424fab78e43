"""The shareable view: URL query parameters <-> validated view settings, with notices for bad values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from utils import constants as c
from utils.text import md

ALL_LEEDS = "All Leeds"


def lsoas_in_area(lsoas: pd.DataFrame, area: str) -> pd.DataFrame:
    """The LSOAs of one LCP, or all of them for "All Leeds" (or before footprints are attached).

    Parameters
    ----------
    lsoas : DataFrame
        LSOA rows, with the ``lcp`` column from ``attach_lcp``.
    area : str
        An LCP name or "All Leeds".
    """
    if area == ALL_LEEDS or c.LCP not in lsoas.columns:
        return lsoas
    return lsoas[lsoas[c.LCP] == area]


@dataclass(frozen=True)
class ParamSpec:
    """One URL parameter: its name, default, parser and validity check."""

    name: str
    default: Any
    parse: Callable[[str], Any] = str
    valid: Callable[[Any], bool] = field(default=lambda _v: True)
    label: str = ""
    # The default in words for notices (e.g. "the default weights", not a tuple of pairs).
    shown: Callable[[Any], str] = str
    encode: Callable[[Any], str] | None = None  # text for the URL (default: str, bools lower-case)


def _first(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else (value[0] if value else "")


def decode_params(
    params: Mapping[str, str | Sequence[str]], specs: Sequence[ParamSpec]
) -> tuple[dict[str, Any], list[str]]:
    """Read parameters from a URL, falling back to defaults for missing or invalid values.

    Parameters
    ----------
    params : mapping
        Query parameters (e.g. ``st.query_params.to_dict()``).
    specs : sequence of ParamSpec
        What each parameter may hold.

    Returns
    -------
    tuple of (dict, list of str)
        Values by parameter name, and one plain-English notice per value that was ignored
        (Markdown: the link's value is quoted truncated and escaped, the default in words).
    """
    values: dict[str, Any] = {}
    notices: list[str] = []
    for spec in specs:
        if spec.name not in params:
            values[spec.name] = spec.default
            continue
        raw = _first(params[spec.name])
        try:
            value = spec.parse(raw)
            ok = spec.valid(value)
        except (ValueError, TypeError):
            ok = False
        if ok:
            values[spec.name] = value
        else:
            values[spec.name] = spec.default
            notices.append(
                f"The link's {spec.label or spec.name} “{md(raw)}” is not available; "
                f"showing {spec.shown(spec.default)} instead."
            )
    return values, notices


def encode_params(values: Mapping[str, Any], specs: Sequence[ParamSpec]) -> dict[str, str]:
    """Parameters for a URL, omitting values equal to their default so links stay short."""
    out = {}
    for spec in specs:
        value = values.get(spec.name, spec.default)
        if value != spec.default:
            if spec.encode is not None:
                out[spec.name] = spec.encode(value)
            else:
                out[spec.name] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)


def shared_specs(areas: Sequence[str]) -> list[ParamSpec]:
    """Specs of the view shared by every page: area, indicator, radius, presenter mode, demo.

    Demo mode (illustrative sample hubs included) is ``demo=1`` in the URL, so a shared link
    keeps it; without it every figure uses real hubs only.
    """
    area_set = set(areas)
    return [
        ParamSpec("area", ALL_LEEDS, str, lambda v: v in area_set, "area"),
        ParamSpec(
            "ind",
            c.DEFAULT_INDICATOR,
            str,
            lambda v: v in c.INDICATORS,
            "indicator",
            lambda v: c.INDICATORS[v][0],
        ),
        ParamSpec(
            "r",
            c.DEFAULT_RADIUS_M,
            int,
            lambda v: v in c.RADIUS_CHOICES_M,
            "reach radius",
            lambda v: f"{v:,} m",
        ),
        ParamSpec(
            "present",
            False,
            _parse_bool,
            lambda _v: True,
            "presenter setting",
            lambda v: f"presenter mode {'on' if v else 'off'}",
        ),
        ParamSpec(
            "demo",
            False,
            _parse_bool,
            lambda _v: True,
            "demo setting",
            lambda v: f"demo mode {'on' if v else 'off'}",
            encode=_encode_flag,
        ),
    ]


def _encode_flag(value: bool) -> str:
    return "1" if value else "0"
