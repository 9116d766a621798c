"""How the queue tiles share a TV screen: columns, tile height, big numerals or words.

In TV mode there is no scrolling: a wall display nobody touches must show every tile
whole, with its figures and, for a tile in warning or alert, the reason in words. This
module decides, for the board's size and the tiles' contents, the grid that does so:

* every tile the same size, every line of it whole (a big numeral is three lines; it is
  shown whole or not at all);
* the figures as big numerals when the tiles are wide and tall enough for them, else as
  words ("waiting 3 · longest 2:15", "SLA 86% / 80%");
* the status line ("▲ ALERT: longest wait 3:20 ≥ 3:00") always, over as many lines as
  its words need at the tile's width;
* the optional lines (the last hour's trend, agents working, agents away, today, last
  30 minutes) as room allows, in that order.

Fitting every tile comes first, then big numerals, then more optional lines. When even
the smallest tiles cannot all fit (hundreds of queues on a small screen), the grid holds
as many as fit whole and a line under it says how many more there are; the board shows
the tiles in alert or warning first, so a problem is never the one left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BORDER = 2
"""Lines (and columns) a tile's border takes."""
PADDING_X = 2
"""Columns of padding inside a TV tile (one each side)."""
GUTTER = 1
"""Columns between two tiles."""
BIG_LINES = 5
"""A line of padding, three lines of numerals and their captions."""
WORD_LINES = 2
"""The figures in words: waiting and longest wait, then SLA."""
WORDS_WIDTH = 28
"""The narrowest inside of a tile that holds the figures in words."""
EXTRA_WIDTH = 30
"""The inside width the optional lines need (``● 12 avail  ■ 8 busy  ◆ 3 wrap``)."""
EXTRAS = 5
"""Optional lines: the trend, agents working, agents away, today, last 30 minutes."""
NOTE_LINES = 1
"""The line that says how many more tiles there are, when some do not fit."""


@dataclass(frozen=True, slots=True)
class TileGrid:
    """What the board draws: ``shown`` tiles in ``columns`` of ``tile_height`` lines."""

    columns: int
    rows: int
    tile_height: int
    big: bool
    extras: int
    status_lines: int
    shown: int
    hidden: int

    @property
    def tile_lines(self) -> int:
        """Lines a tile's content needs (border included): the rest of its height is spare."""
        return BORDER + (BIG_LINES if self.big else WORD_LINES) + self.status_lines + self.extras


def status_lines(status_width: int, inner_width: int) -> int:
    """Lines a status of ``status_width`` cells takes when wrapped at ``inner_width``."""
    if inner_width <= 0:
        return 1
    return max(1, math.ceil(status_width / inner_width))


def inner_width(width: int, columns: int) -> int:
    """The inside width of each tile when ``columns`` tiles share ``width`` cells."""
    tile = (width - GUTTER * (columns - 1)) // columns
    return tile - BORDER - PADDING_X


def tv_grid(width: int, height: int, count: int, big_width: int, status_width: int) -> TileGrid:
    """The grid for ``count`` tiles in ``width`` x ``height`` cells.

    ``big_width`` is the inside width the widest tile's big numerals and captions need;
    ``status_width`` the cells of the longest status line.
    """
    if count <= 0:
        return TileGrid(1, 0, 0, False, 0, 1, 0, 0)
    best: tuple[tuple, TileGrid] | None = None
    for big in (True, False):
        for columns in range(1, count + 1):
            inner = inner_width(width, columns)
            if inner < (big_width if big else WORDS_WIDTH):
                break  # more columns only narrow the tiles further
            rows = math.ceil(count / columns)
            tile_height = height // rows
            lines = status_lines(status_width, inner)
            needed = BORDER + (BIG_LINES if big else WORD_LINES) + lines
            if tile_height < needed:
                continue
            extras = min(EXTRAS, tile_height - needed) if inner >= EXTRA_WIDTH else 0
            grid = TileGrid(columns, rows, tile_height, big, extras, lines, count, 0)
            score = (big, extras, columns)
            if best is None or score > best[0]:
                best = (score, grid)
    if best is not None:
        return best[1]
    return _partial(width, height, count, big_width, status_width)


def _partial(width: int, height: int, count: int, big_width: int, status_width: int) -> TileGrid:
    """Not every tile fits: as many as fit whole, with a line saying how many more."""
    room = max(0, height - NOTE_LINES)
    best: tuple[tuple, TileGrid] | None = None
    for big in (True, False):
        for columns in range(1, count + 1):
            inner = inner_width(width, columns)
            if inner < (big_width if big else WORDS_WIDTH):
                break
            lines = status_lines(status_width, inner)
            needed = BORDER + (BIG_LINES if big else WORD_LINES) + lines
            rows = room // needed
            shown = min(count, rows * columns)
            if shown == 0:
                continue
            grid = TileGrid(columns, rows, needed, big, 0, lines, shown, count - shown)
            score = (shown, big)
            if best is None or score > best[0]:
                best = (score, grid)
    if best is not None:
        return best[1]
    return TileGrid(1, 0, 0, False, 0, 1, 0, count)


def digits_width(value: str) -> int:
    """Cells the big numerals of ``value`` take (three per figure, one per ':' or '.')."""
    return sum(1 if char in ":." else 3 for char in value)


def big_figures_width(figures: tuple[tuple[str, str], ...], margin: int = 2) -> int:
    """Inside width big numerals need: each (value, caption) as wide as the wider of
    the two, and a margin after each."""
    return sum(max(digits_width(value), len(caption)) + margin for value, caption in figures)
