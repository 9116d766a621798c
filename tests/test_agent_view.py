"""Sorting, filtering, searching, grouping, columns and cells of the agents grid."""

import pytest

from wallboard.core.model.thresholds import Thresholds
from wallboard.core.views.agents import (
    COLUMNS,
    NAME_MAX,
    GroupHeader,
    ViewOptions,
    agent_cells,
    arrange,
    fit_columns,
    shown_time_in_state,
)
from wallboard.core.model.realtime import Agent

AGENTS = (
    Agent(agent_id="zed", name="Zed Young", status=0, time_in_status=30, group_id=102),
    Agent(agent_id="amy", name="amy Adams", status=4, time_in_status=900, group_id=101, status_code_short="LUNCH"),
    Agent(agent_id="bob", name="Bob Brown", status=2, time_in_status=120, group_id=101),
    Agent(agent_id="cy", name="Cy Chen", status=0, time_in_status=400, group_id=None),
    Agent(agent_id="dee", name="Dee Dunn", status=7, time_in_status=None, group_id=102),
)


def ids(rows):
    return [row.agent_id if isinstance(row, Agent) else row.key for row in rows]


def test_sort_by_name_is_case_insensitive():
    assert ids(arrange(AGENTS, ViewOptions())) == ["amy", "bob", "cy", "dee", "zed"]


def test_sort_by_state_follows_the_state_table_then_longest_first():
    assert ids(arrange(AGENTS, ViewOptions(sort="state"))) == ["cy", "zed", "bob", "amy", "dee"]


def test_sort_by_time_in_state_is_longest_first_with_unknown_last():
    assert ids(arrange(AGENTS, ViewOptions(sort="time"))) == ["amy", "cy", "bob", "zed", "dee"]


def test_sort_by_group_puts_no_group_last():
    assert ids(arrange(AGENTS, ViewOptions(sort="group"))) == ["amy", "bob", "dee", "zed", "cy"]


def test_sort_cycles():
    options = ViewOptions()
    seen = [options.sort]
    for _ in range(4):
        options = options.next_sort()
        seen.append(options.sort)
    assert seen == ["name", "state", "time", "group", "name"]


def test_filter_by_state_and_cycle():
    assert ids(arrange(AGENTS, ViewOptions(state_filter="available"))) == ["cy", "zed"]
    assert ids(arrange(AGENTS, ViewOptions(state_filter="unknown"))) == ["dee"]
    options = ViewOptions()
    states = []
    for _ in range(9):
        options = options.next_filter()
        states.append(options.state_filter)
    assert states == ["available", "offered", "busy", "wrap", "break", "offline", "logged_out", "unknown", None]


def test_filter_cycles_only_through_states_agents_are_in():
    present = {agent.state.category for agent in AGENTS}
    options, states = ViewOptions(), []
    for _ in range(5):
        options = options.next_filter(present)
        states.append(options.state_filter)
    assert states == ["available", "busy", "break", "unknown", None], "no step shows nobody (0 in Unknown)"
    assert ViewOptions(state_filter="offline").next_filter(present).state_filter == "unknown", "from a state now empty"
    assert ViewOptions().next_filter(set()).state_filter is None, "no agents: nothing to cycle through"


@pytest.mark.parametrize("needle, expected", [("BOB", ["bob"]), ("ch", ["cy"]), ("d", ["amy", "dee", "zed"]), ("  ", ["amy", "bob", "cy", "dee", "zed"])])
def test_search_by_name_or_login_id(needle, expected):
    assert ids(arrange(AGENTS, ViewOptions(search=needle))) == expected


def test_group_by_adds_headers_with_counts():
    rows = arrange(AGENTS, ViewOptions(group_by=True))
    assert ids(rows) == ["group:101", "amy", "bob", "group:102", "dee", "zed", "group:None", "cy"]
    headers = [row for row in rows if isinstance(row, GroupHeader)]
    assert [h.text for h in headers] == [
        "Group 101 · 2 agents · 0 available",
        "Group 102 · 2 agents · 1 available",
        "No group · 1 agent · 1 available",
    ]


def test_options_describe_themselves():
    options = ViewOptions(sort="time", state_filter="break", search="bo", group_by=True)
    assert options.describe() == "sort: time in state · state: On break · search: bo · grouped by group"


def test_all_columns_fit_a_wide_screen_and_the_name_grows():
    layout = fit_columns(200)
    assert [c.key for c in layout.columns] == [c.key for c in COLUMNS]
    assert layout.columns[0].width == NAME_MAX
    assert layout.gap == 3


def test_columns_drop_by_priority_at_80():
    layout = fit_columns(79)
    assert [c.key for c in layout.columns] == ["name", "state", "reason", "time", "media", "line1", "group"]
    assert sum(c.width for c in layout.columns) + layout.gap * (len(layout.columns) - 1) <= 79


