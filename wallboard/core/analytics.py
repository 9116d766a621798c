"""Typed records for the Work Analytics (historical) reports, and their tolerant parsing.

The reports disagree on naming: the extension summary uses ``Pascal_Snake`` keys
(``Total_Missed``, ``PbxId``), the others camelCase (``totalMissed``, ``pbxId``), call
records mix in suffixes (``talkTimeMS``, ``startTimeUTC``). Every wire key is normalised
to ``snake_case`` (:func:`snake_case`) before lookup, so one record type per report reads
any of them, and every report shares one naming (``total_missed`` everywhere).

Each dataclass field carries the normalised wire names it is read from (the field's own
name unless listed, preferred name first) and a :class:`Kind`:

* durations stay in **milliseconds** (``Kind.MS``), as the service sends them; people see
  them as ``h:mm:ss`` (:func:`wallboard.core.formatting.ms_hms`). A ``"00:28:16"`` text
  where a number belongs is read too.
* ``"N/A"`` (non-users' e-mail and user name) and ``"-"`` mean "no value"; in the
  ``missed`` / ``abandoned`` / ``answered`` flags ``"-"`` means *no* and any word
  (``"Missed"``) means *yes*.
* times become aware UTC datetimes, from epoch milliseconds (``startTimeUTC``) or text
  (``2022-02-03T09:27:27.493-0500``, or ``YYYY-MM-DD HH:MM:SS`` in the query's zone).
* text is cleaned with :func:`~wallboard.core.text.clean_text`.

As in :mod:`wallboard.core.parse`, a value of the wrong type becomes ``None`` (or ``""``)
and is reported as a problem without dropping the record; a record without its
identifier, or an item that is not an object, is skipped and reported; unknown keys are
ignored. Nothing here performs I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone, tzinfo
from enum import Enum
from functools import cache
from typing import Any, Generic, Iterable, Sequence, TypeVar

from wallboard.core.numbers import to_number
from wallboard.core.text import clean_text

MAX_PROBLEMS = 20
"""Problems kept per parse, so a payload with thousands of bad fields stays cheap."""

NO_VALUE_WORDS = frozenset({"n/a", "-", "na", "null", "none"})
"""Wire texts meaning "no value" (compared case-insensitively after cleaning)."""

NO_DATA = "no data"
"""The ``scrollId`` (compared case-insensitively) that ends a paged report."""



class Kind(Enum):
    """How a raw wire value becomes a typed value."""

    KEY = "key"  # identifier text; a record without one is skipped
    TEXT = "text"  # free text, cleaned; "N/A" and "-" become ""
    TEXTS = "texts"  # a list of texts (departments, branches) as a tuple
    COUNT = "count"  # a non-negative integer
    MS = "ms"  # a non-negative duration in milliseconds
    PERCENT = "percent"  # a non-negative percentage
    FLAG = "flag"  # yes/no: "-" is no, a word such as "Missed" is yes
    TIME = "time"  # an instant: epoch milliseconds or ISO text -> aware UTC datetime


_TEXT_KINDS = frozenset({Kind.KEY, Kind.TEXT})


def _f(kind: Kind, *names: str) -> Any:
    if kind in _TEXT_KINDS:
        default: Any = ""
    elif kind is Kind.TEXTS:
        default = ()
    else:
        default = None
    return field(default=default, metadata={"kind": kind, "names": names})


# --- the records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanySummary:
    """One PBX's totals (``v1/compsum``)."""

    pbx_id: str = _f(Kind.KEY)
    total_calls: int | None = _f(Kind.COUNT, "total_calls", "total_call")
    inbound_total: int | None = _f(Kind.COUNT)
    inbound_answered: int | None = _f(Kind.COUNT)
    inbound_abandoned: int | None = _f(Kind.COUNT)
    inbound_missed: int | None = _f(Kind.COUNT)
    outbound_total: int | None = _f(Kind.COUNT)
    outbound_answered: int | None = _f(Kind.COUNT)
    outbound_abandoned: int | None = _f(Kind.COUNT)
    total_answered: int | None = _f(Kind.COUNT)
    total_abandoned: int | None = _f(Kind.COUNT)
    total_missed: int | None = _f(Kind.COUNT)
    total_calls_to_vm: int | None = _f(Kind.COUNT, "total_calls_to_vm", "total_vm")
    external_inbound_total: int | None = _f(Kind.COUNT)
    external_inbound_answered: int | None = _f(Kind.COUNT)
    external_inbound_abandoned: int | None = _f(Kind.COUNT)
    external_inbound_missed: int | None = _f(Kind.COUNT)
    percent_external_inbound_answered: float | None = _f(Kind.PERCENT)
    external_outbound_total: int | None = _f(Kind.COUNT)
    external_outbound_answered: int | None = _f(Kind.COUNT)
    external_outbound_abandoned: int | None = _f(Kind.COUNT)
    external_outbound_missed: int | None = _f(Kind.COUNT)
    percent_external_outbound_answered: float | None = _f(Kind.PERCENT)
    internal_inbound_total: int | None = _f(Kind.COUNT)
    internal_inbound_answered: int | None = _f(Kind.COUNT)
    internal_inbound_abandoned: int | None = _f(Kind.COUNT)
    internal_inbound_missed: int | None = _f(Kind.COUNT)
    internal_outbound_total: int | None = _f(Kind.COUNT)
    internal_outbound_answered: int | None = _f(Kind.COUNT)
    internal_outbound_abandoned: int | None = _f(Kind.COUNT)
    total_ext_to_ext: int | None = _f(Kind.COUNT)
    total_ext_to_ext_answered: int | None = _f(Kind.COUNT)
    total_ext_to_ext_abandoned: int | None = _f(Kind.COUNT)
    total_ext_to_ext_missed: int | None = _f(Kind.COUNT)
    total_ring_time: int | None = _f(Kind.MS)
    total_talk_time: int | None = _f(Kind.MS)
    total_call_time: int | None = _f(Kind.MS)
    total_abandoned_time: int | None = _f(Kind.MS)
    avg_ring_time: int | None = _f(Kind.MS)
    avg_talk_time: int | None = _f(Kind.MS)
    avg_call_time: int | None = _f(Kind.MS)
    avg_abandoned_time: int | None = _f(Kind.MS)


