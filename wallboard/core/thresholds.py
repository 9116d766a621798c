"""Warning and alert levels for queues and agents, from the configured thresholds.

A level is never told by colour alone: every finding carries a short text ("longest wait
3:05 ≥ 3:00") that the board shows beside the colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from wallboard.config import Thresholds
from wallboard.core import formatting as fmt
from wallboard.core.models import Agent, Queue

BREAK_STATUS = 4


class Level(IntEnum):
    OK = 0
    WARNING = 1
    ALERT = 2

    @property
    def word(self) -> str:
        return ("OK", "WARNING", "ALERT")[self]

    @property
    def mark(self) -> str:
        """A text marker for cells: nothing, ``!`` or ``!!``."""
        return ("", "!", "!!")[self]


@dataclass(frozen=True, slots=True)
class Finding:
    """One threshold crossed: which figure, how badly, and a sentence fragment saying so."""

    metric: str
    level: Level
    text: str


def _level(value: float, warning: float, alert: float) -> Level:
    if value >= alert:
        return Level.ALERT
    if value >= warning:
        return Level.WARNING
    return Level.OK


def sla_target(queue: Queue, thresholds: Thresholds) -> float:
    """The queue's own target when it reports one (non-zero), else the configured default."""
    return queue.sla_target if queue.sla_target else thresholds.sla_target


def queue_findings(queue: Queue, thresholds: Thresholds) -> tuple[Finding, ...]:
    """Every threshold the queue crosses, worst first."""
    findings: list[Finding] = []
    if queue.longest_wait_time is not None:
        level = _level(queue.longest_wait_time, thresholds.longest_wait_warning, thresholds.longest_wait_alert)
        if level:
            limit = thresholds.longest_wait_alert if level is Level.ALERT else thresholds.longest_wait_warning
            findings.append(Finding("longest_wait", level, f"longest wait {fmt.mss(queue.longest_wait_time)} ≥ {fmt.mss(limit)}"))
    if queue.queue_size is not None:
        level = _level(queue.queue_size, thresholds.waiting_warning, thresholds.waiting_alert)
        if level:
            limit = thresholds.waiting_alert if level is Level.ALERT else thresholds.waiting_warning
            findings.append(Finding("waiting", level, f"{queue.queue_size} waiting ≥ {limit}"))
    if queue.sla_activity is not None:
        target = sla_target(queue, thresholds)
        if queue.sla_activity < target:
            level = Level.ALERT if queue.sla_activity < target - thresholds.sla_alert_margin else Level.WARNING
            findings.append(Finding("sla", level, f"SLA {fmt.percent(queue.sla_activity)} < {fmt.percent(target)}"))
    findings.sort(key=lambda finding: -finding.level)
    return tuple(findings)


def queue_level(queue: Queue, thresholds: Thresholds) -> Level:
    return max((finding.level for finding in queue_findings(queue, thresholds)), default=Level.OK)


def metric_level(findings: tuple[Finding, ...], metric: str) -> Level:
    return max((f.level for f in findings if f.metric == metric), default=Level.OK)


def break_level(agent: Agent, seconds_in_state: float | None, thresholds: Thresholds) -> Level:
    """How long an agent has been on break, against the break thresholds."""
    if agent.status != BREAK_STATUS or seconds_in_state is None:
        return Level.OK
    return _level(seconds_in_state, thresholds.break_warning_minutes * 60, thresholds.break_alert_minutes * 60)
