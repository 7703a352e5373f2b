"""Signing in with either name of an account (its email address or its username, in any case),
and the sign-in page and emails saying so in English and Spanish."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from agency.models import User
from agency.services_users import client_user_invite, user_create, user_password_setup_send
from tests.conftest import host_of
from tests.factories import PASSWORD, UserFactory


def _sign_in(name: str, host: str, password: str = PASSWORD, http: HttpClient | None = None):
    return (http or HttpClient()).post("/accounts/login/", {"username": name, "password": password}, HTTP_HOST=host)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("typed", ["ann@alpha.example", "Ann@Alpha.EXAMPLE", " ann@alpha.example ", "ann-alpha", "ANN-Alpha"])
def test_a_client_user_signs_in_with_their_email_or_username_in_any_case(client_user_a, tenant_a, typed) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    response = _sign_in(typed, host_of(tenant_a))
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_invited_client_user_signs_in_with_the_address_they_were_invited_at(tenant_a, staff_a) -> None:
    user = client_user_invite(client=tenant_a, email="Pat.Lee@Client.example", invited_by=staff_a)
    user.set_password("a-Long-new-pass-42")
    user.save()
    assert _sign_in("Pat.Lee@Client.example", host_of(tenant_a), password="a-Long-new-pass-42").status_code == 302


def test_staff_sign_in_at_the_console_with_their_email_address(staff_a) -> None:
    assert _sign_in(staff_a.email.upper(), host_of(None)).status_code == 302


def test_the_password_is_still_compared_letter_for_letter(staff_a) -> None:
    page = _sign_in(staff_a.email, host_of(None), password=PASSWORD.swapcase())
    assert page.status_code == 200
    assert "Enter a correct email or username and password. The password is case-sensitive." in page.content.decode()


def test_an_address_two_accounts_share_signs_neither_in(tenant_a) -> None:
    """Made before the portal refused a second account with the same address: neither is guessed."""
    UserFactory(username="one", email="shared@client.example", clients=[tenant_a], role=User.Role.CLIENT)
    UserFactory(username="two", email="Shared@client.example", clients=[tenant_a], role=User.Role.CLIENT)
    assert _sign_in("shared@client.example", host_of(tenant_a)).status_code == 200
    assert _sign_in("one", host_of(tenant_a)).status_code == 302


def test_failed_attempts_under_every_name_of_an_account_count_together(staff_a, settings) -> None:
    """Otherwise "sam", "SAM" and sam's address would each get their own five tries."""
    http = HttpClient()
    names = [staff_a.username, staff_a.username.upper(), staff_a.email, staff_a.email.title()]
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(names[attempt % len(names)], host_of(None), password="wrong", http=http).status_code == 200
    assert _sign_in(staff_a.email.upper(), host_of(None), password="wrong", http=http).status_code == 429
    assert _sign_in(staff_a.username, host_of(None), http=http).status_code == 429


def test_no_name_may_be_one_persons_username_and_anothers_email(staff_a) -> None:
    with pytest.raises(ValidationError) as taken:
        user_create(username=staff_a.email.upper(), email="new@agency.example", role=User.Role.STAFF)
    assert "That username is another user's email address." in str(taken.value)
    UserFactory(username="odd@agency.example", email="someone@agency.example")
    with pytest.raises(ValidationError) as taken:
        user_create(username="newcomer", email="ODD@agency.example", role=User.Role.STAFF)
    assert "That email address is another user's username." in str(taken.value)


def test_inviting_an_address_someone_has_says_so_once(tenant_a, staff_a) -> None:
    """A client user's username is their address: the address taken is one message, not two."""
    with pytest.raises(ValidationError) as taken:
        client_user_invite(client=tenant_a, email=staff_a.email.upper(), invited_by=staff_a)
    assert taken.value.messages == ["A user with that email already exists."]


@pytest.mark.parametrize(
    ("language", "label", "words"),
    [("en", "Email or username", "Sign in"), ("es", "Correo electrónico o usuario", "Iniciar sesión")],
)
def test_the_sign_in_page_asks_for_the_email_or_username(db, language, label, words) -> None:
    page = HttpClient(HTTP_ACCEPT_LANGUAGE=language).get("/accounts/login/", HTTP_HOST=host_of(None)).content.decode()
    assert f'<label for="id_username">{label}' in page and words in page
    assert re.search(r'name="username"[^>]*maxlength="254"', page)
    assert ">Username<" not in page and ">Usuario<" not in page


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "Then sign in with your email address pat@client.example and that password."),
        ("es", "Después inicia sesión con tu correo electrónico pat@client.example y esa contraseña."),
    ],
)
def test_an_invitation_says_to_sign_in_with_the_email_address(tenant_a, staff_a, language, says) -> None:
    client_user_invite(client=tenant_a, email="pat@client.example", invited_by=staff_a, language=language)
    (message,) = mail.outbox
    assert says in message.body
    assert says in _text(message.alternatives[0][0])
    assert "username" not in message.body and "usuario" not in message.body


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "Then sign in with your email address {email} or your username {username} and that password."),
        ("es", "Después inicia sesión con tu correo electrónico {email} o tu usuario {username} y esa contraseña."),
    ],
)
def test_a_staff_account_email_names_both_ways_to_sign_in(db, language, says) -> None:
    person = user_create(username="kim", email="kim@agency.example", role=User.Role.STAFF, language=language)
    user_password_setup_send(user=person)
    (message,) = mail.outbox
    expected = says.format(email="kim@agency.example", username="kim")
    assert expected in message.body and expected in _text(message.alternatives[0][0])


@pytest.mark.parametrize("typed", ["a\x00b", "x" * 300])
def test_a_name_nobody_can_have_is_refused_not_a_server_error(db, typed) -> None:
    """The sign-in name is looked up before the form checks it (the attempts' count): a NUL
    character, which PostgreSQL refuses in a query, or a name longer than any, is nobody's."""
    http = HttpClient(raise_request_exception=False)
    page = http.post("/accounts/login/", {"username": typed, "password": "nope"}, HTTP_HOST=host_of(None))
    assert page.status_code in (200, 400) and "_auth_user_id" not in http.session
    if page.status_code == 200:
        assert "Enter a correct email or username and password" in page.content.decode()
