"""The always-visible header line and the STALE / refused banner under it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
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


class StatusHeader(Widget):
    """Tenant, clock, data time, connection state and totals, fitted to the width.

    Stale or refused data is said by the header's own STALE part and the banner under
    it; the header's background stays the panel's, as a tint would take the coloured
    state counts on it below a readable contrast.

    It changes every second (the clock, the data's age), usually in a few cells: only
    the cells from the first to the last that differ are repainted.
    """

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: list[Part] = []
        self._shown: Content = Content("")

    def render(self) -> Content:
        return self._shown

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
            previous, self._shown = self._shown, content
            # regions are relative to the content area (inside the padding)
            for start, end in changed_runs(previous, content):
                self.refresh(Region(start, 0, end - start, 1))


def _cells(content: Content) -> list[tuple[str, object]]:
    """(character, style) for each character of ``content``."""
    styles: list[object] = [None] * len(content.plain)
    for span in content.spans:
        for i in range(span.start, min(span.end, len(styles))):
            styles[i] = (styles[i], span.style)
    return list(zip(content.plain, styles))


MERGE_GAP = 4
"""Unchanged cells between two changes that are cheaper to resend than to skip."""


def changed_runs(before: Content, after: Content) -> list[tuple[int, int]]:
    """The cell ranges [start, end) that differ between two one-line contents.

    When the text keeps its length (a ticking clock and age), each changed run is its own
    range, so the clock and the age are sent without the text between them; otherwise
    one range from the first change to the last.
    """
    old, new = _cells(before), _cells(after)
    if old == new:
        return []
    if len(old) != len(new) or cell_len(before.plain) != len(old) or cell_len(after.plain) != len(new):
        span = changed_cells(before, after)
        return [span] if span is not None else []
    runs: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(zip(old, new)):
        if a == b:
            continue
        if runs and i - runs[-1][1] <= MERGE_GAP:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def changed_cells(before: Content, after: Content) -> tuple[int, int] | None:
    """The cell range [start, end) that differs between two one-line contents.

    A common tail is skipped only when both contents have the same width: otherwise it
    sits at other cells (a part dropped or added shifts everything after it), and what
    the longer one left beyond the shorter one's end must be cleared too.
    """
    old, new = _cells(before), _cells(after)
    if old == new:
        return None
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = cell_len(after.plain[:first])
    if cell_len(before.plain) != cell_len(after.plain):
        return start, max(cell_len(before.plain), cell_len(after.plain), start + 1)
    tail = 0
    while tail < min(len(old), len(new)) - first and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    end = max(cell_len(before.plain[: len(old) - tail]), cell_len(after.plain[: len(new) - tail]))
    return start, max(end, start + 1)


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
