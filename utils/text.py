"""User text as inert data: one rule for quoting it in Markdown, HTML and messages.

Every string a user can supply (hub, organisation, venue, LCP and scenario names, notes, file
names, URL values) is shown through these helpers, never pasted into Markdown or ``str.format``
as it is: a name like ``![x](http://198.51.100.10/x.png)`` would otherwise make every visitor's
browser fetch from another host, and ``{version}`` would be filled in by ``str.format``.
"""

from __future__ import annotations

import html
import re
import string

QUOTE_LIMIT = 60
ELLIPSIS = "…"

# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators and bidi controls
# that could reorder or hide the text around them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_PUNCT = frozenset(string.punctuation)
# Markdown's (and Streamlit's) active characters. Line-start syntax ("- ", "1. ", "# ") cannot
# arise inside a line, and ``plain`` turns line breaks into spaces, so "-", "." and the like stay.
_MARKDOWN = frozenset("\\`*_[](){}<>#+!|~$:&@")


def plain(value: object, limit: int | None = QUOTE_LIMIT) -> str:
    """User text as one plain line: control characters become spaces, long text is truncated.

    Parameters
    ----------
    value : object
        Anything a user supplied; ``None`` becomes "".
    limit : int or None
        Characters kept before "…" is added; ``None`` keeps the whole text.

    Examples
    --------
    >>> plain("a\\nb")
    'a b'
    >>> plain("x" * 70, limit=5)
    'xxxxx…'
    """
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + ELLIPSIS
    return text


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown's active characters, so Markdown shows the text literally.

    CommonMark allows a backslash before any ASCII punctuation; this covers links, images,
    autolinks, emphasis, HTML tags, entities, Streamlit's ``:colour[…]``/``:icon:`` directives
    and ``$`` maths.
    """
    # ":" matters only before a non-space (":icon:", ":red[", "http://"): "Gaps: HATCH" stays.
    return "".join(
        "\\" + ch
        if ch in _MARKDOWN and not (ch == ":" and text[i + 1 : i + 2] in ("", " "))
        else ch
        for i, ch in enumerate(text)
    )


def md(value: object, limit: int | None = QUOTE_LIMIT) -> str:
    """User text for Markdown (st.markdown, st.error, st.caption, st.toast …): plain and escaped.

    Examples
    --------
    >>> md("![x](http://h/x.png)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\://h/x.png\\\\)'
    """
    return escape_markdown(plain(value, limit))


def html_text(value: object, limit: int | None = QUOTE_LIMIT) -> str:
    """User text for HTML that Markdown also reads (``unsafe_allow_html``): punctuation as entities.

    Character references are literal text to both HTML and Markdown, so neither markup applies.
    """
    return "".join(_entity(ch) if ch in _PUNCT else ch for ch in plain(value, limit))


def _entity(ch: str) -> str:
    named = html.escape(ch)
    return named if named != ch else f"&#{ord(ch)};"


def message(template: str, **values: object) -> str:
    """A Markdown message with user values quoted: ``message("Added {name}.", name=hub)``.

    Only the template (our own text) is formatted; each value is made plain, truncated and
    escaped first, so braces, Markdown or HTML in a value stay inert.
    """
    return template.format(**{k: md(v) for k, v in values.items()})
