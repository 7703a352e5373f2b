"""On paper the contract segment breakdown was a second copy of the lifetime value table's figures by
segment a few pages on: it is folded into that table, and a figure the same for every segment and all
contracts (a rate pooled from all contracts, kpis.md) is said once under it instead of a column of copies.
No figure is lost."""

from __future__ import annotations

import pypdfium2

from kpis.exports import scorecard_pdf

COLUMNS = ["Contract lifetime value", "Retainer lifetime value", "Early cancellation rate", "Renewal rate",
           "Expected terms"]


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    finally:
        document.close()


def _cells(*texts: str) -> list[dict]:
    return [{"text": text, "reason": ""} for text in texts]


LTV = {
    "columns": COLUMNS,
    "rows": [
        {"segment": "Retail", "cells": _cells("$48,907.26", "$52,248.72", "27.3 %", "50.0 %", "1.57")},
        {"segment": "SaaS", "cells": _cells("$44,009.60", "$46,842.32", "27.3 %", "50.0 %", "1.54")},
    ],
    "total": _cells("$41,428.19", "$43,541.49", "27.3 %", "50.0 %", "1.56"),
}
SEGMENTS = {
    "dimension": "segment", "title": "Contract segment", "columns": COLUMNS, "rows": [
        {"member": "Retail", "cells": LTV["rows"][0]["cells"]}, {"member": "SaaS", "cells": LTV["rows"][1]["cells"]}],
}
CHANNELS = {"dimension": "channel", "title": "Channel", "columns": ["Sessions"],
            "rows": [{"member": "Direct", "cells": _cells("1,800")}]}


def test_the_segment_breakdown_is_folded_into_the_lifetime_value_table() -> None:
    text = _text(scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[], ltv=LTV,
                               drilldowns=[CHANNELS, SEGMENTS]))
    assert text.count("$48,907.26") == 1  # each segment's figure once, in the lifetime value table
    assert "Contract segment: every figure by segment is in the contract lifetime value table above." in text
    assert "Channel Sessions Direct 1,800" in text  # the other breakdowns as they were


def test_a_figure_the_same_for_every_segment_and_all_contracts_is_said_once() -> None:
    text = _text(scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[], ltv=LTV))
    assert text.count("27.3 %") == 1 and text.count("50.0 %") == 1
    assert ("The same for every segment and for all contracts: Early cancellation rate 27.3 % · Renewal rate 50.0 %."
            in text)
    assert "Segment Contract lifetime value Retainer lifetime value Expected terms" in text  # what the segments add
    for figure in ("$52,248.72", "$46,842.32", "$43,541.49", "1.57", "1.54", "1.56"):
        assert figure in text


def test_a_single_segment_keeps_every_column() -> None:
    """With one segment the segment's and all contracts' figures are alike by nature: nothing is folded."""
    one = {**LTV, "rows": LTV["rows"][:1], "total": LTV["rows"][0]["cells"]}
    text = _text(scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[], ltv=one))
    assert "The same for every segment" not in text and text.count("27.3 %") == 2
