"""Reading a whole listing: the Historical tab's ``M`` against ``wallboard report``.

Both read the same call records (the last ``days`` whole days in New York, where the
simulated tenant works) from the same simulator, in its own process, over loopback:

* the CLI: ``wallboard report call-records --format csv`` in a fresh process, spawn to exit;
* the board: a fresh process (``python -m wallboard.bench.historical ...``) runs the real
  app headless at 160x45 on :class:`~wallboard.bench.driver.CountingDriver` (every frame
  rendered as a terminal would receive it), fills the form, presses Enter, and ``M`` as
  soon as the first batch is on screen; timed from Enter until the last row is drawn.

Each side's CPU is its process's user + system time. The board's includes its own
real-time polling and clock, as a user's would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from wallboard.bench.board import start_simulator

ZONE = "America/New_York"
SIZE = (160, 45)


@dataclass(frozen=True)
class ListingFigures:
    records: int
    pages: int
    cli_seconds: float
    cli_cpu: float
    board_seconds: float
    board_cpu: float


@dataclass(frozen=True)
class BoardRun:
    records: int
    pages: int
    seconds: float
    cpu: float


def the_range(days: int) -> tuple[str, str]:
    """The last ``days`` whole days in :data:`ZONE`, as ``YYYY-MM-DD HH:MM:SS`` texts."""
    from wallboard.core.reports.query import preset_range

    start, end = preset_range("yesterday", ZONE, datetime.now(timezone.utc))
    start -= timedelta(days=days - 1)
    return start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")


def measure(days: int = 7, rounds: int = 3) -> ListingFigures:
    """The medians of ``rounds`` alternating runs of the CLI and the board."""
    simulator, realtime_url = start_simulator(40, 8)
    base = realtime_url.split("/api/")[0]
    start, end = the_range(days)
    try:
        cli, board = [], []
        for _ in range(rounds):
            cli.append(_cli(base, start, end))
            board.append(_board_process(base, start, end))
    finally:
        simulator.terminate()
        simulator.wait(10)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    return ListingFigures(
        records=board[-1].records,
        pages=board[-1].pages,
        cli_seconds=median([seconds for seconds, _ in cli]),
        cli_cpu=median([cpu for _, cpu in cli]),
        board_seconds=median([run.seconds for run in board]),
        board_cpu=median([run.cpu for run in board]),
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "WALLBOARD_ANALYTICS_USERNAME": "demo",
        "WALLBOARD_ANALYTICS_API_KEY": "demo",
        "WALLBOARD_ANALYTICS_PASSWORD": "demo",
        "WALLBOARD_CONFIG": "",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
    }


def _cli(base: str, start: str, end: str) -> tuple[float, float]:
    cpu, started = _children_cpu(), time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "wallboard", "report", "call-records", "--analytics-url", f"{base}/analytics/work",
         "--tz", ZONE, "--start", start, "--end", end, "--format", "csv"],
        stdout=subprocess.DEVNULL,
        check=True,
        env=_env(),
        timeout=600,
    )
    return time.monotonic() - started, _children_cpu() - cpu


def _board_process(base: str, start: str, end: str) -> BoardRun:
    result = subprocess.run(
        [sys.executable, "-m", "wallboard.bench.historical", "--url", base, "--start", start, "--end", end],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the board process failed: {result.stderr[-2000:]}")
    return BoardRun(**json.loads(lines[-1]))


# --- the board process -------------------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(base: str, start: str, end: str) -> BoardRun:
    from textual.widgets import Input, Select

    from wallboard.bench.driver import counting
    from wallboard.clients.rtstats import RealtimeClient
    from wallboard.config import AnalyticsSettings, Settings
    from wallboard.credentials.secret import Secret
    from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD
    from wallboard.themes import bundled_themes_dir
    from wallboard.ui.app import WallboardApp

    url = f"{base}/api/rtstats/stats"
    settings = Settings(
        tenant="demo", realtime_url=url, timezone=ZONE, analytics=AnalyticsSettings(url=f"{base}/analytics/work", username="demo")
    )
    secrets = {ANALYTICS_API_KEY: Secret("demo"), ANALYTICS_PASSWORD: Secret("demo")}
    async with RealtimeClient(url, "demo", "demo") as client:
        app = WallboardApp(settings, source=client, theme_dirs=[bundled_themes_dir()], analytics_secrets=secrets)
        counting(app)
        async with app.run_test(headless=False, size=SIZE) as pilot:
            await pilot.pause(0.5)
            await pilot.press("3")
            await pilot.pause(0.3)
            pane = app.board.history_pane
            pane.query_one("#hist-kind", Select).value = "call-records"
            pane.query_one("#hist-range", Select).value = "custom"
            pane.query_one("#hist-start", Input).value = start
            pane.query_one("#hist-end", Input).value = end
            pane.query_one("#hist-fetch").focus()
            await pilot.pause(0.3)
            history = app.board.history
            cpu, started = _cpu(), time.monotonic()
            await pilot.press("enter")
            while history.state.fetch is not None or history.state.frame is None:
                await asyncio.sleep(0.005)
            pane.grid.focus()
            await pilot.press("M")
            while history.state.fetch is not None or not history.state.frame.complete:
                await asyncio.sleep(0.005)
                if history.state.fetch is None and history.state.note is not None:
                    raise RuntimeError(history.state.note.text)
            await pilot.pause()  # the last rows drawn
            seconds, used = time.monotonic() - started, _cpu() - cpu
            frame = history.state.frame
            return BoardRun(records=len(frame.records), pages=frame.pages, seconds=seconds, cpu=used)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the simulator's base URL")
    parser.add_argument("--start", required=True)
    parser.add_argument("--end", required=True)
    args = parser.parse_args()
    figures = asyncio.run(_run(args.url, args.start, args.end))
    print(json.dumps(asdict(figures)), flush=True)


if __name__ == "__main__":
    main()
