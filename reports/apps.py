from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The monthly close: a client's month is reviewed, explained, approved, delivered, and
    never silently rewritten (each approved version is kept)."""

    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"
