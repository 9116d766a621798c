"""The event stream client against the simulator's stream over real loopback WebSocket:
acks, resume without loss or duplication, refused keys, hostile frames; and the board
showing a pushed change before the next poll."""

from __future__ import annotations

import asyncio
import base64
import json
from contextlib import asynccontextmanager

import pytest

from wallboard.core.wire.events import AgentStatus, Problem, QueueChange, request_token_key
from wallboard.live.events import EventStream, stream_url
from wallboard.sim.simulator import Simulator


@pytest.fixture
def sim():
    # the scenario publishes nothing on its own: each test publishes what it checks
    with Simulator(seed=4, agents=6, queues=2, stream_events=False) as simulator:
        yield simulator


def status_event(agent_id: str, state: int) -> dict:
    return {"AgentStatusChange": {"agentId": agent_id, "newState": state, "msgInfo": {}}}


class Recorder:
    def __init__(self) -> None:
        self.frames = []
        self.states: list[tuple[bool, str]] = []
        self.changed = asyncio.Event()

    def frame(self, frame) -> None:
        self.frames.append(frame)
        self.changed.set()

    def status(self, live: bool, detail: str) -> None:
        self.states.append((live, detail))
        self.changed.set()

    async def until(self, condition, timeout: float = 10.0) -> None:
        async def wait() -> None:
            while not condition():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), timeout)


def start(url: str, key: str, recorder: Recorder) -> tuple[EventStream, asyncio.Task]:
    async def give_key() -> str:
        return key

    stream = EventStream(url, give_key, recorder.frame, recorder.status, first_retry=0.05, max_retry=0.2)
    return stream, asyncio.create_task(stream.run())


async def stop(stream: EventStream, task: asyncio.Task) -> None:
    stream.stop()
    await asyncio.wait_for(task, 10)


