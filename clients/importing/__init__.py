"""Getting client data in: the CSV file kinds of formats.md, shared with the ingestion API.

``clients.services.data_import`` is the entry point for callers; this package holds the
parsing (:mod:`.cells`), the kinds (:mod:`.kinds`) and the streaming import (:mod:`.importer`).
"""

from clients.importing.importer import ImportResult, RowError, RowParser, import_csv, import_records
from clients.importing.kinds import KINDS, SPECS

__all__ = ["KINDS", "SPECS", "ImportResult", "RowError", "RowParser", "import_csv", "import_records"]
