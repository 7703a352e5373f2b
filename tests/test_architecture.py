"""The apps import one way (docs/architecture.md), read from the source with ``ast``: no database.

    agency  ←  clients  ←  kpis  →  portfolio  →  agency

- An app imports only the apps below it (ALLOWED); the shared pure modules (SHARED: the month
  type, the KPI catalogue, the KPI formulas) may be imported from anywhere and import nothing
  but each other.
- No import of the project's own modules inside a function — the usual way to hide a cycle —
  except in ``apps.py`` (the app registry is not ready when it is imported) and the Celery late
  task lookups listed in LATE_LOOKUPS.
- Selectors never import services or tasks; formatting modules never import models, selectors,
  services or ``django.db`` (they are handed what was read), not even through another module of
  the project: the import graph is followed to the end.
- Views read through selectors: no ``Model.objects``, queryset method or ``get_object_or_404`` in
  a view module.

Every rule is also run against small pieces of code that break it, so that the test can fail.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("agency", "clients", "kpis", "portfolio", "reports")
# Which apps each app may import (besides itself). kpis is the top: the scorecards and snapshots
# read a client's data (clients), store summaries, targets and benchmarks (portfolio) and use the
# registry (agency); portfolio and clients only use the registry; agency imports no app.
ALLOWED = {
    "agency": set(),
    "clients": {"agency"},
    "portfolio": {"agency"},
    "kpis": {"agency", "clients", "portfolio"},
    # The monthly close sits on top: it freezes kpis' snapshots into versions and mirrors its
    # state to portfolio; kpis reaches it only through kpis.visibility and kpis.signals.
    "reports": {"agency", "clients", "kpis", "portfolio"},
}
# Pure modules (no models, no queries): any app may import them, and they import only each other.
SHARED = ("agency.months", "kpis.catalogue", "kpis.formulas")
# Celery's late task lookups: a service that queues a task of a module that imports the service.
LATE_LOOKUPS = {
    ("kpis.services", "recompute_request", "kpis.tasks"),
}
# Modules that only format what they are given (never query, directly or through what they import).
FORMATTING = ("kpis.scorecard", "kpis.formatting", "kpis.reasons", "kpis.breakdowns_shown", "kpis.exports",
              "kpis.templatetags", "kpis.report", "kpis.draft", "kpis.draft_writer", "kpis.draft_drivers",
              "kpis.draft_concise")
NO_QUERIES_FROM = ("django.db",)
# What of django.db holds no query: the choices enums (kpis.catalogue's Unit is a TextChoices).
PURE_FROM_DB = ("django.db.models.enums",)


@dataclass(frozen=True)
class Found:
    module: str
    line: int
    target: str
    function: str | None  # the enclosing function, None at module level
    type_checking: bool
    names: tuple[str, ...] = ()  # what ``from … import`` names (a submodule, or something in the module)


def _is(name: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _layer(name: str, layer: str) -> bool:
    """Whether the module is one of a layer's: ``clients.selectors``, ``reports.services_draft``."""
    last = name.split(".")[-1]
    return last == layer or last.startswith(layer + "_")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        stem = ".".join([*base, node.module] if node.module else base)
    else:
        stem = node.module or ""
    # ``from kpis import receivers`` imports the module kpis.receivers; ``from kpis.x import f`` imports kpis.x.
    return [f"{stem}.{alias.name}" if stem in APPS or stem.endswith(".formulas") else stem for alias in node.names]


