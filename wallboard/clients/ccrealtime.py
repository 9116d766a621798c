"""Async client for 8x8's Contact Center Real-time Metrics API (v5).

* **Login**: ``POST /oauth/v2/token`` on the API host with Basic ``key:secret`` and
  ``grant_type=client_credentials``. The token (kept in a
  :class:`~wallboard.credentials.secret.Secret`) is reused until shortly before its
  ``expires_in`` (which arrives as text: ``"1799"``), never fetched per request. A data
  request refused with 401 earns one fresh login and one retry; refused again, it is an
  :class:`~wallboard.errors.AuthError` and the board shows its credentials banner.
* **Paging**: ``page`` (0-based) and ``size`` (at most 1000) with the ``X-Page*`` headers.
  Pages are read until ``X-Total-Pages`` says the last one came; without that header, until
  a short page. A page past the end (400, documented) ends the listing; at most
  :data:`MAX_PAGES` are read. Records repeated across pages (the data moves while it is
  paged) are kept once and reported.
* **Selection**: ``metrics`` lists only the keys the board shows
  (:data:`~wallboard.core.wire.ccrealtime.QUEUE_METRIC_KEYS`), as one comma list;
  ``timezone`` (the board's zone) sets what "today" means; ``X-Tenant-Info`` is sent for
  multi-tenant customers.
* Every request goes through the shared hardened :func:`~wallboard.clients.http.fetch`
  (size cap, timeouts, decoding off the loop); the server's ``{"message": ...}`` is shown
  in the error line.
"""

from __future__ import annotations

import base64
import time
from typing import Callable

import httpx

from wallboard.clients.oauth import TokenKeeper, read_token
from wallboard.clients.http import MAX_BODY_BYTES, ApiClient, Reply, Timeouts, fetch, make_client, parse_off_loop
from wallboard.clients.rtstats import Fetched
from wallboard.core.wire.ccrealtime import AGENT_METRIC_KEYS, DEFAULT_UNITS, QUEUE_METRIC_KEYS, Units, parse_agents, parse_queues
from wallboard.core.wire.payload import MAX_PROBLEMS, ParseError, Parsed
from wallboard.credentials.secret import Secret
from wallboard.errors import ApiError, AuthError, BadPayloadError, BadRequestError
from wallboard.urls import cc_token_url, check_url

PAGE_SIZE = 1000
"""Records per page: the documented maximum, so a tenant takes as few requests as it can."""
MAX_PAGES = 50
"""Pages read for one listing at most (50,000 records: the parser's own bound)."""

LOGIN_REFUSED = (
    "the Contact Center API key or secret was refused: run `wallboard secrets set cc-api-key` "
    "and `wallboard secrets set cc-api-secret` (Admin Console → API Keys, product "
    "\"Analytics for Contact Center\")"
)
DATA_REFUSED = (
    "the Contact Center Real-time Metrics API refused the access token even after logging in "
    "again: check that the key's app includes \"Analytics for Contact Center\""
)
TENANT_INFO_ADVICE = "set tenant_info in [cc_realtime] to your contact-centre tenant id (multi-tenant customers must)"


