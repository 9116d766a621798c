"""``wallboard relay``: poll the tenant once, serve every board on the floor.

Takes the source options of ``run`` (``--config``, ``--realtime-url``, ``--tenant``,
``--format``, ``--interval``) and where to listen. Needs two secrets: the 8x8
data-request token (``realtime-token``) to poll with, and the relay's own token
(``relay-token``) that viewers send with the tenant name; they must differ, so a
viewer's machine never holds the token that reaches 8x8.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from wallboard.cli.board import settings_from_args, source_needs
from wallboard.cli.unlock import ask_keyring_password
from wallboard.clients.rtstats import RealtimeClient
from wallboard.config import FORMATS, default_config_path
from wallboard.credentials.store import REALTIME_TOKEN, RELAY_TOKEN, resolve
from wallboard.errors import ConfigError
from wallboard.urls import REGION_FORMS

DEFAULT_PORT = 8089


def add_listen_options(parser: argparse.ArgumentParser, port: int, what: str) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other needs --certfile)")
    parser.add_argument("--port", type=int, default=port, metavar="P", help=f"port (default {port}; 0 picks a free one)")
    parser.add_argument("--certfile", metavar="PEM", help=f"TLS certificate (chain) for the {what}: serves HTTPS")
    parser.add_argument("--keyfile", metavar="PEM", help="the certificate's private key (if not in --certfile)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "relay",
        help="poll 8x8 once and serve the Real Time Statistics API to many boards",
        description="Poll the configured tenant (one request per cache cycle per endpoint) and serve "
        "/api/rtstats/stats/agents, /queues, /agent/ID, /queue/ID (.json, .xml) to boards and scripts, "
        "with ETag/304 and Cache-Control for HTTP caches. Viewers use Basic auth: the tenant and the "
        "relay token (`wallboard secrets set relay-token` or WALLBOARD_RELAY_TOKEN). GET /healthz needs no auth.",
    )
    add_listen_options(parser, DEFAULT_PORT, "relay")
    add_source_options(parser)
    parser.set_defaults(func=run)


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """What to poll: the source options of ``run`` (CONTRACT.md)."""
    parser.add_argument("--config", metavar="PATH", help=f"config file (default {default_config_path()})")
    parser.add_argument("--realtime-url", metavar="URL", help=f"Real Time Statistics URL or region name: {REGION_FORMS}")
    parser.add_argument("--tenant", metavar="NAME", help="8x8 tenant name")
    parser.add_argument("--format", choices=FORMATS, help="ask 8x8 for json (default) or xml (the relay serves both)")
    parser.add_argument("--interval", metavar="SECONDS", help="seconds between polls of 8x8 (default 10)")


def run(args: argparse.Namespace) -> int:
    from wallboard.relay.access import check_listen

    check_listen(args.host, args.certfile, args.keyfile)  # before asking for anything
    settings = settings_from_args(args)
    ask_keyring_password((REALTIME_TOKEN, RELAY_TOKEN))
    missing, token = source_needs(settings)
    relay_token = resolve(RELAY_TOKEN)
    if relay_token.value is None:
        problem = f" ({relay_token.problem})" if relay_token.problem else ""
        missing.append(
            "the relay's own token, which viewers send: `wallboard secrets set relay-token` or WALLBOARD_RELAY_TOKEN" + problem
        )
    if missing:
        raise ConfigError("the relay is not configured yet. Set " + "; ".join(missing) + f". Config file: {default_config_path()}.")
    assert token.value is not None and relay_token.value is not None
    if token.value.reveal() == relay_token.value.reveal():
        raise ConfigError(
            "the relay token is the 8x8 data-request token: choose another one with `wallboard secrets set relay-token`, "
            "so the screens never hold the token that reaches 8x8"
        )
    try:
        asyncio.run(_relay(args, settings, token.value, relay_token.value))
    except KeyboardInterrupt:
        pass
    return 0


async def _relay(args, settings, token, relay_token) -> None:
    from wallboard.relay.server import RelayServer, serve_until_stopped

    client = RealtimeClient(settings.realtime_url, settings.tenant, token, fmt=settings.format)  # type: ignore[arg-type]
    async with client:
        relay = RelayServer(
            client,
            settings.tenant,
            relay_token,
            interval=settings.interval,
            host=args.host,
            port=args.port,
            certfile=args.certfile,
            keyfile=args.keyfile,
            log=sys.stderr,
        )
        await serve_until_stopped(relay)

