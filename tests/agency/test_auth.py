"""Signing in, throttling, hand-off between hosts, invitations, password reset, language."""

from __future__ import annotations

import re
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from agency.models import User
from agency.services_users import client_user_invite
from agency.views.auth import handoff_token
from clients.models import OutboxEmail
from tests.conftest import host_of
from tests.factories import PASSWORD


def _split(url: str) -> tuple[str, str]:
    """An absolute portal URL as (host, path with query)."""
    rest = url.split("://", 1)[1]
    host, _slash, path = rest.partition("/")
    return host.split(":")[0], "/" + path


def _hop(http: HttpClient, url: str):
    host, path = _split(url)
    return http.get(path, HTTP_HOST=host)


def _handoff_link(http: HttpClient, start: str) -> str:
    """Follow a hand-off from its start at the target host to the issued link (not opened yet)."""
    issue = _hop(http, start)
    assert issue.status_code == 302, issue
    link = _hop(http, issue["Location"])
    assert link.status_code == 302 and "/accounts/handoff/?t=" in link["Location"], link
    return link["Location"]


def _login(http: HttpClient, user: User, host: str, password: str = PASSWORD):
    return http.post("/accounts/login/", {"username": user.username, "password": password}, HTTP_HOST=host)


def test_client_user_signs_in_at_its_own_host(client_user_a, tenant_a) -> None:
    http = HttpClient()
    assert _login(http, client_user_a, host_of(tenant_a))["Location"] == "/"
    assert http.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200


def test_client_user_cannot_sign_in_at_another_clients_host(client_user_a, tenant_b) -> None:
    http = HttpClient()
    response = _login(http, client_user_a, host_of(tenant_b))
    assert response.status_code == 200
    assert "no access to this portal" in response.content.decode()
    assert "_auth_user_id" not in http.session


def test_client_user_signing_in_at_the_console_is_sent_to_its_portal(client_user_a, tenant_a) -> None:
    response = _login(HttpClient(), client_user_a, host_of(None))
    # A page that moves on by itself, not a redirect: CSP's form-action 'self' covers a form's redirects.
    assert response.status_code == 200
    assert f'content="0;url=http://{host_of(tenant_a)}:8000/accounts/handoff/start/?' in response.content.decode()


def test_repeated_failed_logins_are_throttled(staff_a, settings) -> None:
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(http, staff_a, host_of(None), password="wrong").status_code == 200
    assert _login(http, staff_a, host_of(None), password="wrong").status_code == 429
    locked = _login(http, staff_a, host_of(None))  # even the right password, now
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()


def test_staff_switch_clients_without_signing_in_again(staff_ab, tenant_a, tenant_b) -> None:
    http = HttpClient()
    http.force_login(staff_ab)
    start = http.get("/accounts/switch/beta/", HTTP_HOST=host_of(tenant_a))["Location"]
    assert start.startswith(f"http://{host_of(tenant_b)}:8000/accounts/handoff/start/")
    link = _handoff_link(http, start)
    assert _split(link)[0] == host_of(tenant_b)
    assert _hop(http, link)["Location"] == "/"
    assert http.get("/", HTTP_HOST=host_of(tenant_b)).status_code == 200
    # single use
    replay = _hop(http, link)
    assert replay.status_code == 302 and "/accounts/login/" in replay["Location"]


def test_a_handoff_link_opened_in_another_browser_signs_nobody_in(staff_ab, tenant_a, tenant_b) -> None:
    """Issue #10 item 6: the link is bound to the browser that started the move (a nonce cookie
    at the target host); pasted into another browser it signs nobody in, and stays unused."""
    http = HttpClient()
    http.force_login(staff_ab)
    link = _handoff_link(http, http.get("/accounts/switch/beta/", HTTP_HOST=host_of(tenant_a))["Location"])
    stranger = HttpClient()
    response = _hop(stranger, link)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in stranger.session
    assert _hop(http, link)["Location"] == "/"  # the browser that asked still can


