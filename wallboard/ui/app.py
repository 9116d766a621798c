"""The wallboard app: what is app-wide, and the screens that draw it.

The App keeps what belongs to the whole program: the settings, the themes, the one
:class:`~wallboard.live.poller.Poller` (run as a worker; found credentials first, asking
on the setup screen for what is missing), the latest :class:`Snapshot` it supplies, the
once-a-second clock, the bell, TV mode, the global keys (``r`` ``t`` ``?`` ``q``) and
the command palette. It publishes a :class:`~wallboard.ui.context.Moment` (its
``moment`` reactive) whenever the snapshot changes and every second; the screens watch
it and draw, and own everything else: the board screen its tabs, focus and rotation
(:mod:`wallboard.ui.screens.board`), each tab its state and work (:mod:`wallboard.ui.tabs`).
Widgets never fetch. Clocks are injected, so tests and snapshots run on a fixed time.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Protocol

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.worker import WorkerFailed

from wallboard import crash
from wallboard.config import Settings, default_config_path, user_themes_dir
from wallboard.core.ascii import unicode_terminal
from wallboard.core.model.snapshot import Snapshot
from wallboard.core.views.alerts import AlertBell
from wallboard.core.views.selection import View, ViewChoice
from wallboard.credentials.needs import gather
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import REALTIME_TOKEN
from wallboard.errors import WallboardError
from wallboard.live import clock
from wallboard.live.poller import Poller, Schedule, Source
from wallboard.live.schedule import CACHE_PERIOD, PhaseLockedSchedule, schedule_for
from wallboard.themes import bundled_themes_dir
from wallboard.ui.ascii_output import plain
from wallboard.ui.context import BoardContext, Moment
from wallboard.ui.heap import FREEZE_AFTER, QuietCollector, freeze_start_up
from wallboard.ui.partial import OutputHook
from wallboard.ui.screens.board import BoardScreen
from wallboard.ui.screens.help import HelpScreen
from wallboard.ui.screens.setup import SetupScreen
from wallboard.ui.theming import Themes

if TYPE_CHECKING:
    from wallboard.live.events import EventStream
    from wallboard.live.push import Pusher
    from wallboard.ui.historical.controller import AnalyticsConnector


class ClosableSource(Source, Protocol):
    async def aclose(self) -> None: ...


Connector = Callable[[Settings, Secret | Mapping[str, Secret]], ClosableSource]
"""Makes the client the board polls, once the settings and credentials are known: the
data-request token, or (``source = "cc-realtime"``) the v5 key and secret by name."""
COMPACT_HEIGHT = 34


class _Crash(Exception):
    """An uncaught error as Textual prints it on exit: :func:`wallboard.crash.report`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(type(error).__name__)
        self.__cause__ = error
        self.text = crash.report(error)

    def __rich__(self) -> Text:
        return Text(self.text)


