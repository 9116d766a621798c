"""Warning and alert levels for queues and agents, from the configured thresholds.

A level is never told by colour alone: every finding carries a short text ("longest wait
3:05 ≥ 3:00") that the board shows beside the colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from wallboard.core import formatting as fmt
from wallboard.core.model.realtime import Agent, Queue



@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a queue or agent turns to warning or alert. Times in seconds unless named.

    A core type: the config file's ``[thresholds]`` fills one
    (:func:`wallboard.config.settings_from_mapping`), and every rule below reads it. Queue
    rules judge a queue by :meth:`for_queue`, the one place a later per-queue rule
    (targets per queue or per name pattern) changes what applies; every view follows.
    """

    longest_wait_warning: int = 60
    longest_wait_alert: int = 180
    waiting_warning: int = 5
    waiting_alert: int = 10
    sla_target: float = 80.0
    sla_alert_margin: float = 10.0
    break_warning_minutes: int = 15
    break_alert_minutes: int = 30

    def for_queue(self, queue: Queue) -> "Thresholds":
        """The thresholds that judge ``queue``: today the same for every queue."""
        return self


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


SLA_TARGET_RANGE = (1.0, 100.0)
"""A queue's ``sla-target`` is read as a percentage only inside this range."""


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """The SLA percentage a queue is judged against, where it came from, and why."""

    percent: float
    source: str  # "queue": the service's sla-target; "config": thresholds.sla_target
    note: str  # for the queue detail: which one is used and why


def choose_sla_target(queue: Queue, thresholds: Thresholds) -> SlaTarget:
    """The SLA target to judge ``queue`` by: its own ``sla-target`` when plausible.

    The vendor describes ``sla-target`` only as "target hours for raising SLA ... the
    configuration from SLA tab of this queue"; nothing confirms it is a percentage, and
    the vendor's own examples send 0. So the service's value counts as a percentage only
    when it is one that makes sense as a target (1 to 100); otherwise (absent, -1, 0, a
    fraction, more than 100) the configured ``thresholds.sla_target`` is used, and the
    note says why. Every rule about SLA targets lives here, so a later one (say a
    per-queue target in the config) extends this function and every view follows.
    """
    own = queue.sla_target
    thresholds = thresholds.for_queue(queue)
    low, high = SLA_TARGET_RANGE
    if own is not None and low <= own <= high:
        return SlaTarget(own, "queue", "the queue's own target")
    configured = thresholds.sla_target
    if own is None:
        return SlaTarget(configured, "config", "from the config: the queue sends no sla-target")
    return SlaTarget(
        configured, "config", f"from the config: the queue's sla-target {own:g} is not a percentage from 1 to 100"
    )


def sla_target(queue: Queue, thresholds: Thresholds) -> float:
    """The SLA percentage ``queue`` is judged against (see :func:`choose_sla_target`)."""
    return choose_sla_target(queue, thresholds).percent


def queue_findings(queue: Queue, thresholds: Thresholds) -> tuple[Finding, ...]:
    """Every threshold the queue crosses, worst first."""
    thresholds = thresholds.for_queue(queue)
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
    if not agent.state.on_break or seconds_in_state is None:
        return Level.OK
    return _level(seconds_in_state, thresholds.break_warning_minutes * 60, thresholds.break_alert_minutes * 60)
