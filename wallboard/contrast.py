"""Contrast of text against its background (WCAG 2): what makes a screen readable.

Pure arithmetic on sRGB triplets, used by the tests that check every theme and every
colour the widgets draw with (see ``tests/test_contrast.py``), and by anyone making a
theme: at least :data:`MINIMUM` for text, which is WCAG's AA level for body text.
"""

from __future__ import annotations

RGB = tuple[int, int, int]
MINIMUM = 4.5


def parse_hex(value: str) -> RGB:
    """``#RRGGBB`` or ``#RGB`` as a triplet."""
    digits = value.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """From 1 (the same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(colour: RGB, under: RGB, alpha: float) -> RGB:
    """``colour`` at ``alpha`` over ``under``, as Textual draws ``$colour 60%``."""
    return tuple(round(u + (c - u) * alpha) for c, u in zip(colour, under))  # type: ignore[return-value]
