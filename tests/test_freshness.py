"""Phase-locked polling: the real poller against the simulator's cache model.

The figures (how late news reaches the screen, requests per cycle) are asserted on a
virtual clock (:mod:`tests.virtual_time`): the poller, its schedule, the simulator's
scenario and the parser run unchanged, but every moment is exact, so no assertion here
depends on how busy the machine is. The same comparison on real time over loopback is
``python -m wallboard.bench``'s freshness section, which prints figures.
The loopback test below checks only what holds at any speed: the board locks and says so.
"""

import asyncio
import statistics

import pytest

from tests.helpers.board import make_app
from tests.helpers.waiting import until
from tests.helpers.clocks import EPOCH
from tests.helpers.virtual_time import run_virtual
from wallboard.bench.freshness import RecordingScenario
from wallboard.clients.rtstats import Fetched
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.clients.rtstats import RealtimeClient
from wallboard.live.schedule import PhaseLockedSchedule, schedule_for
from wallboard.live.poller import FEEDS, Poller, Schedule
from wallboard.core.wire import rtstats_render as render
from wallboard.sim.simulator import Simulator
from wallboard.ui.widgets.status_header import StatusHeader
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

CYCLE = 0.5
PERIOD = 10.0


class CacheSource:
    """The simulator's scenario as the poller's source, on the virtual clock.

    Each request takes ``latency`` and is answered half-way, from the scenario's cache as it
    is then, rendered to the real JSON and parsed as the client parses it. Every answer is
    logged as (sent, arrived, refresh moment of the data in it).
    """

    def __init__(self, scenario: RecordingScenario, loop, latency: float) -> None:
        self.scenario = scenario
        self.loop = loop
        self.latency = latency
        self.answers: dict[str, list[tuple[float, float, float]]] = {name: [] for name in FEEDS}

    async def agents(self) -> Fetched:
        return await self._fetch("agents", "agent", lambda: agents_wire(self.scenario), parse_agents)

    async def queues(self) -> Fetched:
        return await self._fetch("queues", "queue", lambda: queues_wire(self.scenario), parse_queues)

    async def _fetch(self, feed, tag, wire, parse) -> Fetched:
        sent = self.loop.time()
        await asyncio.sleep(self.latency / 2)
        _, refreshed = self.scenario.view()
        body = render.json_list(tag, wire())
        await asyncio.sleep(self.latency / 2)
        arrived = self.loop.time()
        self.answers[feed].append((sent, arrived, refreshed - EPOCH))
        return Fetched(parse(body, "json"), arrived, arrived - sent, len(body))


def poll(schedule, *, seconds, start=0.0, latency=0.05, phase=3.3, jump=None):
    """Run the real poller against the cache for ``seconds`` of virtual time; its answers.

    ``jump`` = (moment, seconds): the service restarts then with its phase moved.
    """

    async def main(loop):
        scenario = RecordingScenario(5, 20, 3, cycle=PERIOD, phase=phase, clock=lambda: EPOCH + loop.time())
        source = CacheSource(scenario, loop, latency)
        poller = Poller(source, PERIOD, lambda snapshot: None, wall=lambda: EPOCH + loop.time(), mono=loop.time, schedule=schedule)
        await asyncio.sleep(start)
        task = asyncio.create_task(poller.run())
        if jump is not None:
            await asyncio.sleep(jump[0] - loop.time())
            scenario.jump(scenario.phase + jump[1])
        await asyncio.sleep(start + seconds - loop.time())
        poller.stop()
        await task
        return source.answers

    return run_virtual(main)


def news(answers, since=0.0):
    """(sent, lag) of each answer that brought a newer cache refresh, sent at or after ``since``."""
    found, previous = [], None
    for sent, arrived, refreshed in answers:
        if refreshed != previous and previous is not None and sent >= since:
            found.append((sent, arrived - refreshed))
        previous = refreshed
    return found