async def test_events_arrive_and_every_data_message_is_acknowledged(sim):
    recorder = Recorder()
    stream, task = start(sim.stream_url, "demo", recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    sim.stream.publish(status_event("ag1", 3))
    sim.stream.publish({"Interaction": {"event": "InteractionQueued", "queueId": "111"}})
    sim.stream.inject('{"type":"isEndOfTopic","endOfTopic":false}')  # control: not processed, not acked
    await recorder.until(lambda: len(recorder.frames) == 2)
    await stop(stream, task)
    assert [f.event for f in recorder.frames] == [AgentStatus("ag1", 4, None, None, None, None), QueueChange("111", 1, "", "InteractionQueued")]
    assert sim.stream.acked == 2


async def test_a_dropped_connection_resumes_after_the_last_message_without_loss_or_repeats(sim):
    recorder = Recorder()
    stream, task = start(sim.stream_url, "demo", recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    for n in range(3):
        sim.stream.publish(status_event(f"ag{n}", 4))
    await recorder.until(lambda: len(recorder.frames) == 3)
    sim.stream.drop_connections()
    for n in range(3, 6):  # while the client is away
        sim.stream.publish(status_event(f"ag{n}", 4))
    await recorder.until(lambda: len(recorder.frames) == 6)
    await asyncio.sleep(0.2)  # nothing more comes
    await stop(stream, task)
    assert [f.event.agent_id for f in recorder.frames] == [f"ag{n}" for n in range(6)]
    assert stream.connections == 2 and stream.duplicates == 0
    assert any(not live for live, _ in recorder.states)  # the drop was reported, then live again
    assert "+" in "".join(f.message_id for f in recorder.frames) or "/" in "".join(f.message_id for f in recorder.frames)


async def test_a_replayed_message_is_acknowledged_but_not_applied_twice(sim):
    recorder = Recorder()
    stream, task = start(sim.stream_url, "demo", recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    message = sim.stream.publish(status_event("ag1", 4))
    await recorder.until(lambda: len(recorder.frames) == 1)
    sim.stream.inject(message.frame)  # the same message again, as a server resuming inclusively would
    sim.stream.publish(status_event("ag2", 4))
    await recorder.until(lambda: len(recorder.frames) == 2)
    await stop(stream, task)
    assert [f.event.agent_id for f in recorder.frames] == ["ag1", "ag2"] and stream.duplicates == 1


async def test_keys_the_stream_accepts_and_refuses(sim):
    assert request_token_key("demo", "demo") == base64.b64encode(b"demo:demo").decode()
    recorder = Recorder()
    stream, task = start(sim.stream_url, request_token_key("demo", "demo"), recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    await stop(stream, task)
    refused = Recorder()
    stream, task = start(sim.stream_url, "wrong-key", refused)
    await refused.until(lambda: refused.states)
    await stop(stream, task)
    assert refused.states[0] == (False, refused.states[0][1]) and "refused the key (HTTP 401)" in refused.states[0][1]


async def test_hostile_frames_are_problems_and_a_huge_one_is_skipped_without_a_loop(sim):
    recorder = Recorder()
    stream, task = start(sim.stream_url, "demo", recorder)
    await recorder.until(lambda: recorder.states and recorder.states[-1][0])
    sim.stream.inject("not json at all")
    sim.stream.inject(json.dumps({"messageId": "x1", "payload": base64.b64encode(b'{"Mystery":{}}').decode()}))
    await recorder.until(lambda: len(recorder.frames) == 2)
    assert all(isinstance(f.event, Problem) for f in recorder.frames)
    sim.stream.inject(json.dumps({"messageId": "big", "payload": "A" * (2 * 1024 * 1024)}))
    await recorder.until(lambda: any("too large" in detail for _, detail in recorder.states))
    await recorder.until(lambda: recorder.states[-1][0])  # live again, from the newest message
    sim.stream.publish(status_event("ag9", 4))
    await recorder.until(lambda: any(isinstance(f.event, AgentStatus) for f in recorder.frames))
    await stop(stream, task)
    assert stream.connections == 2  # reconnected once, from the newest: the huge frame did not come back


def test_the_resume_position_is_url_encoded():
    url = stream_url("wss://h/ws/v2/reader/persistent/t/event-v1/all?readerName=wb", "+//+/wAAAAAAAAAB")
    assert url.endswith("readerName=wb&messageId=%2B%2F%2F%2B%2FwAAAAAAAAAB")
    assert stream_url("wss://h/p", None).endswith("messageId=latest")


# --- the board: a pushed change on screen before the next poll ------------------------------


@asynccontextmanager
async def board_with_push(sim: Simulator):
    """A v5 board with push on against ``sim``, once both first polls are in and the stream
    is live: from then on its request count cannot move on its own (a poll an hour away)."""
    from dataclasses import replace

    from tests.helpers.data import fixed_settings
    from tests.helpers.waiting import until
    from wallboard.clients.ccrealtime import CcRealtimeClient
    from wallboard.ui.app import WallboardApp

    settings = replace(fixed_settings(), interval=3600.0, data_source="cc-realtime")
    settings = replace(settings, events=replace(settings.events, enabled=True, url=sim.stream_url))
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
        app = WallboardApp(settings, source=client, cache_period=5.0)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.snapshot.agents.received_mono is not None and app.snapshot.queues.received_mono is not None and app.snapshot.push and app.snapshot.push.live, 10, app=app)
            yield app, pilot


async def test_the_board_shows_a_pushed_change_before_the_next_poll_and_says_push():
    from tests.helpers.board import header
    from tests.helpers.waiting import until

    with Simulator(seed=4, agents=6, queues=2, cycle=5.0, stream_events=False) as sim:
        async with board_with_push(sim) as (app, pilot):
            await until(pilot, lambda: "⚡ push" in header(app), 5, app=app)
            agent = next(a for a in app.snapshot.agents.records if a.state.category != "break")
            requests = dict(sim.requests)
            sim.stream.publish({"AgentStatusChange": {"agentId": agent.agent_id, "newState": 3, "newReasonCodeUser": "20=202", "msgInfo": {}}})
            await until(pilot, lambda: next(a for a in app.snapshot.agents.records if a.agent_id == agent.agent_id).state.label == "On break", 5, app=app)
            assert dict(sim.requests) == requests  # no poll brought it: the stream did
            sim.stream.drop_connections()
            sim.stop()  # the stream goes away for good: polling only, said quietly
            await until(pilot, lambda: not app.snapshot.push.live, 10, app=app)
            await until(pilot, lambda: "⚡ push" not in header(app), 5, app=app)
            assert app.snapshot.push.detail  # the reason, for a wide header (dropped first on this one)
            assert app.snapshot.agents.records  # still the polled data


async def test_the_board_moves_a_queues_waiting_count_on_pushed_interactions_before_the_next_poll():
    from textual.widgets import Digits

    from tests.helpers.board import tiles
    from tests.helpers.waiting import until

    with Simulator(seed=4, agents=6, queues=2, cycle=5.0, stream_events=False) as sim:
        async with board_with_push(sim) as (app, pilot):
            await pilot.press("2")
            await until(pilot, lambda: len(tiles(app)) == 2, 5, app=app)
            queue = app.snapshot.queues.records[0]
            polled = queue.queue_size
            assert polled is not None

            def waiting() -> int | None:
                return next(q for q in app.snapshot.queues.records if q.queue_id == queue.queue_id).queue_size

            def tile_shows() -> str:
                tile = next(t for t in tiles(app) if t.queue_id == queue.queue_id)
                return tile.query_one("#waiting", Digits).value

            await until(pilot, lambda: tile_shows() == str(polled), 5, app=app)
            requests = dict(sim.requests)
            guid = "int-1-test-phone-00-demo"
            sim.stream.publish({"Interaction": {"event": "InteractionQueued", "queueId": queue.queue_id, "interactionGUID": guid}})
            await until(pilot, lambda: waiting() == polled + 1 and tile_shows() == str(polled + 1), 5, app=app)
            sim.stream.publish({"Interaction": {"event": "InteractionAssigned", "queueId": queue.queue_id, "interactionGUID": guid}})
            await until(pilot, lambda: waiting() == polled and tile_shows() == str(polled), 5, app=app)
            assert dict(sim.requests) == requests  # no poll brought either change: the stream did
            assert app.pusher is not None and app.pusher.status.applied == 2