class WallboardApp(OutputHook, App):
    """The live board."""

    TITLE = "wallboard"
    CSS = """
    /* Rules that depend on the app's mode classes: .compact (short terminals) and .tv.
       TV tiles are -big (numerals) or -words; QueueBoard sizes them (core.tv_layout). */
    .compact QueueTile { height: 9; }
    .compact QueueTile .trend { display: none; }
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
    .tv SummaryStrip {
        border: round $foreground 60%;
        border-title-color: $foreground;
        border-title-style: bold;
        margin: 0 1;
        background: $surface;
    }
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
    .tv QueueTile.-blocks {
        .tv-only, .caption { display: block; }
        Digits, .figures { display: none; }
        .blocks { display: block; }
    }
    /* Textual's own widgets: their greyed text at 50% reads below 4.5:1 (tests/test_contrast.py). */
    Tab { color: $foreground 70%; }
    SelectCurrent .arrow { color: $foreground 70%; }
    """

    BINDINGS = [
        Binding("r", "refresh", "Refresh", show=False),
        Binding("t", "toggle_tv", "TV", show=False),
        Binding("v", "next_view", "View", show=False),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit", "Quit"),
    ]

    snapshot: var[Snapshot] = var(Snapshot, always_update=True)
    """What the poller last handed over (tests set it directly)."""
    moment: var[Moment | None] = var(None, always_update=True)
    """The snapshot and the clock readings every screen draws (see :mod:`wallboard.ui.context`)."""

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
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        self._freeze_heap = freeze_heap
        """Freeze start-up's objects once the first agents are shown (:mod:`wallboard.ui.heap`)."""
        self.quiet_collector: QuietCollector | None = None
        """Runs full garbage collections once start-up is frozen (:mod:`wallboard.ui.heap`)."""
        # Not UTF-8 (the C locale over SSH, a Latin-1 console): send only plain characters.
        self.ascii = not unicode_terminal(os.environ) if ascii is None else ascii
        self.source = source
        self.connector = connector
        self._owned_client: ClosableSource | None = None
        self.schedule: Schedule = schedule_for(settings.interval, cache_period)
        self.cache_period = cache_period
        self.pusher: Pusher | None = None
        """Pushed changes over the polled data, when ``[events] enabled`` (see :mod:`wallboard.live.push`)."""
        self.stream: EventStream | None = None
        self._polled: Snapshot | None = None
        self.wall = wall
        self.mono = mono
        self.zone = settings.zone()
        self.poller: Poller | None = None
        self._initial_snapshot = snapshot or Snapshot(interval=settings.interval)
        self._bell = AlertBell()
        self.last_key = float("-inf")
        """When a person last pressed a key (monotonic seconds): a TV rotation holds meanwhile."""
        self.context = BoardContext(
            settings,
            self.zone,
            wall,
            mono,
            syncs=self._syncs,
            last_key=lambda: self.last_key,
            analytics_secrets=dict(analytics_secrets or {}),
            analytics_connector=analytics_connector,
            views=ViewChoice(settings.views, settings.view),
            switch_view=self.show_view,
        )
        self.board = BoardScreen(self.context)
        dirs = list(theme_dirs) if theme_dirs is not None else [bundled_themes_dir(), user_themes_dir()]
        self.themes = Themes(dirs, settings.theme)
        for theme in self.themes.textual_themes():
            self.register_theme(theme)
        self.theme = self.themes.choose(self.available_themes)
        if settings.tv:
            self.add_class("tv")
        if self.ascii:
            self.add_class("ascii")

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self.context.settings = settings  # every screen reads them from the context

    # --- what Textual asks of the App ---------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An exception nobody caught: exit with one line instead of Textual's report.

        Textual's own report shows every frame's local variables, and one of them may be
        the token typed into the setup screen; :mod:`wallboard.crash` says only what
        failed and where. (Pilot tests still receive the original as the cause.)
        """
        if isinstance(error, WorkerFailed):  # name what failed in the worker, not the wrapper
            error = error.error if isinstance(error.error, Exception) else error
        super()._handle_exception(_Crash(error))

    def output(self, renderable: object) -> object:
        """Each screen update on its way out (:class:`~wallboard.ui.partial.OutputHook`):
        from where it starts, not from the widget's edge (the ticking timers cost a few
        cells, not whole lines), and in ASCII on a terminal that is not UTF-8."""
        renderable = super().output(renderable)
        return plain(renderable) if self.ascii else renderable

    def get_key_display(self, binding: Binding) -> str:
        shown = super().get_key_display(binding)
        if not self.ascii or shown.isascii():
            return shown
        return binding.key.split(",")[0].replace("_", " ").title()  # "⏎" -> "Enter"

    @property
    def sixteen_colours(self) -> bool:
        """The terminal shows 16 colours (``TERM=linux``, ``xterm``, ``screen``), as rich detects."""
        return self.console.color_system == "standard"

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables; on a 16-colour terminal, state and level colours it keeps
        apart (see :data:`wallboard.themes.SIXTEEN_DARK`)."""
        variables = super().get_css_variables()
        themes = getattr(self, "themes", None)  # asked while Textual sets the App up, before ours exist
        if themes is not None and self.sixteen_colours:
            sixteen = themes.variables(self.theme, sixteen=True)
            if sixteen:
                variables.update(sixteen)
                self.theme_variables = variables
        return variables

    def get_theme_variable_defaults(self) -> dict[str, str]:
        themes = getattr(self, "themes", None)
        defaults = themes.defaults() if themes is not None else {}
        return {**super().get_theme_variable_defaults(), **defaults}

    # --- start and stop -----------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.board

    def on_mount(self) -> None:
        for problem in self.themes.problems:
            # markup=False: the line quotes the file (or the config), and "[/oops]" there must
            # show as written, not crash the board as unbalanced markup
            self.notify(problem, title="Theme", severity="warning", timeout=10, markup=False)
        self.set_interval(1.0, self.tick)
        self._update_compact()
        self.snapshot = self._initial_snapshot
        if self.source is not None:
            self._start_polling(self.source)
        elif self.connector is not None:
            self.run_worker(self._connect(), name="connect", group="connect", exclusive=True)

    def _start_polling(self, source: Source) -> None:
        self.poller = Poller(
            source, self.settings.interval, self._receive, wall=self.wall, mono=self.mono, schedule=self.schedule
        )
        self.run_worker(self.poller.run(), name="poller", group="poller", exclusive=True)
        self._start_push(source)

    def _start_push(self, source: Source) -> None:
        """Connect the event stream beside the poller, when enabled and the source has a key for it."""
        key = getattr(source, "stream_key", None)
        if not self.settings.events.enabled or key is None:
            return
        from wallboard.live.events import EventStream  # websockets loads only when push is on
        from wallboard.live.push import Pusher, stream_address

        self.pusher = Pusher(self.cache_period, self.mono, self._republish)
        try:
            url = stream_address(self.settings)
        except WallboardError as error:
            self.pusher.on_status(False, str(error))
            return
        self.stream = EventStream(url, key, self.pusher.on_frame, self.pusher.on_status)
        self.run_worker(self.stream.run(), name="push", group="push", exclusive=True)

    def _republish(self) -> None:
        """A pushed change (or the stream's state) arrived: the last poll with it laid over."""
        if self._polled is not None and self.pusher is not None and self.is_running:
            self.snapshot = self.pusher.merge(self._polled)

    async def _connect(self) -> None:
        """Find the credentials (asking on the setup screen for what is missing), then poll."""
        assert self.connector is not None
        cc = self.settings.data_source == "cc-realtime"
        found, needs = await asyncio.to_thread(gather, "cc-realtime" if cc else "realtime", self.settings)
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
            self.tick()  # the header names the tenant now
        try:
            client = self.connector(self.settings, found if cc else found[REALTIME_TOKEN])
        except WallboardError as error:
            self.exit(return_code=2, message=Text(f"wallboard: {error}"))  # Text: the message may quote a URL
            return
        self._owned_client = client
        self.source = client
        self._start_polling(client)

    async def on_unmount(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self.stream is not None:
            self.stream.stop()
        if self._owned_client is not None:
            await self._owned_client.aclose()

    def on_resize(self) -> None:
        self._update_compact()

    def _update_compact(self) -> None:
        self.set_class(self.size.height < COMPACT_HEIGHT and not self.has_class("tv"), "compact")

    # --- data and time ------------------------------------------------------------------

    def _receive(self, snapshot: Snapshot) -> None:
        if not self.is_running:
            return  # shutting down: the poller may still answer while the screens are removed
        self._polled = snapshot
        self.snapshot = self.pusher.merge(snapshot) if self.pusher is not None else snapshot
        if self._freeze_heap and snapshot.agents.records:
            self._freeze_heap = False
            self.set_timer(FREEZE_AFTER, self._freeze_start_up)  # the first agents drawn and written out first

    def _freeze_start_up(self) -> None:
        freeze_start_up()
        clock = asyncio.get_running_loop().time  # the clock last_key is read on
        self.quiet_collector = QuietCollector(clock())
        self.set_interval(1.0, lambda: self.quiet_collector.tick(clock(), self.last_key))

    def watch_snapshot(self, snapshot: Snapshot) -> None:
        shown = self.context.views.apply(snapshot)  # the view's queues and agents only
        moment = Moment(shown, self.mono(), self.wall())
        queues = snapshot.queues
        if queues.received_mono is not None:  # every queue, whatever the view: trends outlive a switch
            self.context.trends.record(queues.records, queues.received_mono, key=queues.received_mono)
        if self.settings.bell and self._bell.check(shown, self.settings.thresholds, moment.mono):
            self.bell()
        self.moment = moment

    def tick(self) -> None:
        """The once-a-second moment: the same snapshot at the clocks' new readings."""
        self.moment = Moment(self.context.views.apply(self.snapshot), self.mono(), self.wall(), ticked=True)

    # --- views --------------------------------------------------------------------------

    def show_view(self, view: View) -> None:
        """Show ``view``: every screen draws the snapshot narrowed to it from now on."""
        views = self.context.views
        if view == views.current:
            return
        views.choose(view)
        self.moment = Moment(views.apply(self.snapshot), self.mono(), self.wall())
        self.board.view_changed()

    def action_next_view(self) -> None:
        views = self.context.views
        following = views.following(views.cycle)
        if following is None:
            self.notify("No views configured: add [views.NAME] tables to the config (the README's Views).", timeout=4)
            return
        self.show_view(following)
        self.notify(f"View: {following.label}", timeout=2, markup=False)

    def _syncs(self):
        """What the poller knows of each feed's cache phase, when it is phase-locked."""
        if self.poller is not None and isinstance(self.schedule, PhaseLockedSchedule):
            return self.schedule.syncs()
        return None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            # a person is driving: hold the TV rotation (on the clock its timer runs on)
            self.last_key = asyncio.get_running_loop().time()
        await super().on_event(event)

    # --- app-wide keys ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_tv" and not self.board.ready:
            return False
        return True

    def action_refresh(self) -> None:
        if self.poller is not None:
            self.poller.refresh_now()
            self.notify("Refreshing now.", timeout=2)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_tv(self) -> None:
        self.toggle_class("tv")
        self._update_compact()
        self.board.tv_changed()
        self.tick()  # every header in view says (or stops saying) the tab's name

    # --- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from self.board.system_commands()
        yield SystemCommand("Refresh now", "Poll the server now (and resume after refused credentials)", self.action_refresh)
        yield SystemCommand("Toggle TV mode", "Big figures, no chrome, rotating tabs", self.action_toggle_tv)
        for view in self.context.views.every:
            yield SystemCommand(f"View: {view.label}", f"Show the {view.name} view's queues and agents", lambda v=view: self.show_view(v))
        for name in sorted(self.themes.catalogue.themes):
            yield SystemCommand(f"Theme: {name}", "Switch to this wallboard theme", lambda n=name: setattr(self, "theme", n))
