"""The always-visible header line and the STALE / refused banner under it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from wallboard.core.model.states import AGENT_STATES, UNKNOWN
from wallboard.core.views.header import Part, banner, fit_parts, header_parts
from wallboard.core.views.totals import Totals, totals

if TYPE_CHECKING:
    from wallboard.ui.context import BoardContext, Moment

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
    **{state.css_class: state.colour for state in (*AGENT_STATES, UNKNOWN)},
}
"""Theme styles for the style classes of the header's parts and pieces."""


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

    def __init__(
        self, context: BoardContext | None = None, *, title: Callable[[], str | None] = lambda: None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.context = context
        self.title_of = title
        """A word after the tenant (the tab shown, in TV mode), or ``None``."""
        self._parts: list[Part] = []
        self._shown: Content = Content("")
        self._totals: tuple[tuple, tuple, Totals, bool] | None = None

    def render(self) -> Content:
        return self._shown

    def show_moment(self, moment: Moment) -> None:
        """The header for ``moment``: the tenant, the clocks, the feeds' state, the totals."""
        context = self.context
        if context is None:
            return
        snapshot = moment.snapshot
        parts = header_parts(
            context.settings.tenant, snapshot, self._totals_of(snapshot), moment.wall, moment.mono, context.zone, context.syncs()
        )
        title = self.title_of()
        if title:
            parts.insert(1, Part(title, "title", 1))
        self.show(parts, bool(snapshot.stale_feeds(moment.mono)), snapshot.refused is not None)

    def _totals_of(self, snapshot) -> Totals:
        """Totals of ``snapshot``, counted once per set of records (the header asks every second)."""
        agents, queues = snapshot.agents.records, snapshot.queues.records
        serving = self.context is not None and self.context.views.current.serving
        cached = self._totals
        if cached is None or cached[0] is not agents or cached[1] is not queues or cached[3] != serving:
            cached = self._totals = (agents, queues, totals(agents, queues, from_queues=serving), serving)
        return cached[2]

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
            if part.spans:  # pieces styled each their own way; the gaps between them plain
                pieces.extend((text, PART_STYLES.get(style, "")) if style else text for text, style in part.spans)
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

    def show_moment(self, moment: Moment) -> None:
        self.show(banner(moment.snapshot, moment.mono))

    def show(self, text: str | None) -> None:
        if text == self._text:
            return
        self._text = text
        self.set_class(text is not None, "-visible")
        self.update(Content(text or ""))
