"""``wallboard run`` and ``wallboard demo``: the live board.

``demo`` starts the simulator on a free loopback port and points the board at it over
real HTTP, so it needs no account, no config file and no secrets.

``--source cc-realtime`` (or ``source = "cc-realtime"``) reads the Contact Center
Real-time Metrics API (v5) instead of the Real Time Statistics API: the same board, fed
by another client and parser; the simulator serves both from one scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping, TextIO

from wallboard.cli.simulate import add_scenario_options, build_simulator
from wallboard.cli.unlock import ask_keyring_password
from wallboard.clients.network import set_default_ca_bundle
from wallboard.clients.ccrealtime import CcRealtimeClient
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.wire.ccrealtime import Units
from wallboard.config import CC_CACHE_PERIOD, FORMATS, SOURCES, Settings, default_config_path, load_settings
from wallboard.errors import ConfigError, WallboardError
from wallboard.live.schedule import CACHE_PERIOD
from wallboard.plain import PlainReport
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import (
    ANALYTICS_API_KEY,
    ANALYTICS_PASSWORD,
    CC_API_KEY,
    CC_API_SECRET,
    REALTIME_TOKEN,
    Resolved,
    in_environment,
    keyring_info,
    may_need_keyring_password,
    resolve,
)
from wallboard.urls import REGION_FORMS

if TYPE_CHECKING:
    from wallboard.live.poller import Source

OPTION_KEYS = {
    "realtime_url": ("realtime_url", "--realtime-url"),
    "tenant": ("tenant", "--tenant"),
    "format": ("format", "--format"),
    "analytics_url": ("analytics.url", "--analytics-url"),
    "interval": ("interval", "--interval"),
    "theme": ("theme", "--theme"),
    "tv": ("tv", "--tv"),
    "rotate": ("rotate", "--rotate"),
    "source": ("source", "--source"),
    "events": ("events.enabled", "--events"),
    "view": ("view", "--view"),
}


def add_board_options(parser: argparse.ArgumentParser) -> None:
    """The options CONTRACT.md promises for both ``run`` and ``demo``."""
    parser.add_argument("--config", metavar="PATH", help=f"config file (default {default_config_path()})")
    parser.add_argument("--realtime-url", metavar="URL", help=f"Real Time Statistics URL or region name: {REGION_FORMS}")
    parser.add_argument("--tenant", metavar="NAME", help="8x8 tenant name")
    parser.add_argument("--format", choices=FORMATS, help="ask the server for json (default) or xml")
    parser.add_argument("--analytics-url", metavar="URL", help="Work Analytics URL")
    parser.add_argument("--interval", metavar="SECONDS", help="seconds between refreshes (default 10)")
    parser.add_argument("--theme", metavar="NAME", help="theme name (wallboard-dark, wallboard-light, wallboard-tv, or your own)")
    parser.add_argument("--tv", action="store_true", default=None, help="TV mode: big figures, no chrome, rotating tabs")
    parser.add_argument("--rotate", metavar="SECONDS", help="seconds between tab changes in TV mode (default 20; 0: never)")
    parser.add_argument("--events", action="store_true", default=None, help="push agent changes from the event stream ([events] enabled = true)")
    parser.add_argument("--source", choices=SOURCES, help="live data from rtstats (Real Time Statistics, default) or cc-realtime (Contact Center Real-time Metrics v5)")
    parser.add_argument("--view", metavar="NAME[,NAME...]", help="open on these views ([views.NAME] in the config); v cycles them")


def register(subparsers: argparse._SubParsersAction) -> None:
    run_parser = subparsers.add_parser("run", help="the live board against your tenant (the default command)")
    add_board_options(run_parser)
    run_parser.set_defaults(func=run)
    demo_parser = subparsers.add_parser(
        "demo", help="the board against the built-in simulator: no account, config or secrets needed"
    )
    add_board_options(demo_parser)
    add_scenario_options(demo_parser)
    demo_parser.set_defaults(func=demo)


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides = {
        key: (getattr(args, attribute), option)
        for attribute, (key, option) in OPTION_KEYS.items()
        if getattr(args, attribute, None) is not None
    }
    settings = load_settings(args.config, overrides)
    set_default_ca_bundle(settings.ca_bundle)  # every client of this process, the Historical tab's too
    return settings


def interactive() -> bool:
    """Show the board (not plain tables): on a terminal, or in a browser through
    ``wallboard serve`` (textual-serve runs each session with Textual's web driver)."""
    return sys.stdout.isatty() or os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if interactive():
        return _run_board(settings)  # the board asks for whatever is missing on its setup screen
    ask_keyring_password()  # an encrypted file keyring: its password, on the terminal, first
    if settings.data_source == "cc-realtime":
        return launch(settings, _cc_secrets(), cache_period=CC_CACHE_PERIOD)
    missing, token = source_needs(settings)
    if missing:
        raise ConfigError(
            "not configured yet. Set " + "; ".join(missing) + f". Config file: {default_config_path()}. "
            "To look around without an account: `wallboard demo`."
        )
    return launch(settings, token.value)


def source_needs(settings: Settings) -> tuple[list[str], Resolved]:
    """What is missing to poll the tenant (name, URL, token; ``run``, ``relay`` and
    ``serve`` alike), and the token as resolved."""
    missing = []
    if not settings.tenant:
        missing.append("`tenant` (the 8x8 tenant name) in the config file or --tenant")
    if not settings.realtime_url:
        missing.append("`region` or `realtime_url` in the config file, or --realtime-url")
    token = resolve(REALTIME_TOKEN)
    if token.value is None:
        missing.append(token_advice(token))
    return missing, token


def cc_secrets_needed() -> tuple[dict[str, Secret], list[str]]:
    """The v5 key and secret found (environment or keyring), and how to set those missing."""
    found, missing = {}, []
    for name in (CC_API_KEY, CC_API_SECRET):
        resolved = resolve(name)
        if resolved.value is None:
            missing.append(f"`wallboard secrets set {name}` or WALLBOARD_{name.upper().replace('-', '_')}")
        else:
            found[name] = resolved.value
    return found, missing


def _cc_secrets() -> dict[str, Secret]:
    """The v5 key and secret from the environment or keyring, or a one-line error saying how to set them."""
    found, missing = cc_secrets_needed()
    if missing:
        raise ConfigError(
            "source = cc-realtime needs the Contact Center API key and secret: " + "; ".join(missing)
            + ". To look around without an account: `wallboard demo --source cc-realtime`."
        )
    return found


def token_advice(token: Resolved) -> str:
    """How to provide the missing token, given whether this machine has a usable keyring."""
    if not keyring_info().usable:
        return (
            "the data-request token in WALLBOARD_REALTIME_TOKEN (this machine has no usable keyring for "
            "`wallboard secrets set realtime-token`; `wallboard secrets status` says how to install one)"
        )
    advice = "the data-request token: `wallboard secrets set realtime-token` or WALLBOARD_REALTIME_TOKEN"
    return f"{advice} ({token.problem})" if token.problem else advice


def demo(args: argparse.Namespace) -> int:
    from wallboard.sim.analytics import DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERNAME
    from wallboard.sim.simulator import DEMO_TENANT, DEMO_TOKEN

    from wallboard.sim.ccrealtime import DEMO_CC_KEY, DEMO_CC_SECRET

    settings = demo_settings(args)
    cc = settings.data_source == "cc-realtime"
    simulator = build_simulator(args, default_cycle=CC_CACHE_PERIOD if cc else CACHE_PERIOD)
    simulator.start()
    try:
        # The Historical tab reads the simulator's Work Analytics too, without asking for anything.
        analytics = replace(settings.analytics, url=simulator.analytics_url, username=DEMO_USERNAME, pbx=("allpbxes",))
        settings = replace(settings, tenant=DEMO_TENANT, realtime_url=simulator.realtime_url, analytics=analytics)
        demo_secrets = {ANALYTICS_API_KEY: Secret(DEMO_API_KEY), ANALYTICS_PASSWORD: Secret(DEMO_PASSWORD)}
        credential: Secret | dict[str, Secret] = Secret(DEMO_TOKEN)
        if cc:
            settings = replace(settings, cc_realtime=replace(settings.cc_realtime, url=simulator.cc_realtime_url, tenant_info=""))
            credential = {CC_API_KEY: Secret(DEMO_CC_KEY), CC_API_SECRET: Secret(DEMO_CC_SECRET)}
        if settings.events.enabled:
            settings = replace(settings, events=replace(settings.events, url=simulator.stream_url))
        return launch(settings, credential, demo_secrets, cache_period=simulator.scenario.cycle)
    finally:
        simulator.stop()


def demo_settings(args: argparse.Namespace) -> Settings:
    """The demo's settings: the user's, with the demo's views and per-queue targets where
    the user's config has none (:mod:`wallboard.demo_config`); ``--view`` picks among them."""
    from wallboard.config import apply_overrides
    from wallboard.demo_config import with_demo_views

    chosen, args.view = getattr(args, "view", None), None
    settings = with_demo_views(settings_from_args(args))
    return apply_overrides(settings, {"view": (chosen, "--view")}) if chosen is not None else settings


def launch(
    settings: Settings,
    token: Secret | Mapping[str, Secret],
    analytics_secrets: Mapping[str, Secret] | None = None,
    cache_period: float = CACHE_PERIOD,
) -> int:
    """Run the board until the user quits (plain tables when output is not a terminal).

    ``analytics_secrets`` (the demo's) spare the Historical tab from looking them up.
    """
    try:
        if interactive():
            return asyncio.run(_board(settings, token, analytics_secrets, cache_period))
        else:
            return asyncio.run(_plain_loop(settings, token))
    except KeyboardInterrupt:
        pass
    return 0


def source_client(settings: Settings, token: Secret | Mapping[str, Secret]) -> RealtimeClient | CcRealtimeClient:
    """The client of the configured source: the rtstats token, or the v5 key and secret."""
    if settings.data_source == "cc-realtime":
        assert isinstance(token, Mapping)
        cc = settings.cc_realtime
        return CcRealtimeClient(
            cc.base_url,
            token[CC_API_KEY],
            token[CC_API_SECRET],
            tenant_info=cc.tenant_info,
            timezone=settings.timezone,
            units=Units(percent_scale=cc.percent_scale),  # type: ignore[arg-type]
        )
    assert isinstance(token, Secret)
    return RealtimeClient(settings.realtime_url, settings.tenant, token, fmt=settings.format)  # type: ignore[arg-type]


def _run_board(settings: Settings) -> int:
    try:
        return asyncio.run(_run_board_async(settings))
    except KeyboardInterrupt:
        return 0


async def _run_board_async(settings: Settings) -> int:
    """The interactive board of ``wallboard run``.

    When the credentials are all found (environment or keyring), the first answers are
    asked for at once and the board is built while they are in flight
    (:class:`~wallboard.live.primed.PrimedSource`). Otherwise the board starts with its
    setup screen, asks for what is missing, and connects itself.

    The order is the one that lets the answers travel longest while this process works:
    when the source's secrets are in the environment, the requests go out first, then the
    keyring is detected (about 0.2 s; its password asked for, if it is a locked encrypted
    file, before the board owns the terminal), then Textual loads. The keyring is
    detected there only if it may need that password
    (:func:`~wallboard.credentials.store.may_need_keyring_password`); otherwise the first
    use detects it (the Historical tab's, in a thread), and the board starts 0.2 s sooner. All three are work for
    the one interpreter, so running them side by side in threads would gain nothing (and
    loading Textual beside the keyring's detection held the detection back by half a
    second): only the network's and the server's time can overlap them.
    """
    from wallboard.credentials.needs import SECRETS_FOR, gather

    cc = settings.data_source == "cc-realtime"
    period = CC_CACHE_PERIOD if cc else CACHE_PERIOD
    purpose = "cc-realtime" if cc else "realtime"
    found, needs = gather(purpose, settings) if in_environment(SECRETS_FOR[purpose]) else ({}, None)
    client = _client_or_none(settings, found, cc) if needs is not None and not needs.needed else None
    primed = await _ask_first(client) if client is not None else None  # everything at hand: ask now
    if needs is None or may_need_keyring_password():  # else detected on first use, in a thread
        try:
            await asyncio.to_thread(keyring_info)  # detected while the answers travel
            ask_keyring_password()  # an encrypted file keyring: its password, on the terminal, before the board
        except BaseException:  # a wrong password three times, Ctrl-C at the prompt
            if client is not None:
                primed.discard()
                await client.aclose()
            raise
    if needs is None:  # a secret is not in the environment: the keyring may have it
        found, needs = await asyncio.to_thread(gather, purpose, settings)
        if not needs.needed:
            client = _client_or_none(settings, found, cc)
    if client is None:  # the board's setup screen asks, or its own connect says what is wrong, on screen
        app = (await asyncio.to_thread(_board_app_class))(settings, connector=source_client, cache_period=period, freeze_heap=True)
        await app.run_async()
        return app.return_code or 0
    async with client:
        return await _primed_board(client, settings, None, period, primed)


def _client_or_none(settings: Settings, found: Mapping[str, Secret], cc: bool):
    try:
        return source_client(settings, found if cc else found[REALTIME_TOKEN])
    except WallboardError:
        return None  # the board's own connect says it, on screen, as it always does


async def _ask_first(client):
    """``client`` with both feeds asked for, the requests started on their way before
    anything else takes the interpreter."""
    from wallboard.live.primed import PrimedSource

    primed = PrimedSource.asking(client)
    await asyncio.sleep(0)
    return primed


async def _primed_board(client, settings: Settings, analytics_secrets, cache_period: float, primed=None) -> int:
    """The board on ``client``, its first answers asked for (unless ``primed`` already
    has) before Textual is even loaded (in a thread, while the loop sends the requests
    and reads the answers)."""
    if primed is None:
        primed = await _ask_first(client)
    try:
        board_app = await asyncio.to_thread(_board_app_class)
        app = board_app(settings, source=primed, analytics_secrets=analytics_secrets, cache_period=cache_period, freeze_heap=True)
        await app.run_async()
    finally:
        primed.discard()
    return app.return_code or 0  # 1 after a crash, so a script or systemd sees it


async def _board(
    settings: Settings,
    token: Secret | Mapping[str, Secret],
    analytics_secrets: Mapping[str, Secret] | None = None,
    cache_period: float = CACHE_PERIOD,
) -> int:
    async with source_client(settings, token) as client:
        return await _primed_board(client, settings, analytics_secrets, cache_period)


def _board_app_class() -> type:
    from wallboard.ui.app import WallboardApp  # Textual loads only for the interactive board

    return WallboardApp


async def _plain_loop(settings: Settings, token: Secret | Mapping[str, Secret]) -> int:
    async with source_client(settings, token) as client:
        return await run_plain(client, settings)


async def run_plain(source: Source, settings: Settings, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Plain mode: the board's poller and rules, tables on ``out``, failures on ``err``.

    The same :class:`~wallboard.live.poller.Poller` as the board's: one request per endpoint in
    flight, back-off after failures, the server's Retry-After honoured, and refused
    credentials stop it (exit code 2) instead of being retried. Returns the exit code.
    """
    from wallboard.live.poller import Poller

    out = out or sys.stdout
    err = err or sys.stderr
    from wallboard.core.views.selection import ViewChoice

    views = ViewChoice(settings.views, settings.view)  # the first view given with --view
    shown = views.current
    report = PlainReport(settings.thresholds, settings.zone(), shown.label if views.configured else "", shown.serving)

    def receive(snapshot) -> None:
        printed = report.receive(views.apply(snapshot), poller.mono())
        try:
            if printed.out:
                out.write("\n".join(printed.out) + "\n")
                out.flush()
        except BrokenPipeError:  # `wallboard run | head`: the reader has had enough
            poller.stop()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        for line in printed.err:
            print(line, file=err, flush=True)
        if report.refused:
            poller.stop()

    poller = Poller(source, settings.interval, receive)
    await poller.run()
    return 2 if report.refused else 0
