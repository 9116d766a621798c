"""Reports as tables: which columns, how each cell reads, and which totals make sense.

The Historical tab and ``wallboard report`` share this model, so a figure reads the same
on screen, in a terminal table, in a spreadsheet and in JSON (the renderers are in
:mod:`wallboard.core.reports.render`).

* :func:`screen_columns` is the compact set for screens and terminal tables;
  :func:`full_columns` is every field of the record (for CSV), in the record's order,
  followed by the fields the service sent that we do not know (under their wire names,
  in the order first seen: :func:`extra_keys`).
* Totals: counts and total times are summed; averages and percentages are **never**
  summed. An average is recomputed from summed totals only where the report defines it
  and the vendor's examples confirm it (average talk time = total talk time / answered;
  average call time = total call time / calls; a ring group's average time in group and
  ring time = total / calls; abandoned time / abandoned for ring groups); a percentage
  answered = answered / total. Other averages (the company's ring and abandoned times,
  whose denominators the vendor does not define and its example contradicts) are blank.
  Call legs have no totals: a call's legs overlap. :class:`Totals` sums as records pass,
  so a listing can be totalled without being held.
* Cells as people read them on screen (:func:`format_cell`): ``h:mm:ss`` durations,
  times in the report's zone, ``—`` for no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from enum import Enum
from typing import Any, Callable, Iterable, Sequence

from wallboard.core import formatting
from wallboard.core.model.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    ReportKind,
)
from wallboard.core.model.codes import NO_VALUE
from wallboard.core.model.fields import Kind, field_specs

TOTAL_LABEL = "Total"


class Fmt(Enum):
    """How a cell's value reads."""

    TEXT = "text"
    COUNT = "count"
    DURATION = "duration"  # milliseconds, shown as h:mm:ss
    PERCENT = "percent"
    TIME = "time"  # an aware datetime, shown in the report's zone
    FLAG = "flag"
    LIST = "list"
    NUMBER = "number"  # a number shown as sent
    RAW = "raw"  # an unknown field: text, a number, yes/no or nothing, as sent


NUMERIC = frozenset({Fmt.COUNT, Fmt.DURATION, Fmt.PERCENT, Fmt.NUMBER})

_KIND_FMT = {
    Kind.KEY: Fmt.TEXT,
    Kind.TEXT: Fmt.TEXT,
    Kind.TEXTS: Fmt.LIST,
    Kind.COUNT: Fmt.COUNT,
    Kind.MS: Fmt.DURATION,
    Kind.PERCENT: Fmt.PERCENT,
    Kind.FLAG: Fmt.FLAG,
    Kind.TIME: Fmt.TIME,
    Kind.NUMBER: Fmt.NUMBER,
}


@dataclass(frozen=True, slots=True)
class Ratio:
    """A total recomputed from summed fields: ``numerator / denominator * scale``."""

    numerator: str
    denominator: str
    scale: float = 1.0


SUM = "sum"
TotalRule = str | Ratio | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the record attribute (or a getter), its header, format and total rule."""

    key: str
    header: str
    fmt: Fmt
    total: TotalRule = None
    getter: Callable[[Any], Any] | None = None

    @property
    def numeric(self) -> bool:
        """Numbers are right-aligned and sort as numbers."""
        return self.fmt in NUMERIC

    def value(self, record: Any) -> Any:
        return self.getter(record) if self.getter is not None else getattr(record, self.key)


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: raw values (for sorting and JSON), cells as people read them.

    ``record`` is the source record (for drill-downs); ``None`` on the totals row.
    """

    values: tuple[Any, ...]
    cells: tuple[str, ...]
    record: Any = None


@dataclass(frozen=True, slots=True)
class ReportTable:
    """Rows and an optional totals row for one report, ready to render."""

    kind: ReportKind
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: Row | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    @property
    def empty(self) -> bool:
        return not self.rows

    def sorted_by(self, index: int, descending: bool = False) -> "ReportTable":
        """The rows ordered by column ``index``; empty values always last; stable."""
        return replace(self, rows=sort_rows(self.rows, index, self.columns[index], descending))


