"""Themes, bell, TV rotation, resizing and the live poller inside the running board."""

import pytest
from dataclasses import replace

from textual.widgets import TabbedContent

from tests.helpers.live import live_board, virtual_simulator
from tests.helpers.waiting import until
from tests.helpers.clocks import MONO, Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from tests.helpers.board import agent_rows, board_ready, grid, make_app
from wallboard.core.model.realtime import Queue
from wallboard.core.model.snapshot import Feed, Health
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.widgets.queue_tile import QueueTile

pytestmark = pytest.mark.virtual_time


async def test_theme_from_settings():
    app = make_app(theme="wallboard-light")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "wallboard-light"
        assert app.theme_variables["state-available"] == "#12773B"


async def test_unknown_theme_and_broken_files_fall_back_with_a_message(tmp_path):
    (tmp_path / "bad.toml").write_text('name = "bad"\ncolors = 3\n')
    clocks = Clocks()
    app = WallboardApp(
        fixed_settings(theme="nope"), snapshot=fixed_snapshot(), wall=clocks.wall, mono=clocks.mono,
        theme_dirs=[bundled_themes_dir(), tmp_path],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        assert app.theme == "wallboard-dark"
        messages = [n.message for n in app._notifications]
        assert any("bad.toml" in m and "[colors] must be a table" in m for m in messages)
        assert "theme 'nope' was not found; using wallboard-dark" in messages


async def test_command_palette_offers_tabs_and_themes():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Show Queues", "Theme: wallboard-tv", "Sort agents by time in state", "Filter agents: On break", "Toggle TV mode"):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"wallboard-tv")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.theme == "wallboard-tv"


def alert_snapshot(base, wait):
    queues = (Queue(queue_id="1", name="Sales", longest_wait_time=wait, queue_size=1),)
    return replace(base, queues=Feed(queues, 0, MONO, Health.LIVE, version=base.queues.version + 1))


async def test_bell_rings_once_when_something_enters_alert_and_is_rate_limited():
    base = fixed_snapshot()
    app = make_app(snapshot=alert_snapshot(base, 10), bell=True)
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        app.snapshot = alert_snapshot(base, 500)
        await pilot.pause()
        app.snapshot = alert_snapshot(base, 10)
        await pilot.pause()
        app.snapshot = alert_snapshot(base, 600)
        await pilot.pause()
    assert rings == [1], "one bell per minute at most"


async def test_bell_is_off_by_default():
    base = fixed_snapshot()
    app = make_app(snapshot=alert_snapshot(base, 10))
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        app.snapshot = alert_snapshot(base, 500)
        await pilot.pause()
    assert rings == []


async def test_tv_mode_rotates_tabs_and_keys_still_work():
    app = make_app(tv=True, rotate=0.4)
    async with app.run_test(size=(160, 45)) as pilot:
        await board_ready(app, pilot)
        tabs = app.board.query_one(TabbedContent)
        shown = []
        for _ in range(8):  # 1.6 s of board time: four periods of 0.4 s
            await pilot.pause(0.2)
            shown.append(tabs.active)
        assert set(shown) == {"agents", "queues"}
        assert sum(a != b for a, b in zip(shown, shown[1:])) >= 3, shown
        # A key holds the rotation for one period: right after a turn, choose the other
        # tab; the next turn, 0.4 s after the last, comes within the key's period: held
        before = tabs.active
        await until(pilot, lambda: tabs.active != before, timeout=0.4, step=0.01, what="a turn")
        chosen = "queues" if tabs.active == "agents" else "agents"
        await pilot.press("2" if chosen == "queues" else "1")
        assert tabs.active == chosen
        await pilot.pause(0.45)
        assert tabs.active == chosen, "the turn due in the key's period was held"
        await pilot.press("2")
        await pilot.press("enter")
        assert app.screen is not app.board, "drill-down works in TV mode"
        await pilot.pause(2.0)
        assert app.screen is not app.board, "and the rotation leaves an open detail alone"


async def test_news_of_a_tab_change_overtaken_by_a_key_is_ignored():
    """A TV rotation turns to Agents; before the news of it reaches the app, the person
    presses "2". The late news must not take the board back from the tab they chose."""
    app = make_app(tv=True, rotate=0)
    async with app.run_test(size=(160, 45)) as pilot:
        await board_ready(app, pilot)
        tabs = app.board.query_one(TabbedContent)
        await pilot.press("2")
        assert tabs.active == "queues"
        late = TabbedContent.TabActivated(tabs, tabs.get_tab("agents"))
        app.board.post_message(late)  # the board handles the news of tab changes
        await pilot.pause()
        await pilot.pause()
        assert (tabs.active, app.board.active_tab) == ("queues", "queues")


async def test_a_focus_asked_for_by_the_rotation_is_dropped_once_a_key_moved_on():
    """The rotation turns to Agents and asks for the grid's focus; a key chooses Queues
    before that focus is carried out. Focus moving into the Agents pane would make the
    tabs show it again: the board must go straight to Queues and stay."""
    app = make_app(tv=True, rotate=0)
    async with app.run_test(size=(160, 45)) as pilot:
        await board_ready(app, pilot)
        tabs = app.board.query_one(TabbedContent)
        await pilot.press("2")
        await pilot.pause()
        shown: list[str] = []
        app.board.watch(tabs, "active", lambda value: shown.append(value), init=False)
        app.board.active_tab = "agents"  # what the rotation does...
        app.board.focus_tab_content()
        app.board.action_show_tab("queues")  # ...and "2", handled before the rotation's focus
        await pilot.pause()
        await pilot.pause()
        assert shown == ["agents", "queues"]
        assert isinstance(app.focused, QueueTile)


async def test_resizing_keeps_the_layout_whole():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("down", "down")
        chosen = grid(app).cursor_agent
        for size in ((200, 60), (60, 18), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            width = sum(c.width for c in grid(app).columns)
            assert width <= size[0]
            assert grid(app).cursor_agent == chosen
        await pilot.press("2")
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert app.board.query_one("QueueBoard").columns == 5


async def test_the_board_shows_the_simulator_and_r_refreshes():
    sim = virtual_simulator(seed=5, agents=25, queues=4)
    async with live_board(sim, interval=30, size=(120, 40)) as (app, pilot, recorder):
        await board_ready(app, pilot)
        await until(pilot, lambda: len(agent_rows(app)) == 25, timeout=1.0, what="the first answer", app=app)
        await pilot.press("2")  # queue tiles are built when their tab is shown
        await pilot.pause()
        assert len(app.board.query("QueueTile")) == 4
        await pilot.press("1")
        before = sim.requests["agents"]
        recorder.allow_early()
        await pilot.press("r")
        await pilot.pause(0.5)
        assert sim.requests["agents"] == before + 1
