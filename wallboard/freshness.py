"""Phase-locked polling: each request goes just after the server's cache refreshes.

The learning lives in :mod:`wallboard.core.phase` (pure, tested on synthetic timelines);
this is the thin :class:`~wallboard.poller.Schedule` the poller calls after each good
answer, with one :class:`~wallboard.core.phase.PhaseTracker` per endpoint.
"""

from __future__ import annotations

from wallboard.core.phase import CacheSync, PhaseTracker
from wallboard.poller import FEEDS, Schedule

CACHE_PERIOD = 10.0
"""The real-time service refreshes its cache every 10 s (API notes, section 1)."""


class PhaseLockedSchedule(Schedule):
    """Poll each endpoint once per ``interval`` (whole cache cycles), just after a refresh."""

    def __init__(self, interval: float, period: float = CACHE_PERIOD, **options: object) -> None:
        super().__init__(interval)
        self.period = period
        self.trackers = {name: PhaseTracker(period, interval=interval, **options) for name in FEEDS}  # type: ignore[arg-type]

    def next_delay(self, feed: str, started: float, finished: float, changed: bool, answered: float | None = None) -> float:
        tracker = self.trackers[feed]
        tracker.observe(started, finished if answered is None else answered, changed)
        return max(0.0, tracker.next_poll() - finished)

    def sync(self, feed: str) -> CacheSync | None:
        """What is known of ``feed``'s cache phase (``None`` until a first bracket)."""
        return self.trackers[feed].sync()

    def syncs(self) -> dict[str, CacheSync | None]:
        return {name: tracker.sync() for name, tracker in self.trackers.items()}


def schedule_for(interval: float, period: float = CACHE_PERIOD) -> Schedule:
    """Phase-locked when polling at most once per cache cycle; else the plain fixed period.

    Asked to poll faster than the cache refreshes, the board keeps the fixed period: the
    staleness limit (two intervals) assumes requests that often.
    """
    if interval >= period:
        return PhaseLockedSchedule(interval, period)
    return Schedule(interval)
