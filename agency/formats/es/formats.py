"""Spanish formats: Django's, with the time zone named after a date and time (issue #23)."""

from django.conf.locale.es.formats import *  # noqa: F403

DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i T"
