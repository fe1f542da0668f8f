"""One rule per kind of value: money, measurements and dates print the same way everywhere."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from shared.web.formatting import format_measure, format_money, format_number

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Decimal("1234.5"), "EUR", "€1,234.50"),
        (Decimal("0"), "EUR", "€0.00"),
        (Decimal("-5"), "EUR", "\N{MINUS SIGN}€5.00"),
        (Decimal("2.005"), "EUR", "€2.01"),  # half up, as a till rounds
        ("19.90", "usd", "$19.90"),
        (12, "CHF", f"CHF{NBSP}12.00"),  # no symbol: the code in its place, never both
        (None, "EUR", ""),
        ("not a number", "EUR", ""),
    ],
)
def test_money_writes_the_symbol_before_two_decimals(value, currency, expected):
    assert format_money(value, currency) == expected


def test_money_without_a_currency_uses_the_settings_one(settings):
    settings.CURRENCY = "GBP"
    assert format_money(Decimal("3")) == "£3.00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("10.9000"), "10.9"),
        (Decimal("76.00"), "76"),
        (Decimal("100.0000"), "100"),  # not 1E+2
        (Decimal("0.0500"), "0.05"),
        (Decimal("-0.00"), "0"),
        (37.5, "37.5"),
        (None, ""),
    ],
)
def test_a_number_keeps_its_digits_and_drops_trailing_zeros(value, expected):
    assert format_number(value) == expected


def test_a_measure_is_the_number_a_no_break_space_and_the_unit():
    assert format_measure(Decimal("10.9000"), "g/dL") == f"10.9{NBSP}g/dL"
    assert format_measure(Decimal("76.00"), "bpm") == f"76{NBSP}bpm"
    assert format_measure(Decimal("4.5000"), "") == "4.5"
    assert format_measure(None, "bpm") == ""


def render(source: str, **context) -> str:
    return Template("{% load shared_tags %}" + source).render(Context(context))


def test_the_filters_in_a_template():
    assert render("{{ total|money }}", total=Decimal("12.5")) == "€12.50"
    assert render("{{ total|money:'USD' }}", total=Decimal("12.5")) == "$12.50"
    assert render("{{ v|measure:u }}", v=Decimal("10.9000"), u="g/dL") == f"10.9{NBSP}g/dL"


def test_dates_and_times_have_one_style_each(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime(2026, 12, 3, 14, 5, tzinfo=ZoneInfo("UTC"))
    assert render("{{ d|date }}", d=date(2026, 12, 3)) == "3 Dec 2026"
    assert render("{{ d }}", d=date(2026, 12, 3)) == "3 Dec 2026"  # a bare date too
    assert render('{{ m|date:"DATETIME_FORMAT" }}', m=moment) == "3 Dec 2026, 14:05"
    assert render("{{ t|time }}", t=time(9, 0)) == "09:00"
    assert render('{{ d|date:"MONTH_DAY_FORMAT" }}', d=date(2026, 12, 3)) == "3 Dec"
    assert render('{{ d|date:"YEAR_MONTH_FORMAT" }}', d=date(2026, 12, 3)) == "December 2026"
