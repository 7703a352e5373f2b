"""White label: whose name, logo and colour the portal, the PDF and the emails carry.

The agency's brand (``AgencyBrand``, one row in the public schema, edited by agency admins) is
the default; a client may override the logo and the accent colour, shown on its own hosts (its
subdomain and custom domain), its PDF and its emails.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from agency.models import AgencyBrand
from agency.uploads import validate_image_upload

DEFAULT_ACCENT = "#1f5fbf"


def _logo_url(logo: Any) -> str:
    """Served by ``brand_logo`` at the page's own host; the name changes with the file (cache busting)."""
    import hashlib

    from django.urls import reverse

    return reverse("brand_logo") + "?v=" + hashlib.sha256(logo.name.encode()).hexdigest()[:10]


def brand_for(client: Any | None) -> dict[str, Any]:
    """name, accent, logo_url, logo_path, sender: the client's override over the agency's brand."""
    agency = AgencyBrand.current()
    brand = {
        "name": agency.name if agency else getattr(settings, "PORTAL_AGENCY_NAME", "Marketing portal"),
        "accent": (agency.accent if agency and agency.accent else DEFAULT_ACCENT),
        "logo_url": _logo_url(agency.logo) if agency and agency.logo else "",
        "logo_path": agency.logo.path if agency and agency.logo else "",
        "sender": (agency.sender_name or agency.name) if agency else "",
    }
    if client is not None and not getattr(client, "is_public", False):
        if getattr(client, "brand_accent", ""):
            brand["accent"] = client.brand_accent
        logo = getattr(client, "brand_logo", None)
        if logo:
            brand["logo_url"], brand["logo_path"] = _logo_url(logo), logo.path
    return brand


def brand_for_request(request: Any, client: Any | None) -> dict[str, Any]:
    """brand_for, once per request and client: the layout and the scorecard's charts both ask."""
    memo = request.__dict__.setdefault("_brands", {})
    key = getattr(client, "pk", None)
    if key not in memo:
        memo[key] = brand_for(client)
    return memo[key]


def logo_validate(uploaded: Any) -> None:
    """A logo is an image we can show and embed: checked by content, then opened by Pillow."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from PIL import Image

    validate_image_upload(uploaded, max_bytes=512 * 1024)
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image.verify()
            if image.width > 4000 or image.height > 4000:
                raise ValidationError(_("The logo is too large: at most 4000 × 4000 pixels."))
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(_("This file is not an image we can read.")) from error
    finally:
        uploaded.seek(0)
