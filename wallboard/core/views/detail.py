"""Every field of one agent or queue, decoded and with units, for the detail screens.

Rows are (label, value) or (label, today, last 30 minutes) so the screens can show day
and 30-minute figures side by side. Seconds are h:mm:ss, epochs are local time, a
missing value is an em dash. Labels follow the vendor's field table: an average is
marked as one (the 30-minute available time is an average beside totals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from wallboard.core import formatting as fmt
from wallboard.core.model.codes import NO_VALUE
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.thresholds import Thresholds, break_level, choose_sla_target, queue_findings, rule_note


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[tuple[str, ...], ...]
    columns: tuple[str, ...] = ("", "")


def _utilisation(processing: int | None, total: int | None) -> str:
    if processing is None or not total:
        return NO_VALUE
    return fmt.percent(min(100.0, 100.0 * processing / total), 1)


def agent_sections(agent: Agent, seconds_in_state: int | None, thresholds: Thresholds, zone: tzinfo | None) -> tuple[Section, ...]:
    state = agent.state
    level = break_level(agent, seconds_in_state, thresholds)
    in_state = fmt.hms(seconds_in_state) + (f"  ({level.word.lower()}: break over threshold)" if level else "")
    reason = agent.status_code_short or NO_VALUE
    if agent.status_code_item_id is not None or agent.status_code_list_id is not None:
        reason += f"  (item {fmt.count(agent.status_code_item_id)}, list {fmt.count(agent.status_code_list_id)})"
    now = Section(
        "Now",
        (
            ("Name", agent.name or NO_VALUE),
            ("Login id", agent.agent_id),
            ("Group", fmt.count(agent.group_id)),
            ("State", f"{state.symbol} {state.label}"),
            ("Reason code", reason),
            ("Time in state", in_state),
            ("Media", agent.media.label),
            ("Phone line 1", _line(agent.line1.label, agent.line1_status_time)),
            ("Phone line 2", _line(agent.line2.label, agent.line2_status_time)),
            ("Last login", fmt.local_time(agent.last_login_time, zone)),
            ("Skills enabled", f"{fmt.count(agent.enabled_skill_count)} of {fmt.count(agent.assigned_skill_count)}"),
            *_v5_agent_rows(agent),
        ),
    )
    activity = Section(
        "Activity",
        (
            ("Accepted", fmt.count(agent.day_accepted_count), fmt.count(agent.thirty_min_accepted_count)),
            ("Rejected", fmt.count(agent.day_rejected_count), fmt.count(agent.thirty_min_rejected_count)),
            # The service gives no 30-minute login time, and its 30-minute available time is an
            # average, not a total (the seed: "Average available time in last 30 minutes"), so
            # neither a 30-minute login time nor a 30-minute utilisation can be derived.
            ("Logged in", fmt.hms(agent.day_login_time), NO_VALUE),
            ("Available", fmt.hms(agent.day_available_time), _average(agent.thirty_min_available_time)),
            ("Processing", fmt.hms(agent.day_processing_time), fmt.hms(agent.thirty_min_processing_time)),
            ("Avg handling", fmt.hms(agent.day_avg_processing_time), fmt.hms(agent.thirty_min_avg_handling_time)),
            ("Wrap-up", fmt.hms(agent.day_wrap_up_time), fmt.hms(agent.thirty_min_wrap_up_time)),
            ("Break", fmt.hms(agent.day_break_time), fmt.hms(agent.thirty_min_break_time)),
            ("Offline", fmt.hms(agent.day_offline_time), fmt.hms(agent.thirty_min_offline_time)),
            ("Utilisation", _utilisation(agent.day_processing_time, agent.day_login_time), NO_VALUE),
        ),
        ("Today", "Last 30 min"),
    )
    return now, activity


def queue_sections(queue: Queue, thresholds: Thresholds) -> tuple[Section, ...]:
    target = choose_sla_target(queue, thresholds)
    findings = queue_findings(queue, thresholds)
    now = Section(
        "Now",
        (
            ("Queue", queue.name or NO_VALUE),
            ("Queue id", queue.queue_id),
            ("Media", queue.media.label),
            ("Type", queue.queue_type or NO_VALUE),
            ("Waiting", fmt.count(queue.queue_size)),
            ("Longest wait", fmt.mss(queue.longest_wait_time)),
            ("Being offered", fmt.count(queue.number_in_offered)),
            ("In progress", fmt.count(queue.number_in_progress)),
            ("SLA now", fmt.percent(queue.sla_activity)),
            ("SLA target", f"{fmt.percent(target.percent)}  ({target.note})"),
            ("Status", "; ".join(f.text for f in findings) or "OK"),
            ("Thresholds", rule_note(queue, thresholds)),
        ),
    )
    agents = Section(
        "Agents",
        (
            ("Assigned", fmt.count(queue.assigned_agent_count)),
            ("Enabled", fmt.count(queue.enabled_agent_count)),
            ("Available", fmt.count(queue.agents_available)),
            ("Busy (incl. offered)", fmt.count(queue.agents_busy)),
            ("Post-processing", fmt.count(queue.agents_post_process)),
            ("On break", fmt.count(queue.agents_on_break)),
            ("Work offline", fmt.count(queue.agents_work_offline)),
            ("Logged out", fmt.count(queue.agents_logged_out)),
        ),
    )
    activity = Section(
        "Activity",
        (
            ("Queued", fmt.count(queue.day_queued), fmt.count(queue.thirty_min_queued)),
            ("Accepted", fmt.count(queue.day_accepted), fmt.count(queue.thirty_min_accepted)),
            ("Abandoned", fmt.count(queue.day_abandoned), fmt.count(queue.thirty_min_abandoned)),
            ("Abandon rate", fmt.percent(queue.day_abandon_percent, 1), fmt.percent(queue.thirty_min_abandon_percent, 1)),
            ("Avg duration", fmt.hms(queue.day_avg_duration), fmt.hms(queue.thirty_min_avg_duration)),
            ("Avg wait", fmt.hms(queue.day_avg_wait_time), fmt.hms(queue.thirty_min_avg_wait_time)),
            ("Longest wait", NO_VALUE, fmt.hms(queue.thirty_min_longest_wait_time)),
            ("SLA", fmt.percent(queue.day_sla_activity), fmt.percent(queue.thirty_min_sla_activity)),
        ),
        ("Today", "Last 30 min"),
    )
    if not queue.has_intervals:
        return now, agents, activity
    return now, agents, activity, *interval_sections(queue)


def interval_sections(queue: Queue) -> tuple[Section, ...]:
    """What the v5 API adds: the last 15 and 30 minutes beside today, and the service level
    over 1, 4, 8 and 12 hours (the legacy API has none of these: no section there)."""
    intervals = Section(
        "Intervals",
        (
            ("Queued", fmt.count(queue.fifteen_min_queued), fmt.count(queue.thirty_min_queued), fmt.count(queue.day_queued)),
            ("Accepted", fmt.count(queue.fifteen_min_accepted), fmt.count(queue.thirty_min_accepted), fmt.count(queue.day_accepted)),
            ("Abandoned", fmt.count(queue.fifteen_min_abandoned), fmt.count(queue.thirty_min_abandoned), fmt.count(queue.day_abandoned)),
            ("Avg wait", fmt.hms(queue.fifteen_min_avg_wait_time), fmt.hms(queue.thirty_min_avg_wait_time), fmt.hms(queue.day_avg_wait_time)),
            ("SLA", fmt.percent(queue.fifteen_min_sla_activity), fmt.percent(queue.thirty_min_sla_activity), fmt.percent(queue.day_sla_activity)),
        ),
        ("15 min", "30 min", "Today"),
    )
    hours = Section(
        "Service level",
        (
            ("SLA", fmt.percent(queue.sla_1h), fmt.percent(queue.sla_4h), fmt.percent(queue.sla_8h), fmt.percent(queue.sla_12h)),
            ("Answered within", fmt.hms(queue.sla_threshold), "", "", ""),
        ),
        ("1 h", "4 h", "8 h", "12 h"),
    )
    return intervals, hours


def _v5_agent_rows(agent: Agent) -> tuple[tuple[str, str], ...]:
    """Rows only the v5 API fills (none on the legacy source, so its screens stay as they were)."""
    if agent.time_on_status_code is None and not agent.channels and agent.active_interactions is None:
        return ()
    return (
        ("On status code", fmt.hms(agent.time_on_status_code)),
        ("Channels", ", ".join(agent.channels) or "idle"),
        ("Interactions", fmt.count(agent.active_interactions)),
    )


def _line(label: str, seconds: int | None) -> str:
    return label if seconds is None else f"{label}  for {fmt.hms(seconds)}"


def _average(seconds: int | None) -> str:
    """A duration the service reports as an average, marked so beside totals."""
    return NO_VALUE if seconds is None else f"avg {fmt.hms(seconds)}"
