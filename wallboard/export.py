"""Saving a report table as a CSV file (the Historical tab's ``e``).

The file holds every field of the report, one column each, exactly as ``wallboard report
--format csv`` writes it (the screen shows only the main columns), in the order of the rows
on screen, with a UTF-8 byte-order mark so Excel reads names such as "Zoë" correctly. It
goes to the configured export directory (by default the user data dir), under a name
that says what it holds; an existing file is never overwritten (``-2``, ``-3``, ...).
Call records carry phone numbers and names, so the file is readable by its owner only
(mode 0600), and a directory made for it is the owner's only (0700).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from wallboard.core.reports.query import ReportQuery
from wallboard.core.reports.render import to_csv
from wallboard.core.reports.table import ReportTable, build_table, extra_keys, full_columns
from wallboard.errors import ConfigError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
PRIVATE_FILE = 0o600


def export_name(query: ReportQuery) -> str:
    """``extensions-20251122-000000-to-20251122-235959.csv`` (with ``-EXT`` for a drill-down)."""
    subject = f"-{_UNSAFE.sub('_', query.ext)}" if query.ext else ""
    return f"{query.kind.name}{subject}-{query.start:%Y%m%d-%H%M%S}-to-{query.end:%Y%m%d-%H%M%S}.csv"


def write_export(text: str, directory: Path, name: str) -> Path:
    """Write ``text`` to a new file in ``directory``; a ConfigError says why it could not."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for number in range(1, 1000):
            candidate = directory / (name if number == 1 else f"{stem}-{number}.{suffix}".rstrip("."))
            try:
                descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            except FileExistsError:
                continue
            with open(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return candidate
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(
            f"cannot write the export to {directory} ({reason}): set export_dir in the config to a directory you can write"
        ) from None
    raise ConfigError(f"cannot write the export to {directory}: too many files named {stem}-N.{suffix}")


def export_table(table: ReportTable, query: ReportQuery, directory: Path) -> Path:
    """Save the records of ``table``, in its order, with every field as CSV (fields the
    service sent that we do not know come last, as in ``wallboard report``); returns where it went."""
    zone = query.tz()
    records = [row.record for row in table.rows]
    every_field = build_table(table.kind, records, zone, full_columns(table.kind, extra_keys(records)))
    return write_export(to_csv(every_field, zone, excel_bom=True), directory, export_name(query))
