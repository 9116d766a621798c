"""Parsing of Real Time Statistics payloads (JSON and XML) into typed records.

Rules, in the order they apply:

* XML carrying a document type declaration is refused outright, so no entity can be
  expanded (billion laughs) or fetched (external entities).
* XML is parsed strictly first. Only when that fails is it *repaired*: the vendor's own
  examples close elements with the wrong name (``<day-accepted>10</all-day-accepted>``),
  so the repair reads each flat record by its opening tags and ignores closing names.
  A repaired document must still end with its root's closing tag; a body cut short in
  transit is an error, never a silently shorter list of agents.
* Envelopes are normalised: a single object where a list belongs is a one-item list;
  ``""``, ``null``, ``{}`` and a missing key are an empty list. A body of zero bytes is
  an error (servers answer an empty list with an envelope, not with nothing).
* Each field is converted by its :class:`~wallboard.core.models.Kind`. A value of the
  wrong type becomes ``None`` and is reported as a problem; it never drops the record.
  A record without an identifier is skipped and reported. An answer whose every record
  was skipped is an error, not a good empty answer: it is not the statistics. A record
  repeated exactly is kept once; a different record under an id already seen is kept
  under that id with its place among the repeats (``jdoe (2)``), so every row, tile and
  drill-down has a key of its own. Both are reported as problems.
* Work is bounded (:class:`Limits`), whatever a hostile or broken server sends under the
  size cap: at most :data:`MAX_RECORDS` records (no real tenant has more; millions of
  ``{}`` would take minutes and gigabytes), JSON containers counted as they are built,
  XML nested at most :data:`MAX_XML_DEPTH` deep (checked element by element, so a
  document nested millions deep is refused at once), and :data:`PARSE_SECONDS` of work.
  Each bound is refused with its own one-line reason.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, Literal, TypeVar
from xml.parsers.expat import ExpatError

import xmltodict

from wallboard.core.numbers import MAX_NUMBER, to_number
from wallboard.core.models import Agent, FieldSpec, Kind, Queue, field_specs
from wallboard.core.text import MAX_TEXT_LENGTH, clean_text

Format = Literal["json", "xml"]
R = TypeVar("R", Agent, Queue)

MAX_PROBLEMS = 20
"""Problems kept per parse; a payload with thousands of bad fields must stay cheap."""
MAX_RECORDS = 50_000
"""Most agents or queues one answer may hold; 5,000 agents is a very large tenant."""
MAX_XML_DEPTH = 16
"""Deepest XML nesting accepted; a real answer is three deep (<agents><agent><field>)."""
PARSE_SECONDS = 15.0
"""Most seconds of work one answer may cost (a fraction of a second is usual)."""
FIELDS_PER_RECORD = 100
"""Values per record allowed for in a JSON answer (a real agent has about 40)."""
CHECK_EVERY = 1024
"""Records (or XML elements) between two looks at the clock."""


class ParseError(ValueError):
    """The body could not be read as the expected payload; carries a one-line reason."""


class LimitError(ParseError):
    """The body is beyond what any real answer holds (records, nesting, time); refused."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one answer may cost to read; tests pass smaller ones, or a clock of their own."""

    max_records: int = MAX_RECORDS
    max_depth: int = MAX_XML_DEPTH
    seconds: float = PARSE_SECONDS
    clock: Callable[[], float] = time.monotonic


class _Budget:
    """The limits of one parse, and the clock reading they count from."""

    def __init__(self, limits: Limits, label: str) -> None:
        self.limits = limits
        self.label = label
        self.deadline = limits.clock() + limits.seconds

    def check_time(self) -> None:
        if self.limits.clock() > self.deadline:
            raise LimitError(f"reading the answer took longer than {self.limits.seconds:g} s; refused")

    def too_many(self) -> LimitError:
        return LimitError(f"the answer holds more than {self.limits.max_records:,} {self.label}s; refused")


