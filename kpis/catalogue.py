"""The keys of the snapshot export (kpis.md): every one is present in every snapshot document.

Kept as plain tuples so that formulas, tests, the benchmark screens and the scorecards agree on
one list without importing the engine.
"""

from __future__ import annotations

from kpis.formulas.contracts import KEYS as CONTRACT_KEYS

# The groups of kpis.md, in the order of the export document and of the scorecard's tiles
# (kpis.scorecard gives them their titles).
KPI_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "traffic",
        (
            "sessions",
            "organic_share",
            "social_share",
            "mobile_share",
            "bounce_rate",
            "mobile_bounce_rate",
            "landing_page_conversion_rate",
            "active_landing_pages",
            "traffic_to_lead",
        ),
    ),
    (
        "funnel",
        (
            "new_leads",
            "working_days",
            "leads_per_working_day",
            "growth_needed_per_working_day",
            "database_size",
            "opt_out_rate",
            "mqls",
            "sales_ready_leads",
            "sqls",
            "sals",
            "opportunities",
            "customers",
            "qualified_lead_rate",
            "mql_to_sql_rate",
            "sal_rate",
            "sql_to_customer_rate",
            "lead_to_customer_rate",
            "lead_velocity_rate",
            "nurture_leads",
            "marketing_sourced_customer_share",
            "median_response_hours",
            "p90_response_hours",
            "contacted_within_4h_share",
            "uncontacted_share",
        ),
    ),
    (
        "email",
        (
            "emails_sent",
            "emails_delivered",
            "deliverability_rate",
            "open_rate",
            "click_through_rate",
            "email_unsubscribe_rate",
        ),
    ),
    (
        "cost_and_revenue",
        (
            "media_spend",
            "nurture_spend",
            "sales_spend",
            "marketing_spend",
            "cpl",
            "cost_per_mql",
            "cost_per_sql",
            "cost_per_customer",
            "cac",
            "revenue",
            "marketing_revenue",
            "roi",
            "romi",
            "revenue_uplift",
            "revenue_uplift_annualized",
            "revenue_uplift_rate",
        ),
    ),
    (
        "recurring_revenue_and_value",
        (
            "mrr",
            "mrr_start",
            "accounts",
            "new_mrr",
            "expansion_mrr",
            "contraction_mrr",
            "churned_mrr",
            "gross_mrr_churn_rate",
            "gross_mrr_retention",
            "arpa",
            "customer_churn_rate",
            "cltv",
            "cac_payback_months",
            "ltv_to_cac",
            "early_cancel_rate",
            "renewal_rate",
            "contraction_factor",
            "expected_terms",
            "repeat_rate",
            "expected_projects",
            "retainer_ltv",
            "project_ltv",
            "contract_ltv",
        ),
    ),
)

KPI_KEYS: tuple[str, ...] = tuple(key for _group, keys in KPI_GROUPS for key in keys)

BREAKDOWN_KEYS: dict[str, tuple[str, ...]] = {
    "channel": ("sessions", "new_leads", "traffic_to_lead", "mqls", "customers", "marketing_spend", "cpl", "revenue", "roi"),
    "device": ("sessions", "new_leads", "traffic_to_lead", "bounce_rate", "landing_page_conversion_rate"),
    "persona": ("new_leads", "mqls", "customers", "qualified_lead_rate"),
    "campaign": ("marketing_spend", "new_leads", "cpl", "mqls", "customers", "revenue", "roi"),
    "landing_page": ("sessions", "form_submissions", "landing_page_conversion_rate"),
    "social_network": ("sessions", "new_leads", "customers"),
    "segment": CONTRACT_KEYS,  # every contract figure, per segment
}
