"""Parsing of Real Time Statistics payloads (JSON and XML) into typed records.

Rules, in the order they apply:

* XML carrying a document type declaration is refused outright, so no entity can be
  expanded (billion laughs) or fetched (external entities).
* XML is parsed strictly first. Only when that fails is it *repaired*: the vendor's own
  examples close elements with the wrong name (``<day-accepted>10</all-day-accepted>``),
  so the repair reads each flat record by its opening tags and ignores closing names
  (:mod:`.flat_xml`). A repaired document must still end with its root's closing tag;
  a body cut short in transit is an error, never a silently shorter list of agents.
* Envelopes are normalised: a single object where a list belongs is a one-item list;
  ``""``, ``null``, ``{}`` and a missing key are an empty list. A body of zero bytes is
  an error (servers answer an empty list with an envelope, not with nothing).
* Each field of the model is read by this API's field tables (:data:`AGENT_FIELDS`,
  :data:`QUEUE_FIELDS`: wire names and :class:`~wallboard.core.model.fields.Kind`),
  which is where this source's names and units live. A value of the
  wrong type becomes ``None`` and is reported as a problem; it never drops the record.
  A record without an identifier is skipped and reported. An answer whose every record
  was skipped is an error, not a good empty answer: it is not the statistics. A record
  repeated exactly is kept once; a different record under an id already seen is kept
  under that id with its place among the repeats (``jdoe (2)``), so every row, tile and
  drill-down has a key of its own. Both are reported as problems.
* Work is bounded (:class:`~.payload.Limits`), whatever a hostile or broken server sends
  under the size cap: at most :data:`~.payload.MAX_RECORDS` records, JSON containers
  counted as they are built, XML nested at most :data:`~.payload.MAX_XML_DEPTH` deep
  (checked element by element, so a document nested millions deep is refused at once),
  and :data:`~.payload.PARSE_SECONDS` of work. Each bound is refused with its own
  one-line reason. The plumbing is shared with the Work Analytics parser
  (:mod:`.payload`, :mod:`.flat_xml`).

How fast, without changing any of the above: a plain answer (every field under its
documented name, every value what its field expects, every id its own) is converted a
column at a time (:mod:`.rtstats_columns`), and JSON in its documented envelope is decoded
by msgspec straight into the fields the plan reads (:func:`_typed_plain`); XML whose
records all hold the same leaves is read into columns by one regular expression
(:func:`_xml_plain`); anything else goes through the record loop below, whose fast paths and :class:`Reuse` cover the rest.
``tests/test_parse_equivalence.py`` holds every one of these to the plain parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice, starmap
from operator import itemgetter
from typing import Any, Callable, Iterable, Literal, TypeVar

import msgspec
from msgspec import NODEFAULT, UNSET, defstruct
from msgspec.structs import astuple, fields
from xml.parsers.expat import ExpatError

from wallboard.core.model.fields import FieldSpec, Kind, empty
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.numbers import MAX_NUMBER, to_number
from wallboard.core.text import MAX_TEXT_LENGTH, clean_text
from wallboard.core.wire import payload, rtstats_columns
from wallboard.core.wire.flat_xml import (
    alike_columns,
    flat_records,
    parse_guarded,
    plain_start,
    records_of_columns,
    refuse_doctype,
    repair,
)
from wallboard.core.wire.payload import (
    CHECK_EVERY,
    Budget,
    LimitError,
    Limits,
    ParseError,
    Parsed,
    Problems,
    json_document,
    payload_text,
    short,
)

Format = Literal["json", "xml"]
R = TypeVar("R", Agent, Queue)

def field_table(record_type: type, rows: tuple[tuple, ...]) -> tuple[FieldSpec, ...]:
    """The specs of ``record_type``'s fields, in field order; every field has exactly one
    row ``(name, kind, wire name, alias...)`` and its kind's "no value" as its default."""
    specs = {row[0]: FieldSpec(row[0], tuple(row[2:]), row[1]) for row in rows}
    names = [f.name for f in fields(record_type)]
    if sorted(specs) != sorted(names) or len(specs) != len(rows):
        raise TypeError(f"the wire table of {record_type.__name__} must list each of its fields once")
    for f in fields(record_type):
        if f.default != empty(specs[f.name].kind):
            raise TypeError(f"{record_type.__name__}.{f.name} must default to {empty(specs[f.name].kind)!r}")
    return tuple(specs[name] for name in names)


