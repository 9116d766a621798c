"""Numerals drawn in block characters, as large as a TV tile has room for.

Textual's ``Digits`` are three lines high: on a 1080p TV at a readable font a tile is
twenty lines or more, and three-line figures are lost in it. These numerals come from a
3 x 5 pixel font, each pixel drawn ``px`` cells wide and ``py`` lines high in full
blocks (``█``), so they grow in whole steps: 5 lines (``py`` 1), 10, 15, ... A cell is
about twice as tall as it is wide, so ``px = 2 * py`` draws square pixels and
``px = py`` tall narrow ones (used where the width is short). Nothing here is a new
dependency: the font is the fifteen pixels of each character below.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    ".": (" ", " ", " ", " ", "#"),
    "-": ("   ", "   ", "###", "   ", "   "),
    "%": ("# #", "  #", " # ", "#  ", "# #"),
    " ": ("   ", "   ", "   ", "   ", "   "),
}
"""Pixels of each character, five rows; ``#`` is lit."""
ROWS = 5
BLOCK = "█"
UNKNOWN = "-"
"""Drawn for a character the font lacks (``—`` for no value comes out as a dash)."""


@dataclass(frozen=True, slots=True)
class Scale:
    """Cells per pixel: ``px`` columns by ``py`` lines."""

    px: int
    py: int

    @property
    def rows(self) -> int:
        return ROWS * self.py


def _glyph(char: str) -> tuple[str, ...]:
    return FONT.get(char, FONT[UNKNOWN])


def numeral_width(text: str, scale: Scale) -> int:
    """Cells ``text`` takes at ``scale``: each character's pixels, one pixel's gap between."""
    if not text:
        return 0
    pixels = sum(len(_glyph(char)[0]) for char in text) + (len(text) - 1)
    return pixels * scale.px


def render(text: str, scale: Scale, block: str = BLOCK) -> list[str]:
    """``text`` as ``scale.rows`` lines of blocks and spaces, all of one width."""
    lines: list[str] = []
    gap = " " * scale.px
    for row in range(ROWS):
        pieces = []
        for char in text:
            pixels = _glyph(char)[row]
            pieces.append("".join(block * scale.px if pixel == "#" else " " * scale.px for pixel in pixels))
        line = gap.join(pieces)
        lines.extend([line] * scale.py)
    return lines


SCALES = (*(Scale(px, py) for py in (6, 5, 4, 3, 2) for px in (2 * py, py)), Scale(2, 1))
"""Every scale tried, largest first; at each height the square pixels before the narrow
(but never one cell a pixel: three-cell-wide numerals do not read)."""


def figure_margin(scale: Scale) -> int:
    """Cells between two figures: three pixels' width, so two figures never read as one
    number (a pixel's width is the gap between two characters of the same figure)."""
    return 3 * scale.px


def figures_width(values: tuple[str, ...], scale: Scale, captions: tuple[str, ...] = ()) -> int:
    """Inside width the figures need side by side at ``scale``: each as wide as the wider
    of its numerals and its caption, :func:`figure_margin` between them."""
    margin = figure_margin(scale)
    widths = []
    for index, value in enumerate(values):
        caption = len(captions[index]) if index < len(captions) else 0
        widths.append(max(numeral_width(value, scale), caption))
    return sum(widths) + margin * max(0, len(widths) - 1)


def best_scale(values: tuple[str, ...], captions: tuple[str, ...], width: int, rows: int) -> Scale | None:
    """The largest scale at which ``values`` fit side by side in ``width`` x ``rows`` cells."""
    for scale in SCALES:
        if scale.rows <= rows and figures_width(values, scale, captions) <= width:
            return scale
    return None
