"""Reading a number from a hostile payload: JSON numbers, XML text, or junk.

Both APIs send numbers sometimes as numbers and sometimes as text; either may be
garbage. :func:`to_number` accepts ints, floats and numeric text, and answers ``None``
for anything else (booleans, NaN, infinities, absurdly large values, long strings), so
one bad field never raises and never becomes a believable figure.
"""

from __future__ import annotations

import math
from typing import Any

MAX_NUMBER = 2**53
"""Beyond this no count, duration or epoch is plausible (and floats lose integers)."""

MAX_TEXT_DIGITS = 32


def to_number(raw: Any) -> float | int | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value: float | int = raw
    elif isinstance(raw, float):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not text or len(text) > MAX_TEXT_DIGITS:
            return None
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                return None
    else:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if abs(value) > MAX_NUMBER:
        return None
    return value
