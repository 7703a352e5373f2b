"""Issue #24 items 3 and 11: logos are decoded and saved anew on upload (EXIF, XMP, comments and
text gone; the orientation applied; the colour profile kept), and a broken stored logo never
breaks a PDF or an approval."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from PIL import Image, ImageCms, PngImagePlugin

from agency.branding import logo_validate
from agency.models import Client
from tests.conftest import host_of
from tests.reports.conftest import MARCH, browser_for
from tests.reports.conftest import march as march


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def undecodable_png() -> bytes:
    """A PNG whose signature, header and checksums are right but whose pixel data is not zlib."""
    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"not zlib at all" * 10) + _chunk(b"IEND", b"")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (40.0, 25.0, 1.0), 3: "W", 4: (3.0, 42.0, 5.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="40,25.0N" exif:Model="XmpPhone"/>'
    "</rdf:RDF></x:xmpmeta>"
)
SECRETS = (b"SecretPhone", b"PhoneMaker", b"XmpPhone", b"GPSLatitude", b"SecretComment", b"Exif\x00\x00")
BLUE, RED = (20, 40, 220), (200, 30, 30)


def phone_photo(fmt: str) -> bytes:
    """A 40 × 20 image, a blue square in its top-left corner, as a phone stores a picture taken
    turned: EXIF orientation 6 (show it turned 90° clockwise), the camera, the GPS position,
    XMP repeating them, a comment (JPEG) or text (PNG), and an sRGB colour profile."""
    image = Image.new("RGB", (40, 20), RED)
    image.paste(BLUE, (0, 0, 8, 8))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "SecretPhone 12", 6  # Make, Model, Orientation
    exif[0x8825] = {1: "N", 2: (40.0, 25.0, 1.0), 3: "W", 4: (3.0, 42.0, 5.0)}  # GPSInfo
    options: dict = {"exif": exif, "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "SecretComment")
        text.add_itxt("XML:com.adobe.xmp", XMP)
        options["pnginfo"] = text
    else:
        options["xmp"] = XMP.encode()
    if fmt == "JPEG":
        options["comment"] = b"SecretComment"
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "kind"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_a_phone_photo_is_stored_upright_without_its_gps_camera_or_comment(fmt: str, kind: str) -> None:
    original = phone_photo(fmt)
    assert b"SecretPhone" in original and b"XmpPhone" in original  # what there is to strip
    data = logo_validate(SimpleUploadedFile("photo", original, kind)).read()
    assert [secret for secret in SECRETS if secret in data] == []
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == fmt and not stored.getexif()  # no EXIF at all: no GPS, camera, orientation
        assert "xmp" not in stored.info and "comment" not in stored.info and "Comment" not in stored.info
        assert stored.info.get("icc_profile")  # the colours as the agency saw them
        assert stored.size == (20, 40)  # turned as EXIF said: the orientation is in the pixels now
        rgb = stored.convert("RGB")
        red, green, blue = rgb.getpixel((16, 3))  # the blue corner, turned clockwise: now top right
        assert blue > 150 and red < 100, (red, green, blue)
        red, green, blue = rgb.getpixel((3, 3))
        assert red > 150 and blue < 100, (red, green, blue)


def test_a_client_logo_uploaded_in_its_report_settings_carries_no_gps(staff_a, tenant_a) -> None:
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(staff_a)
    upload = SimpleUploadedFile("photo.jpg", phone_photo("JPEG"), "image/jpeg")
    response = http.post("/clients/alpha/report/", {"brand_logo": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    tenant_a.refresh_from_db()
    with tenant_a.brand_logo.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\xff\xd8\xff") and [secret for secret in SECRETS if secret in data] == []
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 40) and not image.getexif()


def test_an_undecodable_png_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an image we can read"):
        logo_validate(SimpleUploadedFile("logo.png", undecodable_png(), "image/png"))


def test_a_truncated_png_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (1, 2, 3)).save(out, format="PNG")
    with pytest.raises(ValidationError):
        logo_validate(SimpleUploadedFile("logo.png", out.getvalue()[: len(out.getvalue()) // 2], "image/png"))


def test_a_jpeg_logo_loses_its_exif_and_keeps_its_pixels() -> None:
    original = jpeg_with_gps()
    assert b"SecretPhone" in original
    stored = logo_validate(SimpleUploadedFile("me.jpg", original, "image/jpeg"))
    data = stored.read()
    assert b"SecretPhone" not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (40, 20) and not image.getexif()


def test_the_logo_served_after_an_upload_carries_no_exif(admin_user, tenant_a) -> None:
    http = HttpClient(HTTP_HOST=host_of(None))
    http.force_login(admin_user)
    response = http.post("/brand/", {"name": "Agency", "sender_name": "", "accent": "#1f5fbf", "bar_colour": "#14213d",
                                     "logo": SimpleUploadedFile("me.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 302, response.content.decode()[:500]
    served = b"".join(http.get("/brand/logo").streaming_content) if hasattr(http.get("/brand/logo"), "streaming_content") \
        else http.get("/brand/logo").content
    assert served.startswith(b"\xff\xd8\xff") and b"SecretPhone" not in served


def test_a_broken_stored_logo_breaks_neither_the_pdf_nor_the_approval(march, staff_a, client_user_a) -> None:
    """A logo stored before uploads were re-encoded (or damaged since): left out of the PDF."""
    client = Client.objects.get(pk=march.pk)
    client.brand_logo.save("broken.png", ContentFile(undecodable_png()), save=True)
    staff = browser_for(staff_a, march)
    assert staff.get("/scorecard/export.pdf", {"month": "2026-03"}).status_code == 200
    response = staff.post(f"/reports/{MARCH:%Y-%m}/approve/")
    assert response.status_code == 302
    assert browser_for(client_user_a, march).get("/scorecard/export.pdf", {"month": "2026-03"}).status_code == 200
