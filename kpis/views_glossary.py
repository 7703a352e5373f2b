"""What each figure of the report means, on one page of the client's portal (kpis.glossary)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agency.decorators import client_member_required
from kpis.glossary import glossary_groups, not_loaded_sentence, only_when_sentence


@client_member_required
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """The catalogue's words for every figure, for anyone who reads this client's report: why a figure can
    read "—" worded for its reader (staff: the data not loaded and where to import it; a client: not recorded)."""
    staff = bool(request.user.is_agency)
    return render(request, "kpis/glossary.html", {
        "groups": glossary_groups(), "not_loaded": not_loaded_sentence(staff=staff),
        "only_when": only_when_sentence(staff=staff)})
