"""What the agents grid shows: which rows, in what order, with which cells and columns.

The grid widget only draws what this module decides, so sorting, filtering, searching,
grouping, the ticking time in state, break thresholds and which columns fit a given
width are all tested here without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo
from functools import lru_cache
from typing import Collection, Iterable, Sequence

from wallboard.core import formatting as fmt
from wallboard.core.model.codes import NO_VALUE, Decoded
from wallboard.core.model.states import AGENT_STATES, BY_CATEGORY, STATE_CATEGORIES
from wallboard.core.model.realtime import Agent
from wallboard.core.model.thresholds import Level, Thresholds, break_level

SORTS: tuple[str, ...] = ("name", "state", "time", "group")
SORT_LABELS = {"name": "name", "state": "state", "time": "time in state", "group": "group"}
STATE_FILTERS: tuple[str | None, ...] = (None, *STATE_CATEGORIES)
_STATE_RANK = {state.category: rank for rank, state in enumerate(AGENT_STATES)}


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """How the supervisor has arranged the grid; kept across refreshes."""

    sort: str = "name"
    state_filter: str | None = None  # a state category, or None for all
    search: str = ""
    group_by: bool = False

    def next_sort(self) -> "ViewOptions":
        return replace(self, sort=SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def next_filter(self, present: Collection[str] | None = None) -> "ViewOptions":
        """The next state to filter by, then all agents again.

        With ``present`` (the states agents are in now), only those: a filter that
        shows nobody is a step the supervisor has to press through.
        """
        index = STATE_FILTERS.index(self.state_filter) if self.state_filter in STATE_FILTERS else 0
        for step in range(1, len(STATE_FILTERS) + 1):
            candidate = STATE_FILTERS[(index + step) % len(STATE_FILTERS)]
            if candidate is None or present is None or candidate in present:
                return replace(self, state_filter=candidate)
        return replace(self, state_filter=None)

    def describe(self) -> str:
        parts = [f"sort: {SORT_LABELS[self.sort]}"]
        if self.state_filter:
            parts.append(f"state: {filter_label(self.state_filter)}")
        if self.search:
            parts.append(f"search: {self.search}")
        if self.group_by:
            parts.append("grouped by group")
        return " · ".join(parts)


def filter_label(category: str | None) -> str:
    if category is None:
        return "all"
    state = BY_CATEGORY.get(category)
    return state.label if state is not None else "Unknown"


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """A separator row when the grid is grouped by group id."""

    group_id: int | None
    count: int
    available: int

    @property
    def key(self) -> str:
        return f"group:{self.group_id}"

    @property
    def text(self) -> str:
        name = f"Group {self.group_id}" if self.group_id is not None else "No group"
        noun = "agent" if self.count == 1 else "agents"
        return f"{name} · {self.count} {noun} · {self.available} available"


GridRow = Agent | GroupHeader
"""A line of the agents grid: an agent, or a group's header when grouped."""


def row_key(row: GridRow) -> str:
    return row.key if isinstance(row, GroupHeader) else row.agent_id


def arrange(agents: Iterable[Agent], options: ViewOptions) -> tuple[GridRow, ...]:
    """The rows to show, in order: filtered, searched, sorted and optionally grouped."""
    chosen = _chosen(agents, options)
    chosen.sort(key=_sort_key(options.sort))
    return _grouped(chosen, options)


class Arranger:
    """:func:`arrange`, keeping the last order when it cannot have changed.

    A refresh of thousands of agents mostly brings the same agents with the same sort
    keys (names do not change; the ticking time in state is not a sort key unless the
    grid is sorted by it). When the options, the agents chosen and their sort keys are
    those of the last call, in the same order, the rows take the last call's order
    instead of being sorted again. The result always equals :func:`arrange`'s.
    """

    def __init__(self) -> None:
        self._options: ViewOptions | None = None
        self._keys: list = []
        self._order: list[int] = []

    def arrange(self, agents: Iterable[Agent], options: ViewOptions) -> tuple[GridRow, ...]:
        chosen = _chosen(agents, options)
        keys = list(map(_sort_key(options.sort), chosen))  # every key ends with the agent's id
        if options != self._options or keys != self._keys:
            self._order = sorted(range(len(chosen)), key=keys.__getitem__)  # stable, as list.sort
            self._options, self._keys = options, keys
        return _grouped([chosen[i] for i in self._order], options)


def _chosen(agents: Iterable[Agent], options: ViewOptions) -> list[Agent]:
    needle = options.search.casefold().strip()
    return [
        agent
        for agent in agents
        if (options.state_filter is None or agent.state.category == options.state_filter)
        and (not needle or needle in agent.name.casefold() or needle in agent.agent_id.casefold())
    ]


