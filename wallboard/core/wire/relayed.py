"""What a ``wallboard relay`` says about its data in headers, read by the boards behind it.

``X-Wallboard-Status`` is ``live``, ``stale``, ``refused`` (the relay's own 8x8
credentials) or ``waiting``; ``X-Wallboard-Age`` is the seconds since the relay last had
a good answer from 8x8; ``X-Wallboard-Error`` is its reason when not live. A standard
HTTP cache between relay and board adds ``Age`` (seconds it has held the answer), which
adds to the relay's own age. The real 8x8 service sends none of these: :func:`read`
returns ``None`` and the board behaves as it always did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from wallboard.core.text import clean_text

STATUS_HEADER = "X-Wallboard-Status"
AGE_HEADER = "X-Wallboard-Age"
ERROR_HEADER = "X-Wallboard-Error"
LIVE, STALE, REFUSED, WAITING = "live", "stale", "refused", "waiting"
MAX_AGE = 30 * 24 * 3600.0
"""Longer ages are nonsense from a broken relay; they are capped, not believed."""


@dataclass(frozen=True, slots=True)
class Relayed:
    """The relay's word on one answer."""

    status: str
    age: float  # seconds since the relay's last good answer from 8x8, plus any cache's Age
    error: str = ""

    @property
    def live(self) -> bool:
        return self.status == LIVE


def read(headers: Mapping[str, str]) -> Relayed | None:
    """The relay's headers in an answer (case-insensitive ``headers``), or ``None``."""
    status = (headers.get(STATUS_HEADER) or "").strip().lower()
    if not status:
        return None
    if status not in (LIVE, STALE, REFUSED, WAITING):
        status = STALE  # a word we do not know: not a reason to call the data live
    age = _seconds(headers.get(AGE_HEADER)) + _seconds(headers.get("Age"))
    return Relayed(status, min(age, MAX_AGE), clean_text(headers.get(ERROR_HEADER) or "", 300))


def _seconds(value: str | None) -> float:
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 0.0
