"""``connect_source SLUG PLATFORM --account ID [--token-file FILE]``: store a connection without a browser.

The file (or, without ``--token-file``, standard input) holds a JSON object: ``{"access_token": …}``
or ``{"refresh_token": …}``, ``{"api_key": …}`` (Mailchimp), ``{"service_account": {…}}`` (GA4).
Credentials never go on the command line (they would show in the process list and the shell's
history). The credentials are tested against the platform first; the sentence it answers is
printed (``connected: 12,408 contacts, portal 4242``), and nothing is stored when they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import AccountShared, connection_connect
from clients.connectors.transport import ConnectorError
from clients.connectors.vault import Credentials
from clients.management.commands._client import client_by_slug
from clients.management.commands._files import existing_file


def credentials_from_json(data: Any) -> Credentials:
    """A token file's object as credentials (``expires_in`` seconds or ``expires_at`` ISO accepted)."""
    if not isinstance(data, dict):
        raise CommandError("the token file must hold a JSON object")
    known = {"access_token", "refresh_token", "api_key", "service_account", "expires_at", "expires_in", "extra"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise CommandError(f"unknown key(s) in the token file: {', '.join(unknown)}")
    if not any(data.get(name) for name in ("access_token", "refresh_token", "api_key", "service_account")):
        raise CommandError("the token file names no access_token, refresh_token, api_key or service_account")
    expires = None
    if data.get("expires_in"):
        expires = timezone.now() + dt.timedelta(seconds=int(data["expires_in"]))
    elif data.get("expires_at"):
        expires = dt.datetime.fromisoformat(str(data["expires_at"]))
    account = data.get("service_account") or {}
    if isinstance(account, str):
        account = json.loads(account)
    return Credentials(access_token=str(data.get("access_token") or ""), refresh_token=str(data.get("refresh_token") or ""),
                       api_key=str(data.get("api_key") or ""), service_account=account, expires_at=expires,
                       extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()})


class Command(BaseCommand):
    help = "Connect a client's platform account (credentials from a JSON file or standard input), after testing them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("platform", choices=sorted(PLATFORMS))
        parser.add_argument("--account", required=True, help="the platform's account id (HubSpot portal, GA4 property)")
        parser.add_argument("--token-file", help="a JSON file with the credentials (default: read from standard input)")
        parser.add_argument("--landing-pages", action="store_true", help="GA4: read landing pages too")
        parser.add_argument("--shared", action="store_true",
                            help="connect it even if another client reads this account (its data counts for both)")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        token_file = options["token_file"]
        text = existing_file(token_file).read_text(encoding="utf-8") if token_file else sys.stdin.read()
        try:
            data = json.loads(text)
        except ValueError as error:
            raise CommandError(f"the credentials are not JSON: {error.msg} (line {error.lineno})") from None
        credentials = credentials_from_json(data)
        extra = {"landing_page": True} if options["landing_pages"] else {}
        try:
            _connection, summary = connection_connect(client=client, platform=options["platform"],
                                                      account_id=options["account"], credentials=credentials,
                                                      options=extra, shared_ok=options["shared"])
        except AccountShared as error:
            raise CommandError(f"not connected: {error.reason} (on the command line: --shared)") from None
        except ConnectorError as error:
            raise CommandError(f"not connected: {error.reason}" + (f" ({error.said})" if error.said else "")) from None
        self.stdout.write(summary)
