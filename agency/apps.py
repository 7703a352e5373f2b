from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = "Agency"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from agency import middleware  # noqa: F401  connects the session's host binding to user_logged_in

        post_migrate.connect(_public_tenant_after_migrate, sender=self)


def _public_tenant_after_migrate(**kwargs: object) -> None:
    """The console's host exists as soon as the public schema is migrated."""
    from django.conf import settings
    from django.db import connection

    if connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
        from agency.services import public_tenant_ensure

        public_tenant_ensure()
