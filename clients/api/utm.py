"""UTM parameters to the lead's channel (the table is documented in docs/api.md).

``utm_medium`` decides first; ``utm_source`` refines it (paid clicks on a social network
are paid social, organic visits from a social network are organic social) and stands in for
a missing medium. Anything not recognised is ``other``.
"""

from __future__ import annotations

MEDIUM_CHANNEL = {
    **dict.fromkeys(("cpc", "ppc", "paidsearch", "paid_search", "paid-search", "sem"), "paid_search"),
    **dict.fromkeys(("paid_social", "paidsocial", "paid-social", "social_paid", "social-paid", "social_ads"),
                    "paid_social"),
    **dict.fromkeys(("social", "social-media", "social_media", "social-network", "sm", "organic_social"),
                    "organic_social"),
    **dict.fromkeys(("organic", "organic_search", "seo"), "organic_search"),
    **dict.fromkeys(("email", "e-mail", "e_mail", "newsletter", "mail"), "email"),
    **dict.fromkeys(("referral", "affiliate", "partner"), "referral"),
    **dict.fromkeys(("display", "banner", "cpm", "programmatic", "native"), "display"),
    **dict.fromkeys(("event", "events", "webinar", "trade_show"), "events"),
    **dict.fromkeys(("offline", "print", "tv", "radio", "qr", "direct_mail"), "offline"),
    **dict.fromkeys(("(none)", "none", "direct"), "direct"),
}
SEARCH_SOURCES = frozenset({"google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia"})
SOCIAL_SOURCES = frozenset({"facebook", "fb", "instagram", "ig", "linkedin", "twitter", "x", "tiktok", "youtube",
                            "pinterest", "reddit", "meta"})


def utm_channel(*, medium: str = "", source: str = "") -> str:
    """The channel for a UTM medium and source; "" when neither is given."""
    medium, source = (medium or "").strip().lower(), (source or "").strip().lower()
    if medium:
        channel = MEDIUM_CHANNEL.get(medium, "other")
        if channel == "paid_search" and source in SOCIAL_SOURCES:
            return "paid_social"
        if channel == "organic_search" and source in SOCIAL_SOURCES:
            return "organic_social"
        return channel
    if not source:
        return ""
    if source in SEARCH_SOURCES:
        return "organic_search"
    if source in SOCIAL_SOURCES:
        return "organic_social"
    if source in {"direct", "(direct)"}:
        return "direct"
    if source in {"newsletter", "email"}:
        return "email"
    return "referral"
