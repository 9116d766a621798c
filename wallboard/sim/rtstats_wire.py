"""The simulated tenant as the Real Time Statistics API reports it: one dict per record.

:class:`~wallboard.sim.scenario.RealtimeScenario` simulates; this module says what the
service would answer for the state of its current cache cycle: hyphenated keys, ``-1`` or
``None`` for no value, and the vendor's own quirks (an idle line 2 sent as code 0 with
time -1). Envelopes (JSON and XML) are :mod:`wallboard.core.wire.rtstats_render`'s.
"""

from __future__ import annotations

from collections import deque

from wallboard.sim.scenario import (
    AVAILABLE,
    BREAK,
    BUSY,
    CURRENT_SLA_WINDOW,
    LOGGED_OUT,
    OFFERED,
    OFFLINE,
    WINDOW,
    WRAP,
    RealtimeScenario,
    SimAgent,
    SimQueue,
)


def agent_wire(scenario: RealtimeScenario, agent: SimAgent) -> dict[str, object]:
    """One agent in wire form (hyphenated keys, ``-1``/``None`` for no value)."""
    now = scenario.now
    day = dict(agent.day_time)
    if agent.status != LOGGED_OUT:
        day[agent.status] = day.get(agent.status, 0.0) + now - max(agent.since, scenario.day_start)
    thirty = _window_totals(agent.history, agent.status, agent.since, now)
    accepted30 = sum(1 for t, kind, _ in agent.events if kind == "accepted")
    rejected30 = sum(1 for t, kind, _ in agent.events if kind == "rejected")
    handled30 = [d for t, kind, d in agent.events if kind == "handled"]
    login_day = sum(day.values())
    status, media = agent.status, agent.media_id
    if agent.code_override:
        status, media = agent.code_override
    reason = agent.reason
    return {
        "agent-id": agent.agent_id,
        "agent-media-id": media,
        "agent-name": agent.name,
        "agent-status": status,
        "assigned-skill-count": agent.assigned_skills,
        "day-accepted-count": agent.day_accepted,
        "day-available-time": int(day.get(AVAILABLE, 0)),
        "day-avg-processing-time": int(agent.day_handle_total / agent.day_handled) if agent.day_handled else 0,
        "day-break-time": int(day.get(BREAK, 0)),
        "day-login-time": int(login_day),
        "day-offline-time": int(day.get(OFFLINE, 0)),
        "day-processing-time": int(day.get(BUSY, 0) + day.get(OFFERED, 0)),
        "day-rejected-count": agent.day_rejected,
        "day-wrap-up-time": int(day.get(WRAP, 0)),
        "enabled-skill-count": agent.enabled_skills,
        "group-id": agent.group_id,
        "last-login-time": int(agent.last_login) if agent.last_login else -1,
        "phone-line1-status": agent.line1,
        "phone-line1-status-time": int(now - agent.line1_since) if agent.line1 != -1 else -1,
        # An idle line 2 goes out as the vendor's own example agents send it: code 0
        # ("being offered" in line 2's table) with time -1, which means no current status.
        "phone-line2-status": agent.line2 if agent.line2 != -1 else 0,
        "phone-line2-status-time": int(now - agent.line2_since) if agent.line2 != -1 else -1,
        "status-code-item-id": reason[0] if reason else None,
        "status-code-item-short-code": reason[1] if reason else None,
        "status-code-list-id": reason[2] if reason else None,
        "thirty-min-accepted-count": accepted30,
        "thirty-min-available-time": int(_window_average(agent.history, AVAILABLE, agent.status, agent.since, now)),
        "thirty-min-avg-handling-time": int(sum(handled30) / len(handled30)) if handled30 else 0,
        "thirty-min-break-time": int(thirty.get(BREAK, 0)),
        "thirty-min-offline-time": int(thirty.get(OFFLINE, 0)),
        "thirty-min-processing-time": int(thirty.get(BUSY, 0) + thirty.get(OFFERED, 0)),
        "thirty-min-rejected-count": rejected30,
        "thirty-min-wrap-up-time": int(thirty.get(WRAP, 0)),
        "time-in-status": int(now - agent.since) if agent.status != LOGGED_OUT or agent.since > 0 else -1,
    }

