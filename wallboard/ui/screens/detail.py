"""Drill-down screens: every field of one agent or one queue, updated live.

They watch the App's moments (the snapshot, and the once-a-second tick for the ticking
time in state) and redraw from each; they never fetch. Escape returns to the board,
where the cursor is still on the same row.
"""

from __future__ import annotations

from typing import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from wallboard.core.views.agents import shown_time_in_state
from wallboard.core.views.detail import Section, agent_sections, queue_sections
from wallboard.ui.context import BoardContext, Moment
from wallboard.ui.widgets.key_hints import KeyHints
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader


class DetailScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    DEFAULT_CSS = """
    DetailScreen {
        background: $background;
        #title { height: auto; padding: 0 2; margin-top: 1; text-style: bold; color: $accent; }
        #gone { height: auto; padding: 0 2; color: $level-warning; display: none; }
        #gone.-visible { display: block; }
        #sections { grid-size: 1; grid-gutter: 1 2; height: auto; padding: 0 2; }
        #sections.-wide { grid-size: 2; }
        .section { height: auto; border: round $foreground 30%; border-title-color: $accent; padding: 0 1; }
    }
    """

    kind = "item"

    def __init__(self, key: str, context: BoardContext, *, title: Callable[[], str | None] = lambda: None) -> None:
        super().__init__()
        self.key = key
        self.context = context
        self._title = title
        self._statics: list[Static] = []
        self.moment: Moment | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.context, title=self._title, id="header")
        yield StaleBanner(id="banner")
        with VerticalScroll():
            yield Static(id="title", markup=False)
            yield Static(id="gone", markup=False)
            yield Grid(id="sections")
        yield KeyHints()

    def on_mount(self) -> None:
        self.watch(self.app, "moment", self._show, init=True)

    def _show(self, moment: Moment | None) -> None:
        if moment is None:
            return
        self.moment = moment
        self._redraw()
        self.query_one(StatusHeader).show_moment(moment)
        self.query_one(StaleBanner).show_moment(moment)

    def on_resize(self, event: Resize) -> None:
        self.query_one("#sections").set_class(event.size.width >= 110, "-wide")

    def sections(self, moment: Moment) -> tuple[str, tuple[Section, ...]] | None:
        raise NotImplementedError

    def _redraw(self) -> None:
        assert self.moment is not None
        found = self.sections(self.moment)
        gone = self.query_one("#gone", Static)
        if found is None:
            gone.update(Content(f"This {self.kind} is no longer in the server's answer; the last known figures stay below."))
            gone.add_class("-visible")
            return
        gone.remove_class("-visible")
        title, sections = found
        self.query_one("#title", Static).update(Content(title))
        grid = self.query_one("#sections", Grid)
        while len(self._statics) < len(sections):
            static = Static(classes="section")
            self._statics.append(static)
            grid.mount(static)
        for static, section in zip(self._statics, sections):
            static.border_title = section.title
            static.update(_table(section))


def _table(section: Section) -> Table:
    table = Table(box=None, show_header=any(section.columns), padding=(0, 1), expand=True, show_edge=False)
    width = len(section.rows[0]) if section.rows else 2
    table.add_column(Text(""), style="bold", no_wrap=True, ratio=2)
    figures = width >= 3  # label plus two or more figure columns (today, 30 min, ...)
    headers = section.columns if figures else ("",)
    for header in headers:
        table.add_column(Text(header), justify="right" if figures else "left", ratio=2 if figures else 4)
    for row in section.rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


class AgentDetailScreen(DetailScreen):
    kind = "agent"

    def sections(self, moment: Moment):
        snapshot = moment.snapshot
        agent = next((a for a in snapshot.agents.records if a.agent_id == self.key), None)
        if agent is None:
            return None
        elapsed = snapshot.agents.records_age(moment.mono)  # as the grid counts
        seconds = shown_time_in_state(agent, elapsed, snapshot.stale_after)
        title = f"{agent.state.symbol} {agent.name or agent.agent_id} — {agent.state.label}"
        return title, agent_sections(agent, seconds, self.context.settings.thresholds, self.context.zone)


class QueueDetailScreen(DetailScreen):
    kind = "queue"

    def sections(self, moment: Moment):
        queue = next((q for q in moment.snapshot.queues.records if q.queue_id == self.key), None)
        if queue is None:
            return None
        media = f"{queue.media.label} queue" if queue.media.known else "queue"  # v5 names no media
        title = f"{queue.name or queue.queue_id} — {media}"
        return title, queue_sections(queue, self.context.settings.thresholds)
