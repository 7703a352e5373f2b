"""KPI formulas: pure functions over plain numbers (no Django, no database)."""
