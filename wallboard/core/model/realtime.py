"""Immutable, typed records for what the Real Time Statistics API reports.

Each dataclass field carries its wire names (the first is the documented one, the rest
are aliases seen in the vendor's own examples) and a *kind* that says how a raw value
becomes a Python value. The parser is driven entirely by this metadata, so JSON and XML
share one set of rules. ``None`` always means "the server gave no value": an empty
element, a ``-1`` sentinel on a time, count or percentage, or a value that is not a
number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cache
from typing import Any

from wallboard.core.model.codes import AGENT_MEDIA, AGENT_STATUS, QUEUE_MEDIA, Decoded
from wallboard.core.model.states import AgentState
from wallboard.core.model.phone_lines import line_status


class Kind(Enum):
    """How a raw wire value is turned into a typed value."""

    KEY = "key"  # identifier text; a record without one is skipped
    TEXT = "text"  # free text, cleaned of control characters
    WORD = "word"  # short code text, cleaned and lower-cased (queue media type)
    CODE = "code"  # an integer code decoded by a table; -1 is a real code here
    ID = "id"  # a non-negative integer identifier; negatives mean "none"
    COUNT = "count"  # a non-negative integer count
    SECONDS = "seconds"  # a non-negative duration in seconds
    PERCENT = "percent"  # a non-negative percentage
    EPOCH = "epoch"  # UTC seconds since 1970; zero or negative means "none"


_TEXT_KINDS = frozenset({Kind.KEY, Kind.TEXT, Kind.WORD})


def _wire(*names: str, kind: Kind) -> Any:
    default = "" if kind in _TEXT_KINDS else None
    return field(default=default, metadata={"wire": names, "kind": kind})


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent as reported by ``/agents`` or ``/agent/{id}``."""

    agent_id: str = _wire("agent-id", kind=Kind.KEY)
    name: str = _wire("agent-name", kind=Kind.TEXT)
    status: int | None = _wire("agent-status", kind=Kind.CODE)
    media_id: int | None = _wire("agent-media-id", kind=Kind.CODE)
    group_id: int | None = _wire("group-id", kind=Kind.ID)
    time_in_status: int | None = _wire("time-in-status", kind=Kind.SECONDS)
    status_code_item_id: int | None = _wire("status-code-item-id", kind=Kind.ID)
    status_code_short: str = _wire("status-code-item-short-code", kind=Kind.TEXT)
    status_code_list_id: int | None = _wire("status-code-list-id", kind=Kind.ID)
    line1_status: int | None = _wire("phone-line1-status", kind=Kind.CODE)
    line1_status_time: int | None = _wire("phone-line1-status-time", kind=Kind.SECONDS)
    line2_status: int | None = _wire("phone-line2-status", kind=Kind.CODE)
    line2_status_time: int | None = _wire("phone-line2-status-time", kind=Kind.SECONDS)
    last_login_time: int | None = _wire("last-login-time", kind=Kind.EPOCH)
    assigned_skill_count: int | None = _wire("assigned-skill-count", kind=Kind.COUNT)
    enabled_skill_count: int | None = _wire("enabled-skill-count", kind=Kind.COUNT)
    day_accepted_count: int | None = _wire("day-accepted-count", kind=Kind.COUNT)
    day_rejected_count: int | None = _wire(
        "day-rejected-count", "day-offered-count", kind=Kind.COUNT
    )
    day_login_time: int | None = _wire("day-login-time", kind=Kind.SECONDS)
    day_available_time: int | None = _wire("day-available-time", kind=Kind.SECONDS)
    day_processing_time: int | None = _wire("day-processing-time", kind=Kind.SECONDS)
    day_avg_processing_time: int | None = _wire(
        "day-avg-processing-time", "day-avg-handling-time", kind=Kind.SECONDS
    )
    day_wrap_up_time: int | None = _wire("day-wrap-up-time", kind=Kind.SECONDS)
    day_break_time: int | None = _wire("day-break-time", kind=Kind.SECONDS)
    day_offline_time: int | None = _wire("day-offline-time", kind=Kind.SECONDS)
    thirty_min_accepted_count: int | None = _wire("thirty-min-accepted-count", kind=Kind.COUNT)
    thirty_min_rejected_count: int | None = _wire("thirty-min-rejected-count", kind=Kind.COUNT)
    thirty_min_available_time: int | None = _wire(
        "thirty-min-available-time", kind=Kind.SECONDS
    )
    thirty_min_processing_time: int | None = _wire(
        "thirty-min-processing-time", kind=Kind.SECONDS
    )
    thirty_min_avg_handling_time: int | None = _wire(
        "thirty-min-avg-handling-time", kind=Kind.SECONDS
    )
    thirty_min_wrap_up_time: int | None = _wire("thirty-min-wrap-up-time", kind=Kind.SECONDS)
    thirty_min_break_time: int | None = _wire("thirty-min-break-time", kind=Kind.SECONDS)
    thirty_min_offline_time: int | None = _wire("thirty-min-offline-time", kind=Kind.SECONDS)

    @property
    def state(self) -> AgentState:
        return AGENT_STATUS.decode(self.status)

    @property
    def media(self) -> Decoded:
        return AGENT_MEDIA.decode(self.media_id)

    @property
    def line1(self) -> Decoded:
        """Phone line 1, read with its status time and this agent's state."""
        return line_status(1, self.line1_status, self.line1_status_time, self.status, self.media_id)

    @property
    def line2(self) -> Decoded:
        """Phone line 2, read with its status time and this agent's state."""
        return line_status(2, self.line2_status, self.line2_status_time, self.status, self.media_id)

    @property
    def utilisation(self) -> float | None:
        """Share of today's login time spent processing transactions, in percent."""
        if not self.day_login_time or self.day_processing_time is None:
            return None
        return min(100.0, 100.0 * self.day_processing_time / self.day_login_time)


