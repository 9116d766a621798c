"""Benchmarks that print figures (``python -m wallboard.bench``); never timed tests.

Each module measures one thing (parsing, applying a refresh, the board at steady state,
freshness) and returns plain numbers; :mod:`wallboard.bench.__main__` prints the tables.
CPU figures are process CPU time (``time.process_time`` / ``resource.getrusage``),
repeated, medians reported: other work on the machine disturbs wall time far more.
"""
