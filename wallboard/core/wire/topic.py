"""One event-stream topic as a server keeps it: retained frames in publish order, and where
a reader starts. Pure: no sockets, no locks (the server holding it brings its own).

Shared by the simulator's stream and the relay's re-served stream, so both follow 8x8's
Pulsar reader rules the same way: ``messageId=latest`` (the default) starts after the
newest message, ``earliest`` at the oldest retained one, and a message id *after* that
message, so a reader resuming from the last id it saw misses nothing and sees nothing
twice. An id no longer retained (or never seen) starts at the newest, as Pulsar does for
a position it cannot find; the reader's next poll covers the gap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

RETAINED = 20_000
"""Frames kept for readers that resume (about an hour of a busy tenant's events)."""
RETAINED_BYTES = 64 * 1024 * 1024
"""And at most this many characters of them: a real event is under 4 KiB, but a frame
may be up to 1 MiB, and 20,000 of those would not fit in a small box's memory."""
MAX_UNACKED = 1000
"""A reader with this many messages unacknowledged is sent nothing more until it acks
(a reader that never acks stalls, as 8x8 documents)."""


@dataclass(frozen=True, slots=True)
class Message:
    sequence: int
    message_id: str
    """Empty for a raw frame without an id of its own (hostile-input tests)."""
    frame: str


class Topic:
    """The retained frames of one topic."""

    def __init__(self, retained: int = RETAINED, retained_bytes: int = RETAINED_BYTES) -> None:
        self.log: deque[Message] = deque()
        self.sequence = 0
        self.retained = retained
        self.retained_bytes = retained_bytes
        self.size = 0
        """Characters of the frames retained."""

    def append(self, message_id: str, frame: str) -> Message:
        self.sequence += 1
        message = Message(self.sequence, message_id, frame)
        self.log.append(message)
        self.size += len(frame)
        while len(self.log) > 1 and (len(self.log) > self.retained or self.size > self.retained_bytes):
            self.size -= len(self.log.popleft().frame)
        return message

    def start_after(self, wanted: str) -> int:
        """The sequence a reader asking for ``messageId=wanted`` starts after."""
        if wanted == "earliest":
            return self.log[0].sequence - 1 if self.log else self.sequence
        if wanted != "latest":
            for message in reversed(self.log):
                if message.message_id == wanted:
                    return message.sequence
        return self.sequence

    def after(self, sequence: int, limit: int) -> list[Message]:
        """Up to ``limit`` messages published after ``sequence``, oldest first."""
        if limit <= 0 or sequence >= self.sequence:
            return []
        first = self.log[0].sequence if self.log else self.sequence + 1
        start = max(0, sequence + 1 - first)
        return [self.log[i] for i in range(start, min(len(self.log), start + limit))]
