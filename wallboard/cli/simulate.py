"""``wallboard simulate``: the simulator alone, until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfoNotFoundError

from wallboard.errors import ConfigError
from wallboard.sim.faults import KINDS, FaultPlan, FaultSpecError

if TYPE_CHECKING:  # loaded when a simulator is built: `wallboard run` starts without it
    from wallboard.sim.simulator import Simulator


def add_scenario_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``simulate`` and ``demo``."""
    parser.add_argument("--agents", type=_non_negative, default=40, metavar="N", help="number of agents (default 40)")
    parser.add_argument("--queues", type=_positive, default=8, metavar="M", help="number of queues (default 8)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="scenario seed; the same seed gives the same data (default 1)")
    parser.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help="inject faults, e.g. '503=0.1,429=0.05,slow=0.02@agents,retry-after=5'; kinds: " + ", ".join(KINDS),
    )
    parser.add_argument("--cycle", type=_positive_float, default=None, metavar="SECONDS", help="cache refresh period of the simulated service (default 10; 5 for demo --source cc-realtime)")
    parser.add_argument("--hostile-names", action="store_true", help="give some agents and a queue hostile names (markup, escape sequences, bidi, emoji)")
    parser.add_argument("--token-expiry", type=_non_negative_float, default=1800.0, metavar="SECONDS", help="lifetime of Work Analytics access tokens (default 1800; short values exercise renewal)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="run the 8x8 API simulator alone until Ctrl-C",
        description="Serve a simulated 8x8 tenant on loopback. Credentials: tenant 'demo', token 'demo'; "
        "Work Analytics API key 'demo', user 'demo', password 'demo'.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8088, metavar="P", help="port (default 8088; 0 picks a free one)")
    parser.add_argument("--phase", type=float, default=None, metavar="SECONDS", help="phase of the cache cycle (default: drawn from the seed)")
    parser.add_argument(
        "--timezone", default="UTC", metavar="IANA_ZONE",
        help="the tenant's zone: \"today\" figures reset at its midnight (default UTC; a v5 request's timezone wins)",
    )
    add_scenario_options(parser)
    parser.set_defaults(func=run)


def build_simulator(args: argparse.Namespace, host: str = "127.0.0.1", port: int = 0, default_cycle: float = 10.0) -> Simulator:
    from wallboard.sim.simulator import Simulator

    try:
        plan = FaultPlan.parse(args.faults, seed=args.seed)
        return Simulator(
            seed=args.seed,
            agents=args.agents,
            queues=args.queues,
            host=host,
            port=port,
            faults=plan,
            cycle=args.cycle if args.cycle is not None else default_cycle,
            phase=getattr(args, "phase", None),
            hostile=args.hostile_names,
            token_expiry=args.token_expiry,
            timezone=getattr(args, "timezone", None) or "UTC",
        )
    except ZoneInfoNotFoundError:
        raise ConfigError(f"--timezone: unknown zone {args.timezone!r}: give an IANA name such as Europe/London") from None
    except FaultSpecError as error:
        raise ConfigError(f"--faults: {error}") from None
    except ValueError as error:
        raise ConfigError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    from wallboard.sim.analytics import DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERNAME
    from wallboard.sim.simulator import DEMO_TENANT, DEMO_TOKEN

    simulator = build_simulator(args, args.host, args.port)
    try:
        simulator.start()
    except OSError as error:
        raise ConfigError(f"cannot listen on {args.host}:{args.port} ({error.strerror or error}); try another --port") from None
    print(f"wallboard simulator listening on {simulator.server.url}", flush=True)
    print(f"  real-time statistics: {simulator.realtime_url}  (tenant {DEMO_TENANT!r}, token {DEMO_TOKEN!r})")
    print(
        f"  work analytics: {simulator.analytics_url}  (API key {DEMO_API_KEY!r}, user {DEMO_USERNAME!r}, "
        f"password {DEMO_PASSWORD!r}; tokens live {args.token_expiry:g}s)"
    )
    print(f"  {args.agents} agents, {args.queues} queues, seed {args.seed}, cache cycle {simulator.scenario.cycle:g}s, phase {simulator.scenario.phase:.2f}s")
    print(f"  contact center real-time metrics (v5): {simulator.cc_realtime_url}  (key 'demo', secret 'demo'; token at /oauth/v2/token)")
    print(f"  event stream: {simulator.stream_url}  (X-API-Key 'demo', a v5 token, or base64 'demo:demo')")
    print(f"  faults: {simulator.faults.describe()}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        simulator.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value
