"""Hostile servers, for tests of what the clients and the board must not trust.

They are :class:`~wallboard.sim.server.SimServer` instances: ``with server:`` serves them
on loopback, and :func:`tests.helpers.sim_transport.SimTransport` serves them in-process
on the virtual clock.

:func:`realtime_server` answers agents and queues with fixed bodies. For Work Analytics,
:func:`serve_call_records` logs anyone in and answers ``v2/call-records`` (under ``/w``)
with whatever a test's function makes of each request; :func:`numbered_pages` turns a
function of the page number into such an answer, ending with "No Data".
"""

from __future__ import annotations

import json
from typing import Any, Callable

from tests.helpers.data import FIXTURES
from wallboard.sim.server import Request, Response, SimServer

TOKEN = json.dumps({"access_token": "t", "token_type": "bearer", "expires_in": 1800}).encode()
VENDOR_RECORDS: list[dict] = json.loads((FIXTURES / "vendor_call_records.json").read_text())["data"]
"""The two call records of the vendor's documented example."""


def realtime_server(agents_body: bytes, queues_body: bytes) -> SimServer:
    """A real-time statistics service (JSON) that answers ``agents_body`` and ``queues_body``."""
    server = SimServer()
    server.add_route("GET", r"/api/rtstats/stats/agents\.json", "agents", lambda r: Response(200, agents_body))
    server.add_route("GET", r"/api/rtstats/stats/queues\.json", "queues", lambda r: Response(200, queues_body))
    return server


def serve_call_records(answer: Callable[[Request], dict]) -> SimServer:
    """A server whose call records are ``answer(request)`` (a ``{"meta", "data"}`` page)."""
    server = SimServer()
    server.add_route("POST", r"/w/v1/oauth/token", "token", lambda request: Response(200, TOKEN))
    server.add_route("GET", r"/w/v2/call-records", "analytics", lambda request: Response(200, json.dumps(answer(request)).encode()))
    return server


def numbered_pages(records_for_page: Callable[[int], list[Any]], total: int | None = None) -> Callable[[Request], dict]:
    """Pages 0, 1, 2, ... from ``records_for_page(n)``; an empty list ends with "No Data"."""

    def answer(request: Request) -> dict:
        number = int(request.arg("scrollId") or 0)
        data = records_for_page(number)
        meta: dict[str, Any] = {"scrollId": str(number + 1) if data else "No Data"}
        if total is not None:
            meta["totalRecordCount"] = total
        return {"meta": meta, "data": data}

    return answer
