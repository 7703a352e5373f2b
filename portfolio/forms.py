from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.catalogue import KPIS, grouped_choices
from portfolio.models import Benchmark


class BenchmarkForm(forms.ModelForm):
    """A benchmark band. The KPIs offered are the catalogue's benchmarkable ones, by group and label;
    the unit is not asked: it is the KPI's own (portfolio.services.benchmark_save sets it)."""

    kpi = forms.ChoiceField(label=_("KPI"), choices=lambda: grouped_choices(only=tuple(k for k in KPIS if k.benchmarkable)))
    source_url = forms.URLField(label=_("source address"), required=False, assume_scheme="https", max_length=200)
    # In the page's number format (localize): "0,25" on a Spanish page, "0.25" read there too.
    low = forms.FloatField(label=_("low"), required=False, min_value=-1e12, max_value=1e12, localize=True,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    high = forms.FloatField(label=_("high"), required=False, min_value=-1e12, max_value=1e12, localize=True,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    citation = forms.CharField(label=_("citation"), required=False, max_length=5000, widget=forms.Textarea)
    position = forms.IntegerField(label=_("order"), min_value=0, max_value=10_000, initial=0)
    # formats.md's ad platform vocabulary (the paid-media cards of the report are per platform).
    platform = forms.ChoiceField(
        label=_("ad platform"), required=False,
        choices=[("", _("All platforms (the client's figure)")), ("google_ads", "Google Ads"), ("meta_ads", "Meta Ads"),
                 ("linkedin_ads", "LinkedIn Ads"), ("microsoft_ads", "Microsoft Ads"), ("tiktok_ads", "TikTok Ads"),
                 ("other_ads", _("Other ad platforms"))],
    )

    class Meta:
        model = Benchmark
        fields = ["kpi", "label", "industry", "platform", "low", "high", "currency", "source_name", "source_url", "citation",
                  "position"]
        help_texts = {
            "low": _("In the KPI's unit: a fraction for a rate (0.25 = 25%), an amount for money, hours for a time."),
        }
        widgets = {"citation": forms.Textarea(attrs={"rows": 3})}