# --- the fields -------------------------------------------------------------------------
# Each model field, the wire names it is read from (the documented one first, then aliases
# seen in the vendor's own examples) and its kind. The parser is driven entirely by these
# tables, so JSON and XML share one set of rules.

# Fields only the Contact Center Real-time Metrics API has: no wire name here, so they
# keep their "no value" (shown as a dash) on this source.
_NOT_HERE_AGENT = (
    ("time_on_status_code", Kind.SECONDS),
    ("channels", Kind.TEXTS),
    ("active_interactions", Kind.COUNT),
)
_NOT_HERE_QUEUE = (
    *((name, Kind.COUNT) for name in ("fifteen_min_queued", "fifteen_min_accepted", "fifteen_min_abandoned")),
    ("fifteen_min_avg_wait_time", Kind.SECONDS),
    *((name, Kind.PERCENT) for name in ("fifteen_min_sla_activity", "sla_1h", "sla_4h", "sla_8h", "sla_12h")),
    ("sla_threshold", Kind.SECONDS),
)

AGENT_FIELDS = field_table(Agent, (
    ("agent_id", Kind.KEY, "agent-id"),
    ("name", Kind.TEXT, "agent-name"),
    ("status", Kind.CODE, "agent-status"),
    ("media_id", Kind.CODE, "agent-media-id"),
    ("group_id", Kind.ID, "group-id"),
    ("time_in_status", Kind.SECONDS, "time-in-status"),
    ("status_code_item_id", Kind.ID, "status-code-item-id"),
    ("status_code_short", Kind.TEXT, "status-code-item-short-code"),
    ("status_code_list_id", Kind.ID, "status-code-list-id"),
    ("line1_status", Kind.CODE, "phone-line1-status"),
    ("line1_status_time", Kind.SECONDS, "phone-line1-status-time"),
    ("line2_status", Kind.CODE, "phone-line2-status"),
    ("line2_status_time", Kind.SECONDS, "phone-line2-status-time"),
    ("last_login_time", Kind.EPOCH, "last-login-time"),
    ("assigned_skill_count", Kind.COUNT, "assigned-skill-count"),
    ("enabled_skill_count", Kind.COUNT, "enabled-skill-count"),
    ("day_accepted_count", Kind.COUNT, "day-accepted-count"),
    ("day_rejected_count", Kind.COUNT, "day-rejected-count", "day-offered-count"),
    ("day_login_time", Kind.SECONDS, "day-login-time"),
    ("day_available_time", Kind.SECONDS, "day-available-time"),
    ("day_processing_time", Kind.SECONDS, "day-processing-time"),
    ("day_avg_processing_time", Kind.SECONDS, "day-avg-processing-time", "day-avg-handling-time"),
    ("day_wrap_up_time", Kind.SECONDS, "day-wrap-up-time"),
    ("day_break_time", Kind.SECONDS, "day-break-time"),
    ("day_offline_time", Kind.SECONDS, "day-offline-time"),
    ("thirty_min_accepted_count", Kind.COUNT, "thirty-min-accepted-count"),
    ("thirty_min_rejected_count", Kind.COUNT, "thirty-min-rejected-count"),
    ("thirty_min_available_time", Kind.SECONDS, "thirty-min-available-time"),
    ("thirty_min_processing_time", Kind.SECONDS, "thirty-min-processing-time"),
    ("thirty_min_avg_handling_time", Kind.SECONDS, "thirty-min-avg-handling-time"),
    ("thirty_min_wrap_up_time", Kind.SECONDS, "thirty-min-wrap-up-time"),
    ("thirty_min_break_time", Kind.SECONDS, "thirty-min-break-time"),
    ("thirty_min_offline_time", Kind.SECONDS, "thirty-min-offline-time"),
    *_NOT_HERE_AGENT,
))
QUEUE_FIELDS = field_table(Queue, (
    ("queue_id", Kind.KEY, "queue-id"),
    ("name", Kind.TEXT, "queue-name"),
    ("media_type", Kind.WORD, "media-type"),
    ("queue_type", Kind.TEXT, "queue-type"),
    ("queue_size", Kind.COUNT, "queue-size"),
    ("longest_wait_time", Kind.SECONDS, "longest-wait-time"),
    ("number_in_offered", Kind.COUNT, "number-in-offered"),
    ("number_in_progress", Kind.COUNT, "number-in-progress"),
    ("sla_activity", Kind.PERCENT, "sla-activity"),
    ("sla_target", Kind.PERCENT, "sla-target"),
    ("assigned_agent_count", Kind.COUNT, "assigned-agent-count"),
    ("enabled_agent_count", Kind.COUNT, "enabled-agent-count"),
    ("agents_available", Kind.COUNT, "agent-count-waitTransact"),
    ("agents_busy", Kind.COUNT, "agent-count-busy"),
    ("agents_post_process", Kind.COUNT, "agent-count-postProcess"),
    ("agents_on_break", Kind.COUNT, "agent-count-onBreak"),
    ("agents_work_offline", Kind.COUNT, "agent-count-workOffline"),
    ("agents_logged_out", Kind.COUNT, "agent-count-loggedOut"),
    ("day_queued", Kind.COUNT, "day-queued", "all-day-queued"),
    ("day_accepted", Kind.COUNT, "day-accepted", "all-day-accepted"),
    ("day_abandoned", Kind.COUNT, "day-abandoned", "all-day-abandoned"),
    ("day_avg_duration", Kind.SECONDS, "day-avg-duration", "all-day-avg-duration"),
    ("day_avg_wait_time", Kind.SECONDS, "day-avg-wait-time", "all-day-avg-wait-time"),
    ("day_sla_activity", Kind.PERCENT, "day-sla-activity", "all-day-sla-activity"),
    ("thirty_min_queued", Kind.COUNT, "thirty-min-queued"),
    ("thirty_min_accepted", Kind.COUNT, "thirty-min-accepted"),
    ("thirty_min_abandoned", Kind.COUNT, "thirty-min-abandoned"),
    ("thirty_min_avg_duration", Kind.SECONDS, "thirty-min-avg-duration"),
    ("thirty_min_avg_wait_time", Kind.SECONDS, "thirty-min-avg-wait-time"),
    ("thirty_min_longest_wait_time", Kind.SECONDS, "thirty-min-longest-wait-time"),
    ("thirty_min_sla_activity", Kind.PERCENT, "thirty-min-sla-activity"),
    *_NOT_HERE_QUEUE,
))


