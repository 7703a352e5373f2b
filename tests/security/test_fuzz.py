"""No 500 for any input (issue #10): generated values sent to every endpoint, as every role.

Three hunts, each with hypothesis:

- **pages**: every URL of the access matrix (tests/agency/test_access_matrix.py) at its host,
  as each role (drawn), by GET and POST, with generated values in its path parameters, in the
  query parameters and form fields its page shows (read from the page's HTML) and in the
  query parameters the views read;
- **API**: generated JSON objects (every field of leads and activities, UTM parameters, unknown
  keys; texts with NUL, surrogates, dates at and beyond the ends of time, numbers such as 1e309)
  and raw bodies, single and batch;
- **imports**: generated CSV cells for every column of every kind, uploaded, previewed and
  confirmed through the web; the import job runs at once.

Every request is checked: no 5xx; a 4xx changed nothing in the database (PostgreSQL's
per-transaction row counters, sessions, sign-in throttling and a token's last use excepted);
no job is left queued or running once its task has run (tasks queued by a request run at once,
in the client's schema). Each example runs in a savepoint rolled back afterwards.

CI runs a fixed, derandomized set sized to finish within about a minute; a longer random hunt:
``PORTAL_FUZZ_EXAMPLES=200 scripts/test tests/security/test_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.api.services import api_token_create
from clients.importing import SPECS
from clients.models import Job
from tests.agency.test_access_matrix import CONSOLE, MATRIX, ROLES
from tests.conftest import host_of

HUNT = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "0"))


def _settings(ci_examples: int) -> settings:
    return settings(
        max_examples=HUNT or ci_examples,
        derandomize=not HUNT,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- values ------------------------------------------------------------------------------------

EDGE_TEXTS = [
    "", " ", "0", "-1", "1", "1e309", "-1e309", "NaN", "inf", "1" * 5000, "0.0000001", "1,5", "١٢",
    "0001-01", "9999-12", "1999-12", "2101-01", "2026-00", "2026-13", "２０２６-03", "2026-03",
    "0001-01-01", "9999-12-31", "2026-02-30", "2026-03-04", "20260304",
    "0001-01-02T10:00:00", "9999-12-31T23:59:59-12:00", "2026-03-04T09:30:00+14:00", "2026-03-29T02:30:00",
    "\x00", "a\x00b", "[" * 3000, '{"a":' * 3000, "[]", "{}", "null", "true", '{"fit": {}, "threshold": 1e309}',
    "<script>alert(1)</script>", '<font color="red">', '<img src="/etc/hostname"/>', "=1+1", "' OR 1=1 --",
    "%s%n", "../../etc/passwd", "x" * 5000, "alpha", "beta", "localhost", "alpha.localhost", "//evil.example/",
    "http://evil.example/", "javascript:alert(1)", "desc", "asc", "year", "month", "leads", "campaigns",
]
# The values that broke the portal before (issue #10), drawn often.
NASTY = ["\x00", "a\x00b", "0001-01", "9999-12", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59-12:00", "1e309",
         "[" * 3000, "x" * 5000, "NaN", "-1",
         # issue #24: what broke the portal in the second attack
         "9223372036854775808", "1e27", "x" * 256, "2026-13", "web/2026/8812", "K/evil", "Acme\r\nBcc: x@example.com"]
# Any text a form or URL can carry (lone surrogates cannot be encoded in a request at all).
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(EDGE_TEXTS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.strftime("%Y-%m")),
)
# The query parameters views read from request.GET without a form on the page.
QUERY_NAMES = ["month", "compare", "q", "status", "page", "sort", "dir", "t", "via", "i", "to", "b", "next", "kind"]

JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30), st.sampled_from(EDGE_TEXTS),
    st.sampled_from(["a\ud800b", "\udfff", "\x00"]),  # lone surrogates: JSON can carry them
)
JSON_VALUE = st.recursive(
    JSON_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
RAW_BODIES = [
    b"", b"null", b"[]", b"{}", b"[" * 100_000 + b"]" * 100_000, b'{"leads": []}', b'{"leads": {}}', b"\xff\xfe",
    b'{"id": 1e309}', b'{"id": NaN}', b'{"leads": [' + b"{}," * 1100 + b"{}]}", b'"\\ud800"', b"1" * 5000,
]


# --- the checks --------------------------------------------------------------------------------

IGNORED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "clients_apitoken"}


def _writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction (savepoints included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            " WHERE schemaname NOT LIKE 'pg_temp%%' AND relname <> ALL(%s)",
            [list(IGNORED_TABLES)],
        )
        return int(cursor.fetchone()[0])


def _jobs_unfinished(tenants) -> list[tuple[str, str, str]]:
    """Jobs queued or running in any client's schema (one query over every schema)."""
    table = Job._meta.db_table
    union = " UNION ALL ".join(
        f"SELECT %s, kind, status FROM \"{client.schema_name}\".{table} WHERE status IN ('queued', 'running')"
        for client in tenants.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(union, [client.slug for client in tenants.values()])
        return cursor.fetchall()


class _Rollback(Exception):
    pass


@pytest.fixture
def run_tasks_at_once(monkeypatch) -> None:
    """Tasks a request queues run at once, in their client's schema (failures stay in the task)."""
    import agency.tasks
    import clients.imports.views
    import clients.jobs
    import kpis.recompute
    import kpis.services
    import kpis.tasks

    def enqueue(task, *, client, countdown=None, **kwargs):
        with tenant_context(client):
            task.apply(kwargs={"client_slug": client.slug, **kwargs})

    for module in (agency.tasks, kpis.tasks, kpis.recompute, kpis.services, clients.imports.views, clients.jobs):
        monkeypatch.setattr(module, "enqueue_for_client", enqueue, raising=False)


@pytest.fixture
def check(tenants, django_capture_on_commit_callbacks, run_tasks_at_once):
    """Send one request in a savepoint, check it, roll it back."""

    def send(what: str, request) -> None:
        try:
            with transaction.atomic():
                before = _writes()
                with django_capture_on_commit_callbacks(execute=True):
                    response = request()
                connection.set_schema_to_public()
                assert response.status_code < 500, f"{what}: {response.status_code}"
                if response.status_code >= 400:
                    assert _writes() == before, f"{what}: {response.status_code} after writing"
                assert not _jobs_unfinished(tenants), f"{what}: jobs left {_jobs_unfinished(tenants)}"
                raise _Rollback
        except _Rollback:
            pass
        finally:
            connection.set_schema_to_public()

    return send


@pytest.fixture
def browsers(tenants, client_user_a, client_user_b, staff_a, admin_user) -> dict[str, HttpClient]:
    people = {"anonymous": None, "client_a": client_user_a, "client_b": client_user_b, "staff_a": staff_a, "admin": admin_user}
    signed_in = {}
    for role, user in people.items():
        http = HttpClient(raise_request_exception=False)
        if user is not None:
            http.force_login(user)
        signed_in[role] = http
    return signed_in


# --- pages -------------------------------------------------------------------------------------

SENTINEL_TEXT, SENTINEL_INT = "zzsentinelzz", 987654321
_FIELDS: dict[str, list[str]] = {}
_SEEN: set[str] = set()  # every input name met on any page so far


def _page_fields(http: HttpClient, path: str, host: str) -> list[str]:
    """The names of the inputs on the page (as an admin sees it), and the query parameters.

    A view that only takes POSTs (its form lives on another page) gets every name seen so far:
    the matrix lists such views after the pages that hold their forms."""
    if path not in _FIELDS:
        html = ""
        try:
            with transaction.atomic():
                response = http.get(path, HTTP_HOST=host)
                if response.status_code == 200:
                    html = response.content.decode("utf-8", "replace")
                raise _Rollback
        except _Rollback:
            pass
        finally:
            connection.set_schema_to_public()
        names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html)) - {"csrfmiddlewaretoken"}
        _SEEN.update(names)
        _FIELDS[path] = sorted((names if html else _SEEN) | set(QUERY_NAMES))
    return _FIELDS[path]