def queue_wire(scenario: RealtimeScenario, queue: SimQueue) -> dict[str, object]:
    """One queue in wire form, with the agent counts following the agents."""
    now = scenario.now
    counts = dict.fromkeys((AVAILABLE, OFFERED, BUSY, WRAP, BREAK, OFFLINE, LOGGED_OUT), 0)
    offered = in_progress = assigned = 0
    for agent in scenario.agents:
        if queue.index in agent.queues:
            assigned += 1
            counts[agent.status] = counts.get(agent.status, 0) + 1
        if agent.work is not None and agent.work.queue == queue.index:
            if agent.status == OFFERED:
                offered += 1
            elif agent.status in (BUSY, WRAP):
                in_progress += 1
    window = [e for e in queue.events if e[0] >= now - WINDOW]
    current = [e for e in window if e[0] >= now - CURRENT_SLA_WINDOW]
    accepted = [e for e in window if e[1] == "accepted"]
    handled = [e[3] for e in window if e[1] == "handled"]
    waits = [e[2] for e in window if e[1] in ("accepted", "abandoned")]
    longest = now - queue.waiting[0].arrived if queue.waiting else 0
    return {
        "agent-count-busy": counts[BUSY] + counts[OFFERED],
        "agent-count-loggedOut": counts[LOGGED_OUT],
        "agent-count-onBreak": counts[BREAK],
        "agent-count-postProcess": counts[WRAP],
        "agent-count-waitTransact": counts[AVAILABLE],
        "agent-count-workOffline": counts[OFFLINE],
        "day-abandoned": queue.day_abandoned,
        "day-accepted": queue.day_accepted,
        "day-avg-duration": int(queue.day_handle_total / queue.day_handled) if queue.day_handled else 0,
        "day-avg-wait-time": int(queue.day_wait_total / queue.day_accepted) if queue.day_accepted else 0,
        "day-queued": queue.day_queued,
        "day-sla-activity": _sla(queue.day_sla_met, queue.day_sla_counted),
        "assigned-agent-count": assigned,
        "enabled-agent-count": max(0, assigned - queue.disabled_agents),
        "longest-wait-time": int(longest),
        "media-type": queue.media,
        "number-in-offered": offered,
        "number-in-progress": in_progress,
        "queue-id": queue.queue_id,
        "queue-name": queue.name,
        "queue-size": len(queue.waiting),
        "sla-activity": _sla_events(current),
        "sla-target": queue.sla_target,
        "thirty-min-abandoned": sum(1 for e in window if e[1] == "abandoned"),
        "thirty-min-accepted": len(accepted),
        "thirty-min-avg-duration": int(sum(handled) / len(handled)) if handled else 0,
        "thirty-min-avg-wait-time": int(sum(e[2] for e in accepted) / len(accepted)) if accepted else 0,
        "thirty-min-longest-wait-time": int(max(waits)) if waits else -1,
        "thirty-min-queued": sum(1 for e in window if e[1] == "queued"),
        "thirty-min-sla-activity": _sla_events(window),
        "queue-type": "inbound",
    }


def agents_wire(scenario: RealtimeScenario) -> list[dict[str, object]]:
    """Every agent of the current cache cycle, as ``/agents`` lists them."""
    with scenario.lock:
        return [agent_wire(scenario, agent) for agent in scenario.agents]


def queues_wire(scenario: RealtimeScenario) -> list[dict[str, object]]:
    """Every queue of the current cache cycle, as ``/queues`` lists them."""
    with scenario.lock:
        return [queue_wire(scenario, queue) for queue in scenario.queues]


def _window_totals(history: deque, status: int, since: float, now: float) -> dict[int, float]:
    start = now - WINDOW
    totals: dict[int, float] = {}
    for begin, end, state in history:
        overlap = min(end, now) - max(begin, start)
        if overlap > 0:
            totals[state] = totals.get(state, 0.0) + overlap
    if status != LOGGED_OUT:
        totals[status] = totals.get(status, 0.0) + now - max(since, start)
    return totals


def _window_average(history: deque, wanted: int, status: int, since: float, now: float) -> float:
    """The mean length of the stretches in ``wanted`` state within the last 30 minutes.

    The vendor documents ``thirty-min-available-time`` as the "average available time in
    last 30 minutes" (every other 30-minute time is a total) without saying average of
    what; the simulator takes the mean available stretch, each cut to the window.
    """
    start = now - WINDOW
    lengths = [min(end, now) - max(begin, start) for begin, end, state in history if state == wanted]
    if status == wanted:
        lengths.append(now - max(since, start))
    lengths = [length for length in lengths if length > 0]
    return sum(lengths) / len(lengths) if lengths else 0.0


def _sla(met: int, counted: int) -> int:
    return round(100 * met / counted) if counted else -1


def _sla_events(events: list) -> int:
    relevant = [e for e in events if e[1] in ("accepted", "abandoned")]
    return _sla(sum(1 for e in relevant if e[4]), len(relevant))
