"""What the targets page reads: a month's targets (or the month before's, to copy them) and, beside
each KPI, the figures of last month and this month to date, as the scorecard shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from agency.months import Month
from kpis.catalogue import target_in_range
from kpis.report import client_today
from kpis.selectors_scorecard import scorecard_load
from portfolio.models import Target


def targets_of(*, client: Any, month: dt.date) -> dict[str, float]:
    """The client's targets of ``month`` by KPI (one stored outside its KPI's range, from before
    targets were bounded, is left out as every page leaves it out)."""
    rows = Target.objects.filter(client=client, month=Month.of(month).first_day).values_list("kpi", "value")
    return {key: value for key, value in rows if target_in_range(key, value)}


def targets_months_set_count(*, client: Any, months: list[dt.date]) -> int:
    """How many of ``months`` have at least one target: the page says what "apply to" replaces."""
    return Target.objects.filter(client=client, month__in=months).values("month").distinct().count()


def targets_setup_step(client: Any) -> dict[str, Any]:
    """The set-up checklist's optional "Targets" step (registered in kpis.apps): done once the client
    has any target. Optional: a client's scorecard means something without targets."""
    return {
        "key": "targets", "done": Target.objects.filter(client=client).exists(), "url": reverse("targets_edit"),
        "admin_only": False, "optional": True, "label": _("Targets"),
        "help": _("Each KPI's monthly target, on one page: the report, its pacing bar and the portfolio "
                  "measure the month against them."),
    }


@dataclass(frozen=True)
class Reference:
    """The months the page shows beside each target (last month and this month to date, in the
    client's time zone) and each KPI's figure in both, None where it has none (no snapshot, or
    the figure is no fact: a cost without spend loaded)."""

    last_month: dt.date
    this_month: dt.date
    last: dict[str, float | None]
    this: dict[str, float | None]


def targets_reference(*, client: Any, keys: list[str], now: dt.datetime | None = None) -> Reference:
    """Last month's and this month's figures of ``keys``, read as the scorecard reads them (one load
    of this month's card, which holds last month in its history). In the client's schema."""
    this_month = Month.of(client_today(client, now)).first_day
    last_month = (Month.of(this_month) - 1).first_day
    card = replace(scorecard_load(month=this_month, compare="month", client=client, now=now), staff=True)
    return Reference(
        last_month=last_month,
        this_month=this_month,
        last={key: card.kpi_known(last_month, key) for key in keys},
        this={key: card.shown(key)[0] for key in keys},
    )