def test_a_handoff_is_issued_only_for_a_move_the_user_started(staff_ab, tenant_a, tenant_b) -> None:
    """Another site cannot make a signed-in browser issue a link bound to the attacker's cookie."""
    attacker = HttpClient()
    issue = _hop(attacker, HttpClient().get("/accounts/handoff/start/", HTTP_HOST=host_of(tenant_b))["Location"])
    victim = HttpClient()
    victim.force_login(staff_ab)
    assert victim.get(issue.request["PATH_INFO"] + "?" + issue.request["QUERY_STRING"],
                      HTTP_HOST=host_of(None)).status_code == 404


def test_a_handoff_link_only_works_at_the_host_it_names(staff_ab, tenant_a, tenant_b) -> None:
    token = handoff_token(user=staff_ab, host=host_of(tenant_a), binding="0" * 64)
    assert HttpClient().get(f"/accounts/handoff/?t={token}", HTTP_HOST=host_of(tenant_b)).status_code == 404


def test_a_tampered_handoff_link_signs_nobody_in(staff_ab, tenant_a) -> None:
    token = handoff_token(user=staff_ab, host=host_of(tenant_a), binding="0" * 64)
    http = HttpClient()
    response = http.get(f"/accounts/handoff/?t={token[:-3]}xyz", HTTP_HOST=host_of(tenant_a))
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in http.session


def test_an_invited_client_user_sets_a_password_from_the_email_link(tenant_a, staff_a) -> None:
    user = client_user_invite(client=tenant_a, email="New.Person@Client.example", invited_by=staff_a)
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.person@client.example"]]
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    assert link.startswith(f"http://{host_of(tenant_a)}:8000/accounts/reset/")
    http = HttpClient()
    form_page = http.get(link.split(":8000", 1)[1], HTTP_HOST=host_of(tenant_a), follow=True)
    assert form_page.status_code == 200
    response = http.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"},
        HTTP_HOST=host_of(tenant_a),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-Long-new-pass-42")
    # Signed in at once, on to the home page: no second typing of the address and the new password.
    assert response.url == "/"
    home = http.get("/", HTTP_HOST=host_of(tenant_a))
    assert home.status_code == 200 and home.wsgi_request.user == user
    assert "Your password is set, and you are signed in." in home.content.decode()


def test_a_password_set_at_a_client_host_the_person_may_not_use_signs_nobody_in(tenant_a, staff_a) -> None:
    """The sign-in page's rule holds after a new password too: at a client's host, only its people."""
    user = client_user_invite(client=tenant_a, email="gone@client.example", invited_by=staff_a)
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    user.memberships.all().delete()  # taken off the client after the invitation went out
    http = HttpClient()
    form_page = http.get(link.split(":8000", 1)[1], HTTP_HOST=host_of(tenant_a), follow=True)
    response = http.post(form_page.redirect_chain[-1][0],
                         {"new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"},
                         HTTP_HOST=host_of(tenant_a))
    assert response.status_code == 302 and response.url == "/accounts/reset/done/"
    assert "_auth_user_id" not in http.session


def test_the_invitations_password_page_speaks_to_a_spanish_client_as_tu_throughout(tenant_a, staff_a) -> None:
    """Django's own help said "Su contraseña…" (usted) above the portal's "Tu contraseña está lista"."""
    client_user_invite(client=tenant_a, email="lucia@client.example", invited_by=staff_a)
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    page = http.get(link.split(":8000", 1)[1], HTTP_HOST=host_of(tenant_a), follow=True).content.decode()
    assert "Tu contraseña no puede parecerse tanto a tu otra información personal." in page
    assert "Tu contraseña debe tener al menos" in page and "Para comprobarla, escribe otra vez la misma contraseña." in page
    assert "Su contraseña" not in page and "introduzca" not in page


def test_password_reset_mail_links_to_the_users_own_portal(client_user_a, tenant_a) -> None:
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    HttpClient().post("/accounts/password/reset/", {"email": "ann@alpha.example"}, HTTP_HOST=host_of(tenant_a))
    assert len(mail.outbox) == 1
    assert f"http://{host_of(tenant_a)}:8000/accounts/reset/" in mail.outbox[0].body


def test_password_change(staff_a) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    response = http.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Another-good-pass-7", "new_password2": "Another-good-pass-7"},
        HTTP_HOST=host_of(None),
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.check_password("Another-good-pass-7")


