"""Role checks for views. Membership at a client host is also enforced by middleware."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse

from agency.selectors import user_can_access_client

View = Callable[..., HttpResponse]


def _guard(check: Callable[[HttpRequest], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _at_client(request: HttpRequest) -> bool:
    return connection.schema_name != settings.PUBLIC_SCHEMA_NAME and hasattr(request, "tenant")


agency_required = _guard(lambda request: request.user.is_agency)
admin_required = _guard(lambda request: request.user.is_agency_admin)
client_member_required = _guard(
    lambda request: _at_client(request) and user_can_access_client(user=request.user, client=request.tenant)
)
client_staff_required = _guard(
    lambda request: (
        _at_client(request) and request.user.is_agency and user_can_access_client(user=request.user, client=request.tenant)
    )
)
client_admin_required = _guard(lambda request: _at_client(request) and request.user.is_agency_admin)
