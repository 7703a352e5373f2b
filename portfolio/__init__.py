"""Agency-wide (public schema) KPI data: benchmark bands and a per-client monthly summary.

Both are read across clients at the console, so they live beside the client registry in the
public schema rather than in each client's schema: ``Benchmark`` is reference data the agency
edits once for everyone; ``ClientMonthSummary`` repeats each snapshot's headline figures so that
a portfolio view over hundreds of clients is one indexed query instead of one per schema.
"""
