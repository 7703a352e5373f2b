"""DNS lookups: the outside world, kept behind one small function that tests replace.

Only TXT records are read, to verify that whoever asked for a custom domain controls it.
"""

from __future__ import annotations

import dns.exception
import dns.resolver

TIMEOUT_SECONDS = 5.0


class LookupFailed(Exception):
    """The name could not be resolved (no such name, no answer, a timeout)."""


def txt_records(name: str) -> list[str]:
    """The TXT strings published at ``name`` (each record's chunks joined), or LookupFailed."""
    resolver = dns.resolver.Resolver()
    resolver.lifetime = TIMEOUT_SECONDS
    try:
        answer = resolver.resolve(name, "TXT")
    except dns.resolver.NXDOMAIN:
        raise LookupFailed("no such name") from None
    except dns.resolver.NoAnswer:
        return []
    except (dns.exception.DNSException, OSError) as error:
        raise LookupFailed(type(error).__name__) from None
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