# --- the columns of each report ------------------------------------------------------------

_RATIOS: dict[str, dict[str, Ratio]] = {
    COMPANY.name: {
        "avg_talk_time": Ratio("total_talk_time", "total_answered"),
        "avg_call_time": Ratio("total_call_time", "total_calls"),
        "percent_external_inbound_answered": Ratio("external_inbound_answered", "external_inbound_total", 100.0),
        "percent_external_outbound_answered": Ratio("external_outbound_answered", "external_outbound_total", 100.0),
    },
    EXTENSIONS.name: {
        "avg_talk_time": Ratio("total_talk_time", "total_answered"),
        "percent_external_inbound_answered": Ratio("external_inbound_answered", "external_inbound_total", 100.0),
        "percent_external_outbound_answered": Ratio("external_outbound_answered", "external_outbound_total", 100.0),
    },
    RING_GROUPS.name: {
        "avg_rg_time": Ratio("total_rg_time", "total_calls"),
        "avg_ring_time": Ratio("total_ring_time", "total_calls"),
        "avg_talk_time": Ratio("total_talk_time", "total_answered"),
        "avg_abandoned_time": Ratio("total_abandoned_time", "total_abandoned"),
    },
    RING_GROUP_MEMBERS.name: {
        "avg_ring_time": Ratio("total_ring_time", "total_calls"),
        "avg_talk_time": Ratio("total_talk_time", "total_answered"),
    },
}
_NOT_SUMMED = frozenset({"total_members"})  # one agent may be in many groups
_NO_TOTALS = frozenset({CALL_LEGS.name})


def total_rule(kind: ReportKind, key: str) -> TotalRule:
    """How column ``key`` of ``kind`` totals: summed, recomputed, or not at all."""
    if kind.name in _NO_TOTALS:
        return None
    specs = {spec.name: spec for spec in field_specs(kind.record_type)}
    spec = specs.get(key)
    if spec is None or key in _NOT_SUMMED:
        return None
    ratio = _RATIOS.get(kind.name, {}).get(key)
    if ratio is not None:
        return ratio
    if spec.kind is Kind.COUNT and key != "call_leg_count":
        return SUM
    if spec.kind is Kind.MS and not key.startswith("avg_"):
        return SUM
    return None


def _col(kind: ReportKind, key: str, header: str, getter: Callable[[Any], Any] | None = None, fmt: Fmt | None = None) -> Column:
    specs = {spec.name: spec for spec in field_specs(kind.record_type)}
    if fmt is None:
        fmt = _KIND_FMT[specs[key].kind]
    return Column(key, header, fmt, total_rule(kind, key) if getter is None else None, getter)


def _name(record: Any) -> str:
    return record.name


def _result(record: Any) -> str:
    return record.result


