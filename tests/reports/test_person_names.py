"""The close names people as people ("approved by Sam Rivera"), never by their login name ("sam-staff"):
the close page, the commentary's history, the version's footer, the share link list, the answer's
email; someone without a name by their email address; names stored before are rewritten by the
migration reports 0007."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from clients.outbox import outbox_send_due
from reports.models import Commentary, ReportVersion
from reports.services import commentary_save, month_approve, question_answer, question_ask, share_link_create
from tests.reports.conftest import MARCH, browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(march, staff_a, client_user_a):
    staff_a.first_name, staff_a.last_name = "Sam", "Rivera"
    staff_a.save()
    client_user_a.first_name = ""
    client_user_a.save()
    return march


def test_the_close_names_people_by_their_name_or_email(named, staff_a, client_user_a) -> None:
    commentary_save(client=named, month=MARCH, section="summary", text="A good month.", user=staff_a)
    month_approve(client=named, month=MARCH, user=staff_a)
    share_link_create(client=named, month=MARCH, user=staff_a, label="CEO")
    question = question_ask(client=named, month=MARCH, user=client_user_a, text="Why?")
    question_answer(client=named, question_id=question.pk, user=staff_a, text="Search spend.")
    staff = browser_for(staff_a, named, language="en")
    main = "<main"  # the account menu names the signed-in user by their login: their own, and theirs to see
    close = staff.get("/reports/2026-03/").content.decode().split(main, 1)[1]
    assert "by Sam Rivera" in close  # approved … by
    assert "Sam Rivera, " in close  # the commentary's history, the links' creator, the answer
    assert "ann@alpha.example" in close  # the client user without a name who asked
    assert "sam-staff" not in close and "ann-alpha" not in close
    version = staff.get("/reports/2026-03/versions/1/").content.decode().split(main, 1)[1]
    assert "by Sam Rivera" in version and "sam-staff" not in version
    outbox_send_due(client=named)
    (answer,) = [message for message in mail.outbox if "Search spend." in message.body]
    assert "Sam Rivera ha respondido:" in answer.body  # ann reads Spanish
    assert "sam-staff" not in answer.body


def test_names_stored_as_login_names_are_rewritten_by_the_migration(named, staff_a) -> None:
    commentary_save(client=named, month=MARCH, section="summary", text="Words.", user=staff_a)
    month_approve(client=named, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        ReportVersion.objects.update(approved_by_name="sam-staff")
        Commentary.objects.update(author_name="sam-staff")
        migration = importlib.import_module("reports.migrations.0007_person_names_shown")
        migration.rename(None, SimpleNamespace(connection=connection))
        assert list(ReportVersion.objects.values_list("approved_by_name", flat=True)) == ["Sam Rivera"]
        assert list(Commentary.objects.values_list("author_name", flat=True)) == ["Sam Rivera"]
        ReportVersion.objects.update(approved_by_name="Somebody else")  # not a login name: left as it is
        migration.rename(None, SimpleNamespace(connection=connection))
        assert ReportVersion.objects.get().approved_by_name == "Somebody else"
