"""The simulator's Work Analytics summaries: its calls added up into each report's counters.

Every summary report is aggregated from the same calls (:mod:`wallboard.sim.analytics_calls`),
so the figures agree with each other and with the call records. Counters are keyed by
their wire names; :mod:`wallboard.sim.analytics_wire` turns them into report rows.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from wallboard.sim.analytics_calls import ABANDONED, DAY_MS, INCOMING, INTERNAL, OUTGOING, VOICEMAIL, AnalyticsData, SimCall


@dataclass
class Stats:
    """Additive counters for every summary report, keyed by their wire names."""

    company: dict[str, Counter] = field(default_factory=dict)
    extensions: dict[int, Counter] = field(default_factory=dict)
    ring_groups: dict[int, Counter] = field(default_factory=dict)
    members: dict[tuple[int, int], Counter] = field(default_factory=dict)

    def add(self, other: "Stats") -> None:
        for mine, theirs in (
            (self.company, other.company),
            (self.extensions, other.extensions),
            (self.ring_groups, other.ring_groups),
            (self.members, other.members),
        ):
            for key, counter in theirs.items():
                _counter(mine, key).update(counter)


class DailyStats:
    """Counters for any range of the tenant's calls; whole past days are counted once."""

    def __init__(self, data: AnalyticsData) -> None:
        self.data = data
        self._lock = threading.Lock()
        self._days: dict[int, Stats] = {}

    def stats(self, start_ms: int, end_ms: int, now_ms: int) -> Stats:
        """Counters for every call in the range; whole past days come from a cache."""
        data = self.data
        total = Stats()
        first, last = data.days(start_ms, end_ms, now_ms)
        for day in range(first, last + 1):
            day_start, day_end = day * DAY_MS, (day + 1) * DAY_MS - 1
            whole = start_ms <= day_start and day_end <= end_ms and day_end < now_ms
            if whole:
                with self._lock:
                    cached = self._days.get(day)
                if cached is None:
                    cached = aggregate(data.day_calls(day), data)
                    with self._lock:
                        self._days[day] = cached
                total.add(cached)
            else:
                total.add(aggregate(data.calls(max(start_ms, day_start), min(end_ms, day_end), now_ms), data))
        return total


def aggregate(calls: Iterable[SimCall], data: AnalyticsData) -> Stats:
    """Counters for ``calls``: company per PBX, extensions, ring groups, members."""
    stats = Stats()
    for call in calls:
        answered, abandoned, voicemail = call.answered, call.outcome == ABANDONED, call.outcome == VOICEMAIL
        company = _counter(stats.company, call.pbx)
        company["totalCall"] += 1
        company["totalAnswered"] += answered
        company["totalAbandoned"] += abandoned
        company["totalVm"] += voicemail
        company["totalRingTime"] += call.ring_ms
        company["totalTalkTime"] += call.talk_ms
        company["totalCallTime"] += call.duration_ms
        if abandoned:
            company["totalAbandonedTime"] += call.wait_ms
        if call.direction == INCOMING:
            _count(company, "externalInbound", answered, abandoned, missed=True)
            _count(company, "inbound", answered, abandoned, missed=True)
            company["totalMissed"] += not answered
        elif call.direction == OUTGOING:
            _count(company, "externalOutbound", answered, abandoned)
            _count(company, "outbound", answered, abandoned)
        else:
            # As in the vendor's example: extension-to-extension calls are neither inbound nor
            # outbound, so totalCall = inboundTotal + outboundTotal + totalExtToExt.
            _count(company, "totalExtToExt", answered, abandoned, missed=True, total_key="totalExtToExt")
            company["totalMissed"] += not answered
        _extension_stats(stats, call, answered, abandoned, voicemail)
        if call.ring_group is not None:
            _ring_group_stats(stats, call, answered, abandoned, voicemail)
    return stats


def _count(counter: Counter, prefix: str, answered: bool, abandoned: bool, missed: bool = False, total_key: str | None = None) -> None:
    counter[total_key or f"{prefix}Total"] += 1
    counter[f"{prefix}Answered"] += answered
    counter[f"{prefix}Abandoned"] += abandoned
    if missed:
        counter[f"{prefix}Missed"] += not answered


def _extension_stats(stats: Stats, call: SimCall, answered: bool, abandoned: bool, voicemail: bool) -> None:
    if call.placed_by is not None:
        placed = _counter(stats.extensions, call.placed_by)
        prefix = "External_Outbound" if call.direction == OUTGOING else "Internal_Outbound"
        placed[f"{prefix}_Total"] += 1
        placed[f"{prefix}_Answered"] += answered
        placed[f"{prefix}_Abandoned"] += abandoned
        placed["Total_Call_Time"] += call.duration_ms
        placed["Outbound_Talk_Time"] += call.talk_ms
    prefix = "External_Inbound" if call.direction == INCOMING else "Internal_Inbound"
    last = len(call.rung) - 1
    for position, (agent, ring) in enumerate(call.rung):
        rung = _counter(stats.extensions, agent)
        took_it = call.answered_by == agent
        rung[f"{prefix}_Total"] += 1
        rung[f"{prefix}_Answered"] += took_it
        rung[f"{prefix}_Missed"] += not took_it
        rung["Total_Ring_Time"] += ring
        rung["Total_Call_Time"] += ring + (call.talk_ms if took_it else 0)
        rung["Inbound_Talk_Time"] += call.talk_ms if took_it else 0
        if abandoned and position == last:
            rung[f"{prefix}_Abandoned"] += 1
            rung["Total_Abandoned_Time"] += ring
        if voicemail and call.direction == INTERNAL:
            rung["Total_Calls_To_VM"] += 1


def _ring_group_stats(stats: Stats, call: SimCall, answered: bool, abandoned: bool, voicemail: bool) -> None:
    group = _counter(stats.ring_groups, call.ring_group)
    group["totalCalls"] += 1
    group["totalAnswered"] += answered
    group["totalAbandoned"] += abandoned
    group["totalMissed"] += not answered
    group["totalCallsToVM"] += voicemail
    group["totalAdvanced"] += len(call.rung) - (0 if voicemail else 1)
    group["totalRgTime"] += call.wait_ms
    group["totalRingTime"] += call.ring_ms
    group["totalTalkTime"] += call.talk_ms
    if abandoned:
        group["totalAbandonedTime"] += call.wait_ms
    last = len(call.rung) - 1
    for position, (agent, ring) in enumerate(call.rung):
        member = _counter(stats.members, (call.ring_group, agent))
        took_it = call.answered_by == agent
        member["offered"] += 1
        member["totalAnswered"] += took_it
        member["totalAdvanced"] += not took_it and not (abandoned and position == last)
        member["totalRingTime"] += ring
        member["totalTalkTime"] += call.talk_ms if took_it else 0


def _counter(table: dict, key: object) -> Counter:
    counter = table.get(key)
    if counter is None:
        counter = table[key] = Counter()
    return counter
