"""Warning and alert levels for queues and agents, from the configured thresholds.

A level is never told by colour alone: every finding carries a short text ("longest wait
3:05 ≥ 3:00") that the board shows beside the colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum

from wallboard.core import formatting as fmt
from wallboard.core.model.queue_match import QueueKey
from wallboard.core.model.realtime import Agent, Queue

QUEUE_KEYS = ("longest_wait_warning", "longest_wait_alert", "waiting_warning", "waiting_alert", "sla_target", "sla_alert_margin")
"""The keys of ``[thresholds]`` a per-queue rule may change (the break keys judge agents)."""


@dataclass(frozen=True, slots=True)
class QueueRule:
    """``[thresholds.queues."KEY"]``: the thresholds it changes for the queues ``key`` names."""

    key: QueueKey
    overrides: tuple[tuple[str, float | int], ...]
    origin: str = ""
    """Where the rule was written (the config file's path)."""

    @property
    def label(self) -> str:
        return f'thresholds.queues."{self.key.key}"'



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
    queue_rules: tuple[QueueRule, ...] = ()
    """Per-queue rules, in file order: the first whose key matches a queue applies to it."""
    origin: str = field(default="", compare=False)
    """Where ``[thresholds]`` was read from (the config file), or empty for the defaults."""

    def rule_for(self, queue: Queue) -> QueueRule | None:
        """The first per-queue rule whose key names ``queue`` (file order), or ``None``."""
        for rule in self.queue_rules:
            if rule.key.matches(queue):
                return rule
        return None

    def for_queue(self, queue: Queue) -> "Thresholds":
        """The thresholds that judge ``queue``: ``[thresholds]`` with the first matching
        per-queue rule's keys put over it."""
        rule = self.rule_for(queue) if self.queue_rules else None
        if rule is None:
            return self
        return replace(self, **dict(rule.overrides), queue_rules=())


def rule_note(queue: Queue, thresholds: Thresholds) -> str:
    """For the queue detail: which thresholds judge ``queue``, and where they come from."""
    rule = thresholds.rule_for(queue)
    if rule is not None:
        how = rule.key.how(queue) or ""
        changed = ", ".join(f"{name} {value:g}" for name, value in rule.overrides) or "nothing"
        where = f" in {rule.origin}" if rule.origin else ""
        return f"{rule.label}{where}, which matches {how}: {changed}; the rest from [thresholds]"
    if thresholds.origin:
        ruled = "; no per-queue rule matches this queue" if thresholds.queue_rules else ""
        return f"[thresholds] in {thresholds.origin}{ruled}"
    return "the built-in defaults (the config sets no [thresholds])"


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
    source: str  # "queue": the service's sla-target; "config": thresholds.sla_target; "rule": a per-queue rule
    note: str  # for the queue detail: which one is used and why


def choose_sla_target(queue: Queue, thresholds: Thresholds) -> SlaTarget:
    """The SLA target to judge ``queue`` by: its own ``sla-target`` when plausible.

    The vendor describes ``sla-target`` only as "target hours for raising SLA ... the
    configuration from SLA tab of this queue"; nothing confirms it is a percentage, and
    the vendor's own examples send 0. So the service's value counts as a percentage only
    when it is one that makes sense as a target (1 to 100); otherwise (absent, -1, 0, a
    fraction, more than 100) the configured ``thresholds.sla_target`` is used, and the
    note says why. A per-queue rule of the config that sets ``sla_target`` comes first of
    all: someone wrote it for this queue on purpose. Every rule about SLA targets lives
    here, and every view follows.
    """
    own = queue.sla_target
    rule = thresholds.rule_for(queue) if thresholds.queue_rules else None
    thresholds = thresholds.for_queue(queue)
    if rule is not None and any(name == "sla_target" for name, _ in rule.overrides):
        return SlaTarget(thresholds.sla_target, "rule", f"from the config's {rule.label}")
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
    target = sla_target(queue, thresholds)  # before for_queue: it tells a rule's target apart
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