def imports_of(module: str, source: str, *, is_package: bool = False) -> list[Found]:
    """Every import in ``source`` (also ``importlib.import_module("…")`` with a literal name)."""
    tree = ast.parse(source)
    found: list[Found] = []

    def visit(node: ast.AST, function: str | None, type_checking: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            function = getattr(node, "name", "<lambda>") if function is None else function
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                visit(child, function, True)
            for child in node.orelse:
                visit(child, function, type_checking)
            return
        targets: list[str] = []
        names: tuple[str, ...] = ()
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            targets = _resolve(module, is_package, node)
            names = tuple(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in {"import_module", "importlib.import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            targets = [node.args[0].value]
        for target in dict.fromkeys(targets):  # ``from m import a, b`` is one import of m
            found.append(Found(module, node.lineno, target, function, type_checking, names))
        for child in ast.iter_child_nodes(node):
            visit(child, function, type_checking)

    visit(tree, None, False)
    return found


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """What in ``module``'s source breaks the import rules, one sentence each."""
    app = module.split(".")[0]
    problems = []
    for imp in imports_of(module, source, is_package=is_package):
        where = f"{module}:{imp.line} imports {imp.target}"
        target_app = imp.target.split(".")[0]
        ours = target_app in APPS
        if ours and not imp.type_checking:
            if _is(module, SHARED) and not _is(imp.target, SHARED):
                problems.append(f"{where}: a shared pure module imports only the other shared modules")
            elif target_app != app and target_app not in ALLOWED[app] and not _is(imp.target, SHARED):
                problems.append(f"{where}: {app} may import only {sorted(ALLOWED[app]) or 'no app'} (docs/architecture.md)")
            late_lookup = (module, imp.function, imp.target) in LATE_LOOKUPS
            if imp.function is not None and not module.endswith(".apps") and not late_lookup:
                problems.append(f"{where} inside {imp.function}(): import at the top (a cycle? fix the layering)")
        if _layer(module, "selectors") and (_layer(imp.target, "services") or _layer(imp.target, "tasks")):
            problems.append(f"{where}: selectors read; they never call services or tasks")
        if _is(module, FORMATTING) and not imp.type_checking and _reads(imp.target):
            problems.append(f"{where}: formatting never queries; read in a selector and pass the rows in")
    return problems


def _reads(target: str) -> bool:
    """Whether importing ``target`` is a way to the database: django.db, or a module of models,
    selectors or services."""
    database = _is(target, NO_QUERIES_FROM) and not _is(target, PURE_FROM_DB)
    return database or any(_layer(target, kind) for kind in ("models", "selectors", "services"))


def project_modules() -> list[tuple[str, Path]]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                modules.append((_module_name(path), path))
    return modules


def import_graph(sources: dict[str, str], packages: frozenset[str] = frozenset()) -> dict[str, list[Found]]:
    """Each of the project's modules (``sources``: name → text) → its run-time imports (not under
    TYPE_CHECKING), each target resolved to a module of the project where it is one (``from
    clients.connectors import base`` → clients.connectors.base; ``from kpis import CODE_VERSION``
    → kpis), else left as it is (django.db, reportlab)."""
    graph: dict[str, list[Found]] = {}
    for module, source in sources.items():
        edges = []
        for imp in imports_of(module, source, is_package=module in packages):
            if imp.type_checking:
                continue
            targets = [f"{imp.target}.{name}" for name in imp.names if f"{imp.target}.{name}" in sources] or [imp.target]
            for target in targets:
                while target not in sources and "." in target and target.split(".")[0] in APPS:
                    target = target.rsplit(".", 1)[0]  # a name inside a module: the module
                edges.append(Found(module, imp.line, target, imp.function, False))
        graph[module] = edges
    return graph


def reach_violations(sources: dict[str, str], packages: frozenset[str] = frozenset()) -> list[str]:
    """Formatting modules that reach the database through other modules of the project, one
    sentence each with the chain of imports (their own imports are ``violations``' business)."""
    graph = import_graph(sources, packages)
    problems = []
    for start in sorted(module for module in graph if _is(module, FORMATTING)):
        came_from: dict[str, Found] = {}
        queue = [start]
        while queue:
            module = queue.pop(0)
            for imp in graph[module]:
                if _reads(imp.target):
                    if module != start:
                        problems.append(_chain(start, came_from, imp))
                elif imp.target in graph and imp.target not in came_from and imp.target != start:
                    came_from[imp.target] = imp
                    if not _is(imp.target, FORMATTING):  # another formatting module answers for itself
                        queue.append(imp.target)
    return problems


def _chain(start: str, came_from: dict[str, Found], last: Found) -> str:
    steps = [last]
    while steps[-1].module != start:
        steps.append(came_from[steps[-1].module])
    path = " → ".join([start, *(f"{step.target} (line {step.line} of {step.module})" for step in reversed(steps))])
    return f"{path}: formatting never queries, not even through another module; read in a selector and pass the rows in"


def project_sources() -> tuple[dict[str, str], frozenset[str]]:
    paths = project_modules()
    sources = {module: path.read_text(encoding="utf-8") for module, path in paths}
    return sources, frozenset(module for module, path in paths if path.name == "__init__.py")


def test_formatting_reaches_no_query_through_other_modules() -> None:
    sources, packages = project_sources()
    assert reach_violations(sources, packages) == []


@pytest.mark.parametrize(
    ("sources", "complaint"),
    [
        (  # one module between the formatting and the models
            {"kpis.scorecard": "from kpis.helpers import shown\n", "kpis.helpers": "from clients.models import Lead\n",
             "clients.models": ""},
            "kpis.scorecard → kpis.helpers (line 1 of kpis.scorecard) → clients.models (line 1 of kpis.helpers)",
        ),
        (  # two modules between, and django.db at the end
            {"kpis.report": "from kpis import charts\n", "kpis.charts": "from clients.words import money\n",
             "clients.words": "from django.db import connection\n"},
            "kpis.report → kpis.charts (line 1 of kpis.report) → clients.words (line 1 of kpis.charts) → django.db",
        ),
        (  # through a package's submodule named in ``from … import``, and a selector of another name
            {"kpis.exports": "from clients.connectors import base\n", "clients.connectors": "",
             "clients.connectors.base": "from reports.selectors_draft import draft_read\n",
             "reports.selectors_draft": ""},
            "→ reports.selectors_draft",
        ),
        (  # an import inside a function runs too
            {"kpis.templatetags.scorecard_staff": "from kpis.forms import TargetForm\n",
             "kpis.forms": "def f():\n    from kpis.services import target_set\n", "kpis.services": ""},
            "→ kpis.services (line 2 of kpis.forms)",
        ),
    ],
)
def test_the_reach_rule_catches_what_it_forbids(sources: dict[str, str], complaint: str) -> None:
    assert any(complaint in problem for problem in reach_violations(sources)), reach_violations(sources)


@pytest.mark.parametrize(
    "sources",
    [
        {"kpis.report": "from kpis.scorecard import format_value\n", "kpis.scorecard": "from kpis.catalogue import kpi\n",
         "kpis.catalogue": "from django.db.models.enums import TextChoices\n"},
        {"kpis.scorecard": "from typing import TYPE_CHECKING\nfrom kpis import pacing\n",
         "kpis.pacing": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kpis.models import Snapshot\n"},
        {"kpis.views": "from kpis.report import summary\nfrom kpis.models import Snapshot\n", "kpis.report": "",
         "kpis.models": "from django.db import models\n"},  # a view may read; the formatting it calls does not
    ],
)
def test_what_the_reach_rule_allows(sources: dict[str, str]) -> None:
    assert reach_violations(sources) == []


# --- views read through selectors (HackSoft's styleguide; docs/architecture.md) ---------------

# QuerySet methods no other common type has (``exists``, ``get``, ``update``, ``values`` and
# ``count(x)`` are also paths', dicts' and lists' and are left out; ``count()`` without an
# argument is a queryset's).
QUERYSET_METHODS = frozenset({
    "filter", "exclude", "annotate", "alias", "aggregate", "order_by", "values_list", "select_related",
    "prefetch_related", "only", "defer", "distinct", "in_bulk", "bulk_create", "bulk_update", "get_or_create",
    "update_or_create", "select_for_update", "raw", "extra", "all", "first", "last", "latest", "earliest", "none",
    "using", "refresh_from_db",
})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
READ_THROUGH = "read through a selector of the app (entity_get, entity_list; agency.http.found for a 404)"


METHOD_DECORATORS = frozenset({"require_GET", "require_POST", "require_safe", "require_http_methods"})


def is_view_module(module: str, tree: ast.Module) -> bool:
    """Named as one (``views``, ``views_*``, a ``views`` package), or holding a view under another
    name: a function that says which methods it accepts (every view does: test_view_methods.py)."""
    if any(part == "views" or part.startswith("views_") for part in module.split(".")[1:]):
        return True
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and any(ast.unparse(d).split("(")[0].split(".")[-1] in METHOD_DECORATORS for d in node.decorator_list)
        for node in ast.walk(tree)
    )


def view_query_violations(module: str, source: str) -> list[str]:
    """Where a view module queries by itself instead of calling a selector, one sentence a line."""
    tree = ast.parse(source)
    if not is_view_module(module, tree):
        return []
    problems: dict[int, str] = {}
    for node in ast.walk(tree):
        where = f"{module}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            problems[node.lineno] = f"{where}: {ast.unparse(node)} in a view: {READ_THROUGH}"  # says the most
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            method = isinstance(node.func, ast.Attribute) and (
                name in QUERYSET_METHODS or (name == "count" and not node.args and not node.keywords)
            )
            if name in SHORTCUTS or method:
                problems.setdefault(node.lineno, f"{where}: {name}() in a view: {READ_THROUGH}")
    return [problems[line] for line in sorted(problems)]


def test_views_read_through_selectors() -> None:
    problems = [
        problem
        for module, path in project_modules()
        for problem in view_query_violations(module, path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source", "complaint"),
    [
        ("kpis.views", "rows = Snapshot.objects.order_by('-month')\n", "Snapshot.objects in a view"),
        ("agency.views.console", "claims = client.domain_claims.filter(verified_at__isnull=True)\n", "filter() in a view"),
        ("clients.views_records", "contract = get_object_or_404(Contract, pk=1)\n", "get_object_or_404() in a view"),
        ("reports.views_board", "n = month_closes(user=u).count()\n", "count() in a view"),
        ("clients.imports.views", "job.refresh_from_db()\n", "refresh_from_db() in a view"),
        ("portfolio.views", "rows = shortcuts.get_list_or_404(Benchmark)\n", "get_list_or_404() in a view"),
        ("agency.views", "domains = client.domains.all()\n", "all() in a view"),
        (  # a view in a module not named views (clients.api.screens)
            "clients.api.screens",
            "@require_GET\ndef api_tokens(request):\n    return ApiToken.objects.all()\n",
            "ApiToken.objects in a view",
        ),
    ],
)
def test_the_view_rule_catches_what_it_forbids(module: str, source: str, complaint: str) -> None:
    assert any(complaint in problem for problem in view_query_violations(module, source))


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("kpis.views", "rows = snapshot_list()\nname = request.GET.get('q', '').count('a')\n"),
        ("agency.views.branding", "if not Path(path).exists():\n    raise Http404\n"),
        ("clients.selectors", "rows = Lead.objects.filter(mql_at__isnull=False)\n"),  # selectors query
        ("reports.review", "rows = Lead.objects.all()\n"),  # not a view module
    ],
)
def test_what_the_view_rule_allows(module: str, source: str) -> None:
    assert view_query_violations(module, source) == []


def test_the_project_keeps_its_import_rules() -> None:
    problems = [
        problem
        for module, path in project_modules()
        for problem in violations(module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py")
    ]
    assert problems == []


def test_every_allowed_late_lookup_is_still_there() -> None:
    """An allow-list entry nobody needs any more goes (the list stays the exceptions that exist)."""
    found = {
        (imp.module, imp.function, imp.target)
        for module, path in project_modules()
        for imp in imports_of(module, path.read_text(encoding="utf-8"))
    }
    assert found >= LATE_LOOKUPS


def test_the_scan_sees_the_whole_project() -> None:
    names = {module for module, _path in project_modules()}
    expected = {"agency.months", "clients.selectors", "clients.imports.views", "kpis.scorecard", "kpis.services",
                "portfolio.models"}
    assert expected <= names


@pytest.mark.parametrize(
    ("module", "source", "complaint"),
    [
        ("agency.views.preferences", "from kpis.emails import opt_out_user\n", "agency may import only"),
        ("clients.criteria.views", "from kpis.selectors import month_add\n", "clients may import only"),
        ("portfolio.models", "from kpis.models import HeadlineFigures\n", "portfolio may import only"),
        ("portfolio.views", "import kpis.portfolio\n", "portfolio may import only"),
        ("clients.views", "from kpis import receivers\n", "clients may import only"),
        ("agency.demo", "def seed():\n    from clients.models import Lead\n", "agency may import only"),
        ("kpis.services", "def plan():\n    from kpis.selectors import trailing_rates\n", "inside plan()"),
        ("kpis.services", "def other():\n    from kpis.tasks import snapshot_recompute_job\n", "inside other()"),
        ("clients.services", "def f():\n    import importlib\n    importlib.import_module('clients.selectors')\n", "inside f()"),
        ("clients.selectors", "from clients.services import imports_dir\n", "never call services"),
        ("kpis.selectors", "from kpis.tasks import recompute_debounced\n", "never call services"),
        ("reports.selectors_draft", "from reports.services_draft import draft_save\n", "never call services"),
        ("clients.imports.selectors", "from clients.imports.services import import_job_run\n", "never call services"),
        ("kpis.scorecard", "from agency.services_users import user_create\n", "formatting never queries"),
        ("kpis.scorecard", "from kpis.models import Snapshot\n", "formatting never queries"),
        ("kpis.scorecard", "from django.db import connection\n", "formatting never queries"),
        ("kpis.exports", "from portfolio.selectors import benchmarks_by_kpi\n", "formatting never queries"),
        ("kpis.report", "from kpis.selectors_report import report_period\n", "formatting never queries"),
        ("kpis.report", "from kpis.services_template import template_plan\n", "formatting never queries"),
        ("kpis.report", "from django.db.models import Q\n", "formatting never queries"),
        ("kpis.selectors_report", "from kpis.services import recompute_request\n", "never call services"),
        ("kpis.catalogue", "from kpis.models import Snapshot\n", "shared pure module"),
        ("agency.months", "from clients.models import Lead\n", "shared pure module"),
    ],
)
def test_each_rule_catches_what_it_forbids(module: str, source: str, complaint: str) -> None:
    assert any(complaint in problem for problem in violations(module, source))


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("kpis.views", "from clients.models import Job\nfrom portfolio.selectors import benchmarks_by_kpi\n"),
        ("portfolio.forms", "from kpis.catalogue import KPI_KEYS\n"),
        ("clients.demo", "from agency.months import Month\n"),
        ("kpis.formulas.contracts", "from agency.months import add_months\n"),
        ("kpis.apps", "class C:\n    def ready(self):\n        from kpis import receivers\n"),
        ("kpis.services", "def recompute_request():\n    from kpis.tasks import snapshot_recompute_job\n"),
        ("kpis.scorecard", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kpis.models import Snapshot\n"),
        ("kpis.forms", "def number_parse():\n    from django.utils.formats import get_format\n"),
        ("kpis.report", "from django.db.models.enums import TextChoices\n"),  # an enum, no query
    ],
)
def test_what_the_rules_allow(module: str, source: str) -> None:
    assert violations(module, source) == []


# --- months travel as agency.months.Month (docs/architecture.md "Months") -----------------------

MONTH_TEXT = re.compile(r"%Y-%m(?!-%d)")  # a month printed by strftime; a date (%Y-%m-%d) is fine
# Helpers that would be a second month type: shifting, bounding or counting the days of a month.
MONTH_HELPERS = re.compile(r"^(month_(add|last_day|first_day|start|end|next|previous)|(next|previous|add)_months?"
                           r"|first_of_month|last_of_month|.*working_days)$")


def month_violations(module: str, source: str) -> list[str]:
    """What in ``module`` handles months by hand instead of with ``Month``, one sentence each."""
    if module == "agency.months":
        return []
    problems = []
    for node in ast.walk(ast.parse(source)):
        where = f"{module}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and MONTH_TEXT.search(node.value):
            problems.append(f"{where}: a month printed with %Y-%m: use str(Month.of(day))")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace" and any(
            keyword.arg == "day" for keyword in node.keywords
        ):
            problems.append(f"{where}: .replace(day=…) to reach a month's edge: use Month.of(day).first_day / .last_day")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and any(
            isinstance(side, ast.Call)
            and ast.unparse(side.func).split(".")[-1] == "timedelta"
            and any(
                keyword.arg == "days" and isinstance(keyword.value, ast.Constant) and keyword.value.value in range(27, 33)
                for keyword in side.keywords
            )
            for side in (node.left, node.right)
        ):
            problems.append(f"{where}: adding days to find another month: use Month arithmetic (month + 1)")
        elif isinstance(node, ast.While) and any(
            isinstance(part, ast.Attribute) and part.attr == "month" for part in ast.walk(node.test)
        ):
            problems.append(f"{where}: walking a month day by day: use Month.days() or Month.working_days()")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and MONTH_HELPERS.match(node.name):
            problems.append(f"{where}: {node.name}() is a second month helper: agency.months has it")
    return problems


def test_months_travel_as_month() -> None:
    problems = [
        problem for module, path in project_modules() for problem in month_violations(module, path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ('label = f"{month:%Y-%m}"\n', "printed with %Y-%m"),
        ('label = month.strftime("%Y-%m")\n', "printed with %Y-%m"),
        ("first = day.replace(day=1)\n", ".replace(day="),
        ("end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)\n", ".replace(day="),
        ("later = first + dt.timedelta(days=32)\n", "adding days"),
        ("while day.month == month.month:\n    day += dt.timedelta(days=1)\n", "day by day"),
        ("def working_days(month, holidays):\n    return 20\n", "second month helper"),
        ("def month_add(month, count):\n    return month\n", "second month helper"),
    ],
)
def test_the_month_rule_catches_what_it_forbids(source: str, complaint: str) -> None:
    assert any(complaint in problem for problem in month_violations("kpis.report", source))


@pytest.mark.parametrize(
    "source",
    [
        'day = f"{moment:%Y-%m-%d}"\n',
        "label = str(Month.of(day))\n",
        "def leads_per_working_day(*, new_leads, working_days):\n    return new_leads / working_days\n",
        "later = moment + dt.timedelta(days=1)\n",
        "lookback = dt.timedelta(days=30)\n",  # a duration, not a way to another month
    ],
)
def test_what_the_month_rule_allows(source: str) -> None:
    assert month_violations("kpis.report", source) == []
