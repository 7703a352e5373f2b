"""English formats: Django's, with the time zone named after a date and time (issue #23: times
are shown in the client's zone, activated per request by agency.middleware)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATETIME_FORMAT = "N j, Y, P T"
# Not Django's m/d/Y: "12/06/2026" reads as 12 June to most of the agencies' English-speaking
# markets; "Dec 6, 2026" reads the same to all of them (the close board's "Figures computed",
# contracts, criteria versions).
SHORT_DATE_FORMAT = "M j, Y"
# "Dec 6, 2026, 2:50 p.m. CET" (a lead's dates, a token's last use), not 12/06/2026; every time shown names
# its zone, as DATETIME_FORMAT does: a bare 2:50 p.m. reads as the reader's own time wherever they are.
SHORT_DATETIME_FORMAT = "M j, Y, P T"
# A month under a chart's axis (kpis.report.month_tick): "Nov 2025", then "Dec".
CHART_MONTH_FORMAT = "M"
CHART_YEAR_MONTH_FORMAT = "M Y"
