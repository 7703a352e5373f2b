"""KPI snapshots and what surrounds them (see kpis.md); filled in by the KPI engine."""