def test_the_password_pages_each_show_their_heading_and_form(staff_a) -> None:
    """One template (registration/password_form.html) serves the three: each its own heading, the
    change page its "sign out everywhere", a used or forged link says so instead of a form."""
    visitor = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    ask = visitor.get("/accounts/password/reset/").content.decode()
    assert "<h1>Restablecer la contraseña</h1>" in ask and 'name="email"' in ask
    forged = visitor.get("/accounts/reset/MQ/set-password/", follow=True).content.decode()
    assert "<h1>Elige una contraseña</h1>" in forged and "Este enlace ya no es válido" in forged
    assert 'name="new_password1"' not in forged
    staff = HttpClient(HTTP_HOST=host_of(None))
    staff.force_login(staff_a)
    change = staff.get("/accounts/password/change/").content.decode()
    assert "<h1>Change your password</h1>" in change and 'name="old_password"' in change
    assert "Sign out everywhere" in change and "no longer valid" not in change


@pytest.mark.parametrize(("language", "expected"), [("es", "Iniciar sesión"), ("en", "Sign in")])
def test_language_choice_is_remembered_on_the_user(staff_a, language, expected) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    response = http.post("/i18n/language/", {"language": language, "next": "/"}, HTTP_HOST=host_of(None))
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.language == language
    page = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    http.cookies.pop("sessionid")
    http.force_login(staff_a)
    shown = http.get("/clients/new/", HTTP_HOST=host_of(None)).content.decode()
    assert "Add a client" in shown or "Añadir un cliente" in shown
    assert ("Añadir un cliente" in shown) == (language == "es")


@pytest.mark.parametrize("stored", ["", "en"])
def test_a_language_chosen_on_the_sign_in_page_follows_the_user_to_every_host(staff_ab, tenant_a, stored) -> None:
    """The walk of 2026-12-07 (walk15): a staff member switched the sign-in page to Spanish, signed
    in, read the console in Spanish and the client's portal in English: the choice stayed in the
    console's cookie. A choice made on the sign-in page is now the user's, as it is once signed in."""
    staff_ab.language = stored
    staff_ab.save(update_fields=["language"])
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    http.post("/i18n/language/", {"language": "es", "next": "/accounts/login/"})
    assert _login(http, staff_ab, host_of(None)).status_code == 302
    staff_ab.refresh_from_db()
    assert staff_ab.language == "es"
    portal = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # its own cookies
    portal.force_login(staff_ab)
    assert ">Informe</a>" in portal.get("/").content.decode()


def test_signing_in_without_switching_keeps_the_users_language(staff_a) -> None:
    """Only a switch made on the way in counts: a browser's own language, or a cookie left from
    a visit before, does not overwrite the language the user chose once signed in."""
    staff_a.language = "en"
    staff_a.save(update_fields=["language"])
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert _login(http, staff_a, host_of(None)).status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.language == "en"


def test_an_unknown_language_is_refused(staff_a) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    assert http.post("/i18n/language/", {"language": "xx"}, HTTP_HOST=host_of(None)).status_code == 400


def test_the_browser_language_picks_spanish_for_visitors(db) -> None:
    page = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert "Iniciar sesión" in page.content.decode()


