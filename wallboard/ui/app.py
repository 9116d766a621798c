"""The wallboard app: tabs for agents, queues and history under an always-visible header.

The app owns the state the widgets draw (the latest :class:`Snapshot` and how the
supervisor arranged the grid) and pushes it into them; widgets never fetch. One
:class:`~wallboard.poller.Poller`, run as a worker, supplies snapshots. Clocks are
injected, so tests and snapshots run on a fixed time.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from pathlib import Path
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Protocol

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent
from textual.worker import WorkerFailed

from rich.text import Text

from wallboard import clock, crash
from wallboard.config import Settings, default_config_path, user_themes_dir
from wallboard.core.agent_view import (
    SORT_LABELS,
    SORTS,
    STATE_FILTERS,
    GroupHeader,
    ViewOptions,
    arrange,
    filter_label,
    shown_time_in_state,
)
from wallboard.core.snapshot import Snapshot
from wallboard.core.status import Part, banner, empty_grid_text, header_parts
from wallboard.core.thresholds import Level, break_level, queue_level
from wallboard.core.totals import Totals, totals
from wallboard.errors import WallboardError
from wallboard.freshness import CACHE_PERIOD, PhaseLockedSchedule, schedule_for
from wallboard.poller import Poller, Schedule, Source
from wallboard.secret import Secret
from wallboard.secrets import REALTIME_TOKEN
from wallboard.setup_needs import gather
from wallboard.themes import DEFAULT_THEME, ThemeCatalogue, ThemeSpec, bundled_themes_dir, discover
from wallboard.core.ascii import unicode_terminal
from wallboard.ui.ascii_output import plain
from wallboard.ui.partial import trim
from wallboard.ui.screens.detail import AgentDetailScreen, QueueDetailScreen
from wallboard.ui.screens.board import BoardScreen
from wallboard.ui.screens.help import HelpScreen
from wallboard.ui.screens.setup import SetupScreen
from wallboard.ui.widgets import historical_requests
from wallboard.ui.widgets.agents_grid import AgentsGrid
from wallboard.ui.widgets.queue_board import QueueBoard
from wallboard.ui.widgets.queue_tile import QueueTile
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader

if TYPE_CHECKING:
    from wallboard.ui.historical import AnalyticsConnector, HistoricalController

TABS = ("agents", "queues", "historical")
BOARD_ACTIONS = frozenset({"show_tab", "sort", "filter", "search", "group", "clear", "toggle_tv"})
BELL_EVERY = 60.0


class ClosableSource(Source, Protocol):
    async def aclose(self) -> None: ...


Connector = Callable[[Settings, Secret], ClosableSource]
"""Makes the client the board polls, once the settings and token are known."""
COMPACT_HEIGHT = 34


class _Crash(Exception):
    """An uncaught error as Textual prints it on exit: :func:`wallboard.crash.report`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(type(error).__name__)
        self.__cause__ = error
        self.text = crash.report(error)

    def __rich__(self) -> Text:
        return Text(self.text)


def textual_theme(spec: ThemeSpec) -> Theme:
    colors = spec.colors
    return Theme(
        name=spec.name,
        primary=colors["primary"],
        secondary=colors.get("secondary"),
        accent=colors.get("accent"),
        warning=colors.get("warning"),
        error=colors.get("error"),
        success=colors.get("success"),
        foreground=colors.get("foreground"),
        background=colors.get("background"),
        surface=colors.get("surface"),
        panel=colors.get("panel"),
        dark=spec.dark,
        variables=spec.variables(),
    )