def test_essential_columns_survive_a_tiny_screen():
    assert [c.key for c in fit_columns(30).columns] == ["name", "state", "time"]


@pytest.mark.parametrize("width", [20, 25, 30, 39, 45])
def test_narrow_screens_narrow_the_name_and_state_never_the_time(width):
    layout = fit_columns(width)
    widths = {c.key: c.width for c in layout.columns}
    assert sum(widths.values()) + layout.gap * (len(widths) - 1) <= width
    assert widths["time"] == 9, "h:mm:ss with its !! mark, whole"
    assert widths["state"] >= 3 and widths["name"] >= 6


def test_the_login_column_holds_a_date():
    login = next(c for c in COLUMNS if c.key == "login")
    assert login.width >= len("29 Nov")


def test_time_in_state_ticks_from_the_fetched_value_and_stops_when_stale():
    agent = Agent(agent_id="a", time_in_status=100)
    assert shown_time_in_state(agent, 7.9) == 107
    assert shown_time_in_state(agent, 45, cap=20) == 120
    assert shown_time_in_state(agent, -5) == 100, "a clock jump backwards never shrinks it"
    assert shown_time_in_state(Agent(agent_id="b"), 5) is None


def test_cells_decode_and_mark_long_breaks_in_text():
    amy = AGENTS[1]
    cells = agent_cells(amy, 31 * 60, Thresholds())
    assert cells["state"].text == "‖ On break"
    assert "level-alert" in cells["state"].style
    assert cells["time"].text == "!!31:00"
    assert cells["reason"].text == "LUNCH"
    warning = agent_cells(amy, 16 * 60, Thresholds())
    assert warning["time"].text == "!16:00"
    calm = agent_cells(amy, 5 * 60, Thresholds())
    assert calm["time"].text == "5:00" and "level" not in calm["state"].style


def test_unknown_state_and_missing_values():
    cells = agent_cells(AGENTS[4], None, Thresholds())
    assert cells["state"].text == "? Unknown (7)"
    assert cells["time"].text == "—"
    assert cells["media"].text == "—"
    assert cells["line1"].text == "—"


def test_markup_in_names_is_kept_as_text():
    cells = agent_cells(Agent(agent_id="m", name="[b red]x[/]"), 0, Thresholds())
    assert cells["name"].text == "[b red]x[/]"


# --- doing less per refresh: the same rows and cells as doing it all -----------------------

from msgspec.structs import fields, replace  # noqa: E402 (the records are msgspec Structs)

from hypothesis import given, strategies as st  # noqa: E402

from wallboard.bench.data import records as bench_records, refreshed  # noqa: E402
from wallboard.core.views.agents import SORTS, STATE_FILTERS, Arranger, cells_input  # noqa: E402

OPTIONS = st.builds(
    ViewOptions,
    sort=st.sampled_from(SORTS),
    state_filter=st.sampled_from(STATE_FILTERS),
    search=st.sampled_from(["", "a", "zz", "n"]),
    group_by=st.booleans(),
)


@given(steps=st.lists(st.tuples(OPTIONS, st.integers(0, 3), st.sampled_from([0.0, 0.1, 1.0])), min_size=1, max_size=6))
def test_the_arranger_keeps_an_order_only_when_arrange_would_give_it(steps):
    agents, _ = bench_records(50)
    arranger = Arranger()
    for options, seed, changed in steps:
        now = agents if not changed else refreshed(agents, changed, seed)
        assert arranger.arrange(now, options) == arrange(now, options)


def test_the_arranger_reuses_the_order_of_unchanged_names():
    agents, _ = bench_records(50)
    arranger = Arranger()
    first = arranger.arrange(agents, ViewOptions())
    order = arranger._order
    moved = refreshed(agents, 1.0, 3)  # every agent's state and time moved, no name
    assert arranger.arrange(moved, ViewOptions()) == arrange(moved, ViewOptions())
    assert arranger._order is order and [a.agent_id for a in first] == [a.agent_id for a in arrange(moved, ViewOptions())]


OTHER_VALUES = {int: 7_777, str: "Other", type(None): 5, tuple: ("chat", "email")}


@pytest.mark.parametrize("field", [f.name for f in fields(Agent)])
def test_every_field_the_cells_read_is_in_their_input(field):
    """A field outside cells_input must never change a row's cells: else the grid would
    keep showing a row whose text moved (its cells are reused while the input is equal)."""
    agents, _ = bench_records(50)
    thresholds = Thresholds()
    for agent in agents[:20]:
        value = getattr(agent, field)
        for other in (OTHER_VALUES[type(value)], None if value is not None else 3, -1 if isinstance(value, int) else value):
            changed = replace(agent, **{field: other})
            if cells_input(changed) == cells_input(agent):
                assert agent_cells(changed, 60, thresholds, None, 1_763_900_000.0) == agent_cells(
                    agent, 60, thresholds, None, 1_763_900_000.0
                ), field
