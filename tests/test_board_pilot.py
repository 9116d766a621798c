"""The board driven by keyboard, as a supervisor over SSH would (Textual's Pilot)."""

import pytest
import re
from dataclasses import replace

from msgspec import structs

from textual.geometry import Region
from textual.widgets import TabbedContent

from tests.helpers.board import agent_rows, board_ready, grid, line_text, make_app, screen_text
from tests.helpers.clocks import EPOCH, MONO, Clocks
from tests.helpers.data import fixed_snapshot, scenario_records
from wallboard.core.views.agents import GroupHeader
from wallboard.core.model.realtime import Agent
from wallboard.core.model.snapshot import Feed, Health
from wallboard.ui.screens.detail import AgentDetailScreen, QueueDetailScreen
from wallboard.ui.screens.help import HelpScreen
from wallboard.ui.widgets.queue_tile import QueueTile

pytestmark = pytest.mark.virtual_time


async def test_number_keys_switch_tabs():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        tabs = app.board.query_one(TabbedContent)
        assert tabs.active == "agents"
        assert app.focused is grid(app)
        await pilot.press("2")
        assert tabs.active == "queues"
        assert isinstance(app.focused, QueueTile)
        await pilot.press("3")
        assert tabs.active == "historical"
        await pilot.press("1")
        assert tabs.active == "agents" and app.focused is grid(app)


async def test_start_tab_comes_from_the_config():
    app = make_app(start_tab="queues")
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        assert app.board.query_one(TabbedContent).active == "queues"
        assert isinstance(app.focused, QueueTile)


async def test_q_quits():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_question_mark_shows_the_keys_and_escape_closes():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.board


async def test_s_cycles_the_sort():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        names = [a.name.casefold() for a in agent_rows(app)]
        assert names == sorted(names)
        await pilot.press("s")
        assert grid(app).sort_key == "state" and app.board.agents.options.sort == "state"
        await pilot.press("s")
        times = [a.time_in_status for a in agent_rows(app)]
        assert times == sorted(times, reverse=True)
        assert "▼" in line_text(app, 0) and line_text(app, 0).index("▼") > line_text(app, 0).index("In state")


async def test_f_filters_by_state():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        total = len(agent_rows(app))
        await pilot.press("f")
        available = agent_rows(app)
        assert available and all(a.state.category == "available" for a in available)
        assert len(available) < total
        assert "state: Available" in str(app.board.query_one("#agents-bar").render())
        await pilot.press("escape")
        assert len(agent_rows(app)) == total


async def test_slash_searches_by_name_and_escape_clears():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        target = agent_rows(app)[5]
        await pilot.press("slash")
        await pilot.press(*target.name.split()[1][:5].lower())
        found = agent_rows(app)
        assert target in found and len(found) < 30
        await pilot.press("enter")
        assert app.focused is grid(app), "Enter keeps the search and returns to the grid"
        assert agent_rows(app) == found
        await pilot.press("escape")
        assert len(agent_rows(app)) == 30


async def test_g_groups_by_group_id():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("g")
        headers = [row for row in grid(app).rows if isinstance(row, GroupHeader)]
        assert [h.group_id for h in headers] == [101, 102, 103]
        assert line_text(app, 1).strip().startswith("Group 101 ·")


async def test_t_toggles_tv_mode():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("t")
        assert app.has_class("tv")
        await pilot.press("t")
        assert not app.has_class("tv")


async def test_enter_opens_agent_detail_and_escape_returns_to_the_same_row():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("down", "down", "down")
        chosen = grid(app).cursor_agent
        await pilot.press("enter")
        assert isinstance(app.screen, AgentDetailScreen) and app.screen.key == chosen.agent_id
        assert chosen.name in str(app.screen.query_one("#title").render())
        await pilot.press("escape")
        assert app.screen is app.board
        assert grid(app).cursor_agent == chosen and grid(app).cursor_row == 3


async def test_enter_on_a_tile_opens_queue_detail():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("2", "right")
        tile = app.focused
        assert isinstance(tile, QueueTile)
        await pilot.press("enter")
        assert isinstance(app.screen, QueueDetailScreen) and app.screen.key == tile.queue_id
        await pilot.press("escape")
        assert app.focused is tile