_READ_AGENT_FIELDS = tuple(spec for spec in AGENT_FIELDS if spec.wire_names)
_READ_QUEUE_FIELDS = tuple(spec for spec in QUEUE_FIELDS if spec.wire_names)


def field_specs(record_type: type) -> tuple[FieldSpec, ...]:
    """How this API's payloads fill ``Agent`` or ``Queue``, field by field (the fields it
    has: those only the v5 API fills are left out)."""
    return _READ_AGENT_FIELDS if record_type is Agent else _READ_QUEUE_FIELDS


@dataclass(frozen=True, slots=True)
class _Shape:
    record_type: type
    list_tag: str  # XML root of the list endpoint and accepted JSON alias
    item_tag: str  # XML child / JSON key
    label: str


_AGENTS = _Shape(Agent, "agents", "agent", "agent")
_QUEUES = _Shape(Queue, "queues", "queue", "queue")


class Reuse:
    """What the last answer's records were made of, so that the next answer's records whose
    content did not change, beyond the durations that tick, are not converted again.

    One per endpoint, used by one parse at a time (the poller has at most one request per
    endpoint in flight). A record is reused only when every value other than its durations
    (:data:`Kind.SECONDS`, which tick by the second) is the same text, integer, boolean or
    null as last time, under the same names in the same order, and converting them found no
    problem; its durations are converted afresh. Anything else (floats, nested values) is
    converted in full, so the records and problems are always those of a fresh parse
    (``tests/test_parse_equivalence.py``). Only the last answer's records are remembered.
    """

    def __init__(self) -> None:
        self.record_type: type | None = None
        self.records: dict[tuple, dict[str, Any]] = {}
        self.reused = 0
        """How many records the last parse reused (for the benchmark and the tests)."""


