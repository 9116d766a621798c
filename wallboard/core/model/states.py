"""The agent states: one table, from which everything the board says about a state derives.

Each :class:`AgentState` names a state once: its wire code, the word a person reads, the
key (``category``) the rest of the board knows it by, its symbol (state is never told by
colour alone) and the plain character that stands in for it on a terminal that is not
UTF-8, and what it means for the rules: whether it is a break (the break thresholds
apply) and whether the agent is available for work. From this table come

* the grid's style classes and their CSS rules (``state-<key>``, coloured ``$state-<key>``),
* the theme files' ``[states]`` keys (:data:`STATE_CATEGORIES`),
* the agents filter and the state sort order,
* the header's agents-per-state counts, in table order,
* the break thresholds (:attr:`AgentState.on_break`), and the ASCII stand-ins.

A second real-time source decodes its own status codes into these same states, so every
view keeps working. A code no entry has is ``Unknown (N)`` in the ``unknown`` state; no
code at all is the ``none`` state (shown as a dash).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

NO_VALUE = "—"
"""What a person sees where the server gave no value (also :data:`wallboard.core.model.codes.NO_VALUE`)."""


@dataclass(frozen=True, slots=True)
class AgentState:
    """One agent state; shaped like a :class:`~wallboard.core.model.codes.Decoded` value."""

    code: object
    label: str
    """The word a person reads: ``Available``, ``On break``, ``Unknown (7)``."""
    category: str
    """The state's key everywhere: filter value, sort rank, theme key, style class."""
    symbol: str
    ascii: str = "?"
    """The symbol's stand-in where the terminal is not UTF-8: each state its own."""
    on_break: bool = False
    """The break thresholds apply (``thresholds.break_*_minutes``)."""
    available: bool = False
    """Waiting for work: counted as available (a group's header, a view's summary)."""
    bold: bool = False
    """Drawn bold as well as in its colour (an unknown code draws the eye)."""
    known: bool = True
    short: str = ""

    @property
    def brief(self) -> str:
        return self.short or self.label

    @property
    def css_class(self) -> str:
        """The style class of cells in this state (``state-break``)."""
        return f"state-{self.category}"

    @property
    def colour(self) -> str:
        """Its colour role: the theme variable that colours it (``$state-break``)."""
        return f"${self.css_class}"


AGENT_STATES: tuple[AgentState, ...] = (
    AgentState(0, "Available", "available", "●", "+", available=True),
    AgentState(1, "Offered", "offered", "◐", "~"),
    AgentState(2, "Busy", "busy", "■", "#"),
    AgentState(3, "Post-processing", "wrap", "◆", "*"),
    AgentState(4, "On break", "break", "‖", "=", on_break=True),
    AgentState(5, "Work offline", "offline", "○", "o"),
    AgentState(9, "Logged out", "logged_out", "·", "."),
)
"""The states of ``agent-status`` in the vendor's order, which is the board's order too."""

UNKNOWN = AgentState(None, "Unknown", "unknown", "?", "?", bold=True, known=False)
"""The state of a code no entry has (labelled ``Unknown (N)`` with its code)."""
NO_STATE = AgentState(None, NO_VALUE, "none", " ", " ", known=False)
"""The state of an agent whose status the server did not send."""

STATE_CATEGORIES: tuple[str, ...] = (*(state.category for state in AGENT_STATES), UNKNOWN.category)
"""Every state a theme colours and the agents filter offers, in table order, unknown last."""

BY_CODE = MappingProxyType({state.code: state for state in AGENT_STATES})
BY_CATEGORY = MappingProxyType({state.category: state for state in (*AGENT_STATES, UNKNOWN)})
LOGGED_OUT = BY_CATEGORY["logged_out"]
POST_PROCESSING = BY_CATEGORY["wrap"]


def unknown_state(code: object) -> AgentState:
    """The state of ``code`` when no entry has it: ``Unknown (7)``, drawn as unknown."""
    return AgentState(code, f"Unknown ({code})", UNKNOWN.category, UNKNOWN.symbol, UNKNOWN.ascii, bold=True, known=False)


def state_symbol(category: str) -> str:
    """The symbol of the state ``category`` (``?`` for any other, as for unknown codes)."""
    found = BY_CATEGORY.get(category)
    return found.symbol if found is not None else UNKNOWN.symbol


def state_style(category: str) -> str:
    """The style class of the state ``category`` (any other is drawn as unknown)."""
    return BY_CATEGORY.get(category, UNKNOWN).css_class