def test_a_visitor_at_a_spanish_clients_host_reads_spanish_until_switching(tenant_a) -> None:
    """The invitation email of a Spanish client is in Spanish: the sign-in and choose-a-password
    pages it leads to are too, whatever the browser says, until the visitor switches language."""
    tenant_a.language = "es"
    tenant_a.save(update_fields=["language"])
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Iniciar sesión" in http.get("/accounts/login/").content.decode()
    http.post("/i18n/language/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in http.get("/accounts/login/").content.decode()
    # the console is no client's: a visitor there reads the browser's language
    console = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in console.content.decode()


# --- an invitation that did not arrive (tests/browser/test_journey.py walks the happy path) ------


def test_inviting_again_someone_who_never_chose_a_password_sends_the_link_again(tenant_a, staff_a) -> None:
    first = client_user_invite(client=tenant_a, email="late@client.example", invited_by=staff_a)
    again = client_user_invite(client=tenant_a, email="Late@Client.example", invited_by=staff_a)
    assert again.pk == first.pk and len(mail.outbox) == 2
    assert "/accounts/reset/" in mail.outbox[1].body
    again.set_password("Chosen-pass-2026")
    again.save()
    with pytest.raises(ValidationError):  # once signed up, the address is taken
        client_user_invite(client=tenant_a, email="late@client.example", invited_by=staff_a)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything (the settings name it for one test)."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, b"relay refused")


def test_an_invitation_the_mail_server_refuses_says_so_and_can_be_sent_again(admin_user, tenant_a, settings) -> None:
    """Through the client's outbox: the refused email is kept (retried by itself); inviting again
    replaces it with the new link and sends at once — the person receives exactly one."""
    settings.EMAIL_BACKEND = "tests.agency.test_auth.RefusingBackend"
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(admin_user)
    page = http.post("/clients/alpha/invite/", {"email": "cfo@client.example"}, follow=True).content.decode()
    assert "cfo@client.example was added, but the invitation could not be emailed" in page
    assert "relay refused" in page and "It is tried again by itself" in page
    with schema_context("alpha"):
        (row,) = OutboxEmail.objects.filter(kind="invitation")
        assert row.state == "failed" and row.next_attempt_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = http.post("/clients/alpha/invite/", {"email": "cfo@client.example"}, follow=True).content.decode()
    assert "Invitation sent to cfo@client.example." in page
    assert [m.to for m in mail.outbox] == [["cfo@client.example"]]
    with schema_context("alpha"):
        assert list(OutboxEmail.objects.filter(kind="invitation").values_list("state", flat=True)) == ["sent"]


def test_forgot_password_mails_an_invited_user_who_never_chose_one(tenant_a, staff_a) -> None:
    client_user_invite(client=tenant_a, email="lost@client.example", invited_by=staff_a)
    mail.outbox.clear()
    HttpClient().post("/accounts/password/reset/", {"email": "LOST@client.example"}, HTTP_HOST=host_of(tenant_a))
    assert len(mail.outbox) == 1 and f"http://{host_of(tenant_a)}:8000/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("asked", "lands"),
    [
        ("/reports/2026-03/", "/reports/2026-03/"),  # the close board's one click to a month
        ("//evil.example/reports/", "/"),  # another host: ignored
        ("https://evil.example/", "/"),
        ("/reports/2026-03/?mine=1&show=waiting", "/reports/2026-03/?mine=1&show=waiting"),  # the board's filters
        ("/reports/?next=https://evil.example/", "/"),  # a query of anything but plain words: ignored
        ("/reports/?a=b?c", "/"),
    ],
)
def test_a_handoff_opens_only_a_plain_path_of_the_portal(staff_ab, tenant_a, tenant_b, asked, lands) -> None:
    http = HttpClient()
    http.force_login(staff_ab)
    start = http.get("/accounts/switch/beta/", {"next": asked}, HTTP_HOST=host_of(None))["Location"]
    assert "next" not in start and "reports" not in start  # kept in the session, never in the link
    assert _hop(http, _handoff_link(http, start))["Location"] == lands


def test_the_account_menu_names_the_person_not_the_login(staff_a, tenant_a) -> None:
    """The top bar said "sam": the menu names the person as the close does (full name, else email),
    the login name kept on hover for signing in, after the whole name (the bar cuts a long one)."""
    staff_a.first_name, staff_a.last_name = "Sam", "Ortega"
    staff_a.save()
    http = HttpClient()
    _login(http, staff_a, host_of(tenant_a))
    page = http.get("/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert re.search(r'<summary class="who" title="Sam Ortega — sam-staff">Sam Ortega</summary>', page), page[:2000]


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "es-ES,es;q=0.9"])
def test_the_language_menu_names_each_language_in_its_own_words(db, accept) -> None:
    """The walk of 2026-12-07 (walk15) switched to Spanish first: on the English sign-in page the menu
    said "Spanish", and on a Spanish page an English reader met "Inglés". Each option is now written in
    its own language, whatever the page's, and says which language it is in (lang)."""
    page = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    menu = page[page.index('id="language-select"'):page.index("</select>", page.index('id="language-select"'))]
    options = re.findall(r'<option value="([\w-]+)" lang="([\w-]+)"[^>]*>([^<]+)</option>', menu)
    assert [(code, name) for code, lang, name in options if code == lang] == [
        ("en", "English"), ("es", "Español"), ("es-mx", "Español (México)")], menu
