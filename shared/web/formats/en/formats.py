"""How every page writes dates and times (English): one style per kind of value.

Django reads these through FORMAT_MODULE_PATH (shared/web/settings.py) before its own
locale files, so ``{{ day|date }}``, ``{{ moment|date:"DATETIME_FORMAT" }}``,
``{{ moment|time }}`` and a bare ``{{ patient.date_of_birth }}`` all print the same way in
every project. (Setting DATE_FORMAT in settings.py alone would not do: with localisation
on, Django's locale files win over it.) Letters: docs.djangoproject.com, "date" filter.
"""

DATE_FORMAT = "j M Y"  # 3 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 14:05
TIME_FORMAT = "H:i"  # 14:05 (a 24-hour clock: no a.m./p.m. to misread)
MONTH_DAY_FORMAT = "j M"  # 3 Dec: a chart's axis, where the year is in the title
YEAR_MONTH_FORMAT = "F Y"  # December 2026: a monthly report
# The short forms (admin, forms' default widgets) say the same as the long ones.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
