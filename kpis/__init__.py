"""KPI engine: formulas, snapshots, tasks and scorecards."""

# Stored on every snapshot: which rules of kpis.md computed it. Bump when a definition changes.
CODE_VERSION = "2026.12.2"
