"""The vocabularies of formats.md, in one place for models, importers, rules and the API."""

from __future__ import annotations

CHANNELS = (
    "organic_search", "paid_search", "organic_social", "paid_social", "email", "referral",
    "direct", "display", "events", "offline", "other",
)
DEVICES = ("desktop", "mobile", "tablet")
SPEND_CATEGORIES = ("media", "marketing", "nurture", "sales")
AD_PLATFORMS = ("google_ads", "meta_ads", "linkedin_ads", "microsoft_ads", "tiktok_ads", "other_ads")
ORIGINS = ("marketing", "sales")
ACTIONS = (
    "content_download", "webinar_signup", "event_signup", "demo_request", "contact_request",
    "pricing_view", "email_click", "form_submission", "other",
)
CONTRACT_KINDS = ("retainer", "project")
DIRECTIONS = ("inbound", "outbound")
# The canonical columns whose values are one of these vocabularies (formats.md): the mapping editor
# gives them a value table and a menu for a fixed value, the previews show their values in words.
COLUMN_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "channel": CHANNELS, "device": DEVICES, "category": SPEND_CATEGORIES, "platform": AD_PLATFORMS,
    "origin": ORIGINS, "action": ACTIONS, "kind": CONTRACT_KINDS, "direction": DIRECTIONS,
}
LEAD_LIFECYCLE_FIELDS = (
    "first_contacted_at", "sql_at", "sal_at", "opportunity_at", "customer_at", "lost_at",
)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


CHANNEL_CHOICES = _choices(CHANNELS)
DEVICE_CHOICES = _choices(DEVICES)
SPEND_CATEGORY_CHOICES = _choices(SPEND_CATEGORIES)
AD_PLATFORM_CHOICES = _choices(AD_PLATFORMS)
ORIGIN_CHOICES = _choices(ORIGINS)
ACTION_CHOICES = _choices(ACTIONS)
CONTRACT_KIND_CHOICES = _choices(CONTRACT_KINDS)
DIRECTION_CHOICES = _choices(DIRECTIONS)
