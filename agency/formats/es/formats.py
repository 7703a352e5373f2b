"""Spanish formats: Django's, with one way of writing a date ("6 dic 2026") whichever format a page
asks for, and the time zone named after a date and time (issue #23)."""

from django.conf.locale.es.formats import *  # noqa: F403

# One date style, as in English ("Dec 6, 2026"): Django's "6 de diciembre de 2026" (DATE_FORMAT) stood
# beside its "06/12/2026" (SHORT_DATE_FORMAT) on one page. The month abbreviated and in lower case,
# as Spanish writes it ("b": Django's "M" would capitalise it, "Dic").
DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = DATE_FORMAT
# "6 dic 2026, 14:50 CET": the date as above, the time with its zone named.
DATETIME_FORMAT = "j b Y, H:i T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j b"
# A month under a chart's axis (kpis.report.month_tick): in lower case ("nov 2025", then "dic").
CHART_MONTH_FORMAT = "b"
CHART_YEAR_MONTH_FORMAT = "b Y"
