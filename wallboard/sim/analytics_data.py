"""Deterministic Work Analytics data for the simulator, consistent with the live scenario.

The real-time scenario's agents become extensions (same names; numbers from 1001) and
its queues become ring groups (same names; numbers from 7001) whose members are the
agents serving them. Queues alternate between two PBXs, ``demo-pbx`` and ``demo-pbx2``
(every third queue is on the second); an agent belongs to the PBX of its first queue.

Calls are generated per UTC day from ``random.Random(seed, day)``, so the same seed
gives the same calls whatever range is asked for, and a range's figures do not depend on
what was asked before. The simulated tenant works New York hours (busy 13:00-23:00 UTC)
and went live :data:`HISTORY_DAYS` days before "now": earlier days have no calls, which
keeps a two-year request cheap. Calls still in progress at "now" do not exist yet.

Every report is aggregated from the same calls, so the figures agree with each other and
with the call records: a ring group's calls are the inbound calls to it, its members'
offered calls are the rings in those calls, and so on. Averages follow the definitions
the table model recomputes its totals with (total ÷ count). An extension's row counts
every time it rang (``Inbound_Total``, ``Missed``); the calls that are *its* calls (it
placed them, took them, or they ended with it: ``lra``) add up to its outbound, answered
and abandoned counts and its talk time.

Call records and legs carry every field of the vendor's examples, in their order. A
call that ends in voicemail has the callee ``Voicemail (<owner>)`` and ``lra`` the
owner's extension, as in the vendor's reference; ``lra`` is otherwise whoever answered,
the last member rung of an abandoned ring-group call, or the ring group. ``lraType`` is
1 for a user's extension and 4 for a ring group (the vendor's examples show 1 and 4
without defining them).
"""

from __future__ import annotations

import math
import random
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Iterable

from wallboard.sim.scenario import RealtimeScenario

PBX_NAMES = ("demo-pbx", "demo-pbx2")
SITES = {"demo-pbx": "East", "demo-pbx2": "West"}
BRANCHES = {"demo-pbx": "East Coast", "demo-pbx2": "West Coast"}
DAY_MS = 86_400_000
HISTORY_DAYS = 90
INCOMING, OUTGOING, INTERNAL = "Incoming", "Outgoing", "Internal"
ANSWERED, ABANDONED, VOICEMAIL = "answered", "abandoned", "voicemail"
DNIS = "18005550100"
INBOUND_PER_AGENT_HOUR = 1.0  # at the busiest hours
OUTBOUND_PER_AGENT_HOUR = 0.15
INTERNAL_PER_AGENT_HOUR = 0.03
HUNT_LIMIT = 8  # members rung, in turn, before a call goes to voicemail
LRA_EXTENSION, LRA_RING_GROUP = 1, 4

Filters = dict[str, frozenset[str]]
"""The service's extension filters asked for: ``{"callerOrCallee": {"1001"}, ...}``."""

HOUR_WEIGHTS = tuple(
    1.0 if 13 <= hour <= 22 and hour != 17 else 0.7 if hour == 17 else 0.35 if hour in (11, 12, 23) else 0.04
    for hour in range(24)
)
"""Relative call volume per UTC hour: New York's working day, with a lunch dip."""

CALLER_NAMES = (
    "MARK SMITH", "ACME SUPPLY", "J RIVERA", "WIRELESS CALLER", "K OKONKWO", "NORTHWIND LLC",
    "L TANAKA", "CONTOSO LTD", "P SHARMA", "UNKNOWN", "R MÜLLER", "FABRIKAM INC",
)


@dataclass(frozen=True, slots=True)
class SimExtension:
    index: int
    extension: str
    first_name: str
    last_name: str
    pbx: str
    department: str
    email: str
    user_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def branch(self) -> str:
        return BRANCHES[self.pbx]


@dataclass(frozen=True, slots=True)
class SimRingGroup:
    index: int
    extension: str
    name: str
    pbx: str
    members: tuple[int, ...]

    @property
    def site(self) -> str:
        return SITES[self.pbx]


