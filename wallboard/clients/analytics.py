"""Async client for 8x8 Work Analytics: historical summaries and call records.

* Login: ``POST v1/oauth/token`` with the ``8x8-apikey`` header and the user's name and
  password as a form. The token is kept (inside a :class:`~wallboard.secret.Secret`) and
  renewed ahead of its ``expires_in`` on a monotonic clock. A report answered with 401
  causes one fresh login and one retry; a second 401 is a clear :class:`AuthError`.
  A refused login (401, 403, or OAuth's 400) is an :class:`AuthError` naming the settings
  and secrets to check.
* Every report call sends ``8x8-apikey`` and ``Authorization: Bearer``.
* Transient failures (429, 503, other 5xx, broken connections) are retried at most
  ``retries`` times, waiting the server's ``Retry-After`` (capped) or a short backoff,
  so one hiccup does not lose a long listing and a failing server is not hammered. Then
  the error is raised, saying how many attempts were made. A timeout is not retried: it
  usually means a heavy query, and asking again at once would only repeat the load.
* Paged reports (call records, call legs) are read page by page with ``pageSize`` and
  ``scrollId`` until ``"No Data"`` or an empty page. A hard guard stops a server that
  never ends: at most ``max_pages`` pages, and never the same ``scrollId`` twice
  (:class:`~wallboard.errors.EndlessPagingError`).
* Progress is reported through a callback taking a
  :class:`~wallboard.core.analytics.FetchProgress`; cancelling the task that runs a
  fetch (Escape in the Historical tab) stops it between or during requests.

Nothing here knows about Textual; the Historical tab and ``wallboard report`` share it.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from dataclasses import replace
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping
from urllib.parse import urlsplit

import httpx

from wallboard.clients.http import MAX_BODY_BYTES, Reply, Timeouts, fetch, make_client, parse_off_loop
from wallboard.core.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    MAX_PROBLEMS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    AnalyticsParseError,
    FetchProgress,
    Page,
    Parsed,
    Report,
    ReportKind,
    parse_page,
    parse_summary,
    select_extension,
)
from wallboard.core.report_query import ReportQuery
from wallboard.errors import (
    ApiError,
    ApiTimeoutError,
    AuthError,
    BadPayloadError,
    BadRequestError,
    ConnectionFailedError,
    EndlessPagingError,
    RateLimitedError,
    ServerBusyError,
    ServerError,
)
from wallboard.secret import Secret
from wallboard.urls import check_url

TOKEN_PATH = "v1/oauth/token"
REPORT_PATHS: dict[str, str] = {
    COMPANY.name: "v1/compsum",
    EXTENSIONS.name: "v2/extsum",
    RING_GROUPS.name: "v2/rgsum-groups",
    RING_GROUP_MEMBERS.name: "v2/rgsum-members",
    CALL_RECORDS.name: "v2/call-records",
    CALL_LEGS.name: "v2/call-legs",
}

REPORT_TIMEOUTS = Timeouts(connect=10.0, read=60.0, total=120.0)
"""Reports are asked for on demand and big ranges take the service a while to add up."""
DEFAULT_PAGE_SIZE = 50  # the vendor's documented example
DEFAULT_MAX_PAGES = 2000  # 100,000 records at the default page size
DEFAULT_TOKEN_LIFETIME = 300.0  # when the server's expires_in cannot be read
RENEW_MARGIN = 60.0  # renew this long before expiry (at most a tenth of the lifetime)
MAX_WAIT = 30.0  # longest wait before a retry, whatever Retry-After says
BACKOFF = (1.0, 3.0, 9.0)

LOGIN_REFUSED = (
    "Work Analytics refused the API key, user name or password: check `analytics.username` "
    "in the config (or WALLBOARD_ANALYTICS_USERNAME) and run `wallboard secrets set "
    "analytics-api-key` and `wallboard secrets set analytics-password`"
)
TOKEN_REFUSED = (
    "Work Analytics refused the access token even after logging in again (HTTP 401): check "
    "that the analytics user may use Work Analytics (they must have opened it once in a browser)"
)
REPORT_REFUSED = (
    "Work Analytics refused the report: check that the analytics user has Work Analytics "
    "access to these PBXs"
)

ProgressCallback = Callable[[FetchProgress], None]
Sleep = Callable[[float], Awaitable[None]]

_TRANSIENT = (RateLimitedError, ServerBusyError, ServerError, ConnectionFailedError)
_RETRY_NOTE = re.compile(r"[;,]?\s*retrying(?: in [0-9.]+s)?\s*$")


class AnalyticsClient:
    """Logs in to Work Analytics and fetches its reports as typed records."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret | str,
        username: str,
        password: Secret | str,
        *,
        timeouts: Timeouts = REPORT_TIMEOUTS,
        max_body: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int = DEFAULT_MAX_PAGES,
        retries: int = 2,
        setting: str = "analytics.url",
        ca_bundle: str | None = None,
    ) -> None:
        if page_size < 1 or max_pages < 1 or retries < 0:
            raise ValueError("page_size and max_pages must be positive, retries not negative")
        self.base_url = check_url(base_url, setting)
        self.host = urlsplit(self.base_url).netloc
        self.timeouts = timeouts
        self.max_body = max_body
        self.page_size = page_size
        self.max_pages = max_pages
        self.retries = retries
        self._api_key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self._password = password if isinstance(password, Secret) else Secret(password)
        self._username = username
        self._clock = clock
        self._sleep = sleep
        self._token: Secret | None = None
        self._renew_at = 0.0
        self._login_lock = asyncio.Lock()
        self._client = make_client(
            timeouts, url=self.base_url, ca_bundle=ca_bundle, headers={"Accept": "application/json"}, transport=transport
        )

    async def __aenter__(self) -> "AnalyticsClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def __repr__(self) -> str:
        return f"AnalyticsClient({self.base_url!r}, user={self._username!r})"

    # --- login ----------------------------------------------------------------------------

    @property
    def has_token(self) -> bool:
        return self._token is not None and self._clock() < self._renew_at

    async def login(self) -> None:
        """Get a fresh access token; :class:`AuthError` when the credentials are refused."""
        what = f"a Work Analytics login at {self.host}"
        asked_at = self._clock()
        try:
            reply = await self._send(
                "POST",
                TOKEN_PATH,
                what=what,
                auth_message=LOGIN_REFUSED,
                headers={"8x8-apikey": self._api_key.reveal()},
                data={"username": self._username, "password": self._password.reveal()},
                max_body=64 * 1024,
            )
        except BadRequestError:  # OAuth servers answer a bad password with 400
            raise AuthError(f"{LOGIN_REFUSED} (HTTP 400)", status=400) from None
        token, lifetime = _read_token(reply.body, what)
        self._token = token
        self._renew_at = asked_at + max(0.0, lifetime - min(RENEW_MARGIN, lifetime / 10))

    async def _bearer(self) -> Secret:
        async with self._login_lock:
            if not self.has_token:
                await self.login()
            assert self._token is not None
            return self._token

    def _forget(self, token: Secret) -> None:
        if self._token is not None and self._token == token:
            self._token = None

    # --- reports --------------------------------------------------------------------------

    async def summary(self, query: ReportQuery) -> Parsed:
        """One summary report (company, extensions, ring groups, members) as sent."""
        kind = query.kind
        if kind.paged:
            raise ValueError(f"{kind.name} is paged; use pages() or fetch_report()")
        what = f"the {kind.label.lower()} from {self.host}"
        reply = await self._report(REPORT_PATHS[kind.name], query.params(), what)
        try:
            return await parse_off_loop(parse_summary, reply.body, kind, query.tz())
        except AnalyticsParseError as error:
            raise BadPayloadError(f"the answer for {what} could not be read: {error}") from None

    async def pages(
        self,
        query: ReportQuery,
        *,
        page_size: int | None = None,
        simplified: bool = False,
        connect_time: bool = False,
        progress: ProgressCallback | None = None,
    ) -> AsyncIterator[Page]:
        """The pages of a paged report, one request each, as they arrive.

        Records are numbered across pages in problem messages. ``simplified`` drops child
        legs and ``connect_time`` filters legs on connect rather than disconnect time
        (call legs only). Stop iterating (or cancel) to stop fetching.
        """
        kind = query.kind
        if not kind.paged:
            raise ValueError(f"{kind.name} is not paged; use summary() or fetch_report()")
        size = page_size or self.page_size
        params = {**query.params(), "pageSize": str(size)}
        if kind is CALL_LEGS:
            params["isSimplified"] = "true" if simplified else "false"
            params["isConnectTime"] = "true" if connect_time else "false"
        label = kind.label.lower()
        zone = query.tz()
        seen: set[str] = set()
        scroll: str | None = None
        pages = records = items = 0
        total: int | None = None
        while True:
            if pages >= self.max_pages:
                announced = f"; it announced {total}" if total is not None else ""
                raise EndlessPagingError(
                    f"Work Analytics was still sending {label} after {pages} pages "
                    f"({records} records{announced}): stopped; ask for a shorter range"
                )
            request = dict(params)
            if scroll is not None:
                request["scrollId"] = scroll
            what = f"{label} (page {pages + 1}) from {self.host}"
            reply = await self._report(REPORT_PATHS[kind.name], request, what)
            try:
                page = await parse_off_loop(parse_page, reply.body, kind, zone, first_index=items + 1)
            except AnalyticsParseError as error:
                raise BadPayloadError(f"the answer for {what} could not be read: {error}") from None
            pages += 1
            records += len(page.records)
            items += page.size
            if total is None:
                total = page.total
            done = page.last
            if progress is not None:
                progress(FetchProgress(kind.name, pages, records, total, done, size))
            yield page
            if done:
                return
            assert page.scroll_id is not None
            if page.scroll_id in seen:
                raise EndlessPagingError(
                    f"Work Analytics sent the same page id twice for {label} (page {pages}): "
                    "stopped, as the listing would never end"
                )
            seen.add(page.scroll_id)
            scroll = page.scroll_id

    async def fetch_report(
        self,
        query: ReportQuery,
        *,
        progress: ProgressCallback | None = None,
        simplified: bool = False,
        connect_time: bool = False,
    ) -> Report:
        """A whole report, every page read; ``query.ext`` filters rows client-side.

        (For ring-group members ``query.ext`` is the ring group, sent as ``extId``.)
        """
        kind = query.kind
        extension = "" if kind.needs_ext else query.ext
        if not kind.paged:
            parsed = await self.summary(query)
            records = select_extension(parsed.records, extension)
            if progress is not None:
                progress(FetchProgress(kind.name, 1, len(parsed.records), None, True))
            return Report(kind, records, parsed.problems, parsed.skipped, 1, None)
        collected: list[Any] = []
        problems: list[str] = []
        skipped = pages = 0
        total: int | None = None
        async for page in self.pages(query, simplified=simplified, connect_time=connect_time, progress=progress):
            pages += 1
            if total is None:
                total = page.total
            collected.extend(select_extension(page.records, extension))
            problems.extend(page.problems[: max(0, MAX_PROBLEMS - len(problems))])
            skipped += page.skipped
        return Report(kind, tuple(collected), tuple(problems), skipped, pages, total)

    async def company(self, query: ReportQuery) -> Parsed:
        return await self.summary(_as(query, COMPANY))

    async def extensions(self, query: ReportQuery) -> Parsed:
        return await self.summary(_as(query, EXTENSIONS))

    async def ring_groups(self, query: ReportQuery) -> Parsed:
        return await self.summary(_as(query, RING_GROUPS))

    async def ring_group_members(self, query: ReportQuery, ring_group: str) -> Parsed:
        """The members of the ring group with extension ``ring_group`` (a drill-down)."""
        return await self.summary(_as(query, RING_GROUP_MEMBERS, ring_group))

    # --- requests -------------------------------------------------------------------------

    async def _report(self, path: str, params: Mapping[str, str], what: str) -> Reply:
        """GET a report with the bearer token; on 401 log in once more and retry once."""
        for attempt in (1, 2):
            token = await self._bearer()
            try:
                return await self._send(
                    "GET",
                    path,
                    what=what,
                    auth_message=REPORT_REFUSED,
                    params=params,
                    headers={"8x8-apikey": self._api_key.reveal(), "Authorization": f"Bearer {token.reveal()}"},
                )
            except AuthError as error:
                if error.status != 401:
                    raise
                if attempt == 2:
                    raise AuthError(TOKEN_REFUSED, status=401) from None
                self._forget(token)
        raise AssertionError("unreachable")

    async def _send(self, method: str, path: str, *, what: str, auth_message: str, max_body: int | None = None, **kwargs: Any) -> Reply:
        """One request with bounded retries of transient failures."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await fetch(
                    self._client,
                    method,
                    f"{self.base_url}/{path}",
                    timeouts=self.timeouts,
                    what=what,
                    auth_message=auth_message,
                    max_body=self.max_body if max_body is None else max_body,
                    **kwargs,
                )
            except _TRANSIENT as error:
                if attempt > self.retries:
                    raise _gave_up(error, attempt) from None
                await self._sleep(_delay(error, attempt))
            except ApiTimeoutError as error:  # a heavy query: asking again at once repeats the load
                raise ApiTimeoutError(
                    f"{_RETRY_NOTE.sub('', error.message)}; try again later or ask for a shorter range",
                    status=error.status,
                ) from None


def _as(query: ReportQuery, kind: ReportKind, ext: str | None = None) -> ReportQuery:
    return replace(query, kind=kind, ext=query.ext if ext is None else ext)


def _delay(error: ApiError, attempt: int) -> float:
    if error.retry_after is not None:
        return min(MAX_WAIT, max(0.0, error.retry_after))
    return BACKOFF[min(attempt, len(BACKOFF)) - 1]


def _gave_up(error: ApiError, attempts: int) -> ApiError:
    """The same error, saying we stopped rather than "retrying"."""
    base = _RETRY_NOTE.sub("", error.message)
    note = f"gave up after {attempts} attempts" if attempts > 1 else "not retried"
    return type(error)(f"{base}; {note}", status=error.status, retry_after=error.retry_after)


def _read_token(body: bytes, what: str) -> tuple[Secret, float]:
    try:
        document = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        raise BadPayloadError(f"the answer for {what} could not be read: it is not JSON") from None
    if not isinstance(document, dict):
        raise BadPayloadError(f"the answer for {what} could not be read: it is not a JSON object")
    token = document.get("access_token")
    if not isinstance(token, str) or not token.strip() or len(token) > 16384:
        raise BadPayloadError(f"the answer for {what} holds no access_token")
    lifetime = document.get("expires_in")
    if isinstance(lifetime, str):
        try:
            lifetime = float(lifetime)
        except ValueError:
            lifetime = None
    if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or not math.isfinite(lifetime) or lifetime < 0:
        lifetime = DEFAULT_TOKEN_LIFETIME
    return Secret(token.strip()), float(lifetime)
