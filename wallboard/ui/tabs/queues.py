"""The Queues tab: one tile per queue (:class:`~wallboard.ui.widgets.queue_board.QueueBoard`).

While the tab is hidden the board only remembers the latest queues and catches up when
the tab is shown: a hidden grid of tiles costs nothing per refresh.
"""

from __future__ import annotations

from textual.app import ComposeResult

from wallboard.core.views.summary import short_line, summarise, summary_line
from wallboard.core.views.trends import ASCII_BLOCKS, BLOCKS, trend_line
from wallboard.ui.context import Moment
from wallboard.ui.tabs.base import BoardTab
from wallboard.ui.widgets.queue_board import QueueBoard
from wallboard.ui.widgets.queue_tile import QueueTile
from wallboard.ui.widgets.summary_strip import SummaryStrip


class QueuesTab(BoardTab):
    NAME = "queues"
    TITLE = "Queues"
    KEY = "2"
    ROTATES = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: tuple[int, bool] | None = None  # (queues version, stale) last drawn
        self.queue_board = QueueBoard(id="queue-board")
        self.queue_board.trend_of = self._trend_of
        self.summary = SummaryStrip(id="summary")
        self._now = 0.0
        self._moment: Moment | None = None

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.queue_board

    def _blocks(self) -> str:
        return ASCII_BLOCKS if getattr(self.app, "ascii", False) else BLOCKS

    def _trend_of(self, queue_id: str) -> str:
        waiting, sla = self.context.trends.queue_series(queue_id, self._now)
        return trend_line(waiting, sla, self._now, blocks=self._blocks())

    def _show_summary(self, moment: Moment) -> None:
        snapshot = moment.snapshot
        view = self.context.views.current
        summary = summarise(snapshot.agents.records, snapshot.queues.records, from_queues=view.serving)
        ids = None if not view.queues else [queue.queue_id for queue in snapshot.queues.records]
        waiting, sla = self.context.trends.summary_series(ids, moment.mono)
        trend = trend_line(waiting, sla, moment.mono, cells=20, blocks=self._blocks())
        self.summary.show(f"SUMMARY · {view.label}", summary_line(summary), short_line(summary), trend)

    def show(self, moment: Moment, ticked: bool) -> None:
        snapshot = moment.snapshot
        self._now = moment.mono
        self._moment = moment
        if not ticked and self.chosen:  # hidden, it catches up when shown (activated)
            self._show_summary(moment)
        drawn = (snapshot.queues.version, snapshot.is_stale(snapshot.queues, moment.mono))
        if drawn != self._drawn:
            self._drawn = drawn
            self.queue_board.empty_text = self._empty_text(snapshot)
            self.queue_board.set_queues(snapshot.queues.records, self.context.settings.thresholds, drawn[1])

    def _empty_text(self, snapshot) -> str:
        """What the board says when it has no tile: the view matches none, or no data yet."""
        view = self.context.views.current
        if view.queues and snapshot.queues.received_mono is not None:
            keys = ", ".join(key.key for key in view.queues)
            return f"No queue matches the view {view.label} ({keys}). Press v or Ctrl+P to switch views."
        return "No queues reported yet."

    def tv_changed(self) -> None:
        self.queue_board.arrange_tiles()
        self.queue_board.refresh(layout=True)

    def next_page(self) -> bool:
        return self.queue_board.next_page()

    def page_label(self) -> str | None:
        return self.queue_board.page_label()

    def activated(self) -> None:
        self.queue_board.catch_up()  # it skips updates while hidden
        if self._moment is not None:
            self._show_summary(self._moment)

    def take_focus(self) -> None:
        if isinstance(self.screen.focused, QueueTile):
            return
        tile = self.queue_board.tile_to_focus()
        if tile is not None:
            self.focus_later(tile)
        elif self.queue_board.filling:
            self.call_after_refresh(self._focus_when_filled)  # just shown: the first tiles are on their way

    def _focus_when_filled(self) -> None:
        if self.chosen and self.app.screen is self.screen:
            self.take_focus()
