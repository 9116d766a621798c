"""Tenants of a given size for the benchmarks: wire payloads and parsed records."""

from __future__ import annotations

import random
import time
from msgspec.structs import replace

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.core.wire import rtstats_render as render
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

SIZES = (50, 500, 2000, 5000)
EPOCH = 1_763_900_000.0


def queues_for(agents: int) -> int:
    """A proportional number of queues: one per 20 agents, at least 4."""
    return max(4, agents // 20)


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def scenario(agents: int, seed: int = 1, cycles: int = 3) -> RealtimeScenario:
    clock = _Clock(EPOCH)
    sim = RealtimeScenario(seed, agents, queues_for(agents), phase=0.0, clock=clock)
    for _ in range(cycles):
        clock.now += 10
        sim.sync()
    return sim


def payloads(agents: int, seed: int = 1) -> dict[str, bytes]:
    """The ``/agents`` body in JSON and XML, and ``/queues`` in JSON."""
    sim = scenario(agents, seed)
    items = agents_wire(sim)
    return {
        "json": render.json_list("agent", items),
        "xml": render.xml_list("agents", "agent", items),
        "queues": render.json_list("queue", queues_wire(sim)),
    }


def records(agents: int, seed: int = 1) -> tuple[tuple[Agent, ...], tuple[Queue, ...]]:
    bodies = payloads(agents, seed)
    return parse_agents(bodies["json"], "json").records, parse_queues(bodies["queues"], "json").records


def refreshed(agents: tuple[Agent, ...], fraction: float, round_: int) -> tuple[Agent, ...]:
    """A copy with ``fraction`` of the agents changed (new state and time in state), as one
    cache refresh would: the rest keep their identity, like the parser's equal records."""
    rng = random.Random(round_)
    chosen = set(rng.sample(range(len(agents)), max(1, round(len(agents) * fraction))))
    return tuple(
        replace(agent, status=rng.choice((0, 2, 3, 4)), time_in_status=rng.randint(0, 600)) if i in chosen else agent
        for i, agent in enumerate(agents)
    )


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import os
    import platform

    import textual

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "textual": textual.__version__,
        "load average at start": load,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
