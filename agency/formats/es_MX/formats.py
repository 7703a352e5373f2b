"""Mexican Spanish formats: Django's (a decimal point and thousands commas, as Mexico writes
1,234.56), with Spanish's one way of writing a date ("6 dic 2026") and the time zone named after a
date and time (issue #23)."""

from django.conf.locale.es_MX.formats import *  # noqa: F403

DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j b Y, H:i T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j b"

# A month under a chart's axis (kpis.report.month_tick): in lower case, as in Spain ("nov 2025", "dic").
CHART_MONTH_FORMAT = "b"
CHART_YEAR_MONTH_FORMAT = "b Y"
