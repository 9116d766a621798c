"""The real board against the simulator under every fault: what the screen says, how hard it polls.

Each test runs :class:`WallboardApp` headless (Textual's Pilot) with the real
:class:`RealtimeClient` underneath a :class:`~tests.helpers.recorder.Recorder` that checks
the pacing of every request (:func:`tests.helpers.live.live_board`). The simulator's
fault injection breaks one endpoint at a time; the tests read the header, the banner,
the agents grid and the queue tiles, and count requests on both sides.

Tests marked ``virtual_time`` run on the virtual clock with the simulator served
in-process: every gap, back-off and age is exact, so they assert the schedule the board
chose. The loopback tests talk real HTTP and assert only what holds at any pace: never
too early, never more tries than the back-off allows in the time that passed, and
recovery at the first try after the server heals.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from msgspec.structs import replace as replaced  # the records are msgspec Structs
from datetime import datetime, timedelta

import pytest

from tests.helpers.board import (
    agent_rows,
    banner,
    control_characters,
    fresh,
    grid,
    header,
    line_text,
    make_app,
    screen_text,
    tiles,
)
from tests.helpers.clocks import LoopClocks
from tests.helpers.hostile import realtime_server
from tests.helpers.live import INTERVAL, live_board, virtual_simulator
from tests.helpers.recorder import smallest_backoff
from tests.helpers.waiting import until
from wallboard.core.formatting import clock as clock_text
from wallboard.core.model.snapshot import Health
from wallboard.sim.simulator import Simulator
from wallboard.ui.widgets.queue_board import QueueBoard

AGENTS, QUEUES = 30, 6


def loop_time() -> float:
    return asyncio.get_running_loop().time()


def both_live(app) -> bool:
    # tiles are built only while the queues tab shows, so count the queues the board holds
    return fresh(app, "agents") and fresh(app, "queues") and len(agent_rows(app)) == AGENTS and len(app.snapshot.queues.records) == QUEUES


def max_tries(seconds: float, retry_after: float | None) -> int:
    """How many failed attempts the back-off allows in ``seconds``."""
    tries, spent = 1, 0.0
    while True:
        spent += smallest_backoff(INTERVAL, tries, retry_after)
        if spent > seconds:
            return tries
        tries += 1


# --- every fault class, one endpoint at a time --------------------------------------------

FAULTS = [
    # (simulator fault, what the banner says, the error the client raised)
    ("503", "the server is busy (HTTP 503) answering agents", "ServerBusyError"),
    ("500", "the server failed (HTTP 500) answering agents", "ServerError"),
    ("429", "the server asked us to slow down for agents", "RateLimitedError"),
    ("slow", "no answer for agents from 127.0.0.1", "ApiTimeoutError"),
    ("trickle", "no complete answer for agents from 127.0.0.1", "ApiTimeoutError"),
    ("truncate", "could not be read: the response is not valid JSON", "BadPayloadError"),
    ("drop", "the connection broke off while fetching agents", "ConnectionFailedError"),
    ("reset", "the connection broke off while fetching agents", "ConnectionFailedError"),
    ("garbage", "could not be read: the response is not valid JSON", "BadPayloadError"),
    ("empty", "could not be read: the server sent an empty response", "BadPayloadError"),
    ("huge", "is larger than 2 MiB; refused", "ResponseTooLargeError"),
]
TIMEOUT_FAULTS = ("slow", "trickle")
"""Faults that fail only through a timeout: over loopback a timeout short enough to see them
fire is one a busy machine can hit on a healthy answer, so only the virtual clock runs them
on the board (tests/test_sim_transport.py checks the client sees the same over a socket)."""


def retry_after_of(kind: str) -> float | None:
    return 1.0 if kind in ("429", "503") else None


@pytest.mark.virtual_time
async def test_every_fault_keeps_the_last_data_marks_it_stale_backs_off_and_recovers():
    sim = virtual_simulator(seed=7, agents=AGENTS, queues=QUEUES, cycle=INTERVAL)
    figures = []
    async with live_board(sim) as (app, pilot, recorder):
        await until(pilot, lambda: both_live(app), timeout=1.0, what="the first answers", app=app)
        await pilot.press("2")  # tiles are built only while their tab shows
        await until(pilot, lambda: len(tiles(app)) == QUEUES, timeout=1.0, what="the tiles", app=app)
        for kind, message, error in FAULTS:
            before = dict(recorder.attempts), dict(sim.requests)
            started = loop_time()
            sim.faults = f"{kind}=1@agents,retry-after=1,slow-seconds=2"
            # two failures (each up to the 0.8 s deadline, a back-off up to Retry-After's 1 s
            # between) and the next second's redraw: well inside 5 s of board time
            await until(
                pilot,
                lambda: (banner(app) or "").startswith("⚠ STALE — agents data is ") and app.snapshot.agents.failures >= 2,
                timeout=5.0,
                what=f"{kind}: agents stale after two failures",
                app=app,
            )
            # the screen: agents kept but marked stale, with why; queues untouched and live
            text = banner(app)
            assert text.startswith("⚠ STALE — agents data is ") and " old (queues still live) — " in text, (kind, text)
            assert message in text, (kind, text)
            assert "STALE" in header(app) and "↻ agents retrying" in header(app), (kind, header(app))
            assert len(agent_rows(app)) == AGENTS and grid(app).stale, kind
            assert len(tiles(app)) == QUEUES and app.snapshot.queues.health is Health.LIVE, kind
            assert fresh(app, "queues") and not any(t.has_class("-stale") for t in tiles(app)), kind
            assert recorder.outcomes[("agents", error)] >= 2, (kind, recorder.outcomes)
            if kind in ("429", "503"):  # the server's Retry-After: 1 is honoured (the Recorder checks the gaps)
                assert text.endswith("; retrying in 1s"), text

            sim.faults = ""
            healed = loop_time()
            await until(pilot, lambda: fresh(app, "agents") and banner(app) is None, timeout=5.0, what=f"{kind}: recovery", app=app)
            # the first try after the server healed succeeded, and came when the back-off said
            recovered, allowed = recorder.recovery(healed, "agents", retry_after_of(kind))
            assert "● live" in header(app) and "STALE" not in header(app), (kind, header(app))
            assert not grid(app).stale and len(agent_rows(app)) == AGENTS

            agents_tried = recorder.attempts["agents"] - before[0].get("agents", 0)
            queues_tried = recorder.attempts["queues"] - before[0].get("queues", 0)
            served = sim.requests["agents"] - before[1].get("agents", 0)
            elapsed = loop_time() - started
            # the failing endpoint backed off: no more failed tries than the back-off allows
            failed = [a for a in recorder.log if a.feed == "agents" and a.ended >= started and a.outcome == error]
            allowed_tries = max_tries(elapsed, retry_after_of(kind))
            assert 2 <= len(failed) <= allowed_tries, (kind, len(failed), allowed_tries, recorder.describe(started - 1))
            # every try was the board's own: no hidden retries underneath
            assert served == agents_tried, (kind, served, agents_tried, recorder.describe(started))
            # the healthy endpoint kept polling at its interval, every try a success
            assert elapsed / INTERVAL - 1 <= queues_tried <= elapsed / INTERVAL + 1, (kind, queues_tried, elapsed)
            assert {a.outcome for a in recorder.since(started, "queues")} == {"ok"}, recorder.describe(started)
            figures.append((kind, elapsed, agents_tried, len(failed), allowed_tries, queues_tried, recovered, allowed))

        # both endpoints at once: the header and the banner say both, everything is greyed
        sim.faults = "500=1@rtstats"
        await until(pilot, lambda: (banner(app) or "").startswith("⚠ STALE — agents and queues data is "), timeout=5.0, app=app)
        assert "↻ both retrying" in header(app)
        await until(pilot, lambda: all(t.has_class("-stale") for t in tiles(app)) and grid(app).stale, timeout=1.0, app=app)
        assert len(agent_rows(app)) == AGENTS and len(tiles(app)) == QUEUES
        sim.faults = ""
        healed = loop_time()
        await until(pilot, lambda: both_live(app) and banner(app) is None, timeout=5.0, app=app)
        assert not any(t.has_class("-stale") for t in tiles(app)) and not grid(app).stale
        for feed in ("agents", "queues"):
            recorder.recovery(healed, feed)
    print("\nfault      seconds  agents tries  failed (allowed)  queues tries  recovered after (allowed)")
    for kind, elapsed, agents_tried, failures, allowed_tries, queues_tried, recovered, allowed in figures:
        print(
            f"{kind:9} {elapsed:8.2f}  {agents_tried:12}  {failures:6} ({allowed_tries:2})     {queues_tried:9}"
            f"  {recovered:12.2f}s ({allowed:.2f}s)"
        )


async def test_every_fault_over_loopback_keeps_the_data_says_why_backs_off_and_recovers():
    """The same faults from the real server over real sockets (but those only a timeout
    shows, see TIMEOUT_FAULTS), asserting what holds at any pace."""
    with Simulator(seed=7, agents=AGENTS, queues=QUEUES, cycle=INTERVAL) as sim:
        async with live_board(sim) as (app, pilot, recorder):
            await until(pilot, lambda: both_live(app), what="the first answers", app=app)
            for kind, message, error in FAULTS:
                if kind in TIMEOUT_FAULTS:
                    continue
                # counts taken between requests: one on its way when they are taken would be
                # counted by the server but not the recorder (the busier the machine, the likelier)
                await until(pilot, lambda: not recorder.in_flight["agents"], what="no agents request in flight", step=0.005)
                before = dict(recorder.attempts), dict(sim.requests)
                started = loop_time()
                sim.faults = f"{kind}=1@agents,retry-after=1"
                await until(
                    pilot,
                    lambda: (banner(app) or "").startswith("⚠ STALE — agents") and app.snapshot.agents.failures >= 2,
                    what=f"{kind}: agents stale after two failures",
                    app=app,
                )
                assert message in banner(app), (kind, banner(app))
                assert "↻ agents retrying" in header(app), (kind, header(app))
                assert len(agent_rows(app)) == AGENTS, "the last good agents stay on screen"
                assert recorder.outcomes[("agents", error)] >= 2, (kind, recorder.outcomes)
                if kind in ("429", "503"):
                    # Retry-After's 1 s, counted down: a busy machine may look when it is due
                    assert re.search(r"; retrying in [01]s$", banner(app)), banner(app)

                sim.faults = ""
                healed = loop_time()
                await until(pilot, lambda: fresh(app, "agents") and banner(app) is None, what=f"{kind}: recovery", app=app)
                recorder.recovery(healed, "agents", retry_after_of(kind))  # the first try after healing succeeded
                elapsed = loop_time() - started
                agents_tried = recorder.attempts["agents"] - before[0].get("agents", 0)
                queues_tried = recorder.attempts["queues"] - before[0].get("queues", 0)
                served = sim.requests["agents"] - before[1].get("agents", 0)
                failed = [a for a in recorder.log if a.feed == "agents" and a.ended >= started and a.outcome == error]
                assert 2 <= len(failed) <= max_tries(elapsed, retry_after_of(kind)), (kind, recorder.describe(started - 1))
                # a try can fail before the server counts it, when a kept-alive connection closes under it
                assert agents_tried - 1 <= served <= agents_tried, (kind, served, agents_tried, recorder.describe(started))
                assert queues_tried <= elapsed / INTERVAL + 1, (kind, queues_tried, elapsed)
                assert {a.outcome for a in recorder.since(started, "queues")} == {"ok"}, recorder.describe(started)

            sim.faults = "500=1@rtstats"
            await until(pilot, lambda: (banner(app) or "").startswith("⚠ STALE — agents and queues data is "), app=app)
            assert "↻ both retrying" in header(app)
            sim.faults = ""
            healed = loop_time()
            await until(pilot, lambda: both_live(app) and banner(app) is None, app=app)
            for feed in ("agents", "queues"):
                recorder.recovery(healed, feed)


# --- servers that cannot be reached -------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_connection_refused_says_so_and_recovers_when_the_server_starts():
    port = closed_port()
    url = f"http://127.0.0.1:{port}/api/rtstats/stats"
    async with live_board(url) as (app, pilot, recorder):
        started = loop_time()
        await until(pilot, lambda: app.snapshot.agents.failures >= 2 and app.snapshot.queues.failures >= 2, app=app)
        assert banner(app).startswith(  # then when the board tries again (its own wait, as in the header)
            f"⚠ NO DATA YET (agents and queues) — connection refused for agents from 127.0.0.1:{port}: "
            "is the server running, and is the URL right?; retrying"
        )
        assert "↻ both retrying" in header(app)
        assert agent_rows(app) == [] and tiles(app) == []
        await pilot.pause(0.6)
        tries = recorder.attempts["agents"]
        assert tries <= 1 + max_tries(loop_time() - started, None), tries
        with Simulator(seed=7, agents=AGENTS, queues=QUEUES, port=port, cycle=INTERVAL):
            healed = loop_time()
            await until(pilot, lambda: both_live(app) and banner(app) is None, app=app)
        for feed in ("agents", "queues"):
            recorder.recovery(healed, feed)
        assert "● live" in header(app)


@pytest.mark.virtual_time
async def test_dns_failure_says_so_and_does_not_storm(monkeypatch):
    # The sandbox's resolver is not on loopback, so a real lookup would leave the machine.
    # This stand-in answers as an RFC 6761 resolver must for ".invalid" (NXDOMAIN, at
    # once, without asking anyone) and refuses every other name; httpx and our error
    # mapping run for real above it (the lookup in a worker thread, as always).
    asked = []

    def resolver(host, *args, **kwargs):
        asked.append(host.decode() if isinstance(host, bytes) else host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    async with live_board("https://wallboard-test.invalid/api/rtstats/stats") as (app, pilot, recorder):
        started = loop_time()
        await until(pilot, lambda: app.snapshot.agents.failures >= 2, timeout=1.0, app=app)
        assert banner(app).startswith(
            "⚠ NO DATA YET (agents and queues) — cannot resolve the host for agents from "
            "wallboard-test.invalid: check the URL and this machine's DNS (or HTTPS_PROXY, if this network needs a proxy); retrying"
        )
        await pilot.pause(10.0)
        assert 2 <= recorder.attempts["agents"] <= 1 + max_tries(loop_time() - started, None)
    assert set(asked) == {"wallboard-test.invalid"}
    assert len(asked) == sum(recorder.attempts.values())


# --- credentials refused ------------------------------------------------------------------


@pytest.mark.virtual_time
async def test_refused_credentials_stop_polling_until_r_and_keep_the_data():
    sim = virtual_simulator(seed=7, agents=AGENTS, queues=QUEUES, cycle=INTERVAL)
    async with live_board(sim) as (app, pilot, recorder):
        await until(pilot, lambda: both_live(app), timeout=1.0, app=app)
        before = sum(sim.requests[feed] for feed in ("agents", "queues"))
        sim.faults = "403=1@rtstats"
        await until(pilot, lambda: app.snapshot.refused is not None, timeout=INTERVAL, app=app)
        refused = sum(sim.requests[feed] for feed in ("agents", "queues"))
        await pilot.pause(60.0)  # three hundred intervals: a storm would show here
        assert sum(sim.requests[feed] for feed in ("agents", "queues")) == refused <= before + 2
        assert banner(app) == (
            "✖ CREDENTIALS REFUSED — the tenant name or data-request token was refused: check `tenant` in "
            "the config and run `wallboard secrets set realtime-token` (HTTP 403). Polling has stopped: fix it, then press r."
        )
        assert "✖ credentials refused · r to retry" in header(app)
        assert len(agent_rows(app)) == AGENTS, "the last good data stays on screen"

        recorder.allow_early()
        before = dict(sim.requests)
        await pilot.press("r")  # still refused: exactly one more try per endpoint
        await until(pilot, lambda: sim.requests["agents"] == before["agents"] + 1, timeout=INTERVAL, app=app)
        await pilot.pause(60.0)
        assert (sim.requests["agents"], sim.requests["queues"]) == (before["agents"] + 1, before["queues"] + 1)
        assert app.snapshot.refused is not None

        sim.faults = ""
        recorder.allow_early()
        await pilot.press("r")
        await until(pilot, lambda: both_live(app) and banner(app) is None, timeout=INTERVAL, app=app)
        assert "● live" in header(app)


# --- hostile content ----------------------------------------------------------------------


@pytest.mark.virtual_time
@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_hostile_names_reach_the_screen_as_plain_harmless_text(fmt):
    sim = virtual_simulator(seed=7, agents=12, queues=3, cycle=INTERVAL, hostile=True)
    async with live_board(sim, fmt=fmt, size=(160, 30)) as (app, pilot, recorder):
        await until(pilot, lambda: len(agent_rows(app)) == 12 and len(app.snapshot.queues.records) == 3, timeout=1.0, app=app)
        agents_screen = app.export_screenshot()
        await pilot.press("2")
        await pilot.pause(0.3)
        queues_screen = app.export_screenshot()
    agents_text = screen_text(agents_screen)
    for expected in ("[b red]Mallory[/]", "Eve Osc", "Red Trudy", "Bidi evil Bob", "王小明 Wang", "Zoë 😀 Emoji", "Unknown (7)", "C1 Carol"):
        assert expected in agents_text, expected
    assert "[reverse]Fraud[/] Queue" in screen_text(queues_screen)
    for screen in (agents_screen, queues_screen):
        assert control_characters(screen) == []
        assert "pwned" not in screen and "aGk=" not in screen and "31;1m" not in screen


@pytest.mark.virtual_time
async def test_bad_records_are_dropped_alone_and_strange_values_are_shown_safely():
    agents = [
        {"agent-id": "ann", "agent-name": "Ann Good", "agent-status": 0, "time-in-status": 30},
        {"agent-name": "No Id"},
        {"agent-id": "bob", "agent-name": {"first": "Bob"}, "agent-status": "busy", "time-in-status": "soon"},
        "not a record",
        {"agent-id": "cjk", "agent-name": "王小明 " + "長" * 500, "agent-status": 42, "agent-media-id": 99},
        {"agent-id": "esc", "agent-name": "\x1b]0;pwned\x07Eve \x1b[2J\u202eevil\u2028next\ud800", "agent-status": 2},
        {"agent-id": "neg", "agent-name": "Neg Times", "agent-status": 4, "time-in-status": -5, "day-login-time": 1e308},
    ]
    queues = {"queue": [{"queue-id": "1", "queue-name": "Sales", "queue-size": "many", "sla-activity": "NaN"}, {"queue-name": "x"}]}
    server = realtime_server(json.dumps({"agent": agents}).encode(), json.dumps(queues).encode())
    async with live_board(server, size=(160, 20)) as (app, pilot, recorder):
        await until(pilot, lambda: len(agent_rows(app)) == 5 and len(app.snapshot.queues.records) == 1, timeout=1.0, app=app)
        raw = app.export_screenshot()
        screen = screen_text(raw)
        assert app.snapshot.agents.skipped == 2 and app.snapshot.queues.skipped == 1
        assert [a.agent_id for a in agent_rows(app)] == ["ann", "bob", "esc", "neg", "cjk"]
    assert "Ann Good" in screen and "Eve evil next" in screen and "Unknown (42)" in screen
    assert "王小明 長長" in screen
    assert control_characters(raw) == [] and "pwned" not in raw
    assert "-0:05" not in screen and "-5" not in screen, "a negative time is shown as no value"


@pytest.mark.virtual_time
async def test_an_unreadable_payload_cannot_smuggle_escapes_into_the_banner():
    server = realtime_server(b'{"\\u001b]0;pwned\\u0007\\u001b[31mkey": 1}', b'{"queue": []}')
    async with live_board(server) as (app, pilot, recorder):
        await until(pilot, lambda: "could not be read" in (banner(app) or ""), timeout=1.0, app=app)
        raw = app.export_screenshot()
        assert banner(app).startswith(
            f"⚠ NO DATA YET (agents) — the answer for agents from 127.0.0.1:{server.port} could not be read: "
            "the JSON response has no 'agent' list (keys: key); retrying"
        )
    assert control_characters(raw) == [] and "pwned" not in raw


# --- clocks that jump ---------------------------------------------------------------------


def header_clock(app) -> tuple[str, str]:
    parts = header(app).split(" │ ")
    as_of = next(part for part in parts if part.startswith("as of "))
    return parts[1], as_of.removeprefix("as of ").split(" (")[0]  # "12:13:20 (3.0s)": the time


@pytest.mark.virtual_time
async def test_clock_jumps_never_make_times_negative_or_absurd():
    sim = virtual_simulator(seed=7, agents=AGENTS, queues=QUEUES, cycle=INTERVAL)
    clocks = LoopClocks()  # NTP steps its wall clock; a suspend moves its monotonic one
    async with live_board(sim, clocks=clocks) as (app, pilot, recorder):
        await until(pilot, lambda: both_live(app), timeout=1.0, app=app)

        def as_of_lags_by(seconds: float) -> bool:
            """The header's "as of" is the header's clock minus the data's age, never later."""
            now, as_of = (datetime.strptime(t, "%H:%M:%S") for t in header_clock(app))
            behind = ((now - as_of) % timedelta(days=1)).total_seconds()
            return seconds - 1 <= behind <= seconds + 2

        for step in (-3600.0, 2 * 86400.0 + 1800, -86400.0):  # NTP steps back, forward, back
            clocks.wall_offset += step
            shifted = datetime.fromtimestamp(clocks.wall(), app.zone).strftime("%H:%M")
            await until(pilot, lambda: header_clock(app)[0].startswith(shifted), timeout=1.0, app=app)
            assert as_of_lags_by(0), header(app)
            # nothing turned hours old or fresh because of the step: the data is at most one
            # interval old, as always
            assert app.snapshot.oldest_age(app.mono()) <= INTERVAL + 1e-6, (header(app), app.snapshot)
            assert not re.search(r"STALE \d+[mh]", header(app)), header(app)

        # suspend for eight hours; on waking the network is not back yet
        sim.faults = "reset=1"
        recorder.allow_early()  # eight hours have passed for the poller too: it may poll at once
        clocks.mono_offset += 8 * 3600
        await until(pilot, lambda: (banner(app) or "").startswith("⚠ STALE — agents and queues data is 8h 00m old"), timeout=1.0, app=app)
        agent = agent_rows(app)[0]
        assert "STALE 8h 00m" in header(app) and as_of_lags_by(8 * 3600), header(app)
        row = line_text(app, 1)
        assert agent_rows(app)[0] == agent and clock_text(agent.time_in_status) in row, row
        assert "8:0" not in row, "time in state does not jump by the time asleep"

        sim.faults = ""
        await until(pilot, lambda: both_live(app) and banner(app) is None, timeout=5.0, app=app)
        assert "● live" in header(app) and as_of_lags_by(0)


@pytest.mark.virtual_time
async def test_a_tile_made_while_the_data_is_stale_is_shown_stale():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("2")  # tiles are built only while their tab shows
        await pilot.pause()
        queue_board = app.board.query_one(QueueBoard)
        renamed = tuple(replaced(q, queue_id=f"new-{q.queue_id}") for q in app.snapshot.queues.records)
        queue_board.set_queues(renamed, app.settings.thresholds, True)  # new tiles, data already stale
        await pilot.pause()
        new = [tile for tile in tiles(app) if tile.queue_id.startswith("new-")]
        assert len(new) == len(renamed) and all(tile.has_class("-stale") for tile in new)
