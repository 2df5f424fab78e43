"""Accessibility helpers for the browser tests: axe-core (WCAG 2.0/2.1/2.2 A and AA) in every frame.

axe-core comes bundled with the pinned ``axe-playwright-python`` package, so nothing is fetched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
    # Each frame is checked on its own below (srcdoc frames get their own copy of axe).
    "iframes": False,
}

# Violations that come from Streamlit itself and cannot be fixed from the app: (rule id, exact
# axe target selector) -> reason. Never a whole rule; every entry names one element.
ALLOW_LIST: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Violation:
    """One failing element: the axe rule, where (frame URL/name) and the element's selector."""

    rule: str
    impact: str
    frame: str
    target: str
    html: str
    help: str

    def __str__(self) -> str:
        return f"[{self.rule} ({self.impact})] {self.frame} {self.target}: {self.help}\n    {self.html[:200]}"


_AXE = Axe()


def _run(frame: object, where: str) -> list[Violation]:
    frame.evaluate(_AXE.axe_script)  # type: ignore[attr-defined]
    response = frame.evaluate(  # type: ignore[attr-defined]
        "opts => axe.run(document, opts)", AXE_OPTIONS
    )
    out = []
    for v in response["violations"]:
        for node in v["nodes"]:
            target = " >> ".join(str(t) for t in node["target"])
            out.append(
                Violation(v["id"], v.get("impact") or "", where, target, node["html"], v["help"])
            )
    return out


def axe_violations(pg: object) -> list[Violation]:
    """Every WCAG A/AA violation in the page and inside each of its frames (maps, components)."""
    found = _run(pg.main_frame, "page")  # type: ignore[attr-defined]
    for i, frame in enumerate(pg.frames):  # type: ignore[attr-defined]
        if frame == pg.main_frame or frame.is_detached():  # type: ignore[attr-defined]
            continue
        found.extend(_run(frame, f"frame{i}"))
    return found


def not_allowed(violations: list[Violation]) -> list[Violation]:
    """The violations not on the allow-list."""
    return [v for v in violations if (v.rule, v.target) not in ALLOW_LIST]


def wait_until_idle(pg: object, timeout_s: float = 90.0, settle_s: float = 1.0) -> None:
    """Wait until Streamlit has finished running the script and stayed idle for ``settle_s``."""
    app = pg.locator('[data-testid="stApp"]')  # type: ignore[attr-defined]
    deadline = time.time() + timeout_s
    idle_since = None
    while time.time() < deadline:
        state = app.get_attribute("data-test-script-state") if app.count() else None
        if state == "notRunning":
            idle_since = idle_since or time.time()
            if time.time() - idle_since >= settle_s:
                return
        else:
            idle_since = None
        pg.wait_for_timeout(200)  # type: ignore[attr-defined]
    raise AssertionError("Streamlit was still running the page after {timeout_s} s.")
