"""When the terminal bell rings: something entered alert, at most once a minute.

"Something" is a queue whose level is ALERT or an agent whose break is over the alert
threshold (its time in state counted as the grid counts it). Only what *enters* alert
rings: a queue that stays in alert does not ring again, one that leaves and comes back
does (after the minute).
"""

from __future__ import annotations

from wallboard.core.model.snapshot import Snapshot
from wallboard.core.model.thresholds import Level, Thresholds, break_level, queue_level
from wallboard.core.views.agents import shown_time_in_state

BELL_EVERY = 60.0
"""Seconds between two rings at the least."""


def alerting(snapshot: Snapshot, thresholds: Thresholds, now_mono: float) -> set[str]:
    """The keys (``queue:ID``, ``agent:ID``) of everything in alert at ``now_mono``."""
    elapsed = snapshot.agents.records_age(now_mono)  # as the grid counts
    found = {f"queue:{q.queue_id}" for q in snapshot.queues.records if queue_level(q, thresholds) is Level.ALERT}
    found |= {
        f"agent:{a.agent_id}"
        for a in snapshot.agents.records
        if break_level(a, shown_time_in_state(a, elapsed, snapshot.stale_after), thresholds) is Level.ALERT
    }
    return found


class AlertBell:
    """Remembers what was in alert and when it last rang."""

    def __init__(self) -> None:
        self._alerting: set[str] = set()
        self._last = float("-inf")

    def check(self, snapshot: Snapshot, thresholds: Thresholds, now_mono: float) -> bool:
        """Whether to ring now, for ``snapshot`` as it stands at ``now_mono``."""
        now_alerting = alerting(snapshot, thresholds, now_mono)
        new = now_alerting - self._alerting
        self._alerting = now_alerting
        if new and now_mono - self._last >= BELL_EVERY:
            self._last = now_mono
            return True
        return False
