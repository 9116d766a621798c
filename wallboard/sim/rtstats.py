"""The Real Time Statistics endpoints of the simulator (``/api/rtstats/stats``).

Paths, suffixes (``.json``, ``.xml``, none meaning XML), Basic auth (401 without
credentials, 403 with wrong ones), 404 for unknown ids, and answers taken from the
scenario's current cache cycle: within one cycle every answer is byte-for-byte the same.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import threading
from urllib.parse import unquote

from wallboard.core.wire.rtstats_render import CONTENT_TYPES, list_body, single_body
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.server import Request, Response, SimServer
from wallboard.urls import REALTIME_PATH
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

class RealtimeEndpoints:
    """Answers rtstats requests from a scenario, caching each body for its cycle."""

    def __init__(self, scenario: RealtimeScenario, tenant: str, token: str) -> None:
        self.scenario = scenario
        self.tenant = tenant
        self.token = token
        self._cache: dict[tuple[str, str], bytes] = {}
        self._cache_cycle = -1
        self._lock = threading.Lock()

    def install(self, server: SimServer) -> None:
        base = REALTIME_PATH
        suffix = r"(?:\.(?P<fmt>json|xml))?"
        server.add_route("GET", rf"{base}/agents{suffix}", "agents", self.agents)
        server.add_route("GET", rf"{base}/queues{suffix}", "queues", self.queues)
        server.add_route("GET", rf"{base}/agent/(?P<id>[^/]+?){suffix}", "agents", self.agent)
        server.add_route("GET", rf"{base}/queue/(?P<id>[^/]+?){suffix}", "queues", self.queue)

    # --- handlers -----------------------------------------------------------------------

    def agents(self, request: Request) -> Response:
        return self._list(request, "agents", "agent", lambda: agents_wire(self.scenario))

    def queues(self, request: Request) -> Response:
        return self._list(request, "queues", "queue", lambda: queues_wire(self.scenario))

    def agent(self, request: Request) -> Response:
        return self._single(request, "agent", "agent-id", lambda: agents_wire(self.scenario))

    def queue(self, request: Request) -> Response:
        return self._single(request, "queue", "queue-id", lambda: queues_wire(self.scenario))

    # --- shared -------------------------------------------------------------------------

    def _list(self, request: Request, list_tag: str, item_tag: str, source) -> Response:
        refused = self._check_auth(request)
        if refused:
            return refused
        fmt = request.match["fmt"] or "xml"
        index, _ = self.scenario.view()
        with self._lock:
            if index != self._cache_cycle:
                self._cache.clear()
                self._cache_cycle = index
            key = (list_tag, fmt)
            body = self._cache.get(key)
            if body is None:
                items = source()
                body = list_body(list_tag, item_tag, items, fmt)
                self._cache[key] = body
        return Response(200, body, CONTENT_TYPES[fmt])

    def _single(self, request: Request, item_tag: str, key: str, source) -> Response:
        refused = self._check_auth(request)
        if refused:
            return refused
        fmt = request.match["fmt"] or "xml"
        wanted = unquote(request.match["id"])
        self.scenario.view()
        for item in source():
            if str(item[key]) == wanted:
                body = single_body(item_tag, item, fmt)
                return Response(200, body, CONTENT_TYPES[fmt])
        return Response(404, b'{"error":"not found"}' if fmt == "json" else b"<error>not found</error>", CONTENT_TYPES[fmt])

    def _check_auth(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            return Response(401, b"authentication required", "text/plain", {"WWW-Authenticate": 'Basic realm="rtstats"'})
        try:
            user, _, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return Response(403, b"forbidden", "text/plain")
        good_user = hmac.compare_digest(user.encode(), self.tenant.encode())
        good_password = hmac.compare_digest(password.encode(), self.token.encode())
        if not (good_user and good_password):
            return Response(403, b"forbidden", "text/plain")
        return None
