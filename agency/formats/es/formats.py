"""Spanish formats: Django's, with the time zone named after a date and time (issue #23)."""

from django.conf.locale.es.formats import *  # noqa: F403

DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i T"
# Django's short date and time with the zone named, as above: "06/12/2026 14:50 CET".
SHORT_DATETIME_FORMAT = r"d/m/Y H:i T"
# A month under a chart's axis (kpis.report.month_tick): Spanish writes its months in lower case,
# abbreviated too ("nov 2025", then "dic"); Django's "M" would capitalise them ("Dic").
CHART_MONTH_FORMAT = "b"
CHART_YEAR_MONTH_FORMAT = "b Y"
