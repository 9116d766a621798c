"""The first answers asked for before the board is built (``wallboard run``'s start),
against the simulator over loopback HTTP."""

from __future__ import annotations

import asyncio
import gc

from tests.helpers.board import make_app
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.live.primed import PrimedSource
from wallboard.sim.simulator import Simulator


async def test_the_first_answers_are_the_ones_asked_for_early_and_later_ones_are_fresh_requests():
    with Simulator(seed=3, agents=7, queues=2) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo") as client:
            primed = PrimedSource.asking(client)
            await asyncio.sleep(0)  # the requests are out before anybody asks
            agents = await primed.agents()
            queues = await primed.queues()
            assert len(agents.result.records) == 7 and len(queues.result.records) == 2
            assert sim.requests["agents"] == 1 and sim.requests["queues"] == 1
            await primed.agents()
            assert sim.requests["agents"] == 2  # the second is the client's own request
            assert primed.stream_key == client.stream_key  # anything else is the client's


async def test_the_board_polls_from_the_early_answers_without_asking_twice():
    with Simulator(seed=3, agents=7, queues=2) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo") as client:
            primed = PrimedSource.asking(client)
            app = make_app(source=primed, interval=3600.0)
            async with app.run_test(size=(100, 30)) as pilot:
                await until(pilot, lambda: len(app.snapshot.agents.records) == 7 and len(app.snapshot.queues.records) == 2, 10, app=app)
                assert (sim.requests["agents"], sim.requests["queues"]) == (1, 1)


async def test_an_answer_nobody_took_is_dropped_quietly():
    with Simulator(seed=3, agents=7, queues=2) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "wrong-token") as client:
            primed = PrimedSource.asking(client)
            while not all(early.done() for early in primed._first.values()):
                await asyncio.sleep(0.01)
            reported = []
            asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context["message"]))
            primed.discard()  # the refusal was never shown: no "exception was never retrieved" either
            gc.collect()
            assert reported == []
            assert primed._first == {}
            in_flight = PrimedSource.asking(client)
            in_flight.discard()  # still on its way: cancelled
            await asyncio.sleep(0)
            assert in_flight._first == {}
