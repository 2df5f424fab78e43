"""A corpus of hostile user text and checks that it stayed inert wherever it was shown."""

from __future__ import annotations

import re

HOST = "198.51.100.10"
JINJA = "X {% if 1 %}EVALUATED{% endif %}"
EVALUATED = "X EVALUATED"  # what the Jinja string shows if it ever runs as a template
LONG = "L" * 10_000

HOSTILE = [
    JINJA,
    "Y {# x",
    "Z {{7*7}}",
    "Brace {0} {version} }{",
    f"![x](http://{HOST}/x.png)",
    f"[click](http://{HOST}/) <http://{HOST}/a>",
    "<script>alert(1)</script>",
    f'<img src="http://{HOST}/i.png" onerror="alert(1)">',
    ":red[colour] :material/home: $x^2$ **bold** # head",
    LONG,
    "Ctrl\x00\x07\x1b[31m\r\nnext\u202eline",
]

# A backslash-escaped ASCII punctuation character is shown literally by Markdown.
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
# A GFM autolink ("http://…") or a link/image destination naming the other host.
_REMOTE = re.compile(rf"https?://{re.escape(HOST)}|\]\(\s*<?(?:https?:)?//{re.escape(HOST)}", re.I)
_REMOTE_ATTR = re.compile(rf"(?:src|href)\s*=\s*[\"']?(?:https?:)?//{re.escape(HOST)}", re.I)


def assert_inert_markdown(body: str) -> None:
    """Markdown that, rendered, holds no link, image or markup from a user string."""
    live = _ESCAPED.sub("\x00", body)
    assert EVALUATED not in body, body[:200]
    assert not _REMOTE.search(live), f"Markdown would reach another host: {body[:300]!r}"
    assert not _REMOTE_ATTR.search(live), f"HTML in Markdown would reach another host: {body[:300]!r}"
    for tag in ("<script", "<img", "![", "](http", "](//"):
        assert tag not in live.lower(), f"live {tag!r} in Markdown: {body[:300]!r}"


def assert_inert_html(page: str) -> None:
    """HTML (e.g. a map document) with no markup or request built from a user string."""
    assert EVALUATED not in page
    assert not _REMOTE_ATTR.search(page), "HTML would reach another host"
    assert "<script>alert(1)" not in page
    assert f'<img src="http://{HOST}' not in page
