"""Start-up's objects are frozen out of the collector once the first agents are shown,
and full collections then run at quiet moments, in the real board only
(:mod:`wallboard.ui.heap`)."""

from __future__ import annotations

import gc

import pytest

from tests.helpers.board import make_app
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.sim.simulator import Simulator
from wallboard.ui.heap import FULL_AT_LEAST_EVERY, FULL_EVERY, NOT_BY_ITSELF, QUIET_FOR, QuietCollector


@pytest.fixture
def unfrozen():
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()  # a test process runs many boards: leave nothing frozen behind
    gc.set_threshold(*threshold)


@pytest.mark.parametrize("freeze", [True, False], ids=["the real board", "a test board"])
async def test_start_up_is_frozen_once_the_first_agents_are_drawn(unfrozen, freeze):
    threshold = gc.get_threshold()
    with Simulator(seed=3, agents=7, queues=2) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo") as client:
            app = make_app(source=client, interval=3600.0, app_options={"freeze_heap": freeze})
            async with app.run_test(size=(100, 30)) as pilot:
                assert gc.get_freeze_count() == 0  # nothing before the first data
                await until(pilot, lambda: len(app.snapshot.agents.records) == 7, 10, app=app)
                await pilot.pause()
                await pilot.pause()
                if freeze:
                    await until(pilot, lambda: gc.get_freeze_count() > 0, 5, app=app)
                    # full collections are now the board's to run, at quiet moments
                    assert gc.get_threshold() == (threshold[0], threshold[1], NOT_BY_ITSELF)
                    assert app.quiet_collector is not None
                else:
                    assert gc.get_freeze_count() == 0
                    assert gc.get_threshold() == threshold
                    assert app.quiet_collector is None


def _collector() -> tuple[QuietCollector, list[float]]:
    done: list[float] = []
    collector = QuietCollector(100.0, collect=lambda: done.append(collector.last_full))
    return collector, done


def test_a_full_collection_runs_every_so_often_when_nobody_types():
    collector, done = _collector()
    assert not collector.tick(100.0 + FULL_EVERY - 0.5, last_key=None)
    assert collector.tick(100.0 + FULL_EVERY, last_key=None)
    assert collector.last_full == 100.0 + FULL_EVERY and len(done) == 1
    assert not collector.tick(100.0 + FULL_EVERY + 1, last_key=None)  # counted from the last one
    assert collector.tick(100.0 + 2 * FULL_EVERY, last_key=None)
    assert collector.collections == 2


def test_a_full_collection_waits_while_keys_are_pressed():
    collector, done = _collector()
    now = 100.0 + FULL_EVERY + 5
    assert not collector.tick(now, last_key=now - QUIET_FOR / 2)  # a key just now: not yet
    assert collector.tick(now + 1, last_key=now - QUIET_FOR / 2)  # quiet for long enough since
    assert len(done) == 1


def test_a_full_collection_is_never_put_off_for_long():
    collector, done = _collector()
    busy = 100.0 + FULL_AT_LEAST_EVERY - 1
    assert not collector.tick(busy, last_key=busy)
    assert collector.tick(100.0 + FULL_AT_LEAST_EVERY, last_key=100.0 + FULL_AT_LEAST_EVERY)  # typing, but overdue
    assert len(done) == 1
