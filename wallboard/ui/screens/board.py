"""The main screen: the header, the STALE banner, the tabs, and the key hints.

The screen owns what belongs to the board rather than to one tab or to the whole App:
which tab is shown, where the focus goes when a tab is chosen, the TV rotation between
tabs, the drill-down into an agent or a queue, and handing each
:class:`~wallboard.ui.context.Moment` to its header, its banner and every tab. The tabs
come from one registry (:data:`wallboard.ui.tabs.TABS`): their keys, their palette
commands and the rotation are read from it, never named here. Each tab owns its own
state and work (:mod:`wallboard.ui.tabs.base`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Iterable, TypeVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static, TabbedContent

from wallboard.ui.context import BoardContext, Moment
from wallboard.ui.screens.detail import AgentDetailScreen, QueueDetailScreen
from wallboard.ui.tabs import TABS
from wallboard.ui.tabs.agents import AgentsTab
from wallboard.ui.tabs.base import BoardTab
from wallboard.ui.tabs.historical import HistoricalTab
from wallboard.ui.tabs.queues import QueuesTab
from wallboard.ui.widgets.agents_grid import AgentsGrid
from wallboard.ui.widgets.key_hints import KeyHints
from wallboard.ui.widgets.queue_board import QueueBoard
from wallboard.ui.widgets.queue_tile import QueueTile
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader

if TYPE_CHECKING:
    from wallboard.ui.historical.controller import HistoricalController
    from wallboard.ui.historical.pane import HistoricalPane

T = TypeVar("T", bound=BoardTab)


def _bindings() -> list[Binding]:
    """Each tab's key, then the keys each tab offers while it is shown (dispatched to it)."""
    bindings = [Binding(tab.KEY, f"show_tab('{tab.NAME}')", tab.TITLE, show=False) for tab in TABS]
    for tab in TABS:
        for key in tab.KEYS:
            bindings.append(Binding(key.key, f"tab_action('{key.action}')", key.description, show=key.show))
    return bindings


