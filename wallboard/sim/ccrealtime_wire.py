"""The simulated tenant as the Contact Center Real-time Metrics API (v5) reports it.

Same scenario, same cache cycle as the legacy API (:mod:`wallboard.sim.rtstats_wire`),
so both sources agree on the same seed; only the vocabulary and units differ: metric
keys, milliseconds, percentages as 0–1 fractions (or 0–100 when the simulator is told
so, to test the other reading), ``null`` for an interval without activity, ISO times.

Intervals: ``int-15m`` and ``int-30m`` are the current clock-aligned quarter and half
hour (they roll at :00, :15, :30, :45); ``today`` is the scenario's day, which begins at
midnight in the tenant's zone (the simulator's ``timezone``, or the one a request asks
for), not in UTC; the service
level over ``int-1h`` .. ``int-12h`` sums hourly buckets (the current hour and the
N before it, so a window never shrinks to nothing just after the hour).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from wallboard.sim.rtstats_wire import agent_wire, queue_wire
from wallboard.sim.scenario import AVAILABLE, BREAK, BUSY, LOGGED_OUT, OFFERED, OFFLINE, WRAP, RealtimeScenario, SimAgent, SimQueue

STATUS_WORDS = {
    AVAILABLE: "Available",
    OFFERED: "Offering",
    BUSY: "Handling",
    WRAP: "WrapUp",
    BREAK: "OnBreak",
    OFFLINE: "WorkingOffline",
    LOGGED_OUT: "LoggedOut",
}
CHANNEL_NAMES = {1: ("phone", "Phone"), 2: ("chat", "Chat"), 3: ("email", "Email"), 4: ("vmail", "Voicemail")}

QUEUE_KEYS: frozenset[str] = frozenset(
    [f"{name}.rt" for name in (
        "availableIdle", "busy", "busyExternal", "busyOther", "eligible", "enabled", "handling",
        "interactionsHandling", "interactionsWaitInQueue", "interactionsWrapUp", "offering",
        "onBreak", "workingOffline", "wrapUp", "interactionsLongestWaitInQueue")]
    + [f"{name}.{period}" for name in (
        "entered", "accepted", "abandoned", "interactionsAvgWaitTime", "avgHandlingTime",
        "interactionsLongestWaitInQueue", "acceptedPercentage", "abandonedPercentage")
        for period in ("int-15m", "int-30m", "today")]
    + [f"slaPercentage.{period}" for period in ("int-15m", "int-30m", "int-1h", "int-4h", "int-8h", "int-12h", "today")]
    + ["slaPercentageTarget.today", "slaTimeThreshold.today"]
)
"""The queue metrics this simulator knows (a subset of the 101; any other key is a 400)."""

AGENT_KEYS: frozenset[str] = frozenset(
    [f"{name}.rt" for name in (
        "status", "statusCode", "timeOnStatus", "timeOnStatusCode", "lastLogin", "lastStatusChange",
        "activeChannels", "activeInteractionsCount", "loggedInTime")]
    + [f"{name}.{period}" for name in (
        "accepted", "rejected", "loggedInTime", "availableTime", "handlingTime", "averageHandlingTime",
        "wrapUpTime", "onBreakTime", "workingOfflineTime")
        for period in ("int-30m", "today")]
)


def _iso(epoch: float | None) -> str | None:
    if not epoch or epoch <= 0:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _ms(seconds: Any) -> int | None:
    return None if seconds is None or seconds < 0 else int(seconds * 1000)


class Wire:
    """Renders records; ``percent_scale`` is ``fraction`` (the default) or ``percent``."""

    def __init__(self, scenario: RealtimeScenario, percent_scale: str = "fraction") -> None:
        self.scenario = scenario
        self.top = 1.0 if percent_scale == "fraction" else 100.0

    def percent(self, part: int, whole: int) -> float | None:
        return None if not whole else round(self.top * part / whole, 4)

    # --- queues -------------------------------------------------------------------------

    def queue(self, queue: SimQueue) -> dict[str, Any]:
        legacy = queue_wire(self.scenario, queue)
        now = self.scenario.now
        metrics: dict[str, Any] = {
            "availableIdle.rt": legacy["agent-count-waitTransact"],
            "handling.rt": legacy["agent-count-busy"],
            "busy.rt": legacy["agent-count-busy"],
            "busyExternal.rt": 0,
            "busyOther.rt": 0,
            "wrapUp.rt": legacy["agent-count-postProcess"],
            "onBreak.rt": legacy["agent-count-onBreak"],
            "workingOffline.rt": legacy["agent-count-workOffline"],
            "enabled.rt": legacy["enabled-agent-count"],
            "eligible.rt": legacy["enabled-agent-count"],
            "offering.rt": legacy["number-in-offered"],
            "interactionsHandling.rt": legacy["number-in-progress"],
            "interactionsWrapUp.rt": legacy["agent-count-postProcess"],
            "interactionsWaitInQueue.rt": legacy["queue-size"],
            "interactionsLongestWaitInQueue.rt": _ms(legacy["longest-wait-time"]),
            "slaPercentageTarget.today": round(self.top * queue.sla_target / 100, 4),
            "slaTimeThreshold.today": queue.sla_seconds * 1000,
        }
        counted = queue.day_accepted + queue.day_abandoned
        metrics.update({
            "entered.today": queue.day_queued,
            "accepted.today": queue.day_accepted,
            "abandoned.today": queue.day_abandoned,
            "acceptedPercentage.today": self.percent(queue.day_accepted, queue.day_queued),
            "abandonedPercentage.today": self.percent(queue.day_abandoned, queue.day_queued),
            "avgHandlingTime.today": _ms(queue.day_handle_total / queue.day_handled) if queue.day_handled else None,
            "interactionsAvgWaitTime.today": _ms(queue.day_wait_total / queue.day_accepted) if queue.day_accepted else None,
            "interactionsLongestWaitInQueue.today": None,
            "slaPercentage.today": self.percent(queue.day_sla_met, queue.day_sla_counted) if counted else None,
        })
        for period, length in (("int-15m", 900), ("int-30m", 1800)):
            start = now - now % length
            metrics.update(self._interval(queue, period, start))
        hour = int(now // 3600)
        for hours in (1, 4, 8, 12):
            buckets = [queue.sla_hours.get(h, (0, 0)) for h in range(hour - hours, hour + 1)]
            met, total = sum(b[0] for b in buckets), sum(b[1] for b in buckets)
            metrics[f"slaPercentage.int-{hours}h"] = self.percent(met, total)
        return {"id": queue.queue_id, "name": queue.name, "metrics": metrics}

    def _interval(self, queue: SimQueue, period: str, start: float) -> dict[str, Any]:
        events = [e for e in queue.events if e[0] >= start]
        entered = sum(1 for e in events if e[1] == "queued")
        accepted = [e for e in events if e[1] == "accepted"]
        abandoned = [e for e in events if e[1] == "abandoned"]
        handled = [e[3] for e in events if e[1] == "handled"]
        waits = [e[2] for e in accepted + abandoned]
        active = bool(entered or accepted or abandoned or handled)
        if not active:  # the documented reading: an interval without activity is null
            return {f"{name}.{period}": None for name in (
                "entered", "accepted", "abandoned", "acceptedPercentage", "abandonedPercentage", "avgHandlingTime",
                "interactionsAvgWaitTime", "interactionsLongestWaitInQueue", "slaPercentage")}
        sla = [e for e in accepted + abandoned]
        return {
            f"entered.{period}": entered,
            f"accepted.{period}": len(accepted),
            f"abandoned.{period}": len(abandoned),
            f"acceptedPercentage.{period}": self.percent(len(accepted), entered),
            f"abandonedPercentage.{period}": self.percent(len(abandoned), entered),
            f"avgHandlingTime.{period}": _ms(sum(handled) / len(handled)) if handled else None,
            f"interactionsAvgWaitTime.{period}": _ms(sum(e[2] for e in accepted) / len(accepted)) if accepted else None,
            f"interactionsLongestWaitInQueue.{period}": _ms(max(waits)) if waits else None,
            f"slaPercentage.{period}": self.percent(sum(1 for e in sla if e[4]), len(sla)),
        }

    # --- agents -------------------------------------------------------------------------

    def agent(self, agent: SimAgent) -> dict[str, Any]:
        legacy = agent_wire(self.scenario, agent)
        status = legacy["agent-status"]
        word = STATUS_WORDS.get(status, f"Status{status}")  # hostile mode: a word no table has
        channels = []
        if agent.work is not None and status in (OFFERED, BUSY, WRAP):
            channel_id, channel_name = CHANNEL_NAMES.get(agent.media_id, ("other", "Other"))
            channels.append({"id": channel_id, "name": channel_name, "count": 1})
        in_status = legacy["time-in-status"]
        metrics: dict[str, Any] = {
            "status.rt": word,
            "statusCode.rt": legacy["status-code-item-short-code"],
            "timeOnStatus.rt": _ms(in_status),
            "timeOnStatusCode.rt": _ms(in_status) if legacy["status-code-item-short-code"] else None,
            "lastLogin.rt": _iso(agent.last_login),
            "lastStatusChange.rt": _iso(agent.since),
            "activeChannels.rt": channels,
            "activeInteractionsCount.rt": len(channels),
            "loggedInTime.rt": _ms(self.scenario.now - agent.last_login) if agent.last_login and status != LOGGED_OUT else None,
        }
        for period, prefix in (("today", "day"), ("int-30m", "thirty-min")):
            metrics.update({
                f"accepted.{period}": legacy[f"{prefix}-accepted-count"],
                f"rejected.{period}": legacy[f"{prefix}-rejected-count"],
                f"availableTime.{period}": _ms(legacy[f"{prefix}-available-time"]),
                f"handlingTime.{period}": _ms(legacy[f"{prefix}-processing-time"]),
                f"wrapUpTime.{period}": _ms(legacy[f"{prefix}-wrap-up-time"]),
                f"onBreakTime.{period}": _ms(legacy[f"{prefix}-break-time"]),
                f"workingOfflineTime.{period}": _ms(legacy[f"{prefix}-offline-time"]),
            })
        metrics["loggedInTime.today"] = _ms(legacy["day-login-time"])
        metrics["loggedInTime.int-30m"] = None
        metrics["averageHandlingTime.today"] = _ms(legacy["day-avg-processing-time"])
        metrics["averageHandlingTime.int-30m"] = _ms(legacy["thirty-min-avg-handling-time"])
        return {"id": agent.agent_id, "name": agent.name, "groupId": str(agent.group_id), "metrics": metrics}

    def queues(self) -> list[dict[str, Any]]:
        with self.scenario.lock:
            return [self.queue(queue) for queue in self.scenario.queues]

    def agents(self) -> list[dict[str, Any]]:
        with self.scenario.lock:
            return [self.agent(agent) for agent in self.scenario.agents]


def select(record: dict[str, Any], keys: list[str] | None) -> dict[str, Any]:
    """``record`` with only the ``keys`` asked for (all without a selection), as the API's
    ``[{"key", "value"}]`` list in alphabetical key order."""
    metrics = record["metrics"]
    chosen = sorted(metrics) if keys is None else sorted(set(keys))
    out = {key: value for key, value in record.items() if key != "metrics"}
    out["metrics"] = [{"key": key, "value": metrics.get(key)} for key in chosen]
    return out
