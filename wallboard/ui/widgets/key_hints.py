"""The key hints line at the bottom: the keys of what has focus, as one line of text.

Why not Textual's ``Footer``: it rebuilds one widget per key every time the focus or a
binding changes, and in Textual 8.2 it never frees them (each key binds to the footer's
``compact`` reactive, and that watcher list is only pruned when ``compact`` changes:
Textualize/textual#6666). Every tab switch left a dozen widgets behind, and a TV board
rotating its tabs for days grew by hundreds of MB. This widget draws the same hints as
one line of :class:`~textual.content.Content` and keeps nothing per key but its place,
so a click on a key still presses it.

What it shows follows the focus: the bindings of the focused widget and its ancestors,
then the screen's and the app's, each action once (the focused widget's own first).
A binding whose ``check_action`` says ``False`` is left out; ``None`` shows it dimmed.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DISABLED_STYLE = "$footer-foreground 70%"
DESCRIPTION_STYLE = "$footer-description-foreground"


Hint = tuple[str, str, str, bool]
"""(key, key as shown, description, enabled)."""


class KeyHints(Widget):
    """One line of ``key description`` pairs for the focused widget, the screen and the app."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hints: tuple[Hint, ...] = ()
        self._palette: Hint | None = None  # the command palette's key, drawn on the right
        self._places: list[tuple[int, int, Hint]] = []  # where each hint was drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        app = self.app
        seen: set[str] = set()
        hints: list[Hint] = []
        palette: Hint | None = None
        for key, (_, binding, enabled, _) in screen.active_bindings.items():
            hint = (binding.key, app.get_key_display(binding), binding.description, enabled)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = hint
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                hints.append(hint)
        if (tuple(hints), palette) != (self._hints, self._palette):
            self._hints, self._palette = tuple(hints), palette
            self.refresh()

    @property
    def hints(self) -> tuple[tuple[str, str], ...]:
        """(key as shown, description) of each hint, the command palette's last."""
        every = self._hints + ((self._palette,) if self._palette else ())
        return tuple((display, description) for _, display, description, _ in every)

    def render(self) -> Content:
        """The hints that fit whole, left to right; the palette's on the right edge."""
        width = self.size.width
        pieces: list[tuple[str, str] | str] = []
        self._places = []
        tail = _width(self._palette) if self._palette else 0
        x = 0
        for hint in self._hints:
            if x + _width(hint) > width - tail:
                break
            x = self._add(pieces, hint, x)
        if self._palette and x + tail <= width:
            pieces.append(" " * (width - x - tail))
            self._add(pieces, self._palette, width - tail)
        return Content.assemble(*pieces)

    def _add(self, pieces: list, hint: Hint, x: int) -> int:
        _, display, description, enabled = hint
        pieces.append((f" {display} ", KEY_STYLE if enabled else DISABLED_STYLE))
        if description:
            pieces.append((f"{description} ", DESCRIPTION_STYLE if enabled else DISABLED_STYLE))
        end = x + _width(hint)
        self._places.append((x, end, hint))
        return end

    def on_click(self, event: Click) -> None:
        for start, end, (key, _, _, enabled) in self._places:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key.split(",")[0])
                else:
                    self.app.bell()
                return


def _width(hint: Hint) -> int:
    _, display, description, _ = hint
    return cell_len(display) + 2 + (cell_len(description) + 1 if description else 0)
