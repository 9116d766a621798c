"""The poller against the simulator: fresh data, faults, refusals, recovery.

These run on the virtual clock with the simulator served in-process, so every count is
the schedule's own, exactly. ``test_steady_pace_..._over_loopback`` runs the same poller
over real sockets and asserts only what holds at any pace.
"""

import asyncio

import pytest

from tests.helpers.live import virtual_simulator
from tests.helpers.recorder import Recorder
from tests.helpers.sim_transport import SimTransport
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.live.backoff import Backoff
from wallboard.core.model.snapshot import Health
from wallboard.live.poller import Poller
from wallboard.sim.simulator import Simulator

INTERVAL = 0.2
TIMEOUTS = Timeouts(1, 1, 2)


@pytest.fixture
async def sim():
    return virtual_simulator(seed=7, agents=30, queues=6, cycle=INTERVAL)


def client_for(sim, token="demo", **options) -> RealtimeClient:
    return RealtimeClient(sim.realtime_url, "demo", token, timeouts=TIMEOUTS, transport=SimTransport(sim.server), **options)


def poller_for(source, interval=INTERVAL, on_snapshot=lambda snapshot: None) -> Poller:
    loop = asyncio.get_running_loop()
    return Poller(source, interval, on_snapshot, mono=loop.time)


async def run_for(sim, seconds, *, token="demo", interval=INTERVAL, between=None):
    snapshots = []
    async with client_for(sim, token) as client:
        poller = poller_for(client, interval, snapshots.append)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(seconds)
        if between is not None:
            await between(poller)
        poller.stop()
        await asyncio.wait_for(task, 5)
    return poller, snapshots


pytestmark = pytest.mark.virtual_time


async def test_both_feeds_fill(sim):
    poller, snapshots = await run_for(sim, 0.7)
    snapshot = poller.snapshot
    assert snapshot.agents.health is Health.LIVE and len(snapshot.agents.records) == 30
    assert snapshot.queues.health is Health.LIVE and len(snapshot.queues.records) == 6
    assert sim.requests["agents"] == sim.requests["queues"] == 4, "one request per interval: at 0, 0.2, 0.4 and 0.6 s"
    assert snapshots[-1] is snapshot


async def test_one_failing_endpoint_does_not_blank_or_slow_the_other(sim):
    sim.faults = "503=1@agents"
    poller, _ = await run_for(sim, 1.2)
    snapshot = poller.snapshot
    assert snapshot.queues.health is Health.LIVE and len(snapshot.queues.records) == 6
    assert snapshot.agents.health is Health.RETRYING and snapshot.agents.records == ()
    assert "HTTP 503" in snapshot.agents.error
    assert sim.requests["queues"] == 6, "every interval: at 0, 0.2, ... 1.0 s"
    assert sim.requests["agents"] == 1, "the failing endpoint backs off: Retry-After 5 s"


async def test_the_feed_keeps_the_reason_and_the_boards_own_retry_time(sim):
    """The server asks for 1 s (Retry-After), the back-off waits longer: the feed keeps the
    reason without the server's "retrying in 1s", and retry_at is the board's real wait."""
    sim.faults = "503=1@agents,retry-after=1"
    async with client_for(sim) as client:
        poller = Poller(client, 4.0, lambda snapshot: None, mono=asyncio.get_running_loop().time, backoff=Backoff(4.0, jitter=0.0))
        started = asyncio.get_running_loop().time()
        task = asyncio.create_task(poller.run())
        while poller.snapshot.agents.failures == 0:
            await asyncio.sleep(0.02)
        poller.stop()
        await asyncio.wait_for(task, 5)
    agents = poller.snapshot.agents
    assert "HTTP 503" in agents.error and "retrying" not in agents.error, agents.error
    assert agents.retry_at_mono - started == pytest.approx(4.0), "the back-off's 4 s, not the server's 1 s"


async def test_last_good_data_is_kept_through_garbage(sim):
    async def break_it(poller):
        sim.faults = "garbage=1"
        await asyncio.sleep(0.6)

    poller, _ = await run_for(sim, 0.3, between=break_it)
    agents = poller.snapshot.agents
    assert agents.health is Health.RETRYING
    assert len(agents.records) == 30
    assert "could not be read" in agents.error


async def test_refused_credentials_stop_polling_until_resumed(sim):
    before = {}

    async def wait_then_resume(poller):
        assert poller.refused
        assert sim.requests["agents"] == 1 and sim.requests["queues"] <= 1
        before.update(sim.requests)
        poller.resume()
        await asyncio.sleep(0.5)

    poller, _ = await run_for(sim, 1.0, token="wrong", between=wait_then_resume)
    assert sim.requests["queues"] == before.get("queues", 0) + 1, "and exactly one more on the other endpoint"
    assert poller.snapshot.refused.startswith("the tenant name or data-request token was refused")
    assert poller.snapshot.agents.health is Health.REFUSED
    assert sim.requests["agents"] == 2, "exactly one more try after the user asked"


