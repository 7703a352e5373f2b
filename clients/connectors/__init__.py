"""Connectors: a client's platform accounts synced from their APIs through the file importer.

``PLATFORMS`` (:mod:`clients.connectors.registry`) maps each platform's slug to its
:class:`~clients.connectors.base.Connector`; a new platform is one module here and one line in
the registry (docs/architecture.md, "A new connector"). The framework is
:mod:`clients.connectors.sync`; credentials at rest are :mod:`clients.connectors.vault`.
"""
