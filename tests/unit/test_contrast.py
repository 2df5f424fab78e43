"""Contrast (WCAG 1.4.3 / 1.4.11): text 4.5:1, meaningful graphics 3:1, computed from the palette."""

import pytest

from app_pages.common import A11Y_CSS
from app_pages.figures import maps
from app_pages.figures.accessibility import contrast_ratio
from utils import constants as c

WHITE, SIDEBAR = "#ffffff", "#f0f2f6"


def blend(colour: str, opacity: float, under: str = WHITE) -> str:
    """A colour drawn at ``opacity`` over ``under`` (the choropleth is drawn at 0.75 on white)."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(under[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(x * opacity + y * (1 - opacity)):02x}" for x, y in zip(a, b, strict=True)
    )


CLASSES = [blend(col, 0.75) for col in c.PALETTE_SEQUENTIAL]


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


def test_caption_text_and_focus_outline_meet_their_ratios():
    assert "#545454" in A11Y_CSS and "#0b0c0c" in A11Y_CSS
    for background in (WHITE, SIDEBAR):
        assert contrast_ratio("#545454", background) >= 4.5
        assert contrast_ratio("#0b0c0c", background) >= 3.0


@pytest.mark.parametrize(
    ("fill", "outline", "halo"),
    [
        (maps.REAL_HUB_COLOUR, "#ffffff", None),
        (maps.SAMPLE_HUB_COLOUR, "#000000", "#ffffff"),
        (maps.NEW_SITE_COLOUR, "#000000", "#ffffff"),
    ],
    ids=["real hub", "sample hub", "new site"],
)
def test_every_marker_stands_out_3_to_1_on_white_and_on_every_map_class(fill, outline, halo):
    for background in [WHITE, *CLASSES]:
        best = max(contrast_ratio(col, background) for col in (fill, outline, halo) if col)
        assert best >= 3.0, (fill, outline, background, best)


def test_high_need_outline_and_legend_swatch_borders_reach_3_to_1_on_white():
    assert contrast_ratio(maps.HIGHLIGHT_COLOUR, WHITE) >= 3.0
    assert contrast_ratio("#777777", WHITE) >= 3.0  # legend swatch border
