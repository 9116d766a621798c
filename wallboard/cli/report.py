"""``wallboard report KIND``: one Work Analytics report to standard output.

Defaults, when an option is left out:

* range: neither ``--start`` nor ``--end``: yesterday (00:00:00 to 23:59:59) in the
  report's zone; ``--start`` alone: from there until now; ``--end`` alone is refused.
* zone: ``--tz``, else ``timezone`` from the config, else this machine's zone.
* PBXs: ``--pbx``, else ``analytics.pbx`` from the config (``allpbxes`` by default).
* format: ``table`` (the compact columns, with a totals row); ``csv`` (every field, for
  spreadsheets); ``json`` (every field, raw values, for scripts).

``--ext`` names the ring group for ``ring-group-members``; for the other reports it keeps
only that extension's rows (extensions, ring groups) or its calls (call records and legs:
calls from or to it), which the service cannot filter itself.

Bad input and refused credentials end with ``wallboard: <reason>`` on standard error
and exit code 2; data goes to standard output only; problems reading individual records
are noted on standard error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from wallboard.config import Settings, default_config_path, load_settings
from wallboard.errors import ConfigError, KeyringError
from wallboard.localzone import local_zone_name
from wallboard.secrets import ANALYTICS_API_KEY, ANALYTICS_PASSWORD, resolve

if TYPE_CHECKING:  # loaded by `run`: every other command starts without the Work Analytics model
    from wallboard.clients.analytics import AnalyticsClient
    from wallboard.core.analytics import FetchProgress, Report
    from wallboard.core.report_query import ReportQuery

FORMATS = ("table", "csv", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="one historical report (8x8 Work Analytics) to standard output",
        description="Fetch one Work Analytics report and write it to standard output. "
        "Without --start/--end: yesterday, in the report's time zone.",
        epilog="Credentials: WALLBOARD_ANALYTICS_API_KEY / WALLBOARD_ANALYTICS_PASSWORD or "
        "`wallboard secrets set analytics-api-key` / `analytics-password`; the user name is "
        "analytics.username in the config or WALLBOARD_ANALYTICS_USERNAME.",
    )
    parser.add_argument("kind", metavar="KIND", help="company, extensions, ring-groups, ring-group-members, call-records or call-legs")
    parser.add_argument("--start", metavar='"YYYY-MM-DD HH:MM:SS"', help="start of the range; a date alone is its 00:00:00 (default: yesterday 00:00:00)")
    parser.add_argument("--end", metavar='"YYYY-MM-DD HH:MM:SS"', help="end of the range, included; a date alone is its 23:59:59 (default: yesterday 23:59:59, or now with --start)")
    parser.add_argument("--tz", metavar="IANA_ZONE", help="time zone of the range and of times shown (default: config timezone, else this machine's)")
    parser.add_argument("--pbx", metavar="NAME[,NAME...]|allpbxes", help="PBX names, or allpbxes (default: analytics.pbx from the config)")
    parser.add_argument("--ext", metavar="EXT", help="ring group for ring-group-members; for other reports, only this extension")
    parser.add_argument("--format", default="table", metavar="table|csv|json", help="output format (default table)")
    parser.add_argument("--analytics-url", metavar="URL", help="Work Analytics URL (default https://api.8x8.com/analytics/work)")
    parser.add_argument("--config", metavar="PATH", help=f"config file (default {default_config_path()})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> int:
    from wallboard.core.analytics import REPORT_KINDS

    kind = (args.kind or "").strip().lower()
    if kind not in REPORT_KINDS:
        raise ConfigError(f"unknown report {args.kind!r}; choose from {', '.join(REPORT_KINDS)}")
    fmt = (args.format or "").strip().lower()
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}; got {args.format!r}")
    settings = load_settings(args.config, {"analytics.url": (args.analytics_url, "--analytics-url")})
    from wallboard.clients.network import set_default_ca_bundle

    set_default_ca_bundle(settings.ca_bundle)
    query = build_query(args, kind, settings, now())
    client = make_client(settings)
    report = asyncio.run(_fetch(client, query, _progress_printer()))
    _note_problems(report)
    return _write(render(report, query, fmt))


def build_query(args: argparse.Namespace, kind: str, settings: Settings, now: datetime) -> ReportQuery:
    """The validated query from the options, the config and the defaults above."""
    from wallboard.core.report_query import check_zone, default_range, make_query, parse_time

    if args.tz:
        zone = check_zone(args.tz, "--tz")
    elif settings.timezone:
        zone = settings.timezone
    else:
        zone = local_zone_name()
    if args.start is None and args.end is None:
        start, end = default_range(zone, now)
    elif args.start is None:
        raise ConfigError("--end needs --start too (without both, the report covers yesterday)")
    else:
        start = parse_time(args.start, "--start")
        end = parse_time(args.end, "--end", end=True) if args.end is not None else _local_now(now, zone)
    pbx = args.pbx if args.pbx is not None else settings.analytics.pbx
    options = {"pbx": "--pbx" if args.pbx is not None else "analytics.pbx"}
    if args.start is not None and args.end is None:
        options["end"] = "the end (now)"  # never blame an --end the user did not give
    return make_query(kind, start, end, zone, now, pbx=pbx, ext=args.ext or "", options=options)


def make_client(settings: Settings) -> AnalyticsClient:
    """A client with the configured user and the stored secrets, or a ConfigError saying what is missing."""
    from wallboard.clients.analytics import AnalyticsClient

    from wallboard.cli.unlock import ask_keyring_password

    ask_keyring_password((ANALYTICS_API_KEY, ANALYTICS_PASSWORD))
    key = resolve(ANALYTICS_API_KEY)
    password = resolve(ANALYTICS_PASSWORD)
    for resolved in (key, password):
        if resolved.value is None and resolved.problem:  # the keyring failed (timed out, locked): say so
            raise KeyringError(resolved.problem)
    missing = []
    if not settings.analytics.username:
        missing.append("the user name: analytics.username in the config file or WALLBOARD_ANALYTICS_USERNAME")
    if key.value is None:
        missing.append("the API key: `wallboard secrets set analytics-api-key` or WALLBOARD_ANALYTICS_API_KEY")
    if password.value is None:
        missing.append("the password: `wallboard secrets set analytics-password` or WALLBOARD_ANALYTICS_PASSWORD")
    if missing:
        raise ConfigError("Work Analytics is not configured yet. Set " + "; ".join(missing) + ".")
    assert key.value is not None and password.value is not None
    return AnalyticsClient(settings.analytics.url, key.value, settings.analytics.username, password.value, setting="analytics.url")


async def _fetch(client: AnalyticsClient, query: ReportQuery, progress) -> Report:
    async with client:
        try:
            return await client.fetch_report(query, progress=progress)
        finally:
            if progress is not None:
                progress(None)


def render(report: Report, query: ReportQuery, fmt: str) -> str:
    """The report as text in ``fmt`` (table, csv or json)."""
    from wallboard.core.report_table import build_table, full_columns, render_text, to_csv, to_json

    zone = query.tz()
    if fmt == "json":
        return to_json(report, query)
    if fmt == "csv":
        return to_csv(build_table(report.kind, report.records, zone, full_columns(report.kind)), zone)
    return render_text(build_table(report.kind, report.records, zone), query.describe())


def _progress_printer():
    """Progress on standard error while pages arrive, when a person is watching."""
    stream = sys.stderr
    if not stream.isatty():
        return None

    def show(progress: FetchProgress | None) -> None:
        if progress is None:
            stream.write("\r\x1b[K")
        elif not progress.done:
            stream.write(f"\r\x1b[Kwallboard: fetching {progress.kind}: {progress.describe()}")
        stream.flush()

    return show


def _note_problems(report: Report) -> None:
    if not report.problems:
        return
    more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
    print(f"wallboard: note: part of the report could not be read: {report.problems[0]}{more}", file=sys.stderr)


def _write(text: str) -> int:
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a console that cannot show every name: never a traceback
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode(encoding, errors="replace"))
        sys.stdout.flush()
    except BrokenPipeError:  # `wallboard report ... | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _local_now(now: datetime, zone: str) -> datetime:
    return now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