@dataclass(frozen=True, slots=True)
class SimCall:
    """One simulated call; times in epoch milliseconds, durations in milliseconds."""

    call_id: int
    pbx: str
    start_ms: int
    direction: str
    caller: str
    caller_name: str
    callee: str
    callee_name: str
    outcome: str
    ring_group: int | None = None
    rung: tuple[tuple[int, int], ...] = ()  # (agent index, ring ms), in ringing order
    answered_by: int | None = None
    placed_by: int | None = None
    wait_ms: int = 0  # until answered or given up
    talk_ms: int = 0
    vm_ms: int = 0
    department: str = ""
    branch: str = ""

    @property
    def answered(self) -> bool:
        return self.outcome == ANSWERED

    @property
    def ring_ms(self) -> int:
        return sum(ring for _, ring in self.rung) if self.rung else self.wait_ms

    @property
    def duration_ms(self) -> int:
        return self.wait_ms + self.talk_ms + self.vm_ms

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    @property
    def connect_ms(self) -> int | None:
        return self.start_ms + self.wait_ms if self.answered else None


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


class AnalyticsData:
    """The simulated tenant's directory, calls and reports. Thread-safe."""

    def __init__(self, scenario: RealtimeScenario) -> None:
        self.seed = scenario.seed
        self.extensions, self.ring_groups = _directory(scenario)
        memberships = Counter(agent for group in self.ring_groups for agent in group.members)
        self._capacity = tuple(sum(1 / memberships[agent] for agent in group.members) for group in self.ring_groups)
        """Each ring group's share of its members' time: inbound calls follow staffing."""
        self._lock = threading.Lock()
        self._calls: OrderedDict[int, tuple[SimCall, ...]] = OrderedDict()
        self._stats: dict[int, Stats] = {}

    # --- calls ------------------------------------------------------------------------------

    def day_calls(self, day: int) -> tuple[SimCall, ...]:
        """Every call of UTC day ``day`` (days since 1970), sorted by start."""
        with self._lock:
            cached = self._calls.get(day)
            if cached is not None:
                self._calls.move_to_end(day)
                return cached
        calls = self._generate(day)
        with self._lock:
            self._calls[day] = calls
            while len(self._calls) > 64:
                self._calls.popitem(last=False)
        return calls

    def calls(self, start_ms: int, end_ms: int, now_ms: int, pbxes: frozenset[str] | None = None) -> list[SimCall]:
        """Calls started in ``[start_ms, end_ms]`` and finished by ``now_ms``, by start."""
        first, last = self._days(start_ms, end_ms, now_ms)
        out: list[SimCall] = []
        for day in range(first, last + 1):
            out.extend(
                call
                for call in self.day_calls(day)
                if start_ms <= call.start_ms <= end_ms and call.end_ms <= now_ms and (pbxes is None or call.pbx in pbxes)
            )
        return out

    def _days(self, start_ms: int, end_ms: int, now_ms: int) -> tuple[int, int]:
        live_from = now_ms // DAY_MS - HISTORY_DAYS
        return max(start_ms // DAY_MS, live_from), min(end_ms, now_ms) // DAY_MS

    def _generate(self, day: int) -> tuple[SimCall, ...]:
        rng = random.Random(self.seed * 1_000_003 + day * 7_919 + 17)
        calls: list[SimCall] = []
        sequence = 0

        def next_id() -> int:
            nonlocal sequence
            sequence += 1
            return (day * 100_000 + sequence) * 100

        for hour, weight in enumerate(HOUR_WEIGHTS):
            hour_start = day * DAY_MS + hour * 3_600_000
            for group, capacity in zip(self.ring_groups, self._capacity):
                if not group.members:
                    continue
                for _ in range(_poisson(rng, INBOUND_PER_AGENT_HOUR * capacity * weight)):
                    calls.append(self._inbound(rng, next_id(), group, hour_start + int(rng.random() * 3_600_000)))
            for agent in self.extensions:
                for _ in range(_poisson(rng, OUTBOUND_PER_AGENT_HOUR * weight)):
                    calls.append(self._outbound(rng, next_id(), agent, hour_start + int(rng.random() * 3_600_000)))
            if len(self.extensions) > 1:
                for _ in range(_poisson(rng, INTERNAL_PER_AGENT_HOUR * len(self.extensions) * weight)):
                    calls.append(self._internal(rng, next_id(), hour_start + int(rng.random() * 3_600_000)))
        calls.sort(key=lambda call: (call.start_ms, call.call_id))
        return tuple(calls)

    def _inbound(self, rng: random.Random, call_id: int, group: SimRingGroup, start: int) -> SimCall:
        members = list(group.members)
        shift = rng.randrange(len(members))
        order = (members[shift:] + members[:shift])[:HUNT_LIMIT]
        roll = rng.random()
        caller = _phone(rng)
        caller_name = rng.choice(CALLER_NAMES + (caller[1:],))
        base = dict(
            call_id=call_id, pbx=group.pbx, start_ms=start, direction=INCOMING, caller=caller,
            caller_name=caller_name, callee=group.extension, callee_name=group.name,
            ring_group=group.index, department=group.name, branch=BRANCHES[group.pbx],
        )
        if roll < 0.82:
            answered_at = 0
            while answered_at < len(order) - 1 and rng.random() < 0.3:
                answered_at += 1
            rung = tuple((agent, _between(rng, 3_000, 15_000)) for agent in order[: answered_at + 1])
            agent = self.extensions[order[answered_at]]
            talk = max(15_000, int(rng.expovariate(1 / 240_000)))
            return SimCall(
                **{**base, "callee": agent.extension, "callee_name": agent.name},
                outcome=ANSWERED, rung=rung, answered_by=agent.index,
                wait_ms=sum(ring for _, ring in rung), talk_ms=talk,
            )
        if roll < 0.93:
            patience = 2_000 + int(rng.expovariate(1 / 40_000))
            rung_list: list[tuple[int, int]] = []
            elapsed = 0
            for agent_index in order:
                ring = _between(rng, 3_000, 15_000)
                if elapsed + ring >= patience:
                    rung_list.append((agent_index, patience - elapsed))
                    break
                rung_list.append((agent_index, ring))
                elapsed += ring
            waited = sum(ring for _, ring in rung_list)
            return SimCall(**base, outcome=ABANDONED, rung=tuple(rung_list), wait_ms=waited)
        rung = tuple((agent, _between(rng, 3_000, 15_000)) for agent in order)
        return SimCall(
            **base, outcome=VOICEMAIL, rung=rung, wait_ms=sum(ring for _, ring in rung), vm_ms=_between(rng, 8_000, 60_000)
        )

    def _outbound(self, rng: random.Random, call_id: int, agent: SimExtension, start: int) -> SimCall:
        callee = _phone(rng)
        answered = rng.random() < 0.75
        return SimCall(
            call_id=call_id, pbx=agent.pbx, start_ms=start, direction=OUTGOING, caller=agent.extension,
            caller_name=agent.name, callee=callee, callee_name=callee[1:],
            outcome=ANSWERED if answered else ABANDONED, placed_by=agent.index,
            wait_ms=_between(rng, 4_000, 20_000) if answered else _between(rng, 15_000, 35_000),
            talk_ms=max(5_000, int(rng.expovariate(1 / 180_000))) if answered else 0,
            department=agent.department, branch=agent.branch,
        )

    def _internal(self, rng: random.Random, call_id: int, start: int) -> SimCall:
        caller, callee = rng.sample(self.extensions, 2)
        roll = rng.random()
        ring = _between(rng, 3_000, 20_000)
        common = dict(
            call_id=call_id, pbx=caller.pbx, start_ms=start, direction=INTERNAL, caller=caller.extension,
            caller_name=caller.name, callee=callee.extension, callee_name=callee.name,
            rung=((callee.index, ring),), placed_by=caller.index, wait_ms=ring,
            department=caller.department, branch=caller.branch,
        )
        if roll < 0.7:
            return SimCall(**common, outcome=ANSWERED, answered_by=callee.index, talk_ms=max(5_000, int(rng.expovariate(1 / 120_000))))
        if roll < 0.8:
            return SimCall(**common, outcome=ABANDONED)
        return SimCall(**common, outcome=VOICEMAIL, vm_ms=_between(rng, 5_000, 30_000))

    # --- summaries ------------------------------------------------------------------------

    def stats(self, start_ms: int, end_ms: int, now_ms: int) -> Stats:
        """Counters for every call in the range; whole past days come from a cache."""
        total = Stats()
        first, last = self._days(start_ms, end_ms, now_ms)
        for day in range(first, last + 1):
            day_start, day_end = day * DAY_MS, (day + 1) * DAY_MS - 1
            whole = start_ms <= day_start and day_end <= end_ms and day_end < now_ms
            if whole:
                with self._lock:
                    cached = self._stats.get(day)
                if cached is None:
                    cached = aggregate(self.day_calls(day), self)
                    with self._lock:
                        self._stats[day] = cached
                total.add(cached)
            else:
                total.add(aggregate(self.calls(max(start_ms, day_start), min(end_ms, day_end), now_ms), self))
        return total

    def company(self, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
        return [company_wire(pbx, stats.company.get(pbx, Counter())) for pbx in PBX_NAMES if _chosen(pbx, pbxes) and self._pbx_used(pbx)]

    def extension_rows(self, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
        return [
            extension_wire(agent, stats.extensions.get(agent.index, Counter()))
            for agent in self.extensions
            if _chosen(agent.pbx, pbxes)
        ]

    def ring_group_rows(self, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
        return [
            ring_group_wire(group, stats.ring_groups.get(group.index, Counter()))
            for group in self.ring_groups
            if _chosen(group.pbx, pbxes)
        ]

    def member_rows(self, stats: Stats, pbxes: frozenset[str] | None, ring_group: str) -> list[dict]:
        for group in self.ring_groups:
            if group.extension == ring_group and _chosen(group.pbx, pbxes):
                return [
                    member_wire(group, self.extensions[agent], stats.members.get((group.index, agent), Counter()))
                    for agent in group.members
                ]
        return []

    def pbx_names(self) -> list[str]:
        """The PBXs that have an extension or a ring group."""
        return [pbx for pbx in PBX_NAMES if self._pbx_used(pbx)]

    def directory(self) -> frozenset[str]:
        """Every extension number of the tenant: users' and ring groups'."""
        return frozenset(agent.extension for agent in self.extensions) | frozenset(group.extension for group in self.ring_groups)

    def _pbx_used(self, pbx: str) -> bool:
        return any(agent.pbx == pbx for agent in self.extensions) or any(group.pbx == pbx for group in self.ring_groups)

    # --- call records and legs ------------------------------------------------------------

    def call_records(self, calls: Iterable[SimCall], zone: tzinfo, filters: Filters | None = None) -> list[dict]:
        """Call records of ``calls``, kept to those matching the service's filters."""
        wires = (record_wire(call, self, zone) for call in calls)
        return [wire for wire in wires if self.matches(wire, filters)]

    def call_legs(
        self, calls: Iterable[SimCall], zone: tzinfo, *, simplified: bool, connect_time: bool, start_ms: int, end_ms: int,
        filters: Filters | None = None,
    ) -> list[dict]:
        """Legs of ``calls`` whose disconnect (or connect) time falls in the range (and match)."""
        legs: list[tuple[int, int, dict]] = []
        for call in calls:
            for leg in legs_of(call, self):
                if simplified and leg.parent is not None:
                    continue
                moment = leg.connect_ms if connect_time else leg.end_ms
                if moment is None or not start_ms <= moment <= end_ms:
                    continue
                wire = leg_wire(leg, call, zone)
                if self.matches(wire, filters):
                    legs.append((moment, leg.call_id, wire))
        legs.sort(key=lambda item: (item[0], item[1]))
        return [wire for _, _, wire in legs]

    def matches(self, wire: dict, filters: Filters | None) -> bool:
        """Whether a record or leg passes ``caller`` / ``callee`` / ``callerOrCallee``: exact
        matches on the extensions it is from or to (a voicemail's owner is its callee)."""
        if not filters:
            return True
        known = self.directory()
        callers = {wire["caller"]} & known
        callees = {wire["callee"], wire.get("lra") or ""} & known
        if "caller" in filters and callers.isdisjoint(filters["caller"]):
            return False
        if "callee" in filters and callees.isdisjoint(filters["callee"]):
            return False
        if "callerOrCallee" in filters and (callers | callees).isdisjoint(filters["callerOrCallee"]):
            return False
        return True


# --- directory -------------------------------------------------------------------------------


def _directory(scenario: RealtimeScenario) -> tuple[tuple[SimExtension, ...], tuple[SimRingGroup, ...]]:
    queue_pbx = {queue.index: PBX_NAMES[1] if queue.index % 3 == 2 else PBX_NAMES[0] for queue in scenario.queues}
    extensions = []
    for agent in scenario.agents:
        first, _, last = agent.name.partition(" ")
        pbx = queue_pbx[agent.queues[0]] if agent.queues else PBX_NAMES[0]
        department = scenario.queues[agent.queues[0]].name if agent.queues else "General"
        user = agent.index % 9 != 8  # every ninth extension is not a user: "N/A"
        extensions.append(
            SimExtension(
                index=agent.index,
                extension=str(1001 + agent.index),
                first_name=first,
                last_name=last,
                pbx=pbx,
                department=department,
                email=f"{agent.agent_id}@demo.example" if user else "N/A",
                user_name=agent.agent_id if user else "N/A",
            )
        )
    groups = tuple(
        SimRingGroup(
            index=queue.index,
            extension=str(7001 + queue.index),
            name=queue.name,
            pbx=queue_pbx[queue.index],
            members=tuple(agent.index for agent in scenario.agents if queue.index in agent.queues),
        )
        for queue in scenario.queues
    )
    return tuple(extensions), groups


def _chosen(pbx: str, pbxes: frozenset[str] | None) -> bool:
    return pbxes is None or pbx in pbxes


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``, several times faster (the generator is hot)."""
    return low + int(rng.random() * (high - low + 1))


def _counter(table: dict, key: object) -> Counter:
    counter = table.get(key)
    if counter is None:
        counter = table[key] = Counter()
    return counter


def _phone(rng: random.Random) -> str:
    return f"+1555{int(rng.random() * 10_000_000):07d}"


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


# --- aggregation -------------------------------------------------------------------------------


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


def _avg(total: int, count: int) -> int:
    return int(round(total / count)) if count else 0


def _percent(part: int, whole: int) -> float | int:
    return round(100 * part / whole, 2) if whole else 0


COMPANY_KEYS = (
    "inboundTotal", "outboundTotal", "externalInboundTotal", "externalInboundAnswered",
    "externalInboundAbandoned", "percentExternalInboundAnswered", "externalInboundMissed",
    "externalOutboundTotal", "externalOutboundAnswered", "percentExternalOutboundAnswered",
    "externalOutboundAbandoned", "externalOutboundMissed", "internalInboundTotal",
    "internalInboundAnswered", "internalInboundAbandoned", "internalInboundMissed",
    "internalOutboundTotal", "internalOutboundAnswered", "internalOutboundAbandoned",
    "inboundAnswered", "inboundAbandoned", "inboundMissed", "outboundAnswered",
    "outboundAbandoned", "totalAnswered", "totalAbandoned", "totalMissed", "totalRingTime",
    "totalTalkTime", "totalCall", "totalAbandonedTime", "totalCallTime", "avgRingTime",
    "avgTalkTime", "avgCallTime", "avgAbandonedTime", "totalVm", "totalExtToExtAbandoned",
    "totalExtToExtAnswered", "totalExtToExt", "totalExtToExtMissed",
)
"""The company summary's keys, in the vendor's order."""


def company_wire(pbx: str, c: Counter) -> dict:
    values = dict(c)
    values["percentExternalInboundAnswered"] = _percent(c["externalInboundAnswered"], c["externalInboundTotal"])
    values["percentExternalOutboundAnswered"] = _percent(c["externalOutboundAnswered"], c["externalOutboundTotal"])
    values["avgRingTime"] = _avg(c["totalRingTime"], c["totalCall"])
    values["avgTalkTime"] = _avg(c["totalTalkTime"], c["totalAnswered"])
    values["avgCallTime"] = _avg(c["totalCallTime"], c["totalCall"])
    values["avgAbandonedTime"] = _avg(c["totalAbandonedTime"], c["totalAbandoned"])
    return {"pbxId": pbx, **{key: values.get(key, 0) for key in COMPANY_KEYS}}


def extension_wire(agent: SimExtension, c: Counter) -> dict:
    inbound = {
        part: c[f"External_Inbound_{part}"] + c[f"Internal_Inbound_{part}"]
        for part in ("Total", "Answered", "Abandoned", "Missed")
    }
    outbound = {
        part: c[f"External_Outbound_{part}"] + c[f"Internal_Outbound_{part}"]
        for part in ("Total", "Answered", "Abandoned")
    }
    answered = inbound["Answered"] + outbound["Answered"]
    abandoned = inbound["Abandoned"] + outbound["Abandoned"]
    talk = c["Inbound_Talk_Time"] + c["Outbound_Talk_Time"]
    return {
        "PbxId": agent.pbx,
        "Extension": agent.extension,
        "ServiceType": "UE",
        "FirstName": agent.first_name,
        "LastName": agent.last_name,
        "Branch": agent.branch,
        "Department": agent.department,
        "External_Inbound_Total": c["External_Inbound_Total"],
        "External_Inbound_Answered": c["External_Inbound_Answered"],
        "External_Inbound_Abandoned": c["External_Inbound_Abandoned"],
        "Percent_External_Inbound_Answered": _percent(c["External_Inbound_Answered"], c["External_Inbound_Total"]),
        "External_Inbound_Missed": c["External_Inbound_Missed"],
        "External_Outbound_Total": c["External_Outbound_Total"],
        "External_Outbound_Answered": c["External_Outbound_Answered"],
        "Percent_External_Outbound_Answered": _percent(c["External_Outbound_Answered"], c["External_Outbound_Total"]),
        "External_Outbound_Abandoned": c["External_Outbound_Abandoned"],
        "Internal_Inbound_Total": c["Internal_Inbound_Total"],
        "Internal_Inbound_Answered": c["Internal_Inbound_Answered"],
        "Internal_Inbound_Abandoned": c["Internal_Inbound_Abandoned"],
        "Internal_Inbound_Missed": c["Internal_Inbound_Missed"],
        "Internal_Outbound_Total": c["Internal_Outbound_Total"],
        "Internal_Outbound_Answered": c["Internal_Outbound_Answered"],
        "Internal_Outbound_Abandoned": c["Internal_Outbound_Abandoned"],
        "Inbound_Total": inbound["Total"],
        "Inbound_Answered": inbound["Answered"],
        "Inbound_Abandoned": inbound["Abandoned"],
        "Inbound_Missed": inbound["Missed"],
        "Total_Calls_To_VM": c["Total_Calls_To_VM"],
        "Outbound_Total": outbound["Total"],
        "Outbound_Answered": outbound["Answered"],
        "Outbound_Abandoned": outbound["Abandoned"],
        "Total_Answered": answered,
        "Total_Abandoned": abandoned,
        "Total_Missed": inbound["Missed"],
        "Total_Ring_Time": c["Total_Ring_Time"],
        "Total_Talk_Time": talk,
        "Total_Abandoned_Time": c["Total_Abandoned_Time"],
        "Total_Call_Time": c["Total_Call_Time"],
        "Avg_Ring_Time": _avg(c["Total_Ring_Time"], inbound["Total"]),
        "Avg_Talk_Time": _avg(talk, answered),
        "Inbound_Talk_Time": c["Inbound_Talk_Time"],
        "Outbound_Talk_Time": c["Outbound_Talk_Time"],
        "Avg_Abandoned_Time": _avg(c["Total_Abandoned_Time"], inbound["Abandoned"]),
        "Email": agent.email,
        "UserName": agent.user_name,
    }


def ring_group_wire(group: SimRingGroup, c: Counter) -> dict:
    return {
        "pbxId": group.pbx,
        "site": group.site,
        "name": group.name,
        "extension": group.extension,
        "totalMembers": len(group.members),
        "totalInbound": c["totalCalls"],
        "totalAbandoned": c["totalAbandoned"],
        "totalAnswered": c["totalAnswered"],
        "totalMissed": c["totalMissed"],
        "totalCallsToVM": c["totalCallsToVM"],
        "totalAdvanced": c["totalAdvanced"],
        "totalRgTime": c["totalRgTime"],
        "totalTalkTime": c["totalTalkTime"],
        "totalCalls": c["totalCalls"],
        "avgAbandonedTime": _avg(c["totalAbandonedTime"], c["totalAbandoned"]),
        "avgRgTime": _avg(c["totalRgTime"], c["totalCalls"]),
        "avgRingTime": _avg(c["totalRingTime"], c["totalCalls"]),
        "avgTalkTime": _avg(c["totalTalkTime"], c["totalAnswered"]),
        "totalAbandonedTime": c["totalAbandonedTime"],
        "totalRingTime": c["totalRingTime"],
    }


def member_wire(group: SimRingGroup, agent: SimExtension, c: Counter) -> dict:
    return {
        "pbxId": group.pbx,
        "site": group.site,
        "firstName": agent.first_name,
        "lastName": agent.last_name,
        "ringGroupName": group.name,
        "ringGroupExtension": group.extension,
        "extension": agent.extension,
        "totalAnswered": c["totalAnswered"],
        "totalAdvanced": c["totalAdvanced"],
        "totalTalkTime": c["totalTalkTime"],
        "totalRingTime": c["totalRingTime"],
        "totalCalls": c["offered"],
        "avgRingTime": _avg(c["totalRingTime"], c["offered"]),
        "avgTalkTime": _avg(c["totalTalkTime"], c["totalAnswered"]),
        "offered": c["offered"],
    }


# --- call records and legs -----------------------------------------------------------------------


def iso_local(epoch_ms: int | None, zone: tzinfo) -> str:
    """``2022-02-03T09:27:27.493-0500``, as the service writes times; ``"0"`` for none."""
    if epoch_ms is None:
        return "0"
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc).astimezone(zone)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}" + moment.strftime("%z")


def clock_text(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def disposition(call: SimCall) -> str:
    if call.answered:
        return "Answered"
    if call.outcome == VOICEMAIL:
        return "Voicemail"
    return "Abandoned" if call.direction == OUTGOING else "Missed"


def last_resource(call: SimCall, data: AnalyticsData) -> tuple[str, int]:
    """``(lra, lraType)``: who answered, else the voicemail's owner, else the last member
    rung of an abandoned ring-group call, else the callee (see the module doc)."""
    if call.answered_by is not None:
        return data.extensions[call.answered_by].extension, LRA_EXTENSION
    if call.outcome == VOICEMAIL:
        if call.ring_group is not None:
            return data.ring_groups[call.ring_group].extension, LRA_RING_GROUP
        return call.callee, LRA_EXTENSION
    if call.ring_group is not None and call.outcome == ABANDONED and call.rung:
        return data.extensions[call.rung[-1][0]].extension, LRA_EXTENSION
    if call.ring_group is not None:
        return data.ring_groups[call.ring_group].extension, LRA_RING_GROUP
    return call.callee, LRA_EXTENSION


def record_wire(call: SimCall, data: AnalyticsData, zone: tzinfo) -> dict:
    answered, abandoned = call.answered, call.outcome == ABANDONED
    missed = not answered and call.direction != OUTGOING
    lra, _ = last_resource(call, data)
    callee, callee_name = call.callee, call.callee_name
    if call.outcome == VOICEMAIL:
        callee = f"Voicemail ({lra})"
    return {
        "dnis": DNIS if call.direction == INCOMING else call.callee,
        "aaDestination": None,
        "callId": str(call.call_id),
        "startTimeUTC": call.start_ms,
        "startTime": iso_local(call.start_ms, zone),
        "connectTimeUTC": call.connect_ms or 0,
        "connectTime": iso_local(call.connect_ms, zone),
        "disconnectedTimeUTC": call.end_ms,
        "disconnectedTime": iso_local(call.end_ms, zone),
        "talkTimeMS": call.talk_ms,
        "talkTime": clock_text(call.talk_ms),
        "caller": call.caller,
        "callerName": call.caller_name,
        "callee": callee,
        "calleeName": callee_name,
        "lra": lra,
        "direction": call.direction,
        "callerId": f"{call.caller_name},{call.caller}",
        "missed": "Missed" if missed else "-",
        "abandoned": "Abandoned" if abandoned else "-",
        "answered": "Answered" if answered else "-",
        "answeredTime": call.connect_ms or 0,
        "calleeDisconnectOnHold": "",
        "callerDisconnectOnHold": "",
        "pbxId": call.pbx,
        "sipCallId": f"{call.call_id}@sim.invalid",
        "lastLegDisposition": disposition(call),
        "callLegCount": str(leg_count(call)),
        "callTime": call.duration_ms,
        "ringDuration": call.ring_ms,
        "abandonedTime": call.wait_ms if abandoned else 0,
        "calleeHoldDurationMS": 0,
        "calleeHoldDuration": clock_text(0),
        "waitTimeMS": call.wait_ms if call.ring_group is not None else 0,
        "waitTime": clock_text(call.wait_ms if call.ring_group is not None else 0),
        "departments": [call.department] if call.department else [],
        "branches": [call.branch] if call.branch else [],
    }


@dataclass(frozen=True, slots=True)
class SimLeg:
    call_id: int
    leg_id: str
    parent: int | None
    callee: str
    callee_name: str
    lra: str
    lra_type: int
    start_ms: int
    connect_ms: int | None
    end_ms: int
    talk_ms: int
    cause: str
    service: str
    service_type: str
    disposition: str
    answered: bool
    abandoned: bool


def leg_count(call: SimCall) -> int:
    """How many legs :func:`legs_of` gives ``call``, without building them."""
    if call.direction == OUTGOING:
        return 1
    return 1 + len(call.rung) + (call.outcome == VOICEMAIL)


def legs_of(call: SimCall, data: AnalyticsData) -> list[SimLeg]:
    """The main leg of a call, a child leg per extension rung, and a voicemail leg."""
    answered, abandoned = call.answered, call.outcome == ABANDONED
    lra, lra_type = last_resource(call, data)
    group = data.ring_groups[call.ring_group] if call.ring_group is not None else None
    main_callee = group.extension if group else call.callee
    main_name = group.name if group else call.callee_name
    legs = [
        SimLeg(
            call.call_id, "1", None, main_callee, main_name, lra, lra_type, call.start_ms, call.connect_ms, call.end_ms,
            call.talk_ms, "Normal" if answered or call.outcome == VOICEMAIL else "Originator Cancel",
            "RingGroup" if group else "", "Custom" if group else "", disposition(call), answered, abandoned,
        )
    ]
    if call.direction == OUTGOING:
        return legs
    offset = 0
    last = len(call.rung) - 1
    for position, (agent_index, ring) in enumerate(call.rung, start=0):
        agent = data.extensions[agent_index]
        took_it = call.answered_by == agent_index
        start = call.start_ms + offset
        connect = start + ring if took_it else None
        gave_up = abandoned and position == last
        legs.append(
            SimLeg(
                call.call_id + position + 1, "1", call.call_id, agent.extension, agent.name, agent.extension, LRA_EXTENSION,
                start, connect, (connect + call.talk_ms) if connect is not None else start + ring,
                call.talk_ms if took_it else 0,
                "Normal" if took_it else "Originator Cancel" if gave_up else "Ring No Answer",
                "", "", "Answered" if took_it else "Abandoned" if gave_up else "Missed", took_it, gave_up,
            )
        )
        offset += ring
    if call.outcome == VOICEMAIL:
        connect = call.start_ms + call.wait_ms
        legs.append(
            SimLeg(
                call.call_id + len(call.rung) + 1, "1", call.call_id, main_callee, "Voicemail", main_callee,
                LRA_RING_GROUP if group else LRA_EXTENSION, connect, connect, call.end_ms, 0, "Normal", "VMadvanced", "Custom", "Voicemail", False, False,
            )
        )
    return legs


def leg_wire(leg: SimLeg, call: SimCall, zone: tzinfo) -> dict:
    """One leg with every field of the vendor's example, in its order."""
    return {
        "callId": str(leg.call_id),
        "legId": leg.leg_id,
        "startTimeUTC": leg.start_ms,
        "startTime": iso_local(leg.start_ms, zone),
        "connectTimeUTC": leg.connect_ms or 0,
        "connectTime": iso_local(leg.connect_ms, zone),
        "disconnectedTimeUTC": leg.end_ms,
        "disconnectedTime": iso_local(leg.end_ms, zone),
        "talkTimeMS": leg.talk_ms,
        "talkTime": clock_text(leg.talk_ms),
        "caller": call.caller,
        "callerName": call.caller_name,
        "callee": leg.callee,
        "calleeName": leg.callee_name,
        "lra": leg.lra,
        "direction": call.direction,
        "parentCallId": str(leg.parent) if leg.parent is not None else None,
        "transferToCallId": None,
        "dnis": DNIS if call.direction == INCOMING else call.callee,
        "status": "Completed",
        "callerDeviceId": None,
        "calleeDeviceId": None,
        "callerDeviceModel": "",
        "calleeDeviceModel": "",
        "callerId": f"{call.caller_name},{call.caller}",
        "missed": "Missed" if not leg.answered and not leg.abandoned and call.direction != OUTGOING else "-",
        "abandoned": "Abandoned" if leg.abandoned else "-",
        "answered": "Answered" if leg.answered else "-",
        "cause": leg.cause,
        "callerSvcName": None,
        "callerSvcType": None,
        "calleeSvcName": leg.service or None,
        "calleeSvcType": leg.service_type or None,
        "lraType": leg.lra_type,
        "calleeHoldDurationMS": 0,
        "calleeHoldDuration": clock_text(0),
        "calleeDisconnectOnHold": "",
        "callerDisconnectOnHold": "",
        "pbxId": call.pbx,
        "sipCallId": f"{leg.call_id}@sim.invalid",
        "departments": [call.department] if call.department else [],
        "branches": [call.branch] if call.branch else [],
        "recordServiceOn": "",
        "bargeServiceOn": "",
        "masterSlaveExts": "",
        "propsLastPartyDisp": leg.disposition,
        "accountCode": "",
        "aaPath": "",
        "callTime": leg.end_ms - leg.start_ms,
    }
