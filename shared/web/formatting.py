"""One rule per kind of value on a page: money and measurements (dates: formats/en/formats.py).

Templates use them as filters (``{% load shared_tags %}``): ``{{ order.total|money }}``,
``{{ order.total|money:order.currency }}``, ``{{ result.value|measure:result.unit }}``.
The rules:

* money: the currency's symbol before the amount, two decimals, thousands grouped:
  "€1,234.50"; a negative amount starts with a minus sign (U+2212, as the discount lines
  write it). Never also the code ("€12.00 EUR"): a currency without a symbol here is
  written with its code in the symbol's place ("CHF 12.00").
* a measurement: the number as precise as it was entered and no more (a column with four
  decimal places stores 10.9 as 10.9000; the page says 10.9), then a space and the unit:
  "10.9 g/dL", "76 bpm", "37.5 °C".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
CENT = Decimal("0.01")


def as_decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal (from a Decimal, int, float or numeric string), else None."""
    if value is None or value == "":
        return None
    try:
        # str() first: Decimal(0.1) is 0.1000000000000000055..., Decimal("0.1") is 0.1.
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_money(value: Any, currency: str | None = None) -> str:
    """``Decimal("1234.5")`` -> ``"€1,234.50"``; empty for no value (an unset total)."""
    amount = as_decimal(value)
    if amount is None:
        return ""
    code = (currency or settings.CURRENCY).upper()
    symbol = CURRENCY_SYMBOLS.get(code, code + "\N{NO-BREAK SPACE}")
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "\N{MINUS SIGN}" if rounded < 0 else ""
    return f"{sign}{symbol}{abs(rounded):,.2f}"


def format_number(value: Any) -> str:
    """``Decimal("10.9000")`` -> ``"10.9"``, ``Decimal("76.00")`` -> ``"76"``, 100 -> ``"100"``."""
    number = as_decimal(value)
    if number is None:
        return ""
    # normalize() drops the trailing zeros (and would write 100 as 1E+2: "f" undoes that).
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def format_measure(value: Any, unit: str = "") -> str:
    """``(Decimal("10.9000"), "g/dL")`` -> ``"10.9 g/dL"``; the unit is left out when blank."""
    number = format_number(value)
    if not number or not unit:
        return number
    # A no-break space: the number and its unit never end up on two lines of a table cell.
    return f"{number}\N{NO-BREAK SPACE}{unit}"
