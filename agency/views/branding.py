"""White label: the agency's brand (admins), the stylesheet that carries the colours and the
logo of each host (a client's own report settings: kpis.views_report)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agency.branding import brand_for
from agency.decorators import admin_required
from agency.forms_branding import AgencyBrandForm
from agency.models import AgencyBrand


@admin_required
@require_http_methods(["GET", "POST"])
def brand_edit(request: HttpRequest) -> HttpResponse:
    """The agency's name, sender name, colours and logo."""
    brand = AgencyBrand.current() or AgencyBrand()
    form = AgencyBrandForm(request.POST or None, request.FILES or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Brand saved."))
        return redirect("brand_edit")
    # The current logo as this host serves it (brand_logo), not the media URL, which no host serves.
    context = {"form": form, "logo_url": brand_for(None)["logo_url"] if brand.logo else ""}
    return render(request, "agency/brand_form.html", context, status=422 if form.errors else 200)


@require_GET
def brand_css(request: HttpRequest) -> HttpResponse:
    """The brand's colours as CSS variables: a stylesheet, so pages need no inline style (CSP)."""
    brand = brand_for(getattr(request, "tenant", None))
    agency = AgencyBrand.current()
    bar = agency.bar_colour if agency else "#14213d"
    css = f":root {{ --accent: {brand['accent']}; --bar: {bar}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha256(css.encode()).hexdigest()[:16] + '"'
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
def brand_logo(request: HttpRequest) -> HttpResponse:
    """The logo of this host's brand (the client's own, else the agency's), checked at upload."""
    path = brand_for(getattr(request, "tenant", None)).get("logo_path")
    if not path or not Path(path).exists():
        raise Http404
    types = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
    kind = types.get(Path(path).suffix.lower().lstrip("."))
    if kind is None:
        raise Http404
    response = FileResponse(Path(path).open("rb"), content_type=kind)  # noqa: SIM115 -- FileResponse closes it
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
