"""The registry's own emails — an invitation, a password link, a new staff account — rendered in
the reader's language (a client's user: the client's language unless they chose one), branded
like the monthly report email (the agency's sender name, its colour and the client's colour), and
sent through the client's outbox when they concern a client.

The outbox lives in ``clients`` (above this app): ``clients.apps.ready()`` registers it here
(:func:`register_client_sender`). Emails about no client (an agency person's own account, at the
console) are sent at once: the public schema has no outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from agency.branding import brand_for
from agency.mail import header_text
from agency.models import Client, User
from agency.selectors import language_for

# (client, user, kind, message) -> (sent now, the mail server's refusal or "")
ClientSender = Callable[..., tuple[bool, str]]
_client_sender: list[ClientSender] = []

TEXTS = {
    "invitation": "registration/invite_email.txt",
    "password_reset": "registration/password_reset_email.txt",
    "account": "registration/invite_email.txt",
}
SUBJECTS = {
    "invitation": "registration/invite_subject.txt",
    "password_reset": "registration/password_reset_subject.txt",
    "account": "registration/account_subject.txt",
}


def register_client_sender(sender: ClientSender) -> None:
    """Called once by clients.apps.ready(): the client's outbox takes the emails about a client."""
    _client_sender[:] = [sender]


def password_email_render(*, user: User, client: Client | None, kind: str, link: str, **extra: Any) -> dict[str, str]:
    """Subject, text, HTML and sender of a password link email (``kind``: invitation, password_reset
    or account), in ``user``'s language, with the brand of ``client`` (None: the agency's)."""
    brand = brand_for(client)
    context = {"user": user, "client": client, "link": link, "brand": brand, "kind": kind, **extra}
    with translation.override(language_for(user=user, client=client)):
        subject = header_text(" ".join(render_to_string(SUBJECTS[kind], context).split()))  # one line (issue #24)
        return {
            "subject": subject,
            "body": render_to_string(
                f"registration/{'password_reset' if kind == 'password_reset' else 'invite'}_email.txt", context
            ),
            "html": render_to_string("registration/password_email.html", {**context, "subject": subject}),
            "from_email": formataddr((header_text(brand.get("sender") or brand["name"]), settings.DEFAULT_FROM_EMAIL)),
        }


def registry_email_send(*, user: User, client: Client | None, kind: str, message: dict[str, str]) -> tuple[bool, str]:
    """Send a rendered email to ``user``: through ``client``'s outbox (written first, retried when
    the mail server refuses, never twice), else at once (a refusal raises). Returns whether it went
    out now and, if not, what the mail server said (the outbox tries again by itself)."""
    if client is not None and not client.is_public and _client_sender:
        return _client_sender[0](client=client, user=user, kind=kind, message=message)
    email = EmailMultiAlternatives(message["subject"], message["body"], message.get("from_email") or None, [user.email])
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send()
    return True, ""