_SCREEN: dict[str, Callable[[], tuple[Column, ...]]] = {
    COMPANY.name: lambda: (
        _col(COMPANY, "pbx_id", "PBX"),
        _col(COMPANY, "total_calls", "Calls"),
        _col(COMPANY, "inbound_total", "Inbound"),
        _col(COMPANY, "outbound_total", "Outbound"),
        _col(COMPANY, "total_answered", "Answered"),
        _col(COMPANY, "total_missed", "Missed"),
        _col(COMPANY, "total_abandoned", "Abandoned"),
        _col(COMPANY, "total_calls_to_vm", "Voicemail"),
        _col(COMPANY, "total_talk_time", "Talk time"),
        _col(COMPANY, "avg_talk_time", "Avg talk"),
        _col(COMPANY, "total_ring_time", "Ring time"),
    ),
    EXTENSIONS.name: lambda: (
        _col(EXTENSIONS, "extension", "Ext"),
        _col(EXTENSIONS, "name", "Name", _name, Fmt.TEXT),
        _col(EXTENSIONS, "pbx_id", "PBX"),
        _col(EXTENSIONS, "department", "Department"),
        _col(EXTENSIONS, "inbound_total", "Inbound"),
        _col(EXTENSIONS, "outbound_total", "Outbound"),
        _col(EXTENSIONS, "total_answered", "Answered"),
        _col(EXTENSIONS, "total_missed", "Missed"),
        _col(EXTENSIONS, "total_abandoned", "Abandoned"),
        _col(EXTENSIONS, "total_talk_time", "Talk time"),
        _col(EXTENSIONS, "avg_talk_time", "Avg talk"),
        _col(EXTENSIONS, "total_ring_time", "Ring time"),
    ),
    RING_GROUPS.name: lambda: (
        _col(RING_GROUPS, "extension", "Ext"),
        _col(RING_GROUPS, "name", "Ring group"),
        _col(RING_GROUPS, "pbx_id", "PBX"),
        _col(RING_GROUPS, "total_members", "Members"),
        _col(RING_GROUPS, "total_calls", "Calls"),
        _col(RING_GROUPS, "total_answered", "Answered"),
        _col(RING_GROUPS, "total_missed", "Missed"),
        _col(RING_GROUPS, "total_abandoned", "Abandoned"),
        _col(RING_GROUPS, "total_calls_to_vm", "Voicemail"),
        _col(RING_GROUPS, "total_talk_time", "Talk time"),
        _col(RING_GROUPS, "avg_talk_time", "Avg talk"),
        _col(RING_GROUPS, "avg_rg_time", "Avg in group"),
    ),
    RING_GROUP_MEMBERS.name: lambda: (
        _col(RING_GROUP_MEMBERS, "extension", "Ext"),
        _col(RING_GROUP_MEMBERS, "name", "Name", _name, Fmt.TEXT),
        _col(RING_GROUP_MEMBERS, "ring_group_name", "Ring group"),
        _col(RING_GROUP_MEMBERS, "offered", "Offered"),
        _col(RING_GROUP_MEMBERS, "total_answered", "Answered"),
        _col(RING_GROUP_MEMBERS, "total_advanced", "Advanced"),
        _col(RING_GROUP_MEMBERS, "total_talk_time", "Talk time"),
        _col(RING_GROUP_MEMBERS, "avg_talk_time", "Avg talk"),
        _col(RING_GROUP_MEMBERS, "total_ring_time", "Ring time"),
        _col(RING_GROUP_MEMBERS, "avg_ring_time", "Avg ring"),
    ),
    CALL_RECORDS.name: lambda: (
        _col(CALL_RECORDS, "start_time", "Start"),
        _col(CALL_RECORDS, "direction", "Direction"),
        _col(CALL_RECORDS, "caller", "From"),
        _col(CALL_RECORDS, "caller_name", "From name"),
        _col(CALL_RECORDS, "callee", "To"),
        _col(CALL_RECORDS, "callee_name", "To name"),
        _col(CALL_RECORDS, "result", "Result", _result, Fmt.TEXT),
        _col(CALL_RECORDS, "talk_time", "Talk"),
        _col(CALL_RECORDS, "wait_time", "Wait"),
        _col(CALL_RECORDS, "ring_duration", "Ring"),
        _col(CALL_RECORDS, "pbx_id", "PBX"),
    ),
    CALL_LEGS.name: lambda: (
        _col(CALL_LEGS, "start_time", "Start"),
        _col(CALL_LEGS, "call_id", "Call"),
        _col(CALL_LEGS, "leg_id", "Leg"),
        _col(CALL_LEGS, "parent_call_id", "Parent"),
        _col(CALL_LEGS, "caller", "From"),
        _col(CALL_LEGS, "callee", "To"),
        _col(CALL_LEGS, "callee_name", "To name"),
        _col(CALL_LEGS, "callee_svc_name", "Service"),
        _col(CALL_LEGS, "result", "Result", _result, Fmt.TEXT),
        _col(CALL_LEGS, "cause", "Cause"),
        _col(CALL_LEGS, "talk_time", "Talk"),
    ),
}