class CcRealtimeClient(TokenKeeper, ApiClient):
    """Fetches agents and queues from the v5 API; the poller's :class:`~wallboard.live.poller.Source`."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret | str,
        api_secret: Secret | str,
        *,
        tenant_info: str = "",
        timezone: str = "",
        units: Units = DEFAULT_UNITS,
        page_size: int = PAGE_SIZE,
        timeouts: Timeouts = Timeouts(),
        max_body: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_bundle: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = check_url(base_url, "cc_realtime.url")
        self.token_url = cc_token_url(self.base_url)
        self.host = httpx.URL(self.base_url).host
        self.timezone = timezone
        self.units = units
        self.page_size = max(1, min(PAGE_SIZE, page_size))
        self.timeouts = timeouts
        self.max_body = max_body
        self._key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self._secret = api_secret if isinstance(api_secret, Secret) else Secret(api_secret)
        self._start_keeping(clock)
        self.logins = 0
        headers = {"Accept": "application/json"}
        if tenant_info:
            headers["X-Tenant-Info"] = tenant_info
        self._client = make_client(timeouts, url=self.base_url, ca_bundle=ca_bundle, headers=headers, transport=transport)

    def __repr__(self) -> str:
        return f"CcRealtimeClient({self.base_url!r})"

    # --- the token ----------------------------------------------------------------------

    async def login(self) -> None:
        """A fresh access token; :class:`AuthError` when the key or secret is refused."""
        what = f"a Contact Center login at {self.host}"
        asked_at = self._clock()
        basic = base64.b64encode(f"{self._key.reveal()}:{self._secret.reveal()}".encode()).decode("ascii")
        try:
            reply = await fetch(
                self._client,
                "POST",
                self.token_url,
                timeouts=self.timeouts,
                what=what,
                auth_message=LOGIN_REFUSED,
                max_body=64 * 1024,
                headers={"Authorization": f"Basic {basic}"},
                data={"grant_type": "client_credentials"},
            )
        except BadRequestError as error:  # OAuth servers answer bad client credentials with 400
            raise AuthError(f"{LOGIN_REFUSED} (HTTP 400{_said(error)})", status=400) from None
        token, lifetime = read_token(reply.body, what)
        self.logins += 1
        self._keep(token, lifetime, asked_at)

    async def token(self) -> Secret:
        """The current access token, logging in when there is none or it is about to expire
        (the event stream authenticates with it too)."""
        return await self._bearer()

    async def stream_key(self) -> str:
        """The event stream's key on this source: the current access token."""
        return (await self.token()).reveal()

    # --- data ---------------------------------------------------------------------------

    async def queues(self) -> Fetched:
        """Every queue, with the metrics the board shows."""
        return await self._listing("queues", "queues", QUEUE_METRIC_KEYS, parse_queues)

    async def agents(self) -> Fetched:
        """Every agent of the tenant (``/agents``, v5), with the metrics the board shows."""
        return await self._listing("agents", "agents", AGENT_METRIC_KEYS, parse_agents)

    async def _listing(self, path: str, label: str, metrics: tuple[str, ...], parser) -> Fetched:
        started = time.monotonic()
        params = {"metrics": ",".join(metrics), "size": str(self.page_size)}
        if self.timezone:
            params["timezone"] = self.timezone
        pages: list[Parsed] = []
        total_pages: int | None = None
        size = 0
        reply: Reply | None = None
        page = 0
        while page < MAX_PAGES:
            try:
                reply = await self._get(path, {**params, "page": str(page)}, f"{label} (page {page + 1}) from {self.host}")
            except BadRequestError as error:
                if page > 0 and "page" in error.server_message.lower():
                    break  # past the last page (the listing shrank while it was paged): the end
                raise self._explained(error) from None
            size += len(reply.body)
            try:
                parsed = await parse_off_loop(parser, reply.body, self.units)
            except ParseError as error:
                raise BadPayloadError(f"the answer for {label} from {self.host} could not be read: {error}") from None
            pages.append(parsed)
            total_pages = _header_int(reply.headers, "x-total-pages")
            page += 1
            if total_pages is not None:
                if page >= total_pages:
                    break
            elif len(parsed.records) + parsed.skipped < self.page_size:
                break
        else:
            raise BadPayloadError(f"{label} from {self.host}: more than {MAX_PAGES} pages; refused")
        assert reply is not None
        elapsed = time.monotonic() - started
        return Fetched(_merged(pages, label), reply.received_at, elapsed, size)

    async def _get(self, path: str, params: dict[str, str], what: str) -> Reply:
        """GET with the bearer token; on 401 log in once more and retry once."""
        for attempt in (1, 2):
            token = await self.token()
            try:
                return await fetch(
                    self._client,
                    "GET",
                    f"{self.base_url}/{path}",
                    timeouts=self.timeouts,
                    what=what,
                    auth_message=DATA_REFUSED,
                    max_body=self.max_body,
                    params=params,
                    headers={"Authorization": f"Bearer {token.reveal()}"},
                )
            except AuthError as error:
                if error.status != 401 or attempt == 2:
                    raise
                self._forget(token)
        raise AssertionError("unreachable")

    def _explained(self, error: ApiError) -> ApiError:
        """A 400 whose message names X-Tenant-Info gets the advice that fixes it."""
        if "x-tenant-info" in error.server_message.lower():
            error.message = f"{error.message}; {TENANT_INFO_ADVICE}"
            error.args = (error.message,)
        return error


def _said(error: ApiError) -> str:
    return f'; the server said: "{error.server_message}"' if error.server_message else ""


def _header_int(headers, name: str) -> int | None:
    value = (headers.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _merged(pages: list[Parsed], label: str) -> Parsed:
    """The pages as one answer: a record whose id an earlier page had is dropped and reported."""
    if len(pages) == 1:
        return pages[0]
    records = []
    seen: set[str] = set()
    problems: list[str] = []
    skipped = 0
    for number, page in enumerate(pages, start=1):
        problems.extend(page.problems)
        skipped += page.skipped
        for record in page.records:
            key = getattr(record, "queue_id", None) or getattr(record, "agent_id", "")
            if key in seen:
                skipped += 1
                problems.append(f"{label} page {number} repeats id {key!r} (the list moved while paged); dropped")
                continue
            seen.add(key)
            records.append(record)
    return Parsed(tuple(records), tuple(problems[:MAX_PROBLEMS]), skipped)

