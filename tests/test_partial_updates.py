"""What the board writes to the terminal: only what changed, and the same screen as a
full repaint.

The app runs on the benchmark's counting driver (frames rendered to escape sequences as
for a real terminal); a tiny terminal emulator replays them. Sizes are byte counts of
fixed frames on a fixed clock, never timings.
"""

import pytest
from dataclasses import replace

from msgspec import structs

from tests.helpers.board import make_app
from tests.helpers.clocks import MONO, Clocks
from tests.helpers.terminal import Screen
from wallboard.bench.driver import counting, driver_of
from wallboard.ui.widgets.agents_grid import AgentsGrid

pytestmark = pytest.mark.virtual_time

SIZE = (120, 30)


def counted_app(clocks):
    app = make_app(clocks=clocks)
    counting(app)
    return app


async def frame_after(pilot, driver, action) -> str:
    """Everything written between ``action()`` and the app going quiet."""
    await pilot.pause()
    start = len(driver.kept)
    action()
    await pilot.pause()
    await pilot.pause(0.05)
    return "".join(driver.kept[start:])


def replay(driver) -> Screen:
    """The terminal after everything written so far."""
    screen = Screen(*SIZE)
    screen.feed("".join(driver.kept))
    return screen


async def full_repaint(pilot, driver, app) -> Screen:
    screen = Screen(*SIZE)
    screen.frame = await frame_after(pilot, driver, app.screen.refresh)
    screen.feed(screen.frame)
    return screen


async def test_a_tick_sends_the_timers_and_the_clock_and_leaves_the_screen_as_a_full_repaint_would():
    clocks = Clocks()
    app = counted_app(clocks)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        driver = driver_of(app)
        driver.kept = []
        await pilot.pause(0.1)
        await frame_after(pilot, driver, lambda: (clocks.advance(1), app.tick()))  # the first, settling tick
        # the clock moves inside the action, so the app's own 1 s timer cannot take the tick first
        tick = await frame_after(pilot, driver, lambda: (clocks.advance(1), app.tick()))
        terminal = replay(driver)
        full = await full_repaint(pilot, driver, app)
        assert terminal.lines() == full.lines() and terminal.cells == full.cells
        grid = app.board.query_one(AgentsGrid)
        visible_agents = min(len(grid.rows), SIZE[1])
        assert 0 < len(tick.encode()) < len(full.frame.encode()) / 10  # a steady tick
        # every timer on screen moved by a second, and nothing else in the grid was sent
        timer = next(c for c in grid.columns if c.key == "time")
        assert tick.count("\x1b[") < 4 * (visible_agents + 4)
        spans = _spans(tick)
        assert {row for row, _, _ in spans} >= {1, 6}  # the header line and the first agent's line
        assert all(len(text) <= 20 for row, _, text in spans if row == 1)  # the clock and the age
        assert all(len(text) <= timer.width + 1 for row, _, text in spans if row > 1)


async def test_a_refresh_sends_the_changed_cells_only_and_the_screen_matches_a_full_repaint():
    clocks = Clocks()
    app = counted_app(clocks)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        driver = driver_of(app)
        driver.kept = []
        await pilot.pause(0.1)
        await frame_after(pilot, driver, app.tick)  # settled: every line on screen painted once
        grid = app.board.query_one(AgentsGrid)
        records = list(app.snapshot.agents.records)
        target = grid.rows[3]
        index = records.index(target)
        records[index] = structs.replace(target, day_accepted_count=999, status=4, status_code_short="LUNCH")
        snapshot = app.snapshot
        feed = snapshot.agents.succeeded(tuple(records), snapshot.agents.received_wall, MONO)
        update = await frame_after(pilot, driver, lambda: setattr(app, "snapshot", replace(snapshot, agents=feed)))
        terminal = replay(driver)
        full = await full_repaint(pilot, driver, app)
        assert terminal.cells == full.cells
        assert "999/" in "\n".join(full.lines()) and "LUNCH" in "\n".join(full.lines())
        sent_grid_rows = {row for row, _ in _moves(update) if row >= 4}
        assert len(sent_grid_rows) <= 2  # the changed agent's row (and the agents bar above the grid)


async def test_moving_the_cursor_and_scrolling_keep_the_screen_whole():
    clocks = Clocks()
    app = counted_app(clocks)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        driver = driver_of(app)
        driver.kept = []
        await pilot.pause(0.1)
        for keys in (("down", "down"), ("pagedown",), ("end",), ("home",)):
            await pilot.press(*keys)
            clocks.advance(1)
            app.tick()
            await pilot.pause(0.05)
        terminal = replay(driver)
        full = await full_repaint(pilot, driver, app)
        assert terminal.cells == full.cells


def _moves(data: str):
    import re

    return [(int(r), int(c)) for r, c in re.findall(r"\x1b\[(\d+);(\d+)H", data)]


def _spans(data: str) -> list[tuple[int, int, str]]:
    """(row, column, text) of each run written after a cursor move (1-based, escapes removed)."""
    import re

    parts = re.split(r"\x1b\[(\d+);(\d+)H", data)
    return [
        (int(parts[i]), int(parts[i + 1]), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\n", "", parts[i + 2]))
        for i in range(1, len(parts) - 2, 3)
    ]


async def test_a_header_part_dropped_for_width_leaves_no_remnants():
    """The header fits its parts to the width, so a longer age or count can drop a part
    and shift what follows it; the old line's last cells must not stay on screen."""
    from wallboard.core.views.header import Part

    clocks = Clocks()
    app = counted_app(clocks)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        driver = driver_of(app)
        driver.kept = []
        header = app.board.header
        header.show_moment = lambda moment: None  # the app's 1 s tick must not redraw it meanwhile
        wide = [Part("acme", "title"), Part("● live", "ok"), Part("waiting 12", "waiting"), Part("longest 0:00", "longest")]
        await frame_after(pilot, driver, lambda: header.show(wide, False, False))
        await frame_after(pilot, driver, lambda: header.show([wide[0], wide[1], wide[3]], False, False))
        terminal = replay(driver)
        full = await full_repaint(pilot, driver, app)
        assert terminal.lines()[0] == full.lines()[0]
        assert terminal.lines()[0].rstrip().endswith("● live │ longest 0:00")
        assert terminal.lines() == full.lines() and terminal.cells == full.cells