_ACRONYMS = {"pbx": "PBX", "vm": "VM", "id": "ID", "rg": "RG", "lra": "LRA", "dnis": "DNIS", "svc": "service", "aa": "AA", "sip": "SIP"}


def header_for(key: str) -> str:
    """A header people read for a field name: ``total_calls_to_vm`` -> ``Total calls to VM``."""
    words = [_ACRONYMS.get(word, word) for word in key.split("_")]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def screen_columns(kind: ReportKind) -> tuple[Column, ...]:
    """The compact columns for the Historical tab and terminal tables."""
    return _SCREEN[kind.name]()


def full_columns(kind: ReportKind, extras: Sequence[str] = ()) -> tuple[Column, ...]:
    """One column per record field, in the record's order (for CSV), then one per unknown
    field named in ``extras`` (see :func:`extra_keys`)."""
    known = tuple(
        Column(spec.name, header_for(spec.name), _KIND_FMT[spec.kind], total_rule(kind, spec.name))
        for spec in field_specs(kind.record_type)
    )
    return known + extra_columns(extras)


def extra_keys(records: Iterable[Any], seen: Sequence[str] = ()) -> tuple[str, ...]:
    """The unknown fields of ``records`` by wire name, in the order first seen (after ``seen``)."""
    keys = dict.fromkeys(seen)
    for record in records:
        for key, _ in getattr(record, "extras", ()):
            keys.setdefault(key)
    return tuple(keys)


def extra_columns(keys: Sequence[str]) -> tuple[Column, ...]:
    """A column per unknown field, headed by its wire name."""
    return tuple(Column(key, key, Fmt.RAW, None, _extra_getter(key)) for key in keys)


def _extra_getter(key: str) -> Callable[[Any], Any]:
    def value(record: Any) -> Any:
        for name, found in getattr(record, "extras", ()):
            if name == key:
                return found
        return None

    return value


# --- building, sorting ---------------------------------------------------------------------


def build_table(
    kind: ReportKind,
    records: Sequence[Any],
    zone: tzinfo = timezone.utc,
    columns: Sequence[Column] | None = None,
) -> ReportTable:
    """A table of ``records`` with ``columns`` (the screen set by default).

    The totals row exists when the report has totals and there is at least one row;
    renderers show it only when there are two rows or more.
    """
    chosen = tuple(columns) if columns is not None else screen_columns(kind)
    rows = tuple(_row(chosen, record, zone) for record in records)
    totals = None
    if rows and any(column.total is not None for column in chosen):
        totals = totals_row(chosen, records, zone)
    return ReportTable(kind, chosen, rows, totals)


def _row(columns: Sequence[Column], record: Any, zone: tzinfo) -> Row:
    values = tuple(column.value(record) for column in columns)
    cells = tuple(format_cell(value, column.fmt, zone) for value, column in zip(values, columns))
    return Row(values, cells, record)


