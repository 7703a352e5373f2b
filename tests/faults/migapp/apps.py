from django.apps import AppConfig


class FaultMigrationConfig(AppConfig):
    """A tenant app with one migration that can be made to fail in one schema (tests/faults)."""

    name = "tests.faults.migapp"
    label = "faultmig"
