"""The figures the header shows for the whole tenant."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable

from wallboard.core.model.codes import AGENT_STATUS
from wallboard.core.model.states import AGENT_STATES
from wallboard.core.model.realtime import Agent, Queue

STATE_ORDER = tuple(state.category for state in AGENT_STATES)
_STATUS = attrgetter("status")


@dataclass(frozen=True, slots=True)
class Totals:
    agents_by_state: tuple[tuple[str, int], ...]  # (category, count), in table order, unknown last
    agents: int
    waiting: int | None
    longest_wait: int | None
    longest_wait_queue: str | None


QUEUE_AGENT_COUNTS = (
    ("available", "agents_available"),
    ("busy", "agents_busy"),
    ("wrap", "agents_post_process"),
    ("break", "agents_on_break"),
    ("offline", "agents_work_offline"),
    ("logged_out", "agents_logged_out"),
)
"""A queue's agent counts by the state category they count."""


def queue_agent_counts(queues: Iterable[Queue]) -> Counter[str]:
    """Agents per state from the queues' own counts, summed (an agent serving two of the
    queues counts in each): a "serving" view's agents, as the API gives no membership."""
    counts: Counter[str] = Counter()
    for queue in queues:
        for category, field in QUEUE_AGENT_COUNTS:
            counts[category] += getattr(queue, field) or 0
    return counts


def totals(agents: Iterable[Agent], queues: Iterable[Queue], from_queues: bool = False) -> Totals:
    """The header's totals; ``from_queues``: agents per state from the queues' counts."""
    queues = tuple(queues)
    if from_queues:
        counts = queue_agent_counts(queues)
    else:
        counts = Counter()
        # counted by code, then each code decoded once: thousands of agents share a few codes
        for code, n in Counter(map(_STATUS, agents)).items():
            counts[AGENT_STATUS.decode(code).category] += n
    ordered = [(category, counts[category]) for category in STATE_ORDER]
    ordered += [(category, n) for category, n in sorted(counts.items()) if category not in STATE_ORDER and n]
    queue_list = list(queues)
    sizes = [queue.queue_size for queue in queue_list if queue.queue_size is not None]
    worst = max(
        (queue for queue in queue_list if queue.longest_wait_time is not None),
        key=lambda queue: queue.longest_wait_time,  # type: ignore[arg-type, return-value]
        default=None,
    )
    return Totals(
        agents_by_state=tuple(ordered),
        agents=sum(counts.values()),
        waiting=sum(sizes) if sizes else None,
        longest_wait=worst.longest_wait_time if worst else None,
        longest_wait_queue=worst.name if worst else None,
    )
