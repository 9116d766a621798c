"""The poller against the simulator over loopback: fresh data, faults, refusals, recovery."""

import asyncio
import time

import pytest

from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.live.backoff import Backoff
from wallboard.core.model.snapshot import Health
from wallboard.live.poller import Poller
from wallboard.sim.simulator import Simulator

INTERVAL = 0.2


@pytest.fixture
def sim():
    with Simulator(seed=7, agents=30, queues=6, cycle=INTERVAL) as simulator:
        yield simulator


async def run_for(sim, seconds, *, token="demo", interval=INTERVAL, between=None):
    snapshots = []
    async with RealtimeClient(sim.realtime_url, "demo", token, timeouts=Timeouts(1, 1, 2)) as client:
        poller = Poller(client, interval, snapshots.append)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(seconds)
        if between is not None:
            await between(poller)
        poller.stop()
        await asyncio.wait_for(task, 5)
    return poller, snapshots


async def test_both_feeds_fill(sim):
    poller, snapshots = await run_for(sim, 0.7)
    snapshot = poller.snapshot
    assert snapshot.agents.health is Health.LIVE and len(snapshot.agents.records) == 30
    assert snapshot.queues.health is Health.LIVE and len(snapshot.queues.records) == 6
    assert 3 <= sim.requests["agents"] <= 5, "one request per interval"
    assert snapshots[-1] is snapshot


async def test_one_failing_endpoint_does_not_blank_or_slow_the_other(sim):
    sim.faults = "503=1@agents"
    poller, _ = await run_for(sim, 1.2)
    snapshot = poller.snapshot
    assert snapshot.queues.health is Health.LIVE and len(snapshot.queues.records) == 6
    assert snapshot.agents.health is Health.RETRYING and snapshot.agents.records == ()
    assert "HTTP 503" in snapshot.agents.error
    assert sim.requests["queues"] >= 5
    assert sim.requests["agents"] <= 4, "the failing endpoint backs off"


async def test_the_feed_keeps_the_reason_and_the_boards_own_retry_time(sim):
    """The server asks for 1 s (Retry-After), the back-off waits longer: the feed keeps the
    reason without the server's "retrying in 1s", and retry_at is the board's real wait."""
    sim.faults = "503=1@agents,retry-after=1"
    async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=Timeouts(1, 1, 2)) as client:
        poller = Poller(client, 4.0, lambda snapshot: None, backoff=Backoff(4.0, jitter=0.0))
        started = time.monotonic()
        task = asyncio.create_task(poller.run())
        while poller.snapshot.agents.failures == 0:
            await asyncio.sleep(0.02)
        poller.stop()
        await asyncio.wait_for(task, 5)
    agents = poller.snapshot.agents
    assert "HTTP 503" in agents.error and "retrying" not in agents.error, agents.error
    assert agents.retry_at_mono - started >= 4.0, "the back-off's 4 s, not the server's 1 s"


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
    async def wait_then_resume(poller):
        assert poller.refused
        assert sim.requests["agents"] == 1 and sim.requests["queues"] <= 1
        poller.resume()
        await asyncio.sleep(0.5)

    poller, _ = await run_for(sim, 1.0, token="wrong", between=wait_then_resume)
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
    started = time.monotonic()
    poller, _ = await run_for(sim, 0.8)
    assert sim.requests["queues"] == 1, f"retried before Retry-After ({time.monotonic() - started:.2f}s)"
    assert poller.snapshot.queues.retry_at_mono is not None


async def test_refresh_now_polls_at_once(sim):
    async def refresh(poller):
        before = sim.requests["agents"]
        poller.refresh_now()
        await asyncio.sleep(0.1)
        assert sim.requests["agents"] == before + 1

    await run_for(sim, 0.35, interval=5.0, between=refresh)


async def test_steady_pace_and_one_request_in_flight_even_when_r_is_hammered(sim):
    from tests.reliability import Recorder

    sim.faults = "slow=0.3,slow-seconds=0.6"  # some answers take longer than the interval
    async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=Timeouts(1, 1, 2)) as client:
        recorder = Recorder(client, INTERVAL)
        poller = Poller(recorder, INTERVAL, lambda snapshot: None)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(1.0)
        for _ in range(20):  # a supervisor leaning on r: each press may poll at once, never twice at once
            recorder.allow_early()
            poller.refresh_now()
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.0)
        poller.stop()
        await asyncio.wait_for(task, 5)
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
    async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=Timeouts(1, 1, 2)) as client:
        broken = Broken(client)
        poller = Poller(broken, INTERVAL, lambda snapshot: None)
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(1.0)
        poller.stop()
        await asyncio.wait_for(task, 5)
    agents = poller.snapshot.agents
    assert agents.health is Health.RETRYING
    assert agents.error == "unexpected error while fetching agents (KeyError)"
    assert 2 <= broken.calls <= 3, "backing off: 0.2 s, then at least 0.3 s, then at least 0.6 s"
    assert poller.snapshot.queues.health is Health.LIVE and len(poller.snapshot.queues.records) == 6


async def test_a_refused_huge_answer_is_not_kept_in_memory_through_the_back_off(sim):
    import gc
    import tracemalloc

    sim.faults = "huge=1@agents"
    async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=Timeouts(1, 2, 4), max_body=8 * 1024 * 1024) as client:
        poller = Poller(client, 3.0, lambda snapshot: None)  # the first back-off is 3 s
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
