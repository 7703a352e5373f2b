"""English formats: Django's, with the time zone named after a date and time (issue #23: times
are shown in the client's zone, activated per request by agency.middleware)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATETIME_FORMAT = "N j, Y, P T"
