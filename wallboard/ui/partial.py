"""Send only the changed part of a line to the terminal.

When a widget refreshes a region in the middle of a line (the ticking "in state"
column), Textual 8 renders the region correctly but writes the line from the widget's
left edge to the region's right edge (Textualize/textual#5625): on a 160-column agents
grid, a 9-cell timer costs ~70 cells per row per second, most of a full repaint over a
slow SSH link. :func:`trim` rewrites such an update to start at the first segment that
reaches the region (segment edges are character edges, so a wide character is never
split), with the same cells on screen afterwards.
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control

try:  # a Textual internal: without it, updates go out as Textual renders them
    from textual._compositor import ChopsUpdate
except ImportError:  # pragma: no cover
    ChopsUpdate = None  # type: ignore[assignment, misc]


def _move_to(x: int, y: int) -> str:
    return Control.move_to(x, y).segment.text


if ChopsUpdate is not None:

    class TrimmedChopsUpdate(ChopsUpdate):  # type: ignore[misc, valid-type]
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

else:  # pragma: no cover
    TrimmedChopsUpdate = None  # type: ignore[assignment, misc]


def trim(renderable: object) -> object:
    """``renderable`` as a :class:`TrimmedChopsUpdate` when it is a plain ChopsUpdate."""
    if TrimmedChopsUpdate is not None and type(renderable) is ChopsUpdate:
        return TrimmedChopsUpdate(renderable.chops, renderable.spans, renderable.chop_ends)  # type: ignore[attr-defined]
    return renderable