async def test_recovers_on_its_own_when_the_server_does(sim):
    async def heal(poller):
        assert poller.snapshot.agents.health is Health.RETRYING
        sim.faults = ""
        await asyncio.sleep(1.0)

    sim.faults = "500=1@agents"
    poller, _ = await run_for(sim, 0.3, between=heal)
    assert poller.snapshot.agents.health is Health.LIVE
    assert poller.snapshot.agents.failures == 0
    assert len(poller.snapshot.agents.records) == 30


async def test_retry_after_is_honoured(sim):
    sim.faults = "429=1@queues,retry-after=1"
    async with client_for(sim) as client:
        recorder = Recorder(client, INTERVAL, tolerance=1e-9)
        poller = poller_for(recorder)
        started = asyncio.get_running_loop().time()
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(1.5)
        poller.stop()
        await task
    tries = [attempt.started - started for attempt in recorder.log if attempt.feed == "queues"]
    assert tries == pytest.approx([0.0, 1.0]), "not before Retry-After's second, and at once when it allows"
    assert recorder.violations == []


async def test_refresh_now_polls_at_once(sim):
    async def refresh(poller):
        before = sim.requests["agents"]
        poller.refresh_now()
        await asyncio.sleep(0.1)
        assert sim.requests["agents"] == before + 1

    await run_for(sim, 0.35, interval=5.0, between=refresh)


async def hammer_r(sim, transport=None) -> tuple[Recorder, Poller]:
    """A poller whose answers are sometimes slower than its interval, while a supervisor
    leans on r: each press may poll at once, never twice at once."""
    sim.faults = "slow=0.3,slow-seconds=0.6"
    async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=TIMEOUTS, transport=transport) as client:
        recorder = Recorder(client, INTERVAL)
        poller = poller_for(recorder)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(1.0)
        for _ in range(20):
            recorder.allow_early()
            poller.refresh_now()
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.0)
        poller.stop()
        await asyncio.wait_for(task, 5)
    return recorder, poller


async def test_steady_pace_and_one_request_in_flight_even_when_r_is_hammered(sim):
    recorder, poller = await hammer_r(sim, SimTransport(sim.server))
    assert dict(recorder.max_in_flight) == {"agents": 1, "queues": 1}
    assert recorder.violations == []
    assert dict(recorder.attempts) == {feed: sim.requests[feed] for feed in ("agents", "queues")}
    assert poller.requests == dict(recorder.attempts)
    assert dict(sim.server.faults_applied)["slow"] >= 2, "some answers were slower than the interval"


@pytest.mark.real_time
async def test_steady_pace_and_one_request_in_flight_over_loopback():
    """The same over real sockets: nothing here depends on the machine's pace (a busy
    machine only makes gaps longer, and an answer that times out is a failure the
    Recorder checks the back-off of)."""
    with Simulator(seed=7, agents=30, queues=6, cycle=INTERVAL) as sim:
        recorder, poller = await hammer_r(sim)
    assert dict(recorder.max_in_flight) == {"agents": 1, "queues": 1}
    assert recorder.violations == []
    assert dict(recorder.attempts) == {feed: sim.requests[feed] for feed in ("agents", "queues")}
    assert poller.requests == dict(recorder.attempts)


class Broken:
    """A source with a bug: the poller must say so, back off, and keep the other feed going."""

    def __init__(self, good):
        self.good = good
        self.calls = 0

    async def agents(self):
        self.calls += 1
        raise KeyError("agent-id")

    async def queues(self):
        return await self.good.queues()


async def test_a_bug_in_a_source_is_reported_backed_off_and_contained(sim):
    async with client_for(sim) as client:
        broken = Broken(client)
        poller = poller_for(broken)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(1.0)
        poller.stop()
        await asyncio.wait_for(task, 5)
    agents = poller.snapshot.agents
    assert agents.health is Health.RETRYING
    assert agents.error == "unexpected error while fetching agents (KeyError)"
    assert broken.calls == 3, "backing off: at 0 s, 0.2 s later, then 0.3-0.4 s later; the next 0.6-0.8 s later is past 1 s"
    assert poller.snapshot.queues.health is Health.LIVE and len(poller.snapshot.queues.records) == 6


async def test_a_refused_huge_answer_is_not_kept_in_memory_through_the_back_off(sim):
    import gc
    import tracemalloc

    sim.faults = "huge=1@agents"
    async with client_for(sim, max_body=8 * 1024 * 1024) as client:
        poller = poller_for(client, 3.0)  # the first back-off is 3 s
        tracemalloc.start()
        try:
            task = asyncio.create_task(poller.run())
            while poller.snapshot.agents.failures == 0:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)  # the agents loop is now in its back-off
            gc.collect()
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
            poller.stop()
            await asyncio.wait_for(task, 5)
    assert "larger than 8 MiB" in poller.snapshot.agents.error
    assert held < 2 * 1024 * 1024, f"{held / 2**20:.1f} MiB still held while backing off"
