"""``wallboard relay``: one connection to 8x8, many screens.

The relay runs the board's own poller (phase lock, back-off, refused-credentials stop)
against the configured tenant and serves what it has under the Real Time Statistics
paths and shapes, so any board or script points ``realtime_url`` at it unchanged.

* :mod:`wallboard.relay.published`: pure: the answers (bodies, ETag, cache headers,
  the relay's health) from the poller's snapshots. No HTTP server in it.
* :mod:`wallboard.relay.access`: pure: Basic auth (tenant + relay token) and the rule
  that only loopback may be served without TLS.
* :mod:`wallboard.relay.server`: the aiohttp application and the process around it.
"""