def requests_between(answers, start, end):
    return sum(1 for sent, _, _ in answers if start <= sent < end)


@pytest.mark.parametrize("start", [0.0, 2.5, 5.0, 7.5])
def test_fixed_period_polling_brings_news_as_late_as_its_start_happens_to_fall(start):
    answers = poll(Schedule(PERIOD), start=start, seconds=300)
    for feed in FEEDS:
        # the refresh is at 3.3 s past each ten; a request sent at ``start`` is back 50 ms later
        expected = round((start + 0.05 - 3.3) % PERIOD, 6)
        assert {round(lag, 6) for _, lag in news(answers[feed])} == {expected}
        assert len(answers[feed]) == 30  # one request per cycle, exactly


@pytest.mark.parametrize("phase", [0.0, 3.3, 9.95])
@pytest.mark.parametrize("latency", [0.02, 0.4])
def test_phase_locked_polling_brings_news_within_a_fraction_of_a_second_at_one_request_per_cycle(phase, latency):
    schedule = PhaseLockedSchedule(PERIOD, PERIOD)
    answers = poll(schedule, seconds=600, latency=latency, phase=phase)
    settled = 15 * PERIOD  # learning takes a handful of cycles
    for feed in FEEDS:
        tracker = schedule.trackers[feed]
        assert tracker.locked and tracker.relearns == 0
        lags = [lag for _, lag in news(answers[feed], since=settled)]
        assert len(lags) == 45  # every cycle's news, none missed
        # news arrives a margin after the refresh, give or take what the bisection could narrow
        assert max(lags) <= tracker.margin + tracker.good_width + latency
        assert statistics.median(lags) <= 1.5  # the target for the median age on arrival
        # learning costs a few extra requests; then one per cycle, a drift check every tenth,
        # and for quiet queues a follow-up now and then (agents change at every refresh)
        assert requests_between(answers[feed], 0, settled) <= 1.6 * 15
        assert requests_between(answers[feed], settled, 600) <= 45 + 5 + (1 if feed == "agents" else 10)


@pytest.mark.parametrize("moved_by", [3.0, -3.0, 0.3])
def test_after_the_cache_moves_its_phase_the_poller_learns_it_again(moved_by):
    schedule = PhaseLockedSchedule(PERIOD, PERIOD)
    answers = poll(schedule, seconds=800, jump=(300.0, moved_by))
    for feed in FEEDS:
        tracker = schedule.trackers[feed]
        assert tracker.relearns >= 1, "the move was noticed"
        assert tracker.locked
        before = [lag for sent, lag in news(answers[feed], since=150) if sent < 300]
        after = [lag for _, lag in news(answers[feed], since=300 + 25 * PERIOD)]
        bound = tracker.margin + tracker.precision + 0.05
        assert before and after and max(before) <= bound and max(after) <= bound
        assert requests_between(answers[feed], 300, 800) <= 1.3 * 50


def test_the_board_locks_only_when_it_polls_at_most_once_per_cycle():
    assert isinstance(schedule_for(10.0), PhaseLockedSchedule)
    assert isinstance(schedule_for(30.0), PhaseLockedSchedule)
    slow = schedule_for(5.0)
    assert type(slow) is Schedule and slow.interval == 5.0


async def test_the_header_shows_the_data_age_and_the_learnt_phase():
    with Simulator(seed=5, agents=12, queues=2, cycle=CYCLE) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo") as client:
            app = make_app(source=client, interval=1.0, app_options={"cache_period": CYCLE})
            async with app.run_test(size=(160, 30)) as pilot:
                header = app.board.query_one(StatusHeader)
                await until(pilot, lambda: "synced :" in str(header.render()), step=0.1, what="the board to lock", app=app)
                text = str(header.render())
                assert "synced :" in text and "as of " in text
                assert isinstance(app.schedule, PhaseLockedSchedule)
                assert any(sync is not None and sync.locked for sync in app.schedule.syncs().values())
