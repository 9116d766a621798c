"""The agents grid: one line per agent, drawn on demand, updated in place.

A line-API widget rather than a DataTable: only the lines on screen are ever rendered,
so a tenant of thousands costs no more per refresh than one of fifty. The widget keeps
what it last asked the terminal to show on each screen line (row, cursor and every
cell's text and style); a refresh or the once-a-second tick compares the lines on
screen with that and repaints only the cells that differ: a new answer whose only news
is the time in state the board was already counting sends nothing. The rows, their
order and their cells come from :mod:`wallboard.core.views.agents`; this widget draws
them, moves the cursor, and keeps the cursor on the same agent (and at the same place
on screen) across refreshes.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from wallboard.core.model.thresholds import Thresholds
from wallboard.core.views.agents import (
    Cell,
    GridColumn,
    GroupHeader,
    GridRow,
    agent_cells,
    cells_input,
    fit_columns,
    row_key,
    shown_time_in_state,
)
from wallboard.core.model.realtime import Agent
from wallboard.core.model.states import AGENT_STATES, UNKNOWN
from wallboard.themes import LINE_FROM

_STATES = (*AGENT_STATES, UNKNOWN)
STATE_RULES = "\n".join(
    f"        & > .agents-grid--{state.css_class} {{ color: {state.colour};{' text-style: bold;' if state.bold else ''} }}"
    for state in _STATES
)
"""The grid's rule for each agent state, from the state table: its colour (and bold)."""

_STYLE_CLASSES = (
    *(state.css_class for state in _STATES),
    *(f"line-{line}" for line in LINE_FROM),
    "level-warning",
    "level-alert",
    "dim",
)


