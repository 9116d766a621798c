"""The event stream's pure core: frames and events (the documented samples verbatim),
hostile frames, and pushed changes laid over polled snapshots."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest

from wallboard.core.model.push import PushOverlay
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Snapshot
from wallboard.core.wire.events import (
    MAX_FRAME_BYTES,
    AgentStatus,
    Control,
    Ignored,
    Problem,
    QueueChange,
    ack,
    read_event,
    read_frame,
)

AGENT_STATUS_SAMPLE = """{"AgentStatusChange":{"agentId":"ag…","newState":5,"newSubState":"none","newSubStateReason":"none",
  "newReasonCodeUser":"801=1722","statusEventTS":1669235544,
  "msgInfo":{"instanceId":"…","sequenceId":215,"timestamp":1669235544917}}}"""
FRAME_SAMPLE = {"messageId": "CAEQAQ==", "payload": "", "properties": {}, "publishTime": "2025-10-15T09:30:00.000Z", "redeliveryCount": 0}


def frame(event: object, message_id: str = "CAEQAQ==") -> str:
    payload = event if isinstance(event, str) else json.dumps(event)
    return json.dumps({**FRAME_SAMPLE, "messageId": message_id, "payload": base64.b64encode(payload.encode()).decode()})


def test_the_documented_agent_status_change():
    read = read_frame(frame(AGENT_STATUS_SAMPLE))
    assert read.message_id == "CAEQAQ=="
    assert read.event == AgentStatus("ag…", 5, 801, 1722, 1669235544.917, 215)  # 5: WORK_OFFLINE (REST table)
    assert ack("CAEQAQ==") == '{"messageId": "CAEQAQ=="}'


def test_an_empty_msginfo_falls_back_to_the_seconds_timestamp():
    event = read_event({"AgentStatusChange": {"agentId": "ag1", "newState": 4, "statusEventTS": 1669235544, "msgInfo": {}}})
    assert event == AgentStatus("ag1", 0, None, None, 1669235544.0, None)


def test_logged_in_and_unknown_are_not_states_to_show_and_new_codes_are_kept():
    assert isinstance(read_event({"AgentStatusChange": {"agentId": "a", "newState": 2}}), Ignored)
    assert read_event({"AgentStatusChange": {"agentId": "a", "newState": 42}}).state == "stream 42"  # Unknown (stream 42)


def test_interactions_move_a_queues_waiting_count():
    queued = read_event({"Interaction": {"event": "InteractionQueued", "queueId": 103, "interactionGUID": "int-1", "callState": "CS_QUEUED"}})
    assert queued == QueueChange("103", 1, "int-1", "InteractionQueued")
    assert read_event({"Interaction": {"event": "InteractionUnqueued", "queueId": "103"}}).delta == -1
    assert isinstance(read_event({"Interaction": {"event": "LineHoldStatus", "status": True}}), Ignored)


def test_control_frames_are_not_data():
    assert read_frame('{"type":"isEndOfTopic","endOfTopic":false}').event == Control("isEndOfTopic")
    assert read_frame('{"type":"isEndOfTopic"}').message_id is None


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1,2]",
        json.dumps({"payload": "e30="}),  # no messageId
        json.dumps({"messageId": "x", "payload": "%%%not base64"}),
        frame({"eventId": "1", "eventType": "agent.login", "data": {}}),  # the getting-started shape
        frame({"Mystery": {}}),
        frame({"AgentStatusChange": {"newState": 4}}),
        frame({"AgentStatusChange": {"agentId": "a", "newState": "busy"}}),
        frame({"Interaction": {"event": "InteractionQueued"}}),
        frame("[]"),
    ],
)
def test_hostile_frames_are_problems_never_exceptions(text):
    assert isinstance(read_frame(text).event, Problem)


def test_a_huge_frame_is_refused_before_parsing():
    assert isinstance(read_frame(b"x" * (MAX_FRAME_BYTES + 1)).event, Problem)


def test_a_hostile_agent_id_is_cleaned():
    event = read_event({"AgentStatusChange": {"agentId": "ag\x1b[31mX", "newState": 4}})
    assert "\x1b" not in event.agent_id


# --- the overlay -----------------------------------------------------------------------------


def snapshot(status: int, received: float, waiting: int = 3) -> Snapshot:
    agents = Feed().succeeded((Agent("ag1", "Ann", status=status, time_in_status=100), Agent("ag2", "Bo", status=0, time_in_status=5)), 0.0, received)
    queues = Feed().succeeded((Queue("103", "Sales", queue_size=waiting),), 0.0, received)
    return Snapshot(agents, queues, interval=5.0)


def test_a_pushed_change_shows_at_once_and_counts_its_time_from_the_change():
    overlay = PushOverlay(period=5.0)
    polled = snapshot(0, received=10.0)
    overlay.agent_status("ag1", 4, mono=12.0, reason_list=20, reason_item=201)
    merged = overlay.merge(polled)
    ann = merged.agents.records[0]
    assert ann.state.label == "On break" and ann.status_code_item_id == 201
    assert ann.time_in_status + (15.0 - merged.agents.records_since) == pytest.approx(3.0)  # at 15 s: 3 s after the change
    assert merged.agents.records[1] == polled.agents.records[1]
    assert merged.agents.version > polled.agents.version


def test_a_poll_from_before_the_cache_saw_the_change_cannot_undo_it_but_a_later_one_is_the_authority():
    overlay = PushOverlay(period=5.0, margin=1.0)
    overlay.agent_status("ag1", 4, mono=12.0)
    assert overlay.merge(snapshot(0, received=14.0)).agents.records[0].status == 4  # the old cache: still pushed
    corrected = overlay.merge(snapshot(2, received=18.5))  # answered > period + margin after: authoritative
    assert corrected.agents.records[0].status == 2 and overlay.pending == 0


def test_queue_waiting_counts_move_with_interactions_and_never_below_zero():
    overlay = PushOverlay(period=5.0)
    overlay.queue_delta("103", 1, 11.0)
    overlay.queue_delta("103", 1, 11.5)
    assert overlay.merge(snapshot(0, 10.0, waiting=3)).queues.records[0].queue_size == 5
    for _ in range(9):
        overlay.queue_delta("103", -1, 12.0)
    assert overlay.merge(snapshot(0, 10.0, waiting=3)).queues.records[0].queue_size == 0


def test_versions_only_grow_so_views_redraw_when_a_change_is_dropped():
    overlay = PushOverlay(period=5.0)
    first = overlay.merge(snapshot(0, 10.0))
    overlay.agent_status("ag1", 4, 12.0)
    pushed = overlay.merge(snapshot(0, 10.0))
    dropped = overlay.merge(Snapshot(pushed.agents.succeeded(snapshot(4, 20.0).agents.records, 0.0, 20.0), pushed.queues, 5.0))
    assert first.agents.version < pushed.agents.version < dropped.agents.version


def test_a_dropped_change_moves_the_version_even_when_the_confirming_poll_is_unchanged():
    """A wrong push (the poll still says 0 after a cache period): the records go back to the
    poll's, under a new version, so views and the relay's rendered bodies follow."""
    overlay = PushOverlay(period=5.0)
    polled = overlay.merge(snapshot(0, 10.0))
    overlay.agent_status("ag1", 4, 12.0)
    pushed = overlay.merge(polled)
    confirmed = Snapshot(polled.agents.succeeded(polled.agents.records, 0.0, 20.0), polled.queues, 5.0)
    assert confirmed.agents.version == 1  # the same records: the poll alone does not move it
    dropped = overlay.merge(confirmed)
    assert dropped.agents.records == polled.agents.records and dropped.agents.version > pushed.agents.version


def test_the_header_says_push_live_down_and_what_it_skipped():
    from wallboard.core.model.snapshot import PushStatus
    from wallboard.core.views.header import header_parts
    from wallboard.core.views.totals import totals

    def texts(push):
        shot = replace(snapshot(0, 10.0), push=push)
        return [part.text for part in header_parts("acme", shot, totals(shot.agents.records, shot.queues.records), 0.0, 11.0, None)]

    assert "⚡ push" in texts(PushStatus(live=True))
    down = texts(PushStatus(live=False, detail="cannot reach the stream (OSError); reconnecting in 4s"))
    assert "⚡ push" not in down and "polling only: cannot reach the stream (OSError); reconnecting in 4s" in down
    assert "push skipped 2: an event of unknown type 'Mystery' was skipped" in texts(
        PushStatus(live=True, problems=2, last_problem="an event of unknown type 'Mystery' was skipped"))
    assert not any("push" in text for text in texts(None))


def test_a_topic_resumes_after_an_id_and_keeps_only_so_many_frames_or_bytes():
    from wallboard.core.wire.topic import Topic

    topic = Topic(retained=3, retained_bytes=10)
    for n in range(4):
        topic.append(f"m{n}", "ab")
    assert [m.message_id for m in topic.log] == ["m1", "m2", "m3"]  # by count
    assert [m.message_id for m in topic.after(topic.start_after("m1"), 10)] == ["m2", "m3"]
    assert topic.after(topic.start_after("latest"), 10) == []
    assert [m.message_id for m in topic.after(topic.start_after("earliest"), 2)] == ["m1", "m2"]
    assert topic.start_after("m0") == topic.sequence  # no longer retained: from the newest
    topic.append("big", "x" * 9)
    assert [m.message_id for m in topic.log] == ["big"] and topic.size == 9  # by size, never below the newest
