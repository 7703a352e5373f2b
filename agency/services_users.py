"""Writes to the public schema about people: users, staff memberships, invitations, password links,
language, sessions.

Every function validates first and raises :class:`django.core.exceptions.ValidationError` with a
message per field, so a form and a command show the same errors and nothing is created when
anything is wrong.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from agency.emails import password_email_render, registry_email_send
from agency.models import Client, Membership, User
from agency.outbox import PUBLIC
from agency.selectors import client_primary_host, host_url
from agency.tokens import password_token_generator


def user_create(
    *,
    username: str,
    email: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    client: Client | None = None,
    language: str = "",
) -> User:
    """Create a user; a client user must name its client, and gets exactly that membership."""
    errors: dict[str, list[str]] = {}
    if role not in User.Role.values:
        errors["role"] = [_("Unknown role.")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("That username is taken.")]
    elif username.casefold() != (email or "").casefold() and User.objects.filter(email__iexact=username).exists():
        # Either name of an account signs it in (agency.backends): no name may mean two people.
        errors["username"] = [_("That username is another user's email address.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("A user with that email already exists.")]
    elif email and email.casefold() != username.casefold() and User.objects.filter(username__iexact=email).exists():
        errors["email"] = [_("That email address is another user's username.")]
    if role == User.Role.CLIENT and client is None:
        errors["client"] = [_("A client user belongs to a client.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            language=language,
            is_staff=False,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if client is not None:
            Membership.objects.create(user=user, client=client)
    return user


def staff_assign(*, user: User, client: Client) -> Membership:
    if user.role != User.Role.STAFF:
        raise ValidationError({"user": [_("Only agency staff are assigned to clients.")]})
    membership, _created = Membership.objects.get_or_create(user=user, client=client)
    return membership


def staff_unassign(*, user: User, client: Client) -> None:
    Membership.objects.filter(user=user, client=client, user__role=User.Role.STAFF).delete()


def client_user_invite(*, client: Client, email: str, invited_by: User, language: str = "") -> User:
    """Create a client user without a password and email them a link to choose one; for someone
    of this client already invited who has not chosen a password yet, email the link again.

    The invitation goes through the client's outbox (agency.emails): a refusal of the mail server
    keeps the person and the email, which is tried again by itself; ``user.invitation_refused``
    says what the server answered ("" when it went out)."""
    email = (email or "").strip().lower()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ValidationError({"email": [_("Enter a valid email address.")]})
    # Inviting again someone of this client who never chose a password sends the link again (an
    # invitation lost in a spam folder, or one the mail server refused), instead of "taken".
    user = User.objects.filter(
        email__iexact=email, role=User.Role.CLIENT, memberships__client=client, is_active=True
    ).first()
    if user is None or user.has_usable_password():
        user = user_create(
            username=email,
            email=email,
            role=User.Role.CLIENT,
            client=client,
            # The client's language, not the inviting staff member's (a Spanish client was invited
            # in English by English-speaking staff): the user's pages and emails until they choose.
            language=language or client.report_language,
        )
    host = password_link_host(user=user, client=client)
    message = password_email_render(
        user=user, client=client, kind="invitation", link=password_link(user=user, host=host), invited_by=invited_by
    )
    _sent, user.invitation_refused = registry_email_send(user=user, client=client, kind="invitation", message=message)
    return user


def user_password_setup_send(*, user: User) -> str:
    """Email an agency user a link to choose their password at the console, through the agency's
    own outbox (agency.emails: tried now, retried by itself). Returns what the mail server said
    when it refused ("" when it went out)."""
    link = password_link(user=user, host=settings.PORTAL_BASE_HOST)
    message = password_email_render(user=user, client=None, kind="account", link=link)
    _sent, refusal = registry_email_send(user=user, client=None, kind="account", message=message)
    return refusal


def password_link_host(*, user: User, client: Client | None = None) -> str | None:
    """The one host where ``user`` sets a password: the console's base host for agency people
    (never a client's domain, which agency staff may register), else the primary verified host
    of the user's client. None for a client user without a client."""
    if user.is_agency:
        return settings.PORTAL_BASE_HOST
    if client is None:
        membership = user.memberships.select_related("client").order_by("pk").first()
        client = membership.client if membership else None
    return client_primary_host(client=client) if client is not None else None


def password_link(*, user: User, host: str) -> str:
    """The link is built from the configured scheme and port and a host of the routing table,
    never from a request, and its token is only accepted at that host (agency.tokens)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = password_token_generator(host=host).make_token(user)
    return host_url(host=host) + f"/accounts/reset/{uid}/{token}/"


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language.")]})
    user.language = language
    user.save(update_fields=["language"])


def user_sessions_end_all(*, user: User) -> None:
    """End every session of ``user`` on every host (sessions are per host, so none is listed).

    Each session stores a hash of the user's password and session generation
    (``User._get_session_auth_hash``); raising the generation makes every stored hash stale,
    and Django's authentication middleware signs each of those sessions out at its next request.
    """
    from django.db.models import F

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


def public_outbox_email_resend(*, pk: int) -> bool:
    """An agency admin's "Send again" on one of the agency's own emails (agency.outbox.Outbox.resend):
    False when it is not waiting for them (sent meanwhile, or still being retried)."""
    return PUBLIC.resend(pk=pk)
