"""`wallboard relay`: its answers (pure), its access rules, and simulator -> relay -> client
over real loopback HTTP."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import json

import httpx
import pytest

from tests.helpers.relay import RELAY_TOKEN, WALL, basic as _basic, relay_for as _relay_for, started as _started, stop as _stop, until_true as _until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Snapshot
from wallboard.credentials.secret import Secret
from wallboard.errors import AuthError, ConfigError, NotFoundError, ServerBusyError
from wallboard.relay.access import check_basic, check_listen
from wallboard.relay.published import (
    AGE_HEADER,
    ERROR_HEADER,
    STATUS_HEADER,
    Published,
    accepts_gzip,
    etag_matches,
    gzip_etag,
)
from wallboard.sim.simulator import Simulator



def _published(agents=(Agent(agent_id="a1", name="Ann"), Agent(agent_id="a2", name="Bob")), at=100.0) -> Published:
    published = Published(10.0)
    feed = Feed().succeeded(tuple(agents), WALL, at)
    published.receive(Snapshot(agents=feed, queues=Feed().succeeded((Queue(queue_id="7", name="Sales"),), WALL, at)))
    return published


# --- the answers ------------------------------------------------------------------------------


def test_list_answer_carries_cache_headers_and_a_body_the_client_reads():
    published = _published()
    published.planned("agents", 107.0, 0.4)
    answer = published.list_answer("agents", "json", {}, 101.0)
    assert answer.status == 200
    assert json.loads(answer.body)["agent"][1]["agent-name"] == "Bob"
    assert answer.headers["ETag"].startswith('"') and answer.headers["ETag"].endswith('"')
    assert answer.headers["Cache-Control"] == "max-age=6, must-revalidate"  # next answer due at 107.4
    assert answer.headers["Last-Modified"] == email.utils.formatdate(WALL, usegmt=True)
    assert answer.headers[STATUS_HEADER] == "live" and answer.headers[AGE_HEADER] == "1.0"
    assert ERROR_HEADER not in answer.headers


def test_equal_bodies_have_equal_tags_and_a_change_changes_the_tag():
    first = _published().list_answer("agents", "xml", {}, 101.0).headers["ETag"]
    again = _published().list_answer("agents", "xml", {}, 105.0).headers["ETag"]
    other = _published(agents=(Agent(agent_id="a1", name="Ann"),)).list_answer("agents", "xml", {}, 101.0).headers["ETag"]
    assert first == again != other


def test_if_none_match_gives_304_without_a_body_and_with_the_same_headers():
    published = _published()
    etag = published.list_answer("queues", "json", {}, 101.0).headers["ETag"]
    answer = published.list_answer("queues", "json", {"if-none-match": f'"nope", W/{etag}'}, 102.0)
    assert answer.status == 304 and answer.body == b""
    assert answer.headers["ETag"] == etag and "Cache-Control" in answer.headers
    assert published.list_answer("queues", "json", {"if-none-match": '"nope"'}, 102.0).status == 200


def test_if_modified_since_is_honoured_only_without_if_none_match():
    published = _published()
    since = email.utils.formatdate(WALL + 5, usegmt=True)
    assert published.list_answer("agents", "json", {"if-modified-since": since}, 101.0).status == 304
    earlier = email.utils.formatdate(WALL - 5, usegmt=True)
    assert published.list_answer("agents", "json", {"if-modified-since": earlier}, 101.0).status == 200
    assert published.list_answer("agents", "json", {"if-modified-since": since, "if-none-match": '"x"'}, 101.0).status == 200


def test_large_bodies_go_gzipped_to_clients_that_accept_it_under_their_own_tag():
    many = tuple(Agent(agent_id=f"a{i}", name=f"Agent {i}") for i in range(100))
    published = _published(agents=many)
    plain = published.list_answer("agents", "json", {}, 101.0)
    packed = published.list_answer("agents", "json", {"accept-encoding": "gzip, deflate"}, 101.0)
    assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.body) == plain.body
    assert packed.headers["ETag"] == gzip_etag(plain.headers["ETag"])
    assert len(packed.body) < len(plain.body) / 3
    # either tag revalidates
    assert published.list_answer("agents", "json", {"if-none-match": packed.headers["ETag"]}, 101.0).status == 304


def test_accept_encoding_and_etag_forms():
    assert accepts_gzip("gzip") and accepts_gzip("deflate, gzip;q=0.5") and accepts_gzip("*")
    assert not accepts_gzip("") and not accepts_gzip("gzip;q=0") and not accepts_gzip("br")
    assert etag_matches("*", '"a"') and etag_matches('W/"a"', '"a"') and not etag_matches('"b"', '"a"')


def test_a_failing_upstream_keeps_the_last_data_with_its_age_and_the_reason():
    published = _published()
    failed = published.snapshot.agents.failed("connection refused for agents from sim", False, 130.0)
    published.receive(published.snapshot.with_feed("agents", failed))
    answer = published.list_answer("agents", "json", {}, 125.0)
    assert answer.status == 200 and json.loads(answer.body)["agent"][0]["agent-id"] == "a1"
    assert answer.headers[STATUS_HEADER] == "stale"
    assert answer.headers[AGE_HEADER] == "25.0"
    assert answer.headers[ERROR_HEADER] == "connection refused for agents from sim"
    assert answer.headers["Cache-Control"] == "max-age=5, must-revalidate"  # the relay's next try


def test_an_overdue_answer_is_stale_even_before_it_fails():
    published = _published()
    answer = published.list_answer("queues", "json", {}, 125.0)  # two intervals (20 s) passed
    assert answer.headers[STATUS_HEADER] == "stale" and ERROR_HEADER in answer.headers


def test_before_any_data_the_relay_answers_503_with_the_reason():
    published = Published(10.0)
    published.receive(Snapshot().with_feed("agents", Feed().failed("cannot resolve the host", False, 112.0)))
    answer = published.list_answer("agents", "json", {}, 100.0)
    assert answer.status == 503 and answer.headers["Retry-After"] == "12"
    assert "cannot resolve the host" in json.loads(answer.body)["message"]
    assert answer.headers[STATUS_HEADER] == "stale"


def test_single_records_and_unknown_ids():
    published = _published()
    answer = published.single_answer("queues", "xml", "7", {}, 101.0)
    assert answer.status == 200 and b"<queue-name>Sales</queue-name>" in answer.body and "ETag" in answer.headers
    assert published.single_answer("agents", "json", "zz", {}, 101.0).status == 404


def test_health_says_live_stale_or_refused_without_any_data():
    published = _published()
    live = published.health(101.0)
    assert live.status == 200 and json.loads(live.body)["status"] == "live"
    assert b"Ann" not in live.body and b"Sales" not in live.body
    published.receive(published.snapshot.with_feed("queues", published.snapshot.queues.failed("HTTP 503", False, 120.0)))
    stale = json.loads(published.health(101.0).body)
    assert stale["status"] == "stale" and stale["queues"]["reason"] == "HTTP 503" and stale["agents"]["status"] == "live"
    published.receive(published.snapshot.with_feed("agents", published.snapshot.agents.failed("token refused", True, None)))
    refused = published.health(101.0)
    assert refused.status == 503 and json.loads(refused.body)["status"] == "refused"


# --- access -----------------------------------------------------------------------------------


def test_basic_auth_as_the_real_service():
    token = Secret(RELAY_TOKEN)
    assert check_basic(_basic("acme", RELAY_TOKEN), "acme", token) is None
    missing = check_basic(None, "acme", token)
    assert missing is not None and missing.status == 401 and "Basic" in missing.headers["WWW-Authenticate"]
    assert check_basic("Bearer abc", "acme", token).status == 401  # type: ignore[union-attr]
    assert check_basic(_basic("acme", "wrong"), "acme", token).status == 403  # type: ignore[union-attr]
    assert check_basic(_basic("other", RELAY_TOKEN), "acme", token).status == 403  # type: ignore[union-attr]
    assert check_basic("Basic %%%", "acme", token).status == 403  # type: ignore[union-attr]


def test_only_loopback_without_tls():
    check_listen("127.0.0.1", None, None)
    check_listen("::1", None, None)
    check_listen("0.0.0.0", "cert.pem", "key.pem")
    with pytest.raises(ConfigError, match="--certfile"):
        check_listen("0.0.0.0", None, None)
    with pytest.raises(ConfigError, match="--certfile"):
        check_listen("192.168.1.5", None, None)
    with pytest.raises(ConfigError, match="needs --certfile"):
        check_listen("127.0.0.1", None, "key.pem")


# --- simulator -> relay -> client, over loopback ----------------------------------------------


async def test_a_board_client_reads_the_same_records_through_the_relay(simulator):
    relay = _relay_for(simulator)
    try:
        url = await _started(relay)
        direct = RealtimeClient(simulator.realtime_url, "demo", "demo")
        for fmt in ("json", "xml"):
            async with RealtimeClient(url, "demo", RELAY_TOKEN, fmt=fmt) as viewer:
                agents, queues = await viewer.agents(), await viewer.queues()
                assert agents.result.records == (await direct.agents()).result.records
                assert queues.result.records == (await direct.queues()).result.records
                assert agents.result.problems == ()
                one = agents.result.records[4]
                assert await viewer.agent(one.agent_id) == one
                assert await viewer.queue(queues.result.records[1].queue_id) == queues.result.records[1]
                with pytest.raises(NotFoundError):
                    await viewer.agent("nobody")
        await direct.aclose()
    finally:
        await _stop(relay)


async def test_viewers_need_the_relay_token_not_the_8x8_token(simulator):
    relay = _relay_for(simulator)
    try:
        url = await _started(relay)
        for tenant, token in (("demo", "demo"), ("demo", "wrong"), ("other", RELAY_TOKEN)):
            async with RealtimeClient(url, tenant, token) as viewer:
                with pytest.raises(AuthError, match="HTTP 403"):
                    await viewer.agents()
        async with httpx.AsyncClient() as raw:
            anonymous = await raw.get(url + "/agents.json")
            assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")
            health = await raw.get(relay.base + "/healthz")
            assert health.status_code == 200 and health.json()["status"] == "live"
    finally:
        await _stop(relay)


async def test_many_viewers_cost_the_simulator_one_request_per_endpoint(simulator):
    """The simulator's clock is fixed (one cache cycle): the relay asks once, whoever asks it."""
    relay = _relay_for(simulator)
    try:
        url = await _started(relay)
        viewers = [RealtimeClient(url, "demo", RELAY_TOKEN) for _ in range(10)]
        for _ in range(3):
            await asyncio.gather(*(viewer.agents() for viewer in viewers), *(viewer.queues() for viewer in viewers))
        # every request the simulator saw is the relay's own poll (one, or two on a slow machine:
        # the next poll is due 5 s later), not one per viewer request
        for name in ("agents", "queues"):
            assert simulator.requests[name] == relay.poller.requests[name] <= 2
        assert relay.served[200] == 20 and relay.served[304] == 40  # viewers revalidate: unchanged, no body
        for viewer in viewers:
            await viewer.aclose()
    finally:
        await _stop(relay)


