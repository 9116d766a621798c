"""The real-time model: one agent, one queue, as every view draws them.

A parser per source fills these records (:mod:`wallboard.core.wire.rtstats` reads the
Real Time Statistics API; another source would map its own fields and units onto the
same ones). Counts are counts, durations are seconds, percentages are 0 to 100, times are
epoch seconds, and ``None`` always means "the source gave no value" (shown as "—",
never as 0): a field the source does not have stays ``None``.

The Contact Center Real-time Metrics API (v5, :mod:`wallboard.core.wire.ccrealtime`) has
figures the legacy API lacks: the last 15 minutes, service level over 1, 4, 8 and 12
hours, the service-level threshold, agents' active channels and time on status code.
Those fields come last in each record and stay ``None`` (or empty) on the legacy source.

Records are :class:`msgspec.Struct` classes rather than dataclasses: a large tenant's
answer makes thousands of them every refresh, and a Struct is built in C (positional
arguments in field order, as the parsers give them) at a tenth of a slotted dataclass's
cost; with ``gc=False`` the garbage collector never tracks them (they hold only numbers,
text and tuples of text, so they can be in no reference cycle). Change one with
:func:`msgspec.structs.replace`; list its fields with :func:`msgspec.structs.fields`.
"""

from __future__ import annotations

import msgspec

from wallboard.core.model.codes import AGENT_MEDIA, AGENT_STATUS, QUEUE_MEDIA, Decoded
from wallboard.core.model.states import AgentState
from wallboard.core.model.phone_lines import line_status


class Agent(msgspec.Struct, frozen=True, gc=False):
    """One agent: state, phone lines, and today's and the last 30 minutes' figures."""

    agent_id: str = ""
    name: str = ""
    status: int | None = None
    media_id: int | None = None
    group_id: int | None = None
    time_in_status: int | None = None
    status_code_item_id: int | None = None
    status_code_short: str = ""
    status_code_list_id: int | None = None
    line1_status: int | None = None
    line1_status_time: int | None = None
    line2_status: int | None = None
    line2_status_time: int | None = None
    last_login_time: int | None = None
    assigned_skill_count: int | None = None
    enabled_skill_count: int | None = None
    day_accepted_count: int | None = None
    day_rejected_count: int | None = None
    day_login_time: int | None = None
    day_available_time: int | None = None
    day_processing_time: int | None = None
    day_avg_processing_time: int | None = None
    day_wrap_up_time: int | None = None
    day_break_time: int | None = None
    day_offline_time: int | None = None
    thirty_min_accepted_count: int | None = None
    thirty_min_rejected_count: int | None = None
    thirty_min_available_time: int | None = None
    thirty_min_processing_time: int | None = None
    thirty_min_avg_handling_time: int | None = None
    thirty_min_wrap_up_time: int | None = None
    thirty_min_break_time: int | None = None
    thirty_min_offline_time: int | None = None
    # --- only the Contact Center Real-time Metrics API (v5) has these -----------------
    time_on_status_code: int | None = None
    channels: tuple[str, ...] = ()
    """Active channels as ``"Phone ×1"``: what the agent is handling right now."""
    active_interactions: int | None = None

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


class Queue(msgspec.Struct, frozen=True, gc=False):
    """One queue: what waits, its service level, its agents, today and the last 30 minutes."""

    queue_id: str = ""
    name: str = ""
    media_type: str = ""
    queue_type: str = ""
    queue_size: int | None = None
    longest_wait_time: int | None = None
    number_in_offered: int | None = None
    number_in_progress: int | None = None
    sla_activity: float | None = None
    sla_target: float | None = None
    assigned_agent_count: int | None = None
    enabled_agent_count: int | None = None
    agents_available: int | None = None
    agents_busy: int | None = None
    agents_post_process: int | None = None
    agents_on_break: int | None = None
    agents_work_offline: int | None = None
    agents_logged_out: int | None = None
    day_queued: int | None = None
    day_accepted: int | None = None
    day_abandoned: int | None = None
    day_avg_duration: int | None = None
    day_avg_wait_time: int | None = None
    day_sla_activity: float | None = None
    thirty_min_queued: int | None = None
    thirty_min_accepted: int | None = None
    thirty_min_abandoned: int | None = None
    thirty_min_avg_duration: int | None = None
    thirty_min_avg_wait_time: int | None = None
    thirty_min_longest_wait_time: int | None = None
    thirty_min_sla_activity: float | None = None
    # --- only the Contact Center Real-time Metrics API (v5) has these -----------------
    fifteen_min_queued: int | None = None
    fifteen_min_accepted: int | None = None
    fifteen_min_abandoned: int | None = None
    fifteen_min_avg_wait_time: int | None = None
    fifteen_min_sla_activity: float | None = None
    sla_1h: float | None = None
    sla_4h: float | None = None
    sla_8h: float | None = None
    sla_12h: float | None = None
    sla_threshold: int | None = None
    """Seconds within which an answer counts toward the service level."""

    @property
    def has_intervals(self) -> bool:
        """The source gave interval figures (15 minutes, hours): the v5 API does."""
        return any(
            value is not None
            for value in (self.fifteen_min_accepted, self.fifteen_min_sla_activity, self.sla_1h, self.sla_4h)
        )

    @property
    def fifteen_min_abandon_percent(self) -> float | None:
        return abandon_percent(self.fifteen_min_accepted, self.fifteen_min_abandoned)

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
