"""Fixed data for board tests: a scenario frozen at a known moment, parsed as the board sees it."""

from __future__ import annotations

import json

from tests.conftest import EPOCH, FakeClock
from wallboard.config import Settings
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

MONO = 5000.0
"""The monotonic time at which the fixed data arrived."""


def scenario_records(seed: int = 7, agents: int = 30, queues: int = 6, cycles: int = 3, hostile: bool = False):
    clock = FakeClock(EPOCH)
    scenario = RealtimeScenario(seed, agents, queues, phase=0.0, clock=clock, hostile=hostile)
    for _ in range(cycles):
        clock.advance(10)
        scenario.sync()
    agents_body = json.dumps({"agent": agents_wire(scenario)})
    queues_body = json.dumps({"queue": queues_wire(scenario)})
    return parse_agents(agents_body, "json").records, parse_queues(queues_body, "json").records


def fixed_snapshot(interval: float = 10.0, **kwargs) -> Snapshot:
    agents, queues = scenario_records(**kwargs)
    return Snapshot(
        agents=Feed(agents, EPOCH, MONO, Health.LIVE, version=1),
        queues=Feed(queues, EPOCH, MONO, Health.LIVE, version=1),
        interval=interval,
        sequence=2,
    )


def fixed_settings(**changes) -> Settings:
    base = dict(tenant="acme-contact", timezone="Europe/London", interval=10.0)
    base.update(changes)
    return Settings(**base)


class Clocks:
    """Wall and monotonic clocks a test moves together."""

    def __init__(self, offset: float = 3.0) -> None:
        self.offset = offset

    def wall(self) -> float:
        return EPOCH + self.offset

    def mono(self) -> float:
        return MONO + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds
