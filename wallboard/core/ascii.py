"""Plain characters for terminals that are not UTF-8.

A supervisor's SSH session may run in the C/POSIX locale, or a kiosk on a console
set to Latin-1: there ``◐`` ``‖`` ``⏎`` ``▏`` ``╸`` arrive as two or three bytes of
garbage each and every line after them is misaligned. The board then sends only ASCII:
every character it would draw goes through :func:`to_ascii`, which keeps each one's
width (so the layout is the same) and keeps the agent states apart (each state symbol
has its own plain stand-in, so they are never all ``?``).

Whether the terminal is UTF-8 is read from the locale, as every Unix program does:
the first of ``LC_ALL``, ``LC_CTYPE`` and ``LANG`` that is set names the encoding.
``WALLBOARD_ASCII=1`` forces plain characters, ``WALLBOARD_ASCII=0`` forbids them.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Mapping

from rich.cells import cell_len

from wallboard.core.model.states import AGENT_STATES

ASCII_FOR = {
    # agent states: each its own (from the state table), as the symbols are what tells
    # them apart without colour
    **{state.symbol: state.ascii for state in AGENT_STATES},
    # status and connection marks
    "⚡": "*", "▲": "!", "△": "!", "✓": "v", "✖": "x", "↻": "@", "⚠": "!", "…": "~",
    "—": "-", "–": "-", "≥": ">", "≤": "<", "×": "x", "•": "*", "⏎": "<",
    "▼": "v", "▶": ">", "►": ">", "◀": "<", "→": ">", "←": "<", "↑": "^", "↓": "v", "›": ">",
    # bars and blocks: the scrollbar's and progress bar's ends, the tab underline
    "█": "#", "━": "=", "╸": "-", "╺": "-", "╹": "|", "╻": "|",
}
"""Stand-ins for the characters the board draws itself; the rest are worked out by
:func:`_stand_in` (box drawing by its name, accents dropped, anything else ``?``)."""

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_found: dict[str, str] = {}


def to_ascii(text: str) -> str:
    """``text`` in ASCII, each character replaced by one as wide (a wide one by two)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(_replace_run, text)


def _replace_run(match: re.Match) -> str:
    return "".join(_char(char) for char in match.group())


def _char(char: str) -> str:
    found = _found.get(char)
    if found is None:
        found = _found[char] = _stand_in(char)
    return found


def _stand_in(char: str) -> str:
    width = cell_len(char)
    if width == 0:
        return ""  # a combining accent: the letter before it stays
    if char in ASCII_FOR:
        return ASCII_FOR[char].ljust(width)[:width]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:
        return _box(unicodedata.name(char, ""))
    if 0x2580 <= code <= 0x259F:
        return " "  # partial blocks: the ends of scrollbars and bars, drawn by their colour
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii() and c.isprintable())
    if plain and len(plain) == width:
        return plain  # é -> e, ﬁ stays two cells as "fi" only when it is two cells wide
    return "?" * width


def _box(name: str) -> str:
    """A box-drawing character by what its name says it is. A double line (the border of
    the tile under the cursor) is ``#`` all round, so it never looks like a heavy one
    (a tile in alert: ``=`` across, ``|`` down)."""
    if "DOUBLE" in name and "DASH" not in name:
        return "#"
    vertical, horizontal = "VERTICAL" in name, "HORIZONTAL" in name
    if (vertical and horizontal) or "ARC" in name or " AND " in name:
        return "+"
    if horizontal or "LEFT" in name or "RIGHT" in name:
        return "=" if "HEAVY" in name and horizontal and "DASH" not in name else "-"
    if vertical or "UP" in name or "DOWN" in name:
        return "|"
    return "+"


def unicode_terminal(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether the terminal takes UTF-8 (else the board sends only ASCII)."""
    forced = environ.get("WALLBOARD_ASCII", "").strip().lower()
    if forced in ("1", "yes", "true", "on"):
        return False
    if forced in ("0", "no", "false", "off"):
        return True
    if platform == "win32":
        return True  # Windows terminals take Unicode whatever the (absent) locale says
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            codeset = value.partition(".")[2].partition("@")[0].lower().replace("-", "").replace("_", "")
            return codeset == "utf8"
    return False  # no locale: C/POSIX, which is ASCII