@dataclass(frozen=True, slots=True)
class ExtensionSummary:
    """One extension's totals (``v2/extsum``, whose keys are ``Pascal_Snake``)."""

    extension: str = _f(Kind.KEY)
    pbx_id: str = _f(Kind.TEXT)
    first_name: str = _f(Kind.TEXT)
    last_name: str = _f(Kind.TEXT)
    service_type: str = _f(Kind.TEXT)
    branch: str = _f(Kind.TEXT)
    department: str = _f(Kind.TEXT)
    email: str = _f(Kind.TEXT)
    user_name: str = _f(Kind.TEXT)
    inbound_total: int | None = _f(Kind.COUNT)
    inbound_answered: int | None = _f(Kind.COUNT)
    inbound_abandoned: int | None = _f(Kind.COUNT)
    inbound_missed: int | None = _f(Kind.COUNT)
    outbound_total: int | None = _f(Kind.COUNT)
    outbound_answered: int | None = _f(Kind.COUNT)
    outbound_abandoned: int | None = _f(Kind.COUNT)
    total_answered: int | None = _f(Kind.COUNT)
    total_abandoned: int | None = _f(Kind.COUNT)
    total_missed: int | None = _f(Kind.COUNT)
    total_calls_to_vm: int | None = _f(Kind.COUNT, "total_calls_to_vm", "total_vm")
    external_inbound_total: int | None = _f(Kind.COUNT)
    external_inbound_answered: int | None = _f(Kind.COUNT)
    external_inbound_abandoned: int | None = _f(Kind.COUNT)
    external_inbound_missed: int | None = _f(Kind.COUNT)
    percent_external_inbound_answered: float | None = _f(Kind.PERCENT)
    external_outbound_total: int | None = _f(Kind.COUNT)
    external_outbound_answered: int | None = _f(Kind.COUNT)
    external_outbound_abandoned: int | None = _f(Kind.COUNT)
    percent_external_outbound_answered: float | None = _f(Kind.PERCENT)
    internal_inbound_total: int | None = _f(Kind.COUNT)
    internal_inbound_answered: int | None = _f(Kind.COUNT)
    internal_inbound_abandoned: int | None = _f(Kind.COUNT)
    internal_inbound_missed: int | None = _f(Kind.COUNT)
    internal_outbound_total: int | None = _f(Kind.COUNT)
    internal_outbound_answered: int | None = _f(Kind.COUNT)
    internal_outbound_abandoned: int | None = _f(Kind.COUNT)
    total_ring_time: int | None = _f(Kind.MS)
    total_talk_time: int | None = _f(Kind.MS)
    inbound_talk_time: int | None = _f(Kind.MS)
    outbound_talk_time: int | None = _f(Kind.MS)
    total_call_time: int | None = _f(Kind.MS)
    total_abandoned_time: int | None = _f(Kind.MS)
    avg_ring_time: int | None = _f(Kind.MS)
    avg_talk_time: int | None = _f(Kind.MS)
    avg_abandoned_time: int | None = _f(Kind.MS)

    @property
    def name(self) -> str:
        """``First Last``, or whichever part the server gave."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class RingGroupSummary:
    """One ring group's totals (``v2/rgsum-groups``)."""

    extension: str = _f(Kind.KEY)
    name: str = _f(Kind.TEXT)
    pbx_id: str = _f(Kind.TEXT)
    site: str = _f(Kind.TEXT)
    total_members: int | None = _f(Kind.COUNT)
    total_calls: int | None = _f(Kind.COUNT)
    total_inbound: int | None = _f(Kind.COUNT)
    total_answered: int | None = _f(Kind.COUNT)
    total_abandoned: int | None = _f(Kind.COUNT)
    total_missed: int | None = _f(Kind.COUNT)
    total_calls_to_vm: int | None = _f(Kind.COUNT, "total_calls_to_vm", "total_vm")
    total_advanced: int | None = _f(Kind.COUNT)
    total_rg_time: int | None = _f(Kind.MS)
    total_ring_time: int | None = _f(Kind.MS)
    total_talk_time: int | None = _f(Kind.MS)
    total_abandoned_time: int | None = _f(Kind.MS)
    avg_rg_time: int | None = _f(Kind.MS)
    avg_ring_time: int | None = _f(Kind.MS)
    avg_talk_time: int | None = _f(Kind.MS)
    avg_abandoned_time: int | None = _f(Kind.MS)


