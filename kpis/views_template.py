"""Templates across clients at the console: copy one client's set-up to others, after a preview of
what each will get and what each keeps (kpis.services_template). Thin: the plan and the copy are
the service's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from agency.decorators import agency_required
from agency.http import found
from agency.selectors import client_for_user, clients_by_name
from kpis.services_template import PARTS, template_apply, template_plan


@agency_required
@require_http_methods(["GET", "POST"])
def client_template(request: HttpRequest, slug: str) -> HttpResponse:
    source = found(client_for_user(user=request.user, slug=slug))
    others = list(clients_by_name(user=request.user, besides=source))
    data = request.POST if request.method == "POST" else None
    chosen_slugs = set(data.getlist("to")) if data else set(request.GET.getlist("to"))
    parts = [p for p in (data.getlist("part") if data else list(PARTS)) if p in PARTS]
    targets = [c for c in others if c.slug in chosen_slugs]
    context = {"source": source, "others": others, "chosen": chosen_slugs, "parts": parts, "part_labels": PARTS.items()}
    if data is not None:
        if not targets or not parts:
            messages.error(request, _("Choose at least one client and one thing to copy."))
        elif data.get("confirm") == "1":
            plan = template_apply(source=source, targets=targets, parts=parts, user=request.user)
            copied = sum(1 for steps in plan.values() for step in steps if step.action == "copy")
            if len(targets) == 1:  # often a new client started from a template: carry on with it, not the source
                (target,) = targets
                messages.success(request, ngettext(
                    "Copied %(count)s setting from %(client)s to %(target)s; what it set itself was kept.",
                    "Copied %(count)s settings from %(client)s to %(target)s; what it set itself was kept.",
                    copied,
                ) % {"count": copied, "client": source.name, "target": target.name})
                return redirect("client_detail", slug=target.slug)
            messages.success(request, ngettext(
                "Copied from %(client)s: %(count)s setting across %(clients)s clients; their own settings were kept.",
                "Copied from %(client)s: %(count)s settings across %(clients)s clients; their own settings were kept.",
                copied,
            ) % {"client": source.name, "count": copied, "clients": len(targets)})
            return redirect("client_detail", slug=source.slug)
        else:
            plan = template_plan(source=source, targets=targets, parts=parts)
            context["plan"] = list(plan.items())
            # A part with no step for any client: the source has none of it. Said, not left out in silence.
            planned = {step.part for steps in plan.values() for step in steps}
            context["none_of"] = ", ".join(str(PARTS[part]) for part in PARTS if part in parts and part not in planned)
    return render(request, "kpis/client_template.html", context)
