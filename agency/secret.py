"""The development secret key: generated once per install, never a key published in the code.

Without ``SECRET_KEY`` and with ``DEBUG`` on (development), sessions, CSRF tokens, hand-off and
password links are signed with a random key kept in the git-ignored ``.local/secret_key``
(readable by its owner only), so no two installs share one and nobody can forge a session of
a development portal that happens to be reachable. Production sets ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


def development_secret_key(path: Path, make: object = None) -> str:
    """The key stored at ``path``; made (atomically, mode 0600) the first time it is asked for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(make() if callable(make) else secrets.token_urlsafe(50))
    for _attempt in range(50):  # another process may be writing it this instant
        key = path.read_text().strip()
        if key:
            return key
        import time

        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty: delete it and start again")


def development_fernet_key(path: Path) -> str:
    """The development key of the connections' credentials (a Fernet key), made once like the secret key."""
    return development_secret_key(path, make=lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())
