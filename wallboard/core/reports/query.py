"""What a historical report asks for, checked before anything is sent.

Work Analytics takes a PBX list (or ``allpbxes``), a start and an end as wall-clock
``YYYY-MM-DD HH:MM:SS`` in an IANA time zone, and serves only the last two years: a range
reaching further back returns its most recent two years, one wholly older returns
nothing. So every rule is checked here first, and a broken query becomes one
:class:`~wallboard.errors.ConfigError` line saying what to fix. A start older than two
years is not refused: it is moved to the earliest moment served, as the service would
do, and :attr:`ReportQuery.notes` says so (the CLI on stderr, the Historical tab in its
status line). A range wholly older than that is refused, as it can only be empty.

Call records and legs can be filtered by the service: ``callerOrCallee`` takes up to
:data:`MAX_SERVICE_EXTENSIONS` extensions, matched exactly. ``--ext`` values that look
like extensions (1 to :data:`MAX_EXTENSION_DIGITS` digits) are sent that way; anything
else (an outside phone number) is filtered here, after reading every call of the range.

Times are naive ``datetime`` values meaning wall-clock time in the query's zone, as the
service reads them. A person may leave out the seconds (``2025-11-20 08:30``) or the whole
time (``2025-11-20``): a date alone means its first second as a start and its last second
(23:59:59, the end being included) as an end, so ``--start 2025-11-20 --end 2025-11-20``
is that whole day. "Now" is always passed in (an aware ``datetime``), so presets and the
two-year rule are testable without a real clock.

Presets, computed in the query's zone:

* ``today``: today 00:00:00 to now;
* ``yesterday``: yesterday 00:00:00 to 23:59:59;
* ``last-7-days``: the seven whole days before today (00:00:00 seven days ago to
  yesterday 23:59:59), so figures compare week to week and no day is partial;
* ``this-month``: the first of this month 00:00:00 to now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wallboard.core.model.analytics import (

    CALL_RECORDS,

    REPORT_KINDS,

    RING_GROUP_MEMBERS,

    ExtensionSummary,

    ReportKind,

    RingGroupMember,

    RingGroupSummary,

)
from wallboard.errors import ConfigError

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ALL_PBXES = "allpbxes"
RETENTION_YEARS = 2
MAX_SERVICE_EXTENSIONS = 125
"""Most values the service's ``caller``/``callee``/``callerOrCallee`` filters take."""
MAX_EXTENSION_DIGITS = 8
"""Longest number treated as an extension (longer ones are outside phone numbers)."""
SERVICE_FILTER = "callerOrCallee"
PRESETS = ("today", "yesterday", "last-7-days", "this-month")
PRESET_LABELS = {
    "today": "Today",
    "yesterday": "Yesterday",
    "last-7-days": "Last 7 days",
    "this-month": "This month",
}

