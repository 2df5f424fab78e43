"""User text stays text: one quoting rule for Markdown, HTML and messages."""

import pytest

from tests.hostile import HOST, HOSTILE, LONG, assert_inert_markdown
from utils.text import ELLIPSIS, QUOTE_LIMIT, escape_markdown, html_text, md, message, plain


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_inert_markdown_after_md(value):
    quoted = md(value)
    assert_inert_markdown(quoted)
    assert_inert_markdown(f"**{quoted}**")  # inside our own markup too


def test_markdown_image_is_escaped_character_by_character():
    assert md(f"![x](http://{HOST}/x.png)", limit=None).startswith("\\!\\[x\\]\\(http\\://198.51")


def test_long_values_are_truncated_with_an_ellipsis():
    assert plain(LONG) == "L" * QUOTE_LIMIT + ELLIPSIS
    assert len(md(LONG)) == QUOTE_LIMIT + 1
    assert plain(LONG, limit=None) == LONG


def test_control_characters_become_spaces():
    assert plain("a\x00b\r\nc\u202ed\x7f") == "a b  c d "


def test_message_quotes_values_and_never_formats_them():
    out = message("Added {name}. Saved as version {version}.", name="{version} {0}", version=7)
    assert out == "Added \\{version\\} \\{0\\}. Saved as version 7."


def test_html_text_escapes_markup_and_markdown_as_references():
    out = html_text(f"<b>![x](http://{HOST}/x.png)</b> & co")
    assert "<" not in out and "[" not in out and "(" not in out
    assert out.startswith("&lt;b&gt;&#33;&#91;x&#93;") and "&amp; co" in out


def test_escape_markdown_leaves_letters_digits_and_spaces():
    assert escape_markdown("Armley LCP 2") == "Armley LCP 2"
