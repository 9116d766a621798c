"""Parsed records written back in the Real Time Statistics API's own shapes read back the
same: what a relay in front of many boards needs to re-serve what it fetched."""

import json
from pathlib import Path

import pytest

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.core.wire.rtstats_render import record_wire, records_body
from wallboard.sim.rtstats_wire import agents_wire, queues_wire
from wallboard.sim.scenario import RealtimeScenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_vendor_s_seed_records_survive_a_round_trip(fmt):
    agents = parse_agents((FIXTURES / "seed_agents.xml").read_bytes(), "xml").records
    queues = parse_queues((FIXTURES / "seed_queues.xml").read_bytes(), "xml").records
    assert agents and queues
    assert parse_agents(records_body(agents, Agent, fmt), fmt).records == agents
    assert parse_queues(records_body(queues, Queue, fmt), fmt).records == queues


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_simulated_tenant_survives_a_round_trip_and_keeps_the_documented_names(fmt):
    scenario = RealtimeScenario(seed=3, agents=30, queues=5, clock=lambda: 1_700_000_000.0, hostile=True)
    agents = parse_agents(json.dumps({"agent": agents_wire(scenario)}), "json").records
    queues = parse_queues(json.dumps({"queue": queues_wire(scenario)}), "json").records
    assert len(agents) == 30 and len(queues) == 5
    assert parse_agents(records_body(agents, Agent, fmt), fmt).records == agents
    assert parse_queues(records_body(queues, Queue, fmt), fmt).records == queues
    assert set(record_wire(agents[0])) <= set(agents_wire(scenario)[0]), "the names the service documents"
