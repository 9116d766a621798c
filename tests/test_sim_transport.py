"""The in-process simulator (tests.helpers.sim_transport) against the real one on loopback.

Virtual-clock tests serve the simulator in-process; this checks, fault by fault, that the
client sees the same error through it as over a real socket (the same class, the same
words but for the address), so those tests see what a real server would do to the board.
Nothing here depends on the machine's pace: every faulty request fails whatever its
speed (a slow answer comes 30 s later, long after the 3 s read timeout; a trickle of
bytes 0.2 s apart cannot finish inside the 6 s deadline), and every other answer, even the
2 MiB read of a huge one, has seconds to spare on a busy machine.
"""

from __future__ import annotations

import pytest

from tests.helpers.sim_transport import in_process
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.sim.simulator import Simulator

TIMEOUTS = Timeouts(connect=5.0, read=3.0, total=6.0)
FAULTS = ["400", "401", "403", "404", "429", "500", "503", "slow", "trickle", "truncate", "drop", "garbage", "empty", "huge", "reset"]
SPEC = "{kind}=1@agents,retry-after=1,slow-seconds=30"


async def outcome(url: str, transport=None) -> tuple[str, str, float | None]:
    async with RealtimeClient(url, "demo", "demo", timeouts=TIMEOUTS, max_body=2 * 1024 * 1024, transport=transport) as client:
        try:
            fetched = await client.agents()
        except Exception as error:
            return type(error).__name__, str(error), getattr(error, "retry_after", None)
    return "ok", str(len(fetched.result.records)), None


@pytest.mark.parametrize("kind", FAULTS + [None])
async def test_the_client_sees_the_same_through_the_in_process_simulator_as_over_loopback(kind):
    spec = SPEC.format(kind=kind) if kind else ""
    with Simulator(seed=7, agents=30, queues=6, faults=spec) as real:
        over_loopback = await outcome(real.realtime_url)
        address = f"127.0.0.1:{real.server.port}"
    virtual = Simulator(seed=7, agents=30, queues=6, faults=spec)
    transport = in_process(virtual)
    in_process_outcome = await outcome(virtual.realtime_url, transport)
    expected = (over_loopback[0], over_loopback[1].replace(address, f"127.0.0.1:{virtual.server.port}"), over_loopback[2])
    assert in_process_outcome == expected
    assert virtual.requests["agents"] == real.requests["agents"] == 1
    assert dict(virtual.server.faults_applied) == dict(real.server.faults_applied)