def _path_for(name: str, kwargs: dict, host: str, values: dict[str, str]) -> str:
    """The URL with each path parameter replaced by a generated value (quoted as a browser would)."""
    urlconf = "agency.urls_public" if host == CONSOLE else "agency.urls_tenant"
    placeholders = {key: SENTINEL_INT if isinstance(value, int) else f"{SENTINEL_TEXT}{key}" for key, value in kwargs.items()}
    path = reverse(name, urlconf=urlconf, kwargs=placeholders)
    for key, placeholder in placeholders.items():
        value = values.get(key, str(kwargs[key]))
        path = path.replace(str(placeholder), quote(value, safe="") or "x", 1)
    return path


PAGES = [(host, name, kwargs) for host, name, kwargs, _expected in MATRIX]


def _hunt_page(host: str, name: str, kwargs: dict, browsers: dict, tenants: dict, check) -> None:
    http_host = host_of(None if host == CONSOLE else tenants[host])
    urlconf = "agency.urls_public" if host == CONSOLE else "agency.urls_tenant"
    fields = _page_fields(browsers["admin"], reverse(name, urlconf=urlconf, kwargs=kwargs), http_host)

    @_settings(ci_examples=PAGE_EXAMPLES)
    @given(data=st.data())
    def hunt(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(ROLES), label="role")
        # Half the time one value known to be hostile goes everywhere at once; else each its own.
        same = data.draw(st.none() | st.sampled_from(NASTY), label="everywhere")
        path_values = {
            key: same if same is not None else data.draw(
                st.integers(min_value=-1, max_value=2**70).map(str) if isinstance(value, int) else TEXT, label=f"path {key}")
            for key, value in kwargs.items()
        }
        path = _path_for(name, kwargs, host, path_values)
        if same is not None:
            params = dict.fromkeys(fields, same)
            chosen = list(fields)
        else:
            chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, max_size=6), label="fields")
            params = {field: data.draw(TEXT, label=field) for field in chosen}
        method = data.draw(st.sampled_from(["get", "post"]), label="method")
        http = browsers[role]
        if method == "get":
            check(f"{role} GET {path} {params!r:.300}", lambda: http.get(path, params, HTTP_HOST=http_host))
            return
        if "file" in chosen:
            content = data.draw(st.binary(max_size=200) | st.sampled_from([b"id,name,channel\nc1,x,email\n", b"\x00\xff"]))
            params["file"] = SimpleUploadedFile("data.csv", content, "text/csv")
        check(f"{role} POST {path} {params!r:.300}", lambda: http.post(path, params, HTTP_HOST=http_host))

    # First a fixed sweep: as the agency admin (who reaches every view), each value that broke
    # the portal before in every path parameter, query parameter and form field at once.
    admin = browsers["admin"]
    for value in SWEEP:
        path = _path_for(name, kwargs, host, dict.fromkeys(kwargs, value))
        params = dict.fromkeys(fields, value)
        check(f"admin GET {path} {value!r:.40}", lambda p=path, q=params: admin.get(p, q, HTTP_HOST=http_host))
        check(f"admin POST {path} {value!r:.40}", lambda p=path, q=params: admin.post(p, q, HTTP_HOST=http_host))
    # Raw bytes no text holds, in the path and in every query parameter; a POST to the URL
    # without its final slash; a truncated image in every file field (issue #24).
    raw = _path_for(name, kwargs, host, dict.fromkeys(kwargs, "x")) if kwargs else None
    if raw is not None:
        raw = re.sub(r"/x(?=/|$)", "/" + RAW_SURROGATE, raw, count=1)
        check(f"admin GET {raw}", lambda p=raw: admin.get(p, HTTP_HOST=http_host))
    path = _path_for(name, kwargs, host, {})
    query = "&".join(f"{quote(field)}={RAW_SURROGATE}" for field in fields)
    check(f"admin GET {path}?…={RAW_SURROGATE}", lambda p=f"{path}?{query}": admin.get(p, HTTP_HOST=http_host))
    if path.endswith("/") and path != "/":
        check(f"admin POST {path[:-1]}", lambda p=path[:-1]: admin.post(p, {}, HTTP_HOST=http_host))
    if FILE_FIELDS & set(fields):
        def upload(p: str = path) -> object:
            files = {field: SimpleUploadedFile("logo.png", _truncated_png(), "image/png") for field in FILE_FIELDS & set(fields)}
            return admin.post(p, {**dict.fromkeys(set(fields) - FILE_FIELDS, "1"), **files}, HTTP_HOST=http_host)

        check(f"admin POST {path} truncated image", upload)
    hunt()