def parse_agents(body: bytes | str, fmt: Format, limits: Limits = Limits(), *, reuse: Reuse | None = None) -> Parsed[Agent]:
    """Read an ``/agents`` or ``/agent/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _AGENTS, limits, reuse)


def parse_queues(body: bytes | str, fmt: Format, limits: Limits = Limits(), *, reuse: Reuse | None = None) -> Parsed[Queue]:
    """Read a ``/queues`` or ``/queue/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _QUEUES, limits, reuse)


def _parse(body: bytes | str, fmt: Format, shape: _Shape, limits: Limits = Limits(), reuse: Reuse | None = None) -> Parsed:
    budget = Budget(limits, shape.label)
    repaired = False
    if fmt == "json" and FAST_PATHS and COLUMNS:
        typed = _typed_plain(body, shape, budget, reuse)
        if typed is not None:
            return typed
    if fmt == "json":
        items = _json_items(body, shape, budget)  # bytes straight to the decoder
    else:
        text = payload_text(body)  # an empty body is an error whatever the format
        if fmt != "xml":
            raise ParseError(f"unknown format {fmt!r}: expected json or xml")
        refuse_doctype(text)
        start = plain_start(text, shape.item_tag, budget)
        alike = alike_columns(text, start, shape.list_tag, shape.item_tag, budget) if start is not None else None
        if alike is not None and FAST_PATHS and COLUMNS:
            plain = _xml_plain(alike, shape, budget, reuse)
            if plain is not None:
                return plain
        if alike is not None:  # read, but not plain for the columns: the record loop's
            items, repaired = records_of_columns(*alike), False
        else:
            items, repaired = _xml_items(text, shape, budget, maybe_plain=start is not None)
    if len(items) > limits.max_records:
        raise budget.too_many()
    return _build(items, shape, repaired, budget, reuse)


def _typed_plain(body: bytes | str, shape: _Shape, budget: Budget, reuse: Reuse | None) -> Parsed | None:
    """A plain JSON answer in its documented envelope (``{"agent": [...]}``), decoded by
    msgspec straight into its fields (a third of the time of decoding it into dicts) and
    converted a column at a time; ``None`` for anything else, which is read as usual."""
    envelope = payload.typed_json(body, _typed_decoder(shape), budget)
    if envelope is None:
        return None
    items = getattr(envelope, shape.item_tag)
    if len(items) > budget.limits.max_records:
        return None  # refused by the usual path, in its words
    return _from_raw_columns(shape.record_type, list(zip(*map(astuple, items))), len(items), budget, reuse)


def _xml_plain(alike: tuple[list[str], list[tuple]], shape: _Shape, budget: Budget, reuse: Reuse | None) -> Parsed | None:
    """A plain XML list, read into columns by :func:`~.flat_xml.alike_columns` (every
    record the same leaves in the same order), converted a column at a time; ``None``
    for anything else, which is read as usual."""
    tags, raw = alike
    count = len(raw[0])
    if count > budget.limits.max_records:
        return None  # refused by the usual path, in its words
    at = {tag: index for index, tag in enumerate(tags)}
    plan = _plan(shape.record_type)
    if not all(step[1] in at for step in plan):
        return None  # a field missing, or under another of its names: the record loop's
    return _from_raw_columns(shape.record_type, [raw[at[step[1]]] for step in plan], count, budget, reuse)


def _from_raw_columns(record_type: type, raw_columns: list[tuple], count: int, budget: Budget, reuse: Reuse | None) -> Parsed | None:
    """An answer already in columns as it came (one per step of the record plan),
    converted; ``None`` when it is not plain (the record loop reads it)."""
    columns = rtstats_columns.convert_columns(raw_columns, _plan(record_type), _defaults(record_type))
    return None if columns is None else _parsed_from_columns(record_type, columns, count, False, budget, reuse)


@cache
def _typed_decoder(shape: _Shape) -> Callable[[bytes], Any]:
    """A decoder of ``{item_tag: [record, ...]}`` whose records hold the fields of the
    record plan under their documented wire names, each as decoded (any type; ``UNSET``
    when missing), other keys ignored: what the record loop would read of each."""
    plan = _plan(shape.record_type)
    wire = defstruct(
        f"Wire{shape.record_type.__name__}",
        [(step[2].name, Any, UNSET) for step in plan],
        rename={step[2].name: step[1] for step in plan},
        gc=False,
    )
    envelope = defstruct(f"Wire{shape.list_tag.title()}", [(shape.item_tag, list[wire])])  # type: ignore[valid-type]
    return msgspec.json.Decoder(envelope).decode


