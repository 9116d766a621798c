"""One refresh as the board pays for it, against decoding the answer; keys while refreshes arrive.

Both run the real app in a fresh process of their own (``python -m wallboard.bench.refresh``)
with the real client over loopback HTTP to ``wallboard simulate`` in another process, on
:class:`~wallboard.bench.driver.CountingDriver` (every frame rendered to escape sequences),
so every CPU second counted is the board's.

``cost``: the poller is given a schedule that never polls by itself; each round waits for
the simulator's cache to move on, then asks for both feeds at once (as ``r`` does) and
counts the process CPU time (all threads: parsing runs in a worker thread) from asking
until the frame drawn after both answers were applied (fetch + parse + apply + paint, both
feeds). In the same process, the standard library's ``json.loads`` of the
``/agents`` answer, after every round (median of three), so that both medians are taken over
the same stretch of a machine whose pace moves: the floor every refresh pays in some form.

``keys``: the board polls as it would (phase-locked, interval = the cache cycle) while a
key (down, then up) is pressed every ``gap`` seconds; the figure is, per press, the time
from the key event to the frame that shows the cursor moved. Also: how many cache cycles
brought new data to the screen (does the board keep up?), and the peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

from wallboard.bench.board import _cpu, _peak_rss_mb, start_simulator


@dataclass(frozen=True)
class CostFigures:
    agents: int
    queues: int
    refresh_seconds: float  # median CPU of one refresh, both feeds, to the painted frame
    refresh_spread: tuple[float, float]  # lowest and highest round
    json_loads_seconds: float  # median stdlib json.loads of the /agents body
    body_bytes: int
    rounds: int

    @property
    def ratio(self) -> float:
        return self.refresh_seconds / self.json_loads_seconds


@dataclass(frozen=True)
class KeysFigures:
    agents: int
    queues: int
    cycle: float
    presses: int
    latency_median: float
    latency_p95: float
    latency_max: float
    cycles: int  # cache cycles in the window
    refreshed: int  # of those, how many brought new agents to the screen
    cpu_share: float  # CPU seconds per wall second, over the window
    peak_rss_mb: float


# --- the parent side ---------------------------------------------------------------------


def measure_cost(agents: int, queues: int, *, rounds: int = 7, cycle: float = 2.0, seed: int = 1) -> CostFigures:
    simulator, url = start_simulator(agents, queues, seed=seed, cycle=cycle)
    try:
        return CostFigures(**_child(["cost", "--url", url, "--agents", str(agents), "--queues", str(queues),
                                     "--rounds", str(rounds), "--cycle", str(cycle)], timeout=120 + rounds * 4 * cycle))
    finally:
        simulator.terminate()
        simulator.wait(10)


def measure_keys(agents: int, queues: int, *, seconds: float = 40.0, cycle: float = 2.0, gap: float = 0.37, seed: int = 1) -> KeysFigures:
    simulator, url = start_simulator(agents, queues, seed=seed, cycle=cycle)
    try:
        return KeysFigures(**_child(["keys", "--url", url, "--agents", str(agents), "--queues", str(queues),
                                     "--seconds", str(seconds), "--cycle", str(cycle), "--gap", str(gap)], timeout=seconds + 180))
    finally:
        simulator.terminate()
        simulator.wait(10)


def _child(args: list[str], timeout: float) -> dict:
    result = subprocess.run([sys.executable, "-m", "wallboard.bench.refresh", *args], capture_output=True, text=True, timeout=timeout)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the board process failed: {result.stderr[-2000:]}")
    found = json.loads(lines[-1])
    if "refresh_spread" in found:
        found["refresh_spread"] = tuple(found["refresh_spread"])
    return found


# --- the board process -------------------------------------------------------------------


class _Counted:
    """The client, as the poller's source: says when both feeds of a round have answered."""

    def __init__(self, client) -> None:
        self.client = client
        self.answered: set[str] = set()
        self.both = asyncio.Event()

    async def agents(self):
        return self._note("agents", await self.client.agents())

    async def queues(self):
        return self._note("queues", await self.client.queues())

    def _note(self, name: str, fetched):
        # called before the poller applies the answer: the apply and the paint come after
        self.answered.add(name)
        if len(self.answered) == 2:
            asyncio.get_running_loop().call_soon(self.both.set)  # after the poller has published
        return fetched


def _app(url: str, cycle: float, source, size=(160, 45)):
    from wallboard.bench.driver import counting
    from wallboard.config import Settings
    from wallboard.themes import bundled_themes_dir
    from wallboard.ui.app import WallboardApp

    settings = Settings(tenant="demo", realtime_url=url, timezone="UTC", interval=cycle)
    app = WallboardApp(settings, source=source, theme_dirs=[bundled_themes_dir()], cache_period=cycle, freeze_heap=True)  # as `wallboard run` makes it
    counting(app)
    return app


