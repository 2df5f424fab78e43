"""The accessibility statement has every part the 2018 regulations ask for."""

from app_pages.figures.accessibility import DEFAULT_CONTACT, TESTED_ON, statement_markdown


def test_statement_says_what_meets_what_does_not_how_tested_and_how_to_report():
    text = statement_markdown()
    for heading in (
        "## Compliance status",
        "## What meets WCAG 2.2 AA",
        "## What does not meet the standard yet, and why",
        "## How we tested",
        "## Report a problem",
        "## Enforcement procedure",
    ):
        assert heading in text
    assert TESTED_ON in text and "axe-core" in text and "Playwright" in text
    assert DEFAULT_CONTACT in text


def test_statement_uses_the_deployers_contact_and_lists_allow_listed_elements():
    text = statement_markdown(
        "accessibility@example.org", {("region", "#root > div"): "Streamlit's own wrapper."}
    )
    assert "contact accessibility@example.org" in text
    assert "`#root > div`" in text and "Streamlit's own wrapper." in text
