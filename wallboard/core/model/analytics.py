"""The Work Analytics (historical) records, the report kinds, and rules on them.

The reports disagree on naming: the extension summary uses ``Pascal_Snake`` keys
(``Total_Missed``, ``PbxId``), the others camelCase (``totalMissed``, ``pbxId``), call
records mix in suffixes (``talkTimeMS``, ``startTimeUTC``). The parser
(:mod:`wallboard.core.wire.analytics`) normalises every wire key to ``snake_case``, so
one record type per report reads any of them, and every report shares one naming
(``total_missed`` everywhere): a field's name is its normalised wire name, and
:func:`~wallboard.core.model.fields.kinded` lists any other names it is read from.

Each field's :class:`~wallboard.core.model.fields.Kind` says what it holds: durations
stay in **milliseconds** (``Kind.MS``), as the service sends them (people see them as
``h:mm:ss``); times are aware UTC datetimes; flags are yes/no; text is cleaned. The
report tables format and total fields by their kind. Keys the service sends that no
field reads are kept in the record's ``extras``, in the order they came, under their
own wire names, so exports carry every field the service sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Sequence, TypeVar

from wallboard.core.model.fields import Kind, kinded

def _extras() -> Any:
    """The record's unknown fields: ``((wire name, value), ...)`` in the order sent."""
    return field(default=(), compare=True)


# --- the records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanySummary:
    """One PBX's totals (``v1/compsum``)."""

    pbx_id: str = kinded(Kind.KEY)
    total_calls: int | None = kinded(Kind.COUNT, "total_calls", "total_call")
    inbound_total: int | None = kinded(Kind.COUNT)
    inbound_answered: int | None = kinded(Kind.COUNT)
    inbound_abandoned: int | None = kinded(Kind.COUNT)
    inbound_missed: int | None = kinded(Kind.COUNT)
    outbound_total: int | None = kinded(Kind.COUNT)
    outbound_answered: int | None = kinded(Kind.COUNT)
    outbound_abandoned: int | None = kinded(Kind.COUNT)
    total_answered: int | None = kinded(Kind.COUNT)
    total_abandoned: int | None = kinded(Kind.COUNT)
    total_missed: int | None = kinded(Kind.COUNT)
    total_calls_to_vm: int | None = kinded(Kind.COUNT, "total_calls_to_vm", "total_vm")
    external_inbound_total: int | None = kinded(Kind.COUNT)
    external_inbound_answered: int | None = kinded(Kind.COUNT)
    external_inbound_abandoned: int | None = kinded(Kind.COUNT)
    external_inbound_missed: int | None = kinded(Kind.COUNT)
    percent_external_inbound_answered: float | None = kinded(Kind.PERCENT)
    external_outbound_total: int | None = kinded(Kind.COUNT)
    external_outbound_answered: int | None = kinded(Kind.COUNT)
    external_outbound_abandoned: int | None = kinded(Kind.COUNT)
    external_outbound_missed: int | None = kinded(Kind.COUNT)
    percent_external_outbound_answered: float | None = kinded(Kind.PERCENT)
    internal_inbound_total: int | None = kinded(Kind.COUNT)
    internal_inbound_answered: int | None = kinded(Kind.COUNT)
    internal_inbound_abandoned: int | None = kinded(Kind.COUNT)
    internal_inbound_missed: int | None = kinded(Kind.COUNT)
    internal_outbound_total: int | None = kinded(Kind.COUNT)
    internal_outbound_answered: int | None = kinded(Kind.COUNT)
    internal_outbound_abandoned: int | None = kinded(Kind.COUNT)
    total_ext_to_ext: int | None = kinded(Kind.COUNT)
    total_ext_to_ext_answered: int | None = kinded(Kind.COUNT)
    total_ext_to_ext_abandoned: int | None = kinded(Kind.COUNT)
    total_ext_to_ext_missed: int | None = kinded(Kind.COUNT)
    total_ring_time: int | None = kinded(Kind.MS)
    total_talk_time: int | None = kinded(Kind.MS)
    total_call_time: int | None = kinded(Kind.MS)
    total_abandoned_time: int | None = kinded(Kind.MS)
    avg_ring_time: int | None = kinded(Kind.MS)
    avg_talk_time: int | None = kinded(Kind.MS)
    avg_call_time: int | None = kinded(Kind.MS)
    avg_abandoned_time: int | None = kinded(Kind.MS)
    extras: tuple[tuple[str, Any], ...] = _extras()


