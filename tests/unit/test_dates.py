"""The one parser for register dates and the one rule for "open on a date" (utils.dates)."""

from datetime import date

import pandas as pd
import pytest

from utils import dates
from utils import growth as g
from utils import hubs as h


@pytest.mark.parametrize(
    ("raw", "text", "when", "precision"),
    [
        ("2022-10", "2022-10", "2022-10-01", "month"),
        ("2022-10-15", "2022-10-15", "2022-10-15", "day"),
        ("15/10/2022", "2022-10-15", "2022-10-15", "day"),
        ("10/2022", "2022-10", "2022-10-01", "month"),
        ("2022-10-15 00:00:00", "2022-10-15", "2022-10-15", "day"),
        (" 2022-1 ", "2022-01", "2022-01-01", "month"),
        (date(2022, 10, 15), "2022-10-15", "2022-10-15", "day"),
        (pd.Timestamp("2022-10-15 13:00", tz="Europe/London"), "2022-10-15", "2022-10-15", "day"),
    ],
)
def test_every_accepted_form_gives_canonical_text_first_day_and_precision(
    raw, text, when, precision
):
    parsed = dates.parse_register_date(raw)
    assert (parsed.text, parsed.when, parsed.precision) == (text, pd.Timestamp(when), precision)
    assert parsed.placeholder is False


@pytest.mark.parametrize("raw", [None, "", "  ", float("nan"), pd.NaT])
def test_blank_dates_are_missing(raw):
    assert dates.parse_register_date(raw) == dates.MISSING


@pytest.mark.parametrize(
    "raw", ["October 2022", "2022-13", "2022-02-30", "31/02/2022", "soon", 2022]
)
def test_unreadable_dates_raise_a_plain_error(raw):
    with pytest.raises(dates.DateError):
        dates.parse_register_date(raw)


def test_the_register_module_and_the_growth_module_agree_on_15_10_2022():
    """They used to disagree: utils.hubs read it as 15 Oct 2022, utils.growth refused it."""
    text, ts, precision = h.parse_hub_date("15/10/2022")
    when, growth_precision = g.parse_register_date("15/10/2022")
    assert ts == when == pd.Timestamp("2022-10-15")
    assert precision == growth_precision == "day"
    assert text == "2022-10-15"
    reg = pd.DataFrame({"name": ["A"], "opened": ["15/10/2022"], "closed": [None]})
    for day, expected in (("2022-10-14", False), ("2022-10-15", True)):
        assert h.open_on(reg, pd.Timestamp(day)).tolist() == [expected]
        assert g.hubs_open_on(reg, day).tolist() == [expected]


def test_a_placeholder_date_is_marked_kept_in_its_text_and_shown_as_not_known():
    parsed = dates.parse_register_date("2020-01 (placeholder)")
    assert parsed.placeholder and parsed.precision == "month"
    assert parsed.when == pd.Timestamp("2020-01-01")
    assert parsed.text == "2020-01 (placeholder)"
    assert dates.display_date("2020-01 (Placeholder)") == dates.DATE_NOT_KNOWN == "date not known"
    assert dates.date_label("2020-01 (placeholder)") == "date not known"
    assert g.register_date_label("2020-01 (placeholder)") == "date not known"
    assert dates.date_label("2022-10") == "Oct 2022"
    assert dates.display_date("2022-10") == "2022-10"


def test_open_mask_counts_from_the_opened_day_and_stops_on_the_closed_day():
    opened = dates.parse_column(pd.Series(["2022-01", "2022-02-15", None, "2021-01"]))
    closed = dates.parse_column(pd.Series([None, "2022-04", None, "2022-03"]))
    assert dates.open_mask(opened, closed, "2022-02-14").tolist() == [True, False, False, True]
    assert dates.open_mask(opened, closed, date(2022, 3, 31)).tolist() == [True, True, False, False]
    assert dates.open_mask(opened, closed, pd.Timestamp("2022-04-01")).tolist() == [
        True,
        False,
        False,
        False,
    ]


def test_the_app_and_growth_open_rules_are_the_same_function_on_a_register():
    reg = pd.DataFrame(
        {
            "name": ["A", "B", "C"],
            "opened": ["2022-01", "15/06/2022", "2021-01"],
            "closed": [None, None, "2022-03"],
        }
    )
    for day in ("2021-06-01", "2022-03-01", "2022-06-14", "2022-06-15", "2023-01-01"):
        assert h.open_on(reg, pd.Timestamp(day)).tolist() == g.hubs_open_on(reg, day).tolist()


def test_a_reopened_hub_with_a_new_id_is_one_hub():
    reg = pd.DataFrame(
        {
            "hub_id": ["S-1", "S-9", "S-2"],
            "name": ["Sample hub — Seacroft 1", "sample hub —  seacroft 1", "Other"],
            "postcode": ["LS14 6JA", "ls146ja", "LS14 6JA"],
            "opened": ["2022-01", "2023-09", "2022-01"],
            "closed": ["2022-12", None, None],
        }
    )
    keys = h.hub_identity(reg)
    assert keys[0] == keys[1] != keys[2]
    assert g.hub_counts(reg).total == 2
