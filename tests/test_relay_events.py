"""`wallboard relay` with the event stream, over real loopback HTTP and WebSocket:
simulator (polled API and stream) -> relay (one poller, one stream connection) -> boards.

The simulator runs on the fixed clock: its cache never refreshes, so whatever changes in
what the relay serves was brought by the stream, not by a poll."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from dataclasses import replace

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.helpers.relay import RELAY_TOKEN, relay_for, started, stop, until_true
from tests.test_event_stream import Recorder, start as start_reader, status_event, stop as stop_reader
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.wire.events import AgentStatus
from wallboard.core.wire.events import request_token_key
from wallboard.live.push import relay_stream_url, stream_address
from wallboard.relay.published import Published

VIEWER_KEY = request_token_key("demo", RELAY_TOKEN)


@pytest.fixture
async def relay(simulator):
    """A relay of ``simulator`` with its event stream live (tests that build another relay
    do not take this fixture)."""
    relay = relay_for(simulator, events_url=simulator.stream_url)
    try:
        await started(relay)
        await until_true(lambda: relay.pusher.status.live)
        yield relay
    finally:
        await stop(relay)


async def _refused(url: str, headers: dict[str, str]):
    """The HTTP answer that refused a WebSocket upgrade at ``url`` (fails if it was accepted)."""
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers=headers, proxy=None):
            pass
    return refused.value.response


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the relay serves pushed changes between its polls ---------------------------------------


async def test_a_pushed_change_reaches_what_the_relay_serves_before_its_next_poll(simulator, relay):
    url = relay.url
    async with RealtimeClient(url, "demo", RELAY_TOKEN, fmt="json") as viewer, httpx.AsyncClient(auth=("demo", RELAY_TOKEN)) as raw:
        before = await raw.get(url + "/agents.json")
        agent = next(a for a in (await viewer.agents()).result.records if a.state.category != "break")
        queue = (await viewer.queues()).result.records[0]
        polls = dict(relay.poller.requests)
        simulator.stream.publish({"AgentStatusChange": {"agentId": agent.agent_id, "newState": 3, "newReasonCodeUser": "20=202", "msgInfo": {}}})
        simulator.stream.publish({"Interaction": {"event": "InteractionQueued", "queueId": queue.queue_id}})
        await until_true(lambda: relay.pusher.status.applied == 2)
        agents, queues = await viewer.agents(), await viewer.queues()
        assert not agents.not_modified  # the board's If-None-Match no longer matches: a new body
        served = next(a for a in agents.result.records if a.agent_id == agent.agent_id)
        assert served.state.label == "On break" and served.status_code_item_id == 202
        assert next(q for q in queues.result.records if q.queue_id == queue.queue_id).queue_size == queue.queue_size + 1
        assert dict(relay.poller.requests) == polls  # no poll of 8x8 brought it
        after = await raw.get(url + "/agents.json", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert after.headers["cache-control"] == "max-age=0, must-revalidate"  # may change any moment now


def test_last_modified_moves_with_a_pushed_change_and_not_with_an_unchanged_poll():
    from wallboard.core.model.realtime import Agent
    from wallboard.core.model.snapshot import Feed, Snapshot

    published = Published(10.0)
    feed = Feed().succeeded((Agent(agent_id="a1", name="Ann", status=0),), 1_000.0, 100.0)
    polled = Snapshot(agents=feed, queues=Feed().succeeded((), 1_000.0, 100.0))
    published.receive(polled, wall=1_003.0)
    assert published.list_answer("agents", "json", {}, 101.0).headers["Last-Modified"] == "Thu, 01 Jan 1970 00:16:40 GMT"
    pushed = replace(polled, agents=replace(feed, records=(Agent(agent_id="a1", name="Ann", status=4),), version=feed.version + 1))
    published.receive(pushed, wall=1_007.0)
    assert published.list_answer("agents", "json", {}, 101.0).headers["Last-Modified"] == "Thu, 01 Jan 1970 00:16:47 GMT"
    published.receive(pushed, wall=1_009.0)  # the same version again: nothing changed
    assert published.list_answer("agents", "json", {}, 101.0).headers["Last-Modified"] == "Thu, 01 Jan 1970 00:16:47 GMT"
    # a poll with the same records that drops the pushed change: the body changes now, not at the records' time
    confirmed = replace(polled, agents=replace(feed.succeeded(feed.records, 1_010.0, 110.0), version=feed.version + 2))
    published.receive(confirmed, wall=1_010.0)
    assert published.list_answer("agents", "json", {}, 111.0).headers["Last-Modified"] == "Thu, 01 Jan 1970 00:16:50 GMT"


async def test_the_relay_keeps_serving_polled_data_when_the_upstream_stream_is_down(simulator):
    relay = relay_for(simulator, events_url=f"ws://127.0.0.1:{_closed_port()}/ws/v2/reader/persistent/demo/event-v1/all")
    try:
        url = await started(relay)
        await until_true(lambda: relay.pusher.status.detail)  # it tried, and says why it could not
        assert not relay.pusher.status.live and "cannot reach the stream" in relay.pusher.status.detail
        async with httpx.AsyncClient(auth=("demo", RELAY_TOKEN)) as raw:
            answer = await raw.get(url + "/agents.json")
            assert answer.status_code == 200 and len(answer.json()["agent"]) == 30
            assert answer.headers["x-wallboard-status"] == "live"  # the polled data is live
            assert answer.headers["cache-control"] != "max-age=0, must-revalidate"
        # a viewer of the relay's stream is told the stream is down, not held on a silent socket
        refused = await _refused(relay.events_url, {"X-API-Key": VIEWER_KEY})
        assert refused.status_code == 503 and b"polling the relay still works" in refused.body
        async with httpx.AsyncClient() as raw:  # monitoring sees it, but the relay is healthy: its data is live
            health = await raw.get(relay.base + "/healthz")
        assert health.status_code == 200 and health.json()["events"]["status"] == "down"
        assert "cannot reach the stream" in health.json()["events"]["reason"]
    finally:
        await stop(relay)


# --- the relay re-serves the stream ------------------------------------------------------------


async def test_a_board_behind_the_relay_receives_the_re_served_events_and_resumes_after_its_last(simulator, relay):
    recorder = Recorder()
    reader, task = start_reader(relay.events_url, VIEWER_KEY, recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    published = [simulator.stream.publish(status_event(f"ag{n}", 4)) for n in range(3)]
    await recorder.until(lambda: len(recorder.frames) == 3)
    assert [f.message_id for f in recorder.frames] == [m.message_id for m in published]  # 8x8's ids, passed on
    assert [f.event for f in recorder.frames] == [AgentStatus(f"ag{n}", 0, None, None, None, None) for n in range(3)]
    await until_true(lambda: relay.relayed.acked == 3)  # the viewer acked the relay; the relay acked 8x8
    await until_true(lambda: simulator.stream.acked == 3)
    last = reader.last_id
    await stop_reader(reader, task)
    for n in range(3, 5):  # while the board is away
        simulator.stream.publish(status_event(f"ag{n}", 4))
    await until_true(lambda: relay.relayed.topic.sequence == 5)
    again = Recorder()
    reader, task = start_reader(relay.events_url, VIEWER_KEY, again)
    reader.last_id = last  # resume as a reconnecting board does: messageId=<its last id>
    await again.until(lambda: len(again.frames) == 2)
    await asyncio.sleep(0.1)  # nothing more comes
    await stop_reader(reader, task)
    assert [f.event.agent_id for f in again.frames] == ["ag3", "ag4"] and reader.duplicates == 0
    assert simulator.requests["stream"] == 1  # one upstream connection, however many viewers
    async with httpx.AsyncClient() as raw:
        assert (await raw.get(relay.base + "/healthz")).json()["events"] == {"status": "live"}


async def test_when_8x8s_stream_drops_the_relays_viewers_are_told_and_miss_nothing_after(simulator, relay):
    recorder = Recorder()
    reader, task = start_reader(relay.events_url, VIEWER_KEY, recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    simulator.stream.publish(status_event("ag0", 4))
    await recorder.until(lambda: len(recorder.frames) == 1)
    simulator.stream.drop_connections()  # the relay's own connection to 8x8 drops
    simulator.stream.publish(status_event("ag1", 4))  # while the relay is away from 8x8
    await recorder.until(lambda: any(not live for live, _ in recorder.states))  # the board was told: polling only
    simulator.stream.publish(status_event("ag2", 4))
    await recorder.until(lambda: len(recorder.frames) == 3, timeout=20)  # both hops resumed after their last id
    await asyncio.sleep(0.1)  # nothing more comes
    await stop_reader(reader, task)
    assert [f.event.agent_id for f in recorder.frames] == ["ag0", "ag1", "ag2"] and reader.duplicates == 0
    assert simulator.requests["stream"] == 2 and reader.connections >= 2


async def test_wrong_relay_credentials_on_the_websocket_are_refused(simulator, relay):
    eight_by_eight = request_token_key("demo", "demo")  # the 8x8 token: not the relay's key
    wrong = (
        ({"X-API-Key": eight_by_eight}, relay.events_url, 401),
        ({"X-API-Key": request_token_key("demo", "wrong")}, relay.events_url, 401),
        ({}, relay.events_url, 401),
        ({"Authorization": "Basic " + base64.b64encode(b"demo:demo").decode()}, relay.events_url, 401),
        ({"X-API-Key": VIEWER_KEY}, relay.events_url.replace("/demo/", "/other/"), 403),
    )
    for headers, url, status in wrong:
        refused = await _refused(url, headers)
        assert refused.status_code == status and RELAY_TOKEN.encode() not in refused.body
    # the right pair, in each form 8x8's stream takes
    for headers, url in (
        ({"x-api-key": VIEWER_KEY}, relay.events_url),
        ({}, relay.events_url + "?x-api-key=" + VIEWER_KEY.replace("=", "%3D")),
        ({"Authorization": "Basic " + base64.b64encode(f"demo:{RELAY_TOKEN}".encode()).decode()}, relay.events_url),
    ):
        async with connect(url, additional_headers=headers, proxy=None) as viewer:
            simulator.stream.publish(status_event("ag1", 3))
            frame = json.loads(await asyncio.wait_for(viewer.recv(), 10))
            await viewer.send(json.dumps({"messageId": frame["messageId"]}))
    assert relay.relayed.connections == 3


async def test_a_relay_without_events_says_so_on_its_stream_path(simulator):
    relay = relay_for(simulator)
    try:
        url = await started(relay)
        assert relay.events_url is None
        refused = await _refused(relay_stream_url(url, "demo"), {"X-API-Key": VIEWER_KEY})
        assert refused.status_code == 404 and b"[events] enabled = true" in refused.body
    finally:
        await stop(relay)


def test_a_board_behind_a_relay_finds_the_relays_stream_by_itself():
    from tests.helpers.data import fixed_settings

    behind = fixed_settings(tenant="demo", realtime_url="https://relay.example:8089/api/rtstats/stats")
    behind = replace(behind, events=replace(behind.events, enabled=True))
    assert stream_address(behind) == "wss://relay.example:8089/ws/v2/reader/persistent/demo/event-v1/all"
    plain = replace(behind, realtime_url="http://127.0.0.1:8089/api/rtstats/stats")
    assert stream_address(plain) == "ws://127.0.0.1:8089/ws/v2/reader/persistent/demo/event-v1/all"
    assert relay_stream_url("https://vcc-na99.8x8.com/api/rtstats/stats", "demo") is None  # 8x8's own: the region table


# --- a whole board behind the relay: push with no 8x8 secret on its machine -----------------


async def test_a_board_behind_the_relay_shows_a_pushed_change_before_its_next_poll_and_says_push(simulator, relay):
    from tests.helpers.board import header
    from tests.helpers.data import fixed_settings
    from tests.helpers.waiting import until
    from wallboard.ui.app import WallboardApp

    url = relay.url
    settings = replace(fixed_settings(tenant="demo", realtime_url=url), interval=3600.0)
    settings = replace(settings, events=replace(settings.events, enabled=True))  # no url: the relay's, found by itself
    async with RealtimeClient(url, "demo", RELAY_TOKEN) as client:
        app = WallboardApp(settings, source=client)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.snapshot.agents.received_mono is not None and app.snapshot.queues.received_mono is not None and app.snapshot.push and app.snapshot.push.live, 10, app=app)
            await until(pilot, lambda: "⚡ push" in header(app), 5, app=app)
            agent = next(a for a in app.snapshot.agents.records if a.state.category != "break")
            served = dict(relay.served)
            simulator.stream.publish({"AgentStatusChange": {"agentId": agent.agent_id, "newState": 3, "msgInfo": {}}})
            await until(pilot, lambda: next(a for a in app.snapshot.agents.records if a.agent_id == agent.agent_id).state.label == "On break", 5, app=app)
            assert dict(relay.served) == served  # no poll of the relay brought it: the relay's stream did


def test_the_command_connects_the_stream_with_events_on_and_says_where_it_cannot(monkeypatch, capsys, tmp_path):
    from wallboard.cli import main
    from wallboard.cli import relay as relay_command

    monkeypatch.setenv("WALLBOARD_REALTIME_TOKEN", "tok-8x8")
    monkeypatch.setenv("WALLBOARD_RELAY_TOKEN", "tok-relay")
    config = tmp_path / "config.toml"
    config.write_text('tenant = "acme"\nrealtime_url = "https://vcc-na99.8x8.com/api/rtstats/stats"\n')
    assert main(["relay", "--events", "--config", str(config)]) == 2  # a cluster without a published stream host
    err = capsys.readouterr().err
    assert "set events.url" in err and len(err.splitlines()) == 1
    started = []

    async def fake_relay(args, settings, credential, relay_token, events_url=None):
        started.append(events_url)

    monkeypatch.setattr(relay_command, "_relay", fake_relay)
    config.write_text('tenant = "acme"\nrealtime_url = "https://vcc-eu4.8x8.com/api/rtstats/stats"\n[events]\nenabled = true\n')
    assert main(["relay", "--config", str(config)]) == 0
    config.write_text('tenant = "acme"\nrealtime_url = "https://vcc-eu4.8x8.com/api/rtstats/stats"\n')
    assert main(["relay", "--config", str(config)]) == 0
    assert started == ["wss://pulsar-ws-euw2.8x8.com/ws/v2/reader/persistent/acme/event-v1/all", None]
