"""Decoding tables for the numeric and short-text codes of the Real Time Statistics API.

The tables are data: each known value maps to a label a person reads, a semantic
category the UI turns into a colour, and a symbol so state is never told by colour
alone. Values outside a table decode to an explicit ``Unknown (N)`` rather than being
guessed at or hidden. Phone line 2 has a table of its own: its codes differ from line 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Generic, Hashable, Mapping, TypeVar

from wallboard.core.model.states import AGENT_STATES, NO_STATE, NO_VALUE, AgentState, unknown_state

K = TypeVar("K", bound=Hashable)
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Decoded:
    """One decoded value: what it means, how to colour it, and its symbol."""

    code: object
    label: str
    category: str
    symbol: str = ""
    known: bool = True
    short: str = ""
    """A shorter label for narrow grid columns; empty: the label itself."""

    @property
    def brief(self) -> str:
        """The label for a narrow column."""
        return self.short or self.label


def _unknown(value: Any) -> Decoded:
    return Decoded(value, f"Unknown ({value})", "unknown", "?", known=False)


@dataclass(frozen=True, slots=True)
class CodeTable(Generic[K, E]):
    """A named, read-only mapping from wire values to entries (:class:`Decoded`, or the
    richer :class:`~wallboard.core.model.states.AgentState`)."""

    name: str
    entries: Mapping[K, E]
    missing: Any = Decoded(None, NO_VALUE, "none", " ", known=False)
    """The entry for "no value"."""
    unknown: Callable[[Any], Any] = _unknown
    """Makes the entry for a value the table does not list: ``Unknown (N)``."""

    def decode(self, value: K | None) -> E:
        """Decode ``value``; ``None`` is "no value", anything unlisted is unknown."""
        if value is None:
            return self.missing
        entry = self.entries.get(value)
        if entry is not None:
            return entry
        return self.unknown(value)

    def __iter__(self):
        return iter(self.entries.values())


def _table(name: str, rows: list[tuple]) -> CodeTable:
    """Rows are (code, label, category, symbol) with an optional short label last."""
    entries = {row[0]: Decoded(row[0], row[1], row[2], row[3], short=row[4] if len(row) > 4 else "") for row in rows}
    return CodeTable(name, MappingProxyType(entries))


AGENT_STATUS: CodeTable[int, AgentState] = CodeTable(
    "agent-status",
    MappingProxyType({state.code: state for state in AGENT_STATES}),
    missing=NO_STATE,
    unknown=unknown_state,
)
"""Agent states, from the one table of :mod:`wallboard.core.model.states`."""

AGENT_MEDIA: CodeTable[int, Decoded] = _table(
    "agent-media-id",
    [
        (0, "None", "none", ""),
        (1, "Phone", "phone", ""),
        (2, "Chat", "chat", ""),
        (3, "Email", "email", ""),
        (4, "Voicemail", "voicemail", ""),
    ],
)
"""Media of the transaction an agent is handling or last handled (0: none since start)."""

PHONE_LINE1_STATUS: CodeTable[int, Decoded] = _table(
    "phone-line1-status",
    [
        (-1, "Not in use", "unused", " ", NO_VALUE),
        (0, "Idle or post-processing", "idle", "·", "Idle/wrap"),
        (1, "On hold", "hold", "‖"),
        (2, "Muted", "mute", "∅"),
        (3, "Offered", "offered", "◐"),
        (4, "Monitoring", "monitor", "◎"),
        (5, "Busy", "busy", "■"),
    ],
)
"""Line 1: 0 means idle or at post-processing; :mod:`wallboard.core.model.phone_lines` tells
which from the agent's state. Read a line's code with its status time (that module)."""

PHONE_LINE2_STATUS: CodeTable[int, Decoded] = _table(
    "phone-line2-status",
    [
        (-1, "Not in use", "unused", " ", NO_VALUE),
        (0, "Offered", "offered", "◐"),
        (1, "On hold", "hold", "‖"),
        (2, "Muted", "mute", "∅"),
        (3, "Error", "error", "!"),
        (4, "Monitoring", "monitor", "◎"),
        (5, "Busy", "busy", "■"),
    ],
)
"""Line 2 differs from line 1: 0 is "being offered a transaction" and 3 is an error.
The vendor's agents report 0 with status time -1 for an idle line 2: read the code with
its time (:mod:`wallboard.core.model.phone_lines`), never alone."""

QUEUE_MEDIA: CodeTable[str, Decoded] = _table(
    "media-type",
    [
        ("phone", "Phone", "phone", ""),
        ("chat", "Chat", "chat", ""),
        ("vmail", "Voicemail", "voicemail", ""),
        ("email", "Email", "email", ""),
    ],
)
"""Queue media types arrive as short words rather than numbers."""

ALL_TABLES: tuple[CodeTable, ...] = (
    AGENT_STATUS,
    AGENT_MEDIA,
    PHONE_LINE1_STATUS,
    PHONE_LINE2_STATUS,
    QUEUE_MEDIA,
)