class AgentsGrid(ScrollView, can_focus=True):
    """Agents in rows; Enter posts :class:`AgentsGrid.Selected` for the row under the cursor."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Details"),
    ]

    COMPONENT_CLASSES = {
        "agents-grid--header",
        "agents-grid--cursor",
        "agents-grid--group",
        "agents-grid--stale",
        *(f"agents-grid--{name}" for name in _STYLE_CLASSES),
    }

    DEFAULT_CSS = """
    AgentsGrid {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .agents-grid--header { background: $panel; color: $foreground; text-style: bold; }
        & > .agents-grid--cursor { background: $panel; color: $foreground; }
        &:focus > .agents-grid--cursor { background: $primary; color: $background; text-style: bold; }
        & > .agents-grid--group { background: $panel; color: $accent; text-style: bold; }
        & > .agents-grid--stale { color: $foreground 70%; }
        & > .agents-grid--dim { color: $foreground 70%; }
    """ + STATE_RULES + """
        & > .agents-grid--line-busy { color: $line-busy; }
        & > .agents-grid--line-offered { color: $line-offered; }
        & > .agents-grid--line-hold { color: $line-hold; }
        & > .agents-grid--line-mute { color: $line-mute; }
        & > .agents-grid--line-monitor { color: $line-monitor; }
        & > .agents-grid--line-error { color: $line-error; text-style: bold; }
        & > .agents-grid--line-wrap { color: $line-wrap; }
        & > .agents-grid--line-idle { color: $foreground 80%; }
        & > .agents-grid--line-unused { color: $foreground 70%; }
        & > .agents-grid--level-warning { color: $level-warning; text-style: bold; }
        & > .agents-grid--level-alert { color: $background; background: $level-alert; text-style: bold; }
    }
    """

    class Selected(Message):
        """The user pressed Enter on an agent."""

        def __init__(self, agent_id: str) -> None:
            super().__init__()
            self.agent_id = agent_id

    def __init__(
        self,
        *,
        thresholds: Thresholds,
        zone=None,
        mono: Callable[[], float],
        wall: Callable[[], float],
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.thresholds = thresholds
        self.zone = zone
        self.mono = mono
        self.wall = wall
        self.rows: tuple[GridRow, ...] = ()
        self.cursor_key: str | None = None
        self.received_mono: float | None = None
        self.stale_after: float | None = None
        self.stale = False
        self.empty_text = ""
        self._index: dict[str, int] = {}
        self._keys: tuple[str, ...] = ()
        self._layout = fit_columns(80)
        self._style_cache: dict[str | tuple, Style] = {}  # component styles, and cell styles made of them
        self._sort_key = "name"
        self._painted: dict[int, _Line | None] = {}  # screen line -> what it was last asked to show
        self._painted_top = 0  # the scroll offset those lines were painted at
        self._cells_memo: dict[tuple[str, int | None, int], tuple[Agent, tuple, dict[str, Cell]]] = {}

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @sort_key.setter
    def sort_key(self, value: str) -> None:
        if value != self._sort_key:
            self._sort_key = value
            self.refresh(Region(0, 0, self.size.width, 1))  # the header's sort marker

    # --- data in ----------------------------------------------------------------------

    def set_rows(self, rows: tuple[GridRow, ...], received_mono: float | None, stale_after: float) -> None:
        """Show ``rows``; repaint only the cells that changed; keep the cursor on the same agent."""
        old_cursor = self.cursor_row
        screen_offset = old_cursor - self.scroll_offset.y if old_cursor is not None else None
        try:
            keys = tuple(map(_AGENT_ID, rows))  # in C: thousands of rows each refresh
        except AttributeError:  # grouped: group headers among the agents
            keys = tuple(row_key(row) for row in rows)
        self.rows = rows
        if keys != self._keys:
            self._keys = keys
            self._index = {key: i for i, key in enumerate(keys)}
        self.received_mono, self.stale_after = received_mono, stale_after
        if self.cursor_key not in self._index:
            if old_cursor is not None and rows:
                self.cursor_key = keys[min(old_cursor, len(rows) - 1)]
            else:
                self.cursor_key = keys[0] if rows else None
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        new_cursor = self.cursor_row
        if new_cursor is not None and screen_offset is not None and new_cursor != old_cursor:
            self.scroll_to(y=max(0, new_cursor - screen_offset), animate=False, immediate=True)
        self._repaint_changes()

    def set_empty_text(self, text: str) -> None:
        """What to say when there is no row (waiting, failing, or filtered to nothing)."""
        if text != self.empty_text:
            self.empty_text = text
            if not self.rows:
                self.refresh()

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self._repaint_all()

    def set_context(self, thresholds: Thresholds, zone) -> None:
        self.thresholds, self.zone = thresholds, zone
        self._cells_memo.clear()
        self._repaint_all()

    def tick(self) -> None:
        """Repaint the cells whose text or colour moved with time (the "in state" timers,
        a break crossing its threshold), and nothing else."""
        if self.stale or not self.rows:
            return
        self._repaint_changes()

    # --- what is on screen --------------------------------------------------------------

    def _line(self, y: int) -> "_Line | None":
        """What screen line ``y`` (1 and below) shows now: row key, cursor, cells."""
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return None
        row = self.rows[index]
        key = self._keys[index] if index < len(self._keys) else row_key(row)
        cursor = key == self.cursor_key
        if isinstance(row, GroupHeader):
            return _Line(key, cursor, ((row.text, "group"),))
        cells = self._cells(row)
        return _Line(key, cursor, tuple((cells[c.key].text, cells[c.key].style) for c in self._layout.columns))

    def _visible_lines(self) -> range:
        return range(1, max(1, self.size.height))

    def _repaint_all(self) -> None:
        self.refresh()
        self._painted = {y: self._line(y) for y in self._visible_lines()}
        self._painted_top = self.scroll_offset.y

    def _repaint_changes(self) -> None:
        """Refresh the regions of the cells on screen that differ from what was painted."""
        if self.scroll_offset.y != self._painted_top:
            self._repaint_all()  # scrolled: Textual repaints the whole view anyway
            return
        painted = self._painted
        width = self.size.width
        regions = []
        for y in self._visible_lines():
            now = self._line(y)
            before = painted.get(y, _UNKNOWN)
            if now == before:
                continue
            painted[y] = now
            if now is None or before is None or before is _UNKNOWN or not now.same_shape(before):
                regions.append(Region(0, y, width, 1))
                continue
            regions.extend(Region(x, y, span, 1) for x, span in self._changed_spans(before, now))
        if regions:
            self.refresh(*regions)  # one call: Textual works out the widget's place once

    def _changed_spans(self, before: "_Line", now: "_Line"):
        """(x, width) of each run of adjacent columns whose cells differ."""
        gap = self._layout.gap
        x = 0
        start = end = None
        for column, old, new in zip(self._layout.columns, before.cells, now.cells):
            if old != new:
                if start is None:
                    start = x
                end = x + column.width
            elif start is not None:
                yield start, end - start
                start = None
            x += column.width + gap
        if start is not None:
            yield start, end - start

    # --- cursor -----------------------------------------------------------------------

    @property
    def cursor_row(self) -> int | None:
        return self._index.get(self.cursor_key) if self.cursor_key is not None else None

    @property
    def cursor_agent(self) -> Agent | None:
        row = self.cursor_row
        if row is None:
            return None
        item = self.rows[row]
        return item if isinstance(item, Agent) else None

    def move_cursor_to(self, key: str) -> None:
        if key in self._index:
            self._set_cursor(self._index[key])

    def _set_cursor(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(len(self.rows) - 1, index))
        self.cursor_key = self._keys[index] if index < len(self._keys) else row_key(self.rows[index])
        self._scroll_cursor_into_view(index)
        self._repaint_changes()

    def _scroll_cursor_into_view(self, index: int) -> None:
        visible = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + visible:
            self.scroll_to(y=index - visible + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        current = self.cursor_row
        self._set_cursor(0 if current is None else current + delta)

    def action_page(self, direction: int) -> None:
        current = self.cursor_row or 0
        self._set_cursor(current + direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        self._set_cursor(0 if where == 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        agent = self.cursor_agent
        if agent is not None:
            self.post_message(self.Selected(agent.agent_id))

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self._set_cursor(self.scroll_offset.y + event.y - 1)
            if event.chain == 2:
                self.action_select()

    # --- layout -----------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._layout = fit_columns(max(10, event.size.width - 1))
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        if self.cursor_row is not None:
            self._scroll_cursor_into_view(self.cursor_row)
        self._repaint_all()

    @property
    def columns(self) -> tuple[GridColumn, ...]:
        return self._layout.columns

    def on_theme_changed(self) -> None:
        self._style_cache.clear()

    # --- drawing ----------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            component = f"agents-grid--{name}"
            style = self.get_component_rich_style(component, partial=True) if component in self.COMPONENT_CLASSES else Style()
            self._style_cache[name] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()

    def _base_style(self) -> Style:
        style = self._style_cache.get("__base__")
        if style is None:
            style = self._style_cache["__base__"] = self.rich_style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._base_style()
        if y == 0:
            return self._header_line(width, base)
        index = self.scroll_offset.y + y - 1
        if not self.rows and y == 2 and self.empty_text:
            return Strip([Segment(_fit(f"  {self.empty_text}", width), base + self._style("dim"))], width)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        cursor = row_key(row) == self.cursor_key
        if isinstance(row, GroupHeader):
            style = base + self._style("group")
            if cursor:
                style += self._style("cursor")
            return Strip([Segment(_fit(f" {row.text}", width), style)], width)
        return self._agent_line(row, width, cursor)

    def _header_line(self, width: int, base: Style) -> Strip:
        style = base + self._style("header")
        segments = []
        used = 0
        for column in self._layout.columns:
            title = column.title
            if _SORT_COLUMN.get(self.sort_key) == column.key:
                marker = " ▼" if len(title) + 2 <= column.width else "▼"
                title = title[: column.width - len(marker)] + marker
            text = _fit(title, column.width, column.right)
            segments.append(Segment(text + " " * self._layout.gap, style))
            used += column.width + self._layout.gap
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments, width).crop(0, width)

    def _cells(self, agent: Agent) -> dict[str, Cell]:
        """The agent's cells now; the last few are remembered, as a line that changed is
        first compared and then drawn within the same moment, and a new answer mostly
        brings the same agents with only their durations moved (:func:`cells_input`)."""
        seconds = shown_time_in_state(agent, self._elapsed(), self.stale_after)
        wall = self.wall()
        key = (agent.agent_id, seconds, int(wall // 900))  # the login column's date moves by the quarter hour
        found = self._cells_memo.get(key)
        if found is not None and (found[0] is agent or found[1] == cells_input(agent)):
            return found[2]
        cells = agent_cells(agent, seconds, self.thresholds, self.zone, wall)
        if len(self._cells_memo) > 4 * max(1, self.size.height):
            self._cells_memo.clear()
        self._cells_memo[key] = (agent, cells_input(agent), cells)
        return cells

    def _agent_line(self, agent: Agent, width: int, cursor: bool) -> Strip:
        cells = self._cells(agent)
        gap_style = self._cell_style("", cursor)  # the row's own style, between cells
        gap = " " * self._layout.gap
        segments = []
        used = 0
        for column in self._layout.columns:
            cell: Cell = cells[column.key]
            segments.append(Segment(_fit(cell.text, column.width, column.right), self._cell_style(cell.style, cursor)))
            segments.append(Segment(gap, gap_style))
            used += column.width + self._layout.gap
        if used < width:
            segments.append(Segment(" " * (width - used), gap_style))
        return Strip(segments, width).crop(0, width)

    def _cell_style(self, names: str, cursor: bool) -> Style:
        """The style of a cell whose style names are ``names`` ("" for the row's own):
        worked out once per theme, not for every cell of every line painted (each second,
        every visible line's timer)."""
        key = (names, cursor, self.stale)
        style = self._style_cache.get(key)  # cleared with the theme's styles
        if style is None:
            base = self._base_style()
            style = base + self._style("stale") if self.stale else base
            for name in names.split():
                style += self._style(name)
            if names and self.stale:
                style += self._style("stale")
            if cursor:
                style += self._style("cursor")
            self._style_cache[key] = style
        return style

    def _elapsed(self) -> float | None:
        if self.received_mono is None:
            return None
        return max(0.0, self.mono() - self.received_mono)


_AGENT_ID = attrgetter("agent_id")
_SORT_COLUMN = {"name": "name", "state": "state", "time": "time", "group": "group"}


class _Line(tuple):
    """One screen line as painted: (row key, cursor on it, cells as (text, style))."""

    __slots__ = ()

    def __new__(cls, key: str, cursor: bool, cells: tuple) -> "_Line":
        return super().__new__(cls, (key, cursor, cells))

    @property
    def cells(self) -> tuple:
        return self[2]

    def same_shape(self, other: "_Line") -> bool:
        """Same row, cursor and columns: only cell contents may differ."""
        return self[0] == other[0] and self[1] == other[1] and len(self[2]) == len(other[2])


_UNKNOWN = _Line("", False, ())


def _fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, padded left or right."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding
