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

As in :mod:`wallboard.core.wire.rtstats`, a value of the wrong type becomes ``None`` (or ``""``)
and is reported as a problem without dropping the record; a time out of any sensible
range (``0001-01-01T00:00:00+05:00``) is such a value too. A record without its
identifier, or an item that is not an object, is skipped and reported.

Keys the service sends that no field reads (new fields, or ones we do not know yet) are
kept, in the order they came, in the record's ``extras`` under their own wire names, so
exports carry every field the service sent: text cleaned, numbers and yes/no as sent,
lists and objects as compact JSON text. At most :data:`MAX_EXTRA_FIELDS` per record.
Nothing here performs I/O.
"""

from __future__ import annotations

import json
import math
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

MAX_EXTRA_FIELDS = 64
"""Unknown fields kept per record; a hostile record cannot make us keep thousands."""
MAX_EXTRA_TEXT = 1024
"""Longest unknown field value kept (as text)."""
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST_TIME = datetime(9000, 1, 1, tzinfo=timezone.utc)
"""Times outside these are "out of range": no call happened then, and dates near year 1
or 9999 cannot even be shown in every zone."""



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
    NUMBER = "number"  # a number whose unit the vendor does not document: kept as sent


_TEXT_KINDS = frozenset({Kind.KEY, Kind.TEXT})


def _f(kind: Kind, *names: str) -> Any:
    if kind in _TEXT_KINDS:
        default: Any = ""
    elif kind is Kind.TEXTS:
        default = ()
    else:
        default = None
    return field(default=default, metadata={"kind": kind, "names": names})


def _extras() -> Any:
    """The record's unknown fields: ``((wire name, value), ...)`` in the order sent."""
    return field(default=(), compare=True)


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
    extras: tuple[tuple[str, Any], ...] = _extras()


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
    extras: tuple[tuple[str, Any], ...] = _extras()

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
    extras: tuple[tuple[str, Any], ...] = _extras()


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
    extras: tuple[tuple[str, Any], ...] = _extras()

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
    lra: str = _f(Kind.TEXT)
    answered: bool | None = _f(Kind.FLAG)
    missed: bool | None = _f(Kind.FLAG)
    abandoned: bool | None = _f(Kind.FLAG)
    answered_time: float | None = _f(Kind.NUMBER)
    last_leg_disposition: str = _f(Kind.TEXT)
    talk_time: int | None = _f(Kind.MS, "talk_time_ms", "talk_time")
    ring_duration: int | None = _f(Kind.MS)
    wait_time: int | None = _f(Kind.MS, "wait_time_ms", "wait_time")
    call_time: int | None = _f(Kind.MS)
    abandoned_time: int | None = _f(Kind.MS)
    callee_hold_duration: int | None = _f(Kind.MS, "callee_hold_duration_ms", "callee_hold_duration")
    caller_disconnect_on_hold: str = _f(Kind.TEXT)
    callee_disconnect_on_hold: str = _f(Kind.TEXT)
    call_leg_count: int | None = _f(Kind.COUNT)
    pbx_id: str = _f(Kind.TEXT)
    dnis: str = _f(Kind.TEXT)
    aa_destination: str = _f(Kind.TEXT)
    caller_id: str = _f(Kind.TEXT)
    sip_call_id: str = _f(Kind.TEXT)
    departments: tuple[str, ...] = _f(Kind.TEXTS)
    branches: tuple[str, ...] = _f(Kind.TEXTS)
    extras: tuple[tuple[str, Any], ...] = _extras()

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
    lra_type: str = _f(Kind.TEXT)
    status: str = _f(Kind.TEXT)
    cause: str = _f(Kind.TEXT)
    caller_svc_name: str = _f(Kind.TEXT)
    caller_svc_type: str = _f(Kind.TEXT)
    callee_svc_name: str = _f(Kind.TEXT)
    callee_svc_type: str = _f(Kind.TEXT)
    props_last_party_disp: str = _f(Kind.TEXT)
    answered: bool | None = _f(Kind.FLAG)
    missed: bool | None = _f(Kind.FLAG)
    abandoned: bool | None = _f(Kind.FLAG)
    talk_time: int | None = _f(Kind.MS, "talk_time_ms", "talk_time")
    call_time: int | None = _f(Kind.MS)
    callee_hold_duration: int | None = _f(Kind.MS, "callee_hold_duration_ms", "callee_hold_duration")
    caller_disconnect_on_hold: str = _f(Kind.TEXT)
    callee_disconnect_on_hold: str = _f(Kind.TEXT)
    pbx_id: str = _f(Kind.TEXT)
    dnis: str = _f(Kind.TEXT)
    caller_id: str = _f(Kind.TEXT)
    sip_call_id: str = _f(Kind.TEXT)
    caller_device_id: str = _f(Kind.TEXT)
    callee_device_id: str = _f(Kind.TEXT)
    caller_device_model: str = _f(Kind.TEXT)
    callee_device_model: str = _f(Kind.TEXT)
    account_code: str = _f(Kind.TEXT)
    aa_path: str = _f(Kind.TEXT)
    record_service_on: str = _f(Kind.TEXT)
    barge_service_on: str = _f(Kind.TEXT)
    master_slave_exts: str = _f(Kind.TEXT)
    departments: tuple[str, ...] = _f(Kind.TEXTS)
    branches: tuple[str, ...] = _f(Kind.TEXTS)
    extras: tuple[tuple[str, Any], ...] = _extras()

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
    note: str = ""
    """Set on the last page of a listing that ended short ("812 of 1,000 records: ...")."""

    @property
    def ended(self) -> bool:
        """True when the server said this is the end: "No Data", or no page id at all."""
        return self.scroll_id is None or self.scroll_id.strip().lower() == NO_DATA

    @property
    def last(self) -> bool:
        """True when no further page should be asked for: "No Data", no id, or nothing sent."""
        return self.size == 0 or self.ended


