"""The simulator's Work Analytics calls: generated per day, consistent with the live scenario.

This module generates the directory and the calls; :mod:`wallboard.sim.analytics_stats`
adds them up into the summary reports' counters, and :mod:`wallboard.sim.analytics_wire`
writes reports, call records and legs in the vendor's wire form.

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
"""

from __future__ import annotations

import math
import random
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

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


class AnalyticsData:
    """The simulated tenant's directory and its calls, day by day. Thread-safe."""

    def __init__(self, scenario: RealtimeScenario) -> None:
        self.seed = scenario.seed
        self.extensions, self.ring_groups = _directory(scenario)
        memberships = Counter(agent for group in self.ring_groups for agent in group.members)
        self._capacity = tuple(sum(1 / memberships[agent] for agent in group.members) for group in self.ring_groups)
        """Each ring group's share of its members' time: inbound calls follow staffing."""
        self._lock = threading.Lock()
        self._calls: OrderedDict[int, tuple[SimCall, ...]] = OrderedDict()

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
        first, last = self.days(start_ms, end_ms, now_ms)
        out: list[SimCall] = []
        for day in range(first, last + 1):
            out.extend(
                call
                for call in self.day_calls(day)
                if start_ms <= call.start_ms <= end_ms and call.end_ms <= now_ms and (pbxes is None or call.pbx in pbxes)
            )
        return out

    def days(self, start_ms: int, end_ms: int, now_ms: int) -> tuple[int, int]:
        """The first and last UTC day with calls that can be in the range."""
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

    # --- the directory --------------------------------------------------------------------

    def pbx_names(self) -> list[str]:
        """The PBXs that have an extension or a ring group."""
        return [pbx for pbx in PBX_NAMES if self.pbx_used(pbx)]

    def directory(self) -> frozenset[str]:
        """Every extension number of the tenant: users' and ring groups'."""
        return frozenset(agent.extension for agent in self.extensions) | frozenset(group.extension for group in self.ring_groups)

    def pbx_used(self, pbx: str) -> bool:
        return any(agent.pbx == pbx for agent in self.extensions) or any(group.pbx == pbx for group in self.ring_groups)

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


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``, several times faster (the generator is hot)."""
    return low + int(rng.random() * (high - low + 1))


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



