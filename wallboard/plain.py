"""A plain-text rendering of agents and queues, for terminals that are not interactive.

``wallboard run`` / ``demo`` print this once per refresh when standard output is not a
terminal (a pipe, a log file, a cron job), so the data can still be read and recorded.
"""

from __future__ import annotations

from typing import Sequence

from wallboard.config import Thresholds
from wallboard.core import formatting as fmt
from wallboard.core.models import Agent, Queue
from wallboard.core.thresholds import sla_target


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out.extend("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
    return out


def render_agents(agents: Sequence[Agent]) -> list[str]:
    rows = [
        (
            agent.name[:28] or agent.agent_id,
            f"{agent.state.symbol} {agent.state.label}",
            agent.status_code_short or "",
            fmt.clock(agent.time_in_status),
            agent.media.label,
            agent.line1.label,
            agent.line2.label,
            fmt.count(agent.group_id),
        )
        for agent in sorted(agents, key=lambda a: (a.name.lower(), a.agent_id))
    ]
    return _table(("Agent", "State", "Reason", "In state", "Media", "Line 1", "Line 2", "Group"), rows)


def render_queues(queues: Sequence[Queue], thresholds: Thresholds) -> list[str]:
    """Queues as a table; Target is the SLA target the board judges by (its own or the config's)."""
    rows = [
        (
            queue.name[:28] or queue.queue_id,
            queue.media.label,
            fmt.count(queue.queue_size),
            fmt.mss(queue.longest_wait_time),
            fmt.percent(queue.sla_activity),
            fmt.percent(sla_target(queue, thresholds)),
            fmt.count(queue.agents_available),
            fmt.count(queue.agents_busy),
            fmt.count(queue.agents_on_break),
            fmt.count(queue.day_accepted),
            fmt.count(queue.day_abandoned),
        )
        for queue in sorted(queues, key=lambda q: (q.name.lower(), q.queue_id))
    ]
    return _table(
        ("Queue", "Media", "Waiting", "Longest", "SLA", "Target", "Avail", "Busy", "Break", "Accepted", "Abandoned"),
        rows,
    )
