"""The portal's settings plus one tenant app whose migration can be made to fail (tests/faults)."""

from agency.settings import *  # noqa: F403

TENANT_APPS = [*TENANT_APPS, "tests.faults.migapp"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.faults.migapp"]  # noqa: F405
