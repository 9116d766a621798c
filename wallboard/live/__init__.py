"""The live feed: one poller that fetches agents and queues, and when it asks.

:mod:`~wallboard.live.poller` runs one loop per endpoint and hands out immutable
snapshots; :mod:`~wallboard.live.schedule` decides when to ask next (phase-locked to
the service's cache, learned by the pure :mod:`~wallboard.live.phase`);
:mod:`~wallboard.live.backoff` how long to wait after a failure; and
:mod:`~wallboard.live.clock` is the monotonic clock every age is measured on. Nothing
here imports Textual: the board, the plain-text output (and later a relay) share it.
"""
