"""Which queues a config key names: an id, a name, or a name pattern such as ``"Sales*"``.

Views (``[views.NAME] queues``) and per-queue thresholds (``[thresholds.queues."KEY"]``)
both name queues this way, so both follow one rule:

* a key matches a queue whose id is exactly the key (``"115"``);
* or whose name matches the key case-insensitively, where ``*`` stands for any run of
  characters and ``?`` for one (``"sales*"`` matches "Sales" and "Sales Chat");
  every other character is itself (``"VIP [EU]"`` is a plain name, not a character set).

Surrounding spaces of the key and the name are ignored; an empty key is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wallboard.core.model.realtime import Queue


def _compile(key: str) -> re.Pattern[str]:
    parts = [".*" if char == "*" else "." if char == "?" else re.escape(char) for char in key]
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class QueueKey:
    """One key naming queues (see the module doc)."""

    key: str
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        key = self.key.strip()
        if not key:
            raise ValueError("an empty queue key names no queue; give an id or a name pattern such as \"Sales*\"")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "pattern", _compile(key))

    @property
    def wildcard(self) -> bool:
        return "*" in self.key or "?" in self.key

    def matches(self, queue: Queue) -> bool:
        return self.how(queue) is not None

    def how(self, queue: Queue) -> str | None:
        """How the key matched ``queue`` ("the id 115", "the name Sales Chat"), or ``None``."""
        if queue.queue_id and queue.queue_id.strip() == self.key:
            return f"the id {self.key}"
        if queue.name and self.pattern.fullmatch(queue.name.strip()):
            return f"the name {queue.name.strip()}"
        return None


def matches_any(keys: tuple[QueueKey, ...], queue: Queue) -> bool:
    return any(key.matches(queue) for key in keys)
