"""Learning when the server's cache refreshes, so each poll lands just after it.

The real-time service answers from a cache refreshed every ``period`` seconds (10 s) at a
phase of its own. A poller with a fixed period gets data that is, on arrival, anywhere
from 0 to 10 s old (5 s on average). This module learns the phase from nothing but the
poller's own requests and whether their answers changed, and plans each request a small
margin after the predicted refresh:

* **Evidence.** When an answer differs from the previous one, a refresh happened between
  the previous request going out and this answer coming back: a *bracket*
  ``(previous sent, this answered]``. This holds whatever the data does (a quiet tenant
  may not change at a refresh, but nothing changes without one), so brackets are never
  wrong, only wide. Brackets narrower than a period are folded onto one period and
  intersected; the intersection is the estimate.
* **Learning** is a bisection: probe the middle of the bracket; a changed answer keeps
  the early half, an unchanged one the late half (then poll at the bracket's end to get
  the data). About 1.5 requests per cycle, for a handful of cycles.
* **Steady state**: one request per cycle, ``margin`` after the bracket's end.
* **Drift.** A request after the predicted refresh that comes back unchanged means the
  refresh came later (or the data was quiet): follow-ups at growing steps catch the
  change, and its bracket, which contradicts the old estimate, replaces it. A refresh
  that moved *earlier* cannot be seen from late requests, so every ``probe_every`` cycles
  one request goes just *before* the predicted refresh; a changed answer there
  contradicts the estimate in the same way. Contradicted evidence is dropped, newest
  first wins, and bisection starts again.
* **Quiet data.** An unchanged answer where a refresh was expected is not a miss when
  the caller knows the refresh did happen (another endpoint served by the same cache
  changed before this request went out): a small tenant's queues often stay the same for
  a cycle, and that costs no follow-ups and no suspicion of the rhythm.
* **Period check.** The period is assumed (10 s, or what the caller knows). If estimates
  keep being contradicted (``unsteady_after`` times within ``unsteady_window`` cycles),
  the period or phase is not steady enough to lock to: the tracker falls back to the
  fixed interval for ``unsteady_window`` cycles, then tries again.

Everything here is pure and driven by the caller's (monotonic) clock readings, so it is
tested on synthetic timelines, exactly.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Bracket:
    """A cache refresh happened after ``after`` and no later than ``until``."""

    after: float
    until: float

    @property
    def width(self) -> float:
        return self.until - self.after

    @property
    def middle(self) -> float:
        return (self.after + self.until) / 2


@dataclass(frozen=True, slots=True)
class CacheSync:
    """What is known of the cache's rhythm, for display and for dating data."""

    refresh: float  # one refresh instant (monotonic seconds): the middle of the estimate
    spread: float  # the estimate's width: the refresh lies within refresh ± spread/2
    period: float
    locked: bool  # narrow enough to plan on

    def last_refresh(self, moment: float) -> float:
        """The latest predicted refresh at or before ``moment``."""
        return self.refresh + math.floor((moment - self.refresh) / self.period) * self.period

    def phase_of(self, offset: float) -> float:
        """The refresh moment on another clock (``offset`` = that clock minus ours), mod period."""
        return (self.refresh + offset) % self.period


class Plan(Enum):
    """Why the next request goes when it does."""

    LEARN = "learn"  # no bracket yet: half-period steps
    MIDDLE = "middle"  # bisection probe in the middle of the bracket
    EARLY = "early"  # drift check just before the predicted refresh
    REGULAR = "regular"  # just after the predicted refresh
    FOLLOW = "follow"  # the regular answer was unchanged: try again a little later
    FIXED = "fixed"  # unsteady: the plain fixed interval


@dataclass(frozen=True, slots=True)
class _Answer:
    sent: float
    answered: float
    changed: bool
    refreshed: bool = False  # unchanged, but a refresh is known to have happened before it was sent