@dataclass(frozen=True, slots=True)
class ExtensionSummary:
    """One extension's totals (``v2/extsum``, whose keys are ``Pascal_Snake``)."""

    extension: str = kinded(Kind.KEY)
    pbx_id: str = kinded(Kind.TEXT)
    first_name: str = kinded(Kind.TEXT)
    last_name: str = kinded(Kind.TEXT)
    service_type: str = kinded(Kind.TEXT)
    branch: str = kinded(Kind.TEXT)
    department: str = kinded(Kind.TEXT)
    email: str = kinded(Kind.TEXT)
    user_name: str = kinded(Kind.TEXT)
    inbound_total: int | None = kinded(Kind.COUNT)
    inbound_answered: int | None = kinded(Kind.COUNT)
    inbound_abandoned: int | None = kinded(Kind.COUNT)
    inbound_missed: int | None = kinded(Kind.COUNT)
    outbound_total: int | None = kinded(Kind.COUNT)
    outbound_answered: int | None = kinded(Kind.COUNT)
    outbound_abandoned: int | None = kinded(Kind.COUNT)
    total_answered: int | None = kinded(Kind.COUNT)
    total_abandoned: int | None = kinded(Kind.COUNT)
    total_missed: int | None = kinded(Kind.COUNT)
    total_calls_to_vm: int | None = kinded(Kind.COUNT, "total_calls_to_vm", "total_vm")
    external_inbound_total: int | None = kinded(Kind.COUNT)
    external_inbound_answered: int | None = kinded(Kind.COUNT)
    external_inbound_abandoned: int | None = kinded(Kind.COUNT)
    external_inbound_missed: int | None = kinded(Kind.COUNT)
    percent_external_inbound_answered: float | None = kinded(Kind.PERCENT)
    external_outbound_total: int | None = kinded(Kind.COUNT)
    external_outbound_answered: int | None = kinded(Kind.COUNT)
    external_outbound_abandoned: int | None = kinded(Kind.COUNT)
    percent_external_outbound_answered: float | None = kinded(Kind.PERCENT)
    internal_inbound_total: int | None = kinded(Kind.COUNT)
    internal_inbound_answered: int | None = kinded(Kind.COUNT)
    internal_inbound_abandoned: int | None = kinded(Kind.COUNT)
    internal_inbound_missed: int | None = kinded(Kind.COUNT)
    internal_outbound_total: int | None = kinded(Kind.COUNT)
    internal_outbound_answered: int | None = kinded(Kind.COUNT)
    internal_outbound_abandoned: int | None = kinded(Kind.COUNT)
    total_ring_time: int | None = kinded(Kind.MS)
    total_talk_time: int | None = kinded(Kind.MS)
    inbound_talk_time: int | None = kinded(Kind.MS)
    outbound_talk_time: int | None = kinded(Kind.MS)
    total_call_time: int | None = kinded(Kind.MS)
    total_abandoned_time: int | None = kinded(Kind.MS)
    avg_ring_time: int | None = kinded(Kind.MS)
    avg_talk_time: int | None = kinded(Kind.MS)
    avg_abandoned_time: int | None = kinded(Kind.MS)
    extras: tuple[tuple[str, Any], ...] = _extras()

    @property
    def name(self) -> str:
        """``First Last``, or whichever part the server gave."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class RingGroupSummary:
    """One ring group's totals (``v2/rgsum-groups``)."""

    extension: str = kinded(Kind.KEY)
    name: str = kinded(Kind.TEXT)
    pbx_id: str = kinded(Kind.TEXT)
    site: str = kinded(Kind.TEXT)
    total_members: int | None = kinded(Kind.COUNT)
    total_calls: int | None = kinded(Kind.COUNT)
    total_inbound: int | None = kinded(Kind.COUNT)
    total_answered: int | None = kinded(Kind.COUNT)
    total_abandoned: int | None = kinded(Kind.COUNT)
    total_missed: int | None = kinded(Kind.COUNT)
    total_calls_to_vm: int | None = kinded(Kind.COUNT, "total_calls_to_vm", "total_vm")
    total_advanced: int | None = kinded(Kind.COUNT)
    total_rg_time: int | None = kinded(Kind.MS)
    total_ring_time: int | None = kinded(Kind.MS)
    total_talk_time: int | None = kinded(Kind.MS)
    total_abandoned_time: int | None = kinded(Kind.MS)
    avg_rg_time: int | None = kinded(Kind.MS)
    avg_ring_time: int | None = kinded(Kind.MS)
    avg_talk_time: int | None = kinded(Kind.MS)
    avg_abandoned_time: int | None = kinded(Kind.MS)
    extras: tuple[tuple[str, Any], ...] = _extras()


@dataclass(frozen=True, slots=True)
class RingGroupMember:
    """One member of one ring group (``v2/rgsum-members?extId=``)."""

    extension: str = kinded(Kind.KEY)
    first_name: str = kinded(Kind.TEXT)
    last_name: str = kinded(Kind.TEXT)
    pbx_id: str = kinded(Kind.TEXT)
    site: str = kinded(Kind.TEXT)
    ring_group_name: str = kinded(Kind.TEXT)
    ring_group_extension: str = kinded(Kind.TEXT)
    offered: int | None = kinded(Kind.COUNT)
    total_calls: int | None = kinded(Kind.COUNT)
    total_answered: int | None = kinded(Kind.COUNT)
    total_advanced: int | None = kinded(Kind.COUNT)
    total_ring_time: int | None = kinded(Kind.MS)
    total_talk_time: int | None = kinded(Kind.MS)
    avg_ring_time: int | None = kinded(Kind.MS)
    avg_talk_time: int | None = kinded(Kind.MS)
    extras: tuple[tuple[str, Any], ...] = _extras()

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call, start to end, as a single row (``v2/call-records``)."""

    call_id: str = kinded(Kind.KEY)
    start_time: datetime | None = kinded(Kind.TIME, "start_time_utc", "start_time")
    connect_time: datetime | None = kinded(Kind.TIME, "connect_time_utc", "connect_time")
    disconnected_time: datetime | None = kinded(
        Kind.TIME, "disconnected_time_utc", "disconnected_time"
    )
    direction: str = kinded(Kind.TEXT)
    caller: str = kinded(Kind.TEXT)
    caller_name: str = kinded(Kind.TEXT)
    callee: str = kinded(Kind.TEXT)
    callee_name: str = kinded(Kind.TEXT)
    lra: str = kinded(Kind.TEXT)
    answered: bool | None = kinded(Kind.FLAG)
    missed: bool | None = kinded(Kind.FLAG)
    abandoned: bool | None = kinded(Kind.FLAG)
    answered_time: float | None = kinded(Kind.NUMBER)
    last_leg_disposition: str = kinded(Kind.TEXT)
    talk_time: int | None = kinded(Kind.MS, "talk_time_ms", "talk_time")
    ring_duration: int | None = kinded(Kind.MS)
    wait_time: int | None = kinded(Kind.MS, "wait_time_ms", "wait_time")
    call_time: int | None = kinded(Kind.MS)
    abandoned_time: int | None = kinded(Kind.MS)
    callee_hold_duration: int | None = kinded(Kind.MS, "callee_hold_duration_ms", "callee_hold_duration")
    caller_disconnect_on_hold: str = kinded(Kind.TEXT)
    callee_disconnect_on_hold: str = kinded(Kind.TEXT)
    call_leg_count: int | None = kinded(Kind.COUNT)
    pbx_id: str = kinded(Kind.TEXT)
    dnis: str = kinded(Kind.TEXT)
    aa_destination: str = kinded(Kind.TEXT)
    caller_id: str = kinded(Kind.TEXT)
    sip_call_id: str = kinded(Kind.TEXT)
    departments: tuple[str, ...] = kinded(Kind.TEXTS)
    branches: tuple[str, ...] = kinded(Kind.TEXTS)
    extras: tuple[tuple[str, Any], ...] = _extras()

    @property
    def result(self) -> str:
        """One word for what happened to the call, for tables."""
        return call_result(self.answered, self.abandoned, self.missed, self.last_leg_disposition)


@dataclass(frozen=True, slots=True)
class CallLeg:
    """One segment of a call (``v2/call-legs``); child legs carry ``parent_call_id``."""

    call_id: str = kinded(Kind.KEY)
    leg_id: str = kinded(Kind.TEXT)
    parent_call_id: str = kinded(Kind.TEXT)
    transfer_to_call_id: str = kinded(Kind.TEXT)
    start_time: datetime | None = kinded(Kind.TIME, "start_time_utc", "start_time")
    connect_time: datetime | None = kinded(Kind.TIME, "connect_time_utc", "connect_time")
    disconnected_time: datetime | None = kinded(
        Kind.TIME, "disconnected_time_utc", "disconnected_time"
    )
    direction: str = kinded(Kind.TEXT)
    caller: str = kinded(Kind.TEXT)
    caller_name: str = kinded(Kind.TEXT)
    callee: str = kinded(Kind.TEXT)
    callee_name: str = kinded(Kind.TEXT)
    lra: str = kinded(Kind.TEXT)
    lra_type: str = kinded(Kind.TEXT)
    status: str = kinded(Kind.TEXT)
    cause: str = kinded(Kind.TEXT)
    caller_svc_name: str = kinded(Kind.TEXT)
    caller_svc_type: str = kinded(Kind.TEXT)
    callee_svc_name: str = kinded(Kind.TEXT)
    callee_svc_type: str = kinded(Kind.TEXT)
    props_last_party_disp: str = kinded(Kind.TEXT)
    answered: bool | None = kinded(Kind.FLAG)
    missed: bool | None = kinded(Kind.FLAG)
    abandoned: bool | None = kinded(Kind.FLAG)
    talk_time: int | None = kinded(Kind.MS, "talk_time_ms", "talk_time")
    call_time: int | None = kinded(Kind.MS)
    callee_hold_duration: int | None = kinded(Kind.MS, "callee_hold_duration_ms", "callee_hold_duration")
    caller_disconnect_on_hold: str = kinded(Kind.TEXT)
    callee_disconnect_on_hold: str = kinded(Kind.TEXT)
    pbx_id: str = kinded(Kind.TEXT)
    dnis: str = kinded(Kind.TEXT)
    caller_id: str = kinded(Kind.TEXT)
    sip_call_id: str = kinded(Kind.TEXT)
    caller_device_id: str = kinded(Kind.TEXT)
    callee_device_id: str = kinded(Kind.TEXT)
    caller_device_model: str = kinded(Kind.TEXT)
    callee_device_model: str = kinded(Kind.TEXT)
    account_code: str = kinded(Kind.TEXT)
    aa_path: str = kinded(Kind.TEXT)
    record_service_on: str = kinded(Kind.TEXT)
    barge_service_on: str = kinded(Kind.TEXT)
    master_slave_exts: str = kinded(Kind.TEXT)
    departments: tuple[str, ...] = kinded(Kind.TEXTS)
    branches: tuple[str, ...] = kinded(Kind.TEXTS)
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
