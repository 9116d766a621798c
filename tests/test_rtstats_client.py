"""The real-time client against the simulator over real loopback HTTP."""

import socket

import pytest

from wallboard import __version__
from wallboard.clients.http import Timeouts, parse_retry_after
from wallboard.clients.rtstats import RealtimeClient
from wallboard.errors import (
    ApiTimeoutError,
    AuthError,
    BadPayloadError,
    BadRequestError,
    ConnectionFailedError,
    InsecureUrlError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    ServerBusyError,
    ServerError,
)

FAST = Timeouts(connect=1.0, read=1.0, total=1.5)
"""For the faults that must time out (a slow answer of 5 s, a trickle): short, so they end soon."""
PATIENT = Timeouts(connect=10.0, read=20.0, total=30.0)
"""For every other answer: long, so a busy machine is slow, never a timeout."""


def client_for(sim, *, fmt="json", tenant="demo", token="demo", timeouts=PATIENT, **kwargs):
    return RealtimeClient(sim.realtime_url, tenant, token, fmt=fmt, timeouts=timeouts, **kwargs)


async def test_json_and_xml_give_the_same_records(simulator):
    async with client_for(simulator, fmt="json") as js, client_for(simulator, fmt="xml") as xml:
        agents_js, agents_xml = await js.agents(), await xml.agents()
        queues_js, queues_xml = await js.queues(), await xml.queues()
    assert len(agents_js.result.records) == 30
    assert len(queues_js.result.records) == 6
    assert agents_js.result.records == agents_xml.result.records
    assert queues_js.result.records == queues_xml.result.records
    assert agents_js.result.problems == () and agents_xml.result.repaired is False


async def test_records_are_decoded(simulator):
    async with client_for(simulator) as client:
        agents = (await client.agents()).result.records
    assert {agent.state.known for agent in agents} == {True}
    assert all(agent.name and agent.group_id for agent in agents)


async def test_single_agent_and_queue_match_the_lists(simulator):
    async with client_for(simulator) as client:
        agents = (await client.agents()).result.records
        queues = (await client.queues()).result.records
        assert await client.agent(agents[3].agent_id) == agents[3]
        assert await client.queue(queues[2].queue_id) == queues[2]


async def test_unknown_ids_are_not_found(simulator):
    async with client_for(simulator) as client:
        with pytest.raises(NotFoundError, match="HTTP 404"):
            await client.agent("nobody")
        with pytest.raises(NotFoundError):
            await client.queue("999999")


@pytest.mark.parametrize("tenant, token", [("demo", "wrong"), ("other", "demo")])
async def test_refused_credentials(simulator, tenant, token):
    async with client_for(simulator, tenant=tenant, token=token) as client:
        with pytest.raises(AuthError) as caught:
            await client.agents()
    message = str(caught.value)
    assert message.startswith("the tenant name or data-request token was refused")
    assert "(HTTP 403)" in message
    assert caught.value.retryable is False
    assert token not in message.replace("token", "")


async def test_identity_and_keep_alive(simulator):
    async with client_for(simulator) as client:
        for _ in range(5):
            await client.agents()
    headers = simulator.server.last_headers["agents"]
    assert headers["user-agent"].startswith(f"wallboard/{__version__}")
    assert headers["accept"] == "application/json"
    assert headers["authorization"].startswith("Basic ")
    assert simulator.server.connections == 1
    assert simulator.requests["agents"] == 5


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(InsecureUrlError, match="plain http:// is refused"):
        RealtimeClient("http://na1.mycontactual.com/api/rtstats/stats", "t", "s")


@pytest.mark.parametrize(
    "fault, error_type, fragment",
    [
        ("500", ServerError, "HTTP 500"),
        ("503", ServerBusyError, "HTTP 503"),
        ("429", RateLimitedError, "HTTP 429"),
        ("400", BadRequestError, "HTTP 400"),
        ("403", AuthError, "HTTP 403"),
        ("404", NotFoundError, "HTTP 404"),
        ("slow", ApiTimeoutError, "no answer for agents from 127.0.0.1"),
        ("trickle", ApiTimeoutError, "no complete answer for agents from 127.0.0.1"),
        ("truncate", BadPayloadError, "could not be read"),
        ("drop", ConnectionFailedError, "broke off"),
        ("garbage", BadPayloadError, "not valid JSON"),
        ("empty", BadPayloadError, "empty response"),
        ("huge", ResponseTooLargeError, "larger than 32 MiB"),
        ("reset", ConnectionFailedError, "broke off"),
    ],
)
async def test_each_fault_becomes_its_typed_error(simulator, fault, error_type, fragment):
    simulator.faults = f"{fault}=1,retry-after=7,slow-seconds=5"
    async with client_for(simulator, timeouts=FAST if fault in ("slow", "trickle") else PATIENT) as client:
        with pytest.raises(error_type) as caught:
            await client.agents()
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
    assert simulator.server.faults_applied[fault] == 1


@pytest.mark.parametrize("fault", ["429", "503"])
async def test_retry_after_is_carried(simulator, fault):
    simulator.faults = f"{fault}=1,retry-after=7"
    async with client_for(simulator) as client:
        with pytest.raises((RateLimitedError, ServerBusyError)) as caught:
            await client.queues()
    assert caught.value.retry_after == 7.0
    assert "retrying in 7s" in str(caught.value)


async def test_truncated_xml_is_refused_not_shortened(simulator):
    simulator.faults = "truncate=1"
    async with client_for(simulator, fmt="xml") as client:
        with pytest.raises(BadPayloadError, match="cut short"):
            await client.agents()


async def test_faults_can_target_one_endpoint(simulator):
    simulator.faults = "503=1@agents"
    async with client_for(simulator) as client:
        assert len((await client.queues()).result.records) == 6
        with pytest.raises(ServerBusyError):
            await client.agents()


async def test_a_body_over_the_cap_is_refused(simulator):
    async with client_for(simulator, max_body=1000) as client:
        with pytest.raises(ResponseTooLargeError, match="larger than 0 MiB"):
            await client.agents()


async def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with RealtimeClient(f"http://127.0.0.1:{port}/api/rtstats/stats", "demo", "demo", timeouts=PATIENT) as client:
        with pytest.raises(ConnectionFailedError, match="connection refused"):
            await client.agents()


def test_retry_after_forms():
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("99999") == 600.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
