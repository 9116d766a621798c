"""The Work Analytics endpoints of the simulator (``/analytics/work``).

* ``POST /v1/oauth/token``: the ``8x8-apikey`` header and a form ``username`` /
  ``password`` (``demo`` / ``demo`` / ``demo`` by default) give a bearer token that lives
  ``token_expiry`` seconds on the simulator's clock. Refusals are the vendor's documented
  400s: a wrong or missing key ``{"status":400,"message":"Invalid 8x8-apikey",
  "code":"SHA001",...}``, an unknown user ``{"error":"invalid_grant",
  "error_description":"USER_NOTFOUND_ERROR"}``; a wrong password (undocumented) the same
  ``invalid_grant`` with ``Bad credentials``.
* Reports: ``v1/compsum``, ``v2/extsum``, ``v2/rgsum-groups``, ``v2/rgsum-members?extId=``,
  ``v2/call-records``, ``v2/call-legs``. Each needs the API key (400 ``SHA001`` otherwise)
  and a live token (401 ``{"error":"invalid_token",...}``, as for an expired token),
  checks ``pbxId``, ``startTime``, ``endTime`` and ``timeZone`` (400 with a reason, in the
  ``{"timestamp","status","messages":[...],"path"}`` shape of the vendor's 403), refuses
  a PBX the user cannot see with the documented 403 ("user [demo] does not have access
  to pbxId [X]"), and answers from :class:`~wallboard.sim.analytics_calls.AnalyticsData` (rows and records written by :mod:`wallboard.sim.analytics_wire`).
  Like the real service it serves only the last two years: a range reaching further back
  returns its most recent two years, and an older one is empty.
* Filters (call records and legs): ``caller``, ``callee`` and ``callerOrCallee``, comma
  lists of at most 125 values, matched exactly against the extensions a call or leg is
  from or to (an outside phone number never matches: the service filters extensions
  only). A voicemail's owner counts as its callee (``callee`` ``Voicemail (1007)``,
  ``lra`` ``1007``).
* Paging: ``pageSize`` defaults to 100 and may be 1 to 7,000 (400 otherwise); each page
  carries ``meta.totalRecordCount`` and a ``scrollId`` (opaque, stateless, bound to the
  query); after the last page comes ``{"meta": {"totalRecordCount": 0, "scrollId": "No
  Data"}, "data": []}``.
* ``GET /v2/pbxes`` (and ``/v2/pbxes/``): the PBX list with HAL paging (``page`` from 0,
  ``size`` 1 to 100, default 50): ``_embedded.pbxList`` of ``{id, name, deleted}``,
  ``_links`` and ``page`` at the top level.
* :attr:`AnalyticsEndpoints.scroll_mode` makes a misbehaving server for tests:
  ``"endless"`` never ends (a new ``scrollId`` and more data every time), ``"stuck"``
  answers the same ``scrollId`` over and over, ``"short"`` answers empty pages with a
  real ``scrollId`` once :attr:`short_after` records were sent (the listing stops early),
  ``"hiccup"`` answers one such empty page and then carries on.

Route endpoint names are ``token``, ``analytics`` (the reports) and ``pbxes`` (the PBX
list), so ``--faults ...@token`` and ``...@analytics`` target them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import threading
from collections import Counter, OrderedDict
from datetime import datetime, timezone
from typing import Callable, Literal
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wallboard.sim import analytics_wire as wire
from wallboard.sim.analytics_calls import AnalyticsData
from wallboard.sim.analytics_stats import DailyStats
from wallboard.sim.server import Request, Response, SimServer

ANALYTICS_PATH = "/analytics/work"
DEMO_API_KEY = "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 7000
MAX_FILTER_VALUES = 125
FILTERS = ("caller", "callee", "callerOrCallee")
PBX_LIST_DEFAULT_SIZE = 50
PBX_LIST_MAX_SIZE = 100
RETENTION_DAYS = 730
NO_DATA = "No Data"

ScrollMode = Literal["normal", "endless", "stuck", "short", "hiccup"]
_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


class AnalyticsEndpoints:
    """Answers Work Analytics requests from deterministic data; thread-safe."""

    def __init__(
        self,
        data: AnalyticsData,
        clock: Callable[[], float],
        *,
        api_key: str = DEMO_API_KEY,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
        token_expiry: float = 1800,
    ) -> None:
        if token_expiry < 0:
            raise ValueError("the token expiry must not be negative")
        self.data = data
        self.counters = DailyStats(data)
        self.clock = clock
        self.api_key = api_key
        self.username = username
        self.password = password
        self.token_expiry = token_expiry
        self.scroll_mode: ScrollMode = "normal"
        self.short_after = 0  # records sent before a "short" or "hiccup" listing pauses
        self._hiccups: set[tuple] = set()
        self.reports: Counter[str] = Counter()  # requests per report path, answered or not
        self.logins = 0  # tokens issued
        self._tokens: dict[str, float] = {}
        self._listings: OrderedDict[tuple, list[dict]] = OrderedDict()
        self._lock = threading.Lock()

    def install(self, server: SimServer) -> None:
        base = ANALYTICS_PATH
        server.add_route("POST", rf"{base}/v1/oauth/token", "token", self.token)
        server.add_route("GET", rf"{base}/v1/compsum", "analytics", self.company)
        server.add_route("GET", rf"{base}/v2/extsum", "analytics", self.extensions)
        server.add_route("GET", rf"{base}/v2/rgsum-groups", "analytics", self.ring_groups)
        server.add_route("GET", rf"{base}/v2/rgsum-members", "analytics", self.members)
        server.add_route("GET", rf"{base}/v2/call-records", "analytics", self.call_records)
        server.add_route("GET", rf"{base}/v2/call-legs", "analytics", self.call_legs)
        server.add_route("GET", rf"{base}/v2/pbxes/?", "pbxes", self.pbx_list)

    def expire_tokens(self) -> None:
        """Make every issued token stale at once (as a server restart would)."""
        with self._lock:
            self._tokens.clear()

    # --- login ----------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        if not _same(request.headers.get("8x8-apikey", ""), self.api_key):
            return _bad_api_key()
        if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
            return _error(400, "invalid_request", "Send username and password as a form")
        form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        username = (form.get("username") or [""])[0]
        password = (form.get("password") or [""])[0]
        good_user = _same(username, self.username)
        good_password = _same(password, self.password)
        if not good_user:
            return _error(400, "invalid_grant", "USER_NOTFOUND_ERROR")
        if not good_password:
            return _error(400, "invalid_grant", "Bad credentials")
        token = "simtoken." + secrets.token_urlsafe(24)
        with self._lock:
            now = self.clock()
            self._tokens = {key: until for key, until in self._tokens.items() if until > now}
            self._tokens[token] = now + self.token_expiry
            self.logins += 1
        expires_in = int(self.token_expiry) if float(self.token_expiry).is_integer() else self.token_expiry
        return _json({"access_token": token, "token_type": "bearer", "expires_in": expires_in})

    def _refused(self, request: Request) -> Response | None:
        if not _same(request.headers.get("8x8-apikey", ""), self.api_key):
            return _bad_api_key()
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "invalid_token", "Full authentication is required to access this resource")
        with self._lock:
            until = self._tokens.get(token.strip())
        if until is None:
            return _error(401, "invalid_token", "Invalid access token")
        if self.clock() >= until:
            return _error(401, "invalid_token", "Access token expired")
        return None

    # --- the PBX list -----------------------------------------------------------------------

    def pbx_list(self, request: Request) -> Response:
        """``GET /v2/pbxes``: the PBXs this user may see, paged the HAL way."""
        self.reports["pbxes"] += 1
        refused = self._refused(request)
        if refused:
            return refused
        page_text = (request.arg("page") or "0").strip()
        size_text = (request.arg("size") or str(PBX_LIST_DEFAULT_SIZE)).strip()
        if not page_text.isdigit() or not size_text.isdigit() or not 1 <= int(size_text) <= PBX_LIST_MAX_SIZE:
            return _refusal(400, request, f"page must be 0 or more and size 1 to {PBX_LIST_MAX_SIZE}")
        number, size = int(page_text), int(size_text)
        names = self.pbx_names()
        pages = max(1, -(-len(names) // size))
        items = [{"id": _pbx_id(name), "name": name, "deleted": False} for name in names[number * size : (number + 1) * size]]
        path = request.path

        def link(page: int) -> dict:
            return {"href": f"{path}?{urlencode({'page': page, 'size': size})}"}

        links = {"self": link(number), "first": link(0), "last": link(pages - 1)}
        if number > 0:
            links["prev"] = link(number - 1)
        if number + 1 < pages:
            links["next"] = link(number + 1)
        return _json(
            {
                "_embedded": {"pbxList": items},
                "_links": links,
                "page": {"size": size, "totalElements": len(names), "totalPages": pages, "number": number},
            }
        )

    def pbx_names(self) -> list[str]:
        """The PBXs of the simulated tenant (those with extensions or ring groups), by name."""
        return sorted(self.data.pbx_names())

    # --- summaries ------------------------------------------------------------------------

    def company(self, request: Request) -> Response:
        return self._summary(request, "compsum", lambda stats, pbxes: wire.company_rows(self.data, stats, pbxes))

    def extensions(self, request: Request) -> Response:
        return self._summary(request, "extsum", lambda stats, pbxes: wire.extension_rows(self.data, stats, pbxes))

    def ring_groups(self, request: Request) -> Response:
        return self._summary(request, "rgsum-groups", lambda stats, pbxes: wire.ring_group_rows(self.data, stats, pbxes))

    def members(self, request: Request) -> Response:
        ring_group = (request.arg("extId") or "").strip()
        if not ring_group:
            self.reports["rgsum-members"] += 1
            return _refusal(400, request, "extId is required")
        return self._summary(
            request, "rgsum-members", lambda stats, pbxes: wire.member_rows(self.data, stats, pbxes, ring_group)
        )

    def _summary(self, request: Request, name: str, rows) -> Response:
        self.reports[name] += 1
        refused = self._refused(request)
        if refused:
            return refused
        query = self._query(request)
        if isinstance(query, Response):
            return query
        pbxes, start_ms, end_ms, _zone, now_ms = query
        stats = self.counters.stats(start_ms, end_ms, now_ms) if start_ms <= end_ms else None
        if stats is None:
            return _json([])
        return _json(rows(stats, pbxes))

    # --- paged listings -------------------------------------------------------------------

    def call_records(self, request: Request) -> Response:
        return self._paged(request, "call-records")

    def call_legs(self, request: Request) -> Response:
        return self._paged(request, "call-legs")

    def _paged(self, request: Request, name: str) -> Response:
        self.reports[name] += 1
        refused = self._refused(request)
        if refused:
            return refused
        query = self._query(request)
        if isinstance(query, Response):
            return query
        size_text = (request.arg("pageSize") or str(DEFAULT_PAGE_SIZE)).strip()
        if not size_text.isdigit() or not 1 <= int(size_text) <= MAX_PAGE_SIZE:
            return _refusal(400, request, f"pageSize must be from 1 to {MAX_PAGE_SIZE}")
        size = int(size_text)
        filters = {}
        for param in FILTERS:
            values = frozenset(part.strip() for part in (request.arg(param) or "").split(",") if part.strip())
            if len(values) > MAX_FILTER_VALUES:
                return _refusal(400, request, f"{param} takes at most {MAX_FILTER_VALUES} values")
            if values:
                filters[param] = values
        simplified = _truthy(request.arg("isSimplified"))
        connect_time = _truthy(request.arg("isConnectTime"))
        pbxes, start_ms, end_ms, zone, now_ms = query
        asked = tuple(request.arg(param) for param in ("pbxId", "startTime", "endTime", "timeZone", *FILTERS))
        digest = hashlib.sha256(repr((name, asked, simplified, connect_time)).encode()).hexdigest()[:16]
        scroll = request.arg("scrollId")
        offset = 0
        if scroll:  # later pages read the listing as it stood at the first page
            position = _decode_scroll(scroll, digest)
            if position is None:
                return _refusal(400, request, "scrollId does not belong to this query")
            offset, now_ms = position
        key = (digest, now_ms)
        rows = self._listing(
            key, lambda: self._build(name, pbxes, start_ms, end_ms, zone, now_ms, simplified, connect_time, filters)
        )
        mode = self.scroll_mode
        if mode == "stuck":
            return _page(len(rows), rows[:size], _encode_scroll(digest, size, now_ms))
        if mode in ("short", "hiccup") and offset < len(rows) and offset >= self.short_after:
            pause = (key, offset)
            with self._lock:
                first_time = pause not in self._hiccups
                self._hiccups.add(pause)
            if mode == "short" or first_time:  # an empty page with a real scrollId, before the total
                return _page(len(rows), [], _encode_scroll(digest, offset, now_ms))
        if mode == "endless" and rows:
            start = offset % len(rows)
            data = (rows[start:] + rows[:start])[:size]
            return _page(len(rows), data, _encode_scroll(digest, offset + size, now_ms))
        if offset >= len(rows):
            return _page(0, [], NO_DATA)
        return _page(len(rows), rows[offset : offset + size], _encode_scroll(digest, offset + size, now_ms))

    def _build(self, name, pbxes, start_ms, end_ms, zone, now_ms, simplified, connect_time, filters) -> list[dict]:
        if start_ms > end_ms:
            return []
        if name == "call-records":
            return wire.call_records(self.data, self.data.calls(start_ms, end_ms, now_ms, pbxes), zone, filters)
        # legs are chosen by their own times; a leg may end a little after its call began
        calls = self.data.calls(start_ms - 3_600_000, end_ms, now_ms, pbxes)
        return wire.call_legs(
            self.data, calls, zone, simplified=simplified, connect_time=connect_time, start_ms=start_ms, end_ms=end_ms, filters=filters
        )

    def _listing(self, key: tuple, build) -> list[dict]:
        with self._lock:
            rows = self._listings.get(key)
            if rows is not None:
                self._listings.move_to_end(key)
                return rows
        rows = build()
        with self._lock:
            self._listings[key] = rows
            while len(self._listings) > 8:
                self._listings.popitem(last=False)
        return rows

    # --- the common query -----------------------------------------------------------------

    def _query(self, request: Request):
        """``(pbxes, start_ms, end_ms, zone, now_ms)`` or a 400 response saying why."""
        pbx = (request.arg("pbxId") or "").strip()
        if not pbx:
            return _refusal(400, request, "pbxId is required")
        names = frozenset(part.strip() for part in pbx.split(",") if part.strip())
        pbxes = None if "allpbxes" in {name.lower() for name in names} else names
        if pbxes is not None:
            known = set(self.pbx_names())
            unknown = sorted(name for name in pbxes if name not in known)
            if unknown:
                return _refusal(403, request, f"user [{self.username}] does not have access to pbxId [{unknown[0]}]")
        zone_name = (request.arg("timeZone") or "").strip()
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return _refusal(400, request, "timeZone must be an IANA time zone")
        moments = []
        for param in ("startTime", "endTime"):
            text = (request.arg(param) or "").strip()
            if not _TIME.fullmatch(text):
                return _refusal(400, request, f"{param} must be YYYY-MM-DD HH:MM:SS")
            try:
                moments.append(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone))
            except ValueError:
                return _refusal(400, request, f"{param} is not a real date and time")
        start, end = moments
        if end <= start:
            return _refusal(400, request, "endTime must be after startTime")
        now_ms = int(self.clock() * 1000)
        oldest_ms = now_ms - RETENTION_DAYS * 86_400_000
        start_ms = max(int(start.timestamp() * 1000), oldest_ms)
        end_ms = int(end.timestamp() * 1000) + 999  # the end second is included
        return pbxes, start_ms, end_ms, zone, now_ms


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _json(payload: object) -> Response:
    return Response(200, json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())


def _error(status: int, error: str, description: str) -> Response:
    """An OAuth-style error body (the token endpoint, a refused token)."""
    return Response(status, json.dumps({"error": error, "error_description": description}).encode())


def _refusal(status: int, request: Request, message: str) -> Response:
    """The ``{"timestamp","status","messages","path"}`` body of the vendor's documented 403."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"
    body = {"timestamp": stamp, "status": status, "messages": [message], "path": request.path}
    return Response(status, json.dumps(body).encode())


