"""What every parser shares: a payload read as text and JSON within bounds, the problems
found on the way, the errors that refuse it, and the result it gives.

Work is bounded (:class:`Limits`), whatever a hostile or broken server sends under the
size cap the clients enforce: at most :data:`MAX_RECORDS` records (no real tenant has
more; millions of ``{}`` would take minutes and gigabytes), JSON containers counted as
they are built, and :data:`PARSE_SECONDS` of work. Each bound is refused with its own
one-line reason (:class:`LimitError`). XML has its own guards (:mod:`.flat_xml`).

A value that cannot be right never drops its record: it becomes "no value" and a line
in the :class:`Problems` (at most :data:`MAX_PROBLEMS`, so a payload with thousands of bad
fields stays cheap to report).

JSON is decoded by msgspec when it is installed (a dependency; 2-4x the standard
library's speed on our answers), straight from the bytes, and by the standard library
otherwise. msgspec is only trusted with what it reads exactly as the standard library
does: anything it refuses (NaN and Infinity, lone surrogates, invalid UTF-8, a byte order
mark, nesting too deep, plain bad JSON) and any body with more containers or values than
the budget allows is read again by the standard library path, which gives the same
result, the same refusal and the same message as before msgspec was there
(``tests/test_parse_equivalence.py`` holds them to it). msgspec was chosen over orjson
because orjson turns integers beyond 64 bits into floats where ``json.loads`` keeps them.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from wallboard.core.text import clean_text

R = TypeVar("R")

MAX_PROBLEMS = 20
"""Problems kept per parse; a payload with thousands of bad fields must stay cheap."""
MAX_RECORDS = 50_000
"""Most records one answer may hold; 5,000 agents is a very large tenant, and a report
page holds at most 7,000 records."""
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


class Budget:
    """The limits of one parse, and the clock reading they count from.

    ``label`` names one record in messages (``agent``, ``call record``).
    """

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
class Parsed(Generic[R]):
    """Records read from one payload, and what was wrong with the rest of it.

    ``repaired``: the XML was not well-formed and was read by its opening tags.
    """

    records: tuple[R, ...]
    problems: tuple[str, ...] = ()
    skipped: int = 0
    repaired: bool = False


class Problems:
    """What was wrong with a payload, one line each, at most :data:`MAX_PROBLEMS`."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.found = 0
        """Every problem found, kept or not."""

    def add(self, message: str) -> None:
        self.found += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)


def payload_text(body: bytes | str) -> str:
    """The body as text (bad UTF-8 replaced, not refused); an empty body is an error:
    servers answer "nothing" with an envelope, not with zero bytes."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        raise ParseError("the server sent an empty response")
    return text


def _fast_decoder() -> Callable[[bytes | str], Any] | None:
    try:
        import msgspec
    except ImportError:  # the standard library reads the same JSON, 2-4x slower
        return None
    return msgspec.json.Decoder().decode


FAST_DECODE: Callable[[bytes | str], Any] | None = _fast_decoder()
"""The fast JSON decoder (msgspec's), or ``None`` for the standard library alone."""

_SPACE_BYTES = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""The ASCII characters ``str.strip`` removes."""


def json_document(body: bytes | str, budget: Budget) -> Any:
    """``body`` as JSON, as :func:`load_json` reads :func:`payload_text` of it, but without
    decoding the bytes to text first when the fast decoder can read them as they are."""
    if FAST_DECODE is not None and isinstance(body, bytes) and body.lstrip(_SPACE_BYTES)[:1] < b"\x80":
        if body.lstrip(_SPACE_BYTES):  # not blank: the text is not blank either
            fast = _fast_json(body, budget)
            if fast is not _REFUSED:
                return fast
    return load_json(payload_text(body), budget)


_REFUSED = object()


def typed_json(body: bytes | str, decode: Callable[[bytes], Any], budget: Budget) -> Any | None:
    """An object ``body`` read by ``decode`` (a msgspec decoder of a known shape) under
    the fast decoder's guards, or ``None`` for any body it does not read as that shape
    (the caller then reads it as any other)."""
    if FAST_DECODE is None or not isinstance(body, bytes) or body.lstrip(_SPACE_BYTES)[:1] != b"{":
        return None
    found = _fast_json(body, budget, decode)
    return None if found is _REFUSED else found


def _fast_json(body: bytes | str, budget: Budget, decode: Callable[[Any], Any] | None = None) -> Any:
    """The fast decoder's reading, or ``_REFUSED`` where only the standard library path
    can say exactly what the answer is (or why it is refused)."""
    assert FAST_DECODE is not None
    decode = decode or FAST_DECODE
    containers = 2 * budget.limits.max_records + 16
    values = FIELDS_PER_RECORD * budget.limits.max_records
    brace, bracket, comma = (b"{", b"[", b",") if isinstance(body, bytes) else ("{", "[", ",")
    if body.count(brace) > containers or body.count(bracket) > containers or (len(body) > values and body.count(comma) > values):
        return _REFUSED  # perhaps too many: counted as the standard library path counts
    try:
        document = decode(body)
    except Exception:  # anything it refuses, the standard library reads or refuses in its own words
        return _REFUSED
    budget.check_time()
    return document


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def load_json(text: str, budget: Budget) -> Any:
    """``text`` as JSON, refused (:class:`LimitError`) once it holds more than a budget's
    worth of records, or takes too long; any other failure is a :class:`ParseError`."""
    if FAST_DECODE is not None:
        fast = _fast_json(text, budget)
        if fast is not _REFUSED:
            return fast
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
        return json.loads(text, object_hook=count_object)
    except LimitError:
        raise
    except RecursionError:
        raise ParseError("the JSON response is nested too deeply to read") from None
    except ValueError as error:
        raise ParseError(f"the response is not valid JSON ({short(error)})") from None


def short(value: object, limit: int = 60) -> str:
    """``value`` as one short clean line, to quote in a message."""
    return clean_text(str(value), max_length=limit)