# --- envelopes -------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "" or value == {}:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _json_items(body: bytes | str, shape: _Shape, budget: Budget) -> list[Any]:
    document = json_document(body, budget)
    if document is None or document == "" or document == {}:
        return []
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if shape.item_tag in document:
            return _as_list(document[shape.item_tag])
        if shape.list_tag in document:
            inner = document[shape.list_tag]
            if isinstance(inner, dict) and shape.item_tag in inner:
                return _as_list(inner[shape.item_tag])
            return _as_list(inner)
        if _looks_like_record(document, shape):
            return [document]
        keys = ", ".join(short(key, 30) for key in sorted(map(str, document))[:3])
        raise ParseError(f"the JSON response has no {shape.item_tag!r} list (keys: {keys})")
    raise ParseError(f"the JSON response is a {type(document).__name__}, not an object")


def _looks_like_record(document: dict, shape: _Shape) -> bool:
    key_names = field_specs(shape.record_type)[0].wire_names
    return any(name in document for name in key_names)


def _xml_items(text: str, shape: _Shape, budget: Budget, maybe_plain: bool) -> tuple[list[Any], bool]:
    """The records of XML the one-pattern reader did not take (``maybe_plain``:
    :func:`~.flat_xml.plain_start` said ElementTree may read it), and whether repaired."""
    plain = flat_records(text, shape.list_tag, shape.item_tag, budget) if maybe_plain else None
    if plain is not None:
        return plain, False
    try:
        document = parse_guarded(text, budget)
    except LimitError:
        raise
    except (ExpatError, ValueError):
        return repair(text, shape.list_tag, shape.item_tag, budget), True
    if not isinstance(document, dict) or len(document) != 1:
        raise ParseError("the XML response has no single root element")
    (root, content), = document.items()
    if root == shape.list_tag:
        if isinstance(content, dict):
            return _as_list(content.get(shape.item_tag)), False
        if content is None or (isinstance(content, str) and not content.strip()):
            return [], False
        raise ParseError(f"the XML <{root}> element holds text, not <{shape.item_tag}> records")
    if root == shape.item_tag:
        return [content], False
    raise ParseError(f"the XML response is <{short(root)}>, expected <{shape.list_tag}>")


# --- records ---------------------------------------------------------------------------


FAST_PATHS = True
"""Whether the record loop takes its fast paths; off, every value goes through the
general rules of :func:`_convert`, which the fast paths must agree with exactly
(``tests/test_parse_equivalence.py`` compares the two)."""

COLUMNS = True
"""Whether a plain answer is converted a column at a time (:mod:`.rtstats_columns`) before
the record loop is tried (with the fast paths only)."""