def _grouped(chosen: list[Agent], options: ViewOptions) -> tuple[GridRow, ...]:
    if not options.group_by:
        return tuple(chosen)
    groups: dict[int | None, list[Agent]] = {}
    for agent in chosen:
        groups.setdefault(agent.group_id, []).append(agent)
    rows: list[GridRow] = []
    for group_id in sorted(groups, key=lambda g: (g is None, g or 0)):
        members = groups[group_id]
        available = sum(1 for agent in members if agent.state.available)
        rows.append(GroupHeader(group_id, len(members), available))
        rows.extend(members)
    return tuple(rows)


def _name_key(agent: Agent) -> tuple[str, str]:
    return _folded(agent.name, agent.agent_id)


@lru_cache(maxsize=65536)
def _folded(name: str, agent_id: str) -> tuple[str, str]:
    """The name sort key; cached, since names barely change between refreshes of thousands."""
    return (name.casefold() or agent_id.casefold(), agent_id)


def _sort_key(sort: str):
    if sort == "state":
        return lambda a: (_STATE_RANK.get(a.state.category, 99), -(a.time_in_status or 0), _name_key(a))
    if sort == "time":
        return lambda a: (a.time_in_status is None, -(a.time_in_status or 0), _name_key(a))
    if sort == "group":
        return lambda a: (a.group_id is None, a.group_id or 0, _name_key(a))
    return _name_key


# --- columns ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridColumn:
    """A column of the agents grid (a report table's columns are :class:`~wallboard.core.reports.table.Column`)."""

    key: str
    title: str
    width: int
    priority: int  # 1 never drops; higher numbers drop first when space runs out
    right: bool = False


NAME_MIN, NAME_MAX = 14, 30
COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("name", "Agent", NAME_MIN, 1),
    GridColumn("state", "State", 17, 1),
    GridColumn("reason", "Reason", 7, 2),
    GridColumn("time", "In state", 9, 1, right=True),
    GridColumn("media", "Media", 9, 3),
    GridColumn("line1", "Line 1", 10, 4),
    GridColumn("line2", "Line 2", 10, 5),
    GridColumn("group", "Group", 5, 3, right=True),
    GridColumn("acc_rej", "Acc/Rej", 7, 6, right=True),
    GridColumn("aht", "AHT 30m", 7, 6, right=True),
    GridColumn("login", "Login", 6, 7),  # "14:05", or "29 Nov" for another day
)
GAP = 1
SHRINK = (("name", 10), ("state", 9), ("name", 6), ("state", 3))
"""When even the columns that never drop do not fit (a 40-column terminal), they narrow
in this order, each to the width given: the name first (cut with an ellipsis), then the
state's word (its symbol stays); the time in state never narrows, so it is never cut."""


@dataclass(frozen=True, slots=True)
class GridLayout:
    columns: tuple[GridColumn, ...]
    gap: int


MAX_GAP = 3


