"""How the queue tiles share a TV screen: tiles per page, their size, and their numerals.

In TV mode there is no scrolling: a wall display nobody touches must show every tile
whole, with its figures and, for a tile in warning or alert, the reason in words. This
module decides, for the board's size and the tiles' contents, the plan that does so:

* every tile the same size, every line of it whole;
* the figures (waiting, longest wait, SLA) as **block numerals**
  (:mod:`wallboard.core.views.block_numerals`, 5, 10, 15 ... lines high) when the tiles
  have room, else Textual's 3-line ``Digits``, else words ("waiting 3 · longest 2:15",
  "SLA 86% / 80%");
* the status line ("▲ ALERT: longest wait 3:20 ≥ 3:00") always, over as many lines as
  its words need at the tile's width;
* the optional lines (the trend, agents working, agents away, today, last 30 minutes) as
  room allows, in that order;
* **pages**: when the tiles would have to shrink below legibility to fit on one screen,
  fewer, larger tiles per page, and the TV rotation pages through them.

Legible means read from five metres: the block numerals take at least a third of the
tile's height and an eighth of the board's (10 lines at 200x50). When a legible plan shows at least :data:`MIN_PER_PAGE` tiles a page (or
all of them), the board takes the legible plan with the fewest pages (then the biggest
numerals); otherwise (80x24, 100x30 with many queues) the plan with the fewest pages
whose tiles still show their figures and status whole (then the biggest figures). The
board puts the tiles in alert and warning on the first page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wallboard.core.views.block_numerals import Scale, best_scale

BORDER = 2
"""Lines (and columns) a tile's border takes."""
PADDING_X = 2
"""Columns of padding inside a TV tile (one each side)."""
GUTTER = 1
"""Columns between two tiles."""
DIGITS_LINES = 5
"""Textual's Digits: a line of padding, three lines of numerals and their captions."""
WORD_LINES = 2
"""The figures in words: waiting and longest wait, then SLA."""
CAPTION_LINES = 1
"""The captions under block numerals."""
WORDS_WIDTH = 28
"""The narrowest inside of a tile that holds the figures in words."""
EXTRA_WIDTH = 30
"""The inside width the optional lines need (``● 12 avail  ■ 8 busy  ◆ 3 wrap``)."""
EXTRAS = 5
"""Optional lines: the trend, agents working, agents away, today, last 30 minutes."""
MIN_SHARE = 8
"""Legible numerals are at least 1/MIN_SHARE of the board's height (10 lines at 200x50)."""
MIN_PER_PAGE = 4
"""A legible plan is taken when it shows this many tiles a page (or every tile)."""

BLOCK = "block"
DIGITS = "digits"
WORDS = "words"


@dataclass(frozen=True, slots=True)
class TilePlan:
    """What the board draws: ``per_page`` tiles a page in ``columns``, ``tile_height`` lines each."""

    columns: int
    rows: int
    tile_height: int
    mode: str  # BLOCK, DIGITS or WORDS
    scale: Scale | None  # the block numerals' scale (BLOCK only)
    extras: int
    status_lines: int
    per_page: int
    pages: int

    @property
    def big(self) -> bool:
        """Digits or block numerals (not words)."""
        return self.mode != WORDS

    @property
    def figure_lines(self) -> int:
        if self.mode == BLOCK and self.scale is not None:
            return self.scale.rows + CAPTION_LINES
        return DIGITS_LINES if self.mode == DIGITS else WORD_LINES

    @property
    def tile_lines(self) -> int:
        """Lines a tile's content needs (border included): the rest of its height is spare."""
        return BORDER + self.figure_lines + self.status_lines + self.extras

    def legible(self, screen_height: int) -> bool:
        """Block numerals a third of the tile high at least, and an eighth of the screen."""
        if self.mode != BLOCK or self.scale is None:
            return False
        return 3 * self.scale.rows >= self.tile_height and self.scale.rows >= screen_height // MIN_SHARE


def status_lines(status_width: int, inner_width: int) -> int:
    """Lines a status of ``status_width`` cells takes when wrapped at ``inner_width``."""
    if inner_width <= 0:
        return 1
    return max(1, math.ceil(status_width / inner_width))


