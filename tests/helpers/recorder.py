"""A recording source for the poller, and the back-off rule it is checked against.

:class:`Recorder` wraps the real :class:`~wallboard.clients.rtstats.RealtimeClient` (HTTP
to the simulator underneath, in-process or over loopback) and checks, as each request
ends, the promises about
request rate: never more than one request in flight per endpoint; after a success the
next request starts no sooner than one interval after the previous one started; after
the k-th failure in a row it waits at least the back-off's smallest possible delay (and
any Retry-After). It keeps counts and the first few violations only, so it can run for
hours in the soak test without growing.

Its clock is the event loop's: on the virtual-time loop every gap it measures is the one
the poller chose, exactly (``tolerance`` and ``slack`` 0); on a real loop a busy machine
only makes gaps longer, so "never too early" holds at any pace, while "not too late"
needs ``slack``.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from dataclasses import dataclass

from wallboard.live.backoff import Backoff
from wallboard.errors import ApiError, AuthError

FEEDS = ("agents", "queues")
TOLERANCE = 0.01
"""Seconds of timer slack allowed when checking that a request did not come too early."""
SLACK = 0.75
"""Seconds a busy test machine may run a timer late when checking that a retry was not late."""


def smallest_backoff(interval: float, failures: int, retry_after: float | None = None, backoff: Backoff | None = None) -> float:
    """The shortest delay :class:`Backoff` can draw after ``failures`` failures in a row."""
    backoff = backoff or Backoff(interval)
    cap = max(backoff.cap, interval)
    nominal = min(cap, interval * 2 ** max(0, failures - 1))
    smallest = max(interval, nominal * (1 - backoff.jitter))
    return max(smallest, retry_after or 0.0)


def largest_backoff(interval: float, failures: int, retry_after: float | None = None, backoff: Backoff | None = None) -> float:
    """The longest delay :class:`Backoff` can draw after ``failures`` failures in a row."""
    backoff = backoff or Backoff(interval)
    nominal = min(max(backoff.cap, interval), interval * 2 ** max(0, failures - 1))
    return max(interval, nominal, retry_after or 0.0)


@dataclass(frozen=True, slots=True)
class Attempt:
    feed: str
    started: float
    ended: float
    outcome: str  # "ok" or the error's class name


@dataclass(slots=True)
class _Last:
    started: float
    ended: float
    error: str | None  # the error's class name; the exception itself is not kept (its
    retry_after: float | None  # traceback can hold a whole refused answer)
    refused: bool
    failures: int  # consecutive failures including this attempt


class Recorder:
    """A :class:`~wallboard.live.poller.Source` that passes calls through and checks their pacing."""

    def __init__(self, source, interval: float, clock=None, tolerance: float = TOLERANCE, slack: float = SLACK) -> None:
        self.source = source
        self.interval = interval
        self.clock = clock or (lambda: asyncio.get_running_loop().time())
        self.tolerance = tolerance
        self.slack = slack
        self.attempts: Counter[str] = Counter()
        self.outcomes: Counter[tuple[str, str]] = Counter()  # (feed, "ok" or error class)
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.violations: list[str] = []
        self.messages: dict[str, set[str]] = {feed: set() for feed in FEEDS}
        self.longest_gap: dict[str, float] = {feed: 0.0 for feed in FEEDS}
        self._exempt: set[str] = set()  # feeds whose next request may come early (see allow_early)
        self.log: deque[Attempt] = deque(maxlen=200)  # the most recent attempts, for assertions
        self._last: dict[str, _Last] = {}

    async def agents(self):
        return await self._call("agents", self.source.agents)

    async def queues(self):
        return await self._call("queues", self.source.queues)

    async def _call(self, feed: str, fetch):
        started = self.clock()
        self._check_pacing(feed, started)
        self.attempts[feed] += 1
        self.in_flight[feed] += 1
        self.max_in_flight[feed] = max(self.max_in_flight[feed], self.in_flight[feed])
        if self.in_flight[feed] > 1:
            self._violation(f"{feed}: {self.in_flight[feed]} requests in flight at once")
        error: BaseException | None = None
        try:
            return await fetch()
        except BaseException as caught:
            error = caught
            raise
        finally:
            self.in_flight[feed] -= 1
            previous = self._last.get(feed)
            failed = error is not None and not isinstance(error, asyncio.CancelledError)
            failures = (previous.failures if previous and previous.error else 0) + 1 if failed else 0
            outcome = type(error).__name__ if failed else "ok"
            retry_after = error.retry_after if isinstance(error, ApiError) else None
            self._last[feed] = _Last(
                started, self.clock(), outcome if failed else None, retry_after, isinstance(error, AuthError), failures
            )
            self.outcomes[(feed, outcome)] += 1
            self.log.append(Attempt(feed, started, self.clock(), outcome))
            if failed and len(self.messages[feed]) < 100:
                self.messages[feed].add(str(error))
            error = None

    def _check_pacing(self, feed: str, started: float) -> None:
        previous = self._last.get(feed)
        if previous is None:
            return
        self.longest_gap[feed] = max(self.longest_gap[feed], started - previous.started)
        if feed in self._exempt or previous.refused:
            self._exempt.discard(feed)
            return
        if previous.error is None:
            gap, needed, rule = started - previous.started, self.interval, "one interval after the last start"
        else:
            gap = started - previous.ended
            needed = smallest_backoff(self.interval, previous.failures, previous.retry_after)
            rule = f"back-off after {previous.failures} failure(s) ({previous.error})"
        if gap < needed - self.tolerance:
            self._violation(f"{feed}: next request after {gap:.3f}s; {rule} needs {needed:.3f}s")

    def allow_early(self) -> None:
        """The next request on each endpoint may come at once: the test pressed r, or moved
        the board's monotonic clock (a suspend really does mean the interval has passed)."""
        self._exempt = set(FEEDS)

    def since(self, moment: float, feed: str) -> list[Attempt]:
        """The logged attempts on ``feed`` that started at or after ``moment``."""
        return [attempt for attempt in self.log if attempt.feed == feed and attempt.started >= moment]

    def recovery(self, healed: float, feed: str, retry_after: float | None = None) -> tuple[float, float]:
        """Check that ``feed`` recovered at its next scheduled try after the server healed.

        Requests already in flight when the server healed may still fail (a slow answer
        times out later); the first request *started* after healing must succeed, and it
        must start within the back-off window of the failure before it (plus ``slack``). Returns (seconds from healing to fresh data, the back-off window allowed).
        """
        log = [attempt for attempt in self.log if attempt.feed == feed]
        history = self.describe(healed - 5)
        finished = [i for i, attempt in enumerate(log) if attempt.ended >= healed]
        good = [i for i in finished if log[i].outcome == "ok"]
        assert good, f"{feed}: no successful try since the server healed\n{history}"
        first = good[0]
        late = [log[i] for i in finished if i < first and log[i].started >= healed]
        assert not late, f"{feed}: the first try started after the server healed failed\n{history}"
        failures = 0
        for attempt in reversed(log[:first]):
            if attempt.outcome == "ok":
                break
            failures += 1
        allowed = self.interval
        if failures and log[first].started >= healed:
            previous = log[first - 1]
            allowed = max(0.0, previous.ended + largest_backoff(self.interval, failures, retry_after) - healed)
            waited = log[first].started - healed
            assert waited <= allowed + self.slack, (
                f"{feed}: the first try came {waited:.2f}s after healing; the back-off allowed {allowed:.2f}s\n{history}"
            )
        return log[first].ended - healed, allowed

    def describe(self, since: float = 0.0) -> str:
        return "\n".join(
            f"  {a.feed:6} {a.started - since:7.3f} → {a.ended - since:7.3f}  {a.outcome}" for a in self.log if a.started >= since
        )

    def _violation(self, text: str) -> None:
        if len(self.violations) < 20:
            self.violations.append(text)
