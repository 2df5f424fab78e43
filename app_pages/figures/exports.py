"""Exports for slide decks and papers: offline map HTML, Excel-safe tables, a printable summary."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

import folium
import pandas as pd

from app_pages.figures.maps import map_document
from utils.hubs import excel_safe
from utils.indicators import Headline


def standalone_map_html(m: folium.Map | str, leaflet_js: str, leaflet_css: str, title: str) -> str:
    """The map as one HTML file that opens offline: Leaflet's JS and CSS are inlined.

    Parameters
    ----------
    m : folium.Map or str
        A map from ``build_hub_map``, or its page from ``map_document`` (either links
        Leaflet from the app's static folder).
    leaflet_js, leaflet_css : str
        The text of leaflet.js and leaflet.css.
    title : str
        Shown as the page title and a heading above the map.

    Returns
    -------
    str
        Complete HTML with no external script or stylesheet.
    """
    page = m if isinstance(m, str) else map_document(m)
    # Use functions as replacements so backslashes in Leaflet's code are kept as written.
    page = re.sub(
        r'<script src="[^"]*leaflet\.js"></script>',
        lambda _m: f"<script>{leaflet_js}</script>",
        page,
    )
    page = re.sub(
        r'<link rel="stylesheet" href="[^"]*leaflet\.css"\s*/?>',
        lambda _m: f"<style>{leaflet_css}</style>",
        page,
    )
    heading = (
        f'<title>{html.escape(title)}</title><div style="font:bold 18px sans-serif;'
        f'padding:6px 10px">{html.escape(title)}</div>'
    )
    return page.replace("<body>", f"<body>{heading}", 1)


def table_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes, safe to open in Excel (no cell runs as a formula)."""
    return excel_safe(df).to_csv(index=False).encode("utf-8")


def table_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """XLSX bytes, safe to open in Excel (no cell runs as a formula)."""
    buffer = io.BytesIO()
    excel_safe(df).to_excel(buffer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def summary_html(
    title: str,
    view_lines: Sequence[str],
    headlines: Sequence[Headline],
    table: pd.DataFrame | None,
    link: str,
    notes: Sequence[str],
) -> str:
    """A one-page printable summary of the current view (open it and print to PDF).

    Parameters
    ----------
    title : str
        Heading.
    view_lines : sequence of str
        What the view shows (area, radius, indicator, date of data).
    headlines : sequence of Headline
        Figures with their sources.
    table : DataFrame, optional
        A short table (e.g. the top gaps).
    link : str
        The shareable link that reopens the live view.
    notes : sequence of str
        Caveats and sources printed at the foot.
    """
    esc = html.escape
    cards = "".join(
        f'<div class="card"><div class="label">{esc(h.label)}</div><div class="value">'
        f'{esc(h.value)}</div><div class="src">{esc(h.source)}</div></div>'
        for h in headlines
    )
    table_html = "" if table is None else table.to_html(index=False, border=0, escape=True)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 12pt/1.4 sans-serif; color: #111; max-width: 190mm; margin: auto; }}
h1 {{ font-size: 18pt; margin: 0 0 4pt; }}
.view {{ color: #333; margin-bottom: 8pt; }}
.cards {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 6pt; margin: 8pt 0; }}
.card {{ border: 1px solid #bbb; padding: 6pt; border-radius: 4pt; }}
.label {{ font-size: 9pt; color: #333; }} .value {{ font-size: 16pt; font-weight: bold; }}
.src {{ font-size: 8pt; color: #555; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 3pt 4pt; text-align: left; }}
.notes {{ font-size: 8.5pt; color: #333; margin-top: 8pt; }}
a {{ word-break: break-all; }}
</style></head><body>
<h1>{esc(title)}</h1>
<div class="view">{"<br>".join(esc(line) for line in view_lines)}</div>
<div class="cards">{cards}</div>
{table_html}
<p>Live view: <a href="{esc(link, quote=True)}">{esc(link)}</a></p>
<div class="notes">{"<br>".join(esc(n) for n in notes)}</div>
</body></html>"""
