"""The board against answers beyond the parse bounds, and against slow answers.

The issue's board took 1.76 GB on 1.5 million minimal agents, said ``STALE 4m 02s │ ● live``
with no reason, and asked nothing for minutes after the server was fixed. Here a hostile
server sends an answer over the record limit (refused at once, with the reason on the
banner, the last good agents kept), then heals: the board asks again at its normal
back-off pace and is live at the first good answer. Throughout, the header never says
live beside STALE. On the virtual clock, with the server in-process, so "at its pace" is
checked exactly.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.helpers.board import agent_rows, banner, header
from tests.helpers.live import live_board
from tests.helpers.waiting import until
from wallboard.core.wire.payload import MAX_RECORDS
from wallboard.sim.server import Response, SimServer

AGENTS = 30

GOOD_AGENTS = json.dumps(
    {"agent": [{"agent-id": f"a{i}", "agent-name": f"Agent {i}", "agent-status": 1} for i in range(AGENTS)]}
).encode()
QUEUES = json.dumps({"queue": [{"queue-id": "1", "queue-name": "Sales"}]}).encode()
HEAVY = b'{"agent":[' + b",".join([b"{}"] * (MAX_RECORDS + 1)) + b"]}"  # 150 KB of empty agents


class Switchable(SimServer):
    def __init__(self) -> None:
        super().__init__()
        self.body = GOOD_AGENTS
        self.add_route("GET", r"/api/rtstats/stats/agents\.json", "agents", lambda r: Response(200, self.body))
        self.add_route("GET", r"/api/rtstats/stats/queues\.json", "queues", lambda r: Response(200, QUEUES))


def never_live_and_stale(app) -> bool:
    text = header(app)
    assert not ("STALE" in text and "● live" in text), text
    return True


@pytest.mark.virtual_time
async def test_an_answer_over_the_record_limit_is_refused_and_the_board_recovers_at_its_pace():
    server = Switchable()
    async with live_board(server) as (app, pilot, recorder):
        await until(pilot, lambda: len(agent_rows(app)) == AGENTS, timeout=1.0, app=app)
        server.body = HEAVY
        await until(
            pilot,
            lambda: never_live_and_stale(app) and "more than 50,000 agents; refused" in (banner(app) or ""),
            timeout=2.0,
            what="the refusal on the banner",
            app=app,
        )
        assert len(agent_rows(app)) == AGENTS, "the last good agents stay on screen"
        assert "STALE" in header(app) and "● live" not in header(app)
        server.body = GOOD_AGENTS
        healed = asyncio.get_running_loop().time()
        await until(
            pilot,
            lambda: never_live_and_stale(app) and banner(app) is None and "● live" in header(app),
            timeout=5.0,
            what="live again",
            app=app,
        )
        recorder.recovery(healed, "agents")
