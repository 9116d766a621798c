"""The main screen: header, STALE banner, the three tabs and the key hints.

It only lays the widgets out; the app pushes data into them. The Historical tab's pane is
made the first time the tab is shown (:meth:`BoardScreen.open_history`): it and the Work
Analytics model behind it are half the screen's widgets and a sixth of the board's
imports, and the live board should not wait for them before it shows its first figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static, TabbedContent, TabPane

from wallboard.config import Settings
from wallboard.ui.widgets.agents_grid import AgentsGrid
from wallboard.ui.widgets.key_hints import KeyHints
from wallboard.ui.widgets.queue_board import QueueBoard
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader

if TYPE_CHECKING:
    from wallboard.ui.widgets.historical_pane import HistoricalPane


class BoardScreen(Screen):
    AUTO_FOCUS = ""  # none: the app focuses the active tab's content itself (None would mean the app's "*")

    BINDINGS = [
        Binding("1", "app.show_tab('agents')", "Agents", show=False),
        Binding("2", "app.show_tab('queues')", "Queues", show=False),
        Binding("3", "app.show_tab('historical')", "History", show=False),
        Binding("s", "app.sort", "Sort"),
        Binding("f", "app.filter", "Filter"),
        Binding("slash", "app.search", "Search"),
        Binding("g", "app.group", "Group", show=False),
        Binding("escape", "app.clear", "Clear", show=False),
    ]

    DEFAULT_CSS = """
    BoardScreen {
        background: $background;
        TabbedContent { height: 1fr; }
        TabPane { padding: 0; }
        #agents-bar { height: 1; padding: 0 1; background: $surface; color: $foreground 75%; }
        #search { dock: bottom; display: none; border: tall $primary; height: 3; }
        #search.-visible { display: block; }
    }
    """

    def __init__(self, settings: Settings, zone, mono: Callable[[], float], wall: Callable[[], float]) -> None:
        super().__init__(id="board")
        self.settings = settings
        self.zone = zone
        self.mono = mono
        self.wall = wall
        self.ready = False
        self.history_pane: HistoricalPane | None = None

    def compose(self) -> ComposeResult:
        # The app keeps these references: querying during start-up or shutdown races
        # with mounting and pruning, references do not.
        self.header = StatusHeader(id="header")
        self.banner = StaleBanner(id="banner")
        self.tabs = TabbedContent(initial=self.settings.start_tab, id="tabs")
        self.agents_bar = Static(id="agents-bar", markup=False)
        self.grid = AgentsGrid(thresholds=self.settings.thresholds, zone=self.zone, mono=self.mono, wall=self.wall, id="grid")
        self.search = Input(placeholder="search by name or login id; Enter keeps it, Escape clears", id="search")
        self.queue_board = QueueBoard(id="queue-board")
        yield self.header
        yield self.banner
        with self.tabs:
            with TabPane("Agents", id="agents"):
                yield self.agents_bar
                yield self.grid
                yield self.search
            with TabPane("Queues", id="queues"):
                yield self.queue_board
            with TabPane("Historical", id="historical"):
                if self.settings.start_tab == "historical":
                    yield self._new_history_pane()
        yield KeyHints()

    def _new_history_pane(self) -> HistoricalPane:
        from wallboard.ui.widgets.historical_pane import HistoricalPane

        self.history_pane = HistoricalPane(id="history-pane")
        return self.history_pane

    def open_history(self) -> None:
        """Make the Historical tab's pane, the first time the tab is shown.

        It tells the App when it is mounted (``HistoricalPane.Ready``); until then
        ``history_pane`` exists but has no children to focus or fill.
        """
        if self.history_pane is None:
            self.query_one("TabPane#historical", TabPane).mount(self._new_history_pane())

    def on_mount(self) -> None:
        # Panes inside TabbedContent may still be mounting now; after the first refresh
        # every widget of the screen exists.
        self.call_after_refresh(self._became_ready)

    def _became_ready(self) -> None:
        self.ready = True
        self.app.apply_snapshot()  # type: ignore[attr-defined]
        if self.app.active_tab == "agents":  # type: ignore[attr-defined]
            self.set_focus(self.grid)  # at once: keys may come before the first frame
        self.app.focus_tab_content()  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.ready = False  # the app stops pushing data into widgets that are going away