PAGE_EXAMPLES = 2
SWEEP = ["a\x00b", "0001-01", "9999-12-31T23:59:59-12:00", "[" * 3000,
         # issue #24: numbers beyond float and bigint, a string longer than any column, an invalid month
         "1e309", "9223372036854775808", "x" * 300, "2026-13"]
# Bytes no text holds (a UTF-8 lone surrogate), sent raw in the path and the query string.
RAW_SURROGATE = "%ED%A0%80"
FILE_FIELDS = {"file", "logo", "brand_logo"}


def _truncated_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()[:-40]


@pytest.mark.parametrize("hosts", [(CONSOLE,), ("alpha", "beta")], ids=["console", "clients"])
def test_no_page_answers_500(hosts, browsers, tenants, check) -> None:
    """Every page of the matrix at its host, each with its own generated examples."""
    for host, name, kwargs in PAGES:
        if host in hosts:
            _hunt_page(host, name, kwargs, browsers, tenants, check)


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def api_token(tenant_a) -> str:
    return api_token_create(client=tenant_a, name="fuzz")[1]


def _api_item(kind: str) -> st.SearchStrategy[dict]:
    names = list(SPECS[kind].by_name) + (["utm_source", "utm_medium", "utm_campaign", "utm_term"] if kind == "leads" else [])
    names.append("unknown_field")
    return st.dictionaries(st.sampled_from(names), JSON_VALUE | st.sampled_from(EDGE_TEXTS), max_size=8)


