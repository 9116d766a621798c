"""Report tables rendered for people and programs: text, CSV and JSON.

* :func:`render_text`: a plain-text table for terminals and pipes, aligned, with the
  totals row when there are two rows or more.
* :func:`to_csv` is written for spreadsheets: a header row; durations as ``h:mm:ss``
  (Excel and LibreOffice read that as a time and can sum it); percentages as plain
  numbers; times as ``YYYY-MM-DD HH:MM:SS`` in the report's zone; nothing where the
  server gave no value; no totals row (it would be sorted and summed with the data);
  texts that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first)
  are prefixed with ``'``, except plain phone numbers such as ``+15551234567``.
* :func:`to_json` is written for scripts: every field under its ``snake_case`` name with
  its raw typed value (durations as milliseconds, times as ISO 8601 with offset), then
  any unknown fields under their wire names, plus the query, the count, the totals and
  any problems (notes such as "the service stopped early" first).
* :class:`CsvStream` and :class:`JsonStream` write the same texts a page at a time, so
  ``wallboard report`` never holds a whole listing; totals are summed as pages pass
  (:class:`~wallboard.core.reports.table.Totals`). A CSV's header is written with the
  first page, so an unknown field first seen on a later page cannot get a column:
  :attr:`CsvStream.late_fields` names such fields (JSON carries them).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import fields
from datetime import datetime, timezone, tzinfo
from typing import Any, Sequence, TextIO

from wallboard.core import formatting
from wallboard.core.model.analytics import Report, ReportKind
from wallboard.core.reports.query import ReportQuery
from wallboard.core.reports.table import (
    Column,
    Fmt,
    ReportTable,
    Totals,
    build_table,
    extra_keys,
    full_columns,
    local_text,
)


def csv_cell(value: Any, fmt: Fmt, zone: tzinfo = timezone.utc) -> str:
    """A value as a spreadsheet should receive it (see the module doc)."""
    if value is None or value == ():
        return ""
    if fmt is Fmt.COUNT:
        return str(value)
    if fmt is Fmt.DURATION:
        return formatting.ms_hms(value)
    if fmt is Fmt.PERCENT:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if fmt is Fmt.TIME:
        return local_text(value, zone)
    if fmt is Fmt.FLAG:
        return "Yes" if value else "No"
    if fmt is Fmt.LIST:
        return _defuse("; ".join(value))
    if fmt is Fmt.NUMBER or (fmt is Fmt.RAW and isinstance(value, (int, float)) and not isinstance(value, bool)):
        return str(value)
    if fmt is Fmt.RAW and isinstance(value, bool):
        return "true" if value else "false"
    return _defuse(str(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")


def _defuse(text: str) -> str:
    """Keep a spreadsheet from running a text as a formula (CSV injection)."""
    if text.startswith(_FORMULA_START) and not _PHONE.fullmatch(text):
        return "'" + text
    return text


def render_text(table: ReportTable, title: str | None = None, empty_message: str = "No data for this range.") -> str:
    """A plain-text table for terminals and pipes: aligned columns and a totals row."""
    lines: list[str] = []
    if title:
        lines += [title, ""]
    if table.empty:
        lines.append(empty_message)
        return "\n".join(lines) + "\n"
    body = [row.cells for row in table.rows]
    footer = [table.totals.cells] if table.totals is not None and len(table.rows) >= 2 else []
    widths = [len(header) for header in table.headers]
    for cells in body + footer:
        widths = [max(width, len(cell)) for width, cell in zip(widths, cells)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if column.numeric else cell.ljust(width)
            for cell, width, column in zip(cells, widths, table.columns)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    lines += [line(table.headers), rule]
    lines += [line(cells) for cells in body]
    if footer:
        lines += [rule, line(footer[0])]
    return "\n".join(lines) + "\n"


def to_csv(table: ReportTable, zone: tzinfo = timezone.utc, *, excel_bom: bool = False) -> str:
    """The table's rows as CSV with a header row, no totals (see the module doc).

    ``excel_bom`` starts the text with a UTF-8 byte-order mark, which Excel needs to read
    names such as "Zoë" correctly from a file; leave it off for pipes and scripts.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(csv_cell(value, column.fmt, zone) for value, column in zip(row.values, table.columns))
    text = out.getvalue()
    return ("\ufeff" + text) if excel_bom else text


