"""Parsing of Contact Center Real-time Metrics (v5) answers into the board's records.

The v5 API answers ``/queues`` and ``/agents`` with a bare JSON array of
``{"id", "name", "metrics": [{"key", "value"}, ...]}`` (``/agents-in-queue-groups`` uses a
``{"key": value}`` map instead; both are read). This module maps its metric keys onto the
same :class:`~wallboard.core.model.realtime.Agent` and
:class:`~wallboard.core.model.realtime.Queue` the legacy parser fills, so every widget
draws either source. A field v5 does not have stays ``None`` (a dash on screen), never 0.

Units are decided here, in :class:`Units`, and nowhere else:

* **Times** (``timeOnStatus``, ``avg*Time``, ``interactionsLongestWaitInQueue``,
  ``slaTimeThreshold``...) are milliseconds (documented for some, inferred from the
  examples for the rest); the model holds whole seconds.
* **Percentages**: the documentation never says 0–1 or 0–100; its one example
  (``divertedPercentage.today`` = 1.0 with diverted = entered = 5) reads as a **fraction**,
  so that is the default (``percent_scale = "fraction"``). A tenant whose API sends 0–100
  sets ``[cc_realtime] percent_scale = "percent"``. A value outside the chosen scale is a
  problem and shown as a dash, never a believable wrong figure.
* ``null`` (an interval without activity) is "no value"; numbers may arrive as numeric
  strings (the group examples do) and are read either way.
* Status words (``Available``, ``Handling``, ``OnBreak``...; the full list is not
  documented) map onto the board's agent states; any other word is ``Unknown (Word)``.

Records without an id are skipped and reported; the ``includeTotals`` row (id ``null``,
name ``totals``) is ignored quietly; a record whose id was already seen (pages can shift
while they are fetched) is dropped and reported, so no row appears twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.numbers import MAX_NUMBER, to_number
from wallboard.core.text import clean_text
from wallboard.core.wire.payload import CHECK_EVERY, Budget, Limits, ParseError, Parsed, Problems, load_json, payload_text, short

PercentScale = Literal["fraction", "percent"]
PERCENT_SCALES: tuple[str, ...] = ("fraction", "percent")


@dataclass(frozen=True, slots=True)
class Units:
    """How this API's numbers read: the one place the undocumented scales are decided."""

    percent_scale: PercentScale = "fraction"
    """``fraction``: 0.85 means 85 % (the documented example's reading); ``percent``: 85."""
    ms_per_second: int = 1000

    def percent(self, value: float) -> float | None:
        """A wire percentage as the model's 0–100, or ``None`` when outside the scale."""
        top = 1.0 if self.percent_scale == "fraction" else 100.0
        if value < 0 or value > top * 1.0000001:
            return None
        return min(100.0, value * 100.0 / top)

    def seconds(self, value: float) -> int | None:
        """Milliseconds as whole seconds (rounded), ``None`` when negative."""
        return None if value < 0 else int(round(value / self.ms_per_second))


DEFAULT_UNITS = Units()

# --- the metric tables ------------------------------------------------------------------
# (model field, metric key, kind). Kinds: count, ms, percent, text, status, iso, channels,
# id. The keys are also what the client asks for (``metrics=``), so we fetch only what we show.

