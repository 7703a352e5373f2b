"""The agency's whole journey in a real browser, from an empty client to a report in its inbox.

An agency admin adds a new client (its user's email, its logo and colour), drops six exports as
the platforms lay them out (Google Ads in Spanish, Meta, LinkedIn, GA4, Mailchimp, HubSpot), sets
the qualification criteria, opens the month that just ended in Monthly reports, writes the
commentary and approves. The email the client gets is branded and carries the figures computed by
hand from the files below; the client user, signed in from the invitation, sees that approved month.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_exists

from agency.models import Client
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
SLUG = "nimbus"

# What the files below add up to, by hand, for the month:
#   spend: Google Ads 1,234.50 + 80.25 + 100 + 20 + 65.25 + 0 = 1,500.00; Meta 200 + 150 + 100 + 50 = 500.00;
#          LinkedIn 300 + 200 = 500.00: marketing spend 2,500.00
#   leads: 10 HubSpot contacts created in the month; 5 of them with 120 employees (the criteria's
#          "employees at least 50"): 5 MQLs; one customer: cost per lead 250.00, CAC 2,500.00
#   sessions: GA4 1,000 + 500 + 250 (the smart tv row is left out) = 1,750
HEADLINE = {"Sessions": "1,750", "New leads": "10", "MQLs": "5", "Customers": "1", "Marketing spend": "€2,500.00",
            "Cost per lead": "€250.00", "Customer acquisition cost (CAC)": "€2,500.00"}


def _exports(folder, month: dt.date) -> dict[str, object]:
    """The six files as the platforms lay them out (docs/sources.md), for days of ``month``."""
    d = [month.replace(day=n) for n in (1, 2, 3)]
    files = {
        "informe-google-ads.csv": (
            "Informe de campañas\n"
            f"{d[0]:%d/%m/%Y} - {d[2]:%d/%m/%Y}\n"
            "Día,ID de campaña,Campaña,Código de moneda,Coste,Impr.,Clics\n"
            f'{d[0]},101,Marca,EUR,"1.234,50",1.422,56\n'
            f'{d[0]},102,Genérica,EUR,"80,25",900,20\n'
            f'{d[1]},101,Marca,EUR,"100,00",300,9\n'
            f'{d[1]},102,Genérica,EUR,"20,00",100,2\n'
            f'{d[2]},101,Marca,EUR,"65,25",200,5\n'
            f'{d[2]},102,Genérica,EUR,"0,00",0,0\n'
            'Total: Cuenta,,,EUR,"1.500,00",,\n'
        ),
        "meta-ads.csv": (
            "Reporting starts,Reporting ends,Campaign ID,Campaign name,Day,Amount spent (EUR),Impressions,Link clicks\n"
            f"{d[0]},{d[1]},,,,500.00,,\n"
            f"{d[0]},{d[1]},120210,Prospecting lookalike,{d[0]},200.00,16000,300\n"
            f"{d[0]},{d[1]},120211,Retargeting carousel,{d[0]},150.00,12000,225\n"
            f"{d[0]},{d[1]},120210,Prospecting lookalike,{d[1]},100.00,8000,150\n"
            f"{d[0]},{d[1]},120211,Retargeting carousel,{d[1]},50.00,4000,75\n"
        ),
        "linkedin.csv": (
            "Campaign Performance Report (in UTC)\n"
            f'"Report Start: {d[0]:%m/%d/%Y}, Report End: {d[1]:%m/%d/%Y}"\n'
            "\n"
            "Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Currency,Total Spent,"
            "Impressions,Clicks\n"
            f"{d[0].month}/{d[0].day}/{d[0].year},Nimbus Outdoor,Always on,CFO sponsored content,5501,EUR,300.00,12000,180\n"
            f"{d[1].month}/{d[1].day}/{d[1].year},Nimbus Outdoor,Always on,CFO sponsored content,5501,EUR,200.00,8000,120\n"
        ),
        "ga4-traffic.csv": (
            "# ----------------------------------------\n# Traffic acquisition: Session default channel group\n"
            f"# Start date: {d[0]:%Y%m%d}\n# End date: {d[1]:%Y%m%d}\n# ----------------------------------------\n\n"
            "Date,Session default channel group,Device category,Sessions,Engaged sessions,Engagement rate\n"
            f"{d[0]:%Y%m%d},Organic Search,desktop,1000,600,0.6000\n"
            f"{d[0]:%Y%m%d},Paid Search,mobile,500,300,0.6000\n"
            f"{d[1]:%Y%m%d},Direct,tablet,250,100,0.4000\n"
            f"{d[1]:%Y%m%d},Direct,smart tv,2,1,0.5000\n"
            "Grand total,,,1752,1001,0.5713\n"
        ),
        "mailchimp.csv": (
            "Title,Subject,List,Send Date,Send Weekday,Total Recipients,Successful Deliveries,Soft Bounces,Hard Bounces,"
            "Unique Opens,Open Rate,Unique Clicks,Click Rate,Unsubscribes\n"
            f'Monthly newsletter,News #1,Customers,"{d[1]:%b %d, %Y} 09:30 am",{d[1]:%A},4000,3950,30,20,1400,35.44%,'
            "280,7.09%,6\n"
            f'Webinar invitation,Webinar #1,Customers,"{d[2]:%b %d, %Y} 09:30 am",{d[2]:%A},2000,1990,5,5,600,30.15%,'
            "90,4.52%,2\n"
        ),
    }
    header = ('"Record ID","First Name","Last Name","Email","Create Date","Lifecycle Stage","Original Source",'
              '"Became a Sales Qualified Lead Date","Became an Opportunity Date","Became a Customer Date","Industry",'
              '"Number of Employees","Annual Revenue"\n')
    rows = []
    for n in range(10):
        big = n < 5
        sql = f"{d[2]} 10:00" if n in (0, 1) else ""
        customer = f"{month.replace(day=20)} 12:00" if n == 0 else ""
        stage = "customer" if customer else ("salesqualifiedlead" if sql else "lead")
        employees = 120 if big else 20
        rows.append(f'"{9000 + n}","Alex","Lead{n}","lead{n}@prospect.example","{d[0 if n < 6 else 1]} 09:{n:02d}",'
                    f'"{stage}","{"Paid Search" if n % 2 else "Organic Search"}","{sql}","{sql}","{customer}","SaaS",'
                    f'"{employees}","{employees * 90000}"\n')
    files["hubspot-contacts.csv"] = header + "".join(rows)
    paths = {}
    for name, text in files.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _logo(folder):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 64), "#ffffff")
    ImageDraw.Draw(image).ellipse((8, 8, 56, 56), fill="#0f766e")
    path = folder / "nimbus-logo.png"
    image.save(path)
    return path


@pytest.fixture
def eager_tasks(eager_tasks, monkeypatch) -> None:
    """Imports, recomputes and the outbox run in the web process (tests/browser/conftest.py), and
    the report PDFs drawn ahead after each recompute are left out (tests/kpis/test_report.py has
    them); the approval draws the one it attaches."""
    monkeypatch.setattr("kpis.tasks.report_pdfs_build", lambda **kwargs: 0)


@pytest.fixture
def no_nimbus(tenants) -> Iterator[None]:
    """The client this journey creates is dropped afterwards (schema and all), and before, if a run died."""
    def drop() -> None:
        connection.set_schema_to_public()
        client = Client.objects.filter(slug=SLUG).first()
        if client is not None:
            client.delete(force_drop=True)
        elif schema_exists(SLUG):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{SLUG}" CASCADE')

    drop()
    yield
    drop()


def _wait_for_text(page, text: str, timeout: float = 20) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def test_from_a_new_client_and_six_exports_to_an_approved_report_in_its_inbox(
    browser, portal, admin_user, eager_tasks, no_nimbus, settings, tmp_path
) -> None:
    started = time.monotonic()
    month = (dt.datetime.now(ZoneInfo("Europe/Madrid")).date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    files, logo = _exports(tmp_path, month), _logo(tmp_path)
    nimbus = portal.client(SLUG)
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    staff = context.new_page()
    staff.set_default_timeout(20_000)
    client_context = None
    try:
        # 1. the console: a new client, its client user, its logo and colour
        sign_in(staff, portal.console, admin_user.username)
        staff.wait_for_url(portal.console + "/")
        staff.get_by_role("link", name="Add client").click()
        staff.get_by_label("Name").fill("Nimbus Outdoor")
        staff.get_by_label("Slug").fill(SLUG)
        staff.get_by_label("Time zone").select_option("Europe/Madrid")
        staff.get_by_label("Currency").fill("EUR")
        staff.get_by_role("button", name="Create client").click()
        _wait_for_text(staff, "Client “Nimbus Outdoor” is ready.")
        staff.get_by_label("Email of the client user").fill("laura@nimbus-outdoor.example")
        staff.get_by_role("button", name="Send invitation").click()
        _wait_for_text(staff, "Invitation sent to laura@nimbus-outdoor.example.")
        staff.get_by_role("link", name="Report settings").click()
        staff.get_by_label("Accent colour").fill("#0f766e")
        staff.get_by_label("Logo", exact=True).set_input_files(str(logo))
        staff.get_by_role("button", name="Save").click()
        _wait_for_text(staff, "Report settings saved.")
        screenshot(staff, "journey-1-client-added-1440")

        # 2. the client's portal: six exports through the upload page, each detected and imported
        staff.get_by_role("link", name="Open portal").click()
        staff.wait_for_url(nimbus + "/")
        staff.get_by_role("link", name="Imports").first.click()
        detected = {
            "informe-google-ads.csv": "Google Ads campaign report (Spanish), 6 rows",
            "meta-ads.csv": "Meta Ads Manager export (English), 4 rows",
            "linkedin.csv": "LinkedIn Campaign Manager report (English), 2 rows",
            "ga4-traffic.csv": "GA4 traffic acquisition report (English), 4 rows",
            "mailchimp.csv": "Mailchimp campaigns report (English), 2 rows",
            "hubspot-contacts.csv": "HubSpot contacts export (English), 10 rows",
        }
        for name, path in files.items():
            staff.goto(nimbus + "/imports/")
            staff.get_by_label("Files", exact=True).set_input_files(str(path))
            staff.get_by_role("button", name="Preview").click()
            assert detected[name] in " ".join(staff.locator("#detected").inner_text().split()), name
            staff.get_by_role("button", name="Import the whole file").click()
            _wait_for_text(staff, "Done:")
        screenshot(staff, "journey-2-imported-1440")

        # 3. the criteria, from the home page's checklist: companies of 50 employees or more
        staff.goto(nimbus + "/")
        staff.get_by_role("link", name="Qualification criteria").click()
        staff.get_by_role("button", name="Add rule").click()
        staff.get_by_label("Field").select_option("employees")
        staff.get_by_label("Operator").select_option("gte")
        staff.get_by_label("Value", exact=True).fill("50")
        staff.get_by_label("MQL threshold (points)").fill("0")
        staff.get_by_label("What changed and why").fill("First criteria: 50+ employees")
        staff.get_by_role("button", name="Save as a new version").click()
        _wait_for_text(staff, "Criteria version 1 saved")

        # 4. the close: the month that ended is in Monthly reports; commentary, approve and send
        staff.get_by_role("link", name="Monthly reports").click()
        staff.get_by_role("link", name=f"{month:%B %Y}").click()
        staff.get_by_role("heading", name=f"Report for {month:%B %Y}").wait_for()
        for kpi, shown in HEADLINE.items():
            row = staff.get_by_role("row", name=re.compile(rf"^{re.escape(kpi)}\s")).first
            assert shown in row.inner_text(), (kpi, row.inner_text())
        staff.get_by_label("Summary").fill("A **first month** together: 10 new leads, half of them MQLs.")
        staff.locator("#saved-summary").get_by_text(re.compile("Saved at")).wait_for()
        staff.get_by_label("Next steps").fill("- Add deal values in HubSpot\n- Test a second LinkedIn audience")
        staff.locator("#saved-next_steps").get_by_text(re.compile("Saved at")).wait_for()
        staff.get_by_role("button", name="Approve and send to the client").click()
        _wait_for_text(staff, "Approved: the client sees these figures now")
        screenshot(staff, "journey-3-approved-1440")

        # 5. the email: branded, the figures of the files, the PDF attached
        reports = [m for m in mail.outbox if "your marketing report" in m.subject]
        assert [m.to for m in reports] == [["laura@nimbus-outdoor.example"]]
        (report,) = reports
        assert report.subject == f"Nimbus Outdoor: your marketing report for {month:%B %Y}"
        html = report.alternatives[0][0]
        assert "#0f766e" in html and 'src="cid:brand-logo"' in html and 'src="cid:report-chart"' in html
        # "See the whole report" opens the report itself, not the close page's table
        assert "<strong>first month</strong>" in html and f"{nimbus}/scorecard/?month={month:%Y-%m}" in html
        for kpi, shown in HEADLINE.items():
            assert f"{kpi}: {shown}" in report.body, kpi
        (pdf,) = [a for a in report.attachments if isinstance(a, tuple)]
        assert pdf[0] == f"nimbus-report-{month:%Y-%m}.pdf"
        document = pypdfium2.PdfDocument(pdf[1])
        first_page = document[0].get_textpage().get_text_range().replace("\r", "")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number in range(min(3, len(document))):  # saved before the checks: a failure can be looked at
            document[number].render(scale=1.2).to_pil().save(ARTIFACTS / f"journey-4-pdf-page-{number + 1}.png")
        assert "Nimbus Outdoor" in first_page and f"Marketing report, {month:%B %Y}" in first_page
        for shown in ("2,500.00", "250.00"):
            assert shown in first_page, shown
        assert "1,750" in document[1].get_textpage().get_text_range()  # the summary's fourth row, over the page

        # 6. the client user: the invitation's link, a password, the approved month and nothing else
        (invitation,) = [m for m in mail.outbox if "invited" in m.subject]
        link = re.search(r"http://\S+", invitation.body).group(0)
        client_context = browser.new_context(locale="en-US", viewport=PHONE)
        laura = client_context.new_page()
        laura.set_default_timeout(20_000)
        laura.goto(link)
        laura.locator("#id_new_password1").fill("Laura-reads-reports-26")
        laura.locator("#id_new_password2").fill("Laura-reads-reports-26")
        laura.locator("form button[type=submit]").first.click()
        # signed in at once on her home page: no second typing of the address and the password
        laura.wait_for_url(nimbus + "/")
        _wait_for_text(laura, "Your password is set, and you are signed in.")
        assert laura.locator("#setup-checklist").count() == 0  # the agency's to-do list is not the client's
        # the home page opens with the report she came for: one click to it
        _wait_for_text(laura, f"The report of {month:%B %Y}, approved on")
        laura.get_by_role("link", name="Read the report").click()
        laura.wait_for_url(f"{nimbus}/scorecard/?month={month:%Y-%m}")
        laura.goto(nimbus + "/reports/")
        months = laura.locator("tbody th").all_inner_texts()
        assert months == [f"{month:%B %Y}"]
        laura.get_by_role("link", name=f"{month:%B %Y}").click()
        assert "A first month together" in laura.locator(".commentary").inner_text()
        body = laura.locator("main").inner_text()
        for kpi, shown in HEADLINE.items():
            assert shown in body, kpi
        screenshot(laura, "journey-5-client-month-390")
        laura.goto(nimbus + f"/scorecard/?month={month:%Y-%m}")
        assert laura.locator('[data-summary][data-kpi="marketing_spend"] .value').inner_text() == "€2,500.00"
        assert laura.locator(".commentary").count() == 1  # the commentary once, at the top
        screenshot(laura, "journey-6-client-scorecard-390")
    finally:
        context.close()
        if client_context is not None:
            client_context.close()
    # About 30 s on a quiet machine (the new client's schema is most of it); the bound only catches
    # a journey that stalls (a page waiting on a worker that never comes), not a busy machine.
    assert time.monotonic() - started < 240