@dataclass(frozen=True, slots=True)
class Queue:
    """One queue as reported by ``/queues`` or ``/queue/{id}``."""

    queue_id: str = _wire("queue-id", kind=Kind.KEY)
    name: str = _wire("queue-name", kind=Kind.TEXT)
    media_type: str = _wire("media-type", kind=Kind.WORD)
    queue_type: str = _wire("queue-type", kind=Kind.TEXT)
    queue_size: int | None = _wire("queue-size", kind=Kind.COUNT)
    longest_wait_time: int | None = _wire("longest-wait-time", kind=Kind.SECONDS)
    number_in_offered: int | None = _wire("number-in-offered", kind=Kind.COUNT)
    number_in_progress: int | None = _wire("number-in-progress", kind=Kind.COUNT)
    sla_activity: float | None = _wire("sla-activity", kind=Kind.PERCENT)
    sla_target: float | None = _wire("sla-target", kind=Kind.PERCENT)
    assigned_agent_count: int | None = _wire("assigned-agent-count", kind=Kind.COUNT)
    enabled_agent_count: int | None = _wire("enabled-agent-count", kind=Kind.COUNT)
    agents_available: int | None = _wire("agent-count-waitTransact", kind=Kind.COUNT)
    agents_busy: int | None = _wire("agent-count-busy", kind=Kind.COUNT)
    agents_post_process: int | None = _wire("agent-count-postProcess", kind=Kind.COUNT)
    agents_on_break: int | None = _wire("agent-count-onBreak", kind=Kind.COUNT)
    agents_work_offline: int | None = _wire("agent-count-workOffline", kind=Kind.COUNT)
    agents_logged_out: int | None = _wire("agent-count-loggedOut", kind=Kind.COUNT)
    day_queued: int | None = _wire("day-queued", "all-day-queued", kind=Kind.COUNT)
    day_accepted: int | None = _wire("day-accepted", "all-day-accepted", kind=Kind.COUNT)
    day_abandoned: int | None = _wire("day-abandoned", "all-day-abandoned", kind=Kind.COUNT)
    day_avg_duration: int | None = _wire(
        "day-avg-duration", "all-day-avg-duration", kind=Kind.SECONDS
    )
    day_avg_wait_time: int | None = _wire(
        "day-avg-wait-time", "all-day-avg-wait-time", kind=Kind.SECONDS
    )
    day_sla_activity: float | None = _wire(
        "day-sla-activity", "all-day-sla-activity", kind=Kind.PERCENT
    )
    thirty_min_queued: int | None = _wire("thirty-min-queued", kind=Kind.COUNT)
    thirty_min_accepted: int | None = _wire("thirty-min-accepted", kind=Kind.COUNT)
    thirty_min_abandoned: int | None = _wire("thirty-min-abandoned", kind=Kind.COUNT)
    thirty_min_avg_duration: int | None = _wire("thirty-min-avg-duration", kind=Kind.SECONDS)
    thirty_min_avg_wait_time: int | None = _wire("thirty-min-avg-wait-time", kind=Kind.SECONDS)
    thirty_min_longest_wait_time: int | None = _wire(
        "thirty-min-longest-wait-time", kind=Kind.SECONDS
    )
    thirty_min_sla_activity: float | None = _wire("thirty-min-sla-activity", kind=Kind.PERCENT)

    @property
    def media(self) -> Decoded:
        return QUEUE_MEDIA.decode(self.media_type or None)

    @property
    def day_abandon_percent(self) -> float | None:
        """Abandoned as a share of accepted plus abandoned today."""
        return abandon_percent(self.day_accepted, self.day_abandoned)

    @property
    def thirty_min_abandon_percent(self) -> float | None:
        return abandon_percent(self.thirty_min_accepted, self.thirty_min_abandoned)


def abandon_percent(accepted: int | None, abandoned: int | None) -> float | None:
    """Abandon rate in percent of handled work, or ``None`` when nothing was handled."""
    if accepted is None or abandoned is None or accepted + abandoned == 0:
        return None
    return 100.0 * abandoned / (accepted + abandoned)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one dataclass field is read from the wire."""

    name: str
    wire_names: tuple[str, ...]
    kind: Kind


@cache
def field_specs(record_type: type) -> tuple[FieldSpec, ...]:
    """The wire description of every field of ``Agent`` or ``Queue``."""
    return tuple(
        FieldSpec(f.name, f.metadata["wire"], f.metadata["kind"]) for f in fields(record_type)
    )