QUEUE_METRICS: tuple[tuple[str, str, str], ...] = (
    ("queue_size", "interactionsWaitInQueue.rt", "count"),
    ("longest_wait_time", "interactionsLongestWaitInQueue.rt", "ms"),
    ("number_in_offered", "offering.rt", "count"),
    ("number_in_progress", "interactionsHandling.rt", "count"),
    ("sla_activity", "slaPercentage.int-15m", "percent"),
    ("sla_target", "slaPercentageTarget.today", "percent"),
    ("enabled_agent_count", "enabled.rt", "count"),
    ("agents_available", "availableIdle.rt", "count"),
    ("agents_busy", "handling.rt", "count"),
    ("agents_post_process", "wrapUp.rt", "count"),
    ("agents_on_break", "onBreak.rt", "count"),
    ("agents_work_offline", "workingOffline.rt", "count"),
    ("day_queued", "entered.today", "count"),
    ("day_accepted", "accepted.today", "count"),
    ("day_abandoned", "abandoned.today", "count"),
    ("day_avg_duration", "avgHandlingTime.today", "ms"),
    ("day_avg_wait_time", "interactionsAvgWaitTime.today", "ms"),
    ("day_sla_activity", "slaPercentage.today", "percent"),
    ("thirty_min_queued", "entered.int-30m", "count"),
    ("thirty_min_accepted", "accepted.int-30m", "count"),
    ("thirty_min_abandoned", "abandoned.int-30m", "count"),
    ("thirty_min_avg_duration", "avgHandlingTime.int-30m", "ms"),
    ("thirty_min_avg_wait_time", "interactionsAvgWaitTime.int-30m", "ms"),
    ("thirty_min_longest_wait_time", "interactionsLongestWaitInQueue.int-30m", "ms"),
    ("thirty_min_sla_activity", "slaPercentage.int-30m", "percent"),
    ("fifteen_min_queued", "entered.int-15m", "count"),
    ("fifteen_min_accepted", "accepted.int-15m", "count"),
    ("fifteen_min_abandoned", "abandoned.int-15m", "count"),
    ("fifteen_min_avg_wait_time", "interactionsAvgWaitTime.int-15m", "ms"),
    ("fifteen_min_sla_activity", "slaPercentage.int-15m", "percent"),
    ("sla_1h", "slaPercentage.int-1h", "percent"),
    ("sla_4h", "slaPercentage.int-4h", "percent"),
    ("sla_8h", "slaPercentage.int-8h", "percent"),
    ("sla_12h", "slaPercentage.int-12h", "percent"),
    ("sla_threshold", "slaTimeThreshold.today", "ms"),
)
"""Queue fields v5 fills. ``sla-activity`` (the legacy "SLA now") is the last 15 minutes."""

AGENT_METRICS: tuple[tuple[str, str, str], ...] = (
    ("status", "status.rt", "status"),
    ("time_in_status", "timeOnStatus.rt", "ms"),
    ("status_code_short", "statusCode.rt", "text"),
    ("time_on_status_code", "timeOnStatusCode.rt", "ms"),
    ("last_login_time", "lastLogin.rt", "iso"),
    ("channels", "activeChannels.rt", "channels"),
    ("active_interactions", "activeInteractionsCount.rt", "count"),
    ("day_accepted_count", "accepted.today", "count"),
    ("day_rejected_count", "rejected.today", "count"),
    ("day_login_time", "loggedInTime.today", "ms"),
    ("day_available_time", "availableTime.today", "ms"),
    ("day_processing_time", "handlingTime.today", "ms"),
    ("day_avg_processing_time", "averageHandlingTime.today", "ms"),
    ("day_wrap_up_time", "wrapUpTime.today", "ms"),
    ("day_break_time", "onBreakTime.today", "ms"),
    ("day_offline_time", "workingOfflineTime.today", "ms"),
    ("thirty_min_accepted_count", "accepted.int-30m", "count"),
    ("thirty_min_rejected_count", "rejected.int-30m", "count"),
    ("thirty_min_available_time", "availableTime.int-30m", "ms"),
    ("thirty_min_processing_time", "handlingTime.int-30m", "ms"),
    ("thirty_min_avg_handling_time", "averageHandlingTime.int-30m", "ms"),
    ("thirty_min_wrap_up_time", "wrapUpTime.int-30m", "ms"),
    ("thirty_min_break_time", "onBreakTime.int-30m", "ms"),
    ("thirty_min_offline_time", "workingOfflineTime.int-30m", "ms"),
)
"""Agent fields v5 fills (the all-agents and group context: no ``.inQueue`` suffix)."""


