"""Applying one refresh (~10 % of agents changed) to the mounted board, against the
obvious alternative: a Textual ``DataTable`` of the same rows and columns, cleared and
refilled with every row. Both run headless in this process, on the counting driver, at
the same terminal size; each figure is the process CPU time from handing over the new
records until the next frame has been rendered to escape sequences, median of rounds.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from wallboard.bench.data import EPOCH, records, refreshed
from wallboard.bench.driver import counting, driver_of
from wallboard.bench.stats import median
from wallboard.config import Settings
from wallboard.core.views.agents import COLUMNS, ViewOptions, agent_cells, arrange, shown_time_in_state
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp

MONO = 10_000.0
SIZE = (160, 45)


@dataclass(frozen=True)
class ApplyFigures:
    agents: int
    board_seconds: float  # median CPU to apply one refresh and paint it
    naive_seconds: float
    board_bytes: float  # median bytes of the frame that showed it
    naive_bytes: float

    @property
    def ratio(self) -> float:
        return self.board_seconds / self.naive_seconds if self.naive_seconds else float("nan")


class _Clocks:
    def wall(self) -> float:
        return EPOCH + 3

    def mono(self) -> float:
        return MONO + 3


async def _next_frame(driver, frames: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while driver.frames == frames:
        if time.monotonic() > deadline:
            raise TimeoutError("no frame was painted")
        await asyncio.sleep(0.0005)


async def _settle(pilot, driver) -> None:
    await pilot.pause()
    frames = -1
    while frames != driver.frames:  # until a quiet moment
        frames = driver.frames
        await asyncio.sleep(0.05)


async def measure_board(agents_count: int, rounds: int = 9, size=SIZE) -> tuple[float, float]:
    agents, queues = records(agents_count)
    clocks = _Clocks()
    snapshot = Snapshot(
        agents=Feed(agents, EPOCH, MONO, Health.LIVE, version=1),
        queues=Feed(queues, EPOCH, MONO, Health.LIVE, version=1),
        interval=10.0,
    )
    settings = Settings(tenant="bench", timezone="UTC", interval=10.0)
    app = WallboardApp(settings, snapshot=snapshot, wall=clocks.wall, mono=clocks.mono, theme_dirs=[bundled_themes_dir()])
    counting(app)
    seconds, sizes = [], []
    async with app.run_test(headless=False, size=size) as pilot:
        driver = driver_of(app)
        await _settle(pilot, driver)
        for round_ in range(rounds):
            current = app.snapshot
            feed = current.agents.succeeded(refreshed(agents, 0.1, round_), EPOCH, MONO)
            frames, written = driver.frames, driver.bytes
            start = time.process_time()
            app.snapshot = replace(current, agents=feed)
            await _next_frame(driver, frames)
            seconds.append(time.process_time() - start)
            sizes.append(driver.bytes - written)
            await _settle(pilot, driver)
    return median(seconds), median(sizes)


class NaiveGrid(App):
    """The same rows in a DataTable, rebuilt from scratch on every refresh."""

    def __init__(self, agents) -> None:
        super().__init__()
        self.agents = agents

    def compose(self) -> ComposeResult:
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(column.title for column in COLUMNS))
        self.rebuild(self.agents)

    def rebuild(self, agents) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows = arrange(agents, ViewOptions())
        table.add_rows(_cells(agent) for agent in rows)


def _cells(agent) -> list[str]:
    cells = agent_cells(agent, shown_time_in_state(agent, 3.0, 20.0), Settings().thresholds, None, EPOCH)
    return [cells[column.key].text for column in COLUMNS]


async def measure_naive(agents_count: int, rounds: int = 9, size=SIZE) -> tuple[float, float]:
    agents, _ = records(agents_count)
    app = NaiveGrid(agents)
    counting(app)
    seconds, sizes = [], []
    async with app.run_test(headless=False, size=size) as pilot:
        driver = driver_of(app)
        await _settle(pilot, driver)
        for round_ in range(rounds):
            new = refreshed(agents, 0.1, round_)
            frames, written = driver.frames, driver.bytes
            start = time.process_time()
            app.rebuild(new)
            await _next_frame(driver, frames)
            seconds.append(time.process_time() - start)
            sizes.append(driver.bytes - written)
            await _settle(pilot, driver)
    return median(seconds), median(sizes)


async def measure(agents: int, rounds: int = 9) -> ApplyFigures:
    board = await measure_board(agents, rounds)
    naive = await measure_naive(agents, rounds)
    return ApplyFigures(agents, board[0], naive[0], board[1], naive[1])
