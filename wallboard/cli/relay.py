"""``wallboard relay``: poll the tenant once, serve every board on the floor.

Takes the source options of ``run`` (``--config``, ``--realtime-url``, ``--tenant``,
``--format``, ``--interval``, ``--source``) and where to listen. Needs the secrets of
the source to poll with (the 8x8 data-request token ``realtime-token``, or with
``--source cc-realtime`` the v5 ``cc-api-key`` and ``cc-api-secret``), and the relay's
own token (``relay-token``) that viewers send with the tenant name; it must differ from
them, so a viewer's machine never holds a secret that reaches 8x8. Either source is
served in the Real Time Statistics shapes, so boards behind the relay need nothing new.

With ``[events] enabled = true`` the relay also holds the one connection to 8x8's event
stream: what it serves carries the pushed changes between polls, and it re-serves the
stream to boards whose ``[events] url`` points at it (see :mod:`wallboard.relay.server`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from wallboard.cli.board import cc_secrets_needed, settings_from_args, source_client, source_needs
from wallboard.cli.unlock import ask_keyring_password
from wallboard.config import CC_CACHE_PERIOD, FORMATS, SOURCES, default_config_path
from wallboard.credentials.store import CC_API_KEY, CC_API_SECRET, REALTIME_TOKEN, RELAY_TOKEN, resolve
from wallboard.live.schedule import CACHE_PERIOD
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
    add_source_options(parser, source=True)
    parser.set_defaults(func=run)


def add_source_options(parser: argparse.ArgumentParser, source: bool = False) -> None:
    """What to poll: the source options of ``run`` (CONTRACT.md); ``source``: ``--source`` too."""
    parser.add_argument("--config", metavar="PATH", help=f"config file (default {default_config_path()})")
    parser.add_argument("--realtime-url", metavar="URL", help=f"Real Time Statistics URL or region name: {REGION_FORMS}")
    parser.add_argument("--tenant", metavar="NAME", help="8x8 tenant name")
    parser.add_argument("--format", choices=FORMATS, help="ask 8x8 for json (default) or xml (the relay serves both)")
    parser.add_argument("--interval", metavar="SECONDS", help="seconds between polls of 8x8 (default 10)")
    if source:
        parser.add_argument("--source", choices=SOURCES, help="poll rtstats (Real Time Statistics, default) or cc-realtime (Contact Center Real-time Metrics v5)")
        parser.add_argument(
            "--events", action="store_true", default=None,
            help="connect to 8x8's event stream: serve pushed changes between polls and re-serve the stream ([events] enabled = true)",
        )


def run(args: argparse.Namespace) -> int:
    from wallboard.relay.access import check_listen

    check_listen(args.host, args.certfile, args.keyfile)  # before asking for anything
    settings = settings_from_args(args)
    cc = settings.data_source == "cc-realtime"
    ask_keyring_password((CC_API_KEY, CC_API_SECRET, RELAY_TOKEN) if cc else (REALTIME_TOKEN, RELAY_TOKEN))
    if cc:
        credential, missing = cc_secrets_needed()
        upstream = list(credential.values())
        if not settings.tenant:
            missing.insert(0, "`tenant` (the name viewers sign in with) in the config file or --tenant")
    else:
        missing, token = source_needs(settings)
        credential = token.value
        upstream = [token.value] if token.value is not None else []
    relay_token = resolve(RELAY_TOKEN)
    if relay_token.value is None:
        problem = f" ({relay_token.problem})" if relay_token.problem else ""
        missing.append(
            "the relay's own token, which viewers send: `wallboard secrets set relay-token` or WALLBOARD_RELAY_TOKEN" + problem
        )
    if missing:
        raise ConfigError("the relay is not configured yet. Set " + "; ".join(missing) + f". Config file: {default_config_path()}.")
    assert credential is not None and relay_token.value is not None
    if any(secret.reveal() == relay_token.value.reveal() for secret in upstream):
        raise ConfigError(
            "the relay token is one of the 8x8 secrets: choose another one with `wallboard secrets set relay-token`, "
            "so the screens never hold a secret that reaches 8x8"
        )
    events_url = None
    if settings.events.enabled:
        from wallboard.live.push import stream_address

        events_url = stream_address(settings)  # an unknown region is a one-line ConfigError, before serving
    try:
        asyncio.run(_relay(args, settings, credential, relay_token.value, events_url))
    except KeyboardInterrupt:
        pass
    return 0


async def _relay(args, settings, credential, relay_token, events_url=None) -> None:
    from wallboard.relay.server import RelayServer, serve_until_stopped

    client = source_client(settings, credential)
    async with client:
        relay = RelayServer(
            client,
            settings.tenant,
            relay_token,
            interval=settings.interval,
            cache_period=CC_CACHE_PERIOD if settings.data_source == "cc-realtime" else CACHE_PERIOD,
            host=args.host,
            port=args.port,
            certfile=args.certfile,
            keyfile=args.keyfile,
            log=sys.stderr,
            events_url=events_url,
        )
        await serve_until_stopped(relay)

