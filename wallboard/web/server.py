"""``wallboard serve``: textual-serve's page and websocket, fed by an in-process relay.

textual-serve (the Textual project's own package) serves a page with a terminal in it
and, for each websocket, starts the app's command in a subprocess with Textual's web
driver. We keep its page, script and process handling and change three things:

* The session options (``?tv=1&view=NAME``) travel in the websocket's path, and each
  session's command is built from them (:mod:`wallboard.web.sessions`).
* The page's links are made from the request (or ``--public-url``), so the page works
  under whatever name and scheme the browser used, behind a TLS reverse proxy too.
* Off loopback: TLS and Basic auth (tenant + relay token) on every path, the websocket
  included; at most ``max_sessions`` boards at once (each is a process).

Every session's board polls the relay inside this process (on a loopback port, with a
token made for this run and handed to the boards in their environment, never argv), so
any number of browsers cost 8x8 one board's requests. With ``[events] enabled`` the relay
holds the one connection to the event stream too, and the boards read it from the relay.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from wallboard.credentials.secret import Secret
from wallboard.relay.access import check_basic
from wallboard.web.sessions import SessionOptions

log = logging.getLogger("wallboard.serve")
DEFAULT_MAX_SESSIONS = 20


class BoardServer(Server):
    """textual-serve's server with per-session board commands, auth and a session cap."""

    def __init__(
        self,
        command_for: Callable[[SessionOptions], str],
        *,
        title: str = "wallboard",
        public_url: str | None = None,
        tenant: str = "",
        token: Secret | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        super().__init__("wallboard", title=title, public_url=public_url or "")
        self.command_for = command_for
        self.fixed_public_url = (public_url or "").rstrip("/")
        self.tenant = tenant
        self.token = token
        self.max_sessions = max_sessions
        self.active = 0
        self.commands: list[str] = []
        """Every session's command, in order (tests and the log read it; it holds no secret)."""

    async def make_app(self) -> web.Application:
        app = await self._make_app()
        app.router.add_get("/ws/{options}", self.handle_session, name="session")
        if self.token is not None:
            app.middlewares.append(self._require_auth)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints its logo here; the serve command prints its own lines.)"""

    @web.middleware
    async def _require_auth(self, request: web.Request, handler) -> web.StreamResponse:
        assert self.token is not None
        refusal = check_basic(request.headers.get("Authorization"), self.tenant, self.token)
        if refusal is not None:
            return web.Response(status=refusal.status, body=refusal.body, headers=dict(refusal.headers), content_type="application/json")
        return await handler(request)

    def _base(self, request: web.Request) -> str:
        if self.fixed_public_url:
            return self.fixed_public_url
        scheme = "https" if request.secure else "http"
        return f"{scheme}://{request.host}"

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        options = SessionOptions.from_query(request.query)
        base = self._base(request)
        websocket = ("wss:" if base.startswith("https") else "ws:") + base.split(":", 1)[1]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}/ws/{options.path_segment()}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's own ``/ws`` (no options): the default board."""
        return await self._session(request, SessionOptions())

    async def handle_session(self, request: web.Request) -> web.WebSocketResponse:
        return await self._session(request, SessionOptions.from_segment(request.match_info["options"]))

    async def _session(self, request: web.Request, options: SessionOptions) -> web.WebSocketResponse:
        """One browser's board: start its process, pass keys and sizes, stop it at the end."""
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.active >= self.max_sessions:
            await websocket.send_str(f"\r\nwallboard: {self.max_sessions} boards are open already; close one and reload.\r\n")
            await websocket.close()
            return websocket
        command = self.command_for(options)
        self.commands.append(command)
        self.active += 1
        service: AppService | None = None
        try:
            service = AppService(
                command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken session must not take the server down
            log.warning("a browser session ended with %s", type(error).__name__)
        finally:
            self.active -= 1
            if service is not None:
                await _reap(service)
        return websocket


async def _reap(service: AppService, grace: float = 10.0) -> None:
    """Make sure a session's board process has ended (textual-serve asks it to quit but
    never waits for it): no board outlives its browser, and its pipes close in this loop."""
    process = service._process
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), grace)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


class ServedFloor:
    """``wallboard serve`` as one object: the relay on loopback and the page in front.

    ``start()`` returns the page's address; ``stop()`` closes every session and the relay.
    The boards' token for the relay is made here, for this run only, and handed to them in
    the environment they inherit (``WALLBOARD_REALTIME_TOKEN``); ``stop()`` takes it back.
    """

    def __init__(
        self,
        source,
        tenant: str,
        *,
        interval: float = 10.0,
        host: str = "127.0.0.1",
        port: int = 0,
        certfile: str | None = None,
        keyfile: str | None = None,
        public_url: str | None = None,
        viewer_token: Secret | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        config: str | None = None,
        extra: tuple[str, ...] = (),
        log=None,
        events_url: str | None = None,
    ) -> None:
        import secrets

        from wallboard.relay.access import check_listen
        from wallboard.relay.server import RelayServer, tls_context
        from wallboard.web.sessions import board_command, supports_option

        check_listen(host, certfile, keyfile, what="board server")
        self.host, self.port, self.public_url = host, port, public_url
        self.ssl_context = tls_context(certfile, keyfile)
        self._session_token = secrets.token_urlsafe(24)
        self.relay = RelayServer(source, tenant, Secret(self._session_token), interval=interval, log=log, events_url=events_url)
        self.views = supports_option("--view")
        self.server = BoardServer(
            lambda options: board_command(options, self.relay.url, tenant, config=config, extra=extra, views_supported=self.views),
            public_url=public_url,
            tenant=tenant,
            token=viewer_token,
            max_sessions=max_sessions,
        )
        self._runner: web.AppRunner | None = None
        self._saved_env: str | None = None

    async def start(self) -> str:
        import os

        from wallboard.credentials.store import ENV_VARS, REALTIME_TOKEN
        from wallboard.relay.server import start_site

        await self.relay.start()
        variable = ENV_VARS[REALTIME_TOKEN]
        self._saved_env = os.environ.get(variable)
        os.environ[variable] = self._session_token  # each session's board inherits it; never in argv
        self._runner, self.port = await start_site(await self.server.make_app(), self.host, self.port, self.ssl_context)
        return self.url

    @property
    def url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        scheme = "https" if self.ssl_context else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    async def stop(self) -> None:
        import os

        from wallboard.credentials.store import ENV_VARS, REALTIME_TOKEN

        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.relay.stop()
        variable = ENV_VARS[REALTIME_TOKEN]
        if self._saved_env is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = self._saved_env
