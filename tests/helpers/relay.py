"""A relay in a test: the simulator behind it, Basic auth for its viewers, and waits on the
event loop (never a fixed sleep). Shared by the relay, relay-board and serve tests."""

from __future__ import annotations

import asyncio
import base64

from wallboard.clients.rtstats import RealtimeClient
from wallboard.credentials.secret import Secret
from wallboard.relay.server import RelayServer
from wallboard.sim.simulator import Simulator

RELAY_TOKEN = "relay-secret-1"
WALL = 1_763_900_000.0


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def until_true(condition, timeout: float = 20.0) -> None:
    """Wait (on the event loop, not a fixed sleep) until ``condition()`` holds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def relay_for(sim: Simulator, interval: float = 10.0, **options) -> RelayServer:
    upstream = RealtimeClient(sim.realtime_url, "demo", "demo")
    relay = RelayServer(upstream, "demo", Secret(RELAY_TOKEN), interval=interval, **options)
    relay.upstream = upstream  # type: ignore[attr-defined]
    return relay


async def started(relay: RelayServer) -> str:
    url = await relay.start()
    await until_true(lambda: relay.published.snapshot.agents.received_mono is not None and relay.published.snapshot.queues.received_mono is not None)
    return url


async def stop(relay: RelayServer) -> None:
    await relay.stop()
    await relay.upstream.aclose()  # type: ignore[attr-defined]
