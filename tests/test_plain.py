"""Plain mode (`wallboard run > file`, `wallboard demo | cat`): what it prints, and how it polls.

The tables are checked on fixed records; the polling against the simulator's faults over
real loopback HTTP, counting the requests the simulator saw. Waits are on events (a
request arriving, a line printed, the loop ending), never a fixed sleep: a slow machine
only makes the gaps between tries longer, which the checks allow.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.clocks import EPOCH
from tests.helpers.live import virtual_simulator
from tests.helpers.recorder import Recorder
from tests.helpers.sim_transport import SimTransport
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.config import Settings, Thresholds
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.cli import board as board_cli
from wallboard.plain import PlainReport, render_agents, render_queues, title
from wallboard.credentials.secret import Secret
from wallboard.sim.simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = Thresholds(break_warning_minutes=15, break_alert_minutes=30)
OUT = Agent(agent_id="1", name="Olga Out", status=9, media_id=0, time_in_status=600, line1_status=0, line2_status=0)
BREAK_WARNING = Agent(agent_id="2", name="Ben Break", status=4, media_id=1, time_in_status=16 * 60, status_code_short="MEET")
BREAK_ALERT = Agent(agent_id="3", name="Cy Coffee", status=4, media_id=1, time_in_status=31 * 60)
BUSY = Agent(agent_id="4", name="Dee Desk", status=2, media_id=1, time_in_status=95)


def row(lines: list[str], name: str) -> str:
    return next(line for line in lines if line.startswith(name))


# --- what is printed -----------------------------------------------------------------------


def test_a_logged_out_agent_has_no_python_none_in_media():
    lines = render_agents([OUT, BUSY], THRESHOLDS)
    assert "None" not in "\n".join(lines)
    media = lines[0].index("Media")
    assert row(lines, "Olga Out")[media:].startswith("—")
    assert row(lines, "Dee Desk")[media:].startswith("Phone")


def test_breaks_over_the_thresholds_are_marked_and_explained():
    lines = render_agents([BUSY, BREAK_WARNING, BREAK_ALERT], THRESHOLDS)
    assert "!16:00" in row(lines, "Ben Break")
    assert "!!31:00" in row(lines, "Cy Coffee")
    assert "!" not in row(lines, "Dee Desk")
    assert lines[-1] == "! on break 15 min or more · !! on break 30 min or more"
    assert not render_agents([BUSY], THRESHOLDS)[-1].startswith("!"), "no legend without a mark"


def test_the_time_in_state_counts_on_from_the_answer_that_brought_it():
    later = render_agents([BUSY], THRESHOLDS, elapsed=30)
    assert "2:05" in row(later, "Dee Desk")


def test_each_table_is_dated_with_its_offset():
    assert title("Agents", 4, EPOCH, None).startswith("Agents (4) as of 2025-11-23 ")
    from zoneinfo import ZoneInfo

    assert title("Queues", 2, EPOCH, ZoneInfo("America/New_York")) == "Queues (2) as of 2025-11-23 07:13:20-05:00"


def test_a_queue_in_alert_says_why():
    calm = Queue(queue_id="1", name="Calm", queue_size=0, longest_wait_time=0, sla_activity=95.0, sla_target=80.0)
    busy = Queue(queue_id="2", name="Busy", queue_size=12, longest_wait_time=200, sla_activity=95.0, sla_target=80.0)
    lines = render_queues([calm, busy], THRESHOLDS)
    assert row(lines, "Calm").endswith("OK")
    assert row(lines, "Busy").endswith("ALERT: longest wait 3:20 ≥ 3:00; 12 waiting ≥ 10")


def snapshot(**feeds) -> Snapshot:
    return Snapshot(**feeds, interval=10.0)


def test_the_report_prints_each_new_answer_once_and_each_failure_once():
    report = PlainReport(THRESHOLDS)
    live = Feed((BUSY,), EPOCH, 100.0, Health.LIVE, version=1)
    first = report.receive(snapshot(agents=live), 100.0)
    assert first.out[0].startswith("Agents (1) as of ") and first.err == []
    assert report.receive(snapshot(agents=live), 100.5).out == [], "the same answer is not printed twice"
    failing = live.failed("the server is busy (HTTP 503) answering agents; retrying", False, 120.0)
    printed = report.receive(snapshot(agents=failing), 100.0)
    assert printed.out == []
    assert printed.err == [
        f"wallboard: agents not updated: {failing.error}; next try in 20s (last good answer {title('', 0, EPOCH, None).split('as of ')[1]})"
    ]
    assert report.receive(snapshot(agents=failing), 101.0).err == []
    assert not report.refused


def test_refused_credentials_stop_the_report():
    report = PlainReport(THRESHOLDS)
    refused = Feed().failed("the tenant name or data-request token was refused (HTTP 401)", True, None)
    printed = report.receive(snapshot(agents=refused, queues=refused), 1.0)
    assert report.refused
    assert len(printed.err) == 1
    assert printed.err[0].startswith("wallboard: credentials refused: the tenant name or data-request token was refused (HTTP 401). ")
    assert printed.err[0].endswith("Plain mode has stopped (retrying a refused token can lock the account): fix it, then start again.")


# --- polling by the board's rules, against the simulator over loopback -----------------------


def settings_for(sim: Simulator, interval: float = 0.05) -> Settings:
    return Settings(tenant="demo", realtime_url=sim.realtime_url, interval=interval, timezone="UTC")


def requests(sim: Simulator) -> int:
    return sim.requests["agents"] + sim.requests["queues"]


async def test_refused_credentials_stop_plain_mode_with_exit_code_2(capsys):
    """Before: 26 requests in 25 s against a server answering 401, and never an exit."""
    with Simulator(seed=3, agents=5, queues=2, faults="401=1") as sim:
        code = await asyncio.wait_for(board_cli._plain_loop(settings_for(sim), Secret("demo")), 20)
        assert code == 2
        assert (sim.requests["agents"], sim.requests["queues"]) == (1, 1), "one try each, never retried"
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("wallboard: credentials refused: ")


async def test_plain_mode_waits_as_long_as_retry_after_asks(capsys):
    """Before: "retrying in 600s" printed, then a request every interval anyway."""
    with Simulator(seed=3, agents=5, queues=2, faults="429=1,retry-after=600") as sim:
        task = asyncio.ensure_future(board_cli._plain_loop(settings_for(sim), Secret("demo")))
        printed: list[str] = []

        def failures_reported() -> bool:
            printed.extend(capsys.readouterr().err.splitlines())
            return len(printed) >= 2

        try:
            await until(None, failures_reported, what="two failures reported")
            assert (sim.requests["agents"], sim.requests["queues"]) == (1, 1)
            for line in printed:
                assert "(HTTP 429)" in line and "; next try in 10m 00s" in line, line
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


@pytest.mark.virtual_time
async def test_plain_mode_backs_off_and_honours_a_short_retry_after():
    """Each retry comes when the server asked (1 s), though the interval is 0.05 s: on the
    virtual clock, with the simulator in-process, every gap is the poller's own."""
    retry_after = 1.0
    sim = virtual_simulator(seed=3, agents=5, queues=2, faults=f"503=1,retry-after={retry_after:g}")
    async with RealtimeClient(sim.realtime_url, "demo", "demo", transport=SimTransport(sim.server)) as client:
        recorder = Recorder(client, 0.05, tolerance=1e-9)
        err = io.StringIO()
        task = asyncio.ensure_future(board_cli.run_plain(recorder, settings_for(sim), io.StringIO(), err))
        await asyncio.sleep(3.5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    for feed in ("agents", "queues"):
        tries = [attempt.started for attempt in recorder.log if attempt.feed == feed]
        gaps = [later - earlier for earlier, later in zip(tries, tries[1:])]
        assert gaps == pytest.approx([retry_after] * 3), (feed, gaps)
    assert recorder.violations == []
    assert all("HTTP 503" in line for line in err.getvalue().splitlines())


# --- as a user runs it -----------------------------------------------------------------------


def test_wallboard_demo_piped_prints_dated_tables_without_none(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "WALLBOARD_CONFIG": "", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "demo", "--agents", "12", "--queues", "2", "--interval", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if (sum(1 for text in lines if " as of " in text) >= 2 and line == "\n") or len(lines) >= 80:
                break
    finally:
        process.terminate()
        process.wait(10)
    titles = [line for line in lines if " as of " in line]
    assert any(line.startswith("Agents (12) as of ") for line in titles)
    assert any(line.startswith("Queues (2) as of ") for line in titles)
    assert "None" not in "\n".join(lines)
