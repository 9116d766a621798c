"""What a queue tile says: every figure as text, and which of them are in trouble."""

from __future__ import annotations

from dataclasses import dataclass

from wallboard.core import formatting as fmt
from wallboard.core.model.realtime import Queue
from wallboard.core.model.states import state_symbol
from wallboard.core.model.thresholds import Finding, Level, Thresholds, metric_level, queue_findings, sla_target


WORKING = (("available", "avail", "agents_available"), ("busy", "busy", "agents_busy"), ("wrap", "wrap", "agents_post_process"))
AWAY = (("break", "break", "agents_on_break"), ("offline", "offline", "agents_work_offline"), ("logged_out", "out", "agents_logged_out"))
"""The tile's two lines of agent counts: (state, the tile's word for it, the queue's count)."""


def _agent_counts(queue: Queue, line: tuple[tuple[str, str, str], ...]) -> str:
    """``● 3 avail  ■ 5 busy  ◆ 1 wrap``, each state's symbol from the state table."""
    return "  ".join(f"{state_symbol(state)} {fmt.count(getattr(queue, field))} {word}" for state, word, field in line)


def _intervals_line(queue: Queue) -> str:
    """The tile's interval line: v5's 15 min / 1 h / 4 h service level where the source has
    them, else the legacy 30-minute service level and wait."""
    if queue.has_intervals:
        return (
            f"SLA 15m {fmt.percent(queue.fifteen_min_sla_activity)} · 1h {fmt.percent(queue.sla_1h)}"
            f" · 4h {fmt.percent(queue.sla_4h)}"
        )
    return f"30m SLA {fmt.percent(queue.thirty_min_sla_activity)} · wait {fmt.mss(queue.thirty_min_avg_wait_time)}"


@dataclass(frozen=True, slots=True)
class QueueText:
    title: str
    media: str
    waiting: str
    longest: str
    longest_value: str
    sla: str
    sla_value: str
    sla_caption: str
    sla_30: str
    agents_working: str
    agents_away: str
    today: str
    thirty: str
    status: str
    level: Level
    waiting_level: Level
    longest_level: Level
    sla_level: Level
    findings: tuple[Finding, ...]


def queue_text(queue: Queue, thresholds: Thresholds) -> QueueText:
    findings = queue_findings(queue, thresholds)
    level = max((f.level for f in findings), default=Level.OK)
    target = sla_target(queue, thresholds)
    if findings:
        status = f"{'▲ ALERT' if level is Level.ALERT else '△ WARNING'}: " + "; ".join(f.text for f in findings)
    else:
        status = "✓ OK"
    return QueueText(
        title=queue.name or queue.queue_id,
        media=queue.media.label,
        waiting=fmt.count(queue.queue_size),
        longest=f"longest {fmt.mss(queue.longest_wait_time)}",
        longest_value=fmt.mss(queue.longest_wait_time),
        sla=f"SLA {fmt.percent(queue.sla_activity)} / {fmt.percent(target)}",
        sla_value=fmt.count(None if queue.sla_activity is None else round(queue.sla_activity)),
        sla_caption=f"SLA % · target {fmt.percent(target)}",
        sla_30=_intervals_line(queue),
        agents_working=_agent_counts(queue, WORKING),
        agents_away=_agent_counts(queue, AWAY),
        today=(
            f"Today  {fmt.count(queue.day_accepted)} acc · {fmt.count(queue.day_abandoned)} ab · "
            f"{fmt.percent(queue.day_abandon_percent, 1)}"
        ),
        thirty=(
            f"30 min {fmt.count(queue.thirty_min_accepted)} acc · {fmt.count(queue.thirty_min_abandoned)} ab · "
            f"{fmt.percent(queue.thirty_min_abandon_percent, 1)}"
        ),
        status=status,
        level=level,
        waiting_level=metric_level(findings, "waiting"),
        longest_level=metric_level(findings, "longest_wait"),
        sla_level=metric_level(findings, "sla"),
        findings=findings,
    )