class Totals:
    """Running sums for the totals of ``columns``, fed a batch of records at a time, so a
    listing can be totalled without being held."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self._getters: dict[str, Callable[[Any], Any]] = {}
        for column in self.columns:
            if column.total == SUM:
                self._getters.setdefault(column.key, column.value)
            elif isinstance(column.total, Ratio):
                for key in (column.total.numerator, column.total.denominator):
                    self._getters.setdefault(key, _attribute(key))
        self._sums: dict[str, Any] = {key: None for key in self._getters}
        self.count = 0

    def add(self, records: Iterable[Any]) -> None:
        for record in records:
            self.count += 1
            for key, getter in self._getters.items():
                value = getter(record)
                if value is not None:
                    current = self._sums[key]
                    self._sums[key] = value if current is None else current + value

    def values(self) -> tuple[Any, ...]:
        """The totals per column (``None`` where a column has no total)."""
        out: list[Any] = []
        for column in self.columns:
            rule = column.total
            if rule == SUM:
                out.append(self._sums[column.key])
            elif isinstance(rule, Ratio):
                numerator, denominator = self._sums[rule.numerator], self._sums[rule.denominator]
                if numerator is None or not denominator:
                    out.append(None)
                else:
                    value = numerator * rule.scale / denominator
                    out.append(round(value, 2) if column.fmt is Fmt.PERCENT else int(round(value)))
            else:
                out.append(None)
        return tuple(out)

    def as_dict(self) -> dict[str, Any] | None:
        """``{field: total}`` for the columns that total; ``None`` before any record."""
        if not self.count or not any(column.total is not None for column in self.columns):
            return None
        return {column.key: value for column, value in zip(self.columns, self.values()) if column.total is not None}


def _attribute(key: str) -> Callable[[Any], Any]:
    return lambda record: getattr(record, key, None)


def compute_totals(columns: Sequence[Column], records: Sequence[Any]) -> tuple[Any, ...]:
    """The totals of ``records`` per column (``None`` where a column has no total)."""
    totals = Totals(columns)
    totals.add(records)
    return totals.values()


def totals_row(columns: Sequence[Column], records: Sequence[Any], zone: tzinfo = timezone.utc) -> Row:
    """The totals row of ``records``: formatted totals, and ``Total`` in the first text column."""
    values = list(compute_totals(columns, records))
    cells = [format_cell(value, column.fmt, zone) if column.total is not None else "" for value, column in zip(values, columns)]
    for index, column in enumerate(columns):
        if column.total is None and not column.numeric:
            cells[index] = TOTAL_LABEL
            break
    return Row(tuple(values), tuple(cells), None)


def sort_rows(rows: Sequence[Row], index: int, column: Column, descending: bool = False) -> tuple[Row, ...]:
    """Rows ordered by one column; rows without a value stay last either way; stable."""
    present = [row for row in rows if _sortable(row.values[index]) is not None]
    missing = [row for row in rows if _sortable(row.values[index]) is None]
    present.sort(key=lambda row: _sortable(row.values[index]), reverse=descending)
    return tuple(present + missing)


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple:
    """Text with its numbers compared as numbers: ``999`` before ``1001``, ``Line 2`` before
    ``Line 10``; a text before itself with more after it (``demo-pbx`` before ``demo-pbx2``).

    The parts are a tuple of their own, so a shorter one that is a prefix of a longer one
    sorts first; the text itself breaks ties (``a`` and ``A``, ``01`` and ``1``).
    """
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(part), "") if index % 2 else (1, 0, part) for index, part in enumerate(parts) if part), text


def _sortable(value: Any) -> Any:
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, str):
        return _natural(value)
    if isinstance(value, tuple):
        return tuple(_natural(item) for item in value)
    if isinstance(value, bool):
        return int(value)
    return value


# --- cells ---------------------------------------------------------------------------------


def format_cell(value: Any, fmt: Fmt, zone: tzinfo = timezone.utc) -> str:
    """A value as people read it on screen; ``—`` for no value."""
    if value is None:
        return NO_VALUE
    if fmt is Fmt.COUNT:
        return formatting.count(value)
    if fmt is Fmt.DURATION:
        return formatting.ms_hms(value)
    if fmt is Fmt.PERCENT:
        return formatting.percent(value)
    if fmt is Fmt.TIME:
        return local_text(value, zone)
    if fmt is Fmt.FLAG:
        return "Yes" if value else "No"
    if fmt is Fmt.LIST:
        return "; ".join(value)
    if fmt is Fmt.RAW and isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def local_text(moment: datetime, zone: tzinfo) -> str:
    """An aware datetime as ``YYYY-MM-DD HH:MM:SS`` in ``zone``."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
