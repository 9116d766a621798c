"""A deterministic contact-centre scenario that moves in 10-second cache cycles.

Agents in groups move through available, offered, busy, post-processing, break (with
reason codes), work offline and logged out, with dwell times drawn from realistic
distributions. Queues of mixed media receive work at rates that follow the staffing and
drift over time, so waits build up and thresholds trip now and then. Day counters grow;
30-minute figures slide.

The real service answers from a cache refreshed every 10 s, at a phase of its own. The
scenario does the same: its state exists only at cycle boundaries
``phase + k * cycle`` (epoch seconds), and :meth:`RealtimeScenario.view` returns the state
of the most recent boundary. Everything is drawn from ``random.Random`` seeded from the
scenario seed and the cycle number, so the same seed and clock give the same data.
"""

from __future__ import annotations

import copy
import math
import random
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, time as dtime, timezone, tzinfo
from typing import Callable

from wallboard.sim.names import (
    FIRST_NAMES,
    HOSTILE_AGENT_NAMES,
    HOSTILE_QUEUE_NAME,
    LAST_NAMES,
    QUEUE_NAMES,
)

AVAILABLE, OFFERED, BUSY, WRAP, BREAK, OFFLINE, LOGGED_OUT = 0, 1, 2, 3, 4, 5, 9
MEDIA_ID = {"phone": 1, "chat": 2, "email": 3, "vmail": 4}
QUEUE_MEDIA_CYCLE = ("phone", "phone", "chat", "email", "phone", "vmail", "chat", "phone")

BREAK_REASONS = ((201, "BRK", 600, 900), (202, "LUNCH", 1800, 2700), (203, "TRAIN", 1800, 3600), (204, "MEET", 900, 1800))
OFFLINE_REASONS = ((301, "ADMIN", 300, 1200), (302, "EMAIL", 300, 900), (303, "COACH", 600, 1200))
BREAK_LIST_ID, OFFLINE_LIST_ID = 20, 30

HANDLE_MEAN = {"phone": 240.0, "chat": 420.0, "email": 300.0, "vmail": 90.0}
PATIENCE_MEAN = {"phone": 240.0, "chat": 600.0, "email": math.inf, "vmail": math.inf}
SLA_SECONDS = {"phone": 30, "chat": 60, "email": 3600, "vmail": 900}
SLA_TARGET = {"phone": 80, "chat": 85, "email": 90, "vmail": 90}
WRAP_RANGE = (10.0, 75.0)
WINDOW = 1800.0  # the "thirty-min" figures
CURRENT_SLA_WINDOW = 900.0  # "sla-activity": the last fifteen minutes
MAX_CATCH_UP_STEPS = 360  # after a long pause, advance in larger steps


@dataclass(slots=True)
class Work:
    """One interaction: which queue it came from, when it arrived, when it gives up."""

    queue: int
    arrived: float
    deadline: float


@dataclass(slots=True)
class SimAgent:
    index: int
    agent_id: str
    name: str
    group_id: int
    queues: tuple[int, ...]
    status: int = LOGGED_OUT
    since: float = 0.0
    until: float = math.inf
    reason: tuple[int, str, int] | None = None
    media_id: int = 0
    work: Work | None = None
    line1: int = -1
    line1_since: float = 0.0
    line2: int = -1
    line2_since: float = 0.0
    last_login: float | None = None
    assigned_skills: int = 4
    enabled_skills: int = 4
    # closed time per state today and in the 30-minute window
    day_time: dict[int, float] = field(default_factory=dict)
    day_accepted: int = 0
    day_rejected: int = 0
    day_handled: int = 0
    day_handle_total: float = 0.0
    history: deque = field(default_factory=deque)  # (start, end, status)
    events: deque = field(default_factory=deque)  # (time, "accepted"|"rejected"|"handled", duration)
    code_override: tuple[int, int] | None = None  # hostile mode: unknown status/media codes


