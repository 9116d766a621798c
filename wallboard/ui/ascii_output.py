"""Everything the board writes to the terminal in ASCII, when the terminal is not UTF-8.

The board's own text, Textual's borders, scrollbars, tab underline, numerals and key
hints all reach the terminal as one string per screen update: :class:`AsciiUpdate`
passes that string through :func:`~wallboard.core.ascii.to_ascii` (escape sequences
are ASCII already), so no widget needs to know. See :mod:`wallboard.core.ascii`.
"""

from __future__ import annotations

from rich.console import Console

from wallboard.core.ascii import to_ascii

try:  # a Textual internal, as in wallboard.ui.partial
    from textual._compositor import CompositorUpdate
except ImportError:  # pragma: no cover
    CompositorUpdate = object  # type: ignore[assignment, misc]


class AsciiUpdate(CompositorUpdate):  # type: ignore[misc, valid-type]
    """A screen update whose text is sent in ASCII."""

    def __init__(self, update) -> None:
        self.update = update

    def render_segments(self, console: Console) -> str:
        return to_ascii(self.update.render_segments(console))

    def __rich_console__(self, console, options):
        for segment in console.render(self.update, options):
            yield segment._replace(text=to_ascii(segment.text)) if segment.text else segment


def plain(renderable: object) -> object:
    """``renderable`` to be sent in ASCII."""
    if renderable is None or not isinstance(renderable, CompositorUpdate):
        return renderable
    return AsciiUpdate(renderable)
