"""How pages write dates, times and numbers in Hindi (the LMS offers it; see lms/README.md).

The same styles as formats/en/formats.py, with Hindi month names: Django's own Hindi file
has no DATETIME_FORMAT, so without this one a Hindi page would fall back to the American
"मार्च 5, 2026, 2:05 बजे" and a short date to 03/05/2026 (is it March or May?).
Month names come from Django's Hindi translation; the three-letter "M" reads poorly in
Hindi ("मा"), so the full name "F" is used.
"""

DATE_FORMAT = "j F Y"  # 5 मार्च 2026
DATETIME_FORMAT = "j F Y, H:i"  # 5 मार्च 2026, 14:05
TIME_FORMAT = "H:i"  # 14:05
MONTH_DAY_FORMAT = "j F"  # 5 मार्च
YEAR_MONTH_FORMAT = "F Y"  # मार्च 2026
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
# Indian grouping: the first group of three digits, then groups of two (12,34,567), used
# where a number is grouped (intcomma, number_format with grouping).
NUMBER_GROUPING = (3, 2, 0)
