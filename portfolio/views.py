"""Console screens for the benchmark bands: agency staff read them, agency admins edit them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.decorators import admin_required, agency_required
from agency.forms import apply_errors
from agency.http import found
from portfolio import selectors
from portfolio.forms import BenchmarkForm
from portfolio.models import Benchmark
from portfolio.services import benchmark_delete, benchmark_save


@agency_required
@require_GET
def benchmark_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portfolio/benchmark_list.html", {"benchmarks": selectors.benchmark_list()})


def _edit(request: HttpRequest, benchmark: Benchmark | None) -> HttpResponse:
    form = BenchmarkForm(request.POST or None, instance=benchmark)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_save(benchmark=benchmark, values=form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Benchmark saved."))
            return redirect("benchmark_list")
    status = 422 if form.errors else 200
    return render(request, "portfolio/benchmark_form.html", {"form": form, "benchmark": benchmark}, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def benchmark_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def benchmark_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, found(selectors.benchmark_get(benchmark_id=pk)))


@admin_required
@require_POST
def benchmark_remove(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark_delete(benchmark=found(selectors.benchmark_get(benchmark_id=pk)), user=request.user)
    messages.success(request, _("Benchmark removed."))
    return redirect("benchmark_list")
