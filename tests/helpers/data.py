"""Fixed data for tests: the seed files, and a scenario frozen at a known moment, parsed as the board sees it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.clocks import EPOCH, MONO, FakeClock
from wallboard.config import Settings
from wallboard.core.model.realtime import Agent
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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


# The first agent of the vendor's XML example (fixtures/seed_agents.xml), as parsed.
JOHN_DOE = Agent(
    agent_id="ag1",
    name="John Doe",
    status=1,
    media_id=1,
    group_id=101,
    time_in_status=None,
    status_code_item_id=None,
    status_code_short="",
    status_code_list_id=None,
    line1_status=0,
    line1_status_time=None,
    line2_status=0,
    line2_status_time=None,
    last_login_time=None,
    assigned_skill_count=4,
    enabled_skill_count=4,
    day_accepted_count=0,
    day_rejected_count=1,
    day_login_time=0,
    day_available_time=0,
    day_processing_time=0,
    day_avg_processing_time=0,
    day_wrap_up_time=0,
    day_break_time=0,
    day_offline_time=0,
    thirty_min_accepted_count=0,
    thirty_min_rejected_count=0,
    thirty_min_available_time=0,
    thirty_min_processing_time=0,
    thirty_min_avg_handling_time=0,
    thirty_min_wrap_up_time=0,
    thirty_min_break_time=0,
    thirty_min_offline_time=0,
)
