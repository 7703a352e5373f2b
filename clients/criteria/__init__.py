"""MQL qualification: the criteria's rules, the engine that judges leads, the criteria editor."""