@dataclass(frozen=True, slots=True)
class RingGroupMember:
    """One member of one ring group (``v2/rgsum-members?extId=``)."""

    extension: str = _f(Kind.KEY)
    first_name: str = _f(Kind.TEXT)
    last_name: str = _f(Kind.TEXT)
    pbx_id: str = _f(Kind.TEXT)
    site: str = _f(Kind.TEXT)
    ring_group_name: str = _f(Kind.TEXT)
    ring_group_extension: str = _f(Kind.TEXT)
    offered: int | None = _f(Kind.COUNT)
    total_calls: int | None = _f(Kind.COUNT)
    total_answered: int | None = _f(Kind.COUNT)
    total_advanced: int | None = _f(Kind.COUNT)
    total_ring_time: int | None = _f(Kind.MS)
    total_talk_time: int | None = _f(Kind.MS)
    avg_ring_time: int | None = _f(Kind.MS)
    avg_talk_time: int | None = _f(Kind.MS)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call, start to end, as a single row (``v2/call-records``)."""

    call_id: str = _f(Kind.KEY)
    start_time: datetime | None = _f(Kind.TIME, "start_time_utc", "start_time")
    connect_time: datetime | None = _f(Kind.TIME, "connect_time_utc", "connect_time")
    disconnected_time: datetime | None = _f(
        Kind.TIME, "disconnected_time_utc", "disconnected_time"
    )
    direction: str = _f(Kind.TEXT)
    caller: str = _f(Kind.TEXT)
    caller_name: str = _f(Kind.TEXT)
    callee: str = _f(Kind.TEXT)
    callee_name: str = _f(Kind.TEXT)
    answered: bool | None = _f(Kind.FLAG)
    missed: bool | None = _f(Kind.FLAG)
    abandoned: bool | None = _f(Kind.FLAG)
    last_leg_disposition: str = _f(Kind.TEXT)
    talk_time: int | None = _f(Kind.MS, "talk_time_ms", "talk_time")
    ring_duration: int | None = _f(Kind.MS)
    wait_time: int | None = _f(Kind.MS, "wait_time_ms", "wait_time")
    call_time: int | None = _f(Kind.MS)
    abandoned_time: int | None = _f(Kind.MS)
    call_leg_count: int | None = _f(Kind.COUNT)
    pbx_id: str = _f(Kind.TEXT)
    dnis: str = _f(Kind.TEXT)
    departments: tuple[str, ...] = _f(Kind.TEXTS)
    branches: tuple[str, ...] = _f(Kind.TEXTS)

    @property
    def result(self) -> str:
        """One word for what happened to the call, for tables."""
        return call_result(self.answered, self.abandoned, self.missed, self.last_leg_disposition)


@dataclass(frozen=True, slots=True)
class CallLeg:
    """One segment of a call (``v2/call-legs``); child legs carry ``parent_call_id``."""

    call_id: str = _f(Kind.KEY)
    leg_id: str = _f(Kind.TEXT)
    parent_call_id: str = _f(Kind.TEXT)
    transfer_to_call_id: str = _f(Kind.TEXT)
    start_time: datetime | None = _f(Kind.TIME, "start_time_utc", "start_time")
    connect_time: datetime | None = _f(Kind.TIME, "connect_time_utc", "connect_time")
    disconnected_time: datetime | None = _f(
        Kind.TIME, "disconnected_time_utc", "disconnected_time"
    )
    direction: str = _f(Kind.TEXT)
    caller: str = _f(Kind.TEXT)
    caller_name: str = _f(Kind.TEXT)
    callee: str = _f(Kind.TEXT)
    callee_name: str = _f(Kind.TEXT)
    lra: str = _f(Kind.TEXT)
    status: str = _f(Kind.TEXT)
    cause: str = _f(Kind.TEXT)
    callee_svc_name: str = _f(Kind.TEXT)
    callee_svc_type: str = _f(Kind.TEXT)
    props_last_party_disp: str = _f(Kind.TEXT)
    answered: bool | None = _f(Kind.FLAG)
    missed: bool | None = _f(Kind.FLAG)
    abandoned: bool | None = _f(Kind.FLAG)
    talk_time: int | None = _f(Kind.MS, "talk_time_ms", "talk_time")
    call_time: int | None = _f(Kind.MS)
    pbx_id: str = _f(Kind.TEXT)
    dnis: str = _f(Kind.TEXT)
    departments: tuple[str, ...] = _f(Kind.TEXTS)
    branches: tuple[str, ...] = _f(Kind.TEXTS)

    @property
    def result(self) -> str:
        return call_result(self.answered, self.abandoned, self.missed, self.props_last_party_disp)


AnalyticsRecord = CompanySummary | ExtensionSummary | RingGroupSummary | RingGroupMember | CallRecord | CallLeg
T = TypeVar(
    "T", CompanySummary, ExtensionSummary, RingGroupSummary, RingGroupMember, CallRecord, CallLeg
)


def call_result(
    answered: bool | None, abandoned: bool | None, missed: bool | None, disposition: str
) -> str:
    """``Answered``, ``Abandoned``, ``Voicemail``, ``Missed``, or the server's own word."""
    if answered:
        return "Answered"
    if abandoned:
        return "Abandoned"
    if disposition.lower() == "voicemail":
        return "Voicemail"
    if missed:
        return "Missed"
    return disposition


