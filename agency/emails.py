"""The registry's own emails — an invitation, a password link, a new staff account — rendered in
the reader's language (a client's user: the client's language unless they chose one), branded
like the monthly report email (the agency's sender name, the logo and colour of the client or the
agency), and sent through an outbox (agency.outbox): written first, tried at once, retried by the
drain when the mail server refuses.

Emails about a client go through the client's outbox, which lives in ``clients`` (above this
app): ``clients.apps.ready()`` registers it here (:func:`register_client_sender`). Emails about no
client (an agency person's own account and password links) go through the agency's own outbox
in the public schema (agency.outbox.PUBLIC).
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formataddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from agency.branding import brand_for
from agency.mail import header_text
from agency.models import Client, User
from agency.outbox import PUBLIC
from agency.selectors import language_for

LOGO_ID = "brand-logo"  # the inline logo's Content-ID: the HTML shows it as cid:brand-logo
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


def brand_logo_inline(brand: dict[str, Any]) -> list[dict[str, str]]:
    """The brand's logo as an inline attachment of an outbox email (shown as ``cid:brand-logo``),
    or nothing when the brand has none (or its file is gone)."""
    logo = Path(brand["logo_path"]) if brand.get("logo_path") else None
    if logo is None or not logo.exists():
        return []
    kind = {".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}.get(logo.suffix.lower(), "png")
    return [{"path": str(logo), "name": f"logo.{kind}", "mimetype": f"image/{kind}", "inline_id": LOGO_ID}]


def brand_sender(brand: dict[str, Any]) -> str:
    """The From of a branded email: the agency's sender name at the portal's address."""
    return formataddr((header_text(brand.get("sender") or brand["name"]), settings.DEFAULT_FROM_EMAIL))


def link_lifetime() -> str:
    """How long a password link lasts, in the active language, from the setting the tokens are
    checked against (``PASSWORD_RESET_TIMEOUT``, seconds): whole days when it is a number of days,
    else hours (at least one), so the email never promises longer than the link works."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds >= 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    hours = max(1, seconds // 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def password_email_render(*, user: User, client: Client | None, kind: str, link: str, **extra: Any) -> dict[str, Any]:
    """Subject, text, HTML, sender and logo of a password link email (``kind``: invitation,
    password_reset or account), in ``user``'s language, with the brand of ``client`` (None: the
    agency's). An invitation names who sent it (``invited_by``: their name and the agency's) and
    how long its link lasts, so a stranger's email is recognisable and a late click is expected."""
    brand = brand_for(client)
    logo = brand_logo_inline(brand)
    context = {"user": user, "client": client, "link": link, "brand": brand, "kind": kind, "has_logo": bool(logo), **extra}
    with translation.override(language_for(user=user, client=client)):
        context["lifetime"] = link_lifetime()
        subject = header_text(" ".join(render_to_string(SUBJECTS[kind], context).split()))  # one line (issue #24)
        return {
            "subject": subject,
            "body": render_to_string(
                f"registration/{'password_reset' if kind == 'password_reset' else 'invite'}_email.txt", context
            ),
            "html": render_to_string("registration/password_email.html", {**context, "subject": subject}),
            "from_email": brand_sender(brand),
            "attachments": logo,
        }


def registry_email_send(*, user: User, client: Client | None, kind: str, message: dict[str, Any]) -> tuple[bool, str]:
    """Send a rendered email to ``user`` through an outbox (written first, tried now, retried when
    the mail server refuses, never twice): ``client``'s, else the agency's own. Returns whether it
    went out now and, if not, what the mail server said (the outbox tries again by itself)."""
    if client is not None and not client.is_public and _client_sender:
        return _client_sender[0](client=client, user=user, kind=kind, message=message)
    return PUBLIC.registry_queue(user=user, kind=kind, message=message)
