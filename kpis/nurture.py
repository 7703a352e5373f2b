"""Nurture leads when no campaign is marked nurture: a 0 that needs its reason beside it.

kpis.md: ``nurture_leads`` = new leads whose campaign is marked nurture (the campaigns file's
``nurture`` column, formats.md; false unless a row says true). A client none of whose campaigns is
marked reads "Nurture leads 0" every month, which a client takes as "no lead came from our nurture
emails", when nothing is set up to count them. Unlike the figures of kpis.nodata, the 0 is kpis.md's
figure and also a fact (no lead came from a campaign marked nurture), so the value is kept, on every
screen, in the change and in the charts; the figure only says, beside it, that no campaign is marked
(kpis.reasons.no_nurture_note), as a partial revenue figure says it counts some customers only.

Whether a campaign is marked is read from the campaigns as they are now (one query, only for a month
whose nurture leads are 0); an approved month froze the answer (kpis.report.FROZEN's
``nurture_marked``), so a campaign marked later changes nothing of what the client was sent. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NURTURE_FIGURES = frozenset({"nurture_leads"})


def frozen_nurture_marked(document: dict[str, Any] | None) -> bool | None:
    """Whether a campaign was marked nurture when the document was approved; None when it froze no answer."""
    frozen = (document or {}).get("report")
    if not isinstance(frozen, dict) or "nurture_marked" not in frozen:
        return None
    return bool(frozen["nurture_marked"])


def nurture_unmarked(key: str, document: dict[str, Any] | None, *, marked: bool | Callable[[], bool] | None) -> bool:
    """``key`` is the month's nurture leads, they are 0 and no campaign is marked nurture: the figure
    needs its note. ``marked``: whether a campaign is marked now (a callable is called only then; None:
    not read, taken as marked)."""
    kpis = (document or {}).get("kpis") or {}
    if key not in NURTURE_FIGURES or document is None or kpis.get(key) != 0:
        return False  # some leads counted (so a campaign is marked), or no figure at all
    frozen = frozen_nurture_marked(document)
    if frozen is not None:
        return not frozen
    found = marked() if callable(marked) else marked
    return found is not None and not found
