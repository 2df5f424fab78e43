"""`python -m data.assets`: copy the map's JS/CSS from installed packages into static/vendor/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from data.sources import REPO_ROOT

VENDOR_DIR = REPO_ROOT / "static" / "vendor"
# URL path at which Streamlit serves static/ (server.enableStaticServing = true).
VENDOR_URL = "/app/static/vendor"
LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"


def install_assets(target: Path = VENDOR_DIR) -> Path:
    """Copy Leaflet (XStatic-Leaflet, folium's version 1.9.3) into ``target``/leaflet.

    Returns
    -------
    Path
        The folder holding leaflet.js and leaflet.css.
    """
    import xstatic.pkg.leaflet as leaflet_pkg

    dest = target / "leaflet"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(Path(leaflet_pkg.BASE_DIR), dest)
    for name in ("leaflet.js", "leaflet.css"):
        if not (dest / name).exists():
            raise FileNotFoundError(f"XStatic-Leaflet did not ship {name}; reinstall requirements.")
    return dest


def assets_present(target: Path = VENDOR_DIR) -> bool:
    """True when the vendored map assets are in place."""
    return (target / "leaflet" / "leaflet.js").exists() and (
        target / "leaflet" / "leaflet.css"
    ).exists()


if __name__ == "__main__":
    print(f"Map assets installed in {install_assets()}")
    sys.exit(0)
