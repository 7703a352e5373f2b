"""``create_client SLUG --name NAME ...``: provision a client (formats.md, "Commands")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agency.services import client_create


class Command(BaseCommand):
    help = "Provision a client: its schema and its domain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--gross-margin", default="0.7")
        parser.add_argument("--horizon-months", default="60")
        parser.add_argument("--domain", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client = client_create(
                slug=options["slug"],
                name=options["name"],
                timezone=options["timezone"],
                currency=options["currency"],
                gross_margin=options["gross_margin"],
                horizon_months=options["horizon_months"],
                domain=options["domain"],
            )
        except ValidationError as error:
            lines = [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
            raise CommandError("client not created:\n  " + "\n  ".join(lines)) from None
        self.stdout.write(f"created client {client.slug} (schema {client.schema_name})")
        for claim in client.domain_claims.all():
            self.stdout.write(
                f"custom domain {claim.domain} is pending: publish the DNS TXT record {claim.txt_name}"
                f' = "{claim.txt_value}", then press "Check now" on the client\'s page in the console'
            )
