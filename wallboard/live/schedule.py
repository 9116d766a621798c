"""Phase-locked polling: each request goes just after the server's cache refreshes.

The learning lives in :mod:`wallboard.live.phase` (pure, tested on synthetic timelines);
this is the thin :class:`~wallboard.live.poller.Schedule` the poller calls after each good
answer, with one :class:`~wallboard.live.phase.PhaseTracker` per endpoint.
"""

from __future__ import annotations

from wallboard.live.phase import CacheSync, PhaseTracker
from wallboard.live.poller import FEEDS, Schedule

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
        refreshed = not changed and self._refreshed_elsewhere(feed, started)
        tracker.observe(started, finished if answered is None else answered, changed, refreshed)
        return max(0.0, tracker.next_poll() - finished)

    def _refreshed_elsewhere(self, feed: str, sent: float) -> bool:
        """Did another endpoint of the same cache see this cycle's refresh before ``sent``?

        Agents and queues come from one cache. When the agents changed after the predicted
        refresh and before the queues request went out, unchanged queues are quiet, not late.
        """
        sync = self.trackers[feed].sync()
        if sync is None or not sync.locked:
            return False
        refresh = sync.last_refresh(sent)
        for name, other in self.trackers.items():
            change = other.last_change
            if name != feed and other.locked and change is not None and refresh - self.period / 2 < change <= sent:
                return True
        return False

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
