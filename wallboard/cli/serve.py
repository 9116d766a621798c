"""``wallboard serve``: the board in web browsers (textual-serve), fed by one relay.

Runs a relay inside this process (on a free loopback port) and, for each browser, a
``wallboard run`` against it. Loopback by default; any other address needs TLS
(``--certfile``/``--keyfile``) and browsers then sign in with the tenant and the relay
token (Basic auth). Behind a TLS reverse proxy keep ``--host 127.0.0.1`` and give the
proxy's address as ``--public-url``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from wallboard.cli.board import settings_from_args, source_needs
from wallboard.cli.relay import add_listen_options, add_source_options
from wallboard.cli.unlock import ask_keyring_password
from wallboard.config import default_config_path
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ENV_VARS, REALTIME_TOKEN, RELAY_TOKEN, resolve
from wallboard.errors import ConfigError
from wallboard.urls import is_loopback

DEFAULT_PORT = 8090


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="the board in web browsers (textual-serve), every session fed by one relay",
        description="Serve the board to web browsers. Open http://HOST:PORT/ for the board, /?tv=1 for TV mode, "
        "/?view=NAME&tv=1 for a team's view (where the board has views), &fontsize=N to scale it. Every "
        "browser's board reads one relay inside this process: 8x8 sees one board's requests.",
    )
    add_listen_options(parser, DEFAULT_PORT, "page")
    parser.add_argument("--public-url", metavar="URL", help="the address browsers use, when a reverse proxy is in front")
    parser.add_argument("--max-sessions", type=int, default=20, metavar="N", help="boards open at once (each is a process; default 20)")
    add_source_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wallboard.relay.access import check_listen

    check_listen(args.host, args.certfile, args.keyfile, what="board server")
    settings = settings_from_args(args)
    if settings.data_source == "cc-realtime":
        raise ConfigError(
            "`wallboard serve` polls the Real Time Statistics API itself; for source = cc-realtime run "
            "`wallboard relay --source cc-realtime` and serve with --realtime-url pointing at that relay "
            "(and `source = \"rtstats\"` for serve)"
        )
    remote = not is_loopback(args.host)
    ask_keyring_password((REALTIME_TOKEN, RELAY_TOKEN) if remote else (REALTIME_TOKEN,))
    missing, token = source_needs(settings)
    viewer_token = resolve(RELAY_TOKEN) if remote else None
    if viewer_token is not None and viewer_token.value is None:
        missing.append(f"the relay token browsers sign in with off loopback: `wallboard secrets set relay-token` or {ENV_VARS[RELAY_TOKEN]}")
    if missing:
        raise ConfigError("`wallboard serve` is not configured yet. Set " + "; ".join(missing) + f". Config file: {default_config_path()}.")
    assert token.value is not None
    events_url = None
    if settings.events.enabled:  # the relay inside holds the stream; the browsers' boards read it from there
        from wallboard.live.push import stream_address

        events_url = stream_address(settings)
        if settings.events.url:
            print(
                "wallboard serve: events.url is set, so the browsers' boards would read that stream, not this "
                "relay's: leave events.url out (the region's host is used) for push in the browsers",
                file=sys.stderr,
            )
    try:
        asyncio.run(_serve(args, settings, token.value, viewer_token.value if viewer_token else None, events_url))
    except KeyboardInterrupt:
        pass
    return 0


async def _serve(args, settings, token: Secret, viewer_token: Secret | None, events_url: str | None = None) -> None:
    from wallboard.clients.rtstats import RealtimeClient
    from wallboard.web.server import ServedFloor

    async with RealtimeClient(settings.realtime_url, settings.tenant, token, fmt=settings.format) as client:  # type: ignore[arg-type]
        floor = ServedFloor(
            client,
            settings.tenant,
            interval=settings.interval,
            host=args.host,
            port=args.port,
            certfile=args.certfile,
            keyfile=args.keyfile,
            public_url=args.public_url,
            viewer_token=viewer_token,
            max_sessions=args.max_sessions,
            config=args.config,
            extra=("--interval", str(args.interval)) if args.interval else (),
            log=sys.stderr,
            events_url=events_url,
        )
        base = await floor.start()
        try:
            print(f"wallboard serve: the board at {base}/  (TV mode: {base}/?tv=1", end="")
            print(f"; a view: {base}/?view=NAME&tv=1)" if floor.views else "; views: pending the board's --view)")
            if viewer_token is not None:
                print(f"  browsers sign in with the tenant {settings.tenant!r} and the relay token")
            print("  Ctrl-C stops.", flush=True)
            await asyncio.Event().wait()
        finally:
            await floor.stop()