_TIME_TEXT = re.compile(r"(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2})(:\d{2})?)?")
TIME_FORMS = "YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for the whole day)"
_NAME = re.compile(r"[^\s/?&#=,%\\\x00-\x1f\x7f-\x9f]+")
"""A PBX name or extension: anything that cannot break a query string or a terminal."""


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """One validated report request. Build it with :func:`make_query`."""

    kind: ReportKind
    start: datetime  # naive: wall-clock time in ``zone``
    end: datetime
    zone: str  # IANA name, as sent
    pbx: tuple[str, ...] = (ALL_PBXES,)
    ext: str = ""  # ring group for ring-group-members; a filter (comma list) for the others
    asked_start: datetime | None = None
    """The start asked for, when it was older than the service serves (``start`` is then
    the earliest moment served)."""

    @property
    def start_text(self) -> str:
        return self.start.strftime(TIME_FORMAT)

    @property
    def end_text(self) -> str:
        return self.end.strftime(TIME_FORMAT)

    @property
    def pbx_text(self) -> str:
        return ",".join(self.pbx)

    def tz(self) -> tzinfo:
        return ZoneInfo(self.zone)

    @property
    def extensions(self) -> tuple[str, ...]:
        """The extensions ``ext`` filters on, in order (none for ring-group members)."""
        if self.kind.needs_ext or not self.ext:
            return ()
        return tuple(dict.fromkeys(part.strip() for part in self.ext.split(",") if part.strip()))

    @property
    def service_filtered(self) -> bool:
        """Whether the service filters the calls by extension (``callerOrCallee``)."""
        wanted = self.extensions
        return self.kind.paged and bool(wanted) and all(is_extension(value) for value in wanted)

    @property
    def notes(self) -> tuple[str, ...]:
        """What a person should know about how the query was adjusted (one line each)."""
        if self.asked_start is None:
            return ()
        return (
            f"Work Analytics keeps only the last {RETENTION_YEARS} years: the report starts at "
            f"{self.start_text}, not {self.asked_start.strftime(TIME_FORMAT)}",
        )

    def params(self) -> dict[str, str]:
        """The query parameters: every report's, plus ``extId`` for members and the
        service's extension filter for call records and legs."""
        params = {
            "pbxId": self.pbx_text,
            "startTime": self.start_text,
            "endTime": self.end_text,
            "timeZone": self.zone,
        }
        if self.kind.needs_ext:
            params["extId"] = self.ext
        elif self.service_filtered:
            params[SERVICE_FILTER] = ",".join(self.extensions)
        return params

    def describe(self) -> str:
        """``Extension summary, acmecorp, 2025-11-22 00:00:00 to 2025-11-22 23:59:59 Europe/London``."""
        scope = "all PBXs" if self.pbx == (ALL_PBXES,) else ", ".join(self.pbx)
        subject = f" for {self.ext}" if self.ext else ""
        return f"{self.kind.label}{subject}, {scope}, {self.start_text} to {self.end_text} {self.zone}"


# --- single checks -------------------------------------------------------------------------


def check_zone(name: str, option: str = "--tz") -> str:
    """``name`` if it is an IANA zone (``Europe/London``), else a ConfigError."""
    text = (name or "").strip()
    if not text:
        raise ConfigError(f"{option}: give an IANA time zone such as Europe/London or America/New_York")
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f"{option}: {text!r} is not an IANA time zone (e.g. Europe/London, America/New_York)"
        ) from None
    return text


