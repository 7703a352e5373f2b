"""The ingestion API for web forms and CRMs: leads and activities, with per-client tokens."""
