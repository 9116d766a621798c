"""Change-to-screen latency of an agent's status: the event stream against polling.

The simulator publishes each agent's status change on its event stream at the moment it
happens (a moment within a cache cycle; the cache shows it at the next refresh, as on the
real service), whether or not a board listens. A board-in-process (the real poller,
phase-locked, with the real event stream client and the real overlay when push is on)
records, for every snapshot it would draw, which state each agent shows. For each change
the latency is the first moment the board shows the new state minus the moment the
change happened (changes overtaken by another change of the same agent before the board
showed them are not counted). Widgets draw a snapshot synchronously when it arrives, so
this is the change-to-cell delay up to the paint itself (a few ms; see the apply bench).

Modes: push (v5 source, 5 s cache, stream on), phase-locked polling of a 10 s cache
(the legacy API) and of a 5 s cache (v5).
"""

from __future__ import annotations

import asyncio
import base64
import json
import statistics
import time
from dataclasses import dataclass

from wallboard.clients.ccrealtime import CcRealtimeClient
from wallboard.core.wire.events import STREAM_STATES
from wallboard.live.events import EventStream
from wallboard.live.poller import Poller
from wallboard.live.push import Pusher
from wallboard.live.schedule import PhaseLockedSchedule
from wallboard.sim.simulator import Simulator


@dataclass(frozen=True, slots=True)
class PushFigures:
    name: str
    changes: int
    median: float
    p95: float


async def measure(name: str, cycle: float, push: bool, seconds: float, warmup: float, agents: int = 300) -> PushFigures:
    sim = Simulator(seed=11, agents=agents, queues=12, cycle=cycle)
    sim.start()
    sim.stream.start()  # changes are published (and timed) whether or not anyone listens
    shown: list[tuple[float, dict[str, object]]] = []  # (wall time, agent -> state code shown)
    pusher: Pusher | None = None
    try:
        async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
            latest = {"snapshot": None}

            def record() -> None:
                snapshot = latest["snapshot"]
                if snapshot is None:
                    return
                view = pusher.merge(snapshot) if pusher is not None else snapshot
                shown.append((time.time(), {a.agent_id: a.status for a in view.agents.records}))

            def receive(snapshot) -> None:
                latest["snapshot"] = snapshot
                record()

            poller = Poller(client, cycle, receive, schedule=PhaseLockedSchedule(cycle, cycle))
            tasks = [asyncio.create_task(poller.run())]
            stream = None
            if push:
                pusher = Pusher(cycle, time.monotonic, record)
                stream = EventStream(sim.stream_url, client.stream_key, pusher.on_frame, pusher.on_status)
                tasks.append(asyncio.create_task(stream.run()))
            await asyncio.sleep(warmup)
            start_sequence = sim.stream.sequence
            measured_from = time.time()
            await asyncio.sleep(seconds)
            end = time.time()
            await asyncio.sleep(2 * cycle)  # let the last changes reach the screen
            poller.stop()
            if stream is not None:
                stream.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        sim.stop()
    changes = _changes(sim, start_sequence)
    latencies = _latencies([c for c in changes if measured_from <= c[0] <= end], changes, shown)
    if not latencies:
        return PushFigures(name, 0, float("nan"), float("nan"))
    latencies.sort()
    return PushFigures(name, len(latencies), statistics.median(latencies), latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))])


def _changes(sim: Simulator, after: int) -> list[tuple[float, str, object]]:
    """(moment, agent, state code) of every agent change the simulator published."""
    found = []
    for message in list(sim.stream.log):
        if message.sequence <= after:
            continue
        event = json.loads(base64.b64decode(json.loads(message.frame)["payload"]))
        body = event.get("AgentStatusChange")
        if body is None:
            continue
        state = STREAM_STATES.get(body["newState"])
        if state is not None:
            found.append((body["msgInfo"]["timestamp"] / 1000, body["agentId"], state))
    return found


def _latencies(measured, every, shown) -> list[float]:
    result = []
    for at, agent, state in measured:
        overtaken = min((t for t, a, _ in every if a == agent and t > at), default=float("inf"))
        for moment, states in shown:
            if moment >= at and states.get(agent) == state:
                if moment < overtaken:
                    result.append(moment - at)
                break
    return result


async def compare(seconds: float, warmup: float) -> list[PushFigures]:
    return [
        await measure("push (5 s cache)", 5.0, True, seconds, warmup),
        await measure("phase-locked polling, 10 s cache", 10.0, False, seconds, warmup),
        await measure("phase-locked polling, 5 s cache", 5.0, False, seconds, warmup),
    ]
