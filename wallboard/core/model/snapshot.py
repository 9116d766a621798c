"""The immutable picture of the tenant the poller hands to the board.

Each endpoint (agents, queues) keeps its own last good records and its own health, so a
failing endpoint never blanks the other: queues can be fresh while agents are stale,
and the header says which. Ages are measured on the monotonic clock, so wall-clock
jumps (NTP, suspend/resume) never produce negative or absurd ages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Generic, TypeVar

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.text import clean_text

MAX_ERROR_LENGTH = 400
"""Longest failure message kept; it is shown on one banner line."""

T = TypeVar("T", Agent, Queue)


class Health(Enum):
    """What the last attempt on an endpoint says about it."""

    WAITING = "waiting"  # no answer yet
    LIVE = "live"  # the last attempt succeeded
    RETRYING = "retrying"  # the last attempt failed; backing off and trying again
    REFUSED = "refused"  # credentials refused: polling has stopped until the user acts


@dataclass(frozen=True, slots=True)
class Feed(Generic[T]):
    """One endpoint's last good data and its health."""

    records: tuple[T, ...] = ()
    received_wall: float | None = None  # epoch seconds of the last good answer
    received_mono: float | None = None  # monotonic seconds of the same moment
    health: Health = Health.WAITING
    error: str | None = None  # the last failure's one-line message
    failures: int = 0  # consecutive failures
    retry_at_mono: float | None = None  # when the next attempt is due, while retrying
    problems: tuple[str, ...] = ()  # what was skipped or unreadable in the last payload
    skipped: int = 0
    version: int = 0  # increments with each good answer whose records differ
    changed_mono: float | None = None
    """Monotonic seconds of the answer that brought these records (``received_mono`` of
    the answer that changed them; ``None``: the same as ``received_mono``)."""
    dated: bool = False
    """``received_mono`` is when the data itself was last good at its source, as a relay
    said (not when an answer arrived here): the cache phase must not date it again."""

    def age(self, now_mono: float) -> float | None:
        """Seconds since the last good answer, never negative; ``None`` before the first."""
        return _since(self.received_mono, now_mono)

    @property
    def records_since(self) -> float | None:
        """Monotonic seconds of the answer that brought these records."""
        return self.received_mono if self.changed_mono is None else self.changed_mono

    def records_age(self, now_mono: float) -> float | None:
        """Seconds since these records arrived, never negative; ``None`` before the first.

        Counters that tick on screen (time in state) count from here: an answer that
        repeats the records (the same cache cycle, asked again) says nothing newer about
        them, and counting from it would step the timers back.
        """
        return _since(self.records_since, now_mono)

    def succeeded(self, records: tuple[T, ...], wall: float, mono: float, problems: tuple[str, ...] = (), skipped: int = 0) -> "Feed[T]":
        changed = records != self.records or self.received_mono is None
        version = self.version + changed
        return Feed(records, wall, mono, Health.LIVE, None, 0, None, problems, skipped, version, mono if changed else self.records_since)

    def relay_failing(self, message: str, next_try_mono: float) -> "Feed[T]":
        """This feed after a good answer from a relay whose own source is failing: the
        records it sent, marked as retrying with the relay's reason (never refused: our
        credentials were accepted; the failure count is the relay's business)."""
        return replace(
            self, health=Health.RETRYING, error=clean_text(message, MAX_ERROR_LENGTH), retry_at_mono=next_try_mono, dated=True
        )

    def failed(self, message: str, refused: bool, retry_at_mono: float | None) -> "Feed[T]":
        """This feed after a failed attempt: same records, the failure's message, one more failure.

        The message is cleaned here as well as where it was made: parts of it may have come
        from the server (an unreadable payload's keys), and it goes straight to the screen.
        """
        return replace(
            self,
            health=Health.REFUSED if refused else Health.RETRYING,
            error=clean_text(message, MAX_ERROR_LENGTH),
            failures=self.failures + 1,
            retry_at_mono=retry_at_mono,
        )


def _since(moment: float | None, now_mono: float) -> float | None:
    """Seconds from ``moment`` to ``now_mono``, never negative; ``None`` without a moment."""
    return None if moment is None else max(0.0, now_mono - moment)


@dataclass(frozen=True, slots=True)
class PushStatus:
    """The event stream as the header shows it: live (``⚡ push``), or down with the reason
    (dim, beside the polled data, which is still live: never a banner)."""

    live: bool = False
    detail: str = ""
    applied: int = 0
    """Changes applied from the stream so far."""
    problems: int = 0
    """Frames or events skipped as unreadable so far."""
    last_problem: str = ""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Agents and queues as last seen, with the refresh interval that defines staleness."""

    agents: Feed[Agent] = field(default_factory=Feed)
    queues: Feed[Queue] = field(default_factory=Feed)
    interval: float = 10.0
    sequence: int = 0
    push: PushStatus | None = None
    """The event stream's state; ``None`` when push is not enabled."""

    @property
    def stale_after(self) -> float:
        """Data older than two refresh intervals is stale."""
        return 2 * self.interval

    def is_stale(self, feed: Feed, now_mono: float) -> bool:
        age = feed.age(now_mono)
        return age is not None and age > self.stale_after

    def stale_feeds(self, now_mono: float) -> list[str]:
        return [name for name, feed in (("agents", self.agents), ("queues", self.queues)) if self.is_stale(feed, now_mono)]

    def oldest_age(self, now_mono: float) -> float | None:
        ages = [age for age in (self.agents.age(now_mono), self.queues.age(now_mono)) if age is not None]
        return max(ages) if ages else None

    @property
    def refused(self) -> str | None:
        for feed in (self.agents, self.queues):
            if feed.health is Health.REFUSED:
                return feed.error
        return None

    def with_feed(self, name: str, feed: Feed) -> "Snapshot":
        return replace(self, **{name: feed}, sequence=self.sequence + 1)
