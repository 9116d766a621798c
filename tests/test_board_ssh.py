"""Small things a supervisor over SSH meets: cut columns, empty filter steps, narrow terminals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.helpers.clocks import EPOCH
from tests.helpers.data import fixed_snapshot
from tests.helpers.board import agent_rows, board_ready, line_text, make_app
from wallboard.core.model.realtime import Agent

pytestmark = pytest.mark.virtual_time


def snapshot_with(agents):
    snapshot = fixed_snapshot()
    return replace(snapshot, agents=replace(snapshot.agents, records=tuple(agents), version=2))


async def test_the_login_column_shows_a_whole_date():
    yesterday = Agent(agent_id="a1", name="Ada Lovelace", status=0, time_in_status=5, last_login_time=int(EPOCH) - 86_400)
    app = make_app(snapshot=snapshot_with([yesterday]))
    async with app.run_test(size=(120, 30)) as pilot:
        await board_ready(app, pilot)
        assert "Login" in line_text(app, 0)
        assert line_text(app, 1).rstrip().endswith("22 Nov"), line_text(app, 1)


@pytest.mark.parametrize("width", [40, 50])
async def test_in_state_is_whole_on_a_narrow_terminal(width):
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await board_ready(app, pilot)
        header = line_text(app, 0)
        assert "In state" in header
        for y, agent in enumerate(agent_rows(app)[:15], start=1):
            line = line_text(app, y)
            assert len(line) <= width
            assert line.rstrip().endswith(_clock(agent.time_in_status + 3)), (line, agent.time_in_status)


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


async def test_f_steps_only_through_states_someone_is_in():
    agents = [
        Agent(agent_id="a1", name="Ann", status=0, time_in_status=5),
        Agent(agent_id="a2", name="Bo", status=2, time_in_status=5),
        Agent(agent_id="a3", name="Cy", status=2, time_in_status=5),
    ]
    app = make_app(snapshot=snapshot_with(agents))
    async with app.run_test(size=(100, 24)) as pilot:
        await board_ready(app, pilot)
        seen = []
        for _ in range(3):
            await pilot.press("f")
            seen.append(app.board.agents.options.state_filter)
            assert agent_rows(app), f"the filter {app.board.agents.options.state_filter} shows nobody"
        assert seen == ["available", "busy", None]


async def test_f_with_no_agents_says_so():
    app = make_app(snapshot=snapshot_with([]))
    async with app.run_test(size=(100, 24)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("f")
        assert app.board.agents.options.state_filter is None
        assert any("nothing to filter" in str(n.message) for n in app._notifications)