@dataclass(frozen=True, slots=True)
class FetchProgress:
    """How far a fetch has got; ``total`` is the server's record count (paged reports only)."""

    kind: str
    pages: int
    records: int
    total: int | None = None
    done: bool = False
    page_size: int | None = None
    note: str = ""
    """Why the listing ended before its announced total, when it did."""

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
    notes: tuple[str, ...] = ()
    """What a person should know about how the listing went ("the service stopped early")."""


@dataclass(frozen=True, slots=True)
class Pbx:
    """One PBX the user may see (``GET v2/pbxes``); reports name PBXs by ``name``."""

    name: str
    id: str = ""
    deleted: bool = False


def parse_pbx_page(body: bytes | str) -> tuple[tuple[Pbx, ...], int | None]:
    """One HAL page of the PBX list: its PBXs and the number of pages (``page.totalPages``).

    The list is ``_embedded.pbxList``; ``page`` is read at the top level or, as in the
    vendor's own example, inside ``_embedded``. Items without a usable name are skipped.
    """
    document = _json(body)
    if not isinstance(document, dict):
        raise AnalyticsParseError("the PBX list is not a JSON object")
    embedded = document.get("_embedded")
    embedded = embedded if isinstance(embedded, dict) else {}
    items = embedded.get("pbxList")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise AnalyticsParseError("the PBX list holds no pbxList")
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if not isinstance(name, str):
            continue
        text = clean_text(name, max_length=64)
        ident = item.get("id")
        if text:
            found.append(Pbx(text, clean_text(str(ident), max_length=64) if isinstance(ident, (str, int)) else "", item.get("deleted") is True))
    page = document.get("page") if isinstance(document.get("page"), dict) else embedded.get("page")
    pages = to_number(page.get("totalPages")) if isinstance(page, dict) else None
    return tuple(found), int(pages) if pages is not None and pages >= 0 else None


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
        if "kind" in f.metadata
    )


@cache
def known_wire_names(record_type: type) -> frozenset[str]:
    """Every normalised wire name some field of ``record_type`` reads."""
    return frozenset(name for spec in field_specs(record_type) for name in spec.wire_names)


# --- parsing -----------------------------------------------------------------------------


class AnalyticsParseError(ValueError):
    """The body could not be read as the expected report; carries a one-line reason."""