@dataclass(frozen=True, slots=True)
class ParseResult(Generic[R]):
    """Records read from one payload, and what was wrong with the rest of it."""

    records: tuple[R, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class _Shape:
    record_type: type
    list_tag: str  # XML root of the list endpoint and accepted JSON alias
    item_tag: str  # XML child / JSON key
    label: str


_AGENTS = _Shape(Agent, "agents", "agent", "agent")
_QUEUES = _Shape(Queue, "queues", "queue", "queue")


def parse_agents(body: bytes | str, fmt: Format, limits: Limits = Limits()) -> ParseResult[Agent]:
    """Read an ``/agents`` or ``/agent/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _AGENTS, limits)


def parse_queues(body: bytes | str, fmt: Format, limits: Limits = Limits()) -> ParseResult[Queue]:
    """Read a ``/queues`` or ``/queue/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _QUEUES, limits)


def _parse(body: bytes | str, fmt: Format, shape: _Shape, limits: Limits = Limits()) -> ParseResult:
    budget = _Budget(limits, shape.label)
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        raise ParseError("the server sent an empty response")
    repaired = False
    if fmt == "json":
        items = _json_items(text, shape, budget)
    elif fmt == "xml":
        items, repaired = _xml_items(text, shape, budget)
    else:
        raise ParseError(f"unknown format {fmt!r}: expected json or xml")
    if len(items) > limits.max_records:
        raise budget.too_many()
    return _build(items, shape, repaired, budget)


# --- envelopes -------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "" or value == {}:
        return []
    if isinstance(value, list):
        return value
    return [value]


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_items(text: str, shape: _Shape, budget: _Budget) -> list[Any]:
    containers = 2 * budget.limits.max_records + 16  # records, and a nested value or two
    values = FIELDS_PER_RECORD * budget.limits.max_records
    # Arrays and plain values are not seen while they are built: count them first when
    # there may be too many (names can hold "[" and "," too, so only then count again
    # outside the strings). Millions of them would cost seconds and hundreds of MB.
    if text.count("[") > containers or text.count(",") > values:
        bare = _JSON_STRING.sub('""', text)
        if bare.count("[") > containers or bare.count(",") > values:
            raise budget.too_many()
    built = 0

    def count_object(item: dict) -> dict:
        nonlocal built
        built += 1
        if built > containers:
            raise budget.too_many()
        if built % CHECK_EVERY == 0:
            budget.check_time()
        return item

    try:
        document = json.loads(text, object_hook=count_object)
    except LimitError:
        raise
    except RecursionError:
        raise ParseError("the JSON response is nested too deeply to read") from None
    except ValueError as error:
        raise ParseError(f"the response is not valid JSON ({_short(error)})") from None
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
        keys = ", ".join(_short(key, 30) for key in sorted(map(str, document))[:3])
        raise ParseError(f"the JSON response has no {shape.item_tag!r} list (keys: {keys})")
    raise ParseError(f"the JSON response is a {type(document).__name__}, not an object")


def _looks_like_record(document: dict, shape: _Shape) -> bool:
    key_names = field_specs(shape.record_type)[0].wire_names
    return any(name in document for name in key_names)


_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _xml_items(text: str, shape: _Shape, budget: _Budget) -> tuple[list[Any], bool]:
    if _DOCTYPE.search(text):
        raise ParseError("the XML response declares a document type; refused for safety")
    try:
        document = xmltodict.parse(text, disable_entities=True, expat=_GuardedExpat(budget))
    except LimitError:
        raise
    except (ExpatError, ValueError):
        return _repair_xml(text, shape, budget), True
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
    raise ParseError(f"the XML response is <{_short(root)}>, expected <{shape.list_tag}>")


class _GuardedExpat:
    """Stands in for the ``expat`` module xmltodict uses: its parsers count as they go.

    Each opening tag is checked before xmltodict builds anything for it: nesting deeper
    than the limit, more records than the limit (elements two deep), or too long at it
    raise :class:`LimitError` from inside the parser, which stops at once.
    """

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget

    def ParserCreate(self, *args: Any, **kwargs: Any) -> "_GuardedParser":  # noqa: N802 (expat's name)
        from xml.parsers import expat

        return _GuardedParser(expat.ParserCreate(*args, **kwargs), self.budget)


