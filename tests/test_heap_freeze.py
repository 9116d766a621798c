"""Start-up's objects are frozen out of the collector once the first agents are shown,
in the real board only (:mod:`wallboard.ui.heap`)."""

from __future__ import annotations

import gc

import pytest

from tests.helpers.board import make_app
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.sim.simulator import Simulator


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # a test process runs many boards: leave nothing frozen behind


@pytest.mark.parametrize("freeze", [True, False], ids=["the real board", "a test board"])
async def test_start_up_is_frozen_once_the_first_agents_are_drawn(unfrozen, freeze):
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
                else:
                    assert gc.get_freeze_count() == 0
