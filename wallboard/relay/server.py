"""The relay process: one poller against 8x8, an aiohttp server in front of its answers.

The poller is the board's own (:class:`~wallboard.live.poller.Poller` with the same
phase-locked schedule and back-off), so the relay asks 8x8 once per cache cycle per
endpoint however many boards ask the relay. The schedule is wrapped to learn when the
next answer is expected, for ``Cache-Control: max-age``.

aiohttp (already needed by textual-serve for ``wallboard serve``) gives an asyncio
HTTP/1.1 server with keep-alive and TLS, in the same event loop as the poller: no
threads share the snapshot. Bodies of large tenants are rendered in a worker thread,
once per change; concurrent requests for the same body wait for that one rendering.

With an ``events_url`` the relay also runs the board's event-stream client and
:class:`~wallboard.live.push.Pusher`: what it serves is the last poll with the pushed
changes laid over (re-rendered, re-tagged, ``max-age=0`` while the stream is live), and
:mod:`wallboard.relay.stream` re-serves the stream's frames to viewers on the same port.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import sys
import time
from typing import Callable, TextIO
from urllib.parse import quote

from aiohttp import web

from wallboard.core.model.snapshot import Snapshot
from wallboard.core.wire.rtstats import Format
from wallboard.credentials.secret import Secret
from wallboard.errors import ConfigError
from wallboard.live import clock
from wallboard.live.events import EventStream
from wallboard.live.poller import FEEDS, Poller, Schedule, Source
from wallboard.live.push import Pusher
from wallboard.live.schedule import CACHE_PERIOD, schedule_for
from wallboard.relay.access import check_basic, check_listen, check_stream_key
from wallboard.relay.published import ERROR_HEADER, Answer, Published, feed_status
from wallboard.relay.stream import STREAM_ROUTE, RelayedStream
from wallboard.urls import REALTIME_PATH

_LIST = re.compile(r"(?P<kind>agents|queues)(?:\.(?P<fmt>json|xml))?\Z")
_SINGLE = re.compile(r"(?P<kind>agent|queue)/(?P<id>[^/]+?)(?:\.(?P<fmt>json|xml))?\Z")
STOP_GRACE = 2.0
"""Seconds the event stream gets to close its connection to 8x8 cleanly on stop."""
RENDER_IN_THREAD = 200
"""Endpoints with more records than this are rendered in a worker thread."""


class _PlanningSchedule(Schedule):
    """The board's schedule, telling the relay when its next answer is due."""

    def __init__(self, inner: Schedule, published: Published) -> None:
        super().__init__(inner.interval)
        self.inner = inner
        self.published = published

    def next_delay(self, feed: str, started: float, finished: float, changed: bool, answered: float | None = None) -> float:
        delay = self.inner.next_delay(feed, started, finished, changed, answered)
        latency = (finished if answered is None else answered) - started
        self.published.planned(feed, finished + delay, latency)
        return delay


def tls_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    """The server's TLS context, or ``None`` for plain HTTP; a bad file is a one-line error."""
    if not certfile:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile or None)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or type(error).__name__
        raise ConfigError(f"cannot load the certificate or key ({reason}): check --certfile and --keyfile") from None
    return context


