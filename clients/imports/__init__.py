"""The upload screens and import jobs: upload, preview, confirm, progress, result (the engine is clients.importing)."""
