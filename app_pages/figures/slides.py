"""Presenter slides: a fixed sequence of shareable views (page + URL parameters)."""

from __future__ import annotations

from dataclasses import dataclass, field

from utils.demo import title as demo_title
from utils.view_state import ALL_LEEDS


@dataclass(frozen=True)
class Slide:
    """One step of a presentation: which page to show with which URL parameters."""

    title: str
    page: str  # url_path of the page, e.g. "gaps"
    params: dict[str, str] = field(default_factory=dict)


def build_slides(area: str, radius_m: int, indicator: str, demo: bool = False) -> list[Slide]:
    """The presenter sequence: overview, the area's gaps, growth, then recommended sites.

    Parameters
    ----------
    area : str
        The LCP in focus ("All Leeds" for the whole city).
    radius_m : int
        Reach radius carried through every slide.
    indicator : str
        Map indicator carried through every slide.
    demo : bool
        Demo mode (illustrative sample hubs included): carried as ``demo=1`` and every title
        ends " (illustrative)". Off by default: the slides use real hubs only.

    Returns
    -------
    list of Slide
        Every slide's parameters include ``present=1`` and its own ``slide`` number, so each
        slide is itself a shareable link.
    """
    common = {"r": str(radius_m), "ind": indicator, "present": "1"}
    if demo:
        common["demo"] = "1"
    focus = {} if area == ALL_LEEDS else {"area": area}
    where = "Leeds" if area == ALL_LEEDS else area
    slides = [
        Slide("Leeds at a glance", "overview", {}),
        Slide(f"Coverage gaps: {where}", "gaps", focus),
        Slide("How the network has grown", "growth", {}),
        Slide(f"Where the next hubs could go: {where}", "planner", {**focus, "k": "5", "run": "1"}),
    ]
    return [
        Slide(demo_title(s.title, demo), s.page, {**common, **s.params, "slide": str(i)})
        for i, s in enumerate(slides)
    ]


def slide_index(raw: str | None, n_slides: int) -> int:
    """The slide number from the URL, clamped to the sequence (0 when missing or invalid)."""
    try:
        value = int(raw) if raw is not None else 0
    except ValueError:
        return 0
    return min(max(value, 0), n_slides - 1)
