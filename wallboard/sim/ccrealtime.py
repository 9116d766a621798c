"""The Contact Center Real-time Metrics API (v5) endpoints of the simulator.

* ``POST /oauth/v2/token``: Basic ``demo:demo`` (key and secret), form
  ``grant_type=client_credentials``; the Apigee-style answer with numbers as strings
  (``"expires_in": "1799"``). Tokens expire after ``token_expiry`` seconds (401 with the
  Apigee ``fault`` body after that, and for any unknown token).
* ``GET [/eu|/au|/ca]/analytics/cc/v1..v5/realtime-metrics/queues[/{id}]``,
  ``/groups[/{id}]`` and (v5 only) ``/agents``: ``metrics`` (repeated or a comma list;
  an unknown key is a 400), ``page``/``size`` (0-based, at most 1000, with the ``X-Page*``
  headers and the documented 400 past the last page), ``includeTotals``, ``summary``,
  ``timezone`` (an IANA name; anything else is a 400: ``.today`` is the calendar day in
  it, so the day counters reset at its midnight, see
  :meth:`~wallboard.sim.scenario.RealtimeScenario.use_zone`). A single-id path answers a
  one-element array; an unknown id is a 404.
* ``X-Tenant-Info``: when the simulator is built with ``tenant_info``, it is required
  (the documented 400 messages when missing or wrong), as for a multi-tenant customer.

Answers come from the scenario's current cache cycle, like the legacy API's.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
import secrets
import threading
import time
from typing import Any, Callable
from urllib.parse import parse_qs, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wallboard.sim.ccrealtime_wire import AGENT_KEYS, QUEUE_KEYS, Wire, select
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.server import Request, Response, SimServer
from wallboard.urls import CC_REALTIME_PATH, CC_TOKEN_PATH

DEMO_CC_KEY = "demo"
DEMO_CC_SECRET = "demo"
MAX_SIZE = 1000
_BASE = r"(?:/(?:eu|au|ca))?/analytics/cc/v(?P<version>[1-5])/realtime-metrics"
BAD_TOKEN = {"fault": {"faultstring": "Invalid access token", "detail": {"errorcode": "oauth.v2.InvalidAccessToken"}}}


def _json(status: int, document: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(document, separators=(",", ":")).encode(), "application/json", headers or {})


def _bad(message: str) -> Response:
    return _json(400, {"message": f"Bad request: {message}"})


class CcRealtimeEndpoints:
    """Answers v5 requests from a scenario."""

    def __init__(
        self,
        scenario: RealtimeScenario,
        *,
        key: str = DEMO_CC_KEY,
        secret: str = DEMO_CC_SECRET,
        token_expiry: float = 1799,
        tenant_info: str = "",
        percent_scale: str = "fraction",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scenario = scenario
        self.wire = Wire(scenario, percent_scale)
        self.key, self.secret = key, secret
        self.token_expiry = token_expiry
        self.tenant_info = tenant_info
        self.clock = clock
        self.tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.logins = 0
        self._lock = threading.Lock()

    def install(self, server: SimServer) -> None:
        server.add_route("POST", CC_TOKEN_PATH, "cc-token", self.token)
        server.add_route("GET", rf"{_BASE}/queues", "cc-queues", self.queues)
        server.add_route("GET", rf"{_BASE}/queues/(?P<id>[^/]+)", "cc-queues", self.queues)
        server.add_route("GET", rf"{_BASE}/groups", "cc-groups", self.groups)
        server.add_route("GET", rf"{_BASE}/groups/(?P<id>[^/]+)", "cc-groups", self.groups)
        server.add_route("GET", rf"{_BASE}/agents", "cc-agents", self.agents)

    # --- the token ----------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            key, _, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            key = secret = ""
        if scheme.lower() != "basic" or not (
            hmac.compare_digest(key.encode(), self.key.encode()) and hmac.compare_digest(secret.encode(), self.secret.encode())
        ):
            return _json(401, {"error": "invalid_client", "error_description": "Client credentials are invalid"})
        form = parse_qs(request.body.decode("utf-8", "replace"))
        if form.get("grant_type") != ["client_credentials"]:
            return _json(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type"})
        value = secrets.token_urlsafe(21)[:28]
        now = self.clock()
        with self._lock:
            self.tokens = {t: until for t, until in self.tokens.items() if until > now}
            self.tokens[value] = now + self.token_expiry
            self.logins += 1
        return _json(200, {
            "access_token": value, "token_type": "BearerToken",
            "api_product_list": "[analytics realtime-api]", "api_product_list_json": ["analytics realtime-api"],
            "status": "approved", "scope": "", "refresh_token_expires_in": "0",
            "expires_in": str(int(self.token_expiry)), "refresh_count": "0", "issued_at": str(int(now * 1000)),
            "developer.email": "deprecated", "client_id": "deprecated",
        })

    def valid(self, token: str) -> bool:
        with self._lock:
            until = self.tokens.get(token)
        return until is not None and until > self.clock()

    def expire_tokens(self) -> None:
        """Every token issued so far expires now (tests of renewal after a 401)."""
        with self._lock:
            self.tokens.clear()

    # --- data ---------------------------------------------------------------------------

    def queues(self, request: Request) -> Response:
        return self._listing(request, QUEUE_KEYS, "queue-ids", self.wire.queues)

    def agents(self, request: Request) -> Response:
        if request.match["version"] != "5":
            return _json(404, {"message": "Not found: /agents needs v5"})
        return self._listing(request, AGENT_KEYS, "agent-ids", self.wire.agents)

    def groups(self, request: Request) -> Response:
        def rows() -> list[dict[str, Any]]:
            with self.scenario.lock:
                by_group: dict[int, list] = {}
                for agent in self.scenario.agents:
                    by_group.setdefault(agent.group_id, []).append(agent.status)
            return [
                {"id": str(group), "name": f"Group {group}", "metrics": {
                    "availableIdle.rt": str(statuses.count(0)), "handling.rt": str(statuses.count(2)),
                    "wrapUp.rt": str(statuses.count(3)), "onBreak.rt": str(statuses.count(4)),
                    "workingOffline.rt": str(statuses.count(5)), "enabled.rt": str(len(statuses)),
                    "eligible.rt": str(len(statuses)),
                }}  # the documented group examples send numbers as strings
                for group, statuses in sorted(by_group.items())
            ]

        keys = frozenset(f"{name}.rt" for name in ("availableIdle", "eligible", "enabled", "handling", "onBreak", "workingOffline", "wrapUp"))
        return self._listing(request, keys, "group-ids", rows)

    def _listing(self, request: Request, known: frozenset[str], ids_name: str, source: Callable[[], list]) -> Response:
        refused = self._check(request)
        if refused is not None:
            return refused
        query = request.query
        keys = _plural(query.get("metrics"))
        unknown = [key for key in keys or () if key not in known]
        if unknown:
            return _bad(f"Unknown metric '{unknown[0][:60]}'")
        zone = request.arg("timezone")
        if zone is not None:
            try:
                self.scenario.use_zone(ZoneInfo(zone))  # "today" is the calendar day in it
            except (ZoneInfoNotFoundError, ValueError, OSError):
                return _bad(f"Invalid value for timezone: '{zone[:60]}'")
        self.scenario.view()
        records = source()
        single = request.match.groupdict().get("id")
        if single is not None:
            wanted = unquote(single)
            chosen = [record for record in records if record["id"] == wanted]
            if not chosen:
                return _json(404, {"message": f"Not found: no item with id '{wanted[:60]}'"})
            return _json(200, [select(chosen[0], keys)])
        ids = _plural(query.get(ids_name))
        if ids is not None:
            present = {record["id"] for record in records}
            missing = [i for i in ids if i not in present]
            if missing:
                return _bad(f"Invalid value for {ids_name}: '{missing[0][:60]}'")
            records = [record for record in records if record["id"] in set(ids)]
        if request.arg("summary", "false").lower() == "true":
            return _json(200, [{"id": record["id"], "name": record["name"]} for record in records])
        page_text, size_text = request.arg("page", "0"), request.arg("size", str(100))
        if not (page_text.isdigit() and size_text.isdigit()):
            return _bad("Fields 'page' and 'size' must be whole numbers")
        page, size = int(page_text), int(size_text)
        if size > MAX_SIZE:
            return _bad(f"Field 'size' must be less than or equal to {MAX_SIZE}")
        if size < 1:
            return _bad("Field 'size' must be greater than or equal to 1")
        total_pages = max(1, math.ceil(len(records) / size))
        if page >= total_pages:
            return _bad(
                "Field 'page' must be greater than or equal to 0 and less than the total number of pages, "
                f"which is {total_pages} for this request"
            )
        chunk = [select(record, keys) for record in records[page * size : (page + 1) * size]]
        if request.arg("includeTotals", "false").lower() == "true":
            chunk.append(_totals(chunk))
        headers = {
            "X-Page-Size": str(size), "X-Page": str(page),
            "X-Total-Pages": str(total_pages), "X-Total-Elements": str(len(records)),
        }
        return _json(200, chunk, headers)

    def _check(self, request: Request) -> Response | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.valid(token.strip()):
            return _json(401, BAD_TOKEN)
        if self.tenant_info:
            given = request.headers.get("x-tenant-info")
            if given is None:
                return _bad("X-Tenant-Info header is missing.")
            if given != self.tenant_info:
                return _bad("Invalid value for X-Tenant-Info header.")
        return None


def _plural(values: list[str] | None) -> list[str] | None:
    """A plural parameter in either documented form: repeated, or one comma list."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _totals(chunk: list[dict[str, Any]]) -> dict[str, Any]:
    sums: dict[str, float] = {}
    for record in chunk:
        for metric in record.get("metrics", []):
            value = metric["value"]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not metric["key"].startswith("status"):
                sums[metric["key"]] = sums.get(metric["key"], 0) + value
    return {"id": None, "name": "totals", "metrics": [{"key": f"total.{key}", "value": value} for key, value in sorted(sums.items())]}
