"""The board at steady state against the simulator in a separate process.

:func:`measure` starts ``wallboard simulate`` (its own process), then runs the board in
another fresh process (``python -m wallboard.bench.board ...``) so that CPU time, peak
memory belong to the board alone. The board process runs the real app with
the real client over loopback HTTP, on :class:`~wallboard.bench.driver.CountingDriver`
(every frame rendered to escape sequences and counted, as a terminal would receive it).

Startup is measured apart, as a user sees it: :mod:`wallboard.bench.startup` starts the real
``wallboard run`` in a pseudo-terminal against the same simulator.

In the board process: the first frame that shows agents; then, once polling has
settled (both endpoints locked to the cache phase, or ``warmup`` seconds), ``windows``
windows of one cache cycle each, in each the process CPU time (user + system, all
threads: parsing runs in a worker thread) and the bytes written; then a forced full
repaint, three times. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace

from wallboard.bench import startup
from wallboard.bench.data import queues_for

CYCLE = 10.0


@dataclass(frozen=True)
class BoardFigures:
    agents: int
    queues: int
    size: str
    startup_seconds: float  # `wallboard run`: spawn to the first frame with every agent (median)
    cpu_per_minute: float  # median CPU seconds per cycle window, times cycles per minute
    bytes_per_minute: float
    full_repaint_bytes: float
    peak_rss_mb: float
    windows: int
    locked: bool


# --- the parent side ---------------------------------------------------------------------


def start_simulator(agents: int, queues: int, seed: int = 1, cycle: float = CYCLE) -> tuple[subprocess.Popen, str]:
    """``wallboard simulate`` on a free port; returns the process and its real-time URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "simulate", "--port", "0", "--agents", str(agents),
         "--queues", str(queues), "--seed", str(seed), "--cycle", str(cycle)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"real-time statistics: (\S+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise RuntimeError("the simulator did not start")


def measure(
    agents: int, *, windows: int = 6, warmup: float = 90.0, size: str = "160x45", cycle: float = CYCLE, starts: int = 5
) -> BoardFigures:
    """One steady-state run, and the median startup of ``starts`` ``wallboard run`` processes."""
    queues = queues_for(agents)
    simulator, url = start_simulator(agents, queues, cycle=cycle)
    try:
        startups = startup.measure(url, agents, size=size, starts=starts) if starts else [float("nan")]
        figures = _board_process(url, agents, windows, warmup, size, cycle)
    finally:
        simulator.terminate()
        simulator.wait(10)
    return replace(figures, startup_seconds=sorted(startups)[len(startups) // 2])


def _board_process(url: str, agents: int, windows: int, warmup: float, size: str, cycle: float) -> BoardFigures:
    result = subprocess.run(
        [sys.executable, "-m", "wallboard.bench.board", "--url", url, "--agents", str(agents),
         "--windows", str(windows), "--warmup", str(warmup), "--size", size, "--cycle", str(cycle)],
        capture_output=True,
        text=True,
        env={**os.environ, "TEXTUAL_COLOR_SYSTEM": "truecolor"},
        timeout=warmup + (windows + 6) * cycle + 120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the board process failed: {result.stderr[-2000:]}")
    return BoardFigures(**json.loads(lines[-1]))


# --- the board process -------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux from /proc (VmHWM): ru_maxrss keeps
    the parent's peak across fork and exec, so a child would report the bench's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(args: argparse.Namespace) -> BoardFigures:
    from wallboard.bench.driver import counting, driver_of
    from wallboard.clients.rtstats import RealtimeClient
    from wallboard.config import Settings
    from wallboard.live.schedule import PhaseLockedSchedule
    from wallboard.themes import bundled_themes_dir
    from wallboard.ui.app import WallboardApp
    from wallboard.ui.widgets.agents_grid import AgentsGrid

    width, height = (int(n) for n in args.size.split("x"))
    settings = Settings(tenant="demo", realtime_url=args.url, timezone="UTC", interval=args.cycle)
    first_paint: list[float] = []
    async with RealtimeClient(args.url, "demo", "demo") as client:
        app = WallboardApp(settings, source=client, theme_dirs=[bundled_themes_dir()], cache_period=args.cycle, freeze_heap=True)  # as `wallboard run` makes it
        counting(app)

        def on_write(_: int) -> None:
            if not first_paint and app.board.ready and app.board.query_one(AgentsGrid).rows:
                first_paint.append(time.time())

        async with app.run_test(headless=False, size=(width, height)):
            driver = driver_of(app)
            driver.on_write = on_write
            while not first_paint:
                await asyncio.sleep(0.02)
            started = time.monotonic()
            schedule = app.schedule
            while time.monotonic() - started < args.warmup:
                await asyncio.sleep(0.5)
                if isinstance(schedule, PhaseLockedSchedule) and all(t.locked for t in schedule.trackers.values()):
                    break
            locked = isinstance(schedule, PhaseLockedSchedule) and all(t.locked for t in schedule.trackers.values())
            await asyncio.sleep(args.cycle / 2)  # start windows mid-cycle
            cpu, sent = [], []
            for _ in range(args.windows):
                cpu0, bytes0 = _cpu(), driver.bytes
                await asyncio.sleep(args.cycle)
                cpu.append(_cpu() - cpu0)
                sent.append(driver.bytes - bytes0)
            repaints = []
            for _ in range(3):
                await asyncio.sleep(0.3)
                frames, written = driver.frames, driver.bytes
                app.screen.refresh()
                while driver.frames == frames:
                    await asyncio.sleep(0.001)
                repaints.append(driver.bytes - written)
    per_minute = 60 / args.cycle
    peak = _peak_rss_mb()
    return BoardFigures(
        agents=args.agents,
        queues=queues_for(args.agents),
        size=args.size,
        startup_seconds=float("nan"),  # measured apart (see measure)
        cpu_per_minute=sorted(cpu)[len(cpu) // 2] * per_minute,
        bytes_per_minute=sorted(sent)[len(sent) // 2] * per_minute,
        full_repaint_bytes=sorted(repaints)[1],
        peak_rss_mb=peak,
        windows=args.windows,
        locked=locked,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--agents", type=int, required=True)
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument("--warmup", type=float, default=90.0)
    parser.add_argument("--size", default="160x45")
    parser.add_argument("--cycle", type=float, default=CYCLE)
    args = parser.parse_args()
    figures = asyncio.run(_run(args))
    print(json.dumps(asdict(figures)), flush=True)


if __name__ == "__main__":
    main()
