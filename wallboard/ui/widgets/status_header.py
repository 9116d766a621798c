"""The always-visible header line and the STALE / refused banner under it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from wallboard.core.codes import AGENT_STATUS
from wallboard.core.status import Part, fit_parts

SYMBOL_CATEGORY = {entry.symbol: entry.category for entry in AGENT_STATUS}

SEPARATOR = " │ "
PART_STYLES = {
    "title": "bold $accent",
    "clock": "bold $foreground",
    "dim": "$foreground 70%",
    "stale": "bold $background on $level-stale",
    "alert": "bold $level-alert",
    "warning": "bold $level-warning",
    "ok": "$level-ok",
    "states": "$foreground",
    "waiting": "bold $foreground",
    "longest": "$foreground",
}


class StatusHeader(Static):
    """Tenant, clock, data time, connection state and totals, fitted to the width."""

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        &.-stale { background: $level-stale 30%; }
        &.-refused { background: $level-alert 30%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._parts: list[Part] = []
        self._shown: Content | None = None

    def show(self, parts: list[Part], stale: bool, refused: bool) -> None:
        self._parts = parts
        self.set_class(stale, "-stale")
        self.set_class(refused, "-refused")
        self._render_parts()

    def on_resize(self) -> None:
        self._render_parts()

    def _render_parts(self) -> None:
        width = max(10, self.size.width - 2) if self.size.width else 200
        pieces: list[str | tuple[str, str]] = []
        for i, part in enumerate(fit_parts(self._parts, width, SEPARATOR)):
            if i:
                pieces.append((SEPARATOR, "$foreground 40%"))
            if part.style == "states":
                pieces.extend(_state_pieces(part.text))
            else:
                pieces.append((part.text, PART_STYLES.get(part.style, "")))
        content = Content.assemble(*pieces)
        if content != self._shown:
            self._shown = content
            self.update(content)


def _state_pieces(text: str) -> list[str | tuple[str, str]]:
    """Colour each ``symbol+count`` of the agents-per-state part in its state's colour."""
    pieces: list[str | tuple[str, str]] = []
    for i, item in enumerate(text.split(" ")):
        if i:
            pieces.append(" ")
        category = SYMBOL_CATEGORY.get(item[:1], "unknown")
        pieces.append((item, f"$state-{category}"))
    return pieces


class StaleBanner(Static):
    """A loud band that appears only when data is stale or credentials were refused."""

    DEFAULT_CSS = """
    StaleBanner {
        height: auto;
        min-height: 1;
        padding: 0 1;
        background: $level-stale;
        color: $background;
        text-style: bold;
        display: none;
        &.-visible { display: block; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._text: str | None = None

    def show(self, text: str | None) -> None:
        if text == self._text:
            return
        self._text = text
        self.set_class(text is not None, "-visible")
        self.update(Content(text or ""))