def _build(items: Iterable[Any], shape: _Shape, repaired: bool, budget: Budget, reuse: Reuse | None = None) -> Parsed:
    record_type = shape.record_type
    specs = field_specs(record_type)
    plan = _plan(record_type)
    ticking = _ticking_plan(record_type)
    make = _maker(record_type)
    key_wire = specs[0].wire_names[0]
    problems = Problems()
    records = []
    skipped = 0
    seen: dict[str, list[int]] = {}  # id -> where the records that carry it are in ``records``
    if reuse is not None and reuse.record_type is not record_type:
        reuse.record_type, reuse.records = record_type, {}
    known = reuse.records if reuse is not None else {}
    kept: dict[tuple, tuple] = {}
    reused = 0
    layout: tuple = ()  # the keys of the last record looked at, and where its durations are
    static_of: Callable[[tuple], tuple] = tuple
    durations: _DurationsReader | None = None
    reusable = _REUSABLE_TYPES
    blank = list(_defaults(record_type))  # every field: those this API lacks keep their default
    fast = FAST_PATHS
    if fast and COLUMNS and isinstance(items, list):
        columns = rtstats_columns.convert(items, plan, blank)
        if columns is not None:  # a plain answer: converted a column at a time
            return _parsed_from_columns(record_type, columns, len(items), repaired, budget, reuse)
    for index, item in enumerate(items, start=1):
        if index % CHECK_EVERY == 0:
            budget.check_time()
        if not isinstance(item, dict):
            skipped += 1
            problems.add(f"{shape.label} #{index} is not a record; skipped")
            continue
        content = static = None
        if reuse is not None:
            keys = tuple(item)
            if keys != layout:
                layout, static_of = keys, _static_getter(keys, record_type)
                durations = _durations_reader(keys, record_type) if fast else None
            raw_values = tuple(item.values())
            static_raw = static_of(raw_values)  # durations left out: they tick, converted afresh every time
            types = tuple(map(type, static_raw))
            if reusable.issuperset(types):
                content = (keys, static_raw, types)
                static = known.get(content)
        ticked = durations.read(raw_values) if static is not None and durations is not None else None
        if static is not None and ticked is not None:
            # the usual answer: unchanged but for durations that are plain whole seconds
            # (or -1, none), all set at once (see _DurationsReader)
            reused += 1
            kept[content] = static
            values = durations.merge(static + ticked)  # type: ignore[union-attr]
            key = values[0]
            if key and key not in seen:
                seen[key] = [len(records)]
                records.append(make(values))
                continue
            values = list(values)  # a repeated id: the general path below says so
            plan_now = ()
        elif static is not None:
            reused += 1
            values = list(static)
            plan_now = ticking
        else:
            values = blank.copy()
            plan_now = plan
        found = problems.found
        for at, first, spec, lowest, plain_text, ticks, nothing in plan_now:
            raw = item.get(first, _MISSING)
            raw_type = type(raw)
            if raw is _MISSING or raw_type is dict or raw_type is list:
                raw = _lookup(item, spec)
                raw_type = type(raw)
            # Fast paths for what servers send almost always, each giving what _convert
            # would: a JSON integer in range, null, plain printable text, an XML string of
            # digits, a -1 sentinel. Anything else takes the general rules of _convert.
            if not fast:
                values[at] = _convert(raw, spec, problems, shape.label, index)
            elif raw_type is int and lowest is not None and lowest <= raw <= MAX_NUMBER:
                values[at] = raw
            elif raw is None:
                values[at] = nothing
            elif raw_type is str and plain_text and raw.isascii() and raw.isprintable() and len(raw) <= MAX_TEXT_LENGTH:
                values[at] = raw.strip()
            elif raw_type is str and lowest is not None and raw.isascii() and raw.isdigit() and len(raw) <= 15 and (number := int(raw)) >= lowest:
                values[at] = number
            elif raw_type is int and lowest == 0 and -MAX_NUMBER <= raw < 0:
                values[at] = None  # a count, duration or id below zero is "no value" (-1: none)
            elif raw == "-1" and lowest is not None and lowest <= 0:
                values[at] = None if lowest == 0 else -1  # the sentinel as XML text: a code keeps it
            else:
                values[at] = _convert(raw, spec, problems, shape.label, index)
                if not ticks and problems.found != found:
                    content = None  # a problem is reported again with each answer: never reused
        if content is not None:
            kept[content] = tuple(values) if static is None else static
        key = values[0]
        if not key:
            skipped += 1
            problems.add(f"{shape.label} #{index} has no {key_wire}; skipped")
            continue
        record = make(values)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = [len(records)]
        else:
            if any(records[at] == record for at in earlier):  # the same record twice: counted once
                skipped += 1
                problems.add(f"{shape.label} #{index} repeats an earlier {key_wire} {short(key)!r} exactly; dropped")
                continue
            # Another record under the same id: both are shown, the later one keyed by its
            # place among the repeats, so a cursor or a drill-down never lands on the other.
            place = len(earlier) + 1
            while (unique := _numbered(key, place)) in seen:
                place += 1
            problems.add(f"{shape.label} #{index} repeats {key_wire} {short(key)!r}; shown as {short(unique)!r}")
            values[0] = unique
            earlier.append(len(records))
            seen[unique] = [len(records)]
            record = make(values)
        records.append(record)
    if skipped and not records:
        first = problems.items[0] if problems.items else ""
        raise ParseError(f"not one of the {skipped:,} {shape.label}s in it could be read ({first})")
    if reuse is not None:
        reuse.records, reuse.reused = kept, reused
    return Parsed(tuple(records), tuple(problems.items), skipped, repaired)


