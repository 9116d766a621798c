"""The summary of a view: the figures a floor reads first, computed from the fields.

* **waiting now**: the queues' ``queue-size``, summed;
* **longest wait**: the longest ``longest-wait-time`` of the queues, and whose;
* **service level today**: each queue's ``day-sla-activity`` weighted by the
  interactions it queued today (``day-queued``), so a queue of 500 calls counts 500
  times as much as a queue of one, never an average of percentages; queues with no SLA
  value yet (-1) or nothing queued are left out; none left: ``—``;
* **abandon rate today**: abandoned / (accepted + abandoned), summed over the queues
  first (the same rule as each queue's rate);
* **agents available / busy / on break**: from the agents' states, ``busy`` counting
  offered, busy and post-processing; a "serving" view (no membership from the API) takes
  the queues' own counts instead (:mod:`wallboard.core.views.selection`);
* **occupancy today**: the share of the agents' handling time (processing plus wrap-up)
  in their handling plus available time, today: time on interactions out of time
  ready for them. Breaks, offline and logged-out time are not part of it. A "serving"
  view cannot say whose times to add: ``—``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from wallboard.core import formatting as fmt
from wallboard.core.model.realtime import Agent, Queue, abandon_percent
from wallboard.core.model.states import state_symbol
from wallboard.core.views.totals import queue_agent_counts

BUSY = ("offered", "busy", "wrap")
"""The states counted as busy in the summary: working on an interaction."""


@dataclass(frozen=True, slots=True)
class Summary:
    waiting: int | None
    longest_wait: int | None
    longest_queue: str | None
    sla_today: float | None
    abandon_today: float | None
    available: int
    busy: int
    on_break: int
    occupancy: float | None


def weighted_sla(queues: Iterable[Queue]) -> float | None:
    """``day-sla-activity`` weighted by ``day-queued`` (see the module doc)."""
    total = weight = 0.0
    for queue in queues:
        if queue.day_sla_activity is None or not queue.day_queued:
            continue
        total += queue.day_sla_activity * queue.day_queued
        weight += queue.day_queued
    return total / weight if weight else None


def occupancy(agents: Iterable[Agent]) -> float | None:
    """Handling time out of handling plus available time today, in percent."""
    handling = ready = 0
    for agent in agents:
        if agent.day_processing_time is None and agent.day_available_time is None:
            continue
        work = (agent.day_processing_time or 0) + (agent.day_wrap_up_time or 0)
        handling += work
        ready += work + (agent.day_available_time or 0)
    return 100.0 * handling / ready if ready else None


def summarise(agents: tuple[Agent, ...], queues: tuple[Queue, ...], from_queues: bool = False) -> Summary:
    sizes = [q.queue_size for q in queues if q.queue_size is not None]
    worst = max((q for q in queues if q.longest_wait_time is not None), key=lambda q: q.longest_wait_time or 0, default=None)
    accepted = [q.day_accepted for q in queues if q.day_accepted is not None]
    abandoned = [q.day_abandoned for q in queues if q.day_abandoned is not None]
    if from_queues:
        counts = queue_agent_counts(queues)
        available, busy, on_break = counts["available"], counts["busy"] + counts["wrap"], counts["break"]
        occupied = None
    else:
        states = [agent.state.category for agent in agents]
        available = states.count("available")
        busy = sum(states.count(state) for state in BUSY)
        on_break = states.count("break")
        occupied = occupancy(agents)
    return Summary(
        waiting=sum(sizes) if sizes else None,
        longest_wait=worst.longest_wait_time if worst else None,
        longest_queue=(worst.name or worst.queue_id) if worst else None,
        sla_today=weighted_sla(queues),
        abandon_today=abandon_percent(sum(accepted), sum(abandoned)) if accepted and abandoned else None,
        available=available,
        busy=busy,
        on_break=on_break,
        occupancy=occupied,
    )


def summary_parts(summary: Summary) -> tuple[tuple[str, str], ...]:
    """(caption, figure) pairs, in the order the strip shows them."""
    longest = fmt.mss(summary.longest_wait)
    return (
        ("waiting", fmt.count(summary.waiting)),
        ("longest", longest),
        ("SLA today", fmt.percent(summary.sla_today)),
        ("abandoned", fmt.percent(summary.abandon_today, 1)),
        ("avail", str(summary.available)),
        ("busy", str(summary.busy)),
        ("break", str(summary.on_break)),
        ("occupancy", fmt.percent(summary.occupancy)),
    )


def short_line(summary: Summary) -> str:
    """The summary in 80 columns: ``wait 5 · longest 18:33 · SLA today 82% · aband 3.5% · ●8 ■18 ‖6 · occ 76%``."""
    return (
        f"wait {fmt.count(summary.waiting)} · longest {fmt.mss(summary.longest_wait)} · "
        f"SLA today {fmt.percent(summary.sla_today)} · aband {fmt.percent(summary.abandon_today, 1)} · "
        f"{state_symbol('available')}{summary.available} {state_symbol('busy')}{summary.busy} "
        f"{state_symbol('break')}{summary.on_break} · occ {fmt.percent(summary.occupancy)}"
    )


def summary_line(summary: Summary) -> str:
    """``waiting 5 · longest 18:33 (outbound queue) · SLA today — · ...``: one line."""
    parts = []
    for caption, figure in summary_parts(summary):
        text = f"{caption} {figure}"
        if caption == "longest" and summary.longest_queue and summary.longest_wait:
            text += f" ({summary.longest_queue})"
        parts.append(text)
    return " · ".join(parts)