@dataclass(slots=True)
class SimQueue:
    index: int
    queue_id: str
    name: str
    media: str
    groups: tuple[int, ...]
    rate: float = 0.0  # arrivals per second at wave 1.0
    wave_phase: float = 0.0
    sla_seconds: int = 20
    sla_target: int = 80
    disabled_agents: int = 0
    waiting: deque = field(default_factory=deque)
    day_queued: int = 0
    day_accepted: int = 0
    day_abandoned: int = 0
    day_wait_total: float = 0.0
    day_sla_met: int = 0
    day_sla_counted: int = 0
    day_handled: int = 0
    day_handle_total: float = 0.0
    events: deque = field(default_factory=deque)  # (time, kind, wait, duration, sla_met)
    sla_hours: dict = field(default_factory=dict)  # hour number -> [met, counted], the last 12 h (v5's SLA over hours)


class RealtimeScenario:
    """The simulated tenant. Thread-safe: the HTTP server may call :meth:`view` from many threads."""

    def __init__(
        self,
        seed: int = 1,
        agents: int = 40,
        queues: int = 8,
        *,
        cycle: float = 10.0,
        phase: float | None = None,
        clock: Callable[[], float] = time.time,
        hostile: bool = False,
        zone: tzinfo = timezone.utc,
    ) -> None:
        if agents < 0 or queues < 1:
            raise ValueError("a scenario needs at least one queue and no negative agents")
        if cycle <= 0:
            raise ValueError("the cache cycle must be positive")
        self.seed = seed
        self.cycle = float(cycle)
        rng = random.Random(seed)
        self.phase = float(phase) % self.cycle if phase is not None else rng.uniform(0, self.cycle)
        self.clock = clock
        self.lock = threading.Lock()
        self.queues: list[SimQueue] = []
        self.agents: list[SimAgent] = []
        self._build(rng, agents, queues, hostile)
        self.cycle_index = self.cycle_at(clock())
        self.now = self.boundary(self.cycle_index)
        self.zone = zone
        """The tenant's zone: "today" (the day counters of both APIs) begins at its midnight."""
        self._day_start = local_midnight(self.now, zone)
        self._initialise(rng)
        self.version = 0  # increments whenever the cached state changes

    # --- time ---------------------------------------------------------------------------

    def cycle_at(self, moment: float) -> int:
        """The cache cycle that is current at epoch ``moment``."""
        return math.floor((moment - self.phase) / self.cycle)

    def boundary(self, index: int) -> float:
        """Epoch seconds at which cache cycle ``index`` began."""
        return self.phase + index * self.cycle

    def next_refresh(self, moment: float | None = None) -> float:
        """Epoch seconds of the first cache refresh after ``moment``."""
        moment = self.clock() if moment is None else moment
        return self.boundary(self.cycle_at(moment) + 1)

    def sync(self) -> int:
        """Advance the state to the current cache cycle; returns the cycle index."""
        target = self.cycle_at(self.clock())
        with self.lock:
            if target > self.cycle_index:
                self._advance(target)
            return self.cycle_index

    def _advance(self, target: int) -> None:
        behind = target - self.cycle_index
        stride = max(1, math.ceil(behind / MAX_CATCH_UP_STEPS))
        while self.cycle_index < target:
            index = min(target, self.cycle_index + stride)
            self._step(index)
        self.version += 1

    # --- construction -------------------------------------------------------------------

    def _build(self, rng: random.Random, n_agents: int, n_queues: int, hostile: bool) -> None:
        n_groups = max(1, min(n_queues * 2, round(n_agents / 10) or 1))
        group_ids = [101 + g for g in range(n_groups)]
        for q in range(n_queues):
            media = QUEUE_MEDIA_CYCLE[q % len(QUEUE_MEDIA_CYCLE)]
            names = QUEUE_NAMES[media]
            nth = sum(1 for other in self.queues if other.media == media)
            name = names[nth % len(names)]
            if nth >= len(names):
                name = f"{name} {nth // len(names) + 1}"
            groups = {q % n_groups}
            if n_groups > 1:
                groups.add((q + 1) % n_groups)
            self.queues.append(
                SimQueue(
                    index=q,
                    queue_id=str(111 + q),
                    name=name,
                    media=media,
                    groups=tuple(sorted(groups)),
                    wave_phase=rng.uniform(0, 2 * math.pi),
                    sla_seconds=SLA_SECONDS[media],
                    sla_target=SLA_TARGET[media],
                    disabled_agents=rng.choice((0, 0, 1)),
                )
            )
        for g in range(n_groups):  # every group serves at least one queue
            if not any(g in q.groups for q in self.queues):
                queue = self.queues[g % n_queues]
                queue.groups = tuple(sorted({*queue.groups, g}))
        used_ids: set[str] = set()
        for a in range(n_agents):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            agent_id = _login_id(first, last, used_ids)
            group = a % n_groups
            served = tuple(q.index for q in self.queues if group in q.groups)
            self.agents.append(
                SimAgent(
                    index=a,
                    agent_id=agent_id,
                    name=f"{first} {last}",
                    group_id=group_ids[group],
                    queues=served,
                    assigned_skills=len(served) + rng.randint(0, 2),
                )
            )
            self.agents[-1].enabled_skills = max(1, self.agents[-1].assigned_skills - rng.choice((0, 0, 1)))
        if hostile:
            for agent, name in zip(self.agents, HOSTILE_AGENT_NAMES):
                agent.name = name
            if len(self.agents) > len(HOSTILE_AGENT_NAMES):
                self.agents[len(HOSTILE_AGENT_NAMES)].code_override = (7, 9)
            self.queues[-1].name = HOSTILE_QUEUE_NAME
        for queue in self.queues:
            capacity = sum(
                1 / len(agent.queues) for agent in self.agents if queue.index in agent.queues
            )
            busy_time = HANDLE_MEAN[queue.media] + sum(WRAP_RANGE) / 2 + 8
            queue.rate = 0.55 * capacity / busy_time

    def _initialise(self, rng: random.Random) -> None:
        """Place everyone mid-shift, with plausible history for day and 30-minute figures."""
        now = self.now
        shift_elapsed = rng.uniform(2.5, 4.5) * 3600
        weights = ((AVAILABLE, 25), (OFFERED, 3), (BUSY, 35), (WRAP, 10), (BREAK, 9), (OFFLINE, 5), (LOGGED_OUT, 13))
        states = [s for s, _ in weights]
        probabilities = [w for _, w in weights]
        for agent in self.agents:
            status = rng.choices(states, probabilities)[0]
            if not agent.queues and status in (OFFERED, BUSY, WRAP):
                status = AVAILABLE
            if status == LOGGED_OUT:
                agent.status, agent.since = LOGGED_OUT, now - rng.uniform(0, 4 * 3600)
                agent.until = now + rng.uniform(120, 5400) if rng.random() < 0.7 else math.inf
                agent.last_login = None if rng.random() < 0.3 else now - shift_elapsed - rng.uniform(3600, 8 * 3600)
                agent.media_id = rng.choice((0, 1))
                continue
            login = now - shift_elapsed * rng.uniform(0.7, 1.0)
            agent.last_login = login
            agent.line1, agent.line1_since = 0, login
            self._backfill(agent, rng, login)
            self._enter_initial(agent, status, rng)
        for queue in self.queues:
            self._backfill_queue(queue, rng, shift_elapsed)

    def _backfill(self, agent: SimAgent, rng: random.Random, login: float) -> None:
        """Synthesize day totals and 30-minute history that end now."""
        elapsed = self.now - login
        busy_share, wrap_share = rng.uniform(0.45, 0.65), rng.uniform(0.08, 0.14)
        break_share, offline_share = rng.uniform(0.04, 0.1), rng.uniform(0.0, 0.06)
        agent.day_time = {
            BUSY: elapsed * busy_share,
            WRAP: elapsed * wrap_share,
            BREAK: elapsed * break_share,
            OFFLINE: elapsed * offline_share,
            OFFERED: elapsed * 0.02,
        }
        agent.day_time[AVAILABLE] = max(0.0, elapsed - sum(agent.day_time.values()))
        media = self.queues[agent.queues[0]].media if agent.queues else "phone"
        handled = int(elapsed * busy_share / HANDLE_MEAN[media])
        agent.day_accepted = handled + rng.randint(0, 1)
        agent.day_handled = handled
        agent.day_handle_total = handled * HANDLE_MEAN[media] * rng.uniform(0.8, 1.2)
        agent.day_rejected = rng.choice((0, 0, 0, 1, 2))
        agent.media_id = MEDIA_ID[media]
        # a synthetic 30-minute history: alternating available / busy / wrap segments
        t = self.now - WINDOW
        while t < self.now - 60:
            for status, length in (
                (AVAILABLE, rng.uniform(20, 160)),
                (BUSY, rng.expovariate(1 / HANDLE_MEAN[media])),
                (WRAP, rng.uniform(*WRAP_RANGE)),
            ):
                end = min(t + length, self.now - 60)
                if end > t:
                    agent.history.append((t, end, status))
                    if status == BUSY:
                        agent.events.append((t, "accepted", 0.0))
                        agent.events.append((end, "handled", end - t))
                t = end

    def _backfill_queue(self, queue: SimQueue, rng: random.Random, shift_elapsed: float) -> None:
        day_arrivals = int(queue.rate * shift_elapsed * rng.uniform(0.8, 1.1))
        abandon_share = 0.0 if math.isinf(PATIENCE_MEAN[queue.media]) else rng.uniform(0.02, 0.09)
        queue.day_queued = day_arrivals
        queue.day_abandoned = int(day_arrivals * abandon_share)
        queue.day_accepted = day_arrivals - queue.day_abandoned
        queue.day_wait_total = queue.day_accepted * rng.uniform(8, 45)
        queue.day_sla_counted = queue.day_accepted + queue.day_abandoned
        queue.day_sla_met = int(queue.day_sla_counted * rng.uniform(0.72, 0.95))
        queue.day_handled = queue.day_accepted
        queue.day_handle_total = queue.day_accepted * HANDLE_MEAN[queue.media] * rng.uniform(0.85, 1.15)
        t = self.now - WINDOW
        while True:
            t += rng.expovariate(max(queue.rate, 1e-6))
            if t >= self.now:
                break
            wait = rng.expovariate(1 / 25)
            if rng.random() < abandon_share:
                queue.events.append((t, "abandoned", wait, 0.0, False))
            else:
                queue.events.append((t, "accepted", wait, 0.0, wait <= queue.sla_seconds))
                queue.events.append((t + wait, "handled", 0.0, rng.expovariate(1 / HANDLE_MEAN[queue.media]), False))
            queue.events.append((t - wait, "queued", 0.0, 0.0, False))
        queue.events = deque(sorted(queue.events))
        self._backfill_sla_hours(queue, shift_elapsed)

    def _backfill_sla_hours(self, queue: SimQueue, shift_elapsed: float) -> None:
        """Hourly service-level buckets for the shift so far (v5's SLA over 1..12 h), drawn
        from a stream of their own so the rest of the scenario is unchanged by them."""
        rng = random.Random(self.seed * 7919 + queue.index)
        hour_rate = queue.rate * 3600
        start, end = self.now - min(shift_elapsed, 12 * 3600), self.now - WINDOW
        moment = start
        while moment < end:
            counted = max(0, int(hour_rate * min(3600.0, end - moment) / 3600 * rng.uniform(0.7, 1.2)))
            bucket = queue.sla_hours.setdefault(int(moment // 3600), [0, 0])
            bucket[0] += int(counted * rng.uniform(0.65, 0.97))
            bucket[1] += counted
            moment += 3600.0
        for when, kind, _wait, _duration, met in queue.events:
            if kind in ("accepted", "abandoned"):
                _count_hour(queue, when, met)

    def _enter_initial(self, agent: SimAgent, status: int, rng: random.Random) -> None:
        now = self.now
        if status in (OFFERED, BUSY, WRAP):
            q = rng.choice(agent.queues)
            media = self.queues[q].media
            agent.work = Work(q, now - rng.uniform(5, 60), math.inf)
            agent.media_id = MEDIA_ID[media]
            if status == OFFERED:
                self._set(agent, OFFERED, now - rng.uniform(0, 6), rng.uniform(3, 10))
            elif status == BUSY:
                length = rng.expovariate(1 / HANDLE_MEAN[media])
                started = now - rng.uniform(0, length)
                self._set(agent, BUSY, started, length - (now - started))
            else:
                self._set(agent, WRAP, now - rng.uniform(0, 30), rng.uniform(*WRAP_RANGE))
            if media == "phone" and status != WRAP:
                agent.line1 = 3 if status == OFFERED else 5
                agent.line1_since = agent.since
        elif status == BREAK:
            reason = rng.choice(BREAK_REASONS)
            agent.reason = (reason[0], reason[1], BREAK_LIST_ID)
            self._set(agent, BREAK, now - rng.uniform(0, reason[2]), rng.uniform(0, reason[3]))
            if rng.random() < 0.15:  # some breaks overrun: the board should notice
                agent.since -= reason[3]
        elif status == OFFLINE:
            reason = rng.choice(OFFLINE_REASONS)
            agent.reason = (reason[0], reason[1], OFFLINE_LIST_ID)
            self._set(agent, OFFLINE, now - rng.uniform(0, reason[2]), rng.uniform(0, reason[3]))
        else:
            self._set(agent, AVAILABLE, now - rng.uniform(0, 120), rng.uniform(10, 60))

    # --- stepping -----------------------------------------------------------------------

    def _set(self, agent: SimAgent, status: int, since: float, remaining: float) -> None:
        """Put ``agent`` in ``status`` since ``since``, leaving it ``remaining`` seconds from now."""
        agent.status, agent.since = status, since
        agent.until = self.now + max(0.0, remaining)

    def _leave(self, agent: SimAgent, at: float) -> None:
        """Close the agent's current state segment at ``at``."""
        if agent.status != LOGGED_OUT:
            start = max(agent.since, self.day_start)
            agent.day_time[agent.status] = agent.day_time.get(agent.status, 0.0) + max(0.0, at - start)
            agent.history.append((agent.since, at, agent.status))

    def _change(self, agent: SimAgent, status: int, at: float, dwell: float) -> None:
        self._leave(agent, at)
        agent.status, agent.since, agent.until = status, at, at + dwell
        if status not in (BREAK, OFFLINE):
            agent.reason = None

    def _step(self, index: int) -> None:
        previous, now = self.now, self.boundary(index)
        self.cycle_index, self.now = index, now
        rng = random.Random(self.seed * 1_000_003 + index)
        self._roll_day(now)
        self._arrivals(rng, previous, now)
        self._abandonments(now)
        for agent in self.agents:
            if agent.until <= now:
                self._transition(agent, rng, now)
            elif agent.status == AVAILABLE and now - agent.since > 60:
                self._maybe_leave_available(agent, rng, now)
            if agent.status == BUSY and agent.line1 in (1, 2, 5) and self.queues[agent.work.queue].media == "phone":
                self._line_flicker(agent, rng, now)
        self._assign(rng, now)
        self._prune(now)

    @property
    def day_start(self) -> float:
        """Epoch seconds when the day counters began: the last midnight in :attr:`zone`."""
        return self._day_start

    def use_zone(self, zone: tzinfo) -> None:
        """Count "today" in ``zone`` from now on (a v5 request's ``timezone``: the zone the
        tenant's day is asked in). The counters carry on (the simulated shift began after
        any zone's midnight) and reset at the next midnight in ``zone``; the simulator
        keeps one day's counters, not one per zone."""
        with self.lock:
            if zone != self.zone:
                self.zone = zone
                self._day_start = local_midnight(self.now, zone)

    def _roll_day(self, now: float) -> None:
        midnight = local_midnight(now, self.zone)
        if midnight > self._day_start:
            self._day_start = midnight
            self._reset_day()

    def _reset_day(self) -> None:
        for agent in self.agents:
            agent.day_time.clear()
            agent.day_accepted = agent.day_rejected = agent.day_handled = 0
            agent.day_handle_total = 0.0
        for queue in self.queues:
            queue.day_queued = queue.day_accepted = queue.day_abandoned = 0
            queue.day_sla_met = queue.day_sla_counted = queue.day_handled = 0
            queue.day_wait_total = queue.day_handle_total = 0.0

    def _wave(self, queue: SimQueue, moment: float) -> float:
        slow = math.sin(2 * math.pi * moment / 3600 + queue.wave_phase)
        fast = math.sin(2 * math.pi * moment / 600 + 2 * queue.wave_phase)
        return max(0.2, 1 + 0.3 * slow + 0.15 * fast)

    def _arrivals(self, rng: random.Random, previous: float, now: float) -> None:
        for queue in self.queues:
            expected = queue.rate * (now - previous) * self._wave(queue, now)
            for _ in range(_poisson(rng, expected)):
                arrived = rng.uniform(previous, now)
                patience = PATIENCE_MEAN[queue.media]
                deadline = arrived + (rng.expovariate(1 / patience) if math.isfinite(patience) else math.inf)
                queue.waiting.append(Work(queue.index, arrived, deadline))
                queue.day_queued += 1
                queue.events.append((arrived, "queued", 0.0, 0.0, False))
            if len(queue.waiting) > 1:
                queue.waiting = deque(sorted(queue.waiting, key=lambda work: work.arrived))

    def _abandonments(self, now: float) -> None:
        for queue in self.queues:
            if not any(work.deadline <= now for work in queue.waiting):
                continue
            kept = deque()
            for work in queue.waiting:
                if work.deadline <= now:
                    queue.day_abandoned += 1
                    queue.day_sla_counted += 1
                    _count_hour(queue, work.deadline, False)
                    queue.events.append((work.deadline, "abandoned", work.deadline - work.arrived, 0.0, False))
                else:
                    kept.append(work)
            queue.waiting = kept

    def _transition(self, agent: SimAgent, rng: random.Random, now: float) -> None:
        status = agent.status
        if status == OFFERED:
            queue = self.queues[agent.work.queue]
            if rng.random() < 0.94:
                wait = agent.since - agent.work.arrived
                queue.day_accepted += 1
                queue.day_wait_total += wait
                met = wait <= queue.sla_seconds
                queue.day_sla_counted += 1
                queue.day_sla_met += met
                _count_hour(queue, now, met)
                queue.events.append((now, "accepted", wait, 0.0, met))
                agent.day_accepted += 1
                agent.events.append((now, "accepted", 0.0))
                self._change(agent, BUSY, now, max(15.0, rng.expovariate(1 / HANDLE_MEAN[queue.media])))
                if queue.media == "phone":
                    self._line(agent, 5, now)
            else:
                agent.day_rejected += 1
                agent.events.append((now, "rejected", 0.0))
                queue.waiting.appendleft(agent.work)
                agent.work = None
                self._change(agent, AVAILABLE, now, rng.uniform(20, 60))
                if agent.line1 != -1:
                    self._line(agent, 0, now)
        elif status == BUSY:
            queue = self.queues[agent.work.queue]
            duration = now - agent.since
            queue.day_handled += 1
            queue.day_handle_total += duration
            queue.events.append((now, "handled", 0.0, duration, False))
            agent.day_handled += 1
            agent.day_handle_total += duration
            agent.events.append((now, "handled", duration))
            self._change(agent, WRAP, now, rng.uniform(*WRAP_RANGE))
            if agent.line1 != -1:
                self._line(agent, 0, now)
            if agent.line2 != -1:
                agent.line2, agent.line2_since = -1, now
        elif status == WRAP:
            agent.work = None
            if not self._maybe_leave_available(agent, rng, now, scale=12.0):
                self._change(agent, AVAILABLE, now, rng.uniform(30, 90))
        elif status in (BREAK, OFFLINE):
            self._change(agent, AVAILABLE, now, rng.uniform(30, 90))
        elif status == LOGGED_OUT:
            agent.status, agent.since, agent.until = AVAILABLE, now, now + rng.uniform(30, 90)
            agent.last_login = now
            self._line(agent, 0, now)
        else:  # available: stay, and decide again later
            agent.until = now + rng.uniform(30, 90)

    def _maybe_leave_available(
        self, agent: SimAgent, rng: random.Random, now: float, scale: float = 1.0
    ) -> bool:
        """Sometimes take a break, work offline or log out; True if the agent left.

        ``scale`` raises the odds at natural moments (the end of post-processing).
        """
        roll = rng.random() / scale
        if roll < 0.003:
            reason = rng.choice(BREAK_REASONS)
            self._change(agent, BREAK, now, rng.uniform(reason[2], reason[3]))
            agent.reason = (reason[0], reason[1], BREAK_LIST_ID)
        elif roll < 0.0042:
            reason = rng.choice(OFFLINE_REASONS)
            self._change(agent, OFFLINE, now, rng.uniform(reason[2], reason[3]))
            agent.reason = (reason[0], reason[1], OFFLINE_LIST_ID)
        elif roll < 0.0046:
            self._change(agent, LOGGED_OUT, now, rng.uniform(900, 5400))
            self._line(agent, -1, now)
        else:
            return False
        return True

    def _line(self, agent: SimAgent, status: int, now: float) -> None:
        if agent.line1 != status:
            agent.line1, agent.line1_since = status, now

    def _line_flicker(self, agent: SimAgent, rng: random.Random, now: float) -> None:
        roll = rng.random()
        if agent.line1 == 5 and roll < 0.03:
            self._line(agent, rng.choice((1, 1, 2)), now)
        elif agent.line1 in (1, 2) and roll < 0.3:
            self._line(agent, 5, now)
        if agent.line2 == -1 and roll > 0.995:
            agent.line2, agent.line2_since = 5, now
        elif agent.line2 == 5 and roll < 0.2:
            agent.line2, agent.line2_since = -1, now

    def _assign(self, rng: random.Random, now: float) -> None:
        """Offer waiting work, oldest first, to the longest-available agent serving its queue."""
        if not any(queue.waiting for queue in self.queues):
            return
        free: dict[int, list[SimAgent]] = {}
        for agent in self.agents:
            if agent.status == AVAILABLE:
                for q in agent.queues:
                    free.setdefault(q, []).append(agent)
        for candidates in free.values():
            candidates.sort(key=lambda agent: agent.since)
        taken: set[int] = set()
        pending = sorted(
            (work.arrived, work.queue) for queue in self.queues for work in queue.waiting
        )
        for _, q in pending:
            queue = self.queues[q]
            candidates = free.get(q, [])
            while candidates and candidates[0].index in taken:
                candidates.pop(0)
            if not candidates or not queue.waiting:
                continue
            agent = candidates.pop(0)
            taken.add(agent.index)
            work = queue.waiting.popleft()
            agent.work = work
            agent.media_id = MEDIA_ID[queue.media]
            self._change(agent, OFFERED, now, rng.uniform(3, 12))
            if queue.media == "phone":
                self._line(agent, 3, now)

    def _prune(self, now: float) -> None:
        horizon = now - WINDOW
        for queue in self.queues:
            while queue.events and queue.events[0][0] < horizon:
                queue.events.popleft()
        for agent in self.agents:
            while agent.history and agent.history[0][1] < horizon:
                agent.history.popleft()
            while agent.events and agent.events[0][0] < horizon:
                agent.events.popleft()

    def peek(self, index: int) -> "RealtimeScenario":
        """A copy of the tenant stepped to cache cycle ``index``: what the cache will show
        then (the event stream tells of those changes before the cache does). Stepping is
        deterministic (each cycle's random stream is seeded by its index), so the tenant
        itself arrives at the same state."""
        with self.lock:
            twin = copy.copy(self)
            twin.agents = copy.deepcopy(self.agents)
            twin.queues = copy.deepcopy(self.queues)
        twin.lock = threading.Lock()
        if index > twin.cycle_index:
            twin._advance(index)
        return twin

    # --- the cached view ----------------------------------------------------------------

    def view(self) -> tuple[int, float]:
        """Bring the state up to date; returns (cycle index, epoch of that cache refresh).

        What the service would answer for it is :mod:`wallboard.sim.rtstats_wire`'s."""
        index = self.sync()
        return index, self.boundary(index)


SLA_HOURS_KEPT = 13


def local_midnight(moment: float, zone: tzinfo) -> float:
    """Epoch seconds of the midnight that began ``moment``'s calendar day in ``zone``
    (where a zone skips midnight for summer time, the day begins when the clock resumes)."""
    day = datetime.fromtimestamp(moment, zone).date()
    return datetime.combine(day, dtime(0), zone).timestamp()


def _count_hour(queue: SimQueue, moment: float, met: bool) -> None:
    """One service-level outcome in its hour's bucket; buckets older than 12 h are dropped."""
    hour = int(moment // 3600)
    bucket = queue.sla_hours.setdefault(hour, [0, 0])
    bucket[0] += met
    bucket[1] += 1
    for old in [h for h in queue.sla_hours if h <= hour - SLA_HOURS_KEPT]:
        del queue.sla_hours[old]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _login_id(first: str, last: str, used: set[str]) -> str:
    folded = unicodedata.normalize("NFKD", first[0] + last).lower()
    base = "".join(ch for ch in folded if ch.isascii() and ch.isalnum()) or "agent"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}{n}"
    used.add(candidate)
    return candidate
