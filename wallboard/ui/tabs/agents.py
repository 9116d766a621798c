"""The Agents tab: a line above the grid saying what is shown, the grid, and the search box.

The tab owns how the supervisor arranged the grid (:class:`~wallboard.core.views.agents.ViewOptions`:
sort, state filter, search, grouping), kept across refreshes, and its keys (``s`` ``f``
``/`` ``g``, Escape to clear). Which rows and cells come from
:mod:`wallboard.core.views.agents`; the grid draws them.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from wallboard.core.model.snapshot import Snapshot
from wallboard.core.views.agents import (
    SORT_LABELS,
    SORTS,
    STATE_FILTERS,
    Arranger,
    GroupHeader,
    ViewOptions,
    alerting_first,
    filter_label,
    row_key,
)
from wallboard.core.views.header import empty_grid_text
from wallboard.ui.context import Moment
from wallboard.ui.tabs.base import BoardTab
from wallboard.ui.widgets.agents_grid import AgentsGrid


class AgentsTab(BoardTab):
    NAME = "agents"
    TITLE = "Agents"
    KEY = "1"
    ROTATES = True
    KEYS = (
        Binding("s", "sort", "Sort"),
        Binding("f", "filter", "Filter"),
        Binding("slash", "search", "Search"),
        Binding("g", "group", "Group", show=False),
        Binding("escape", "clear", "Clear", show=False),
    )

    DEFAULT_CSS = """
    AgentsTab {
        #agents-bar { height: 1; padding: 0 1; background: $surface; color: $foreground 75%; }
        #search { dock: bottom; display: none; border: tall $primary; height: 3; }
        #search.-visible { display: block; }
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options = ViewOptions()
        """How the supervisor arranged the grid."""
        self._snapshot = Snapshot()  # the last one drawn
        self._version = -1
        self._arranger = Arranger()  # keeps the order across refreshes that cannot change it
        self.page = 0
        """TV mode: the page of agents shown (the rotation steps through them)."""
        context = self.context
        # Kept as references: querying during start-up or shutdown races with mounting
        # and pruning, references do not.
        self.agents_bar = Static(id="agents-bar", markup=False)
        self.grid = AgentsGrid(
            thresholds=context.settings.thresholds, zone=context.zone, mono=context.mono, wall=context.wall, id="grid"
        )
        self.search = Input(placeholder="search by name or login id; Enter keeps it, Escape clears", id="search")

    def compose(self) -> ComposeResult:
        yield self.agents_bar
        yield self.grid
        yield self.search

    # --- drawing ----------------------------------------------------------------------------

    def show(self, moment: Moment, ticked: bool) -> None:
        snapshot = self._snapshot = moment.snapshot
        if ticked:
            self.grid.tick()
            return
        if snapshot.agents.version != self._version:
            self._version = snapshot.agents.version
            self._show_agents()
        self.grid.set_stale(snapshot.is_stale(snapshot.agents, moment.mono))
        self.grid.set_empty_text(empty_grid_text(snapshot.agents, self._filtered()))

    def _show_agents(self) -> None:
        feed = self._snapshot.agents
        rows = self._arranger.arrange(feed.records, self.options)
        if self._tv:
            rows = alerting_first(rows, self.context.settings.thresholds, feed.records_age(self.context.mono()))
        grid = self.grid
        grid.sort_key = self.options.sort
        grid.set_rows(rows, feed.records_since, self._snapshot.stale_after)
        shown = sum(1 for row in rows if not isinstance(row, GroupHeader)) if self.options.group_by else len(rows)
        bar = f"{shown} of {len(feed.records)} agents · {self.options.describe()}"
        view = self.context.views.current
        if view.serving:
            bar += f" · every agent: the service does not say who serves {view.label}'s queues (their counts are in the header)"
        if str(self.agents_bar.content) != bar:
            self.agents_bar.update(Content(bar), layout=False)  # one line, fixed height: no relayout

    @property
    def _tv(self) -> bool:
        return self.is_attached and self.app.has_class("tv")

    # --- TV pages -----------------------------------------------------------------------

    def _page_rows(self) -> int:
        return max(1, self.grid.size.height - 1)  # the grid's header line stays

    def _pages(self) -> int:
        return max(1, math.ceil(len(self.grid.rows) / self._page_rows()))

    def _show_page(self) -> None:
        top = self.page * self._page_rows()
        self.grid.scroll_to(y=top, animate=False, immediate=True)
        if self.grid.rows:  # the cursor on the page's first agent: a refresh keeps the page
            self.grid.cursor_key = row_key(self.grid.rows[min(top, len(self.grid.rows) - 1)])
            self.grid.refresh()

    def next_page(self) -> bool:
        if not self._tv or self._pages() <= 1:
            self.page = 0
            return False
        self.page += 1
        more = self.page < self._pages()
        if not more:
            self.page = 0
        self._show_page()
        return more

    def page_label(self) -> str | None:
        if not self._tv or self._pages() <= 1:
            return None
        return f"page {self.page + 1} of {self._pages()}"

    def tv_changed(self) -> None:
        self.page = 0
        self._show_agents()

    def _filtered(self) -> bool:
        return bool(self.options.search.strip() or self.options.state_filter)

    def set_options(self, options: ViewOptions) -> None:
        """Arrange the grid as ``options`` say (and keep it so across refreshes)."""
        self.options = options
        self._show_agents()
        self.grid.set_empty_text(empty_grid_text(self._snapshot.agents, self._filtered()))

    # --- focus ------------------------------------------------------------------------------

    def first_focus(self) -> Widget | None:
        return self.grid

    def take_focus(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, Input) and focused.id == "search":
            return  # a late call (after a tab change) must not take the search box from the user
        self.focus_later(self.grid)

    # --- keys -------------------------------------------------------------------------------

    def action_sort(self) -> None:
        self.set_options(self.options.next_sort())

    def action_filter(self) -> None:
        present = {agent.state.category for agent in self._snapshot.agents.records}
        options = self.options.next_filter(present)
        if options == self.options:
            self.notify("No agents yet: nothing to filter by.", timeout=3)
            return
        self.set_options(options)

    def action_group(self) -> None:
        self.set_options(replace(self.options, group_by=not self.options.group_by))

    def action_search(self) -> None:
        search = self.search
        search.add_class("-visible")
        search.value = self.options.search
        search.focus()

    def action_clear(self) -> None:
        search = self.search
        if search.has_class("-visible") or self.options.search or self.options.state_filter:
            search.value = ""
            search.remove_class("-visible")
            self.set_options(replace(self.options, search="", state_filter=None))
            self.grid.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.set_options(replace(self.options, search=event.value))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self.search.remove_class("-visible")
        self.grid.focus()

    # --- the palette ------------------------------------------------------------------------

    def commands(self) -> Iterable[SystemCommand]:
        for sort in SORTS:
            yield SystemCommand(
                f"Sort agents by {SORT_LABELS[sort]}", "Order the agents grid", lambda s=sort: self.set_options(replace(self.options, sort=s))
            )
        for category in STATE_FILTERS:
            yield SystemCommand(
                f"Filter agents: {filter_label(category)}",
                "Show only agents in this state",
                lambda c=category: self.set_options(replace(self.options, state_filter=c)),
            )
        yield SystemCommand("Group agents by group id", "Toggle grouping", self.action_group)