class WallboardApp(App):
    """The live board."""

    TITLE = "wallboard"
    CSS = """
    /* Rules that depend on the app's mode classes: .compact (short terminals) and .tv.
       TV tiles are -big (numerals) or -words; QueueBoard sizes them (core.tv_layout). */
    .compact QueueTile { height: 9; }
    .compact QueueTile, .tv QueueTile.-words, .ascii QueueTile {
        .big { display: none; }
        .top { height: 2; }
        Digits { display: none; }
        .waiting-word { display: block; }
        .longest, .sla-30 { display: none; }
    }
    .tv ContentTabs, .tv KeyHints, .tv #agents-bar { display: none; }
    .tv StaleBanner { min-height: 3; content-align: center middle; }
    .tv QueueBoard { overflow-y: hidden; }
    .tv QueueTile {
        height: 1fr;
        padding: 0 1;
        Label { text-style: bold; }
        .status { height: auto; }
    }
    .tv QueueTile.-big {
        padding: 1 1 0 1;
        .top { height: 4; }
        .tv-only, .caption { display: block; }
        .figures { display: none; }
    }
    /* Textual's own widgets: their greyed text at 50% reads below 4.5:1 (tests/test_contrast.py). */
    Tab { color: $foreground 70%; }
    SelectCurrent .arrow { color: $foreground 70%; }
    """

    BINDINGS = [
        Binding("r", "refresh", "Refresh", show=False),
        Binding("t", "toggle_tv", "TV", show=False),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit", "Quit"),
    ]

    snapshot: var[Snapshot] = var(Snapshot, always_update=True)

    def __init__(
        self,
        settings: Settings,
        *,
        source: Source | None = None,
        connector: Connector | None = None,
        snapshot: Snapshot | None = None,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = clock.monotonic,
        theme_dirs: Iterable[Path] | None = None,
        analytics_secrets: Mapping[str, Secret] | None = None,
        analytics_connector: AnalyticsConnector | None = None,
        cache_period: float = CACHE_PERIOD,
        ascii: bool | None = None,
    ) -> None:
        super().__init__()
        # Not UTF-8 (the C locale over SSH, a Latin-1 console): send only plain characters.
        self.ascii = not unicode_terminal(os.environ) if ascii is None else ascii
        self.settings = settings
        self.source = source
        self.connector = connector
        self._owned_client: ClosableSource | None = None
        self.schedule: Schedule = schedule_for(settings.interval, cache_period)
        self.wall = wall
        self.mono = mono
        self.zone = settings.zone()
        self.options = ViewOptions()
        self.active_tab = settings.start_tab
        self.poller: Poller | None = None
        self._initial_snapshot = snapshot or Snapshot(interval=settings.interval)
        self._agents_version = -1
        self._queues_version = -1
        self._stale_state: tuple[bool, bool] | None = None
        self._totals_cache: tuple[tuple, tuple, Totals] | None = None
        self._alerting: set[str] = set()
        self._last_bell = float("-inf")
        self._rotation_timer = None
        self._last_key = float("-inf")
        self.board = BoardScreen(settings, self.zone, mono, wall)
        self._analytics = (analytics_secrets, analytics_connector)
        self._history: HistoricalController | None = None
        dirs = list(theme_dirs) if theme_dirs is not None else [bundled_themes_dir(), user_themes_dir()]
        self.catalogue: ThemeCatalogue = discover(dirs)
        for spec in self.catalogue.themes.values():
            self.register_theme(textual_theme(spec))
        self._theme_problems = list(self.catalogue.problems)
        wanted = settings.theme or DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self._theme_problems.append(f"theme {wanted!r} was not found; using {self._fallback_theme()}")
            self.theme = self._fallback_theme()
        if settings.tv:
            self.add_class("tv")
        if self.ascii:
            self.add_class("ascii")

    @property
    def history(self) -> HistoricalController:
        """The Historical tab's controller, made (and its modules imported) on first use."""
        if self._history is None:
            from wallboard.ui.historical import HistoricalController, analytics_client

            secrets, connector = self._analytics
            self._history = HistoricalController(
                self,
                self.settings,
                now=lambda: datetime.fromtimestamp(self.wall(), timezone.utc),
                secrets=secrets,
                connector=connector or analytics_client,
                pane=lambda: self.board.history_pane,
            )
        return self._history

    def _handle_exception(self, error: Exception) -> None:
        """An exception nobody caught: exit with one line instead of Textual's report.

        Textual's own report shows every frame's local variables, and one of them may be
        the token typed into the setup screen; :mod:`wallboard.crash` says only what
        failed and where. (Pilot tests still receive the original as the cause.)
        """
        if isinstance(error, WorkerFailed):  # name what failed in the worker, not the wrapper
            error = error.error if isinstance(error.error, Exception) else error
        super()._handle_exception(_Crash(error))

    def _display(self, screen: Screen, renderable) -> None:
        # Partial updates from the middle of a line go out from where they start (see
        # wallboard.ui.partial): the ticking timers cost a few cells, not whole lines.
        renderable = trim(renderable)
        super()._display(screen, plain(renderable) if self.ascii else renderable)

    def get_key_display(self, binding: Binding) -> str:
        shown = super().get_key_display(binding)
        if not self.ascii or shown.isascii():
            return shown
        return binding.key.split(",")[0].replace("_", " ").title()  # "⏎" -> "Enter"

    def _fallback_theme(self) -> str:
        return DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"

    @property
    def sixteen_colours(self) -> bool:
        """The terminal shows 16 colours (``TERM=linux``, ``xterm``, ``screen``), as rich detects."""
        return self.console.color_system == "standard"

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables; on a 16-colour terminal, state and level colours it keeps
        apart (see :data:`wallboard.themes.SIXTEEN_DARK`)."""
        variables = super().get_css_variables()
        spec = self.catalogue.themes.get(self.theme) if hasattr(self, "catalogue") else None
        if spec is not None and self.sixteen_colours:
            variables.update(spec.variables(sixteen=True))
            self.theme_variables = variables
        return variables

    def get_theme_variable_defaults(self) -> dict[str, str]:
        spec = self.catalogue.themes.get(DEFAULT_THEME) if hasattr(self, "catalogue") else None
        defaults = spec.variables() if spec else {}
        return {**super().get_theme_variable_defaults(), **defaults}

    # --- layout -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.board

    def on_mount(self) -> None:
        for problem in self._theme_problems:
            # markup=False: the line quotes the file (or the config), and "[/oops]" there must
            # show as written, not crash the board as unbalanced markup
            self.notify(problem, title="Theme", severity="warning", timeout=10, markup=False)
        self.set_interval(1.0, self._tick)
        self._update_compact()
        self.snapshot = self._initial_snapshot
        self._start_rotation()
        if self.source is not None:
            self._start_polling(self.source)
        elif self.connector is not None:
            self.run_worker(self._connect(), name="connect", group="connect", exclusive=True)

    def _start_polling(self, source: Source) -> None:
        self.poller = Poller(
            source, self.settings.interval, self._receive, wall=self.wall, mono=self.mono, schedule=self.schedule
        )
        self.run_worker(self.poller.run(), name="poller", group="poller", exclusive=True)

    async def _connect(self) -> None:
        """Find the credentials (asking on the setup screen for what is missing), then poll."""
        found, needs = await asyncio.to_thread(gather, "realtime", self.settings)
        if needs.needed:
            result = await self.push_screen_wait(SetupScreen(needs, config_path=str(self.settings.source or default_config_path())))
            if result is None:
                self.exit(return_code=2, message=Text("wallboard: not configured yet; `wallboard run --help` and the README say what to set."))
                return
            found.update(result.secrets)
            self.settings = replace(
                self.settings,
                tenant=result.tenant or self.settings.tenant,
                realtime_url=result.realtime_url or self.settings.realtime_url,
            )
            self.refresh_header()
        try:
            client = self.connector(self.settings, found[REALTIME_TOKEN])  # type: ignore[misc]
        except WallboardError as error:
            self.exit(return_code=2, message=Text(f"wallboard: {error}"))  # Text: the message may quote a URL
            return
        self._owned_client = client
        self.source = client
        self._start_polling(client)

    async def on_unmount(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self._history is not None:
            await self._history.aclose()
        if self._owned_client is not None:
            await self._owned_client.aclose()

    def on_resize(self) -> None:
        self._update_compact()

    def _update_compact(self) -> None:
        self.set_class(self.size.height < COMPACT_HEIGHT and not self.has_class("tv"), "compact")

    # --- data ---------------------------------------------------------------------------

    def _receive(self, snapshot: Snapshot) -> None:
        if not self.is_running:
            return  # shutting down: the poller may still answer while the screens are removed
        self.snapshot = snapshot

    def watch_snapshot(self, snapshot: Snapshot) -> None:
        self.apply_snapshot()

    @property
    def board_live(self) -> bool:
        """The board's widgets exist and are not being torn down.

        The poller runs in a worker and may publish while Textual shuts the app down
        (``_running`` turns false first, then the widgets go).
        """
        return self.board.ready and self._running

    def apply_snapshot(self, now: float | None = None) -> None:
        """Push the current snapshot into the board's widgets (once they exist, while they do).

        One reading of the clock serves the widgets and the header, so the banner never says
        STALE while the grid and tiles are still drawn as fresh.
        """
        if not self.board_live:
            return
        snapshot = self.snapshot
        now = self.mono() if now is None else now
        stale_agents = snapshot.is_stale(snapshot.agents, now)
        stale_queues = snapshot.is_stale(snapshot.queues, now)
        if snapshot.agents.version != self._agents_version:
            self._agents_version = snapshot.agents.version
            self._show_agents()
        if snapshot.queues.version != self._queues_version or (stale_agents, stale_queues) != self._stale_state:
            self._queues_version = snapshot.queues.version
            board = self.board.queue_board
            board.set_queues(snapshot.queues.records, self.settings.thresholds, stale_queues)
        self._stale_state = (stale_agents, stale_queues)
        self.board.grid.set_stale(stale_agents)
        self.board.grid.set_empty_text(empty_grid_text(snapshot.agents, self._filtered()))
        self._check_alerts(snapshot)
        self._refresh_headers(now)

    def _show_agents(self) -> None:
        snapshot = self.snapshot
        rows = arrange(snapshot.agents.records, self.options)
        grid = self.board.grid
        grid.sort_key = self.options.sort
        grid.set_rows(rows, snapshot.agents.records_since, snapshot.stale_after)
        shown = sum(1 for row in rows if not isinstance(row, GroupHeader))
        total = len(snapshot.agents.records)
        bar = f"{shown} of {total} agents · {self.options.describe()}"
        agents_bar = self.board.agents_bar
        if str(agents_bar.content) != bar:
            agents_bar.update(Content(bar), layout=False)  # one line, fixed height: no relayout

    def refresh_header(self, screen: Screen | None = None, now: float | None = None) -> None:
        """Redraw the header and banner of ``screen`` (the visible one by default)."""
        if not self.screen_stack:
            return
        screen = screen or self.screen
        try:
            header = screen.query_one(StatusHeader)
            stale_banner = screen.query_one(StaleBanner)
        except Exception:
            return
        snapshot = self.snapshot
        now_mono = self.mono() if now is None else now
        syncs = None
        if self.poller is not None and isinstance(self.schedule, PhaseLockedSchedule):
            syncs = self.schedule.syncs()
        parts = header_parts(
            self.settings.tenant, snapshot, self._totals(snapshot), self.wall(), now_mono, self.zone, syncs
        )
        if self.has_class("tv"):
            parts.insert(1, Part(self.active_tab.upper(), "title", 1))
        stale = bool(snapshot.stale_feeds(now_mono))
        header.show(parts, stale, snapshot.refused is not None)
        stale_banner.show(banner(snapshot, now_mono))

    def _totals(self, snapshot: Snapshot) -> Totals:
        """Totals of ``snapshot``, counted once per set of records (the header asks every second)."""
        agents, queues = snapshot.agents.records, snapshot.queues.records
        cached = self._totals_cache
        if cached is None or cached[0] is not agents or cached[1] is not queues:
            cached = self._totals_cache = (agents, queues, totals(agents, queues))
        return cached[2]

    def _tick(self) -> None:
        snapshot = self.snapshot
        now = self.mono()
        stale = (snapshot.is_stale(snapshot.agents, now), snapshot.is_stale(snapshot.queues, now))
        if not self.board_live:
            return
        if stale != self._stale_state:
            self.apply_snapshot(now)  # staleness changed: redraw the feeds as stale or fresh
        else:
            self.board.grid.tick()
            self._refresh_headers(now)

    def _refresh_headers(self, now: float) -> None:
        """Redraw the header of every screen in view: the top one, and the ones a dialog
        (setup, the keys) covers but leaves in sight; their clock must not stop."""
        for screen in reversed(self.screen_stack):
            self.refresh_header(screen, now)
            if not isinstance(screen, ModalScreen):
                break

    def _check_alerts(self, snapshot: Snapshot) -> None:
        if not self.settings.bell:
            return  # only the bell needs it, and it walks every agent
        thresholds = self.settings.thresholds
        elapsed = snapshot.agents.records_age(self.mono())  # as the grid counts
        alerting = {f"queue:{q.queue_id}" for q in snapshot.queues.records if queue_level(q, thresholds) is Level.ALERT}
        alerting |= {
            f"agent:{a.agent_id}"
            for a in snapshot.agents.records
            if break_level(a, shown_time_in_state(a, elapsed, snapshot.stale_after), thresholds) is Level.ALERT
        }
        new = alerting - self._alerting
        self._alerting = alerting
        now = self.mono()
        if new and now - self._last_bell >= BELL_EVERY:
            self._last_bell = now
            self.bell()

    # --- actions ------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.active_tab = tab
        self.board.tabs.active = tab
        self.focus_tab_content()
        self._start_rotation()

    def focus_tab_content(self) -> None:
        """Focus the main widget of the tab the user chose (and make sure it is shown)."""
        if self.screen is not self.board or not self.board_live:
            return
        tabs = self.board.tabs
        active = self.active_tab
        if tabs.active != active:
            tabs.active = active
        if active == "agents":
            if isinstance(self.focused, Input) and self.focused.id == "search":
                return  # a late call (after a tab change) must not take the search box from the user
            self._focus_in_tab("agents", self.board.grid)
        elif active == "queues":
            focused = self.focused
            if not isinstance(focused, QueueTile):
                tile = self.board.queue_board.tile_to_focus()
                if tile is not None:
                    self._focus_in_tab("queues", tile)
                elif self.board.queue_board.filling:
                    self.call_after_refresh(self.focus_tab_content)  # just shown: the first tiles are on their way
        else:
            pane = self.board.query_one(f"TabPane#{active}")
            if self.focused is None or pane not in self.focused.ancestors:
                # a focused widget left behind in a hidden pane would pull its tab back
                self.board.set_focus(None)
                if active == "historical":
                    self._focus_history()

    def _focus_in_tab(self, tab: str, widget: Widget) -> None:
        """Focus ``widget`` (as ``widget.focus()`` does, once pending messages are handled),
        unless the board has moved to another tab meanwhile.

        Focus moving into a pane makes TabbedContent show that pane: a focus requested for
        the tab a TV rotation turned to, carried out after a key chose another, would take
        the board back.
        """

        def focus() -> None:
            if self.active_tab == tab and self.screen is self.board and widget.is_attached:
                self.board.set_focus(widget)

        widget.refresh()
        self.call_later(focus)

    def _focus_history(self) -> None:
        pane = self.board.history_pane
        if pane is None or not pane.is_mounted:
            self.board.open_history()  # its Ready message brings the focus back here
        else:
            pane.focus_default()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        if self.board_live and event.pane.id in TABS:
            if event.pane.id != self.board.tabs.active:
                return  # overtaken: another tab was chosen before this news arrived (a key during a TV rotation)
            self.active_tab = event.pane.id  # a click on a tab, or focus moving into a pane
            self.board.queue_board.catch_up()  # it skips updates while hidden
            if event.pane.id == "historical":
                self.board.open_history()  # whatever showed it: a key, a click, the palette
        self.call_after_refresh(self.focus_tab_content)
        self.refresh_header()

    def _filtered(self) -> bool:
        return bool(self.options.search.strip() or self.options.state_filter)

    def _set_options(self, options: ViewOptions) -> None:
        self.options = options
        self._show_agents()
        self.board.grid.set_empty_text(empty_grid_text(self.snapshot.agents, self._filtered()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BOARD_ACTIONS and not self.board_live:
            return False
        if action in ("sort", "filter", "search", "group"):
            return self.active_tab == "agents"
        return True

    def action_sort(self) -> None:
        self._set_options(self.options.next_sort())

    def action_filter(self) -> None:
        present = {agent.state.category for agent in self.snapshot.agents.records}
        options = self.options.next_filter(present)
        if options == self.options:
            self.notify("No agents yet: nothing to filter by.", timeout=3)
            return
        self._set_options(options)

    def action_group(self) -> None:
        self._set_options(replace(self.options, group_by=not self.options.group_by))

    def action_search(self) -> None:
        search = self.board.search
        search.add_class("-visible")
        search.value = self.options.search
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._set_options(replace(self.options, search=event.value))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        search = self.board.search
        if not event.value:
            search.remove_class("-visible")
        self.board.grid.focus()

    def action_clear(self) -> None:
        search = self.board.search
        if search.has_class("-visible") or self.options.search or self.options.state_filter:
            search.value = ""
            search.remove_class("-visible")
            self._set_options(replace(self.options, search="", state_filter=None))
            self.board.grid.focus()

    def action_refresh(self) -> None:
        if self.poller is not None:
            self.poller.refresh_now()
            self.notify("Refreshing now.", timeout=2)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_tv(self) -> None:
        self.toggle_class("tv")
        self._update_compact()
        self._start_rotation()
        self.refresh_header()
        self.board.queue_board.arrange_tiles()
        self.board.queue_board.refresh(layout=True)

    def _start_rotation(self) -> None:
        if self._rotation_timer is not None:
            self._rotation_timer.stop()
            self._rotation_timer = None
        if self.has_class("tv") and self.settings.rotate > 0:
            self._rotation_timer = self.set_interval(self.settings.rotate, self._rotate)

    def _rotate(self) -> None:
        if self.screen is not self.board:
            return
        if asyncio.get_running_loop().time() - self._last_key < self.settings.rotate:
            return  # a person pressed a key during this period: hold the rotation
        self.active_tab = "queues" if self.active_tab == "agents" else "agents"
        self.focus_tab_content()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            # a person is driving: hold the TV rotation (on the clock its timer runs on)
            self._last_key = asyncio.get_running_loop().time()
        await super().on_event(event)

    @on(historical_requests.Request)
    def _historical_request(self, request: historical_requests.Request) -> None:
        self.history.handle(request)
        if isinstance(request, historical_requests.Ready) and self.active_tab == "historical":
            self.call_after_refresh(self.focus_tab_content)

    @on(AgentsGrid.Selected)
    def _open_agent(self, event: AgentsGrid.Selected) -> None:
        self.push_screen(AgentDetailScreen(event.agent_id))

    @on(QueueTile.Selected)
    def _open_queue(self, event: QueueTile.Selected) -> None:
        self.push_screen(QueueDetailScreen(event.queue_id))

    # --- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for tab in TABS:
            yield SystemCommand(f"Show {tab.title()}", f"Switch to the {tab} tab", lambda t=tab: self.action_show_tab(t))
        for sort in SORTS:
            yield SystemCommand(
                f"Sort agents by {SORT_LABELS[sort]}", "Order the agents grid", lambda s=sort: self._set_options(replace(self.options, sort=s))
            )
        for category in STATE_FILTERS:
            yield SystemCommand(
                f"Filter agents: {filter_label(category)}",
                "Show only agents in this state",
                lambda c=category: self._set_options(replace(self.options, state_filter=c)),
            )
        yield SystemCommand("Group agents by group id", "Toggle grouping", self.action_group)
        yield SystemCommand("Refresh now", "Poll the server now (and resume after refused credentials)", self.action_refresh)
        yield SystemCommand("Toggle TV mode", "Big figures, no chrome, rotating tabs", self.action_toggle_tv)
        for name in sorted(self.catalogue.themes):
            yield SystemCommand(f"Theme: {name}", "Switch to this wallboard theme", lambda n=name: setattr(self, "theme", n))
