"""Mexican Spanish formats: Django's (a decimal point and thousands commas, as Mexico writes
1,234.56), with the time zone named after a date and time as in Spanish (issue #23)."""

from django.conf.locale.es_MX.formats import *  # noqa: F403

DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i T"
# Django's short date and time with the zone named, as above: "06/12/2026 14:50 CET".
SHORT_DATETIME_FORMAT = r"d/m/Y H:i T"

# A month under a chart's axis (kpis.report.month_tick): in lower case, as in Spain ("nov 2025", "dic").
CHART_MONTH_FORMAT = "b"
CHART_YEAR_MONTH_FORMAT = "b Y"