@cache
def _defaults(record_type: type) -> tuple[Any, ...]:
    """Each field's value before the payload fills it, in field order: None, or the
    default of a field this API does not have (the v5 source's ``channels`` is ``()``)."""
    return tuple(None if f.default is NODEFAULT else f.default for f in fields(record_type))


def _maker(record_type: type) -> Callable[[list[Any]], Any]:
    """A function making a ``record_type`` from its values in field order (the record
    types are :class:`msgspec.Struct` classes, built in C from positional arguments)."""
    return lambda values: record_type(*values)


def _parsed_from_columns(
    record_type: type, columns: list[Iterable[Any]], count: int, repaired: bool, budget: Budget, reuse: Reuse | None
) -> Parsed:
    """The answer of ``count`` records converted a column at a time (one iterable per
    field, in field order; a field's default may repeat without end): no problem, nothing
    skipped, and nothing for :class:`Reuse` to remember (the next answer is converted as
    cheaply)."""
    budget.check_time()
    if reuse is not None:
        reuse.records, reuse.reused = {}, 0
    return Parsed(tuple(starmap(record_type, islice(zip(*columns), count))), (), 0, repaired)


_MISSING = object()


_LOWEST_KEPT = {Kind.ID: 0, Kind.COUNT: 0, Kind.SECONDS: 0, Kind.CODE: -MAX_NUMBER, Kind.EPOCH: 1}
"""Kinds whose in-range integer is the value as it came, and the lowest such integer
(codes may be negative: -1 is a real code; an epoch of 0 is "no value"). Percentages
need converting."""


@cache
def _plan(record_type: type) -> tuple[tuple[int, str, FieldSpec, int | None, bool, bool, Any], ...]:
    """Per field, what the hot loop needs, worked out once: (place in field order, first
    wire name, spec, lowest integer kept as it came or None, whether plain text is kept as
    it came (stripped), whether it is a duration that ticks between answers, its "no
    value" for a null)."""
    return tuple(
        (
            at, spec.wire_names[0], spec, _LOWEST_KEPT.get(spec.kind), spec.kind in (Kind.TEXT, Kind.KEY),
            spec.kind is Kind.SECONDS, "" if spec.kind in (Kind.KEY, Kind.TEXT, Kind.WORD) else None,
        )
        for at, spec in enumerate(field_specs(record_type))
        if spec.wire_names  # a field this API does not have keeps its "no value" (None)
    )


@cache
def _ticking_plan(record_type: type) -> tuple[tuple[int, str, FieldSpec, int | None, bool, bool, Any], ...]:
    return tuple(step for step in _plan(record_type) if step[5])


@cache
def _ticking_wire_names(record_type: type) -> frozenset[str]:
    return frozenset(name for step in _ticking_plan(record_type) for name in step[2].wire_names)


_REUSABLE_TYPES = frozenset({str, int, bool, type(None)})
"""Values whose equality says their conversion is the same (not floats: ``-0.0 == 0.0``
yet their text differs; not nested values)."""


@lru_cache(maxsize=64)  # one or two layouts in a real answer; a hostile one cannot grow it
def _static_getter(keys: tuple, record_type: type) -> Callable[[tuple], tuple]:
    """The values of a record with these keys in this order, durations left out."""
    ticking = _ticking_wire_names(record_type)
    return _tuple_getter(tuple(place for place, key in enumerate(keys) if key not in ticking))


def _tuple_getter(places: tuple[int, ...]) -> Callable[[tuple], tuple]:
    """A function taking these places of a tuple, always as a tuple (``itemgetter`` gives a
    bare value for one place and takes no empty list), in C for two places or more."""
    if not places:
        return lambda values: ()
    if len(places) == 1:
        (only,) = places
        return lambda values: (values[only],)
    return itemgetter(*places)  # type: ignore[return-value]