class PageTooLargeError(AnalyticsParseError):
    """A page held more items than asked for; raised before any item is converted."""

    def __init__(self, items: int, limit: int) -> None:
        super().__init__(f"the page holds {items:,} records, more than the {limit:,} asked for")
        self.items = items
        self.limit = limit


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
    body: bytes | str,
    kind: ReportKind,
    zone: tzinfo = timezone.utc,
    first_index: int = 1,
    max_items: int | None = None,
) -> Page:
    """Read one page of a paged report: ``{"meta": {...}, "data": [...]}``.

    ``first_index`` numbers the page's items in problem messages, so they count across
    pages (``call record #51``). A bare list is a page with no further page. A page of
    more than ``max_items`` items (a server ignoring ``pageSize``) raises
    :class:`PageTooLargeError` before a single record is built.
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
    if max_items is not None and len(items) > max_items:
        raise PageTooLargeError(len(items), max_items)
    parsed = records_from_items(items, kind, zone, first_index)
    return Page(parsed.records, parsed.problems, parsed.skipped, len(items), total, scroll)


def records_from_items(
    items: Iterable[Any], kind: ReportKind, zone: tzinfo = timezone.utc, first_index: int = 1
) -> Parsed:
    """Typed records from already-decoded JSON items; the core of both parsers."""
    specs = field_specs(kind.record_type)
    known = known_wire_names(kind.record_type)
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
        values["extras"] = _unknown_fields(item, known, problems, kind.item, index)
        records.append(kind.record_type(**values))
    return Parsed(tuple(records), tuple(problems.items), skipped)


def _unknown_fields(item: dict, known: frozenset[str], problems: _Problems, label: str, index: int) -> tuple[tuple[str, Any], ...]:
    """The fields of ``item`` no record field reads, as ``(wire name, value)`` (see module doc)."""
    extras: list[tuple[str, Any]] = []
    names: set[str] = set()
    for key, value in item.items():
        if not isinstance(key, str) or snake_case(key) in known:
            continue
        name = clean_text(key, max_length=64)
        if not name or name in names:
            continue
        if len(extras) >= MAX_EXTRA_FIELDS:
            problems.add(f"{label} #{index} has more than {MAX_EXTRA_FIELDS} unknown fields; the rest were dropped")
            break
        names.add(name)
        extras.append((name, extra_value(value)))
    return tuple(extras)


def extra_value(value: Any) -> Any:
    """An unknown field's value as kept: text cleaned, numbers and yes/no as sent, lists
    and objects as compact JSON text (never a non-finite number, never a control)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return clean_text(value, max_length=MAX_EXTRA_TEXT)
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    except (ValueError, RecursionError):
        text = "…"
    return clean_text(text, max_length=MAX_EXTRA_TEXT)


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
    if kind is Kind.NUMBER:
        number = to_number(raw)
        if number is None:
            if raw is not None:
                problems.add(f"{where} is not a number")
            return None
        return int(number) if float(number).is_integer() else float(number)
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
            return _in_range(datetime.fromtimestamp(seconds, tz=timezone.utc), where, problems)
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
        try:
            return _in_range(moment.astimezone(timezone.utc), where, problems)
        except (OverflowError, ValueError):  # 0001-01-01T00:00:00+05:00 is before year 1 in UTC
            problems.add(f"{where} is out of range ({_short(text, 40)})")
            return None
    problems.add(f"{where} is not a time")
    return None


def _in_range(moment: datetime, where: str, problems: _Problems) -> datetime | None:
    """``moment`` if a call could have happened then (see :data:`EARLIEST_TIME`), else a problem."""
    if EARLIEST_TIME <= moment < LATEST_TIME:
        return moment
    problems.add(f"{where} is out of range ({moment.date().isoformat()})")
    return None


def _short(value: str, limit: int = 60) -> str:
    return clean_text(value, max_length=limit)


# --- selection -----------------------------------------------------------------------------


_BRACKETED = re.compile(r"\(([^()]*)\)\s*$")


def extension_set(extension: str | Sequence[str] | None) -> frozenset[str]:
    """``"1001,1002"`` (or a list) as a set of extension numbers; empty for none."""
    if not extension:
        return frozenset()
    parts = extension.split(",") if isinstance(extension, str) else extension
    return frozenset(part.strip() for part in parts if part.strip())


def parties(record: CallRecord | CallLeg) -> set[str]:
    """The extensions a call or leg is from or to: caller, callee and ``lra`` (the last
    resource answering), plus the number in a callee such as ``Voicemail (120088)``."""
    found = {record.caller, record.callee, record.lra}
    for text in (record.caller, record.callee):
        match = _BRACKETED.search(text)
        if match:
            found.add(match.group(1).strip())
    found.discard("")
    return found


def involves_extension(record: Any, extension: str | Sequence[str]) -> bool:
    """Whether ``record`` concerns ``extension`` (one number, or a comma list of them):
    its own number, or a call to or from it (see :func:`parties`).

    Used for ``--ext`` and the Historical tab's drill-down from an extension to its calls.
    For calls the service filters first (``callerOrCallee``); this check stays as a guard,
    and is the only filter for numbers the service does not filter (not extensions).
    """
    wanted = extension_set(extension)
    if not wanted:
        return True
    if isinstance(record, (CallRecord, CallLeg)):
        return not wanted.isdisjoint(parties(record))
    return getattr(record, "extension", None) in wanted


def select_extension(records: Sequence[T], extension: str | None) -> tuple[T, ...]:
    """The records that concern ``extension`` (all of them when it is empty or ``None``)."""
    if not extension_set(extension):
        return tuple(records)
    return tuple(record for record in records if involves_extension(record, extension or ""))