def fit_columns(width: int, columns: Sequence[GridColumn] = COLUMNS) -> GridLayout:
    """The columns that fit ``width`` cells, dropping by priority.

    Spare room goes first to the name column (up to ``NAME_MAX``), then to the gaps
    between columns (up to ``MAX_GAP``), so a wide screen stays easy to read. When the
    columns that never drop are still too wide, they narrow as :data:`SHRINK` says.
    """
    kept = list(columns)
    while len(kept) > 1 and _needed(kept) > width:
        droppable = [c for c in kept if c.priority > 1]
        if not droppable:
            break
        worst = max(droppable, key=lambda c: (c.priority, kept.index(c)))
        kept.remove(worst)
    for key, floor in SHRINK:
        over = _needed(kept) - width
        if over <= 0:
            break
        kept = [replace(c, width=max(min(floor, c.width), c.width - over)) if c.key == key else c for c in kept]
    spare = max(0, width - _needed(kept))
    grown = tuple(
        replace(column, width=min(NAME_MAX, column.width + spare)) if column.key == "name" else column
        for column in kept
    )
    spare = max(0, width - _needed(grown))
    gap = GAP + min(MAX_GAP - GAP, spare // max(1, len(grown) - 1))
    return GridLayout(grown, gap)


def _needed(columns: Sequence[GridColumn], gap: int = GAP) -> int:
    return sum(column.width for column in columns) + gap * (len(columns) - 1)


# --- cells --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text and the style classes the widget maps to theme colours."""

    text: str
    style: str = ""


def shown_time_in_state(agent: Agent, elapsed: float | None, cap: float | None = None) -> int | None:
    """Time in state as fetched plus the time since it was fetched.

    ``elapsed`` is seconds since the answer that brought the record arrived
    (:meth:`~wallboard.core.model.snapshot.Feed.records_age`); ``cap`` stops the ticking
    once the data is stale, so a frozen board never claims fresh knowledge.
    """
    if agent.time_in_status is None:
        return None
    extra = max(0.0, elapsed or 0.0)
    if cap is not None:
        extra = min(extra, cap)
    return agent.time_in_status + int(extra)


def cells_input(agent: Agent) -> tuple:
    """Everything of ``agent`` that :func:`agent_cells` reads, but the time in state (its
    ``seconds_in_state`` argument): two agents with equal inputs have equal cells. The
    durations that tick with every answer are not in it (a phone line's status time only
    as far as "no value"), so a refresh that moved only them does not redraw a row.
    ``tests/test_agent_view.py`` checks every other field leaves the cells as they are."""
    return (
        agent.agent_id, agent.name, agent.status, agent.status_code_short, agent.media_id,
        agent.line1_status, agent.line1_status_time is None, agent.line2_status, agent.line2_status_time is None,
        agent.group_id, agent.day_accepted_count, agent.day_rejected_count, agent.thirty_min_avg_handling_time,
        agent.last_login_time,
    )


def agent_cells(
    agent: Agent,
    seconds_in_state: int | None,
    thresholds: Thresholds,
    zone: tzinfo | None = None,
    now_wall: float | None = None,
) -> dict[str, Cell]:
    """Every cell of one agent's row."""
    state = agent.state
    level = break_level(agent, seconds_in_state, thresholds)
    level_style = f" level-{level.word.lower()}" if level else ""
    time_text = fmt.clock(seconds_in_state)
    if level:
        time_text = f"{level.mark}{time_text}"
    accepted, rejected = agent.day_accepted_count, agent.day_rejected_count
    return {
        "name": Cell(agent.name or agent.agent_id),
        "state": Cell(f"{state.symbol or '?'} {state.label}", f"{state.css_class}{level_style}"),
        "reason": Cell(agent.status_code_short or "", state.css_class if agent.status_code_short else ""),
        "time": Cell(time_text, level_style.strip()),
        "media": Cell(agent.media.label if agent.media_id else NO_VALUE, "dim" if not agent.media_id else ""),
        "line1": _line_cell(agent.line1),
        "line2": _line_cell(agent.line2),
        "group": Cell(fmt.count(agent.group_id)),
        "acc_rej": Cell(f"{fmt.count(accepted)}/{fmt.count(rejected)}"),
        "aht": Cell(fmt.clock(agent.thirty_min_avg_handling_time)),
        "login": Cell(_login_text(agent.last_login_time, zone, now_wall)),
    }


def _line_cell(line: Decoded) -> Cell:
    """A line in a narrow column: "Wrap-up", "Idle/wrap"; a dash when not in use."""
    return Cell(line.brief, f"line-{line.category}")


def _login_text(epoch: int | None, zone: tzinfo | None, now_wall: float | None) -> str:
    """Login time as ``HH:MM`` today, or the date when it was another day."""
    if epoch is None:
        return NO_VALUE
    # Every zone's offset is a whole number of quarter hours, so the local date is the same
    # throughout each quarter hour: the text can be cached per quarter.
    quarter = None if now_wall is None else int(now_wall // 900)
    return _login_text_cached(epoch, zone, quarter)


@lru_cache(maxsize=8192)
def _login_text_cached(epoch: int, zone: tzinfo | None, quarter: int | None) -> str:
    """Formatting dates is the dearest part of a row; logins do not change by the second."""
    moment = fmt.local_datetime(epoch, zone)
    if moment is None:
        return NO_VALUE
    today = fmt.local_datetime(quarter * 900, zone) if quarter is not None else None
    if today is not None and moment.date() != today.date():
        return moment.strftime("%d %b")
    return moment.strftime("%H:%M")


def worst_break_level(agents: Iterable[Agent], elapsed: float | None, thresholds: Thresholds) -> Level:
    return max((break_level(a, shown_time_in_state(a, elapsed), thresholds) for a in agents), default=Level.OK)


def alerting_first(rows: tuple[GridRow, ...], thresholds: Thresholds, elapsed: float | None) -> tuple[GridRow, ...]:
    """TV mode's order: agents whose break is in alert, then in warning, then the rest,
    each in the order ``rows`` had (the TV pages through them: a problem is on page 1).
    Grouped rows are left as they are (a group's header must stay above its agents)."""
    if any(isinstance(row, GroupHeader) for row in rows):
        return rows

    def level(row: GridRow) -> int:
        return -int(break_level(row, shown_time_in_state(row, elapsed), thresholds))  # type: ignore[arg-type]

    return tuple(sorted(rows, key=level))
