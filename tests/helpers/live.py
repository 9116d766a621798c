"""The live board: the real app polling a simulator through a :class:`~tests.helpers.recorder.Recorder`.

On the virtual-time loop (tests marked ``virtual_time``) the simulator is served
in-process (:mod:`tests.helpers.sim_transport`) and its clock is the loop's, so every
request, back-off and age is exact and the Recorder checks pacing exactly. On a real loop
the board talks HTTP to the simulator on loopback; only what holds at any pace may be
asserted there (never too early, eventually recovered), so the Recorder does not judge
lateness.
"""

from __future__ import annotations

import asyncio
import math
from contextlib import asynccontextmanager

from tests.helpers.board import make_app
from tests.helpers.clocks import LoopClocks
from tests.helpers.recorder import TOLERANCE, Recorder
from tests.helpers.sim_transport import PORT, SimTransport, in_process
from tests.helpers.virtual_time import VirtualTimeLoop
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.sim.server import SimServer
from wallboard.sim.simulator import Simulator
from wallboard.urls import REALTIME_PATH

INTERVAL = 0.2
VIRTUAL_TIMEOUTS = Timeouts(connect=0.5, read=0.5, total=0.8)
"""On the virtual clock: short, as a slow server makes them fire and a healthy one never does."""
LOOPBACK_TIMEOUTS = Timeouts()
"""Over loopback: the product's own, so a busy machine never makes a healthy answer time out."""
MAX_BODY = 2 * 1024 * 1024  # the 40 MiB "huge" answer is refused after 2 MiB, not 32


def on_virtual_time() -> bool:
    return isinstance(asyncio.get_running_loop(), VirtualTimeLoop)


def virtual_simulator(**options) -> Simulator:
    """A simulator for the virtual clock: its scenario reads the loop's clock, and it is
    never started (:func:`live_board` serves it in-process). Make it inside the test."""
    sim = Simulator(clock=LoopClocks().wall, **options)
    in_process(sim)
    return sim


@asynccontextmanager
async def live_board(
    server: Simulator | SimServer | str,
    *,
    token: str = "demo",
    fmt: str = "json",
    size: tuple[int, int] = (120, 36),
    interval: float = INTERVAL,
    timeouts: Timeouts | None = None,
    clocks=None,
    **settings,
):
    """The board polling ``server`` every ``interval``; yields ``(app, pilot, recorder)``.

    ``server`` is a :class:`Simulator` or :class:`SimServer` (in-process on the virtual
    clock; started, on loopback, on a real loop) or a real-time statistics URL. On leaving,
    it checks that no request broke the pacing rules and none overlapped another.
    """
    virtual = on_virtual_time()
    transport: SimTransport | None = None
    if isinstance(server, str):
        url = server
    else:
        sim_server = server.server if isinstance(server, Simulator) else server
        if virtual:
            sim_server.port = PORT
            transport = SimTransport(sim_server)
        url = sim_server.url + REALTIME_PATH
    timeouts = timeouts or (VIRTUAL_TIMEOUTS if virtual else LOOPBACK_TIMEOUTS)
    async with RealtimeClient(url, "demo", token, fmt=fmt, timeouts=timeouts, max_body=MAX_BODY, transport=transport) as client:
        if virtual:
            recorder = Recorder(client, interval, tolerance=1e-6, slack=1e-6)
            clocks = clocks or LoopClocks()
        else:
            recorder = Recorder(client, interval, tolerance=TOLERANCE, slack=math.inf)
        app = make_app(source=recorder, clocks=clocks, interval=interval, **settings)
        async with app.run_test(size=size) as pilot:
            yield app, pilot, recorder
        assert recorder.violations == [], recorder.violations
        assert max(recorder.max_in_flight.values(), default=0) <= 1
