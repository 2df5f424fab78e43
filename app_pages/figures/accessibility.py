"""Text of the Accessibility statement page (Public Sector Bodies Accessibility Regulations 2018)."""

from __future__ import annotations

# When the automated checks below were last run in full and this statement was reviewed.
TESTED_ON = "30 November 2026"
AXE_VERSION = "axe-core 4.12.1 (bundled in axe-playwright-python 0.1.8)"
DEFAULT_CONTACT = "the Leeds Digital Health Hubs team who shared this dashboard with you"

MEETS = [
    "Every page (Overview, Map, Gaps, Site planner, Growth, Hubs, About the data and this "
    "statement) passes the axe-core checks for WCAG 2.0, 2.1 and 2.2 levels A and AA with no "
    "violations, on a desktop (1400 × 1000) and a phone (390 × 844) screen, in normal and "
    "presenter mode, including inside the map frames.",
    "Everything can be reached and used with the keyboard alone (Tab, Shift+Tab, Enter, Space "
    "and the arrow keys), with a visible focus outline (3 px, near-black with a white halo).",
    "Nothing is only in a picture: every map and chart has a one-sentence summary of what it "
    "shows and a table with the same numbers, reachable without a mouse.",
    "Colour is never the only carrier: legends name every class, sample hubs have a dashed "
    "outline, approximate LCP footprints are dashed, recommended sites are larger with a thick "
    "outline, the five largest gaps on the Gaps chart are diamonds, and each is named in words.",
    "Text meets 4.5:1 contrast and meaningful graphics (legend swatches, hub markers, focus "
    "outlines) 3:1, in the normal and the presenter theme.",
    "At 320 CSS pixels wide (400% zoom) no content or function is lost and only data tables "
    "and maps scroll sideways. The map frames allow pinch-zoom.",
    "Pages have a language (English), a title, headings in order and labelled controls.",
]

NOT_YET = [
    (
        "Hover details on maps and charts",
        "The details that appear when the mouse is over a neighbourhood or a chart point cannot "
        "be opened with the keyboard (the maps are drawn with Leaflet, the charts with Plotly). "
        "Every figure has a sentence and a table with the same numbers, and the downloads. Hub "
        "markers can be reached with Tab inside the map and show their name when focused.",
    ),
    (
        "Individual neighbourhoods on the map",
        "The map can be focused, panned with the arrow keys and zoomed with + and -, but "
        "neighbourhood shapes are left out of the Tab order (there are 488 of them). Use the "
        "table under the map instead.",
    ),
    (
        "Data grid",
        "Sortable tables use Streamlit's data grid, which screen readers read less well than a "
        "plain HTML table. Each table can be downloaded as CSV or XLSX to read in other tools.",
    ),
    (
        "Street map background",
        "The optional street map background (off by default) comes from OpenStreetMap and was not "
        "checked: its labels are pictures of text. The dashboard does not need it.",
    ),
]

HOW_TESTED = [
    f"Automated: {AXE_VERSION}, run by Playwright in Debian's Chromium on every page at two "
    "screen sizes, in normal and presenter mode, inside every map frame, and on the Site planner "
    "after a recommendation is run. These tests run with `make test` on every change.",
    "Keyboard: an automated test walks the Overview, Map, Gaps and Site planner pages with the "
    "keyboard alone, changes the area, the indicator and the radius, and runs a recommendation.",
    "Reflow: an automated test opens every page at 320 CSS pixels wide and checks nothing "
    "outside tables and maps needs sideways scrolling.",
    "Contrast of the map and chart colours, markers and focus outline is calculated from the "
    "palette with the WCAG formula in a unit test.",
]


def statement_markdown(contact: str | None = None, allow_list: dict | None = None) -> str:
    """The accessibility statement as Markdown.

    Parameters
    ----------
    contact : str, optional
        Who to contact about a problem (a team, an email address); a neutral default otherwise.
    allow_list : dict, optional
        ``(rule, element) -> reason`` for any axe finding that comes from Streamlit itself and
        cannot be fixed from the app; listed under "what does not yet meet".

    Returns
    -------
    str
    """
    who = contact or DEFAULT_CONTACT
    lines = [
        "This statement applies to the Hub Coverage dashboard for the Leeds Digital Health Hubs. "
        "We want as many people as possible to be able to use it: to change colours and text "
        "size with your browser, zoom to 400% without the text spilling off the screen, use it "
        "with the keyboard alone, and use it with a screen reader.",
        "",
        "## Compliance status",
        "",
        "The dashboard is **partially compliant** with the Web Content Accessibility Guidelines "
        "(WCAG) version 2.2 AA standard, due to the exceptions listed under *What does not meet "
        "the standard yet*. Each has an alternative that does.",
        "",
        "## What meets WCAG 2.2 AA",
        "",
        *[f"- {item}" for item in MEETS],
        "",
        "## What does not meet the standard yet, and why",
        "",
        *[f"- **{title}.** {text}" for title, text in NOT_YET],
    ]
    for (rule, element), reason in sorted((allow_list or {}).items()):
        lines.append(f"- **Streamlit itself ({rule}, `{element}`).** {reason}")
    lines += [
        "",
        "## How we tested",
        "",
        f"Last tested on **{TESTED_ON}**.",
        "",
        *[f"- {item}" for item in HOW_TESTED],
        "",
        "## Report a problem or ask for another format",
        "",
        f"If something on the dashboard does not work for you, or you need the information in "
        f"another format, contact {who}. Say which page, what you were trying to do, and the "
        "browser and any assistive technology you use. We aim to reply within 5 working days.",
        "",
        "## Enforcement procedure",
        "",
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
        "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. "
        "If you are not happy with how we respond to your complaint, contact the Equality "
        "Advisory and Support Service (EASS).",
    ]
    return "\n".join(lines)


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (ch / 12.92 if ch <= 0.03928 else ((ch + 0.055) / 1.055) ** 2.4 for ch in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    hi, lo = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