def metric_keys(table: tuple[tuple[str, str, str], ...]) -> tuple[str, ...]:
    """The distinct metric keys of ``table``, in order: the ``metrics`` a client asks for."""
    return tuple(dict.fromkeys(key for _, key, _ in table))


QUEUE_METRIC_KEYS = metric_keys(QUEUE_METRICS)
AGENT_METRIC_KEYS = metric_keys(AGENT_METRICS)

STATUS_WORDS: dict[str, int] = {
    "available": 0,
    "offering": 1,
    "offered": 1,
    "alerting": 1,
    "handling": 2,
    "busy": 2,
    "wrapup": 3,
    "postprocessing": 3,
    "onbreak": 4,
    "workingoffline": 5,
    "workoffline": 5,
    "loggedout": 9,
}
"""``status.rt`` words (compared without case, spaces or punctuation) as the board's state
codes (:mod:`wallboard.core.model.states`). Documented: Available, Handling, OnBreak,
LoggedOut, WorkingOffline; the rest are the states the queue counts name."""

_NOT_LETTERS = re.compile(r"[^a-z]")


def status_code(word: str) -> int | str:
    """The state code for a ``status.rt`` word; an unknown word is kept (``Unknown (Word)``)."""
    return STATUS_WORDS.get(_NOT_LETTERS.sub("", word.lower()), word)


CHANNEL_MEDIA = {"phone": 1, "voice": 1, "chat": 2, "email": 3, "vmail": 4, "voicemail": 4}
"""``activeChannels.rt`` ids (or names) as the board's agent media codes; the channel
vocabulary is not documented, so anything else leaves the media unknown (a dash)."""


def channel_media(raw: Any) -> int | None:
    """The media of an agent's first active channel, or ``None`` when idle or unknown."""
    if not isinstance(raw, list):
        return None
    for entry in raw:
        if isinstance(entry, dict):
            for key in ("id", "name"):
                value = entry.get(key)
                if isinstance(value, str) and value.strip().lower() in CHANNEL_MEDIA:
                    return CHANNEL_MEDIA[value.strip().lower()]
    return None


