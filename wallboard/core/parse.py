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
  A record without an identifier is skipped and reported.
"""

from __future__ import annotations

import json
import re
from functools import cache
from dataclasses import dataclass
from typing import Any, Generic, Iterable, Literal, TypeVar
from xml.parsers.expat import ExpatError

import xmltodict

from wallboard.core.numbers import MAX_NUMBER, to_number
from wallboard.core.models import Agent, FieldSpec, Kind, Queue, field_specs
from wallboard.core.text import MAX_TEXT_LENGTH, clean_text

Format = Literal["json", "xml"]
R = TypeVar("R", Agent, Queue)

MAX_PROBLEMS = 20
"""Problems kept per parse; a payload with thousands of bad fields must stay cheap."""



class ParseError(ValueError):
    """The body could not be read as the expected payload; carries a one-line reason."""


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


def parse_agents(body: bytes | str, fmt: Format) -> ParseResult[Agent]:
    """Read an ``/agents`` or ``/agent/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _AGENTS)


def parse_queues(body: bytes | str, fmt: Format) -> ParseResult[Queue]:
    """Read a ``/queues`` or ``/queue/{id}`` body in ``fmt``."""
    return _parse(body, fmt, _QUEUES)


def _parse(body: bytes | str, fmt: Format, shape: _Shape) -> ParseResult:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        raise ParseError("the server sent an empty response")
    repaired = False
    if fmt == "json":
        items = _json_items(text, shape)
    elif fmt == "xml":
        items, repaired = _xml_items(text, shape)
    else:
        raise ParseError(f"unknown format {fmt!r}: expected json or xml")
    return _build(items, shape, repaired)


# --- envelopes -------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "" or value == {}:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _json_items(text: str, shape: _Shape) -> list[Any]:
    try:
        document = json.loads(text)
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


def _xml_items(text: str, shape: _Shape) -> tuple[list[Any], bool]:
    if _DOCTYPE.search(text):
        raise ParseError("the XML response declares a document type; refused for safety")
    try:
        document = xmltodict.parse(text, disable_entities=True)
    except (ExpatError, ValueError):
        return _repair_xml(text, shape), True
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


# Every pattern below is linear in the body's length: no two adjacent quantifiers can
# match the same characters, and no lazy ``.*?`` scans on to the end of the body once per
# opening tag. The repair runs on bodies of up to 32 MiB, so a quadratic pattern would
# let a hostile or broken server freeze the board.
_NAME = r"[A-Za-z_][\w.\-]*"
_LEAF = re.compile(
    rf"<({_NAME})(?:\s[^<>]*)?/>"  # <empty-element/>
    rf"|<({_NAME})(?:\s[^<>]*)?>([^<]*)</{_NAME}\s*>",  # <a>text</any-name>
)


def _repair_xml(text: str, shape: _Shape) -> list[Any]:
    """Read flat records by their opening tags, tolerating wrong closing tag names."""
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


def _build(items: Iterable[Any], shape: _Shape, repaired: bool) -> ParseResult:
    specs = field_specs(shape.record_type)
    plan = _plan(shape.record_type)
    key_name, key_wire = specs[0].name, specs[0].wire_names[0]
    problems = _Problems()
    records = []
    skipped = 0
    for index, item in enumerate(items, start=1):
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
        records.append(shape.record_type(**values))
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


def _short(value: object, limit: int = 60) -> str:
    return clean_text(str(value), max_length=limit)
