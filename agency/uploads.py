"""Checks of uploaded files: what they are by their first bytes, and how big they are.

``validate_image_upload`` is for images the portal shows or embeds (a white-label logo on the
pages and in the PDF): PNG, JPEG or WebP, recognized by their magic bytes, never by the name or
the browser's Content-Type; SVG is refused (it can carry scripts and external references).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


def image_type(head: bytes) -> str | None:
    """The image's content type from its first bytes, or None when it is none we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_image_upload(uploaded: Any, *, max_bytes: int | None = None) -> str:
    """Accept a PNG, JPEG or WebP image up to ``max_bytes`` (default PORTAL_IMAGE_MAX_BYTES);
    return its content type, or raise ValidationError saying what is wrong."""
    limit = max_bytes if max_bytes is not None else settings.PORTAL_IMAGE_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is None or size > limit:
        raise ValidationError(
            _("The image is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(512)
    uploaded.seek(position)
    kind = image_type(head)
    if kind is None:
        looks_svg = b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml")
        message = (_("SVG images are not accepted: upload a PNG, JPEG or WebP image.") if looks_svg
                   else _("Upload a PNG, JPEG or WebP image."))
        raise ValidationError(message, code="image_type")
    return kind


def logo_readable(path: str) -> bytes | None:
    """A stored logo as PNG bytes to draw, or None when it cannot be decoded (a file stored before
    logos were re-encoded, or damaged since): a broken logo never breaks a PDF or an approval."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except Exception:
        logger.warning("logo %s cannot be decoded: left out", Path(path).name)
        return None
