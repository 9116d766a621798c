"""Cleaning of text that arrives from outside, so it can never drive a terminal.

Every string from a server passes through :func:`clean_text` at the parsing boundary.
Whole escape sequences (CSI, OSC, DCS, ...) are removed first, so an OSC title sequence
does not leave its payload behind as visible junk; then any remaining C0/C1 control,
DEL and bidirectional-override character is dropped, as are zero-width and tag
characters (invisible, of disputed width) and lone UTF-16 surrogates (JSON
can carry them as ``\\ud800`` escapes; a terminal cannot print them). Tabs, newlines and
the Unicode line and paragraph separators become spaces, so a name stays on one line.
Console-markup safety is not handled here: the UI renders names as plain text.
"""

from __future__ import annotations

import re

MAX_TEXT_LENGTH = 256
"""Longest text we keep from one field; longer values are cut with an ellipsis."""

_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?      # CSI ... final
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])                  # OSC, DCS, SOS, PM, APC
    [^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)?              # ... until BEL, ST or a control
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                             # other ESC sequences
    """,
    re.VERBOSE,
)
_WHITESPACE_CONTROLS = re.compile("[\t\n\r\v\f\u2028\u2029]+")
_CONTROLS = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # C0, DEL, C1
    "\u061c\u200e\u200f"  # Arabic letter mark, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2066-\u2069"  # bidi isolates
    "\ufff9-\ufffb"  # interlinear annotation controls
    "\ud800-\udfff"  # lone surrogates (a valid pair never survives JSON decoding as two)
    "\u200b\u200d\u2060-\u2064\ufeff\u180e"  # zero-width space and joiner, word joiner and
    # invisible operators, byte-order mark, Mongolian vowel separator: invisible, and
    # terminals disagree on their width, so columns after them slip
    "\U000e0000-\U000e007f"  # tag characters (invisible; they can smuggle hidden text)
    "]"
)


def clean_text(value: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Return ``value`` with escape sequences and control characters removed.

    Surrounding whitespace is trimmed and the result is cut to ``max_length``
    characters (ending in an ellipsis) so a hostile server cannot make us hold or
    lay out megabytes of one name.
    """
    text = _ESCAPE_SEQUENCE.sub("", value)
    text = _WHITESPACE_CONTROLS.sub(" ", text)
    text = _CONTROLS.sub("", text).strip()
    if len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return text


def has_controls(value: str) -> bool:
    """Whether ``value`` holds any character :func:`clean_text` would drop as a control
    (C0/C1, DEL, bidi overrides); for refusing typed input rather than cleaning it."""
    return _CONTROLS.search(value) is not None
