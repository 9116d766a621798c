"""Pushed changes laid over the polled snapshot, until a poll has surely caught up.

The event stream tells of an agent's new state (or a queue gaining or losing a waiting
interaction) within a second; the polled API tells the same only after its cache
refreshes. So the board shows the polled records with the pushed changes laid over them
(:meth:`PushOverlay.merge`), and each change is dropped once a poll *answered at least
one cache period after the change was applied* arrives: that answer comes from a cache
refreshed after the change, so it is the authority and corrects any drift (a missed or
wrong event never lasts longer than that). Until then a poll that still shows the old
state cannot undo the pushed one, so nothing flickers back.

An agent's time in state counts from the pushed change: the record's ``time_in_status``
is set so that, with the feed's age added as every view does, it reads the seconds
since the change.

What the header says of the stream is :class:`~wallboard.core.model.snapshot.PushStatus`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from msgspec.structs import replace as with_changes  # the records are msgspec Structs

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, PushStatus, Snapshot  # noqa: F401 (PushStatus: re-exported)


@dataclass(slots=True)
class _AgentChange:
    state: int | str
    reason_list: int | None
    reason_item: int | None
    applied: float  # monotonic seconds


@dataclass(slots=True)
class PushOverlay:
    """The pushed changes not yet confirmed by a poll, and how to lay them over one."""

    period: float
    """The cache period: a poll answered this long after a change has seen it."""
    margin: float = 1.0
    agents: dict[str, _AgentChange] = field(default_factory=dict)
    queues: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    version: int = 0
    """Increments with every change applied, so views redraw."""

    def agent_status(self, agent_id: str, state: int | str, mono: float, reason_list: int | None = None, reason_item: int | None = None) -> None:
        self.agents[agent_id] = _AgentChange(state, reason_list, reason_item, mono)
        self.version += 1

    def queue_delta(self, queue_id: str, delta: int, mono: float) -> None:
        self.queues.setdefault(queue_id, []).append((delta, mono))
        self.version += 1

    def expire(self, agents_answered: float | None, queues_answered: float | None) -> None:
        """Drop the changes that polls answered at those moments have surely seen."""
        pending = self.pending
        if agents_answered is not None:
            horizon = agents_answered - self.period - self.margin
            self.agents = {key: change for key, change in self.agents.items() if change.applied > horizon}
        if queues_answered is not None:
            horizon = queues_answered - self.period - self.margin
            kept = {key: [(d, t) for d, t in changes if t > horizon] for key, changes in self.queues.items()}
            self.queues = {key: changes for key, changes in kept.items() if changes}
        if self.pending != pending:
            self.version += 1  # the records change back even when the poll that confirmed it did not

    @property
    def pending(self) -> int:
        return len(self.agents) + sum(len(changes) for changes in self.queues.values())

    def merge(self, snapshot: Snapshot) -> Snapshot:
        """``snapshot`` with the pending changes laid over its records.

        Once anything was pushed, both feeds' versions carry the overlay's (both counters
        only grow), so a view redraws when a change is laid over and when it is dropped."""
        self.expire(snapshot.agents.received_mono, snapshot.queues.received_mono)
        if self.version == 0:
            return snapshot
        agents, queues = snapshot.agents, snapshot.queues
        agent_records = tuple(self._agent(r, agents) for r in agents.records) if self.agents else agents.records
        queue_records = tuple(self._queue(r) for r in queues.records) if self.queues else queues.records
        return replace(
            snapshot,
            agents=replace(agents, records=agent_records, version=agents.version + self.version),
            queues=replace(queues, records=queue_records, version=queues.version + self.version),
        )

    def _agent(self, record: Agent, feed: Feed) -> Agent:
        change = self.agents.get(record.agent_id)
        if change is None:
            return record
        since = feed.records_since if feed.records_since is not None else change.applied
        reason = {}
        if change.reason_item is not None or change.reason_list is not None:
            reason = {"status_code_item_id": change.reason_item, "status_code_list_id": change.reason_list, "status_code_short": ""}
        elif change.state != record.status:
            reason = {"status_code_item_id": None, "status_code_list_id": None, "status_code_short": ""}
        # shown time = time_in_status + (now - since): make it read the seconds since the change
        return with_changes(record, status=change.state, time_in_status=round(since - change.applied), **reason)  # type: ignore[arg-type]

    def _queue(self, record: Queue) -> Queue:
        changes = self.queues.get(record.queue_id)
        if not changes or record.queue_size is None:
            return record
        return with_changes(record, queue_size=max(0, record.queue_size + sum(delta for delta, _ in changes)))

