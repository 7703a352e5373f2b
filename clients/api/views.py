"""``POST /api/v1/leads``, ``/api/v1/activities`` and ``/api/v1/spend`` at a client's host.

JSON in, JSON out. A request carries ``Authorization: Bearer <token>`` with a token of this
client (tokens live in the client's schema, so another client's token is unknown here).
Rows go through exactly the importer's checks and upsert (clients.services.data_records_import).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clients.api.selectors import api_token_for_secret
from clients.api.services import api_token_used
from clients.api.utm import utm_channel
from clients.importing import SPECS
from clients.importing.cells import storable
from clients.models import ApiToken
from clients.services import data_records_import

MAX_BATCH = 1000
UTM_IGNORED = ("utm_term", "utm_content", "utm_id")


@csrf_exempt
@require_POST
def leads(request: HttpRequest) -> JsonResponse:
    return _ingest(request, kind="leads", batch_key="leads")


@csrf_exempt
@require_POST
def activities(request: HttpRequest) -> JsonResponse:
    return _ingest(request, kind="activities", batch_key="activities")


@csrf_exempt
@require_POST
def spend(request: HttpRequest) -> JsonResponse:
    """Spend rows, an ad platform's delivery included (formats.md's spend columns)."""
    return _ingest(request, kind="spend", batch_key="spend")


def _errors(errors: dict[str, Any], status: int = 400) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _authenticate(request: HttpRequest) -> ApiToken | None:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return api_token_for_secret(secret=secret.strip())


def _ingest(request: HttpRequest, *, kind: str, batch_key: str) -> JsonResponse:
    if connection.schema_name == settings.PUBLIC_SCHEMA_NAME or not hasattr(request, "tenant"):
        raise Http404
    token = _authenticate(request)
    if token is None:
        return _errors({"authorization": [_("Send a valid API token of this client: Authorization: Bearer <token>.")]},
                       status=401)
    api_token_used(token=token)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nesting 100k deep
        return _errors({"body": [_("The body is not valid JSON.")]})
    batch = isinstance(body, dict) and batch_key in body
    items = body[batch_key] if batch else [body]
    if batch and (not isinstance(items, list) or not items or len(items) > MAX_BATCH):
        return _errors({batch_key: [_("A list of 1 to %(n)s objects.") % {"n": MAX_BATCH}]})
    spec = SPECS[kind]
    header = list(spec.required)
    rows: list[dict[str, str]] = []
    sources: list[dict[str, str]] = []  # per item: column -> the field it came from (utm_campaign)
    errors: dict[str, dict[str, list[str]]] = {}
    for index, item in enumerate(items):
        row, source, item_errors = _translate(item, kind=kind)
        if item_errors:
            errors[str(index)] = item_errors
        rows.append(row)
        sources.append(source)
        header.extend(column for column in row if column not in header)
    if not errors:
        result = data_records_import(
            kind=kind, client=request.tenant, header=header,
            records=((index, [row.get(column, "") for column in header]) for index, row in enumerate(rows)),
        )
        for error in result.errors:
            if error.line is None:
                errors.setdefault("0" if not batch else "batch", {}).setdefault("non_field_errors", []).append(error.reason)
                continue
            field = sources[error.line].get(error.column, error.column) or "non_field_errors"
            errors.setdefault(str(error.line), {}).setdefault(field, []).append(error.reason)
        if not errors:
            return JsonResponse({"inserted": result.inserted, "updated": result.updated,
                                 "unchanged": result.unchanged}, status=201 if result.inserted else 200)
    if not batch:
        return _errors(next(iter(errors.values())))
    return _errors(errors)


def _translate(item: Any, *, kind: str) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """A JSON object as cells of the CSV columns; UTM parameters mapped; type problems reported."""
    if not isinstance(item, dict):
        return {}, {}, {"non_field_errors": [_("Expected a JSON object.")]}
    known = SPECS[kind].by_name
    row: dict[str, str] = {}
    source: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    item = dict(item)
    if kind == "leads":
        medium, utm_source = item.pop("utm_medium", None), item.pop("utm_source", None)
        campaign = item.pop("utm_campaign", None)
        for ignored in UTM_IGNORED:
            item.pop(ignored, None)
        if campaign not in (None, "") and item.get("campaign") in (None, ""):
            item["campaign"] = campaign
            source["campaign"] = "utm_campaign"
        if item.get("channel") in (None, "") and (medium or utm_source):
            if not all(isinstance(value, str | type(None)) for value in (medium, utm_source)):
                errors["utm_medium"] = [_("UTM parameters are texts.")]
            else:
                item["channel"] = utm_channel(medium=medium or "", source=utm_source or "")
                source["channel"] = "utm_medium" if medium else "utm_source"
    for field, value in item.items():
        if field not in known:
            errors[storable(field)[:100]] = [_("Unknown field.")]
            continue
        try:
            row[field] = _cell(value)
        except ValueError as error:
            errors[field] = [str(error)]
    return row, source, errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(element, str) and ";" not in element for element in value):
        return ";".join(value)
    raise ValueError(_("Expected a text, a number, a boolean or a list of texts."))