# --- the report kinds ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportKind:
    """One report: its command-line name, what people call it and what it holds."""

    name: str
    label: str
    item: str  # one record, for problem messages ("extension #3: ...")
    record_type: type
    paged: bool = False
    needs_ext: bool = False


COMPANY = ReportKind("company", "Company summary", "PBX", CompanySummary)
EXTENSIONS = ReportKind("extensions", "Extension summary", "extension", ExtensionSummary)
RING_GROUPS = ReportKind("ring-groups", "Ring-group summary", "ring group", RingGroupSummary)
RING_GROUP_MEMBERS = ReportKind(
    "ring-group-members", "Ring-group members", "member", RingGroupMember, needs_ext=True
)
CALL_RECORDS = ReportKind("call-records", "Call records", "call record", CallRecord, paged=True)
CALL_LEGS = ReportKind("call-legs", "Call legs", "call leg", CallLeg, paged=True)

REPORT_KINDS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (COMPANY, EXTENSIONS, RING_GROUPS, RING_GROUP_MEMBERS, CALL_RECORDS, CALL_LEGS)
}
"""Every report by its command-line name, in the order menus list them."""


def report_kind(name: str) -> ReportKind:
    """The kind called ``name``; ``KeyError`` names the known ones."""
    try:
        return REPORT_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown report {name!r}; known: {', '.join(REPORT_KINDS)}") from None


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """Records read from one payload, and what was wrong with the rest of it."""

    records: tuple[T, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a paged report.

    ``size`` counts the items the server sent (read or skipped); ``total`` is the
    server's ``totalRecordCount``; ``scroll_id`` what to send for the next page.
    """

    records: tuple[T, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0
    size: int = 0
    total: int | None = None
    scroll_id: str | None = None

    @property
    def last(self) -> bool:
        """True when no further page should be asked for: "No Data", no id, or nothing sent."""
        return self.size == 0 or self.scroll_id is None or self.scroll_id.strip().lower() == NO_DATA


@dataclass(frozen=True, slots=True)
class FetchProgress:
    """How far a fetch has got; ``total`` is the server's record count (paged reports only)."""

    kind: str
    pages: int
    records: int
    total: int | None = None
    done: bool = False
    page_size: int | None = None

    @property
    def total_pages(self) -> int | None:
        """Pages the whole listing takes (with the final "No Data" page), when known."""
        if self.total is None or not self.page_size:
            return None
        return -(-self.total // self.page_size) + 1

    @property
    def fraction(self) -> float | None:
        """Share fetched, 0 to 1, when the server said how many records there are."""
        if self.done:
            return 1.0
        if not self.total:
            return None
        return min(1.0, self.records / self.total)

    def describe(self) -> str:
        """``page 3, 150 of 812 records`` for a progress line."""
        if self.total is not None:
            return f"page {self.pages}, {self.records} of {self.total} records"
        return f"page {self.pages}, {self.records} records"


@dataclass(frozen=True, slots=True)
class Report(Generic[T]):
    """A whole report as fetched: records, problems, and how many pages it took."""

    kind: ReportKind
    records: tuple[T, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0
    pages: int = 1
    total: int | None = None


# --- key normalisation ----------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@cache
def snake_case(key: str) -> str:
    """``Total_Missed``, ``totalMissed``, ``talkTimeMS`` -> ``total_missed``, ``talk_time_ms``."""
    words: list[str] = []
    for chunk in re.split(r"[_\-\s.]+", key):
        words.extend(_WORD.findall(chunk))
    return "_".join(word.lower() for word in words)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one record field is read: its name, the normalised wire names, its kind."""

    name: str
    wire_names: tuple[str, ...]
    kind: Kind


@cache
def field_specs(record_type: type) -> tuple[FieldSpec, ...]:
    """The wire description of every field of an analytics record type, in order."""
    return tuple(
        FieldSpec(f.name, f.metadata["names"] or (f.name,), f.metadata["kind"])
        for f in fields(record_type)
    )


# --- parsing -----------------------------------------------------------------------------


class AnalyticsParseError(ValueError):
    """The body could not be read as the expected report; carries a one-line reason."""


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)


def parse_summary(body: bytes | str, kind: ReportKind, zone: tzinfo = timezone.utc) -> Parsed:
    """Read a summary report body: a JSON array of objects (envelopes tolerated).

    A single object is a one-row report; ``null``, ``""``, ``{}`` and ``[]`` are empty; an
    object holding a ``data`` list is unwrapped. ``zone`` is where times without an
    offset were measured (the query's zone).
    """
    document = _json(body)
    if document is None or document == "" or document == {}:
        items: list[Any] = []
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        if "data" in document and (isinstance(document["data"], list) or document["data"] is None):
            items = document["data"] or []
        elif _looks_like_record(document, kind):
            items = [document]
        else:
            keys = ", ".join(sorted(map(str, document))[:3])
            raise AnalyticsParseError(f"the response holds no {kind.item} list (keys: {_short(keys)})")
    else:
        raise AnalyticsParseError(f"the response is a JSON {type(document).__name__}, not a list")
    return records_from_items(items, kind, zone)


def parse_page(
    body: bytes | str, kind: ReportKind, zone: tzinfo = timezone.utc, first_index: int = 1
) -> Page:
    """Read one page of a paged report: ``{"meta": {...}, "data": [...]}``.

    ``first_index`` numbers the page's items in problem messages, so they count across
    pages (``call record #51``). A bare list is a page with no further page.
    """
    document = _json(body)
    meta: Any = {}
    if isinstance(document, list):
        items: list[Any] = document
    elif isinstance(document, dict):
        data = document.get("data")
        if data is None or data == "" or data == {}:
            items = []
        elif isinstance(data, list):
            items = data
        elif isinstance(data, dict):
            items = [data]
        else:
            raise AnalyticsParseError(f"the response's data is a {type(data).__name__}, not a list")
        meta = document.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        if "data" not in document and "meta" not in document:
            keys = ", ".join(sorted(map(str, document))[:3])
            raise AnalyticsParseError(f"the response has no data or meta (keys: {_short(keys)})")
    elif document is None or document == "":
        items = []
    else:
        raise AnalyticsParseError(f"the response is a JSON {type(document).__name__}, not an object")
    meta = _normalised(meta)
    raw_scroll = meta.get("scroll_id")
    if raw_scroll is None and isinstance(document, dict):
        raw_scroll = _normalised(document).get("scroll_id")
    scroll = _scroll_id(raw_scroll)
    total_number = to_number(meta.get("total_record_count"))
    total = int(total_number) if total_number is not None and total_number >= 0 else None
    parsed = records_from_items(items, kind, zone, first_index)
    return Page(parsed.records, parsed.problems, parsed.skipped, len(items), total, scroll)


def records_from_items(
    items: Iterable[Any], kind: ReportKind, zone: tzinfo = timezone.utc, first_index: int = 1
) -> Parsed:
    """Typed records from already-decoded JSON items; the core of both parsers."""
    specs = field_specs(kind.record_type)
    key_spec = next(spec for spec in specs if spec.kind is Kind.KEY)
    problems = _Problems()
    records = []
    skipped = 0
    for index, item in enumerate(items, start=first_index):
        if not isinstance(item, dict):
            skipped += 1
            problems.add(f"{kind.item} #{index} is not a record; skipped")
            continue
        wire = _normalised(item)
        values: dict[str, Any] = {}
        for spec in specs:
            raw = _lookup(wire, spec)
            values[spec.name] = _convert(raw, spec, problems, kind.item, index, zone)
        if not values[key_spec.name]:
            skipped += 1
            problems.add(f"{kind.item} #{index} has no {key_spec.name}; skipped")
            continue
        records.append(kind.record_type(**values))
    return Parsed(tuple(records), tuple(problems.items), skipped)


def _json(body: bytes | str) -> Any:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        raise AnalyticsParseError("the server sent an empty response")
    try:
        return json.loads(text)
    except RecursionError:
        raise AnalyticsParseError("the JSON response is nested too deeply to read") from None
    except ValueError as error:
        raise AnalyticsParseError(f"the response is not valid JSON ({_short(str(error))})") from None


def _looks_like_record(document: dict, kind: ReportKind) -> bool:
    wire = _normalised(document)
    key_spec = next(spec for spec in field_specs(kind.record_type) if spec.kind is Kind.KEY)
    return any(name in wire for name in key_spec.wire_names)


def _normalised(item: dict) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(key, str):
            wire.setdefault(snake_case(key), value)
    return wire


def _lookup(wire: dict[str, Any], spec: FieldSpec) -> Any:
    for name in spec.wire_names:
        if name in wire and wire[name] is not None:
            return wire[name]
    return None


def _scroll_id(raw: Any) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None
    text = clean_text(str(raw), max_length=4096)
    return text or None


def _is_no_value(text: str) -> bool:
    return text.lower() in NO_VALUE_WORDS


def _convert(
    raw: Any, spec: FieldSpec, problems: _Problems, label: str, index: int, zone: tzinfo
) -> Any:
    kind = spec.kind
    where = f"{label} #{index}: {spec.name}"
    if kind in _TEXT_KINDS:
        if raw is None:
            return ""
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            problems.add(f"{where} is not text")
            return ""
        text = clean_text(str(raw))
        return "" if _is_no_value(text) else text
    if kind is Kind.TEXTS:
        if raw is None:
            return ()
        values = raw if isinstance(raw, list) else [raw]
        out = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                problems.add(f"{where} holds something that is not text")
                continue
            text = clean_text(str(value))
            if text and not _is_no_value(text):
                out.append(text)
        return tuple(out)
    if kind is Kind.FLAG:
        return _flag(raw, where, problems)
    if kind is Kind.TIME:
        return _time(raw, where, problems, zone)
    if isinstance(raw, str) and (not raw.strip() or _is_no_value(raw.strip())):
        return None
    number = to_number(raw)
    if number is None and kind is Kind.MS and isinstance(raw, str):
        number = _clock_text_ms(raw)
    if number is None:
        if raw is not None:
            problems.add(f"{where} is not a number")
        return None
    if number < 0:
        return None
    if kind is Kind.PERCENT:
        return float(number)
    return int(round(number))


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", "-"})


def _flag(raw: Any, where: str, problems: _Problems) -> bool | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return raw != 0
    if isinstance(raw, str):
        text = clean_text(raw).lower()
        if not text or text in ("n/a", "na", "null", "none"):
            return None
        if text in _NO:
            return False
        return True  # "yes", "Missed", "Abandoned", "Answered"
    problems.add(f"{where} is not yes or no")
    return None


_CLOCK = re.compile(r"\s*(\d{1,7}):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?\s*")


def _clock_text_ms(text: str) -> int | None:
    match = _CLOCK.fullmatch(text)
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


_NUMERIC = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")
_EPOCH_MS_MIN = 10**11  # below: epoch seconds (until 5138); above: milliseconds


def _time(raw: Any, where: str, problems: _Problems, zone: tzinfo) -> datetime | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) or (isinstance(raw, str) and _NUMERIC.fullmatch(raw)):
        number = to_number(raw)
        if number is None:
            problems.add(f"{where} is out of range")
            return None
        if number <= 0:
            return None  # "0" / 0: the call never connected
        seconds = number / 1000 if number >= _EPOCH_MS_MIN else number
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            problems.add(f"{where} is out of range")
            return None
    if isinstance(raw, str):
        text = clean_text(raw)
        if not text or _is_no_value(text):
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            problems.add(f"{where} is not a time")
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(timezone.utc)
    problems.add(f"{where} is not a time")
    return None


def _short(value: str, limit: int = 60) -> str:
    return clean_text(value, max_length=limit)


# --- selection -----------------------------------------------------------------------------


def involves_extension(record: Any, extension: str) -> bool:
    """Whether ``record`` concerns ``extension``: its own number, or a call to or from it.

    Used for ``--ext`` and the Historical tab's drill-down from an extension to its calls,
    which the service cannot filter itself.
    """
    wanted = extension.strip()
    if not wanted:
        return True
    if isinstance(record, (CallRecord, CallLeg)):
        parties = [record.caller, record.callee]
        if isinstance(record, CallLeg):
            parties.append(record.lra)
        return wanted in parties
    return getattr(record, "extension", None) == wanted


def select_extension(records: Sequence[T], extension: str | None) -> tuple[T, ...]:
    """The records that concern ``extension`` (all of them when it is empty or ``None``)."""
    if not extension:
        return tuple(records)
    return tuple(record for record in records if involves_extension(record, extension))