class BoardScreen(Screen):
    AUTO_FOCUS = ""  # none: the screen focuses the chosen tab's content itself (None would mean the app's "*")

    BINDINGS = _bindings()

    DEFAULT_CSS = """
    BoardScreen {
        background: $background;
        TabbedContent { height: 1fr; }
        TabPane { padding: 0; }
    }
    """

    def __init__(self, context: BoardContext) -> None:
        super().__init__(id="board")
        self.context = context
        self.ready = False
        self.active_tab = context.settings.start_tab
        """The tab chosen (the tabs' own ``active`` may lag behind it for a moment)."""
        self.tabs_by_name: dict[str, BoardTab] = {}
        self._moment: Moment | None = None
        self._stale_state: tuple[bool, bool] | None = None
        self._rotation_timer = None
        self._rotated_at = float("-inf")
        """When the TV rotation last chose a tab (monotonic seconds, as ``last_key``)."""

    def compose(self) -> ComposeResult:
        # The screen keeps these references: querying during start-up or shutdown races
        # with mounting and pruning, references do not.
        self.header = StatusHeader(self.context, title=self._header_title, id="header")
        self.banner = StaleBanner(id="banner")
        self.tabs = TabbedContent(initial=self.context.settings.start_tab, id="tabs")
        self.tabs_by_name = {tab.NAME: tab(self.context, lambda: self.active_tab) for tab in TABS}
        yield self.header
        yield self.banner
        with self.tabs:
            yield from self.tabs_by_name.values()
        yield KeyHints()

    # --- the tabs, by name (the tests and the benchmarks reach widgets through these) ------

    def tab(self, name: str) -> BoardTab:
        return self.tabs_by_name[name]

    def _the(self, kind: type[T]) -> T:
        tab = self.tabs_by_name[kind.NAME]
        assert isinstance(tab, kind)
        return tab

    @property
    def agents(self) -> AgentsTab:
        return self._the(AgentsTab)

    @property
    def grid(self) -> AgentsGrid:
        return self.agents.grid

    @property
    def search(self) -> Input:
        return self.agents.search

    @property
    def agents_bar(self) -> Static:
        return self.agents.agents_bar

    @property
    def queue_board(self) -> QueueBoard:
        return self._the(QueuesTab).queue_board

    @property
    def history_pane(self) -> HistoricalPane | None:
        return self._the(HistoricalTab).pane

    @property
    def history(self) -> HistoricalController | None:
        """The Historical tab's controller, once the tab has been shown."""
        pane = self.history_pane
        return pane.controller if pane is not None else None

    # --- start ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Every composed widget is mounted before the screen's own Mount, and the tabs are
        # reached through references, never queried: the board takes its data as soon as
        # this handler is done. (It used to wait for the first refresh, which came three
        # frames later: 0.1 s of a start spent drawing an empty board.) The grid draws
        # whatever it holds whenever its size is set.
        self.call_later(self._became_ready)

    def _became_ready(self) -> None:
        self.ready = True
        self.watch(self.app, "moment", self._show, init=True)
        first = self.tabs_by_name[self.active_tab].first_focus()
        if first is not None:
            self.set_focus(first)  # at once: keys may come before the first frame
        self.focus_tab_content()
        self.start_rotation()

    def on_unmount(self) -> None:
        self.ready = False  # the moments stop reaching widgets that are going away

    # --- moments -------------------------------------------------------------------------

    def _show(self, moment: Moment | None) -> None:
        """Hand ``moment`` to every tab, then to the header and the banner.

        Tabs redraw in full when the snapshot changed or a feed turned stale or fresh;
        on a tick only what moves with time.
        """
        if moment is None or not self.ready or not self.app.is_running:
            return  # shutting down: the poller may still answer while the widgets go
        self._moment = moment
        snapshot = moment.snapshot
        stale = (snapshot.is_stale(snapshot.agents, moment.mono), snapshot.is_stale(snapshot.queues, moment.mono))
        ticked = moment.ticked and stale == self._stale_state
        self._stale_state = stale
        for tab in self.tabs_by_name.values():
            tab.show(moment, ticked)
        self._draw_header()

    def _draw_header(self) -> None:
        if self._moment is not None:
            self.header.show_moment(self._moment)
            self.banner.show_moment(self._moment)

    def _header_title(self) -> str | None:
        """The view shown (when views are configured) and, in TV mode (no tabs on
        screen), the tab shown."""
        views = self.context.views
        view = views.current.label if views.configured else None
        tab = None
        if self.app.has_class("tv"):
            page = self.tabs_by_name[self.active_tab].page_label() if self.tabs_by_name else None
            tab = self.active_tab.upper() + (f" {page}" if page else "")
        return " · ".join(part for part in (view, tab) if part) or None

    # --- choosing a tab ------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.active_tab = tab
        self.tabs.active = tab
        self.focus_tab_content()
        self.start_rotation()

    def focus_tab_content(self) -> None:
        """Focus the main widget of the tab chosen (and make sure it is shown)."""
        if self.app.screen is not self or not self.ready:
            return
        if self.tabs.active != self.active_tab:
            self.tabs.active = self.active_tab
        self.tabs_by_name[self.active_tab].take_focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        name = event.pane.id
        if self.ready and name in self.tabs_by_name:
            if name != self.tabs.active:
                return  # overtaken: another tab was chosen before this news arrived (a key during a TV rotation)
            if name != self.active_tab and (self.app.has_class("tv") or self.context.last_key() < self._rotated_at):
                # Late news of a focus from before the last change of tab (a tile or the
                # grid focused as its tab was shown): in TV mode no tab is on screen to be
                # clicked, so only the rotation and the keys choose one; otherwise nobody
                # has pressed a key since the rotation chose the tab.
                self.tabs.active = self.active_tab
                return
            self.active_tab = name  # a click on a tab, or focus moving into a pane
            self.tabs_by_name[name].activated()
        self.call_after_refresh(self.focus_tab_content)
        self._draw_header()

    # --- the tabs' keys ------------------------------------------------------------------

    def action_tab_action(self, action: str) -> None:
        """A key of the tab shown (see :data:`BoardTab.KEYS`): the tab's own action."""
        getattr(self.tabs_by_name[self.active_tab], f"action_{action}")()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show_tab", "tab_action") and not self.ready:
            return False
        if action == "tab_action":
            tab = self.tabs_by_name[self.active_tab]
            name = str(parameters[0])
            if not any(key.action == name for key in tab.KEYS):
                return False
            return tab.check_tab_action(name)
        return True

    # --- TV mode -------------------------------------------------------------------------

    def tv_changed(self) -> None:
        """TV mode was turned on or off (the App's ``tv`` class)."""
        self.start_rotation()
        for tab in self.tabs_by_name.values():
            tab.tv_changed()
        self._draw_header()

    def start_rotation(self) -> None:
        """Rotate between the tabs that rotate every ``rotate`` seconds, in TV mode."""
        if self._rotation_timer is not None:
            self._rotation_timer.stop()
            self._rotation_timer = None
        if self.app.has_class("tv") and self.context.settings.rotate > 0:
            self._rotation_timer = self.set_interval(self.context.settings.rotate, self._rotate)

    def _rotate(self) -> None:
        if self.app.screen is not self:
            return
        if asyncio.get_running_loop().time() - self.context.last_key() < self.context.settings.rotate:
            return  # a person pressed a key during this period: hold the rotation
        shown = self.tabs_by_name[self.active_tab]
        if shown.next_page():  # TV pages of the tab shown first (queue tiles, agents)
            self._draw_header()
            return
        rotating = [tab.NAME for tab in TABS if tab.ROTATES]
        following = rotating.index(self.active_tab) + 1 if self.active_tab in rotating else 0
        self.active_tab = rotating[following % len(rotating)]
        self._rotated_at = asyncio.get_running_loop().time()  # the clock last_key reads
        self.focus_tab_content()
        views = self.context.views
        if following >= len(rotating) and views.rotation:
            # A round of tabs is done: the next listed view (--view sales,support --tv),
            # once the Queues tab is hidden, so no tile of it is replaced under the focus
            # (the focus moving to another tile would take the board back to that tab).
            view = views.following(views.rotation)
            if view is not None:
                self.call_after_refresh(self.context.switch_view, view)

    def view_changed(self) -> None:
        """Another view is shown: the header names it (the tabs redraw from the moment)."""
        self._draw_header()

    # --- drill-down ----------------------------------------------------------------------

    @on(AgentsGrid.Selected)
    def _open_agent(self, event: AgentsGrid.Selected) -> None:
        self.app.push_screen(AgentDetailScreen(event.agent_id, self.context, title=self._header_title))

    @on(QueueTile.Selected)
    def _open_queue(self, event: QueueTile.Selected) -> None:
        self.app.push_screen(QueueDetailScreen(event.queue_id, self.context, title=self._header_title))

    # --- the command palette -------------------------------------------------------------

    def system_commands(self) -> Iterable[SystemCommand]:
        """The board's commands for the palette: show each tab, then each tab's own."""
        for tab in TABS:
            yield SystemCommand(f"Show {tab.TITLE}", f"Switch to the {tab.NAME} tab", lambda t=tab.NAME: self.action_show_tab(t))
        for widget in self.tabs_by_name.values():
            yield from widget.commands()
