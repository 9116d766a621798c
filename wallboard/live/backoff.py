"""When to try again after a failure: exponential, jittered, capped, honouring Retry-After.

The first retry waits one refresh interval, so a blip costs one refresh; each further
failure doubles the wait up to :attr:`Backoff.cap`. Jitter spreads boards that failed
together so they do not return in step. Nothing here sleeps or reads a clock: it only
computes delays, so it is tested exactly with a seeded random source.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    interval: float
    cap: float = 60.0
    jitter: float = 0.25  # the delay is drawn from [(1 - jitter) * d, d]
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure (1 for the first)."""
        cap = max(self.cap, self.interval)
        nominal = min(cap, self.interval * 2 ** max(0, failures - 1))
        drawn = max(self.interval, nominal * (1 - self.jitter * self.rng.random()))
        if retry_after is not None:
            drawn = max(drawn, retry_after)
        return drawn