def inner_width(width: int, columns: int) -> int:
    """The inside width of each tile when ``columns`` tiles share ``width`` cells."""
    tile = (width - GUTTER * (columns - 1)) // columns
    return tile - BORDER - PADDING_X


def _plan_for(
    width: int, height: int, count: int, columns: int, rows: int,
    values: tuple[str, ...], captions: tuple[str, ...], digits_width: int, status_width: int, blocks: bool,
) -> TilePlan | None:
    """The best tile for ``columns`` x ``rows`` tiles a page, or ``None`` when none fits whole."""
    inner = inner_width(width, columns)
    if inner < WORDS_WIDTH:
        return None
    tile_height = height // rows
    lines = status_lines(status_width, inner)
    room = tile_height - BORDER - lines
    per_page = min(count, columns * rows)
    pages = math.ceil(count / per_page)
    scale = best_scale(values, captions, inner, room - CAPTION_LINES) if blocks else None
    if scale is not None:
        mode, figure_lines = BLOCK, scale.rows + CAPTION_LINES
    elif blocks and inner >= digits_width and room >= DIGITS_LINES:
        mode, figure_lines = DIGITS, DIGITS_LINES
    elif room >= WORD_LINES:
        mode, figure_lines = WORDS, WORD_LINES
    else:
        return None
    extras = min(EXTRAS, room - figure_lines) if inner >= EXTRA_WIDTH else 0
    return TilePlan(columns, rows, tile_height, mode, scale, extras, lines, per_page, pages)


def _size(plan: TilePlan) -> int:
    return plan.scale.rows if plan.scale is not None else (3 if plan.mode == DIGITS else 0)


def tv_plan(
    width: int,
    height: int,
    count: int,
    values: tuple[str, ...],
    captions: tuple[str, ...],
    digits_width: int,
    status_width: int,
    blocks: bool = True,
) -> TilePlan:
    """The plan for ``count`` tiles in ``width`` x ``height`` cells (see the module doc).

    ``values`` and ``captions``: the widest figures (waiting, longest wait, SLA) and their
    captions among the tiles; ``digits_width``: the inside width Textual's Digits need;
    ``status_width``: the cells of the longest status line; ``blocks``: numerals may be
    drawn (not on a terminal that is not UTF-8).
    """
    if count <= 0:
        return TilePlan(1, 0, 0, WORDS, None, 0, 1, 0, 1)
    plans = []
    for columns in range(1, count + 1):
        if inner_width(width, columns) < WORDS_WIDTH:
            break  # more columns only narrow the tiles further
        for rows in range(1, math.ceil(count / columns) + 1):
            if columns * (rows - 1) >= count:
                break
            plan = _plan_for(width, height, count, columns, rows, values, captions, digits_width, status_width, blocks)
            if plan is not None:
                plans.append(plan)
    if not plans:
        return TilePlan(1, 1, height, WORDS, None, 0, 1, 1, count)  # a screen too small for any tile: one a page
    legible = [plan for plan in plans if plan.legible(height) and plan.per_page >= min(count, MIN_PER_PAGE)]
    if legible:
        return min(legible, key=lambda p: (p.pages, -_size(p), -p.extras, -p.per_page, p.rows))
    return min(plans, key=lambda p: (p.pages, -_size(p), -p.extras, -p.per_page, p.rows))


def digits_width(value: str) -> int:
    """Cells Textual's Digits take for ``value`` (three per figure, one per ':' or '.')."""
    return sum(1 if char in ":." else 3 for char in value)


def big_figures_width(figures: tuple[tuple[str, str], ...], margin: int = 2) -> int:
    """Inside width Digits need: each (value, caption) as wide as the wider of the two,
    and a margin after each."""
    return sum(max(digits_width(value), len(caption)) + margin for value, caption in figures)


def page_of(ranked: list, page: int, plan: TilePlan) -> list:
    """The items of page ``page`` (wrapping) when ``ranked`` is split ``plan.per_page`` a page."""
    if not ranked or plan.per_page <= 0:
        return []
    page %= plan.pages
    return ranked[page * plan.per_page : (page + 1) * plan.per_page]
