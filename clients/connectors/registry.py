"""The platforms the portal connects to, by slug (a new platform: one module, one line here)."""

from __future__ import annotations

from clients.connectors.base import Connector
from clients.connectors.ga4 import GA4
from clients.connectors.google_ads import GoogleAds
from clients.connectors.hubspot import HubSpot
from clients.connectors.linkedin_ads import LinkedInAds
from clients.connectors.mailchimp import Mailchimp
from clients.connectors.meta_ads import MetaAds

PLATFORMS: dict[str, Connector] = {connector.slug: connector for connector in (
    HubSpot(), GA4(), Mailchimp(), GoogleAds(), MetaAds(), LinkedInAds())}


def connector_for(platform: str) -> Connector:
    """The platform's connector; ValueError naming the known ones otherwise."""
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}") from None
