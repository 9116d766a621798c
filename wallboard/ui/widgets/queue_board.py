"""The queue tiles in a responsive grid: as many columns as the width allows.

Normally the grid scrolls. In TV mode it does not: :func:`~wallboard.core.views.tv_layout.tv_plan`
sizes the tiles so that every one is whole on screen (block numerals, Digits or figures
in words, the status in words, optional lines as room allows) and, when they would have
to shrink below legibility, splits them into pages that the TV rotation steps through
(:meth:`QueueBoard.next_page`), the tiles in alert or warning on the first.
"""

from __future__ import annotations

from typing import Callable

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from wallboard.core.model.thresholds import Thresholds
from wallboard.core.model.realtime import Queue
from wallboard.core.views.queues import queue_text
from wallboard.core.views.block_numerals import Scale, numeral_width
from wallboard.core.views.tv_layout import TilePlan, big_figures_width, page_of, tv_plan
from wallboard.ui.widgets.queue_tile import QueueTile

TILE_WIDTH = 38
MOUNT_BATCH = 8
"""Tiles mounted per frame: hundreds of queues must not hold up the first agents paint."""


class QueueBoard(VerticalScroll, can_focus=False):
    """Holds one :class:`QueueTile` per queue, in a stable order (by name)."""

    BINDINGS = [
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    DEFAULT_CSS = """
    QueueBoard {
        layout: grid;
        grid-size: 2;
        grid-gutter: 0 1;
        grid-rows: auto;
        padding: 0 1;
        background: $background;
        height: 1fr;
        scrollbar-size-vertical: 1;
        .empty { column-span: 4; color: $foreground 70%; padding: 1 2; height: auto; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = 2
        self.tiles: dict[str, QueueTile] = {}
        self._pending: list[QueueTile] = []  # created, waiting for their turn to mount
        self._wanted: list[str] = []
        self._latest: tuple[tuple[Queue, ...], Thresholds, bool] | None = None
        self._empty: Static | None = None
        self.tv_grid: TilePlan | None = None  # the TV arrangement in force; None outside TV mode
        self.page = 0
        """The TV page shown (0 is the first)."""
        self.trend_of: Callable[[str], str] | None = None
        """The trend line of a queue (the tab sets it from the App's trend store)."""
        self.empty_text = "No queues reported yet."
        """What the board says when there is no tile (the tab sets it: a view may match none)."""

    def set_queues(self, queues: tuple[Queue, ...], thresholds: Thresholds, stale: bool) -> None:
        """Show ``queues``; while the queues tab is hidden, only remember them (a hidden
        board costs nothing) and catch up when it is shown (:meth:`catch_up`)."""
        self._latest = (queues, thresholds, stale)
        if self._on_screen():
            self._apply(queues, thresholds, stale)

    def catch_up(self) -> None:
        if self._latest is not None and self._on_screen():
            self._apply(*self._latest)

    def _on_screen(self) -> bool:
        node = self
        while node is not None and hasattr(node, "display"):
            if not node.display:
                return False
            node = node.parent
        return True

    def _apply(self, queues: tuple[Queue, ...], thresholds: Thresholds, stale: bool) -> None:
        if not self.is_attached:  # the app is closing
            return
        ordered = sorted(queues, key=lambda q: (q.name.casefold() or q.queue_id, q.queue_id))
        wanted = [queue.queue_id for queue in ordered]
        keep = set(wanted)
        for queue_id in [key for key in self.tiles if key not in keep]:
            tile = self.tiles.pop(queue_id)
            if tile in self._pending:
                self._pending.remove(tile)
            else:
                tile.remove()
        if not ordered and self._empty is None:
            self._empty = Static(Content(self.empty_text), classes="empty")
            self.mount(self._empty)
        elif not ordered and self._empty is not None:
            self._empty.update(Content(self.empty_text))
        elif ordered and self._empty is not None:
            self._empty.remove()
            self._empty = None
        new_tiles = []
        for queue in ordered:
            text = queue_text(queue, thresholds)
            tile = self.tiles.get(queue.queue_id)
            if tile is None:
                tile = QueueTile(queue.queue_id, text, stale=stale)
                self.tiles[queue.queue_id] = tile
                new_tiles.append(tile)
            else:
                tile.show(text, stale)
            if self.trend_of is not None:
                tile.set_trend(self.trend_of(queue.queue_id))
        self._wanted = wanted
        if new_tiles:
            start = not self._pending
            self._pending.extend(new_tiles)
            if start:
                self._mount_batch()
        elif not self._pending:
            self._keep_order()
        self.arrange_tiles()

    def _mount_batch(self) -> None:
        """Mount a few waiting tiles, then let a frame through before the next few."""
        if not self.is_attached:
            return
        batch, self._pending = self._pending[:MOUNT_BATCH], self._pending[MOUNT_BATCH:]
        if batch:
            self.mount(*batch)
        if self._pending:
            self.call_after_refresh(self._mount_batch)
        else:
            self.call_after_refresh(self._keep_order)
            self.call_after_refresh(self.arrange_tiles)

    def _keep_order(self) -> None:
        wanted = [key for key in self._wanted if key in self.tiles]
        current = [tile.queue_id for tile in self.ordered_tiles()]
        if not self.is_attached or any(self.tiles[key].parent is not self for key in wanted):
            return
        if current != wanted and len(current) == len(wanted):
            for queue_id in wanted:  # keep the tiles in name order
                self.move_child(self.tiles[queue_id], after=len(self.children) - 1)

    def ordered_tiles(self) -> list[QueueTile]:
        return [child for child in self.children if isinstance(child, QueueTile)]

    def tile_to_focus(self, queue_id: str | None = None) -> QueueTile | None:
        """The tile of ``queue_id`` (else the first); ``None`` while there is none yet
        (see :attr:`filling`). The app focuses it, if its tab is still the one shown."""
        tiles = [tile for tile in self.ordered_tiles() if tile.display]  # TV mode may leave some out
        return next((t for t in tiles if t.queue_id == queue_id), tiles[0]) if tiles else None

    @property
    def filling(self) -> bool:
        """Tiles are still being mounted (just shown): the first are on their way."""
        return bool(self._pending)

    def on_resize(self, event: Resize) -> None:
        self.arrange_tiles()

    def arrange_tiles(self) -> None:
        """Columns for the width; in TV mode also the tiles' height, what each shows, and
        which tiles are shown (see :mod:`wallboard.core.views.tv_layout`)."""
        if not self.is_attached:
            return
        size = self.size
        if not self.app.has_class("tv"):
            if self.tv_grid is not None:
                self.tv_grid = None
                self.styles.grid_rows = "auto"
                for tile in self.tiles.values():
                    tile.display = True
                    tile.set_tv_layout(None)
                self.page = 0
            self.columns = max(1, size.width // TILE_WIDTH)
            self.styles.grid_size_columns = self.columns
            return
        # every tile made, mounted or still waiting its turn: the layout must not jump as they come
        every = [self.tiles[key] for key in self._wanted if key in self.tiles]
        if not size.width or not size.height:
            return  # hidden (another tab is shown): arranged again when it is shown and sized
        figures = [tile.big_figures() for tile in every]
        unit = Scale(1, 1)
        values = tuple(max((f[i][0] for f in figures), key=lambda v: numeral_width(v, unit), default="0") for i in range(3))
        captions = tuple(max((f[i][1] for f in figures), key=len, default="") for i in range(3))
        digits = max((big_figures_width(f) for f in figures), default=0)
        status_width = max((len(tile.status_text) for tile in every), default=0)
        # numerals drawn in plain characters do not read: words on a terminal that is not UTF-8
        grid = tv_plan(size.width, size.height, len(every), values, captions, digits, status_width, not self.app.has_class("ascii"))
        ranked = sorted(range(len(every)), key=lambda i: (-every[i].level, i))  # alert, then warning, first
        self.page %= max(1, grid.pages)
        shown = {every[i] for i in page_of(ranked, self.page, grid)}
        for tile in every:
            tile.display = tile in shown
            tile.set_tv_layout(grid.mode, grid.scale, grid.extras, grid.status_lines)
        if grid != self.tv_grid:
            self.tv_grid = grid
            self.columns = grid.columns
            self.styles.grid_size_columns = grid.columns
            self.styles.grid_rows = str(max(1, grid.tile_height))

    @property
    def pages(self) -> int:
        return self.tv_grid.pages if self.tv_grid is not None else 1

    def next_page(self) -> bool:
        """Show the next TV page; ``False`` (back on the first) after the last one."""
        if self.tv_grid is None or self.tv_grid.pages <= 1:
            self.page = 0
            return False
        self.page += 1
        more = self.page < self.tv_grid.pages
        if not more:
            self.page = 0
        self.arrange_tiles()
        return more

    def page_label(self) -> str | None:
        """``page 2 of 5`` while the TV pages through the tiles; ``None`` with one page."""
        if self.tv_grid is None or self.tv_grid.pages <= 1:
            return None
        return f"page {self.page + 1} of {self.tv_grid.pages}"

    def action_move(self, dx: int, dy: int) -> None:
        tiles = [tile for tile in self.ordered_tiles() if tile.display]
        if not tiles:
            return
        focused = self.screen.focused
        index = tiles.index(focused) if focused in tiles else 0
        target = index + dx + dy * self.columns
        if 0 <= target < len(tiles):
            tiles[target].focus()
            tiles[target].scroll_visible(animate=False)

    def action_jump(self, where: int) -> None:
        tiles = [tile for tile in self.ordered_tiles() if tile.display]
        if tiles:
            tile = tiles[0 if where == 0 else -1]
            tile.focus()
            tile.scroll_visible(animate=False)