def parse_time(text: str, option: str, *, end: bool = False) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` (or ``HH:MM``, or a date alone) as a naive datetime, else a
    ConfigError naming ``option``. A date alone is the day's start, or its end (23:59:59)
    when ``end``."""
    value = (text or "").strip()
    match = _TIME_TEXT.fullmatch(value)
    if match is None:
        raise ConfigError(f"{option}: {_show(value)} is not a time in the form {TIME_FORMS}, e.g. \"2025-11-20 08:30:00\"")
    day, clock, seconds = match.groups()
    if clock is None:
        clock = "23:59:59" if end else "00:00:00"
    elif seconds is None:
        clock += ":00"
    else:
        clock += seconds
    try:
        return datetime.strptime(f"{day} {clock}", TIME_FORMAT)
    except ValueError:
        raise ConfigError(f"{option}: {_show(value)} is not a real date and time") from None


def check_pbx(value: str | Iterable[str], option: str = "--pbx") -> tuple[str, ...]:
    """A PBX list: names separated by commas, or ``allpbxes`` alone."""
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    else:
        items = [str(part).strip() for part in value]
    items = [item for item in items if item]
    if not items:
        raise ConfigError(f"{option}: name at least one PBX, or {ALL_PBXES}")
    lowered = [item.lower() for item in items]
    if ALL_PBXES in lowered:
        if len(items) > 1:
            raise ConfigError(f"{option}: {ALL_PBXES} already means every PBX; list no others beside it")
        return (ALL_PBXES,)
    for item in items:
        if not _NAME.fullmatch(item) or len(item) > 64:
            raise ConfigError(f"{option}: {_show(item)} is not a PBX name")
    return tuple(dict.fromkeys(items))


def check_extension(value: str, option: str = "--ext", *, many: bool = False) -> str:
    """An extension, or with ``many`` a comma list of up to :data:`MAX_SERVICE_EXTENSIONS`."""
    text = (value or "").strip()
    items = [part.strip() for part in text.split(",")] if many else [text]
    items = [item for item in items if item]
    for item in items:
        if not _NAME.fullmatch(item) or len(item) > 32:
            raise ConfigError(f"{option}: {_show(item)} is not an extension number")
    if many and len(set(items)) > MAX_SERVICE_EXTENSIONS:
        raise ConfigError(f"{option}: at most {MAX_SERVICE_EXTENSIONS} extensions at once; got {len(set(items))}")
    return ",".join(dict.fromkeys(items))


def is_extension(value: str) -> bool:
    """Whether ``value`` is an extension number the service can filter on."""
    return value.isascii() and value.isdigit() and len(value) <= MAX_EXTENSION_DIGITS


def earliest_start(now: datetime, zone: str) -> datetime:
    """The oldest wall-clock time the service still serves: now, two years back, in ``zone``."""
    local = _local_now(now, zone)
    oldest = _years_back(local, RETENTION_YEARS)
    if oldest.microsecond:  # the next whole second: never a moment the service no longer serves
        oldest += timedelta(seconds=1)
    return oldest.replace(microsecond=0)


# --- the whole query -----------------------------------------------------------------------


def make_query(
    kind: str | ReportKind,
    start: str | datetime,
    end: str | datetime,
    zone: str,
    now: datetime,
    *,
    pbx: str | Iterable[str] = (ALL_PBXES,),
    ext: str = "",
    options: Mapping[str, str] | None = None,
) -> ReportQuery:
    """A :class:`ReportQuery`, or a :class:`ConfigError` saying what is wrong with it.

    ``now`` is an aware datetime; ``options`` renames the option in messages (``start``
    -> ``Start`` for a form field instead of ``--start``).
    """
    names = {"kind": "report", "start": "--start", "end": "--end", "tz": "--tz", "pbx": "--pbx", "ext": "--ext"}
    names.update(options or {})
    report = kind if isinstance(kind, ReportKind) else REPORT_KINDS.get(kind)
    if report is None:
        raise ConfigError(f"{names['kind']}: unknown report {kind!r}; choose from {', '.join(REPORT_KINDS)}")
    zone_name = check_zone(zone, names["tz"])
    start_at = start.replace(microsecond=0, tzinfo=None) if isinstance(start, datetime) else parse_time(start, names["start"])
    end_at = end.replace(microsecond=0, tzinfo=None) if isinstance(end, datetime) else parse_time(end, names["end"], end=True)
    pbx_names = check_pbx(pbx, names["pbx"])
    extension = check_extension(ext, names["ext"], many=not report.needs_ext)
    if extension and report.name == "company":
        raise ConfigError(f"{names['ext']} does not apply to the company report")
    if report.needs_ext and not extension:
        raise ConfigError(f"{names['ext']}: the {report.name} report needs the ring group's extension")
    # the start first: an end the user never gave (now) must not be blamed for it
    local_now = _local_now(now, zone_name).replace(microsecond=0)
    if start_at > local_now:
        raise ConfigError(
            f"{names['start']} {start_at.strftime(TIME_FORMAT)} is in the future "
            f"(it is {local_now.strftime(TIME_FORMAT)} in {zone_name}): there is no data yet"
        )
    if end_at <= start_at:
        raise ConfigError(
            f"{names['end']} {end_at.strftime(TIME_FORMAT)} is not after {names['start']} "
            f"{start_at.strftime(TIME_FORMAT)}: the end must come after the start"
        )
    oldest = earliest_start(now, zone_name)
    asked_start = None
    if end_at <= oldest:
        raise ConfigError(
            f"{names['end']} {end_at.strftime(TIME_FORMAT)} is more than {RETENTION_YEARS} years ago: "
            f"Work Analytics keeps only the last {RETENTION_YEARS} years and returns nothing for "
            f"this range; ask for {oldest.strftime(TIME_FORMAT)} or later"
        )
    if start_at < oldest:  # the service answers with the most recent two years: so do we, and say so
        asked_start, start_at = start_at, oldest
    return ReportQuery(report, start_at, end_at, zone_name, pbx_names, extension, asked_start)


# --- drill-downs ---------------------------------------------------------------------------


def drill_down(query: ReportQuery, record: object, *, repeated: bool = False) -> ReportQuery | None:
    """The query behind a row, for the same range and zone; ``None`` when a row has none.

    A ring group opens its members (``rgsum-members`` for its extension), narrowed to the
    row's PBX: the row counts that one group. An extension or a ring-group member opens
    its call records (filtered by the service, and checked here) over the **same PBXs as
    the table it came from**, so the calls add up to the row: a summary counts an
    extension's calls on every PBX asked for. Only when the same extension number has
    rows on several PBXs of that table (``repeated``) is the drill-down narrowed to the
    row's PBX, as the table itself tells them apart.
    """
    if isinstance(record, RingGroupSummary) and record.extension:
        return replace(query, kind=RING_GROUP_MEMBERS, ext=record.extension, pbx=_row_pbx(query, record.pbx_id), asked_start=None)
    if isinstance(record, (ExtensionSummary, RingGroupMember)) and record.extension:
        pbx = _row_pbx(query, record.pbx_id) if repeated else query.pbx
        return replace(query, kind=CALL_RECORDS, ext=record.extension, pbx=pbx, asked_start=None)
    return None


def _row_pbx(query: ReportQuery, pbx_id: str) -> tuple[str, ...]:
    return (pbx_id,) if pbx_id and _NAME.fullmatch(pbx_id) else query.pbx


# --- names that do not exist ---------------------------------------------------------------

MAX_NAMES_SHOWN = 20


def unknown_pbx_message(asked: Sequence[str], known: Sequence[str], option: str = "--pbx") -> str | None:
    """The line refusing PBX names not in ``known`` (naming those that exist), or ``None``."""
    if not known or tuple(asked) == (ALL_PBXES,):
        return None
    missing = [name for name in asked if name not in set(known)]
    if not missing:
        return None
    what = "no PBX named " + ", ".join(repr(name) for name in missing)
    return f"{option}: {what}; the PBXs this user can see: {_names(sorted(known))}"


def unknown_ring_group_message(query: ReportQuery, groups: Sequence[RingGroupSummary], option: str = "--ext") -> str | None:
    """The line refusing a ring group that is not among ``groups`` (naming those that are)."""
    if any(group.extension == query.ext for group in groups):
        return None
    scope = "any PBX" if query.pbx == (ALL_PBXES,) else ", ".join(query.pbx)
    listed = [f"{group.extension} {group.name}".strip() for group in groups]
    known = f"; ring groups: {_names(listed)}" if listed else "; there are no ring groups there"
    return f"{option}: no ring group {query.ext} on {scope}{known}"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES_SHOWN])
    return shown + (f" and {len(names) - MAX_NAMES_SHOWN} more" if len(names) > MAX_NAMES_SHOWN else "")


# --- presets -------------------------------------------------------------------------------


def preset_range(name: str, zone: str, now: datetime) -> tuple[datetime, datetime]:
    """``(start, end)`` of a preset in ``zone`` as naive wall-clock times (see module doc)."""
    local = _local_now(now, zone).replace(microsecond=0)
    today = local.date()
    if name == "today":
        return _midnight(today), local
    if name == "yesterday":
        day = today - timedelta(days=1)
        return _midnight(day), _last_second(day)
    if name == "last-7-days":
        return _midnight(today - timedelta(days=7)), _last_second(today - timedelta(days=1))
    if name == "this-month":
        return _midnight(today.replace(day=1)), local
    raise ConfigError(f"unknown range {name!r}; choose from {', '.join(PRESETS)}")


def default_range(zone: str, now: datetime) -> tuple[datetime, datetime]:
    """The range used when none is given: yesterday, the most asked-for report."""
    return preset_range("yesterday", zone, now)


# --- helpers -------------------------------------------------------------------------------


def _local_now(now: datetime, zone: str) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0, 0))


def _last_second(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def _years_back(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February -> 28 February
        return moment.replace(year=moment.year - years, day=28)


def _show(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
