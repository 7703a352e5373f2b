"""Every view says which HTTP methods it accepts, and a view that reads ``request.htmx`` is typed so.

Like the access matrix, the test walks both URL configurations (the console's and a client
host's), so a view added without ``require_GET`` / ``require_POST`` / ``require_http_methods``
(or a class-based view's handlers) fails here. A method outside the list gets 405 before the
view runs; the guards above the method decorator still answer first (a stranger gets 404 or the
sign-in page, never a hint from a 405).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.decorators.http import require_GET, require_POST

from tests.conftest import host_of

URLCONFS = ("agency.urls_public", "agency.urls_tenant")
# Views that must look up the client named in their URL (404 to a stranger, as the access matrix
# checks) before they refuse a method: they answer 405 themselves for anything but POST.
ACCESS_BEFORE_METHOD = {
    "agency.views.console.client_invite",
    "agency.views.console.client_domain_add",
    "agency.views.console.client_domain_verify",
}


def patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _innermost(view: Callable) -> Callable:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def accepted_methods(view: Callable) -> list[str] | None:
    """The methods a view declares, read from Django's method decorators (their closure) or a
    class-based view's handlers; None when it declares none."""
    if hasattr(view, "view_class"):
        return [m.upper() for m in view.view_class.http_method_names if m != "options" and hasattr(view.view_class, m)]
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return list(view.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def views() -> dict[str, tuple[str, Callable]]:
    found = {}
    for urlconf in URLCONFS:
        for route, pattern in patterns(get_resolver(urlconf)):
            inner = _innermost(pattern.callback)
            found.setdefault(f"{inner.__module__}.{inner.__qualname__}", (route, pattern.callback))
    return found


def test_every_view_says_which_methods_it_accepts() -> None:
    undeclared = sorted(
        f"{name} ({route})" for name, (route, view) in views().items()
        if accepted_methods(view) is None and name not in ACCESS_BEFORE_METHOD
    )
    assert undeclared == []


def test_the_views_that_check_access_first_refuse_other_methods_themselves() -> None:
    found = views()
    assert set(found) >= ACCESS_BEFORE_METHOD
    for name in ACCESS_BEFORE_METHOD:
        assert 'HttpResponseNotAllowed(["POST"])' in inspect.getsource(_innermost(found[name][1]))


def test_views_that_read_htmx_are_typed_for_it() -> None:
    untyped = sorted(
        name for name, (_route, view) in views().items()
        if not hasattr(view, "view_class") and "request.htmx" in inspect.getsource(_innermost(view))
        and _innermost(view).__annotations__.get("request") != "HtmxHttpRequest"
    )
    assert untyped == []


def test_the_reading_of_declarations_can_fail() -> None:
    def bare(request):
        return None

    assert accepted_methods(bare) is None
    assert accepted_methods(require_POST(bare)) == ["POST"]
    assert accepted_methods(require_GET(require_POST(bare))) == ["GET"]  # the outermost says first


@pytest.mark.parametrize(("method", "status"), [("get", 200), ("post", 405), ("put", 405), ("delete", 405)])
def test_a_method_outside_the_list_gets_405_after_the_guards(staff_a, tenants, method: str, status: int) -> None:
    http = HttpClient(HTTP_HOST=host_of(None))  # the console
    http.force_login(staff_a)
    assert getattr(http, method)("/staff/").status_code == 404  # admin only: the guard answers first
    assert getattr(http, method)("/").status_code == status
