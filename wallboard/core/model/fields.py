"""What kind of value each record field holds, and the names it is read from.

One :class:`Kind` vocabulary serves every source: the real-time parser's field tables
(:mod:`wallboard.core.wire.rtstats`) and the Work Analytics records, which declare their
kinds on their fields (:func:`kinded`) because the report tables format and total them
by kind too. A :class:`FieldSpec` is one field as a parser reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cache
from typing import Any


class Kind(Enum):
    """How a raw wire value becomes a typed value (and what the value is)."""

    KEY = "key"  # identifier text; a record without one is skipped
    TEXT = "text"  # free text, cleaned of control characters
    WORD = "word"  # short code text, cleaned and lower-cased (a queue's media type)
    TEXTS = "texts"  # a list of texts (departments, branches) as a tuple
    CODE = "code"  # an integer code decoded by a table; -1 is a real code here
    ID = "id"  # a non-negative integer identifier; negatives mean "none"
    COUNT = "count"  # a non-negative integer count
    SECONDS = "seconds"  # a non-negative duration in seconds
    MS = "ms"  # a non-negative duration in milliseconds
    PERCENT = "percent"  # a non-negative percentage
    EPOCH = "epoch"  # UTC seconds since 1970; zero or negative means "none"
    FLAG = "flag"  # yes/no: "-" is no, a word such as "Missed" is yes
    TIME = "time"  # an instant: epoch milliseconds or ISO text -> aware UTC datetime
    NUMBER = "number"  # a number whose unit the vendor does not document: kept as sent


TEXT_KINDS = frozenset({Kind.KEY, Kind.TEXT, Kind.WORD})
"""Kinds whose "no value" is ``""`` rather than ``None``."""


def empty(kind: Kind) -> Any:
    """A field's value when the source gave none: ``""``, ``()`` or ``None``."""
    if kind in TEXT_KINDS:
        return ""
    if kind is Kind.TEXTS:
        return ()
    return None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one record field is read: its name, the wire names (preferred first), its kind."""

    name: str
    wire_names: tuple[str, ...]
    kind: Kind


def kinded(kind: Kind, *names: str) -> Any:
    """A dataclass field of ``kind`` read from ``names`` (its own name when none given)."""
    return field(default=empty(kind), metadata={"kind": kind, "names": names})


@cache
def field_specs(record_type: type) -> tuple[FieldSpec, ...]:
    """Every :func:`kinded` field of ``record_type``, in order."""
    return tuple(
        FieldSpec(f.name, f.metadata["names"] or (f.name,), f.metadata["kind"])
        for f in fields(record_type)
        if "kind" in f.metadata
    )


@cache
def known_wire_names(record_type: type) -> frozenset[str]:
    """Every wire name some field of ``record_type`` reads."""
    return frozenset(name for spec in field_specs(record_type) for name in spec.wire_names)
