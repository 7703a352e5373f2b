"""django-tenants' backend, without a ``SET search_path`` for a switch to the schema already set (see base.py)."""
