"""Phase-locked polling against the simulator over loopback, on a short cache cycle.

No timing is asserted as a speed: the figures compared are ages of data relative to the
simulator's own cache refreshes, and request counts.
"""

import asyncio

from tests.board_data import fixed_settings
from wallboard.bench.freshness import compare
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.freshness import PhaseLockedSchedule, schedule_for
from wallboard.poller import Schedule
from wallboard.sim.simulator import Simulator
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.widgets.status_header import StatusHeader

CYCLE = 0.5


async def test_phase_locked_polling_brings_news_much_sooner_at_about_one_request_per_cycle():
    locked, fixed = await compare(cycle=CYCLE, seconds=8.0, warmup=4.5, agents=30, queues=4, fixed_boards=4, phase=0.1)
    assert (locked.name, fixed.name) == ("phase-locked", "fixed")
    assert len(locked.lags) >= 6 and len(fixed.lags) >= 24
    assert locked.lag_median < CYCLE / 2  # loose: a loaded machine delays every poll a little
    assert fixed.lag_median > 2 * locked.lag_median
    assert locked.age_median < fixed.age_median
    per_cycle = 60 / CYCLE
    assert fixed.requests_per_minute <= 1.05 * per_cycle
    assert locked.requests_per_minute <= 1.3 * per_cycle


def test_the_board_locks_only_when_it_polls_at_most_once_per_cycle():
    assert isinstance(schedule_for(10.0), PhaseLockedSchedule)
    assert isinstance(schedule_for(30.0), PhaseLockedSchedule)
    slow = schedule_for(5.0)
    assert type(slow) is Schedule and slow.interval == 5.0


async def test_the_header_shows_the_data_age_and_the_learnt_phase():
    with Simulator(seed=5, agents=12, queues=2, cycle=CYCLE) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=Timeouts(1, 1, 2)) as client:
            settings = fixed_settings(interval=1.0)
            app = WallboardApp(settings, source=client, theme_dirs=[bundled_themes_dir()], cache_period=CYCLE)
            async with app.run_test(size=(160, 30)) as pilot:
                header = app.board.query_one(StatusHeader)
                for _ in range(100):
                    await pilot.pause(0.1)
                    if "synced :" in str(header.render()):
                        break
                text = str(header.render())
                assert "synced :" in text and "as of " in text
                assert isinstance(app.schedule, PhaseLockedSchedule)
                assert any(sync is not None and sync.locked for sync in app.schedule.syncs().values())


async def test_after_the_cache_moves_its_phase_the_board_learns_it_again():
    locked, _ = await compare(
        cycle=CYCLE, seconds=11.0, warmup=9.0, agents=30, queues=4, fixed_boards=1, phase=0.1, jump_at=5.0, jump_by=0.2
    )
    assert locked.relearns >= 1, "the move was noticed"
    assert locked.relocked_after_jump is not None
    assert locked.lags and sorted(locked.lags)[len(locked.lags) // 2] < CYCLE / 4