async def test_revalidation_over_http_gives_304_and_no_body(simulator):
    relay = _relay_for(simulator)
    try:
        url = await _started(relay)
        async with httpx.AsyncClient(auth=("demo", RELAY_TOKEN)) as raw:
            first = await raw.get(url + "/agents.json")
            assert first.status_code == 200 and first.headers["etag"]
            assert first.headers["cache-control"].startswith("max-age=")
            again = await raw.get(url + "/agents.json", headers={"If-None-Match": first.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
            assert again.headers["x-wallboard-status"] == "live"
    finally:
        await _stop(relay)


async def test_when_the_simulator_fails_the_relay_serves_its_last_data_stale_with_the_reason(simulator):
    relay = _relay_for(simulator, interval=0.2)  # polls fast: the failure comes at once
    try:
        url = await _started(relay)
        simulator.faults = "500=1"
        await _until(lambda: relay.published.snapshot.agents.failures > 0)
        async with httpx.AsyncClient(auth=("demo", RELAY_TOKEN)) as raw:
            answer = await raw.get(url + "/agents.json")
            assert answer.status_code == 200 and answer.json()["agent"]
            assert answer.headers["x-wallboard-status"] == "stale"
            assert "HTTP 500" in answer.headers["x-wallboard-error"]
            assert float(answer.headers["x-wallboard-age"]) >= 0
            health = await raw.get(relay.base + "/healthz")
            assert health.status_code == 503 and health.json()["status"] == "stale"
        simulator.faults = ""
        await _until(lambda: relay.published.snapshot.agents.failures == 0)
        async with httpx.AsyncClient(auth=("demo", RELAY_TOKEN)) as raw:
            # live again (at a 0.2 s interval a busy machine can make an answer overdue for a moment)
            async with asyncio.timeout(20):
                while (await raw.get(url + "/agents.json")).headers["x-wallboard-status"] != "live":
                    await asyncio.sleep(0.05)
    finally:
        await _stop(relay)


async def test_before_its_first_answer_a_relay_says_why_with_503():
    with Simulator(seed=1, agents=5, queues=2) as sim:
        sim.faults = "500=1"
        relay = _relay_for(sim, interval=0.2)
        try:
            url = await relay.start()
            await _until(lambda: relay.published.snapshot.agents.failures > 0)
            async with RealtimeClient(url, "demo", RELAY_TOKEN) as viewer:
                with pytest.raises(ServerBusyError, match="no data from 8x8 yet"):
                    await viewer.agents()
        finally:
            await _stop(relay)


async def test_tls_relay_on_another_address_and_a_client_trusting_its_ca(simulator, tmp_path):
    from tests.relay_certs import make_ca_and_server_cert

    ca, cert, key = make_ca_and_server_cert(tmp_path)
    relay = _relay_for(simulator, certfile=str(cert), keyfile=str(key))
    try:
        url = await _started(relay)
        assert url.startswith("https://127.0.0.1:")
        async with RealtimeClient(url.replace("127.0.0.1", "localhost"), "demo", RELAY_TOKEN, ca_bundle=str(ca)) as viewer:
            assert len((await viewer.agents()).result.records) == 30
    finally:
        await _stop(relay)


# --- the command ------------------------------------------------------------------------------


def test_the_command_refuses_plain_http_off_loopback_and_missing_or_reused_tokens(monkeypatch, capsys, tmp_path):
    from wallboard.cli import main

    config = tmp_path / "config.toml"
    config.write_text('tenant = "acme"\nrealtime_url = "https://vcc-na4.8x8.com/api/rtstats/stats"\n')
    assert main(["relay", "--host", "0.0.0.0", "--config", str(config)]) == 2
    assert "--certfile" in capsys.readouterr().err
    monkeypatch.setenv("WALLBOARD_REALTIME_TOKEN", "tok-8x8")
    assert main(["relay", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "wallboard secrets set relay-token" in err and len(err.splitlines()) == 1
    monkeypatch.setenv("WALLBOARD_RELAY_TOKEN", "tok-8x8")
    assert main(["relay", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "relay token is one of the 8x8 secrets" in err and "tok-8x8" not in err


def test_the_command_polls_either_source_and_asks_for_its_secrets(monkeypatch, capsys, tmp_path):
    from wallboard.cli import main

    config = tmp_path / "config.toml"
    config.write_text('tenant = "acme"\n[cc_realtime]\nregion = "eu"\n')
    monkeypatch.setenv("WALLBOARD_RELAY_TOKEN", "tok-relay")
    assert main(["relay", "--source", "cc-realtime", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "wallboard secrets set cc-api-key" in err and "cc-api-secret" in err and "realtime-token" not in err
    monkeypatch.setenv("WALLBOARD_CC_API_KEY", "key-1")
    monkeypatch.setenv("WALLBOARD_CC_API_SECRET", "tok-relay")
    assert main(["relay", "--source", "cc-realtime", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "relay token is one of the 8x8 secrets" in err and "tok-relay" not in err


async def test_a_relay_of_the_v5_source_serves_the_real_time_statistics_shapes(simulator):
    """``wallboard relay --source cc-realtime``: boards behind it read the v5 figures through
    the Real Time Statistics paths, unchanged."""
    from wallboard.clients.ccrealtime import CcRealtimeClient
    from wallboard.config import CC_CACHE_PERIOD
    from wallboard.relay.server import RelayServer

    upstream = CcRealtimeClient(simulator.cc_realtime_url, Secret("demo"), Secret("demo"))
    relay = RelayServer(upstream, "demo", Secret(RELAY_TOKEN), interval=10.0, cache_period=CC_CACHE_PERIOD)
    try:
        url = await _started(relay)
        direct = await upstream.agents()
        async with RealtimeClient(url, "demo", RELAY_TOKEN) as viewer:
            agents, queues = await viewer.agents(), await viewer.queues()
        assert {a.agent_id for a in agents.result.records} == {a.agent_id for a in direct.result.records}
        assert len(queues.result.records) == len(relay.published.snapshot.queues.records) > 0
        assert agents.result.problems == ()
    finally:
        await relay.stop()
        await upstream.aclose()


def test_boards_read_the_relays_headers_and_a_caches_age_adds_to_the_relays():
    from wallboard.core.wire.relayed import read

    assert read({}) is None  # 8x8 itself
    relayed = read({"X-Wallboard-Status": "stale", "X-Wallboard-Age": "42.5", "Age": "3", "X-Wallboard-Error": "HTTP 500\x1b[2J"})
    assert relayed is not None and relayed.age == 45.5 and not relayed.live
    assert "\x1b" not in relayed.error
    odd = read({"X-Wallboard-Status": "sideways", "X-Wallboard-Age": "nan"})
    assert odd is not None and odd.status == "stale" and odd.age == 0.0
    assert read({"X-Wallboard-Status": "live", "X-Wallboard-Age": "1e99"}).age == 30 * 24 * 3600  # type: ignore[union-attr]
