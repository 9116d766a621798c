"""A whole answer converted field by field, for answers where nothing is out of the ordinary.

The record loop of :mod:`wallboard.core.wire.rtstats` converts an answer value by value,
with the rules for every case a server can send. Almost every real answer is plain:
every record carries every field under its documented name, every value is what the
field expects (a JSON integer or null, plain text; or, from XML, digits), every record
has an id of its own. Such an answer is converted here a column at a time, with the
standard library's C-level steps (``itemgetter``, ``zip``, ``map``, ``min``/``max`` over a
whole column), which costs a fraction of the loop: the per-record Python work of the loop
was most of a refresh of a large tenant, every refresh, because every record's durations
tick.

:func:`convert` gives the values the loop would give, or ``None`` as soon as anything is
not plain (a missing field, an alias, a nested value, a float, a boolean, text where a
number belongs, an id missing or repeated, anything the loop would report): the loop
then converts the answer as before, and says what it found. ``tests/test_parse_equivalence.py``
holds both to the same results, over the benchmark's payloads, the seed examples and the
fuzz corpus.
"""

from __future__ import annotations

from itertools import repeat
from functools import partial
from operator import is_not, itemgetter
from typing import Any, Iterable, Sequence

from wallboard.core.model.fields import Kind
from wallboard.core.numbers import MAX_NUMBER
from wallboard.core.text import MAX_TEXT_LENGTH, clean_text

_NONE = type(None)
_INT_OR_NONE = frozenset({int, _NONE})
_STR_OR_NONE = frozenset({str, _NONE})
_STR_INT_OR_NONE = frozenset({str, int, _NONE})
_TEXT_SPECIAL = {"": None, "-1": -1}
"""Text in a number's place that is not plain digits and still reads without a problem:
empty is no value (XML's empty element, JSON's ``""``), and ``-1`` is the sentinel (each
kind then reads it as it reads the integer)."""

_is_not_none = partial(is_not, None)

Step = tuple  # one step of rtstats' record plan: (place, wire name, spec, lowest, plain text, ticks, nothing)


def convert(items: Sequence[Any], plan: Sequence[Step], defaults: Sequence[Any]) -> list[Iterable[Any]] | None:
    """Each field's values, record by record, in field order (a field outside ``plan``
    repeats its default), or ``None`` when the answer is not plain (the record loop reads it)."""
    if len(items) < 1 or len(plan) < 2 or set(map(type, items)) != {dict}:
        return None
    try:
        rows = list(map(itemgetter(*(step[1] for step in plan)), items))
    except KeyError:
        return None  # a field missing, or under another of its names
    return convert_columns(list(zip(*rows)), plan, defaults)


def convert_columns(raw_columns: Sequence[tuple], plan: Sequence[Step], defaults: Sequence[Any]) -> list[Iterable[Any]] | None:
    """:func:`convert` of an answer already in columns (one tuple of raw values per step
    of ``plan``, in its order); a value of any type the column does not expect (such as
    msgspec's ``UNSET`` for a missing field) makes the answer not plain."""
    if len(raw_columns) != len(plan) or not raw_columns or not raw_columns[0]:
        return None
    columns: list[Any] = [repeat(value) for value in defaults]
    for step, raw in zip(plan, raw_columns):
        converted = _column(raw, step)
        if converted is None:
            return None
        columns[step[0]] = converted
    keys = columns[plan[0][0]]
    if not all(keys) or len(set(keys)) != len(keys):
        return None  # a record without an id, or two under one: the loop says which
    return columns


def _column(raw: tuple, step: Step) -> Sequence[Any] | None:
    """One field's values converted, by the same plan step the record loop reads it with
    (its kind, the lowest integer kept as it came, whether it is plain text)."""
    kind, lowest, plain_text = step[2].kind, step[3], step[4]
    types = set(map(type, raw))
    if plain_text:  # an id or free text
        if not types <= _STR_OR_NONE:
            return None
        if _NONE not in types:
            joined = "".join(raw)  # the usual: plain short text, checked once for the column
            if joined.isascii() and joined.isprintable() and max(map(len, raw)) <= MAX_TEXT_LENGTH:
                return list(map(str.strip, raw))
        return [_text(value) for value in raw]
    if kind is Kind.WORD:
        if not types <= _STR_OR_NONE:
            return None
        return ["" if value is None else clean_text(value).lower() for value in raw]
    if lowest is None and kind is not Kind.PERCENT:
        return None  # a kind the columns do not read
    if str in types:  # XML: every number is text; JSON: "" for no value
        if not types <= _STR_INT_OR_NONE:
            return None
        raw = _numbers_from_text(raw, types == {str})
        if raw is None:
            return None
        types = set(map(type, raw))
    if not types <= _INT_OR_NONE:
        return None
    present = list(filter(_is_not_none, raw)) if _NONE in types else raw
    if not present:
        return raw  # every value null: no value, whatever the kind
    low, high = min(present), max(present)
    if high > MAX_NUMBER or low < -MAX_NUMBER:
        return None
    if kind is Kind.PERCENT:
        return [None if value is None or value < 0 else float(value) for value in raw]
    if low >= lowest:  # a code keeps every integer (-1 included), a count none below 0, an epoch none below 1
        return raw
    if low >= -1:  # the usual: the -1 sentinel (and an epoch's 0), each looked up in C
        nothing = dict.fromkeys(range(low, lowest))
        return list(map(nothing.get, raw, raw))
    return [value if value is not None and value >= lowest else None for value in raw]


def _text(value: str | None) -> str:
    if value is None:
        return ""
    if value.isascii() and value.isprintable() and len(value) <= MAX_TEXT_LENGTH:
        return value.strip()
    return clean_text(value)


def _numbers_from_text(raw: tuple, only_text: bool = False) -> list[int | None] | None:
    """Text as the integers it spells (integers and nulls as they are), or ``None`` when
    some text is not plain digits (up to 15 of them), empty or ``-1``. Each distinct text
    is read once; the column is then looked up in C."""
    if only_text and "" not in raw:
        joined = "".join(raw)  # the usual from XML: every value digits, checked once for the column
        if joined.isascii() and joined.isdigit() and max(map(len, raw)) <= 15:
            return list(map(int, raw))
    digits = [value for value in set(raw) if type(value) is str and value not in _TEXT_SPECIAL]
    if not (all(map(str.isdigit, digits)) and all(map(str.isascii, digits)) and max(map(len, digits), default=0) <= 15):
        return None
    table: dict[Any, int | None] = dict(zip(digits, map(int, digits)))
    table.update(_TEXT_SPECIAL)
    return list(map(table.get, raw, raw))  # not text: the value itself
