"""English formats: Django's, with one way of writing a date ("Dec 6, 2026") whichever format a page
asks for, and the time zone named after a date and time (issue #23: times are shown in the client's
zone, activated per request by agency.middleware)."""

from django.conf.locale.en.formats import *  # noqa: F403

# One date style: the client's home page read "Approved Dec. 7, 2026" (Django's "N j, Y") beside
# "Nov 1, 2025–Dec 1, 2026" (the short one), two styles on one page. Not Django's m/d/Y either:
# "12/06/2026" reads as 12 June to most of the agencies' English-speaking markets; "Dec 6, 2026"
# reads the same to all of them, as reporting tools write it (the close board's "Figures
# computed", contracts, criteria versions, approvals, emails, the PDF).
DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = DATE_FORMAT
# "Dec 6, 2026, 2:50 p.m. CET" (a lead's dates, a token's last use, an approval): every time shown
# names its zone, a bare 2:50 p.m. reads as the reader's own time wherever they are.
DATETIME_FORMAT = "M j, Y, P T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
# A day without its year (a revision's list of changed days): "Dec 6", as the date above.
MONTH_DAY_FORMAT = "M j"
# A month under a chart's axis (kpis.report.month_tick): "Nov 2025", then "Dec".
CHART_MONTH_FORMAT = "M"
CHART_YEAR_MONTH_FORMAT = "M Y"