class _DurationsReader:
    """A record's durations read and converted in one go, for records of one layout.

    An unchanged record still brings new durations (they tick), and converting each of
    them through the record loop was most of a reused record's cost. When every duration
    is a JSON integer from -1 to the largest number kept, the conversion is the value
    itself, or "no value" for -1 (what the loop's fast paths give): :meth:`read` does
    that with C-level steps, and :meth:`merge` puts the converted durations into the
    record's values in field order. Anything else (null, text, another negative number,
    floats) gives ``None`` and takes the record loop.
    """

    __slots__ = ("read_raw", "merge")

    def __init__(self, raw_places: tuple[int, ...], field_places: tuple[int, ...], fields_count: int) -> None:
        self.read_raw = _tuple_getter(raw_places)
        order = list(range(fields_count))
        for n, at in enumerate(field_places):
            order[at] = fields_count + n
        self.merge = itemgetter(*order)

    def read(self, raw_values: tuple) -> tuple | None:
        raw = self.read_raw(raw_values)
        if set(map(type, raw)) != _JUST_INT or min(raw) < -1 or max(raw) > MAX_NUMBER:
            return None
        return tuple(map(_MINUS_ONE_IS_NONE.get, raw, raw))


_JUST_INT = {int}
_MINUS_ONE_IS_NONE = {-1: None}


@lru_cache(maxsize=64)  # one or two layouts in a real answer; a hostile one cannot grow it
def _durations_reader(keys: tuple, record_type: type) -> _DurationsReader | None:
    """The reader of the durations of records with these keys in this order, or ``None``
    when a duration is missing or under another of its names (the record loop reads it)."""
    ticking = _ticking_plan(record_type)
    if not ticking or len(set(keys)) != len(keys):
        return None
    where = {key: place for place, key in enumerate(keys)}
    if any(first not in where for _, first, *_ in ticking):
        return None
    return _DurationsReader(
        tuple(where[first] for _, first, *_ in ticking),
        tuple(at for at, *_ in ticking),
        len(_defaults(record_type)),
    )


def _lookup(item: dict, spec: FieldSpec) -> Any:
    for name in spec.wire_names:
        if name in item:
            value = item[name]
            if isinstance(value, dict) and any(k == "#text" or k.startswith("@") for k in value):
                value = value.get("#text")  # an XML element that carried attributes
            elif isinstance(value, list):  # a repeated element: the first one counts
                value = value[0] if value else None
            return value
    return None


_NUMERIC_KINDS = frozenset({Kind.CODE, Kind.ID, Kind.COUNT, Kind.SECONDS, Kind.PERCENT, Kind.EPOCH})


def _convert(raw: Any, spec: FieldSpec, problems: Problems, label: str, index: int) -> Any:
    kind = spec.kind
    # A fast path for numbers as servers send them almost always (a JSON integer, an XML
    # string of digits); _build has already kept plain integers and text that need nothing.
    raw_type = type(raw)
    if kind in _NUMERIC_KINDS:
        if raw_type is int and 0 <= raw <= MAX_NUMBER:
            whole = raw
        elif raw_type is str and raw.isascii() and raw.isdigit() and len(raw) <= 15:
            whole = int(raw)
        else:
            whole = None
        if whole is not None:
            if kind is Kind.PERCENT:
                return float(whole)
            if kind is Kind.EPOCH and whole == 0:
                return None
            return whole
    if kind in (Kind.KEY, Kind.TEXT, Kind.WORD):
        if raw is None:
            return ""
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            problems.add(f"{label} #{index}: {spec.wire_names[0]} is not text")
            return ""
        text = clean_text(str(raw))
        return text.lower() if kind is Kind.WORD else text
    number = to_number(raw)
    if number is None:
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            problems.add(f"{label} #{index}: {spec.wire_names[0]} is not a number")
        return None
    if kind is Kind.PERCENT:
        return float(number) if number >= 0 else None
    whole = int(round(number))
    if kind is Kind.CODE:
        return whole
    if kind is Kind.EPOCH:
        return whole if whole > 0 else None
    return whole if whole >= 0 else None


def _numbered(key: str, place: int) -> str:
    """``key (place)``, the key cut short (with an ellipsis) so the whole stays within
    :data:`MAX_TEXT_LENGTH`, like every other text from the server."""
    suffix = f" ({place})"
    if len(key) + len(suffix) > MAX_TEXT_LENGTH:
        key = key[: MAX_TEXT_LENGTH - len(suffix) - 1] + "…"
    return key + suffix
