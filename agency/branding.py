"""White label: whose name, logo and colour the portal, the PDF and the emails carry.

The agency's brand (``AgencyBrand``, one row in the public schema, edited by agency admins) is
the default; a client may override the logo and the accent colour, shown on its own hosts (its
subdomain and custom domain), its PDF and its emails.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from agency.models import AgencyBrand
from agency.uploads import IMAGE_TYPES, validate_image_upload

DEFAULT_ACCENT = "#1f5fbf"
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


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


def logo_validate(uploaded: Any) -> SimpleUploadedFile:
    """A logo is an image we can show and embed: checked by content, decoded whole by Pillow and
    saved anew in its own format, so what is stored is what Pillow could draw (a PNG whose
    header and checksums are right but whose pixels are not decodes nowhere and is refused) and
    carries no metadata (EXIF and XMP: a phone's GPS position, the camera; a JPEG's comment; PNG
    text: issue #24): only the pixels, turned the way EXIF said to show them, and their colour
    profile. Returns the file to store in place of the upload; raises ValidationError saying what
    is wrong."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from PIL import Image, ImageOps

    kind = validate_image_upload(uploaded, max_bytes=512 * 1024)
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            if image.width > 4000 or image.height > 4000:
                raise ValidationError(_("The logo is too large: at most 4000 × 4000 pixels."))
            image.load()  # every pixel decoded: a truncated or corrupt image fails here
            clean = ImageOps.exif_transpose(image)  # the orientation EXIF asked for, kept as pixels
            fmt = IMAGE_FORMATS[kind]
            if fmt == "JPEG" and clean.mode not in {"RGB", "L", "CMYK"}:
                clean = clean.convert("RGB")
            # Pillow writes back some of what it read (a JPEG's comment): nothing is, but the colour
            # profile, in every format, so that the logo's colours stay what the agency chose.
            profile = clean.info.get("icc_profile")
            clean.info = {}
            options: dict[str, Any] = {"quality": 90} if fmt != "PNG" else {}
            if profile:
                options["icc_profile"] = profile
            out = io.BytesIO()
            clean.save(out, format=fmt, **options)
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(_("This file is not an image we can read.")) from error
    finally:
        uploaded.seek(0)
    name = Path(getattr(uploaded, "name", "") or "logo").stem[:80] or "logo"
    return SimpleUploadedFile(f"{name}.{IMAGE_TYPES[kind]}", out.getvalue(), content_type=kind)
