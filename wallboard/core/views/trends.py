"""The last hour of each queue, kept in memory, for the sparklines on tiles and the summary.

The board records every queues answer it sees (:meth:`TrendStore.record`, once per new
version of the queues feed) in a ring buffer that forgets what is older than
:data:`WINDOW` seconds and never holds more than :data:`MAX_SAMPLES` answers. It belongs to
the App, not to a tab or a view, so the trends survive a tab switch and a view switch;
nothing is written to disk, so after a restart they start empty and fill as answers come.

A sparkline (:func:`sparkline`) draws a series in eighth-blocks ``▁▂▃▄▅▆▇█``, one cell per
slice of the window, oldest on the left; a slice without an answer is a space, so a gap
in the data shows as a gap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable

from wallboard.core.model.realtime import Queue
from wallboard.core.views.summary import weighted_sla

WINDOW = 3600.0
"""Seconds of history kept and drawn: the last 60 minutes."""
MAX_SAMPLES = 1440
"""Answers kept at most (one every 2.5 s for an hour): memory stays bounded at any interval."""
BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_BLOCKS = "_.,-=+*#"
"""The levels on a terminal that is not UTF-8 (:mod:`wallboard.core.ascii` would blank
partial blocks)."""


@dataclass(frozen=True, slots=True)
class Point:
    """One queue in one answer: what the trends draw."""

    waiting: int | None
    sla: float | None
    day_sla: float | None
    day_queued: int | None


class TrendStore:
    """Ring buffer of (monotonic time, {queue id: Point}) answers (see the module doc)."""

    def __init__(self, window: float = WINDOW, max_samples: int = MAX_SAMPLES) -> None:
        self.window = window
        self.samples: deque[tuple[float, dict[str, Point]]] = deque(maxlen=max_samples)
        self._last_key: object = None

    def record(self, queues: tuple[Queue, ...], mono: float, key: object = None) -> bool:
        """Keep one answer (``key``, e.g. the feed's version, skips one already kept)."""
        if key is not None and key == self._last_key:
            return False
        self._last_key = key
        points = {q.queue_id: Point(q.queue_size, q.sla_activity, q.day_sla_activity, q.day_queued) for q in queues}
        self.samples.append((mono, points))
        self._forget(mono)
        return True

    def _forget(self, now: float) -> None:
        while self.samples and self.samples[0][0] < now - self.window:
            self.samples.popleft()

    def series(self, value: Callable[[dict[str, Point]], float | None], now: float) -> list[tuple[float, float | None]]:
        return [(mono, value(points)) for mono, points in self.samples if mono >= now - self.window]

    def queue_series(self, queue_id: str, now: float) -> tuple[list[tuple[float, float | None]], list[tuple[float, float | None]]]:
        """(waiting, SLA now) of one queue over the window."""

        def waiting(points: dict[str, Point]) -> float | None:
            point = points.get(queue_id)
            return None if point is None else point.waiting

        def sla(points: dict[str, Point]) -> float | None:
            point = points.get(queue_id)
            return None if point is None else point.sla

        return self.series(waiting, now), self.series(sla, now)

    def summary_series(self, queue_ids: Iterable[str] | None, now: float):
        """(waiting summed, SLA today weighted by volume) of a view's queues (``None``: all)."""
        wanted = None if queue_ids is None else frozenset(queue_ids)

        def chosen(points: dict[str, Point]) -> list[Point]:
            return [p for qid, p in points.items() if wanted is None or qid in wanted]

        def waiting(points: dict[str, Point]) -> float | None:
            sizes = [p.waiting for p in chosen(points) if p.waiting is not None]
            return sum(sizes) if sizes else None

        def sla(points: dict[str, Point]) -> float | None:
            return weighted_sla(Queue(day_sla_activity=p.day_sla, day_queued=p.day_queued) for p in chosen(points))

        return self.series(waiting, now), self.series(sla, now)


def sparkline(
    series: list[tuple[float, float | None]],
    now: float,
    width: int,
    window: float = WINDOW,
    top: float | None = None,
    blocks: str = BLOCKS,
) -> str:
    """``series`` over the last ``window`` seconds in ``width`` cells (see the module doc).

    Each cell shows the highest value of its slice (a peak is never averaged away),
    scaled from 0 to ``top`` (the series' own highest when ``None``).
    """
    if width <= 0:
        return ""
    cells: list[float | None] = [None] * width
    start = now - window
    for mono, value in series:
        if value is None or mono < start or mono > now:
            continue
        index = min(width - 1, int((mono - start) / window * width))
        cells[index] = value if cells[index] is None else max(cells[index], value)  # type: ignore[type-var]
    highest = top if top is not None else max((v for v in cells if v is not None), default=0.0)
    out = []
    for value in cells:
        if value is None:
            out.append(" ")
        elif highest <= 0:
            out.append(blocks[0])
        else:
            out.append(blocks[min(len(blocks) - 1, max(0, round(value / highest * (len(blocks) - 1))))])
    return "".join(out)


def direction(series: list[tuple[float, float | None]]) -> str:
    """``↑`` ``↓`` or ``→``: the last value against the first of the window."""
    values = [value for _, value in series if value is not None]
    if len(values) < 2 or values[-1] == values[0]:
        return "→"
    return "↑" if values[-1] > values[0] else "↓"


TILE_CELLS = 10
"""Cells of each sparkline on a tile: six minutes a cell."""


def trend_line(waiting, sla, now: float, cells: int = TILE_CELLS, blocks: str = BLOCKS) -> str:
    """``wait ▁▂▃▅  SLA ▇▇▆▅``: the waiting (scaled to its own peak, at least 1) and the
    SLA (0 to 100) sparklines of one queue or a view."""
    peak = max([value for _, value in waiting if value is not None] + [1.0])
    return (
        f"wait {sparkline(waiting, now, cells, top=peak, blocks=blocks)}  "
        f"SLA {sparkline(sla, now, cells, top=100.0, blocks=blocks)}"
    )
