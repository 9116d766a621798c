"""The simulator: deterministic, cache-cycled, consistent, and speaking real HTTP."""

import json

import httpx
import pytest

from tests.helpers.clocks import EPOCH, FakeClock
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.sim.faults import FaultPlan, FaultSpecError
from wallboard.sim.rtstats_wire import agents_wire, queues_wire
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.server import SimServer
from wallboard.sim.simulator import Simulator


def scenario(seed=5, agents=40, queues=8, phase=0.0, clock=None):
    return RealtimeScenario(seed, agents, queues, phase=phase, clock=clock or FakeClock())


def test_same_seed_and_clock_give_the_same_data():
    first, second = scenario(), scenario()
    for _ in range(30):
        first.clock.advance(10)
        second.clock.advance(10)
        assert first.sync() == second.sync()
        assert agents_wire(first) == agents_wire(second)
    assert queues_wire(first) == queues_wire(second)


def test_another_seed_gives_other_data():
    assert agents_wire(scenario(seed=5)) != agents_wire(scenario(seed=6))


def test_data_changes_only_at_cache_refresh_with_its_phase():
    clock = FakeClock(EPOCH)
    sim = scenario(phase=3.0, clock=clock)
    boundary = sim.next_refresh()
    assert (boundary - 3.0) % 10 == 0 and EPOCH < boundary <= EPOCH + 10
    clock.now = boundary - 9.99
    early = (sim.view(), agents_wire(sim))
    clock.now = boundary - 0.01
    late = (sim.view(), agents_wire(sim))
    assert late == early, "nothing changes within one cache cycle"
    clock.now = boundary + 0.01
    (index, refreshed_at), agents = sim.view(), agents_wire(sim)
    assert index == early[0][0] + 1
    assert refreshed_at == boundary
    assert agents != early[1]


def test_phase_is_drawn_from_the_seed_when_not_given():
    a = RealtimeScenario(11, 5, 2, clock=FakeClock())
    b = RealtimeScenario(11, 5, 2, clock=FakeClock())
    c = RealtimeScenario(12, 5, 2, clock=FakeClock())
    assert a.phase == b.phase != c.phase
    assert 0 <= a.phase < 10


def test_an_hour_shows_every_state_reason_codes_and_mixed_media():
    sim = scenario(agents=60, queues=8)
    seen_states, reasons, line1 = set(), {}, set()
    media = {queue["media-type"] for queue in queues_wire(sim)}
    for _ in range(360):
        sim.clock.advance(10)
        sim.sync()
        for agent in agents_wire(sim):
            seen_states.add(agent["agent-status"])
            line1.add(agent["phone-line1-status"])
            if agent["status-code-item-short-code"]:
                reasons.setdefault(agent["agent-status"], set()).add(agent["status-code-item-short-code"])
            assert agent["time-in-status"] >= 0
    assert seen_states == {0, 1, 2, 3, 4, 5, 9}
    assert set(reasons) == {4, 5}, "reason codes belong to break and offline only"
    assert media == {"phone", "chat", "email", "vmail"}
    assert {-1, 0, 3, 5} <= line1


def test_queue_agent_counts_follow_the_agents():
    sim = scenario(agents=50, queues=6)
    for _ in range(20):
        sim.clock.advance(10)
        sim.sync()
    statuses = {agent.agent_id: agent.status for agent in sim.agents}
    for queue, wire in zip(sim.queues, queues_wire(sim)):
        members = [agent for agent in sim.agents if queue.index in agent.queues]
        counted = [statuses[agent.agent_id] for agent in members]
        assert wire["assigned-agent-count"] == len(members)
        assert wire["agent-count-waitTransact"] == counted.count(0)
        assert wire["agent-count-busy"] == counted.count(1) + counted.count(2)
        assert wire["agent-count-postProcess"] == counted.count(3)
        assert wire["agent-count-onBreak"] == counted.count(4)
        assert wire["agent-count-workOffline"] == counted.count(5)
        assert wire["agent-count-loggedOut"] == counted.count(9)
        assert wire["queue-size"] == len(queue.waiting)


def test_day_counters_grow_and_thirty_minute_figures_stay_bounded():
    sim = scenario(agents=40, queues=4)
    previous = queues_wire(sim)
    for _ in range(6 * 60):
        sim.clock.advance(10)
        sim.sync()
        current = queues_wire(sim)
        for old, new in zip(previous, current):
            for key in ("day-queued", "day-accepted", "day-abandoned"):
                assert new[key] >= old[key]
            assert new["thirty-min-queued"] <= new["day-queued"]
            assert new["longest-wait-time"] >= 0
            for key in ("sla-activity", "day-sla-activity", "thirty-min-sla-activity"):
                assert new[key] == -1 or 0 <= new[key] <= 100
        previous = current
    assert sum(q["day-accepted"] for q in current) > sum(q["day-accepted"] for q in queues_wire(scenario(agents=40, queues=4)))


def test_the_parser_reads_what_the_simulator_renders_in_both_formats():
    with Simulator(seed=3, agents=12, queues=3, clock=FakeClock(), phase=0.0) as sim:
        base = sim.realtime_url
        auth = ("demo", "demo")
        js = httpx.get(f"{base}/agents.json", auth=auth)
        xml = httpx.get(f"{base}/agents.xml", auth=auth)
        default = httpx.get(f"{base}/agents", auth=auth)
    assert js.headers["content-type"] == "application/json"
    assert default.headers["content-type"] == "application/xml"
    assert json.loads(js.content)["agent"][0]["agent-id"]
    assert default.content == xml.content
    assert parse_agents(js.content, "json").records == parse_agents(xml.content, "xml").records


