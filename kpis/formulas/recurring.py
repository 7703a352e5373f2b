"""Recurring revenue KPIs (kpis.md "Recurring revenue"), from each account's MRR at two dates."""

from __future__ import annotations

from kpis.formulas.common import ratio


def mrr_movements(*, now: dict[str, float], before: dict[str, float]) -> dict[str, float | int]:
    """MRR, its start, and its movements between the end of prev (``before``) and the end of m (``now``).

    new = MRR now of accounts with none before; churned = MRR before of accounts with none now;
    expansion / contraction = increases / decreases of accounts with MRR at both ends.
    """
    both = now.keys() & before.keys()
    return {
        "mrr": sum(now.values()),
        "mrr_start": sum(before.values()),
        "accounts": len(now),
        "accounts_start": len(before),
        "churned_accounts": len(before.keys() - now.keys()),
        "new_mrr": sum(now[a] for a in now.keys() - before.keys()),
        "expansion_mrr": sum(now[a] - before[a] for a in both if now[a] > before[a]),
        "contraction_mrr": sum(before[a] - now[a] for a in both if now[a] < before[a]),
        "churned_mrr": sum(before[a] for a in before.keys() - now.keys()),
    }


def gross_mrr_churn_rate(*, churned_mrr: float, contraction_mrr: float, mrr_start: float) -> float | None:
    """(churned_mrr + contraction_mrr) / mrr_start."""
    return ratio(churned_mrr + contraction_mrr, mrr_start)


def gross_mrr_retention(churn_rate: float | None) -> float | None:
    """1 − gross_mrr_churn_rate."""
    return None if churn_rate is None else 1 - churn_rate


def arpa(*, mrr: float, accounts: int) -> float | None:
    """mrr / accounts."""
    return ratio(mrr, accounts)


def customer_churn_rate(*, churned_accounts: int, accounts_start: int) -> float | None:
    """Accounts churned in m / accounts at the end of prev."""
    return ratio(churned_accounts, accounts_start)


def cltv(*, arpa: float | None, customer_churn_rate: float | None) -> float | None:
    """ARPA / customer churn rate."""
    return ratio(arpa, customer_churn_rate)


def cac_payback_months(*, cac: float | None, arpa: float | None, gross_margin: float) -> float | None:
    """cac / (arpa × gross_margin)."""
    return ratio(cac, None if arpa is None else arpa * gross_margin)


def ltv_to_cac(*, cltv: float | None, cac: float | None) -> float | None:
    """cltv / cac."""
    return ratio(cltv, cac)
