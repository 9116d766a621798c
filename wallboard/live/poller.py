"""The one poller: fetches agents and queues and hands the board immutable snapshots.

Each endpoint has its own loop, so a slow or failing endpoint never delays or blanks the
other, and at most one request per endpoint is ever in flight. On success the next poll
is scheduled one interval after the previous one started; on failure the endpoint backs
off (:class:`~wallboard.live.backoff.Backoff`), keeping its last good records. Refused
credentials stop both loops until :meth:`Poller.resume` (the user pressed ``r`` or changed
the settings): retrying a refused token only earns a lockout.

Behind a ``wallboard relay`` whose own polling fails, an answer is good but its data is
not: the records are dated by the relay's age (so the board's age and STALE are the
truth, not the age of the relay's answer) and the feed says the relay's reason while
the poller keeps its normal rhythm (the relay is fine; 8x8 is not).

The poller runs in the board's event loop; parsing of large payloads happens in a
thread inside the client, so nothing here blocks the UI.
"""

from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable, Protocol

from wallboard.live import clock
from wallboard.clients.rtstats import Fetched
from wallboard.live.backoff import Backoff
from wallboard.core.model.snapshot import Feed, Snapshot
from wallboard.errors import ApiError, AuthError, without_retry_note

FEEDS = ("agents", "queues")


class Source(Protocol):
    """What the poller needs of a client (RealtimeClient satisfies it)."""

    async def agents(self) -> Fetched: ...

    async def queues(self) -> Fetched: ...


class Schedule:
    """When to poll next after a success: a fixed period from the previous start.

    ``answered`` is when the answer arrived (before parsing); ``finished`` is now.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def next_delay(self, feed: str, started: float, finished: float, changed: bool, answered: float | None = None) -> float:
        return max(0.0, started + self.interval - finished)


class Poller:
    def __init__(
        self,
        source: Source,
        interval: float,
        on_snapshot: Callable[[Snapshot], None],
        *,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = clock.monotonic,
        backoff: Backoff | None = None,
        schedule: Schedule | None = None,
    ) -> None:
        self.source = source
        self.interval = interval
        self.on_snapshot = on_snapshot
        self.wall = wall
        self.mono = mono
        self.backoff = backoff or Backoff(interval)
        self.schedule = schedule or Schedule(interval)
        self.snapshot = Snapshot(interval=interval)
        self.requests = {name: 0 for name in FEEDS}
        self._wake = {name: asyncio.Event() for name in FEEDS}
        self._resumed = asyncio.Event()
        self._refused = False
        self._stopped = False

    # --- control ------------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Poll both endpoints at once (and resume after refused credentials)."""
        self.resume()
        for event in self._wake.values():
            event.set()

    def resume(self) -> None:
        """Start polling again after credentials were refused."""
        if self._refused:
            self._refused = False
            self._resumed.set()

    def stop(self) -> None:
        self._stopped = True
        self._resumed.set()
        for event in self._wake.values():
            event.set()

    @property
    def refused(self) -> bool:
        return self._refused

    # --- loops --------------------------------------------------------------------------

    async def run(self) -> None:
        """Poll until :meth:`stop`; never raises for a server's misbehaviour."""
        await asyncio.gather(*(self._loop(name) for name in FEEDS))

    async def _loop(self, name: str) -> None:
        fetch: Callable[[], Awaitable[Fetched]] = getattr(self.source, name)
        while not self._stopped:
            if self._refused:
                await self._resumed.wait()
                self._resumed.clear()
                if self._stopped:
                    break
                # Resumed: try once even if the other feed's try was refused again first,
                # so r always asks both endpoints (a fast refusal could otherwise win the race).
            delay = await self._poll(name, fetch)
            if delay is not None:
                # Sleep here, not inside an except block: a failure's traceback holds the frames
                # that read the answer (up to 32 MiB of it) and would keep them alive all through
                # the back-off.
                await self._sleep(name, delay)

    async def _poll(self, name: str, fetch: Callable[[], Awaitable[Fetched]]) -> float | None:
        """One request: publish what came of it; return the wait before the next (None: refused)."""
        started = self.mono()
        self.requests[name] += 1
        try:
            fetched = await fetch()
        except AuthError as error:
            self._refused = True
            self._publish(name, self._feed(name).failed(str(error), True, None))
            return None
        except ApiError as error:
            delay = self._failure_delay(name, error.retry_after)
            # the reason only: the board says when it retries (retry_at), not the server's hint
            self._publish(name, self._feed(name).failed(without_retry_note(str(error)), False, self.mono() + delay))
            return delay
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a bug must not stop the board; say so and back off
            delay = self._failure_delay(name, None)
            message = f"unexpected error while fetching {name} ({type(error).__name__})"
            self._publish(name, self._feed(name).failed(message, False, self.mono() + delay))
            return delay
        previous = self._feed(name)
        relayed = getattr(fetched, "relayed", None)
        behind = relayed.age if relayed is not None and not relayed.live else 0.0
        feed = previous.succeeded(
            fetched.result.records, self.wall() - behind, self.mono() - behind, fetched.result.problems, fetched.result.skipped
        )
        changed = feed.version != previous.version
        answered = started + fetched.elapsed
        delay = self.schedule.next_delay(name, started, self.mono(), changed, answered)
        if relayed is not None and not relayed.live:
            feed = feed.relay_failing(_relay_reason(relayed), self.mono() + delay)
        self._publish(name, feed)
        return delay

    def _failure_delay(self, name: str, retry_after: float | None) -> float:
        return self.backoff.delay(self._feed(name).failures + 1, retry_after)

    def _feed(self, name: str) -> Feed:
        return getattr(self.snapshot, name)

    def _publish(self, name: str, feed: Feed) -> None:
        self.snapshot = self.snapshot.with_feed(name, feed)
        self.on_snapshot(self.snapshot)

    async def _sleep(self, name: str, delay: float) -> None:
        wake = self._wake[name]
        wake.clear()
        if delay <= 0 or self._stopped:
            return
        try:
            await asyncio.wait_for(wake.wait(), timeout=delay)
        except asyncio.TimeoutError:
            pass


def _relay_reason(relayed) -> str:
    """Why a relay's data is not live, in the relay's words."""
    if relayed.status == "waiting":
        return "the relay is waiting for its first answer from 8x8"
    said = relayed.error or "no reason given"
    if said.startswith("the relay"):
        return said  # a relay behind a relay: the first one's words already say it
    if relayed.status == "refused":
        return f"the relay's 8x8 credentials were refused ({said})"
    return f"the relay cannot refresh from 8x8: {said}"
