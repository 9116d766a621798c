"""Records that share an id: each keeps a key of its own, and the repeat is reported.

A server that sends two different agents under one ``agent-id`` made Enter on the second
open the first one's detail; two queues under one id became one tile while the header
added both. Now a later record under a known id is keyed by its place among the repeats
(``dup (2)``), an exact repeat is counted once, and both are noted as problems.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers.live import live_board
from tests.helpers.waiting import until
from tests.helpers.board import agent_rows, grid
from tests.helpers.hostile import realtime_server
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.ui.screens.detail import AgentDetailScreen, QueueDetailScreen
from wallboard.ui.widgets.queue_tile import QueueTile

AGENTS = [
    {"agent-id": "ann", "agent-name": "Ann Alpha", "agent-status": 1},
    {"agent-id": "dup", "agent-name": "Dora First", "agent-status": 1},
    {"agent-id": "dup", "agent-name": "Dan Second", "agent-status": 3},
    {"agent-id": "dup", "agent-name": "Dora First", "agent-status": 1},  # the first again, exactly
]
QUEUES = [
    {"queue-id": "7", "queue-name": "Sales", "queue-size": 2},
    {"queue-id": "7", "queue-name": "Support", "queue-size": 5},
]


def test_repeated_ids_are_keyed_by_their_place_and_reported():
    result = parse_agents(json.dumps({"agent": AGENTS}), "json")
    assert [(a.agent_id, a.name) for a in result.records] == [("ann", "Ann Alpha"), ("dup", "Dora First"), ("dup (2)", "Dan Second")]
    assert result.problems == (
        "agent #3 repeats agent-id 'dup'; shown as 'dup (2)'",
        "agent #4 repeats an earlier agent-id 'dup' exactly; dropped",
    )
    assert result.skipped == 1
    queues = parse_queues(json.dumps({"queue": QUEUES}), "json")
    assert [(q.queue_id, q.name) for q in queues.records] == [("7", "Sales"), ("7 (2)", "Support")]


def test_a_made_up_key_never_takes_a_real_id():
    records = [{"agent-id": "x", "agent-name": "One"}, {"agent-id": "x (2)", "agent-name": "Real"}, {"agent-id": "x", "agent-name": "Two"}]
    ids = [a.agent_id for a in parse_agents(json.dumps(records), "json").records]
    assert ids == ["x", "x (2)", "x (3)"]


def test_a_numbered_key_stays_within_the_text_limit():
    from wallboard.core.text import MAX_TEXT_LENGTH

    long = "L" * MAX_TEXT_LENGTH
    records = [{"agent-id": long, "agent-name": "One"}, {"agent-id": long, "agent-name": "Two"}]
    ids = [a.agent_id for a in parse_agents(json.dumps(records), "json").records]
    assert ids == [long, "L" * (MAX_TEXT_LENGTH - 5) + "… (2)"]
    assert all(len(key) <= MAX_TEXT_LENGTH for key in ids)


@pytest.mark.virtual_time
async def test_enter_on_a_repeated_agent_opens_that_agent_and_each_queue_has_its_tile():
    server = realtime_server(json.dumps({"agent": AGENTS}).encode(), json.dumps({"queue": QUEUES}).encode())
    async with live_board(server, size=(120, 36)) as (app, pilot, recorder):
        await until(pilot, lambda: len(agent_rows(app)) == 3 and len(app.snapshot.queues.records) == 2, app=app)
        for _ in range(3):  # rows are sorted by name: Ann, Dan, Dora
            if grid(app).cursor_agent.name == "Dan Second":
                break
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, AgentDetailScreen)
        assert "Dan Second" in str(app.screen.query_one("#title").render())
        await pilot.press("escape")
        assert grid(app).cursor_agent.name == "Dan Second", "back on the same row"

        await pilot.press("2")
        await until(pilot, lambda: len(app.board.query(QueueTile)) == 2, app=app, what="a tile per queue")
        titles = sorted(str(tile.border_title) for tile in app.board.query(QueueTile))
        assert titles == ["Sales", "Support"]
        support = next(tile for tile in app.board.query(QueueTile) if str(tile.border_title) == "Support")
        app.set_focus(support)
        await pilot.press("enter")
        assert isinstance(app.screen, QueueDetailScreen)
        assert "Support" in str(app.screen.query_one("#title").render())
