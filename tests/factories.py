"""Factories for the public schema's people; tenant data factories live beside their tests."""

from __future__ import annotations

import factory

from agency.models import Membership, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def clients(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        for client in extracted or []:
            Membership.objects.create(user=self, client=client)
        if create:
            self.save()


def checks_ran(*, client: object, month: object, open: int = 0, open_high: int = 0) -> None:
    """Record that the month's checks ran (portfolio.ClientMonthChecks, as kpis.checks.services.checks_mirror
    writes it, 0s included): a month whose checks never ran is not clean on the close board."""
    from portfolio.models import ClientMonthChecks

    ClientMonthChecks.objects.update_or_create(
        client=client, month=month, defaults={"total": open, "high": open_high, "open": open, "open_high": open_high}
    )
