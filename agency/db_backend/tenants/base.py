"""django-tenants' PostgreSQL backend, minus the round trips of switches that change nothing.

django-tenants forgets the session's ``search_path`` at every ``set_tenant`` (every
``tenant_context`` entered and left), so the next query issues ``SET search_path`` again even
when the schema is the one already set: code running in a client's schema (a task, a request)
that calls helpers opening ``tenant_context(client)`` for that same client paid two extra
statements per helper — a nightly connector sync paid eleven. Here a switch to the search path
the session already has keeps it. What the session has is django-tenants' own record
(``search_path_set_schemas``), which it clears whenever the database may have dropped the
setting (close, rollback, rollback to a savepoint).
"""

from __future__ import annotations

from typing import Any

from django_tenants.postgresql_backend import base


class DatabaseWrapper(base.DatabaseWrapper):
    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        current = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if current is not None and self._get_cursor_search_paths() == current:
            self.search_path_set_schemas = current