def test_auth_is_basic_with_401_and_403():
    with Simulator(seed=3, agents=2, queues=1, clock=FakeClock()) as sim:
        missing = httpx.get(f"{sim.realtime_url}/queues.json")
        wrong = httpx.get(f"{sim.realtime_url}/queues.json", auth=("demo", "nope"))
        good = httpx.get(f"{sim.realtime_url}/queues.json", auth=("demo", "demo"))
        unknown_path = httpx.get(f"{sim.realtime_url}/nothing.json", auth=("demo", "demo"))
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Basic")
    assert wrong.status_code == 403
    assert good.status_code == 200
    assert unknown_path.status_code == 404
    assert len(parse_queues(good.content, "json").records) == 1


def test_empty_tenant_answers_the_older_empty_envelope():
    with Simulator(seed=3, agents=0, queues=1, clock=FakeClock()) as sim:
        body = httpx.get(f"{sim.realtime_url}/agents.json", auth=("demo", "demo")).content
    assert json.loads(body) == {"agent": ""}
    assert parse_agents(body, "json").records == ()


def test_hostile_names_are_served_raw():
    with Simulator(seed=3, agents=12, queues=2, clock=FakeClock(), hostile=True) as sim:
        body = httpx.get(f"{sim.realtime_url}/agents.json", auth=("demo", "demo")).content
    names = [agent["agent-name"] for agent in json.loads(body)["agent"]]
    assert "[b red]Mallory[/]" in names
    assert any("\x1b]0;" in name for name in names)
    agents = parse_agents(body, "json").records
    assert any(agent.state.label == "Unknown (7)" for agent in agents)
    assert not any("\x1b" in agent.name for agent in agents)


def test_control_endpoints_change_faults_and_report_counts():
    with Simulator(seed=3, agents=2, queues=1, clock=FakeClock()) as sim:
        set_faults = httpx.post(f"{sim.server.url}/_sim/faults", content="503=1@queues")
        queues = httpx.get(f"{sim.realtime_url}/queues.json", auth=("demo", "demo"))
        agents = httpx.get(f"{sim.realtime_url}/agents.json", auth=("demo", "demo"))
        bad = httpx.post(f"{sim.server.url}/_sim/faults", content="bogus=1")
        stats = httpx.get(f"{sim.server.url}/_sim/stats").json()
    assert set_faults.text == "503=1@queues"
    assert queues.status_code == 503 and agents.status_code == 200
    assert bad.status_code == 400
    assert stats["requests"] == {"queues": 1, "agents": 1}
    assert stats["faults"] == {"503": 1}


def test_the_server_listens_on_loopback_only():
    with pytest.raises(ValueError, match="loopback only"):
        SimServer("0.0.0.0")


@pytest.mark.parametrize(
    "spec, message",
    [
        ("503", "expected KIND=RATE"),
        ("999=0.1", "unknown kind '999'"),
        ("503=lots", "is not a number"),
        ("503=1.5", "outside 0..1"),
        ("503=0.1@moon", "unknown target 'moon'"),
        ("503=0.6,500=0.6", "add up to 1.2"),
    ],
)
def test_bad_fault_specs(spec, message):
    with pytest.raises(FaultSpecError, match=message):
        FaultPlan.parse(spec)


def test_fault_draws_follow_the_rates():
    plan = FaultPlan.parse("503=0.25,500=0.25@queues", seed=4)
    agents = [plan.draw("agents") for _ in range(4000)]
    queues = [plan.draw("queues") for _ in range(4000)]
    assert set(agents) == {"503", None}
    assert 0.2 < agents.count("503") / 4000 < 0.3
    assert 0.2 < queues.count("500") / 4000 < 0.3
    assert plan.describe() == "503=0.25, 500=0.25@queues"
    assert FaultPlan.parse("").draw("agents") is None


def test_changing_faults_over_http_does_not_replay_the_same_draws():
    # a soak that switches between fault mixes must not see the same few faults every time
    with Simulator(seed=3, agents=2, queues=1, clock=FakeClock()) as sim:
        patterns = []
        for _ in range(2):
            assert httpx.post(f"{sim.server.url}/_sim/faults", content="503=0.5").status_code == 200
            patterns.append([sim.server.faults.draw("agents") for _ in range(32)])
        assert patterns[0] != patterns[1]
        assert {kind for pattern in patterns for kind in pattern} == {"503", None}


def test_thirty_minute_available_time_is_an_average_stretch_as_the_vendor_documents():
    """Not the total: two 100 s stretches and one 400 s one in the window average 200 s."""
    from collections import deque

    from wallboard.sim.rtstats_wire import _window_average
    from wallboard.sim.scenario import AVAILABLE, BUSY

    now = 10_000.0
    history = deque(
        [
            (now - 2000, now - 1700, AVAILABLE),  # 100 s of it inside the window
            (now - 1700, now - 1000, BUSY),
            (now - 1000, now - 900, AVAILABLE),
            (now - 900, now - 400, BUSY),
        ]
    )
    assert _window_average(history, AVAILABLE, AVAILABLE, now - 400, now) == 200.0
    assert _window_average(deque(), AVAILABLE, BUSY, now - 50, now) == 0.0