async def test_arrangement_and_cursor_survive_a_refresh():
    clocks = Clocks()
    app = make_app(clocks=clocks)
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("s", "f", "f")  # sort by state, filter busy (no agent is Offered: f skips it)
        await pilot.press("down")
        chosen = grid(app).cursor_agent
        agents, queues = scenario_records(cycles=4)
        snapshot = app.snapshot
        app.snapshot = replace(snapshot, agents=snapshot.agents.succeeded(agents, 0, MONO + 10))
        await pilot.pause()
        assert app.board.agents.options.sort == "state" and app.board.agents.options.state_filter == "busy"
        rows = agent_rows(app)
        assert all(a.state.category == "busy" for a in rows)
        if any(a.agent_id == chosen.agent_id for a in rows):
            assert grid(app).cursor_agent.agent_id == chosen.agent_id


async def test_a_refresh_repaints_only_the_cells_that_changed():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        table = grid(app)
        regions = []
        original = table.refresh
        table.refresh = lambda *args, **kwargs: (regions.append(args), original(*args, **kwargs))[1]
        records = list(app.snapshot.agents.records)
        index = next(i for i, a in enumerate(records) if a.name == agent_rows(app)[4].name)
        records[index] = structs.replace(records[index], day_accepted_count=999)
        snapshot = app.snapshot
        app.snapshot = replace(snapshot, agents=snapshot.agents.succeeded(tuple(records), 0, MONO))
        await pilot.pause()
        columns = table.columns
        x = sum(c.width + table._layout.gap for c in columns[: [c.key for c in columns].index("acc_rej")])
        assert regions == [(Region(x, 5, 7, 1),)]  # the Acc/Rej cell of that row, nothing else
        assert "999/" in line_text(app, 5)


async def test_time_in_state_ticks_locally_and_stops_when_stale():
    clocks = Clocks(offset=0)
    app = make_app(clocks=clocks)
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        agent = agent_rows(app)[0]
        first = line_text(app, 1)
        clocks.advance(5)
        await pilot.pause(1.1)
        assert line_text(app, 1) != first
        from wallboard.core.formatting import clock
        assert clock(agent.time_in_status + 5) in line_text(app, 1)
        clocks.advance(100)
        await pilot.pause(1.1)
        assert clock(agent.time_in_status + 20) in line_text(app, 1), "frozen at the stale threshold"
        assert "STALE" in str(app.board.query_one("#header").render())


async def test_a_repeated_answer_does_not_step_time_in_state_back():
    """An answer repeating the records (the same cache cycle, asked again) is no newer news:
    the grid and the agent's detail keep counting from when those records came."""
    from wallboard.core.formatting import clock, hms

    clocks = Clocks(offset=0)
    app = make_app(clocks=clocks)
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        agent = grid(app).cursor_agent
        await pilot.press("enter")
        assert isinstance(app.screen, AgentDetailScreen)
        clocks.advance(6)
        snapshot = app.snapshot
        app.snapshot = replace(snapshot, agents=snapshot.agents.succeeded(snapshot.agents.records, EPOCH + 6, MONO + 6))
        await pilot.pause(1.1)  # the detail's next tick
        shown = re.search(r"Time in state\s+(\S+)", screen_text(app.export_screenshot()))
        assert shown and shown.group(1) == hms(agent.time_in_status + 6)
        await pilot.press("escape")
        await pilot.pause()
        assert clock(agent.time_in_status + 6) in line_text(app, 1)


async def test_names_with_markup_are_shown_literally():
    app = make_app(snapshot=fixed_snapshot(hostile=True, agents=12))
    async with app.run_test(size=(160, 40)) as pilot:
        await board_ready(app, pilot)
        lines = [line_text(app, y) for y in range(1, 13)]
        assert any("[b red]Mallory[/]" in line for line in lines)
        assert any("Unknown (7)" in line for line in lines)
        assert not any("\x1b" in line for line in lines)


async def test_break_over_threshold_says_so_in_text():
    agents = (Agent(agent_id="a", name="Ann", status=4, time_in_status=40 * 60, status_code_short="LUNCH"),)
    snapshot = replace(fixed_snapshot(), agents=Feed(agents, 0, MONO, Health.LIVE, version=1))
    app = make_app(snapshot=snapshot)
    async with app.run_test(size=(120, 30)) as pilot:
        await board_ready(app, pilot)
        assert "!!40:03" in line_text(app, 1)


async def test_an_empty_grid_says_why():
    snapshot = replace(fixed_snapshot(), agents=Feed().failed("connection refused for agents from h", False, MONO + 9))
    app = make_app(snapshot=snapshot)
    async with app.run_test(size=(120, 30)) as pilot:
        await board_ready(app, pilot)
        assert "No agents data yet: connection refused for agents from h" in line_text(app, 2)
        assert "NO DATA YET" in str(app.board.banner.render())
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("slash", *"zzzz")
        assert "No agent matches the search or filter" in line_text(app, 2)
