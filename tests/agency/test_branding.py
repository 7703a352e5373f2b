"""White label and report settings: the agency's brand, a client's override on its own host,
logos checked by content, the summary's KPIs chosen by staff, and the console's user counts."""

from __future__ import annotations

import io
import re

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from PIL import Image

from agency.models import AgencyBrand
from tests.conftest import host_of, signed_in
from tests.factories import UserFactory


def png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#0a7d55").save(out, format="PNG")
    return out.getvalue()


def http_for(user) -> HttpClient:
    return signed_in(user)  # each request names its host


def test_the_agency_brand_shows_on_the_console_and_every_client_host(admin_user, client_user_a, tenant_a) -> None:
    admin = http_for(admin_user)
    response = admin.post(
        "/brand/",
        {
            "name": "Northwind Agency",
            "sender_name": "",
            "accent": "#0a7d55",
            "bar_colour": "#222222",
            "logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        },
        HTTP_HOST=host_of(None),
    )
    assert response.status_code == 302
    assert "Northwind Agency" in admin.get("/", HTTP_HOST=host_of(None)).content.decode()
    css = http_for(client_user_a).get("/brand.css", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "--accent: #0a7d55" in css and "--bar: #222222" in css
    logo = http_for(client_user_a).get("/brand/logo", HTTP_HOST=host_of(tenant_a))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_a_client_overrides_logo_and_accent_on_its_own_host_only(staff_a, tenant_a, tenant_b, client_user_b) -> None:
    AgencyBrand.objects.create(name="Northwind", accent="#111111")
    response = http_for(staff_a).post(
        "/clients/alpha/report/",
        {"brand_accent": "#aa3300", "brand_logo": SimpleUploadedFile("a.png", png(), content_type="image/png")},
        HTTP_HOST=host_of(None),
    )
    assert response.status_code == 302
    tenant_a.refresh_from_db()
    assert tenant_a.brand_logo.name == "alpha/brand/logo.png"  # under the client's own folder
    assert "--accent: #aa3300" in HttpClient().get("/brand.css", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "--accent: #111111" in http_for(client_user_b).get("/brand.css", HTTP_HOST=host_of(tenant_b)).content.decode()


def test_svg_scripts_and_fake_images_are_refused(staff_a, tenant_a) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, content, kind in (
        ("x.svg", svg, "image/svg+xml"),
        ("x.png", svg, "image/png"),
        ("x.png", b"\x89PNG\r\n\x1a\nnot", "image/png"),
    ):
        response = http_for(staff_a).post(
            "/clients/alpha/report/",
            {"brand_logo": SimpleUploadedFile(name, content, content_type=kind)},
            HTTP_HOST=host_of(None),
        )
        assert response.status_code == 422, name
    tenant_a.refresh_from_db()
    assert not tenant_a.brand_logo


def test_staff_choose_six_to_eight_summary_kpis(staff_a, tenant_a) -> None:
    http = http_for(staff_a)
    too_few = http.post("/clients/alpha/report/", {"headline_kpis": ["sessions", "new_leads"]}, HTTP_HOST=host_of(None))
    assert too_few.status_code == 422 and "Choose between 6 and 8 KPIs" in too_few.content.decode()
    page = http.get("/clients/alpha/report/", HTTP_HOST=host_of(None)).content.decode()
    assert "none keeps the defaults. The defaults: New leads, MQLs, Customers, Marketing spend" in page  # named
    chosen = ["sessions", "new_leads", "mqls", "sqls", "customers", "revenue"]
    assert http.post("/clients/alpha/report/", {"headline_kpis": chosen}, HTTP_HOST=host_of(None)).status_code == 302
    tenant_a.refresh_from_db()
    assert tenant_a.headline_kpis == chosen


def test_the_clients_language_offers_the_agency_default_in_words_not_dashes(staff_a, tenant_a) -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    page = http.get("/clients/alpha/report/", HTTP_HOST=host_of(None)).content.decode()
    # Named: the agency's default is English here (no brand saved); tests/agency/test_form_blank_choices.py
    # has a Spanish agency in both languages.
    assert '<option value="" selected>Predeterminado de la agencia (inglés)</option>' in page
    assert "---------" not in page


def test_the_console_counts_every_user_of_a_staff_members_client(staff_a, tenant_a, client_user_a) -> None:
    UserFactory(username="second", role="client", clients=[tenant_a])
    body = http_for(staff_a).get("/", HTTP_HOST=host_of(None)).content.decode()
    row = body[body.index("Alpha Analytics</a></td>") :]
    row = row[row.index("</td>") + 5 : row.index("</tr>")]
    cells = [c.split("</td>")[0].split(">", 1)[-1].strip() for c in row.split("<td")[1:]]  # each cell's text
    assert cells[1:3] == ["1", "2"], cells  # 2 client users, 1 staff member (was 0 and 1)


def test_the_brand_pages_current_logo_is_served_at_the_console(admin_user) -> None:
    """The Brand page showed the logo at its media URL, which no host serves: a broken image."""
    admin = http_for(admin_user)
    saved = admin.post(
        "/brand/",
        {"name": "Northwind", "accent": "#0a7d55", "bar_colour": "#222222", "logo": SimpleUploadedFile("a.png", png())},
        HTTP_HOST=host_of(None),
    )
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    page = admin.get("/brand/", HTTP_HOST=host_of(None)).content.decode()
    src = re.search(r'<img src="([^"]+)" alt="Current logo"', page).group(1)
    response = admin.get(src, HTTP_HOST=host_of(None))
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)  # the cached brand outlives the test's rollback
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_brand_pages_colour_swatches_carry_the_saved_colours_and_say_them_in_hex(admin_user) -> None:
    """A colour input drawn without its value is an empty swatch (headless Chromium draws it so):
    each carries the saved colour, and its hex reads beside it, on the English and Spanish page."""
    AgencyBrand.objects.create(name="Northwind", accent="#0a7d55", bar_colour="#222222")
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    for language in ("en", "es"):
        admin_user.language = language
        admin_user.save()
        page = http_for(admin_user).get("/brand/", HTTP_HOST=host_of(None)).content.decode()
        for name, colour in (("accent", "#0a7d55"), ("bar_colour", "#222222")):
            field = re.search(rf'<input type="color" name="{name}"[^>]*>', page).group(0)
            assert f'value="{colour}"' in field, field
            assert re.search(rf'<output [^>]*for="id_{name}"[^>]*>{colour}</output>', page), (language, name)
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)


def test_a_brand_never_saved_shows_the_default_colours_not_empty_swatches(admin_user) -> None:
    page = http_for(admin_user).get("/brand/", HTTP_HOST=host_of(None)).content.decode()
    accent = re.search(r'<input type="color" name="accent"[^>]*>', page).group(0)
    assert 'value="#1f5fbf"' in accent, accent
    assert re.search(r'<output [^>]*for="id_accent"[^>]*>#1f5fbf</output>', page)
