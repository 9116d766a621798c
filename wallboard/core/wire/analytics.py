"""Reading the Work Analytics (historical) reports into their records.

Every wire key is normalised to ``snake_case`` (:func:`snake_case`) before lookup, so one
record type per report (:mod:`wallboard.core.model.analytics`) reads any of the
reports' namings. Each field is converted by its kind:

* durations stay in **milliseconds** (``Kind.MS``), as the service sends them; a
  ``"00:28:16"`` text where a number belongs is read too.
* ``"N/A"`` (non-users' e-mail and user name) and ``"-"`` mean "no value"; in the
  ``missed`` / ``abandoned`` / ``answered`` flags ``"-"`` means *no* and any word
  (``"Missed"``) means *yes*.
* times become aware UTC datetimes, from epoch milliseconds (``startTimeUTC``) or text
  (``2022-02-03T09:27:27.493-0500``, or ``YYYY-MM-DD HH:MM:SS`` in the query's zone).
* text is cleaned with :func:`~wallboard.core.text.clean_text`.

As in :mod:`wallboard.core.wire.rtstats`, and with the same plumbing
(:mod:`wallboard.core.wire.payload`: JSON loading within the same bounds, problems, errors),
a value of the wrong type becomes ``None`` (or ``""``) and is reported as a problem
without dropping the record; a time out of any sensible range
(``0001-01-01T00:00:00+05:00``) is such a value too. A record without its identifier, or
an item that is not an object, is skipped and reported.

Keys the service sends that no field reads (new fields, or ones we do not know yet) are
kept, in the order they came, in the record's ``extras`` under their own wire names:
text cleaned, numbers and yes/no as sent, lists and objects as compact JSON text. At
most :data:`MAX_EXTRA_FIELDS` per record. Nothing here performs I/O.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from functools import cache
from typing import Any, Generic, Iterable

from wallboard.core.model.analytics import Pbx, ReportKind, T
from wallboard.core.model.fields import TEXT_KINDS, FieldSpec, Kind, field_specs, known_wire_names
from wallboard.core.numbers import to_number
from wallboard.core.text import clean_text
from wallboard.core.wire.payload import Budget, Limits, ParseError, Parsed, Problems, load_json, payload_text, short

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


def parse_pbx_page(body: bytes | str, limits: Limits = Limits()) -> tuple[tuple[Pbx, ...], int | None]:
    """One HAL page of the PBX list: its PBXs and the number of pages (``page.totalPages``).

    The list is ``_embedded.pbxList``; ``page`` is read at the top level or, as in the
    vendor's own example, inside ``_embedded``. Items without a usable name are skipped.
    """
    document = _json(body, "PBX", limits)
    if not isinstance(document, dict):
        raise AnalyticsParseError("the PBX list is not a JSON object")
    embedded = document.get("_embedded")
    embedded = embedded if isinstance(embedded, dict) else {}
    items = embedded.get("pbxList")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise AnalyticsParseError("the PBX list holds no pbxList")
    _check_count(items, "PBX", limits)
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


# --- parsing -----------------------------------------------------------------------------


class AnalyticsParseError(ParseError):
    """The body could not be read as the expected report; carries a one-line reason."""


class PageTooLargeError(AnalyticsParseError):
    """A page held more items than asked for; raised before any item is converted."""

    def __init__(self, items: int, limit: int) -> None:
        super().__init__(f"the page holds {items:,} records, more than the {limit:,} asked for")
        self.items = items
        self.limit = limit


def parse_summary(body: bytes | str, kind: ReportKind, zone: tzinfo = timezone.utc, limits: Limits = Limits()) -> Parsed:
    """Read a summary report body: a JSON array of objects (envelopes tolerated).

    A single object is a one-row report; ``null``, ``""``, ``{}`` and ``[]`` are empty; an
    object holding a ``data`` list is unwrapped. ``zone`` is where times without an
    offset were measured (the query's zone).
    """
    document = _json(body, kind.item, limits)
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
            raise AnalyticsParseError(f"the response holds no {kind.item} list (keys: {short(keys)})")
    else:
        raise AnalyticsParseError(f"the response is a JSON {type(document).__name__}, not a list")
    _check_count(items, kind.item, limits)
    return records_from_items(items, kind, zone)


def parse_page(
    body: bytes | str,
    kind: ReportKind,
    zone: tzinfo = timezone.utc,
    first_index: int = 1,
    max_items: int | None = None,
    limits: Limits = Limits(),
) -> Page:
    """Read one page of a paged report: ``{"meta": {...}, "data": [...]}``.

    ``first_index`` numbers the page's items in problem messages, so they count across
    pages (``call record #51``). A bare list is a page with no further page. A page of
    more than ``max_items`` items (a server ignoring ``pageSize``) raises
    :class:`PageTooLargeError` before a single record is built.
    """
    document = _json(body, kind.item, limits)
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
            raise AnalyticsParseError(f"the response has no data or meta (keys: {short(keys)})")
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
    _check_count(items, kind.item, limits)
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
    problems = Problems()
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


def _unknown_fields(item: dict, known: frozenset[str], problems: Problems, label: str, index: int) -> tuple[tuple[str, Any], ...]:
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


def _check_count(items: list[Any], label: str, limits: Limits) -> None:
    """Refuse more records than any real answer holds (as the real-time parser does)."""
    if len(items) > limits.max_records:
        raise AnalyticsParseError(str(Budget(limits, label).too_many()))


def _json(body: bytes | str, label: str, limits: Limits) -> Any:
    """The body as JSON, within the shared bounds (:func:`~.payload.load_json`)."""
    try:
        return load_json(payload_text(body), Budget(limits, label))
    except ParseError as error:
        raise AnalyticsParseError(str(error)) from None


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
    raw: Any, spec: FieldSpec, problems: Problems, label: str, index: int, zone: tzinfo
) -> Any:
    kind = spec.kind
    where = f"{label} #{index}: {spec.name}"
    if kind in TEXT_KINDS:
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


def _flag(raw: Any, where: str, problems: Problems) -> bool | None:
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


def _time(raw: Any, where: str, problems: Problems, zone: tzinfo) -> datetime | None:
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
            problems.add(f"{where} is out of range ({short(text, 40)})")
            return None
    problems.add(f"{where} is not a time")
    return None


def _in_range(moment: datetime, where: str, problems: Problems) -> datetime | None:
    """``moment`` if a call could have happened then (see :data:`EARLIEST_TIME`), else a problem."""
    if EARLIEST_TIME <= moment < LATEST_TIME:
        return moment
    problems.add(f"{where} is out of range ({moment.date().isoformat()})")
    return None