@_settings(ci_examples=80)
@given(data=st.data())
def test_the_api_never_answers_500(data, tenant_a, api_token, check) -> None:
    kind = data.draw(st.sampled_from(["leads", "activities"]), label="kind")
    shape = data.draw(st.sampled_from(["single", "batch", "raw"]), label="shape")
    if shape == "raw":
        body = data.draw(st.sampled_from(RAW_BODIES) | st.binary(max_size=100), label="body")
    else:
        item = _api_item(kind)
        value = data.draw(item if shape == "single" else st.lists(item, max_size=4).map(lambda items: {kind: items}))
        body = json.dumps(value)
    token = data.draw(st.sampled_from([api_token, "", "wrong", api_token + "\x00"]), label="token")
    http = HttpClient(raise_request_exception=False)
    check(
        f"API {kind} {body[:300]!r}",
        lambda: http.post(f"/api/v1/{kind}", body, content_type="application/json", HTTP_HOST=host_of(tenant_a),
                          HTTP_AUTHORIZATION=f"Bearer {token}"),
    )


# --- imports -----------------------------------------------------------------------------------

CELL = st.one_of(
    st.sampled_from(EDGE_TEXTS[:60]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20),
    st.sampled_from(["email", "paid_search", "retainer", "project", "media", "form_submit", "mql", "yes", "no", "c1", "l1"]),
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@pytest.fixture
def media(settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    yield


@pytest.mark.parametrize("kind", sorted(SPECS))
@_settings(ci_examples=4)
@given(data=st.data())
def test_no_import_cell_answers_500(kind, data, tenant_a, staff_a, media, check) -> None:
    columns = list(SPECS[kind].by_name)
    header = data.draw(st.lists(st.sampled_from(columns), min_size=1, unique=True).map(
        lambda chosen: [c for c in columns if c in chosen or c in SPECS[kind].required]), label="header")
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), min_size=1, max_size=3), label="rows")
    content = _csv(header, rows)
    http = HttpClient(HTTP_HOST=host_of(tenant_a), raise_request_exception=False)
    http.force_login(staff_a)
    state: dict[str, str] = {}

    def upload():
        response = http.post("/imports/", {"kind": kind, "file": SimpleUploadedFile("data.csv", content, "text/csv")})
        state["preview"] = response.get("Location", "")
        return response

    check(f"upload {kind} {content[:300]!r}", upload)
    # The savepoint is gone, the file stays: preview it, then confirm it (the job runs at once).
    if state["preview"]:
        check(f"preview {kind} {content[:300]!r}", lambda: http.get(state["preview"]))
        check(f"confirm {kind} {content[:300]!r}", lambda: http.post(state["preview"]))
