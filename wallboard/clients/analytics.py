"""Async client for 8x8 Work Analytics: historical summaries and call records.

* Login: ``POST v1/oauth/token`` with the ``8x8-apikey`` header and the user's name and
  password as a form. The token is kept (inside a :class:`~wallboard.credentials.secret.Secret`) and
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
* Refusals are explained with the server's own words (see :mod:`wallboard.clients.http`)
  and the codes 8x8 documents get the advice that fits them: ``SHA001`` / "Invalid
  8x8-apikey" and ``invalid_client`` point at the API key; ``invalid_grant`` /
  ``USER_NOTFOUND_ERROR`` at the user name and password; a 403 "does not have access to
  pbxId [X]" names that PBX (and the PBXs the user can see, when known).
* Paged reports (call records, call legs) are read page by page with ``pageSize``
  (default :data:`DEFAULT_PAGE_SIZE`, at most :data:`MAX_PAGE_SIZE`, as the service
  allows) and ``scrollId`` until ``"No Data"`` or an empty page. The server is not
  trusted to end or to keep its word (:class:`~wallboard.errors.EndlessPagingError`,
  one line): at most ``max_pages`` pages; never the same ``scrollId`` twice; never a
  page larger than the ``pageSize`` asked for (refused before a record is built); never
  more records than the first page announced. Page requests are paced: a burst of
  :data:`PACE_BURST`, then at most one every ``page_interval`` seconds, so even a
  server sending one record a page is not asked 20 times a second.
* A listing that ends short (an empty page with a real ``scrollId`` before the announced
  total) is asked for that page once more; still empty, the listing ends and its last
  :class:`~wallboard.core.wire.analytics.Page` carries a note: "812 of 1,000 records: the
  service stopped early". ``"No Data"`` before the total gets the same note.
* ``GET v2/pbxes`` (HAL paging, ``page``/``size``) lists the PBXs the user may see
  (:meth:`AnalyticsClient.pbxes`), cached for the client's life.
* Progress is reported through a callback taking a
  :class:`~wallboard.core.model.analytics.FetchProgress`; cancelling the task that runs a
  fetch (Escape in the Historical tab) stops it between or during requests.

Nothing here knows about Textual; the Historical tab and ``wallboard report`` share it.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping
from urllib.parse import urlsplit

import httpx

from wallboard.clients.oauth import RENEW_MARGIN, TokenKeeper, read_token  # noqa: F401 (RENEW_MARGIN: documented here before)
from wallboard.clients.http import MAX_BODY_BYTES, ApiClient, Reply, Timeouts, fetch, make_client, parse_off_loop
from wallboard.core.model.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    FetchProgress,
    Report,
    ReportKind,
    Pbx,
    select_extension,
)
from wallboard.core.wire.analytics import (
    AnalyticsParseError,
    Page,
    PageTooLargeError,
    parse_page,
    parse_pbx_page,
    parse_summary,
)
from wallboard.core.wire.payload import MAX_PROBLEMS, Parsed
from wallboard.core.reports.query import ReportQuery
from wallboard.errors import (
    ApiError,
    ApiTimeoutError,
    AuthError,
    BadPayloadError,
    BadRequestError,
    ConnectionFailedError,
    EndlessPagingError,
    PbxRefusedError,
    RateLimitedError,
    ReportTooLargeError,
    ServerBusyError,
    ServerError,
)
from wallboard.credentials.secret import Secret
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

PBXES_PATH = "v2/pbxes"
PBX_PAGE_SIZE = 100  # the most the service allows
MAX_PBX_PAGES = 50

REPORT_TIMEOUTS = Timeouts(connect=10.0, read=60.0, total=120.0)
"""Reports are asked for on demand and big ranges take the service a while to add up."""
DEFAULT_PAGE_SIZE = 1000
"""Records per page: the service's default is 100 and its maximum 7,000; 1,000 reads
10,000 calls in ten requests while each page stays a few hundred kilobytes."""
MAX_PAGE_SIZE = 7000
DEFAULT_MAX_PAGES = 2000
PACE_BURST = 10  # page requests sent without waiting
PAGE_INTERVAL = 0.2  # then at least this long between page requests (5 a second)
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
API_KEY_REFUSED = (
    "Work Analytics refused the API key: run `wallboard secrets set analytics-api-key` (or set "
    "WALLBOARD_ANALYTICS_API_KEY) with the key from the Admin Console"
)
USER_REFUSED = (
    "Work Analytics refused the user {user!r} or the password: check `analytics.username` in the "
    "config (or WALLBOARD_ANALYTICS_USERNAME) and run `wallboard secrets set analytics-password`; "
    "the user must have opened Work Analytics once in a browser"
)
PBX_REFUSED = (
    "Work Analytics refused PBX {pbx!r} to this user: no such PBX, or no access to it; check the "
    "PBX names (--pbx, analytics.pbx or the tab's PBX field){known}"
)
STOPPED_EARLY = "{read} of {total} records: the service stopped early"

ProgressCallback = Callable[[FetchProgress], None]
Sleep = Callable[[float], Awaitable[None]]

_TRANSIENT = (RateLimitedError, ServerBusyError, ServerError, ConnectionFailedError)
_RETRY_NOTE = re.compile(r"[;,]?\s*retrying(?: in [0-9.]+s)?(?=;|\s*$)")
_API_KEY_CODES = frozenset({"sha001", "invalid_client"})
_USER_CODES = frozenset({"invalid_grant", "user_notfound_error"})
_NO_PBX_ACCESS = re.compile(r"access to pbx\s*id\s*\[([^\]]*)\]", re.IGNORECASE)


class AnalyticsClient(TokenKeeper, ApiClient):
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
        page_interval: float = PAGE_INTERVAL,
        setting: str = "analytics.url",
        ca_bundle: str | None = None,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE or max_pages < 1 or retries < 0 or page_interval < 0:
            raise ValueError(
                f"page_size must be 1 to {MAX_PAGE_SIZE}, max_pages positive, retries and page_interval not negative"
            )
        self.base_url = check_url(base_url, setting)
        self.host = urlsplit(self.base_url).netloc
        self.timeouts = timeouts
        self.max_body = max_body
        self.page_size = page_size
        self.max_pages = max_pages
        self.retries = retries
        self.page_interval = page_interval
        self._pace_tokens = float(PACE_BURST)
        self._pace_at: float | None = None
        self._pbxes: tuple[Pbx, ...] | None = None
        self._api_key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self._password = password if isinstance(password, Secret) else Secret(password)
        self._username = username
        self._start_keeping(clock)
        self._sleep = sleep
        self._client = make_client(
            timeouts, url=self.base_url, ca_bundle=ca_bundle, headers={"Accept": "application/json"}, transport=transport
        )

    def __repr__(self) -> str:
        return f"AnalyticsClient({self.base_url!r}, user={self._username!r})"

    # --- login ----------------------------------------------------------------------------

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
        except (BadRequestError, AuthError) as error:  # OAuth servers answer a bad password with 400
            explained = self._explained(error)
            if explained is not error:
                raise explained from None
            raise AuthError(f"{LOGIN_REFUSED} (HTTP {error.status}{_said(error)})", status=error.status) from None
        token, lifetime = read_token(reply.body, what)
        self._keep(token, lifetime, asked_at)

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
        (call legs only). Stop iterating (or cancel) to stop fetching. The guards and the
        short-listing rule are in the module doc; a short listing's last page carries
        its ``note``.
        """
        kind = query.kind
        if not kind.paged:
            raise ValueError(f"{kind.name} is not paged; use summary() or fetch_report()")
        size = page_size or self.page_size
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {MAX_PAGE_SIZE}")
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
            page = await self._page(query, request, pages + 1, items, size, zone)
            if page.size == 0 and not page.ended and total is not None and items < total:
                page = await self._page(query, request, pages + 1, items, size, zone)  # once more
            pages += 1
            records += len(page.records)
            items += page.size
            if total is None:
                total = page.total
            if total is not None and items > total:
                raise EndlessPagingError(
                    f"Work Analytics sent more {label} than it announced ({items:,} by page {pages}; "
                    f"it announced {total:,}): stopped, as the listing cannot be trusted"
                )
            done = page.last
            if done and total is not None and items < total:
                page = replace(page, note=STOPPED_EARLY.format(read=f"{items:,}", total=f"{total:,}"))
            if progress is not None:
                progress(FetchProgress(kind.name, pages, records, total, done, size, page.note))
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

    async def _page(self, query: ReportQuery, request: Mapping[str, str], number: int, items: int, size: int, zone) -> Page:
        """One page, paced, parsed off the event loop, refused if larger than asked for."""
        kind = query.kind
        what = f"{kind.label.lower()} (page {number}) from {self.host}"
        await self._pace()
        reply = await self._report(REPORT_PATHS[kind.name], request, what)
        try:
            return await parse_off_loop(parse_page, reply.body, kind, zone, items + 1, size)
        except PageTooLargeError as error:
            raise EndlessPagingError(
                f"Work Analytics sent {error.items:,} {kind.label.lower()} on page {number}, more than the "
                f"{size:,} asked for: stopped, as the listing cannot be trusted"
            ) from None
        except AnalyticsParseError as error:
            raise BadPayloadError(f"the answer for {what} could not be read: {error}") from None

    async def _pace(self) -> None:
        """Wait, if need be, so page requests keep to the pace in the module doc."""
        if self.page_interval <= 0:
            return
        now = self._clock()
        if self._pace_at is not None:
            elapsed = max(0.0, now - self._pace_at)
            self._pace_tokens = min(float(PACE_BURST), self._pace_tokens + elapsed / self.page_interval)
        self._pace_at = now
        if self._pace_tokens < 1:
            wait = (1 - self._pace_tokens) * self.page_interval
            await self._sleep(wait)
            self._pace_tokens = 1.0
            self._pace_at = now + wait
        self._pace_tokens -= 1

    async def fetch_report(
        self,
        query: ReportQuery,
        *,
        progress: ProgressCallback | None = None,
        simplified: bool = False,
        connect_time: bool = False,
        max_records: int | None = None,
    ) -> Report:
        """A whole report, every page read; ``query.ext`` filters rows (for calls the
        service filters first, and this check stays as a guard).

        (For ring-group members ``query.ext`` is the ring group, sent as ``extId``.)
        More than ``max_records`` records held raises :class:`ReportTooLargeError`.
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
        notes: list[str] = []
        skipped = pages = 0
        total: int | None = None
        async for page in self.pages(query, simplified=simplified, connect_time=connect_time, progress=progress):
            pages += 1
            if total is None:
                total = page.total
            collected.extend(select_extension(page.records, extension))
            if max_records is not None and len(collected) > max_records:
                raise ReportTooLargeError(
                    f"the {kind.label.lower()} hold more than {max_records:,} records, too many to hold "
                    "for a table: ask for --format csv or json (written as they arrive) or a shorter range"
                )
            problems.extend(page.problems[: max(0, MAX_PROBLEMS - len(problems))])
            skipped += page.skipped
            if page.note:
                notes.append(page.note)
        return Report(kind, tuple(collected), tuple(problems), skipped, pages, total, tuple(notes))

    async def pbxes(self) -> tuple[Pbx, ...]:
        """The PBXs the user may see (``GET v2/pbxes``, every HAL page), cached."""
        if self._pbxes is not None:
            return self._pbxes
        found: list[Pbx] = []
        number = 0
        while number < MAX_PBX_PAGES:
            what = f"the PBX list (page {number + 1}) from {self.host}"
            reply = await self._report(PBXES_PATH, {"page": str(number), "size": str(PBX_PAGE_SIZE), "sort": "name,ASC"}, what)
            try:
                listed, total_pages = parse_pbx_page(reply.body)
            except AnalyticsParseError as error:
                raise BadPayloadError(f"the answer for {what} could not be read: {error}") from None
            found.extend(listed)
            number += 1
            if not listed or total_pages is None or number >= total_pages:
                break
        self._pbxes = tuple(dict((pbx.name.lower(), pbx) for pbx in found).values())
        return self._pbxes

    @property
    def known_pbxes(self) -> tuple[Pbx, ...] | None:
        """The PBX list, if it has been read."""
        return self._pbxes

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
                    raise self._explained(error) from None
                if attempt == 2:
                    raise AuthError(f"{TOKEN_REFUSED}{_said(error, '; ')}", status=401) from None
                self._forget(token)
            except BadRequestError as error:
                raise self._explained(error) from None
        raise AssertionError("unreachable")

    def _explained(self, error: ApiError) -> ApiError:
        """The advice that fits a refusal whose body names a known code (module doc)."""
        code = error.server_code.strip().lower()
        words = error.server_message.lower()
        said = _said(error)
        if code in _API_KEY_CODES or "8x8-apikey" in words:
            return self._scrubbed(AuthError(f"{API_KEY_REFUSED} (HTTP {error.status}{said})", status=error.status))
        if code in _USER_CODES or "user_notfound" in words:
            message = USER_REFUSED.format(user=self._username)
            return self._scrubbed(AuthError(f"{message} (HTTP {error.status}{said})", status=error.status))
        denied = _NO_PBX_ACCESS.search(error.server_message)
        if error.status == 403 and denied:
            known = self._pbxes
            listed = f"; PBXs this user can see: {', '.join(pbx.name for pbx in known)}" if known else ""
            message = PBX_REFUSED.format(pbx=denied.group(1).strip(), known=listed)
            return self._scrubbed(PbxRefusedError(f"{message} (HTTP 403{said})", status=403))
        return self._scrubbed(error)

    def _scrubbed(self, error: ApiError) -> ApiError:
        """``error`` with our own secrets cut out of it, should a server have echoed one."""
        message = error.message
        for secret in (self._api_key, self._password, self._token):
            value = secret.reveal() if secret is not None else ""
            if len(value) >= 8 and value in message:
                message = message.replace(value, "…")
        if message != error.message:
            error.message = message
            error.args = (message,)
        return error

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
    base = _RETRY_NOTE.sub("", error.message, count=1)
    note = f"gave up after {attempts} attempts" if attempts > 1 else "not retried"
    again = type(error)(f"{base}; {note}", status=error.status, retry_after=error.retry_after)
    again.server_message, again.server_code = error.server_message, error.server_code
    return again


def _said(error: ApiError, prefix: str = "; ") -> str:
    """``; the server said: "..." (CODE)`` from an error's body, or nothing."""
    if not error.server_message:
        return ""
    code = error.server_code
    extra = f" ({code})" if code and code != error.server_message else ""
    return f'{prefix}the server said: "{error.server_message}"{extra}'