async def _first_paint(app, agents: int) -> None:
    from wallboard.ui.widgets.agents_grid import AgentsGrid

    while not (app.board.ready and len(app.board.query_one(AgentsGrid).rows) == agents):
        await asyncio.sleep(0.05)


def _agents_body(url: str) -> bytes:
    import httpx

    return httpx.get(f"{url}/agents.json", auth=("demo", "demo"), timeout=30).content


def _json_loads_seconds(body: bytes, repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        json.loads(body)
        samples.append(time.process_time() - start)
    return statistics.median(samples)


async def _cost(args: argparse.Namespace) -> CostFigures:
    from wallboard.bench.driver import driver_of
    from wallboard.clients.rtstats import RealtimeClient
    from wallboard.live.poller import Schedule

    async with RealtimeClient(args.url, "demo", "demo") as client:
        source = _Counted(client)
        app = _app(args.url, args.cycle, source)
        app.schedule = Schedule(3600.0)  # never polls by itself: each round asks, as `r` does
        samples = []
        loads: list[float] = []
        async with app.run_test(headless=False, size=(160, 45)):
            driver = driver_of(app)
            await _first_paint(app, args.agents)
            painted: list[float] = []

            def on_write(_: int) -> None:
                if source.both.is_set() and not painted:
                    painted.append(time.process_time())

            driver.on_write = on_write
            for _ in range(args.rounds + 1):  # the first round warms caches up: not counted
                await asyncio.sleep(args.cycle)  # the cache has moved on: new data
                source.answered.clear()
                source.both.clear()
                painted.clear()
                start = time.process_time()
                app.poller.refresh_now()
                await source.both.wait()
                waited = time.monotonic()
                while not painted and time.monotonic() - waited < 1.0:
                    await asyncio.sleep(0.002)
                samples.append((painted[0] if painted else time.process_time()) - start)
                # side by side: json.loads of the same /agents data, in this process, after
                # each round (the machine's pace moves during a run; the ratio of medians
                # is taken over the same stretch of it)
                body = await asyncio.to_thread(_agents_body, args.url)
                loads.append(_json_loads_seconds(body))
    counted, loads = samples[1:], loads[1:]
    return CostFigures(args.agents, args.queues, statistics.median(counted), (min(counted), max(counted)), statistics.median(loads), len(body), len(counted))


async def _keys(args: argparse.Namespace) -> KeysFigures:
    from textual import events

    from wallboard.bench.driver import driver_of
    from wallboard.clients.rtstats import RealtimeClient
    from wallboard.ui.widgets.agents_grid import AgentsGrid

    async with RealtimeClient(args.url, "demo", "demo") as client:
        app = _app(args.url, args.cycle, client)
        latencies: list[float] = []
        async with app.run_test(headless=False, size=(160, 45)):
            driver = driver_of(app)
            await _first_paint(app, args.agents)
            grid = app.board.query_one(AgentsGrid)
            grid.focus()
            await asyncio.sleep(3 * args.cycle)  # the poller settles into its rhythm
            waiting: list[tuple[float, str | None]] = []  # (pressed at, the cursor key it should reach)

            def on_write(_: int) -> None:
                if waiting and grid.cursor_key == waiting[0][1]:
                    latencies.append(time.monotonic() - waiting[0][0])
                    waiting.clear()

            driver.on_write = on_write
            versions = set()
            cpu0, wall0 = _cpu(), time.monotonic()
            direction = 1
            while time.monotonic() - wall0 < args.seconds:
                versions.add(app.snapshot.agents.version)
                row = grid.cursor_row or 0
                if row + direction < 0 or row + direction >= len(grid.rows):
                    direction = -direction
                target = grid._keys[row + direction]
                waiting[:] = [(time.monotonic(), target)]
                driver.process_message(events.Key("down" if direction > 0 else "up", None))
                pressed = time.monotonic()
                while waiting and time.monotonic() - pressed < 5.0:
                    await asyncio.sleep(0.001)
                if waiting:  # never shown within 5 s: count it as 5 s
                    latencies.append(5.0)
                    waiting.clear()
                versions.add(app.snapshot.agents.version)
                await asyncio.sleep(max(0.0, args.gap - (time.monotonic() - pressed)))
            cpu, wall = _cpu() - cpu0, time.monotonic() - wall0
    latencies.sort()
    return KeysFigures(
        agents=args.agents,
        queues=args.queues,
        cycle=args.cycle,
        presses=len(latencies),
        latency_median=statistics.median(latencies),
        latency_p95=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        latency_max=latencies[-1],
        cycles=int(wall // args.cycle),
        refreshed=len(versions) - 1,
        cpu_share=cpu / wall,
        peak_rss_mb=_peak_rss_mb(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("cost", "keys"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--agents", type=int, required=True)
    parser.add_argument("--queues", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cycle", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--gap", type=float, default=0.37)
    args = parser.parse_args()
    figures = asyncio.run(_cost(args) if args.mode == "cost" else _keys(args))
    print(json.dumps(asdict(figures)), flush=True)


if __name__ == "__main__":
    main()
