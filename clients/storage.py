"""Where a client's files live: ``MEDIA_ROOT/<schema>/…``, never shared with another client.

Used by the services that write uploads and by the selectors that find them again.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from agency.models import Client


def imports_dir(*, client: Client) -> Path:
    """``MEDIA_ROOT/<schema>/imports``: a client's uploads never share a folder with another's."""
    directory = Path(settings.MEDIA_ROOT) / client.schema_name / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
