"""``wallboard report KIND``: one Work Analytics report to standard output.

Defaults, when an option is left out:

* range: neither ``--start`` nor ``--end``: yesterday (00:00:00 to 23:59:59) in the
  report's zone; ``--start`` alone: from there until now; ``--end`` alone is refused.
* zone: ``--tz``, else ``timezone`` from the config, else this machine's zone.
* PBXs: ``--pbx``, else ``analytics.pbx`` from the config (``allpbxes`` by default).
* format: ``table`` (the compact columns, with a totals row); ``csv`` (every field, for
  spreadsheets); ``json`` (every field, raw values, for scripts).
* page size: ``--page-size``, else ``analytics.page_size`` (1,000; the service allows
  1 to 7,000).

``--ext`` names the ring group for ``ring-group-members``; for the other reports it keeps
only that extension's rows (extensions, ring groups) or its calls (call records and legs:
calls from or to it; up to 125 extensions, comma-separated). For calls the service does
the filtering (``callerOrCallee``) and a local check stays as a guard; a number that is
not an extension (an outside phone number) is filtered here only.

Call records and legs in CSV or JSON are written as their pages arrive, so a listing of
any length is never held in memory; a table (which needs every row to align its
columns) holds at most :data:`MAX_TABLE_RECORDS`.

Named PBXs are checked against the PBX list (``GET v2/pbxes``) first, and an empty
``ring-group-members`` against the ring groups: a name that does not exist ends with a
line naming those that do (exit 2), not with an empty report.

Bad input and refused credentials end with ``wallboard: <reason>`` on standard error
and exit code 2; data goes to standard output only; problems reading individual records,
a start moved to the two-year limit and a listing that ended early are noted on standard
error (and in a JSON report's ``problems``).
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
from wallboard.errors import ApiError, ConfigError, KeyringError, UnknownNameError, WallboardError
from wallboard.localzone import local_zone_name
from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD, resolve

if TYPE_CHECKING:  # loaded by `run`: every other command starts without the Work Analytics model
    from wallboard.clients.analytics import AnalyticsClient
    from wallboard.core.model.analytics import FetchProgress, Report
    from wallboard.core.reports.query import ReportQuery

FORMATS = ("table", "csv", "json")
MAX_TABLE_RECORDS = 50_000
"""Most records a table holds (CSV and JSON stream and hold none)."""


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
    parser.add_argument("--page-size", metavar="N", help="call records or legs per page, 1 to 7000 (default: analytics.page_size, 1000)")
    parser.add_argument("--analytics-url", metavar="URL", help="Work Analytics URL (default https://api.8x8.com/analytics/work)")
    parser.add_argument("--config", metavar="PATH", help=f"config file (default {default_config_path()})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> int:
    from wallboard.core.model.analytics import REPORT_KINDS

    kind = (args.kind or "").strip().lower()
    if kind not in REPORT_KINDS:
        raise ConfigError(f"unknown report {args.kind!r}; choose from {', '.join(REPORT_KINDS)}")
    fmt = (args.format or "").strip().lower()
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}; got {args.format!r}")
    overrides = {"analytics.url": (args.analytics_url, "--analytics-url"), "analytics.page_size": (args.page_size, "--page-size")}
    settings = load_settings(args.config, overrides)
    from wallboard.clients.network import set_default_ca_bundle

    set_default_ca_bundle(settings.ca_bundle)
    query = build_query(args, kind, settings, now())
    for note in query.notes:
        _note(note)
    client = make_client(settings)
    return asyncio.run(_report(client, query, fmt, Sink(sys.stdout), _progress_printer()))


def build_query(args: argparse.Namespace, kind: str, settings: Settings, now: datetime) -> ReportQuery:
    """The validated query from the options, the config and the defaults above."""
    from wallboard.core.reports.query import check_zone, default_range, make_query, parse_time

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
    return AnalyticsClient(
        settings.analytics.url,
        key.value,
        settings.analytics.username,
        password.value,
        page_size=settings.analytics.page_size,
        setting="analytics.url",
    )


async def _report(client: AnalyticsClient, query: ReportQuery, fmt: str, sink: "Sink", progress) -> int:
    """Fetch and write the report: streamed for listings in CSV or JSON, whole otherwise."""
    async with client:
        await check_pbxes(client, query)
        if query.kind.paged and fmt != "table":
            await _stream(client, query, fmt, sink, progress)
            return 0
        try:
            limit = MAX_TABLE_RECORDS if fmt == "table" else None
            report = await client.fetch_report(query, progress=progress, max_records=limit)
        finally:
            if progress is not None:
                progress(None)
        if query.kind.needs_ext and not report.records:
            await check_ring_group(client, query)
    for note in report.notes:
        _note(note)
    _note_problems(report.problems)
    sink.write(render(report, query, fmt))
    return 0


async def _stream(client: AnalyticsClient, query: ReportQuery, fmt: str, sink: "Sink", progress) -> None:
    """A listing written page by page (see the module doc); JSON stays valid after an error."""
    from contextlib import aclosing

    from wallboard.core.model.analytics import select_extension

    from wallboard.core.wire.payload import MAX_PROBLEMS
    from wallboard.core.reports.render import CsvStream, JsonStream

    writer = JsonStream(query.kind, query, sink) if fmt == "json" else CsvStream(query.kind, query.tz(), sink)
    problems: list[str] = []
    notes: list[str] = []
    skipped = 0
    try:
        async with aclosing(client.pages(query, progress=progress)) as pages:
            async for page in pages:
                writer.write(select_extension(page.records, query.ext))
                problems.extend(page.problems[: max(0, MAX_PROBLEMS - len(problems))])
                skipped += page.skipped
                notes.extend([page.note] if page.note else [])
                if sink.closed:  # `| head`: the reader has had enough
                    break
    except WallboardError as error:
        if isinstance(writer, JsonStream):
            writer.finish(problems=(*query.notes, *notes, str(error), *problems), skipped=skipped)
        raise
    finally:
        if progress is not None:
            progress(None)
    if isinstance(writer, JsonStream):
        writer.finish(problems=(*query.notes, *notes, *problems), skipped=skipped)
    else:
        writer.finish()
        if writer.late_fields:
            _note(
                f"fields first sent after the first page are not in the CSV: {', '.join(writer.late_fields)} "
                "(--format json carries every field)"
            )
    for note in notes:
        _note(note)
    _note_problems(problems)


async def check_pbxes(client: AnalyticsClient, query: ReportQuery) -> None:
    """Refuse PBX names that are not in the user's PBX list (``UnknownNameError``).

    Skipped for ``allpbxes`` and when the list cannot be read (the report's own answer
    then says what is wrong)."""
    from wallboard.core.reports.query import ALL_PBXES, unknown_pbx_message

    if query.pbx == (ALL_PBXES,):
        return
    if not client.has_token:
        await client.login()
    try:
        known = await client.pbxes()
    except ApiError:
        return
    message = unknown_pbx_message(query.pbx, [pbx.name for pbx in known], "--pbx")
    if message:
        raise UnknownNameError(message)


async def check_ring_group(client: AnalyticsClient, query: ReportQuery) -> None:
    """After an empty ``ring-group-members``: refuse a ring group that does not exist."""
    from wallboard.core.reports.query import unknown_ring_group_message

    groups = (await client.ring_groups(query)).records
    message = unknown_ring_group_message(query, groups, "--ext")
    if message:
        raise UnknownNameError(message)


def render(report: Report, query: ReportQuery, fmt: str) -> str:
    """The report as text in ``fmt`` (table, csv or json)."""
    from wallboard.core.reports.render import render_text, report_csv, to_json
    from wallboard.core.reports.table import build_table

    zone = query.tz()
    if fmt == "json":
        return to_json(report, query)
    if fmt == "csv":
        return report_csv(report, zone)
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


def _note(text: str) -> None:
    print(f"wallboard: note: {text}", file=sys.stderr)


def _note_problems(problems) -> None:
    if not problems:
        return
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    _note(f"part of the report could not be read: {problems[0]}{more}")


class Sink:
    """Standard output for a report written in parts: never a traceback for a console
    that cannot show a name, and quiet (``closed``) once the reader went away."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.closed = False

    def write(self, text: str) -> None:
        if self.closed or not text:
            return
        try:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                encoding = self.stream.encoding or "utf-8"
                self.stream.flush()
                self.stream.buffer.write(text.encode(encoding, errors="replace"))
            self.stream.flush()
        except BrokenPipeError:  # `wallboard report ... | head`: the reader has had enough
            self.closed = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())


def _local_now(now: datetime, zone: str) -> datetime:
    return now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