class PhaseTracker:
    """One endpoint's cache phase: feed it every answer, ask it when to poll next."""

    def __init__(
        self,
        period: float = 10.0,
        *,
        interval: float | None = None,
        margin: float | None = None,
        precision: float | None = None,
        probe_every: int = 10,
        follow_ups: int = 3,
        unsteady_after: int = 4,
        unsteady_window: int = 20,
    ) -> None:
        if period <= 0:
            raise ValueError("the cache period must be positive")
        self.period = float(period)
        self.interval = float(interval) if interval else self.period
        self.every = max(1, round(self.interval / self.period))  # cache cycles per request
        self.margin = self.period / 100 if margin is None else margin
        self.precision = self.period / 50 if precision is None else precision
        self.min_gap = self.period / 50
        self.probe_every = probe_every
        self.follow_ups = follow_ups
        self.unsteady_after = unsteady_after
        self.unsteady_window = unsteady_window
        self._episodes = 0  # consecutive unsteady spells: each waits twice as long
        self.plan = Plan.LEARN
        self.estimate: Bracket | None = None
        self.evidence = 0  # brackets folded into the estimate since it was last reset
        self.relearns = 0  # estimates contradicted by newer evidence
        self.misses = 0  # refreshes that did not come when expected (drift, or quiet data)
        self.requests = 0
        self._last: _Answer | None = None
        self.last_change: float | None = None  # when the latest changed answer came back
        self._latencies: deque[float] = deque(maxlen=5)
        self._unchanged_run = 0
        self._follow = 0
        self._quiet = False
        self._locked = False  # once narrow enough, locked until evidence contradicts it
        self._since_probe = 0
        self._misses: deque[float] = deque(maxlen=unsteady_after)
        self._unsteady_until: float | None = None

    # --- evidence -----------------------------------------------------------------------

    def observe(self, sent: float, answered: float, changed: bool, refreshed: bool = False) -> None:
        """One good answer: sent at ``sent``, back at ``answered``; did the data change?

        ``refreshed``: the data did not change, but the caller knows the cache refreshed
        before the request went out (another endpoint of the same cache changed): quiet data.
        """
        answered = max(answered, sent)
        self.requests += 1
        self._latencies.append(answered - sent)
        previous = self._last
        self._last = _Answer(sent, answered, changed, refreshed and not changed)
        if changed:
            self.last_change = answered
        if not changed:
            self._unchanged_run += 1
        else:
            self._unchanged_run = 0
            self._quiet = False
            if previous is not None:
                self._add(Bracket(previous.sent, answered))
        if self.estimate is not None and self.estimate.width <= self.good_width:
            self._locked = True  # and stays so until evidence contradicts it, whatever the latency does

    def _add(self, bracket: Bracket) -> None:
        if bracket.width >= self.period:
            return  # a refresh fits anywhere in a period: no information
        narrowed = self._overlap(bracket) if self.estimate is not None else bracket
        if narrowed is None:  # the cache moved: the newest evidence wins, bisection starts again
            narrowed = bracket
            self._locked = False
            self.relearns += 1
            self._misses.append(bracket.until)
            self._check_unsteady(bracket.until)
            self.evidence = 0
        self.estimate = narrowed
        self.evidence += 1
        if self.locked and self.evidence >= 3:
            self._episodes = 0  # steady again

    def _overlap(self, bracket: Bracket) -> Bracket | None:
        """``bracket`` narrowed by the estimate folded onto it, or None when they disagree."""
        estimate = self.estimate
        assert estimate is not None
        best: Bracket | None = None
        first = math.floor((bracket.after - estimate.until) / self.period)
        for k in (first, first + 1, first + 2):  # the estimate's occurrences that may overlap
            after = max(bracket.after, estimate.after + k * self.period)
            until = min(bracket.until, estimate.until + k * self.period)
            if after < until and (best is None or until - after > best.width):
                best = Bracket(after, until)
        return best

    def _check_unsteady(self, now: float) -> None:
        """Too many contradictions or missed refreshes: the rhythm is not one to lock to."""
        window = self.unsteady_window * self.period
        if len(self._misses) == self.unsteady_after and now - self._misses[0] <= window:
            self._unsteady_until = now + window * 2 ** min(self._episodes, 3)
            self._episodes += 1
            self._misses.clear()
            self.estimate = None
            self.evidence = 0
            self._locked = False

    # --- what is known ------------------------------------------------------------------

    @property
    def latency(self) -> float:
        """The median of the last few answers' round trips."""
        if not self._latencies:
            return 0.0
        ordered = sorted(self._latencies)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def good_width(self) -> float:
        """How narrow the estimate must be to lock: bisection cannot beat ~2 latencies."""
        return max(self.precision, 2.5 * self.latency)

    @property
    def locked(self) -> bool:
        return self._locked and self.estimate is not None and not self.unsteady

    @property
    def _stride(self) -> int:
        """Cycles between requests: learning needs every cycle, locked polling every ``every``."""
        return self.every if self.locked else 1

    @property
    def unsteady(self) -> bool:
        return self._unsteady_until is not None and self._last is not None and self._last.answered < self._unsteady_until

    def sync(self) -> CacheSync | None:
        if self.estimate is None or self.unsteady:
            return None
        return CacheSync(self.estimate.middle, self.estimate.width, self.period, self.locked)

    # --- planning -----------------------------------------------------------------------

    def next_poll(self) -> float:
        """The moment (on the caller's clock) the next request should go out."""
        last = self._last
        if last is None:
            return 0.0
        now = last.answered
        if self.unsteady:
            self.plan = Plan.FIXED
            return max(last.sent + self.interval, now)
        estimate = self.estimate
        if estimate is None:
            self.plan = Plan.LEARN
            step = self.period if self._unchanged_run >= 2 else self.period / 2
            return max(last.sent + step, now + self.min_gap)
        if last.changed:
            self._follow = 0
            # The cycle this request saw: the latest whose window opened before it went out
            # (counted from when it was sent: a round trip added to a wide window can pass a
            # period and would skip a cycle). The next is ``stride`` on; one already gone by
            # is stepped over by _open_cycle.
            k = math.floor((last.sent - estimate.after) / self.period) + self._stride
            return self._open_cycle(k, now)
        k = round((last.sent - estimate.middle) / self.period)  # the cycle being probed
        if self.plan in (Plan.MIDDLE, Plan.EARLY):
            self.plan = Plan.REGULAR
            return max(estimate.until + k * self.period + self.margin, now + self.min_gap)
        if last.refreshed:
            pass  # quiet data, known to be so: nothing to follow up, nothing missed
        elif self.plan in (Plan.REGULAR, Plan.FOLLOW) and not self._quiet and self._follow < self.follow_ups:
            step = self.period / 20 * 2**self._follow
            self._follow += 1
            self.plan = Plan.FOLLOW
            return now + step
        elif self.plan in (Plan.REGULAR, Plan.FOLLOW) and not self._quiet:
            self._quiet = True  # nothing changed after the refresh: quiet data, or a wrong period
            self.misses += 1
            self._misses.append(now)
            self._check_unsteady(now)
            if self.unsteady:
                self.plan = Plan.FIXED
                return max(last.sent + self.interval, now)
        self._follow = 0
        return self._open_cycle(k + self._stride, now)

    def _open_cycle(self, k: int, now: float) -> float:
        """Plan the first request for the refresh ``k`` periods after the estimate."""
        estimate = self.estimate
        assert estimate is not None
        check_due = self._since_probe + 1 >= self.probe_every and not self._quiet
        if check_due and self.locked and self.every > 1:
            # A check needs a request earlier in the same cycle; after a gap of several
            # cycles it would prove nothing. Check the cycle right after the last request.
            k -= self.every - 1
        while True:
            after = estimate.after + k * self.period
            until = estimate.until + k * self.period
            if not self.locked:
                # A changed answer narrows the bracket only if it comes back less than a period
                # after the previous request went out; probe no later than that allows.
                last_sent = self._last.sent if self._last else -math.inf
                latest = last_sent + self.period - 2 * self.latency - self.margin
                plan, moment = Plan.MIDDLE, min((after + until) / 2, latest)
                if moment <= after + self.margin / 2 and latest < until:
                    self._locked = True  # no useful probe left: lock on what is known
                    continue
            elif check_due:
                plan, moment = Plan.EARLY, after - self.margin
            else:
                plan, moment = Plan.REGULAR, until + self.margin
            if moment >= now + self.min_gap:
                break
            if until + self.margin >= now + self.min_gap:
                plan, moment = Plan.REGULAR, until + self.margin
                break
            k += 1
        self._since_probe = self._since_probe + 1 if plan is Plan.REGULAR else 0
        self.plan = plan
        return moment


def data_moment(received: float | None, sync: CacheSync | None) -> float | None:
    """When the cache produced data that arrived at ``received`` (same clock).

    With a locked phase it is the predicted refresh before the arrival; otherwise the
    arrival itself, which makes the age shown a lower bound.
    """
    if received is None:
        return None
    if sync is None or not sync.locked:
        return received
    return sync.last_refresh(received)
