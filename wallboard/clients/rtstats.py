"""Async client for the 8x8 Real Time Statistics API (``/api/rtstats/stats``).

One instance holds one keep-alive connection pool; the poller owns it and closes it.
Methods return parsed, typed records; every failure is a typed
:class:`~wallboard.errors.ApiError`.

Behind a ``wallboard relay`` (or any server or cache that sends ``ETag``), the list
requests carry ``If-None-Match`` with the last tag, and ``304 Not Modified`` means
"unchanged": the records parsed from the last full answer are returned again, without
a body on the wire. The relay's headers (:mod:`wallboard.core.wire.relayed`) come back
on :attr:`Fetched.relayed`, so the poller can show the relay's own staleness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import quote, urlsplit

import httpx

from wallboard.clients.http import MAX_BODY_BYTES, ApiClient, Reply, Timeouts, fetch, make_client, parse_off_loop
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire import relayed as relay_headers
from wallboard.core.wire.relayed import Relayed
from wallboard.core.wire.payload import ParseError, Parsed
from wallboard.core.wire.rtstats import Format, Reuse, parse_agents, parse_queues
from wallboard.errors import BadPayloadError, NotFoundError
from wallboard.credentials.secret import Secret
from wallboard.urls import check_url

R = TypeVar("R", Agent, Queue)

AUTH_REFUSED = (
    "the tenant name or data-request token was refused: check `tenant` in the config "
    "and run `wallboard secrets set realtime-token`"
)


@dataclass(frozen=True, slots=True)
class Fetched(Generic[R]):
    """Parsed records plus when they arrived (monotonic seconds) and how long it took."""

    result: Parsed[R]
    received_at: float
    elapsed: float
    size: int
    relayed: Relayed | None = None
    """What a relay said about this data (``None`` from 8x8 itself)."""
    not_modified: bool = False
    """The server answered 304 to our ``If-None-Match``: ``result`` is the last one again."""


class RealtimeClient(ApiClient):
    """Fetches agents and queues from one tenant's real-time statistics service."""

    def __init__(
        self,
        base_url: str,
        tenant: str,
        token: Secret | str,
        *,
        fmt: Format = "json",
        timeouts: Timeouts = Timeouts(),
        max_body: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        if fmt not in ("json", "xml"):
            raise ValueError(f"format must be json or xml, not {fmt!r}")
        self.base_url = check_url(base_url, "realtime_url")
        self.host = urlsplit(self.base_url).netloc
        self.fmt: Format = fmt
        self.timeouts = timeouts
        self.max_body = max_body
        # what each list's last answer was made of: the next answer's unchanged records are
        # not converted again (the poller has one request per endpoint in flight)
        self._reuse = {"agents": Reuse(), "queues": Reuse()}
        secret = token if isinstance(token, Secret) else Secret(token)
        self._tenant, self._token = tenant, secret
        self._validated: dict[str, tuple[str, Parsed]] = {}  # path -> (ETag, what its body said)
        self._client = make_client(
            timeouts,
            url=self.base_url,
            ca_bundle=ca_bundle,
            auth=_BasicAuth(tenant, secret),
            headers={"Accept": "application/json" if fmt == "json" else "application/xml"},
            transport=transport,
        )

    async def stream_key(self) -> str:
        """The event stream's key on this source: the Data Request Token, base64(tenant:token)."""
        from wallboard.core.wire.events import request_token_key  # only with push on

        return request_token_key(self._tenant, self._token.reveal())

    async def agents(self) -> Fetched[Agent]:
        """Every agent of the tenant."""
        return await self._get("agents", "agents", parse_agents, self._reuse["agents"], conditional=True)

    async def queues(self) -> Fetched[Queue]:
        """Every queue of the tenant."""
        return await self._get("queues", "queues", parse_queues, self._reuse["queues"], conditional=True)

    async def agent(self, agent_id: str) -> Agent:
        """One agent by login id; :class:`NotFoundError` when the server has none."""
        fetched = await self._get(f"agent/{quote(agent_id, safe='')}", f"agent {agent_id!r}", parse_agents)
        return _single(fetched, f"agent {agent_id!r}")

    async def queue(self, queue_id: str) -> Queue:
        """One queue by id; :class:`NotFoundError` when the server has none."""
        fetched = await self._get(f"queue/{quote(str(queue_id), safe='')}", f"queue {queue_id!r}", parse_queues)
        return _single(fetched, f"queue {queue_id!r}")

    async def _get(self, path: str, what: str, parser, reuse: Reuse | None = None, conditional: bool = False) -> Fetched:
        described = f"{what} from {self.host}"
        known = self._validated.get(path) if conditional else None
        reply: Reply = await fetch(
            self._client,
            "GET",
            f"{self.base_url}/{path}.{self.fmt}",
            timeouts=self.timeouts,
            what=described,
            auth_message=AUTH_REFUSED,
            max_body=self.max_body,
            headers={"If-None-Match": known[0]} if known else None,
        )
        relayed = relay_headers.read(reply.headers)
        if reply.status == 304:
            if known is None:
                raise BadPayloadError(f"the answer for {described} was 304 Not Modified to a request that asked for none")
            return Fetched(known[1], reply.received_at, reply.elapsed, 0, relayed, not_modified=True)
        try:
            result = await parse_off_loop(parser, reply.body, self.fmt, reuse=reuse)  # keep the event loop free for the UI
        except ParseError as error:
            raise BadPayloadError(f"the answer for {described} could not be read: {error}") from None
        etag = reply.headers.get("etag")
        if conditional and etag:  # weak tags too: If-None-Match compares weakly (nginx weakens them when it gzips)
            self._validated[path] = (etag, result)
        elif conditional:
            self._validated.pop(path, None)
        return Fetched(result, reply.received_at, reply.elapsed, len(reply.body), relayed)


def _single(fetched: Fetched, what: str):
    if not fetched.result.records:
        raise NotFoundError(f"{what}: the server returned no record")
    return fetched.result.records[0]


class _BasicAuth(httpx.Auth):
    """HTTP Basic auth that keeps the token inside a :class:`Secret` until sent."""

    def __init__(self, username: str, password: Secret) -> None:
        self._username = username
        self._password = password

    def auth_flow(self, request: httpx.Request):
        basic = httpx.BasicAuth(self._username, self._password.reveal())
        yield from basic.auth_flow(request)

    def __repr__(self) -> str:
        return f"_BasicAuth({self._username!r}, {self._password!r})"
