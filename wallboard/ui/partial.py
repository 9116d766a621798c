"""Send only the changed part of a line to the terminal: the one place the board reaches
into Textual's private output path.

When a widget refreshes a region in the middle of a line (the ticking "in state"
column), Textual 8 renders the region correctly but writes the line from the widget's
left edge to the region's right edge (Textualize/textual#5625, still so in 8.2): on a
160-column agents grid, a 9-cell timer costs ~70 cells per row per second, most of a
full repaint over a slow SSH link. :class:`TrimmedChopsUpdate` writes such an update
from the first segment that reaches the region (segment edges are character edges, so a
wide character is never split), with the same cells on screen afterwards.

What this takes from Textual, none of it public, all of it here and nowhere else:
``textual._compositor.ChopsUpdate`` and ``CompositorUpdate`` (the screen update types
and their fields) and ``App._display(screen, renderable)``, the one call every screen
update goes through (:class:`OutputHook` overrides it; the App mixes it in and says in
:meth:`OutputHook.output` what to do with each update: trim it, and on a terminal
that is not UTF-8, send it in ASCII, :mod:`wallboard.ui.ascii_output`).

Why not a public route: Textual offers none for what is written to the terminal per
update (a driver's ``write`` sees one string of escape sequences, too late to trim), and
a widget boundary at the ticking column would split the agents grid (one DataTable-like
widget with a cursor, a scroll and column widths shared by every row) into two widgets
kept in step by hand, for the sake of an upstream defect. So the hook stays, fenced in:

* ``pyproject.toml`` pins Textual to the minor version this module was checked against
  (:data:`CHECKED_TEXTUAL`);
* :func:`problems` names every assumption above that no longer holds, and
  ``tests/test_textual_hook.py`` fails loudly with those names, and when the pin and
  :data:`CHECKED_TEXTUAL` disagree, and when Textual itself starts writing from the
  region's start (the hook is no longer needed: remove it);
* at run time a Textual that breaks the hook costs bytes, never the board: updates go
  out as Textual renders them.
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.console import Console
from rich.control import Control

CHECKED_TEXTUAL = (8, 2)
"""The Textual minor version this module was checked against (``pyproject.toml`` pins it)."""

try:
    from textual._compositor import ChopsUpdate, CompositorUpdate
except ImportError:  # pragma: no cover - tests/test_textual_hook.py fails on this
    ChopsUpdate = CompositorUpdate = None  # type: ignore[assignment, misc]


def _move_to(x: int, y: int) -> str:
    return Control.move_to(x, y).segment.text


class TrimmedChopsUpdate(ChopsUpdate or object):  # type: ignore[misc]
    """A ChopsUpdate that writes each span from its start, not from the widget's edge."""

    def render_segments(self, console: Console) -> str:
        sequences: list[str] = []
        append = sequences.append
        chops, chop_ends = self.chops, self.chop_ends
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            line = chops[y]
            ends = chop_ends[y]
            for end, (x, strip) in zip(ends, line.items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                if x2 > x >= x1 and end <= x2:
                    append(_move_to(x, y))
                    append(strip.render(console))
                    continue
                start = x
                if x < x1:
                    for segment in strip:
                        width = segment.cell_length
                        if start + width > x1:
                            break
                        start += width
                append(_move_to(start, y))
                append(strip.crop(start - x, min(end, x2) - x).render(console))
            if y != last_y:
                append("\n")
        return "".join(sequences)


def trim(renderable: object) -> object:
    """``renderable`` as a :class:`TrimmedChopsUpdate` when it is a plain ChopsUpdate."""
    if ChopsUpdate is not None and type(renderable) is ChopsUpdate:
        return TrimmedChopsUpdate(renderable.chops, renderable.spans, renderable.chop_ends)
    return renderable


def is_screen_update(renderable: object) -> bool:
    """``renderable`` is one of Textual's screen updates (turned to escape sequences by
    ``render_segments``), not any other Rich renderable."""
    return CompositorUpdate is not None and isinstance(renderable, CompositorUpdate)


class OutputHook:
    """Mixed into the App before :class:`textual.app.App`: every screen update passes
    through :meth:`output` on its way to the terminal."""

    def output(self, renderable: Any) -> Any:
        """What to send instead of ``renderable`` (the App's own rules)."""
        return trim(renderable)

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, self.output(renderable))  # type: ignore[misc]


def problems() -> list[str]:
    """Every assumption this module makes of Textual that no longer holds (empty: all hold)."""
    import textual
    from textual.app import App
    from textual.screen import Screen

    found: list[str] = []
    version = tuple(int(part) for part in textual.__version__.split(".")[:2])
    if version != CHECKED_TEXTUAL:
        found.append(f"Textual {textual.__version__} is not the {CHECKED_TEXTUAL[0]}.{CHECKED_TEXTUAL[1]} this hook was checked against")
    if ChopsUpdate is None or CompositorUpdate is None:
        return [*found, "textual._compositor.ChopsUpdate / CompositorUpdate are gone"]
    if not issubclass(ChopsUpdate, CompositorUpdate):
        found.append("ChopsUpdate is no longer a CompositorUpdate")
    init = list(inspect.signature(ChopsUpdate.__init__).parameters)
    if init != ["self", "chops", "spans", "chop_ends"]:
        found.append(f"ChopsUpdate takes {init[1:]}, not (chops, spans, chop_ends)")
    if "render_segments" not in vars(ChopsUpdate):
        found.append("ChopsUpdate.render_segments is gone")
    display = getattr(App, "_display", None)
    if display is None or list(inspect.signature(display).parameters) != ["self", "screen", "renderable"]:
        found.append("App._display(screen, renderable) is gone or changed")
    elif "render_segments" not in inspect.getsource(display):
        found.append("App._display no longer turns updates into text with render_segments")
    if "app._display(" not in inspect.getsource(Screen):
        found.append("screens no longer send their updates through App._display")
    return found
