from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.catalogue import KPI_KEYS
from portfolio.models import Benchmark


class BenchmarkForm(forms.ModelForm):
    kpi = forms.ChoiceField(label=_("KPI"), choices=[(key, key) for key in KPI_KEYS])
    source_url = forms.URLField(label=_("source address"), required=False, assume_scheme="https")

    class Meta:
        model = Benchmark
        fields = ["kpi", "label", "low", "high", "unit", "currency", "source_name", "source_url", "citation", "position"]
        widgets = {"citation": forms.Textarea(attrs={"rows": 3})}
