"""The queue tiles in a responsive grid: as many columns as the width allows.

Normally the grid scrolls. In TV mode it does not: :func:`~wallboard.core.views.tv_layout.tv_grid`
sizes the tiles so that every one is whole on screen (big numerals or figures in words,
the status in words, optional lines as room allows); when not all fit, the tiles in
alert or warning are kept and a line under the grid says how many more there are.
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
from wallboard.core.model.thresholds import Level
from wallboard.core.views.tv_layout import TileGrid, big_figures_width, tv_grid
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
        #more { dock: bottom; height: 1; display: none; color: $foreground; text-style: bold; }
        #more.-shown { display: block; }
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
        self._more = Static("", id="more", markup=False)
        self.tv_grid: TileGrid | None = None  # the TV arrangement in force; None outside TV mode
        self.trend_of: Callable[[str], str] | None = None
        """The trend line of a queue (the tab sets it from the App's trend store)."""
        self.empty_text = "No queues reported yet."
        """What the board says when there is no tile (the tab sets it: a view may match none)."""

    def compose(self):
        yield self._more

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
                self._more.remove_class("-shown")
                for tile in self.tiles.values():
                    tile.display = True
                    tile.set_tv_layout(None)
            self.columns = max(1, size.width // TILE_WIDTH)
            self.styles.grid_size_columns = self.columns
            return
        # every tile made, mounted or still waiting its turn: the layout must not jump as they come
        every = [self.tiles[key] for key in self._wanted if key in self.tiles]
        if not size.width or not size.height:
            return  # hidden (another tab is shown): arranged again when it is shown and sized
        big_width = max((big_figures_width(tile.big_figures()) for tile in every), default=0)
        if self.app.has_class("ascii"):
            big_width = size.width + 1  # numerals drawn in plain characters do not read: words
        status_width = max((len(tile.status_text) for tile in every), default=0)
        height = size.height + (1 if self._more.has_class("-shown") else 0)  # the note's line is ours to give
        grid = tv_grid(size.width, height, len(every), big_width, status_width)
        shown = set(_keep(every, grid.shown))
        for tile in every:
            tile.display = tile in shown
            tile.set_tv_layout(grid.big, grid.extras, grid.status_lines)
        self._more.set_class(grid.hidden > 0, "-shown")
        self._more.update(Content(_more_text(every, shown)) if grid.hidden else Content(""))
        if grid != self.tv_grid:
            self.tv_grid = grid
            self.columns = grid.columns
            self.styles.grid_size_columns = grid.columns
            self.styles.grid_rows = str(max(1, grid.tile_height))

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


def _keep(tiles: list[QueueTile], count: int) -> list[QueueTile]:
    """The ``count`` tiles to show when not all fit: alert first, then warning, then by
    name (the tiles' order); shown in their usual order."""
    if count >= len(tiles):
        return tiles
    ranked = sorted(range(len(tiles)), key=lambda i: (-tiles[i].level, i))
    keep = sorted(ranked[:count])
    return [tiles[i] for i in keep]


def _more_text(tiles: list[QueueTile], shown: set[QueueTile]) -> str:
    """``+12 more queues not shown (2 in warning): no room for them whole``."""
    hidden = [tile for tile in tiles if tile not in shown]
    alerts = sum(1 for tile in hidden if tile.level is Level.ALERT)
    warnings = sum(1 for tile in hidden if tile.level is Level.WARNING)
    trouble = ", ".join(part for part in (f"{alerts} in alert" if alerts else "", f"{warnings} in warning" if warnings else "") if part)
    noun = "queue" if len(hidden) == 1 else "queues"
    return f"+{len(hidden)} more {noun} not shown ({trouble or 'all OK'}): no room for them whole"
