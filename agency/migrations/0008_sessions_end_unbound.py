"""Sessions are bound to the host they were signed in at (agency.middleware.SessionHostMiddleware).

Sessions made before carry no host and would stay valid at every host: they are ended once,
which signs everyone out at this release.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0007_user_session_generation_recomputeoutbox"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunSQL("DELETE FROM django_session", reverse_sql=migrations.RunSQL.noop)]
