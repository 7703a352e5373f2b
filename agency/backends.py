"""Signing in with the email address or the username of an account.

Client users are invited by email (their username is that address) and agency people have a
short username besides their address: the sign-in form takes either, whatever the case of the
letters (``agency.selectors.user_for_sign_in``). The password is still compared exactly.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from agency.models import User
from agency.selectors import user_for_sign_in


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: object
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)  # type: ignore[assignment]
        if username is None or password is None:
            return None
        user = user_for_sign_in(name=username)
        if user is None:
            # Hash anyway, as Django's backend does: an unknown name takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
