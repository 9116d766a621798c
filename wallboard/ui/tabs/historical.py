"""The Historical tab's place on the board: empty until the tab is first shown.

Its pane (:mod:`wallboard.ui.historical`), and the Work Analytics model behind it, are
half the board's widgets and a sixth of its imports; the live board must not wait for
them before it shows its first figures. So this tab mounts the pane the first time it
is shown (a key, a click, the palette, or ``start_tab = "historical"``), and the pane
owns everything from then on: its state, its fetches, its client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from wallboard.ui.tabs.base import BoardTab

if TYPE_CHECKING:
    from wallboard.ui.historical.pane import HistoricalPane


class HistoricalTab(BoardTab):
    NAME = "historical"
    TITLE = "Historical"
    KEY = "3"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pane: HistoricalPane | None = None
        """The tab's pane, once it was made (it is mounted, and ready, a moment later)."""

    def compose(self) -> ComposeResult:
        if self.context.settings.start_tab == self.NAME:
            yield self._new_pane()

    def _new_pane(self) -> HistoricalPane:
        from wallboard.ui.historical.pane import HistoricalPane

        self.pane = HistoricalPane(self.context, id="history-pane")
        return self.pane

    def open(self) -> None:
        """Make the pane, the first time the tab is shown (it takes the focus once ready)."""
        if self.pane is None:
            self.mount(self._new_pane())

    def activated(self) -> None:
        self.open()  # whatever showed it: a key, a click, the palette

    def on_historical_pane_ready(self) -> None:
        """The pane is mounted: if this tab is the one shown, it takes the focus."""
        self.call_after_refresh(self._focus_if_chosen)

    def _focus_if_chosen(self) -> None:
        if self.chosen and self.app.screen is self.screen:
            self.take_focus()

    def take_focus(self) -> None:
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            return
        # a focused widget left behind in a hidden pane would pull its tab back
        self.screen.set_focus(None)
        if self.pane is None or not self.pane.is_mounted:
            self.open()  # the pane takes the focus when it is ready
        else:
            self.pane.focus_default()