def report_csv(report: Report, zone: tzinfo = timezone.utc) -> str:
    """Every field of every record of ``report`` as CSV (unknown fields after the known)."""
    columns = full_columns(report.kind, extra_keys(report.records))
    return to_csv(build_table(report.kind, report.records, zone, columns), zone)


def record_to_json(record: Any, zone: tzinfo = timezone.utc) -> dict[str, Any]:
    """Every field of a record under its name, with its raw typed value; then its unknown
    fields under their wire names (a known name always wins)."""
    document = {f.name: _json_value(getattr(record, f.name), zone) for f in fields(record) if f.name != "extras"}
    for key, value in getattr(record, "extras", ()):
        document.setdefault(key, value)
    return document


def _json_value(value: Any, zone: tzinfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def to_json(report: Report, query: ReportQuery, *, indent: int | None = 2) -> str:
    """The whole report for scripts: the query, every record, totals and problems."""
    out = io.StringIO()
    stream = JsonStream(report.kind, query, out, indent=indent)
    stream.write(report.records)
    stream.finish(problems=(*query.notes, *report.notes, *report.problems), skipped=report.skipped)
    return out.getvalue()


class CsvStream:
    """CSV of every field, written a batch of records at a time (see the module doc)."""

    def __init__(self, kind: ReportKind, zone: tzinfo, out: TextIO) -> None:
        self.kind = kind
        self.zone = zone
        self.out = out
        self.columns: tuple[Column, ...] | None = None
        self.late_fields: tuple[str, ...] = ()
        self.rows = 0
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def write(self, records: Sequence[Any]) -> None:
        if self.columns is None:
            self.columns = full_columns(self.kind, extra_keys(records))
            self._writer.writerow(column.header for column in self.columns)
        else:
            known = {column.key for column in self.columns}
            late = [key for key in extra_keys(records) if key not in known]
            self.late_fields = extra_keys((), (*self.late_fields, *late))
        for record in records:
            self._writer.writerow(csv_cell(column.value(record), column.fmt, self.zone) for column in self.columns)
            self.rows += 1
        self._flush()

    def finish(self) -> None:
        """The header alone when no record came."""
        if self.columns is None:
            self.write(())

    def _flush(self) -> None:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        if text:
            self.out.write(text)


_RECORDS = "\x00records\x00"


class JsonStream:
    """The :func:`to_json` document, written a batch of records at a time: the query
    first, the records as they come, then the count, totals and problems."""

    def __init__(self, kind: ReportKind, query: ReportQuery, out: TextIO, *, indent: int | None = 2) -> None:
        self.kind = kind
        self.query = query
        self.out = out
        self.indent = indent
        self.zone = query.tz()
        self.totals = Totals(full_columns(kind))
        self.count = 0
        self.finished = False
        head, _ = self._document(_RECORDS).split(json.dumps(_RECORDS), 1)
        self._open = head
        self._pad = "\n" + " " * (2 * indent) if indent else ""

    def _document(self, records: Any, **ending: Any) -> str:
        query = self.query
        document = {
            "report": self.kind.name,
            "label": self.kind.label,
            "pbx": list(query.pbx),
            "start": query.start_text,
            "end": query.end_text,
            "time_zone": query.zone,
            "ext": query.ext or None,
            "records": records,
            **ending,
        }
        return json.dumps(document, indent=self.indent, ensure_ascii=False)

    def write(self, records: Sequence[Any]) -> None:
        if not records:
            return
        parts = []
        for record in records:
            text = json.dumps(record_to_json(record, self.zone), indent=self.indent, ensure_ascii=False)
            if self.indent:
                text = text.replace("\n", self._pad)
            parts.append(("[" if self.count == 0 else ",") + self._pad + text)
            self.count += 1
        if self._open:
            self.out.write(self._open)
            self._open = ""
        self.out.write("".join(parts))
        self.totals.add(records)

    def finish(self, problems: Sequence[str] = (), skipped: int = 0) -> None:
        """Close the document (always valid JSON, even after an error: name it in ``problems``)."""
        if self.finished:
            return
        self.finished = True
        ending = {"count": self.count, "totals": self.totals.as_dict(), "problems": list(problems), "skipped": skipped}
        _, tail = self._document(_RECORDS, **ending).split(json.dumps(_RECORDS), 1)
        if self._open:  # nothing was written: an empty list
            self.out.write(self._open + "[]" + tail + "\n")
            return
        close = ("\n" + " " * self.indent + "]") if self.indent else "]"
        self.out.write(close + tail + "\n")
