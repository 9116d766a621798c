"""Small helpers: repeat a measurement and keep the median."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def cpu_median(work: Callable[[], object], repeat: int) -> float:
    """Median process CPU seconds of ``work()`` over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")
