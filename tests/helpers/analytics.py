"""Work Analytics client helpers: quick timeouts, queries for "yesterday", a client on a simulator."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.helpers.clocks import EPOCH, FakeClock
from tests.helpers.sim_transport import transport_for
from wallboard.clients.analytics import AnalyticsClient
from wallboard.clients.http import Timeouts
from wallboard.core.reports.query import make_query, preset_range

FAST = Timeouts(connect=1.0, read=2.0, total=3.0)
"""For tests that make a timeout fire (a slow fault of twice the read timeout): short, so they end soon."""
PATIENT = Timeouts(connect=10.0, read=20.0, total=30.0)
"""For healthy answers over loopback: long, so a busy machine is slow, never a timeout."""
NOW = datetime.fromtimestamp(EPOCH, timezone.utc)  # 2025-11-23 07:13:20 in New York
ZONE = "America/New_York"


def yesterday(kind, **extra):
    start, end = preset_range("yesterday", ZONE, NOW)
    return make_query(kind, start, end, ZONE, NOW, **extra)


def window(kind, start, end, **extra):
    return make_query(kind, start, end, ZONE, NOW, **extra)


class Sleeps:
    """An injectable ``sleep`` that records the waits instead of waiting."""

    def __init__(self, then=None):
        self.waits = []
        self.then = then

    async def __call__(self, seconds):
        self.waits.append(seconds)
        if self.then:
            self.then()


def client_for(sim, *, key="demo", user="demo", password="demo", clock=None, sleep=None, timeouts=PATIENT, **kwargs):
    """A client of ``sim``'s Work Analytics: in-process on the virtual-time loop, else over loopback."""
    kwargs.setdefault("transport", transport_for(sim))
    return AnalyticsClient(
        sim.analytics_url, key, user, password, timeouts=timeouts, clock=clock or FakeClock(1000.0), sleep=sleep or Sleeps(), **kwargs
    )
