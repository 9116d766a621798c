"""One queue as a tile: big waiting count, waits, SLA, agents, today and 30 minutes.

The tile updates its labels in place and only when their text changes. Names are
shown as plain text; threshold levels change the border and say so in words.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Digits, Label

from wallboard.core.queue_view import QueueText
from wallboard.core.thresholds import Level

LEVEL_CLASSES = {Level.OK: "", Level.WARNING: "-warning", Level.ALERT: "-alert"}


class QueueTile(Vertical, can_focus=True):
    """A focusable tile; Enter posts :class:`QueueTile.Selected`."""

    DEFAULT_CSS = """
    QueueTile {
        height: 11;
        border: round $foreground 40%;
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $foreground 70%;
        padding: 0 1;
        background: $surface;
        &:focus { border: round $primary; background: $primary 10%; }
        &.-warning { border: round $level-warning; }
        &.-alert { border: heavy $level-alert; }
        &.-warning:focus { border: double $level-warning; }
        &.-alert:focus { border: double $level-alert; }
        &.-stale { opacity: 70%; }
        .top { height: 3; }
        .big { width: auto; height: auto; margin-right: 2; }
        .tv-only, .caption { display: none; }
        .caption { color: $foreground 70%; width: auto; }
        Digits { width: auto; min-width: 3; }
        .waiting-word { display: none; text-style: bold; }
        .figures { width: 1fr; }
        Label { width: 1fr; height: 1; }
        .-warning-text { color: $level-warning; text-style: bold; }
        .-alert-text { color: $level-alert; text-style: bold; }
        .status { color: $level-ok; }
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
        self._stale = stale
        self._ready = False
        self.set_class(stale, "-stale")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="top"):
            with Vertical(classes="big"):
                yield Digits("", id="waiting")
                yield Label("waiting", classes="caption")
            with Vertical(classes="big tv-only"):
                yield Digits("", id="longest")
                yield Label("longest wait", classes="caption")
            with Vertical(classes="big tv-only"):
                yield Digits("", id="sla")
                yield Label("", classes="caption sla-caption", markup=False)
            with Vertical(classes="figures"):
                yield Label(markup=False, classes="waiting-word")
                yield Label(markup=False, classes="longest")
                yield Label(markup=False, classes="sla")
                yield Label(markup=False, classes="sla-30")
        yield Label(markup=False, classes="agents-working")
        yield Label(markup=False, classes="agents-away")
        yield Label(markup=False, classes="today")
        yield Label(markup=False, classes="thirty")
        yield Label(markup=False, classes="status")

    def on_mount(self) -> None:
        self._ready = True
        # the data may have turned stale between creating the tile and mounting it
        self.show(self._text, self._stale, force=True)

    def show(self, text: QueueText, stale: bool = False, force: bool = False) -> None:
        previous, self._text, self._stale = self._text, text, stale
        self.set_class(stale, "-stale")
        if not self._ready:
            return
        if force or text.title != previous.title:
            self.border_title = Content(text.title)
        if force or text.media != previous.media:
            self.border_subtitle = Content(text.media)
        for cls in ("-warning", "-alert"):
            self.set_class(LEVEL_CLASSES[text.level] == cls, cls)
        self._digits("#waiting", text.waiting, text.waiting_level)
        self._digits("#longest", text.longest_value, text.longest_level)
        self._digits("#sla", text.sla_value, text.sla_level)
        self._label("sla-caption", text.sla_caption, text.sla_level, force, previous)
        self._label("waiting-word", f"waiting {text.waiting} · {text.longest}", max(text.waiting_level, text.longest_level), force, previous)
        self._label("longest", f"waiting · {text.longest}", text.longest_level, force, previous)
        self._label("sla", text.sla, text.sla_level, force, previous)
        self._label("sla-30", text.sla_30, Level.OK, force, previous)
        self._label("agents-working", text.agents_working, Level.OK, force, previous)
        self._label("agents-away", text.agents_away, Level.OK, force, previous)
        self._label("today", text.today, Level.OK, force, previous)
        self._label("thirty", text.thirty, Level.OK, force, previous)
        self._label("status", text.status, text.level, force, previous)

    def _digits(self, selector: str, value: str, level: Level) -> None:
        digits = self.query_one(selector, Digits)
        shown = value if value != "—" else "-"
        if digits.value != shown:
            digits.update(shown)
        digits.set_class(level is Level.WARNING, "-warning-text")
        digits.set_class(level is Level.ALERT, "-alert-text")

    def _label(self, cls: str, value: str, level: Level, force: bool, previous: QueueText) -> None:
        label = self.query_one(f".{cls}", Label)
        if force or getattr(label, "_shown", None) != value:
            label._shown = value  # type: ignore[attr-defined]
            label.update(Content(value))
        label.set_class(level is Level.WARNING, "-warning-text")
        label.set_class(level is Level.ALERT, "-alert-text")

    def on_key(self, event) -> None:
        if event.key == "enter":
            event.stop()
            self.post_message(self.Selected(self.queue_id))

    def on_click(self, event) -> None:
        self.focus()
        if event.chain == 2:
            self.post_message(self.Selected(self.queue_id))
