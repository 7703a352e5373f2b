"""Staff screens for saved mappings: the editor with its live preview, the list, copying to other clients."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.decorators import client_staff_required
from agency.http import HtmxHttpRequest, found
from agency.selectors import clients_by_ids
from clients.importing import KINDS
from clients.imports.forms import KIND_LABELS
from clients.imports.selectors import import_pending_path
from clients.mappings.editor import DECIMAL_CHOICES, editor_state, file_head, guess_spec, mapping_preview, source_spec
from clients.mappings.saved import (
    extension_summary,
    mapping_copy,
    mapping_copy_targets,
    mapping_delete,
    mapping_get,
    mapping_save,
    saved_mappings,
    saved_mappings_for,
)
from clients.sources.builtin import SOURCES
from clients.sources.reading import SourceError


@client_staff_required
@require_http_methods(["GET", "POST"])
def mapping_editor(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Map an uploaded file's columns onto a canonical kind, with a live preview; save it under a name."""
    path = import_pending_path(client=request.tenant, token=token)
    if path is None:
        raise Http404
    try:
        head_ = file_head(path)
    except SourceError as error:
        return render(request, "clients/mappings/unreadable.html", {"errors": error.errors}, status=422)
    editing = None
    if request.GET.get("mapping", "").isdigit():
        editing = found(mapping_get(mapping_id=int(request.GET["mapping"])))
    source = request.GET.get("source", "") if request.GET.get("source", "") in SOURCES and not editing else ""
    initial = editing.spec if editing else None
    if source:  # remapping a file a built-in source recognized: start from how the source reads it
        initial = source_spec(path, source, saved_mappings_for(request.tenant))
    if initial is None:
        initial = guess_spec(request.GET.get("kind") or "leads", head_.header, head_)
    data = request.POST if request.method == "POST" else None
    state = editor_state(data, head_, initial=initial)
    name = (request.POST.get("name") if data is not None else (editing.name if editing else "")) or ""
    errors: list[str] = []
    name_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "save":
        try:
            saved = mapping_save(client=request.tenant, name=name, spec=state["spec"], header=head_.header,
                                 user=request.user, mapping=editing if editing and editing.name == name.strip() else None)
        except ValidationError as error:
            details = error.message_dict
            errors, name_errors = details.get("__all__", []), details.get("name", [])
        else:
            messages.success(request, _("Mapping “%(name)s” saved; files with this header are now recognized by it.")
                             % {"name": saved.name})
            return redirect(reverse("import_detected", kwargs={"token": token}) + f"?mapping={saved.pk}")
    preview = mapping_preview(spec=state["spec"], head_=head_, zone=ZoneInfo(request.tenant.timezone))
    context = {
        **state, "token": token, "preview": preview, "name": name, "errors": errors, "name_errors": name_errors,
        "editing": editing, "kinds": [(kind, KIND_LABELS[kind]) for kind in KINDS], "source": source,
        "decimal_choices": DECIMAL_CHOICES, "filename": request.session.get(f"import-name-{token}", path.name),
    }
    status = 422 if errors or name_errors else 200
    partial = request.htmx and not request.htmx.history_restore_request and request.POST.get("action") != "save"
    with timezone.override(ZoneInfo(request.tenant.timezone)):  # a preview's moments in the client's zone, named
        response = render(request, "clients/mappings/editor.html" + ("#editor" if partial else ""), context,
                          status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@client_staff_required
@require_GET
def mapping_list(request: HttpRequest) -> HttpResponse:
    mappings = saved_mappings()
    for mapping in mappings:  # a client's additions to a built-in source say what they add, not a header
        extends = SOURCES.get(mapping.spec.get("extends", ""))
        mapping.extends_label = str(extends.label) if extends else ""
        mapping.adds = extension_summary(mapping.spec) if extends else []
        mapping.kind_label = KIND_LABELS.get(mapping.kind, mapping.kind)
    return render(request, "clients/mappings/list.html", {
        "mappings": mappings, "kind_labels": KIND_LABELS,
        "can_copy": bool(mapping_copy_targets(user=request.user, current=request.tenant)),
    })


@client_staff_required
@require_http_methods(["GET", "POST"])
def mapping_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = found(mapping_get(mapping_id=pk))
    targets = mapping_copy_targets(user=request.user, current=request.tenant)
    errors: list[str] = []
    if request.method == "POST":
        wanted = set(request.POST.getlist("clients"))
        # Only clients this user may manage can be chosen; anything else posted is refused by name.
        chosen = [client for client in targets if str(client.pk) in wanted]
        unknown = wanted - {str(client.pk) for client in targets}
        if unknown:
            others = clients_by_ids(ids=[int(v) for v in unknown if v.isdigit()])
            chosen += others
        if not wanted:
            errors = [_("Choose at least one client.")]
        else:
            try:
                copied = mapping_copy(mapping=mapping, to_clients=chosen, user=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Mapping “%(name)s” copied to %(clients)s.")
                                 % {"name": mapping.name, "clients": ", ".join(c.name for c in copied)})
                return redirect("mapping_list")
    return render(request, "clients/mappings/copy.html", {"mapping": mapping, "targets": targets, "errors": errors},
                  status=422 if errors else 200)


@client_staff_required
@require_POST
def mapping_remove(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = found(mapping_get(mapping_id=pk))
    try:
        mapping_delete(client=request.tenant, mapping_id=mapping.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Mapping “%(name)s” removed.") % {"name": mapping.name})
    return redirect("mapping_list")