def _bad_api_key() -> Response:
    """The vendor's documented answer to a wrong or missing ``8x8-apikey``."""
    body = {
        "status": 400,
        "message": "Invalid 8x8-apikey",
        "code": "SHA001",
        "details": [{"type": "header", "location": "header", "path": "8x8-apikey", "hint": "Provide a valid 8x8-apikey"}],
    }
    return Response(400, json.dumps(body).encode())


def _pbx_id(name: str) -> str:
    """A stable opaque id for a PBX name, about 22 characters like the service's."""
    return base64.urlsafe_b64encode(hashlib.sha256(name.encode()).digest()[:16]).decode().rstrip("=")


def _page(total: int, data: list[dict], scroll_id: str) -> Response:
    return _json({"meta": {"totalRecordCount": total, "scrollId": scroll_id}, "data": data})


def _encode_scroll(digest: str, offset: int, now_ms: int) -> str:
    """An opaque page id: the query's digest, the next offset and the listing's moment."""
    return base64.urlsafe_b64encode(f"{digest}_{offset}_{now_ms}".encode()).decode().rstrip("=")


def _decode_scroll(scroll: str, digest: str) -> tuple[int, int] | None:
    try:
        text = base64.urlsafe_b64decode(scroll + "=" * (-len(scroll) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = text.split("_")
    if len(parts) != 3 or parts[0] != digest or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2])