def iso_epoch(text: str) -> int | None:
    """``2022-12-16T16:28:08.013Z`` as epoch seconds; ``None`` when unreadable."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    seconds = int(moment.timestamp())
    return seconds if seconds > 0 else None


# --- parsing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Shape:
    record_type: type
    table: tuple[tuple[str, str, str], ...]
    label: str
    key_field: str
    envelope_key: str  # the list inside an /agents-in-queue-groups object


_QUEUES = _Shape(Queue, QUEUE_METRICS, "queue", "queue_id", "queues")
_AGENTS = _Shape(Agent, AGENT_METRICS, "agent", "agent_id", "agents")


def parse_queues(body: bytes | str, units: Units = DEFAULT_UNITS, limits: Limits = Limits()) -> Parsed[Queue]:
    """Read a ``/queues`` (or ``/queues/{id}``) answer."""
    return _parse(body, _QUEUES, units, limits)


def parse_agents(body: bytes | str, units: Units = DEFAULT_UNITS, limits: Limits = Limits()) -> Parsed[Agent]:
    """Read an ``/agents`` (or ``/groups/{id}/agents``, ``/agents-in-queue-groups``) answer."""
    return _parse(body, _AGENTS, units, limits)


def _parse(body: bytes | str, shape: _Shape, units: Units, limits: Limits) -> Parsed:
    budget = Budget(limits, shape.label)
    document = load_json(payload_text(body), budget)
    if isinstance(document, dict) and isinstance(document.get(shape.envelope_key), list):
        items = document[shape.envelope_key]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        keys = ", ".join(short(key, 30) for key in sorted(map(str, document))[:3])
        raise ParseError(f"the answer is an object (keys: {keys}), not a list of {shape.label}s")
    else:
        raise ParseError(f"the answer is a {type(document).__name__}, not a list of {shape.label}s")
    if len(items) > limits.max_records:
        raise budget.too_many()
    return _build(items, shape, units, budget)


def _build(items: list[Any], shape: _Shape, units: Units, budget: Budget) -> Parsed:
    problems = Problems()
    records = []
    seen: set[str] = set()
    skipped = 0
    for index, item in enumerate(items, start=1):
        if index % CHECK_EVERY == 0:
            budget.check_time()
        if not isinstance(item, dict):
            skipped += 1
            problems.add(f"{shape.label} #{index} is not a record; skipped")
            continue
        raw_id = item.get("id", item.get("queueId"))
        if raw_id is None and item.get("name") == "totals":
            continue  # includeTotals' summary row: not a queue or an agent
        key = clean_text(str(raw_id)) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
        if not key:
            skipped += 1
            problems.add(f"{shape.label} #{index} has no id; skipped")
            continue
        if key in seen:
            skipped += 1
            problems.add(f"{shape.label} #{index} repeats id {short(key)!r}; dropped")
            continue
        seen.add(key)
        metrics = _metrics(item.get("metrics"), shape.label, index, problems)
        values: dict[str, Any] = {shape.key_field: key, "name": _text(item.get("name"))}
        if shape.record_type is Agent:
            group = to_number(item.get("groupId"))
            values["group_id"] = int(group) if group is not None and 0 <= group <= MAX_NUMBER else None
        for field, metric, kind in shape.table:
            raw = metrics.get(metric)
            values[field] = _convert(raw, kind, units, problems, f"{shape.label} #{index}: {metric}")
        if shape.record_type is Agent:
            values["media_id"] = channel_media(metrics.get("activeChannels.rt"))
        records.append(shape.record_type(**values))
    if skipped and not records:
        first = problems.items[0] if problems.items else ""
        raise ParseError(f"not one of the {skipped:,} {shape.label}s in it could be read ({first})")
    return Parsed(tuple(records), tuple(problems.items), skipped)


def _metrics(raw: Any, label: str, index: int, problems: Problems) -> dict[str, Any]:
    """``metrics`` as a key → value map, whichever of the two documented shapes it has."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, list):
        found: dict[str, Any] = {}
        for entry in raw:
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                found.setdefault(entry["key"], entry.get("value"))
        return found
    problems.add(f"{label} #{index}: metrics is neither a list nor a map")
    return {}


def _text(raw: Any) -> str:
    if raw is None or isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return ""
    return clean_text(str(raw))


def _convert(raw: Any, kind: str, units: Units, problems: Problems, where: str) -> Any:
    if kind == "channels":
        return _channels(raw, problems, where)
    if raw is None:
        return "" if kind == "text" else None
    if kind in ("text", "status", "iso"):
        if not isinstance(raw, str):
            problems.add(f"{where} is not text")
            return "" if kind == "text" else None
        text = clean_text(raw)
        if kind == "text":
            return text
        if kind == "status":
            return status_code(text) if text else None
        moment = iso_epoch(text)
        if moment is None and text:
            problems.add(f"{where} is not an ISO-8601 time")
        return moment
    number = to_number(raw)
    if number is None:
        if not (isinstance(raw, str) and not raw.strip()):
            problems.add(f"{where} is not a number")
        return None
    if kind == "percent":
        value = units.percent(float(number))
        if value is None:
            problems.add(f"{where} = {short(raw, 12)} is outside the {units.percent_scale} scale")
        return value
    if kind == "ms":
        return units.seconds(float(number))
    whole = int(round(number))
    return whole if whole >= 0 else None


def _channels(raw: Any, problems: Problems, where: str) -> tuple[str, ...]:
    """``[{"id", "name", "count"}]`` as ``("Phone ×1",)``; ``[]`` (idle) is ``()``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(f"{where} is not a list")
        return ()
    shown = []
    for entry in raw[:16]:
        if not isinstance(entry, dict):
            continue
        name = _text(entry.get("name")) or _text(entry.get("id"))
        count = to_number(entry.get("count"))
        if name:
            shown.append(f"{name} ×{int(count)}" if count is not None and count >= 0 else name)
    return tuple(shown)

