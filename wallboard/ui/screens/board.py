"""The main screen: header, STALE banner, the three tabs and the key hints.

It only lays the widgets out; the app pushes data into them.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from wallboard.config import Settings
from wallboard.ui.widgets.agents_grid import AgentsGrid
from wallboard.ui.widgets.queue_board import QueueBoard
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader


class BoardScreen(Screen):
    AUTO_FOCUS = None  # the app focuses the active tab's content itself

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
        #historical-placeholder { padding: 1 2; color: $foreground 70%; }
    }
    """

    def __init__(self, settings: Settings, zone, mono: Callable[[], float], wall: Callable[[], float]) -> None:
        super().__init__(id="board")
        self.settings = settings
        self.zone = zone
        self.mono = mono
        self.wall = wall
        self.ready = False

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield StaleBanner(id="banner")
        with TabbedContent(initial=self.settings.start_tab, id="tabs"):
            with TabPane("Agents", id="agents"):
                yield Static(id="agents-bar", markup=False)
                yield AgentsGrid(thresholds=self.settings.thresholds, zone=self.zone, mono=self.mono, wall=self.wall, id="grid")
                yield Input(placeholder="search by name or login id; Enter keeps it, Escape clears", id="search")
            with TabPane("Queues", id="queues"):
                yield QueueBoard(id="queue-board")
            with TabPane("Historical", id="historical"):
                yield Static(
                    Content(
                        "Historical reports from 8x8 Work Analytics (company, extensions, ring groups, "
                        "call records) are fetched here on demand."
                    ),
                    id="historical-placeholder",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.ready = True  # children exist from here on (is_mounted turns true only later)
        self.app.apply_snapshot()  # type: ignore[attr-defined]
        self.call_after_refresh(self.app.focus_tab_content)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.ready = False  # the app stops pushing data into widgets that are going away