async def start_site(app: web.Application, host: str, port: int, ssl_context: ssl.SSLContext | None) -> tuple[web.AppRunner, int]:
    """Serve ``app`` on ``host:port``; return the runner (to clean up) and the port bound."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=ssl_context, reuse_address=True)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror or error}): pick another --port") from None
    return runner, runner.addresses[0][1]


class RelayServer:
    """Polls ``source`` and serves its answers; ``await start()``, then ``await stop()``."""

    def __init__(
        self,
        source: Source,
        tenant: str,
        token: Secret,
        *,
        interval: float = 10.0,
        cache_period: float = CACHE_PERIOD,
        host: str = "127.0.0.1",
        port: int = 0,
        certfile: str | None = None,
        keyfile: str | None = None,
        log: TextIO | None = None,
        mono: Callable[[], float] = clock.monotonic,
        wall: Callable[[], float] = time.time,
        events_url: str | None = None,
    ) -> None:
        check_listen(host, certfile, keyfile)
        self.tenant = tenant
        self.token = token
        self.host = host
        self.port = port
        self.ssl_context = tls_context(certfile, keyfile)
        self.mono = mono
        self.wall = wall
        self.log = log
        self.published = Published(interval)
        schedule = _PlanningSchedule(schedule_for(interval, cache_period), self.published)
        self.poller = Poller(source, interval, self._receive, wall=wall, mono=mono, schedule=schedule)
        self._polled: Snapshot | None = None
        self.pusher: Pusher | None = None
        """Pushed changes laid over what the relay serves, when it has an event stream."""
        self.stream: EventStream | None = None
        self._stream_task: asyncio.Task | None = None
        self._stream_live: bool | None = None
        self.relayed: RelayedStream | None = None
        """The stream re-served to viewers (``/ws/v2/reader/...``), when the relay has one."""
        key = getattr(source, "stream_key", None)
        if events_url and key is not None:
            self.pusher = Pusher(cache_period, mono, self._republish)
            self.relayed = RelayedStream()
            self.stream = EventStream(events_url, key, self.pusher.on_frame, self._stream_status, on_data=self.relayed.received)
        self.served: dict[int, int] = {}
        """Answers sent, per status code (the bench and tests read it)."""
        self.bytes_sent = 0
        self._states = {name: "waiting" for name in FEEDS}
        self._renders: dict[tuple[str, str], asyncio.Task] = {}
        self._runner: web.AppRunner | None = None
        self._task: asyncio.Task | None = None

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> str:
        """Listen, start polling, and return the ``realtime_url`` boards should use."""
        app = web.Application()
        app.router.add_get("/healthz", self._health)
        app.router.add_get(REALTIME_PATH + "/{tail:.*}", self._stats)
        app.router.add_get(STREAM_ROUTE, self._events)
        self._runner, self.port = await start_site(app, self.host, self.port, self.ssl_context)
        self._task = asyncio.create_task(self.poller.run(), name="wallboard-relay-poller")
        if self.stream is not None:
            self._stream_task = asyncio.create_task(self.stream.run(), name="wallboard-relay-events")
        return self.url

    @property
    def base(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base + REALTIME_PATH

    @property
    def events_url(self) -> str | None:
        """The re-served event stream's URL (a board's ``[events] url``), when there is one."""
        if self.relayed is None:
            return None
        return "ws" + self.base.removeprefix("http") + STREAM_ROUTE.format(tenant=quote(self.tenant, safe=""), topic="all")

    async def stop(self) -> None:
        self.poller.stop()
        if self.relayed is not None:
            self.relayed.close()
        if self.stream is not None:
            self.stream.stop()
        if self._stream_task is not None:
            await asyncio.wait({self._stream_task}, timeout=STOP_GRACE)  # closes its socket itself, unless it is stuck connecting
        for task in (self._task, self._stream_task):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "RelayServer":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- the poller's side --------------------------------------------------------------

    def _receive(self, snapshot: Snapshot) -> None:
        self._polled = snapshot
        if self.pusher is not None:  # the poll may also drop pushed changes it confirms: dated now
            self.published.receive(self.pusher.merge(snapshot), self.wall())
        else:
            self.published.receive(snapshot)
        now = self.mono()
        for name in FEEDS:
            feed = getattr(snapshot, name)
            state = feed_status(feed, snapshot, now)
            if state != self._states[name]:
                self._states[name] = state
                reason = f": {feed.error}" if feed.error and state != "live" else ""
                self._say(f"{name} {state}{reason}")

    def _republish(self) -> None:
        """A pushed change (or the stream's state): the last poll with the changes laid over."""
        assert self.pusher is not None
        self.published.pushing = self.pusher.status.live
        if self._polled is not None:
            self.published.receive(self.pusher.merge(self._polled), self.wall())

    def _stream_status(self, live: bool, detail: str) -> None:
        assert self.pusher is not None
        if live != self._stream_live:
            self._stream_live = live
            self._say("event stream live: pushed changes are served between polls" if live else f"event stream down ({detail}); serving polled data")
        assert self.relayed is not None
        self.relayed.upstream(live, detail)
        self.pusher.on_status(live, detail)

    def _say(self, line: str) -> None:
        if self.log is not None:
            print(f"wallboard relay: {line}", file=self.log, flush=True)

    # --- HTTP ---------------------------------------------------------------------------

    async def _health(self, request: web.Request) -> web.StreamResponse:
        events = None if self.relayed is None else (self.relayed.live, self.relayed.detail)
        return self._send(self.published.health(self.mono(), events), request)

    async def _stats(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        listed, single = _LIST.match(tail), _SINGLE.match(tail)
        if listed is None and single is None:
            return self._send(Answer(404, b'{"error":"not found"}'), request)
        refusal = check_basic(request.headers.get("Authorization"), self.tenant, self.token)
        if refusal is not None:
            return self._send(refusal, request)
        headers = {name.lower(): value for name, value in request.headers.items()}
        now = self.mono()
        if listed is not None:
            name = listed["kind"]
            fmt: Format = listed["fmt"] or "xml"  # as the real service: no suffix means XML
            await self._rendered(name, fmt)
            return self._send(self.published.list_answer(name, fmt, headers, now), request)
        assert single is not None
        name = single["kind"] + "s"
        fmt = single["fmt"] or "xml"
        return self._send(self.published.single_answer(name, fmt, single["id"], headers, now), request)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """The re-served event stream: the relay's key, this tenant, ``event-v1/all``."""
        refusal = check_stream_key(
            request.headers.get("X-API-Key") or request.query.get("x-api-key"), request.headers.get("Authorization"), self.tenant, self.token
        )
        if refusal is not None:
            return self._send(refusal, request)
        if request.match_info["tenant"] != self.tenant:
            return self._send(Answer(403, b'{"status":403,"message":"this relay serves another tenant\'s stream"}'), request)
        if request.match_info["topic"] != "all":
            return self._send(Answer(404, b'{"status":404,"message":"the relay re-serves event-v1/all only"}'), request)
        if self.relayed is None:
            message = b'{"status":404,"message":"this relay has no event stream: set [events] enabled = true in its config"}'
            return self._send(Answer(404, message), request)
        unavailable = self.relayed.unavailable()
        if unavailable is not None:
            return self._send(unavailable, request)
        return await self.relayed.serve(request)

    async def _rendered(self, name: str, fmt: Format) -> None:
        """Render a large endpoint's body in a thread, once, whoever else is waiting for it."""
        published = self.published
        if published.cached(name, fmt) is not None or len(published.feed(name).records) <= RENDER_IN_THREAD:
            return  # current, or small enough to render in line
        key = (name, fmt)
        task = self._renders.get(key)
        if task is None or task.done():
            task = asyncio.create_task(asyncio.to_thread(published.render, name, fmt))
            self._renders[key] = task
        await asyncio.shield(task)

    def _send(self, answer: Answer, request: web.Request) -> web.StreamResponse:
        self.served[answer.status] = self.served.get(answer.status, 0) + 1
        headers = {"Server": "wallboard-relay", **answer.headers}
        if answer.status != 304:
            headers["Content-Type"] = answer.content_type
        self.bytes_sent += len(answer.body)
        return web.Response(status=answer.status, body=answer.body or None, headers=headers)


async def serve_until_stopped(relay: RelayServer, out: TextIO = sys.stdout, stop: asyncio.Event | None = None) -> None:
    """Run ``relay`` until ``stop`` is set (or the task is cancelled: Ctrl-C)."""
    url = await relay.start()
    print(f"wallboard relay: serving tenant {relay.tenant!r} at {url}", file=out)
    print(f"  boards: realtime_url = \"{url}\", the same tenant, and the relay token as their realtime-token", file=out)
    if relay.events_url is not None:
        print(f"  push: boards set [events] enabled = true; they find the relay's stream at {relay.events_url}", file=out)
    print(f"  health (no auth): {relay.base}/healthz    Ctrl-C stops.", file=out, flush=True)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await relay.stop()


__all__ = ["ERROR_HEADER", "RelayServer", "serve_until_stopped", "start_site", "tls_context"]