class _GuardedParser:
    def __init__(self, inner: Any, budget: _Budget) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_budget", budget)
        object.__setattr__(self, "_depth", 0)
        object.__setattr__(self, "_elements", 0)
        object.__setattr__(self, "_records", 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "StartElementHandler":
            value = self._guard_start(value)
        elif name == "EndElementHandler":
            value = self._guard_end(value)
        setattr(self._inner, name, value)

    def _guard_start(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        budget = self._budget
        limits = budget.limits

        def start(*args: Any) -> Any:
            depth = self._depth + 1
            object.__setattr__(self, "_depth", depth)
            if depth > limits.max_depth:
                raise LimitError(f"the XML response is nested more than {limits.max_depth} deep; refused")
            if depth == 2:
                records = self._records + 1
                object.__setattr__(self, "_records", records)
                if records > limits.max_records:
                    raise budget.too_many()
            elements = self._elements + 1
            object.__setattr__(self, "_elements", elements)
            if elements % CHECK_EVERY == 0:
                budget.check_time()
            return handler(*args)

        return start

    def _guard_end(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        def end(*args: Any) -> Any:
            object.__setattr__(self, "_depth", self._depth - 1)
            return handler(*args)

        return end


# Every pattern below is linear in the body's length: no two adjacent quantifiers can
# match the same characters, and no lazy ``.*?`` scans on to the end of the body once per
# opening tag. The repair runs on bodies of up to 32 MiB, so a quadratic pattern would
# let a hostile or broken server freeze the board.
_NAME = r"[A-Za-z_][\w.\-]*"
_LEAF = re.compile(
    rf"<({_NAME})(?:\s[^<>]*)?/>"  # <empty-element/>
    rf"|<({_NAME})(?:\s[^<>]*)?>([^<]*)</{_NAME}\s*>",  # <a>text</any-name>
)


def _repair_xml(text: str, shape: _Shape, budget: _Budget) -> list[Any]:
    """Read flat records by their opening tags, tolerating wrong closing tag names."""
    if text.count(f"<{shape.item_tag}") > budget.limits.max_records:
        raise budget.too_many()
    list_open = re.search(rf"<{shape.list_tag}(?:\s[^<>]*)?>", text)
    if list_open:
        close = text.rfind(f"</{shape.list_tag}>")
        if close < list_open.end():
            raise ParseError(f"the XML response was cut short (no closing </{shape.list_tag}>)")
        return [_leaves(block) for block in _blocks(text, list_open.end(), close, shape.item_tag)]
    item_open = re.search(rf"<{shape.item_tag}(?:\s[^<>]*)?>", text)
    if item_open:
        close = text.rfind(f"</{shape.item_tag}>")
        if close < item_open.end():
            raise ParseError(f"the XML response was cut short (no closing </{shape.item_tag}>)")
        return [_leaves(text[item_open.end() : close])]
    raise ParseError(f"the response is not XML with <{shape.list_tag}> records")


def _blocks(text: str, start: int, end: int, tag: str) -> list[str]:
    """The contents of each ``<tag>...</tag>`` between ``start`` and ``end``, in one pass.

    Opening and closing tags must alternate: an opening tag met while a record is still
    open means a record was never closed, which is an error rather than a merged record.
    Stray closing tags are ignored.
    """
    opens = re.compile(rf"<{tag}(?:\s[^<>]*)?>").finditer(text, start, end)
    closes = re.compile(rf"</{tag}\s*>").finditer(text, start, end)
    tags = sorted([(m.start(), m.end(), True) for m in opens] + [(m.start(), m.end(), False) for m in closes])
    blocks: list[str] = []
    content_from: int | None = None
    for tag_start, tag_end, opening in tags:
        if opening:
            if content_from is not None:
                raise ParseError(f"the XML response has an unclosed <{tag}> record")
            content_from = tag_end
        elif content_from is not None:
            blocks.append(text[content_from:tag_start])
            content_from = None
    if content_from is not None:
        raise ParseError(f"the XML response has an unclosed <{tag}> record")
    return blocks


def _leaves(block: str) -> dict[str, str | None]:
    record: dict[str, str | None] = {}
    for match in _LEAF.finditer(block):
        empty_name, name, value = match.groups()
        if empty_name:
            record.setdefault(empty_name, None)
        else:
            record.setdefault(name, _unescape(value))
    return record


_CHAR_REF = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in _NAMED:
            return _NAMED[ref]
        try:
            return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))
        except (ValueError, OverflowError):
            return ""

    return _CHAR_REF.sub(replace, value)


# --- records ---------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)


def _build(items: Iterable[Any], shape: _Shape, repaired: bool, budget: _Budget) -> ParseResult:
    specs = field_specs(shape.record_type)
    plan = _plan(shape.record_type)
    key_name, key_wire = specs[0].name, specs[0].wire_names[0]
    problems = _Problems()
    records = []
    skipped = 0
    seen: dict[str, list[int]] = {}  # id -> where the records that carry it are in ``records``
    for index, item in enumerate(items, start=1):
        if index % CHECK_EVERY == 0:
            budget.check_time()
        if not isinstance(item, dict):
            skipped += 1
            problems.add(f"{shape.label} #{index} is not a record; skipped")
            continue
        values: dict[str, Any] = {}
        for name, first, spec, lowest, plain_text in plan:
            raw = item.get(first, _MISSING)
            raw_type = type(raw)
            if raw is _MISSING or raw_type is dict or raw_type is list:
                raw = _lookup(item, spec)
                raw_type = type(raw)
            # Fast paths for what servers send almost always: a JSON integer in range, plain
            # printable text. Anything else takes the general rules of _convert.
            if raw_type is int and lowest is not None and lowest <= raw <= MAX_NUMBER:
                values[name] = raw
            elif raw_type is str and plain_text and raw.isascii() and raw.isprintable() and len(raw) <= MAX_TEXT_LENGTH:
                values[name] = raw.strip()
            else:
                values[name] = _convert(raw, spec, problems, shape.label, index)
        if not values[key_name]:
            skipped += 1
            problems.add(f"{shape.label} #{index} has no {key_wire}; skipped")
            continue
        record = shape.record_type(**values)
        key = values[key_name]
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = [len(records)]
        else:
            if any(records[at] == record for at in earlier):  # the same record twice: counted once
                skipped += 1
                problems.add(f"{shape.label} #{index} repeats an earlier {key_wire} {_short(key)!r} exactly; dropped")
                continue
            # Another record under the same id: both are shown, the later one keyed by its
            # place among the repeats, so a cursor or a drill-down never lands on the other.
            place = len(earlier) + 1
            while (unique := _numbered(key, place)) in seen:
                place += 1
            problems.add(f"{shape.label} #{index} repeats {key_wire} {_short(key)!r}; shown as {_short(unique)!r}")
            values[key_name] = unique
            earlier.append(len(records))
            seen[unique] = [len(records)]
            record = shape.record_type(**values)
        records.append(record)
    if skipped and not records:
        first = problems.items[0] if problems.items else ""
        raise ParseError(f"not one of the {skipped:,} {shape.label}s in it could be read ({first})")
    return ParseResult(tuple(records), tuple(problems.items), skipped, repaired)


_MISSING = object()


_LOWEST_KEPT = {Kind.ID: 0, Kind.COUNT: 0, Kind.SECONDS: 0, Kind.CODE: -MAX_NUMBER}
"""Kinds whose in-range integer is the value as it came, and the lowest such integer
(codes may be negative: -1 is a real code). Percentages and epochs need converting."""


@cache
def _plan(record_type: type) -> tuple[tuple[str, str, FieldSpec, int | None, bool], ...]:
    """Per field, what the hot loop needs, worked out once: (name, first wire name, spec,
    lowest integer kept as it came or None, whether plain text is kept as it came)."""
    return tuple(
        (spec.name, spec.wire_names[0], spec, _LOWEST_KEPT.get(spec.kind), spec.kind is Kind.TEXT)
        for spec in field_specs(record_type)
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


_NUMERIC_KINDS = frozenset(Kind) - {Kind.KEY, Kind.TEXT, Kind.WORD}


def _convert(raw: Any, spec: FieldSpec, problems: _Problems, label: str, index: int) -> Any:
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


def _short(value: object, limit: int = 60) -> str:
    return clean_text(str(value), max_length=limit)
