"""Password tokens bound to the host they were issued for.

Django's password-reset token proves who the user is and that nothing changed since it was
made; it says nothing about where it may be used. Here the host is part of the HMAC's salt, so a
token made for ``acme.<base host>`` fails at any other host: a link rewritten to point
elsewhere, or a token read off one portal and replayed at another, sets no password.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest
from django.http.request import split_domain_port


class HostBoundTokenGenerator(PasswordResetTokenGenerator):
    def __init__(self, host: str) -> None:
        super().__init__()
        self.key_salt = f"agency.tokens.HostBoundTokenGenerator:{host.lower()}"


def password_token_generator(*, host: str) -> HostBoundTokenGenerator:
    """The generator whose tokens are valid at ``host`` only."""
    return HostBoundTokenGenerator(host)


def request_host(request: HttpRequest) -> str:
    """The request's host name without its port, lower case, without a trailing dot."""
    domain, _port = split_domain_port(request.get_host())
    return domain
