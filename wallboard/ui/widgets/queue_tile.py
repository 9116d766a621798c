"""One queue as a tile: big waiting count, waits, SLA, agents, today and 30 minutes.

The tile updates its labels in place and only when their text changes. Names are
shown as plain text; threshold levels change the border and say so in words.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Digits, Label, Static

from wallboard.core.views import tv_layout
from wallboard.core.views.block_numerals import Scale, figure_margin, render

from wallboard.core.views.queues import QueueText
from wallboard.core.model.thresholds import Level

LEVEL_CLASSES = {Level.OK: "", Level.WARNING: "-warning", Level.ALERT: "-alert"}


LABELS = (
    "sla-caption", "waiting-word", "longest", "sla", "sla-30",
    "agents-working", "agents-away", "today", "thirty", "trend", "status",
)
EXTRA_LABELS = ("trend", "agents-working", "agents-away", "today", "thirty")
"""The lines a TV tile shows only as room allows, in this order (see core.tv_layout)."""


def _mark(widget, level: Level) -> None:
    widget.set_class(level is Level.WARNING, "-warning-text")
    widget.set_class(level is Level.ALERT, "-alert-text")


class QueueTile(Vertical, can_focus=True):
    """A focusable tile; Enter posts :class:`QueueTile.Selected`.

    The tile under the cursor has a double border whatever its level (round: OK or
    warning, heavy: alert), so the cursor is seen by its shape, not only its colour.
    """

    BINDINGS = [Binding("enter", "select", "Details")]

    DEFAULT_CSS = """
    QueueTile {
        height: 11;
        border: round $foreground 40%;
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $foreground 70%;
        padding: 0 1;
        background: $surface;
        &.-warning { border: round $level-warning; }
        &.-alert { border: heavy $level-alert; }
        /* Stale: a dashed border and "stale" in the subtitle; fading the tile would take
           its text below a readable contrast. */
        &.-stale { border: dashed $foreground 70%; }
        &.-stale.-warning { border: dashed $level-warning; }
        &.-stale.-alert { border: dashed $level-alert; }
        &:focus, &.-stale:focus { border: double $primary; background: $primary 10%; }
        &.-warning:focus, &.-stale.-warning:focus { border: double $level-warning; }
        &.-alert:focus, &.-stale.-alert:focus { border: double $level-alert; }
        .top { height: 3; }
        .big { width: auto; height: auto; margin-right: 2; }
        .tv-only, .caption { display: none; }
        .blocks { display: none; width: auto; height: auto; }
        .caption { color: $foreground 70%; width: auto; }
        Digits { width: auto; min-width: 3; }
        .waiting-word { display: none; text-style: bold; }
        .figures { width: 1fr; }
        Label { width: 1fr; height: 1; }
        .-warning-text { color: $level-warning; text-style: bold; }
        .-alert-text { color: $level-alert; text-style: bold; }
        .status { color: $level-ok; }
        .trend { color: $foreground 80%; }
        .status.-warning-text { color: $level-warning; }
        .status.-alert-text { color: $background; background: $level-alert; }
    }
    """

    class Selected(Message):
        def __init__(self, queue_id: str) -> None:
            super().__init__()
            self.queue_id = queue_id

    def __init__(self, queue_id: str, text: QueueText, *, stale: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.queue_id = queue_id
        self._text = text
        # Children are kept by reference: nested containers mount after this widget's
        # Mount event, so querying for them from there can come too early.
        self._digits = {name: Digits("", id=name) for name in ("waiting", "longest", "sla")}
        self._blocks = {name: Static("", classes="blocks", markup=False) for name in ("waiting", "longest", "sla")}
        self._scale: Scale | None = None  # the block numerals' scale in TV mode, when drawn
        self._top = Horizontal(classes="top")
        self._figures = (Vertical(classes="big"), Vertical(classes="big tv-only"), Vertical(classes="big tv-only"))
        self._labels = {name: Label(markup=False, classes=name) for name in LABELS}
        self._labels["sla-caption"].add_class("caption")
        self._shown: dict[str, str] = {}
        self._trend = ""
        self._stale = stale
        self._subtitle_stale = stale
        self._ready = False
        self.set_class(stale, "-stale")

    def compose(self) -> ComposeResult:
        waiting, longest, sla = self._figures
        with self._top:
            with waiting:
                yield self._digits["waiting"]
                yield self._blocks["waiting"]
                yield Label("waiting", classes="caption")
            with longest:
                yield self._digits["longest"]
                yield self._blocks["longest"]
                yield Label("longest wait", classes="caption")
            with sla:
                yield self._digits["sla"]
                yield self._blocks["sla"]
                yield self._labels["sla-caption"]
            with Vertical(classes="figures"):
                for name in ("waiting-word", "longest", "sla", "sla-30"):
                    yield self._labels[name]
        for name in ("agents-working", "agents-away", "today", "thirty", "trend", "status"):
            yield self._labels[name]

    def on_mount(self) -> None:
        self._ready = True
        # the data may have turned stale between creating the tile and mounting it
        self.show(self._text, self._stale, force=True)

    def show(self, text: QueueText, stale: bool = False, force: bool = False) -> None:
        if not force and self._ready and text == self._text and stale == self._stale:
            return  # nothing to do: most queues, most refreshes
        previous, self._text, self._stale = self._text, text, stale
        self.set_class(stale, "-stale")
        if force or text.title != previous.title:
            self.border_title = Content(text.title)
        if force or text.media != previous.media or stale != self._subtitle_stale:
            self._subtitle_stale = stale
            self.border_subtitle = Content(f"STALE · {text.media}" if stale else text.media)
        for cls in ("-warning", "-alert"):
            self.set_class(LEVEL_CLASSES[text.level] == cls, cls)
        self._set_digits("waiting", text.waiting, text.waiting_level)
        self._set_digits("longest", text.longest_value, text.longest_level)
        self._set_digits("sla", text.sla_value, text.sla_level)
        self._set_label("sla-caption", text.sla_caption, text.sla_level)
        self._set_label("waiting-word", f"waiting {text.waiting} · {text.longest}", max(text.waiting_level, text.longest_level))
        self._set_label("longest", f"waiting · {text.longest}", text.longest_level)
        self._set_label("sla", text.sla, text.sla_level)
        self._set_label("sla-30", text.sla_30)
        self._set_label("agents-working", text.agents_working)
        self._set_label("agents-away", text.agents_away)
        self._set_label("today", text.today)
        self._set_label("thirty", text.thirty)
        self._set_label("status", text.status, text.level)
        self._set_label("trend", self._trend)

    def set_trend(self, trend: str) -> None:
        """The waiting and SLA sparklines of the last hour (:mod:`wallboard.core.views.trends`)."""
        self._trend = trend
        if self._ready:
            self._set_label("trend", trend)

    def _set_digits(self, name: str, value: str, level: Level) -> None:
        digits = self._digits[name]
        shown = value if value != "—" else "-"
        if digits.value != shown:
            digits.update(shown)
        _mark(digits, level)
        if self._scale is not None:
            self._set_blocks(name, shown, level)

    def _set_blocks(self, name: str, value: str, level: Level) -> None:
        """The figure in block numerals at the TV plan's scale (only while they are drawn)."""
        assert self._scale is not None
        blocks = self._blocks[name]
        key = f"blocks-{name}"
        drawn = f"{value}@{self._scale.px}x{self._scale.py}"
        if self._shown.get(key) != drawn:
            self._shown[key] = drawn
            blocks.update(Content("\n".join(render(value, self._scale))))
        _mark(blocks, level)

    def _set_label(self, name: str, value: str, level: Level = Level.OK) -> None:
        label = self._labels[name]
        if self._shown.get(name) != value:
            self._shown[name] = value
            label.update(Content(value), layout=False)  # one line of fixed width: no relayout
        _mark(label, level)

    def action_select(self) -> None:
        self.post_message(self.Selected(self.queue_id))

    def big_figures(self) -> tuple[tuple[str, str], ...]:
        """(numerals, caption) of the big figures, as TV mode draws them."""
        text = self._text
        return ((text.waiting, "waiting"), (text.longest_value, "longest wait"), (text.sla_value, text.sla_caption))

    @property
    def status_text(self) -> str:
        return self._text.status

    @property
    def level(self) -> Level:
        return self._text.level

    def set_tv_layout(
        self, mode: str | None, scale: Scale | None = None, extras: int = len(EXTRA_LABELS), status_lines: int = 1
    ) -> None:
        """Block numerals at ``scale``, Digits or words (``mode`` of
        :mod:`wallboard.core.views.tv_layout`; ``None``: not in TV mode), how many of the
        optional lines to show, and the lines the status takes (its words wrap, never cut)."""
        big = None if mode is None else mode != tv_layout.WORDS
        blocks = mode == tv_layout.BLOCK and scale is not None
        self.set_class(mode == tv_layout.DIGITS, "-big")
        self.set_class(blocks, "-blocks")
        self.set_class(mode == tv_layout.WORDS, "-words")
        if blocks and scale != self._scale:
            self._scale = scale
            self._top.styles.height = scale.rows + tv_layout.CAPTION_LINES
            for figure in self._figures:
                figure.styles.margin = (0, figure_margin(scale), 0, 0)
            text = self._text
            self._set_blocks("waiting", text.waiting if text.waiting != "—" else "-", text.waiting_level)
            self._set_blocks("longest", text.longest_value if text.longest_value != "—" else "-", text.longest_level)
            self._set_blocks("sla", text.sla_value if text.sla_value != "—" else "-", text.sla_level)
        elif not blocks and self._scale is not None:
            self._scale = None
            self._top.styles.height = None  # the CSS's again
            for figure in self._figures:
                figure.styles.margin = None
        for index, name in enumerate(EXTRA_LABELS):
            self._labels[name].display = big is None or index < extras
        self._labels["status"].styles.height = status_lines if big is not None else 1

    def on_click(self, event) -> None:
        self.focus()
        if event.chain == 2:
            self.post_message(self.Selected(self.queue_id))
