"""PostgreSQL backend that waits for the server to come back before giving up (see base.py)."""
