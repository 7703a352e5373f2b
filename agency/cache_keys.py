"""Cache keys: every key carries the schema it was made in, except the agency-wide ``shared:`` ones.

django-tenants' key function puts ``connection.schema_name`` first, so a key set for client A
is never read under client B. A few facts belong to the agency as a whole and are read on every
host (the brand, on every page): under their ``shared:`` name they get the public schema's key
whatever the request's schema, without switching the connection to the public schema and back
(which costs a ``SET search_path`` round trip on the next query). Nothing of a client may be
cached under ``shared:``.
"""

from __future__ import annotations

from django.db import connection
from django_tenants.cache import reverse_key

SHARED = "shared:"

__all__ = ["SHARED", "make_key", "reverse_key"]


def make_key(key: str, key_prefix: str, version: int | str) -> str:
    """django_tenants.cache.make_key, with ``shared:`` keys always in the public schema."""
    schema = "public" if key.startswith(SHARED) else connection.schema_name
    return f"{schema}:{key_prefix}:{version}:{key}"
