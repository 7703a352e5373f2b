"""Issue #10 item 4: user strings in the PDF are text, never ReportLab markup; images are
checked by their bytes and size."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agency.uploads import validate_image_upload
from kpis.exports import pdf_text, scorecard_pdf

HOSTILE = [
    '<font color="red">unclosed',
    '<img src="/etc/hostname"/>',
    '<a href="javascript:alert(1)">click</a>',
    "Smith & Sons <b>",
    "]]><para>",
]


def _groups(label: str) -> list[dict]:
    return [{"title": label, "tiles": [{"label": label, "shown": label, "change": {"text": label},
                                        "target": label, "met": False}]}]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_client_name_is_printed_as_text(name) -> None:
    pdf = scorecard_pdf(client_name=name, month_label="March 2026", computed="now", groups=_groups(name))
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" not in pdf and b"/URI" not in pdf and b"javascript" not in pdf.split(b"/Title")[0]


def test_pdf_text_escapes_markup_and_keeps_the_words() -> None:
    assert pdf_text('<img src="/x"/> & co') == '&lt;img src="/x"/&gt; &amp; co'
    assert pdf_text("Café → 5 & co") == "Café → 5 &amp; co"  # the arrow printed as such (Symbol font)


# --- images ------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.mark.parametrize(("content", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")])
def test_png_jpeg_and_webp_are_accepted_by_their_bytes(content, kind) -> None:
    upload = SimpleUploadedFile("logo.txt", content, "text/plain")  # the name and type claimed do not matter
    assert validate_image_upload(upload) == kind
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (b"<svg onload='alert(1)'/>", "SVG"),
        (b"GIF89a" + b"\x00" * 20, "PNG, JPEG or WebP"),
        (b"%PDF-1.7", "PNG, JPEG or WebP"),
        (b"", "empty"),
    ],
)
def test_other_files_are_refused(content, message) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_image_upload(SimpleUploadedFile("logo.png", content, "image/png"))


def test_an_image_over_the_limit_is_refused(settings) -> None:
    settings.PORTAL_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="too large"):
        validate_image_upload(SimpleUploadedFile("logo.png", PNG + b"\x00" * 1000, "image/png"))
    assert validate_image_upload(SimpleUploadedFile("l.png", PNG, "image/png")) == "image/png"
