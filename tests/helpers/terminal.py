"""A tiny terminal screen for tests: enough of VT100 to replay what Textual writes.

Cursor moves (CUP), SGR attributes (kept verbatim per cell) and text; every other
escape sequence is ignored. A wide character takes two cells. Used to check that
partial updates leave the screen exactly as a full repaint would.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_SEQUENCE = re.compile(r"\x1b\[([0-9;?<>=]*)([A-Za-z@])|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]
        self.x = self.y = 0
        self.sgr = ""

    def feed(self, data: str) -> None:
        position = 0
        for match in _SEQUENCE.finditer(data):
            self._text(data[position : match.start()])
            position = match.end()
            params, final = match.group(1), match.group(2)
            if final == "H":
                row, _, column = (params or "1;1").partition(";")
                self.y, self.x = int(row or 1) - 1, int(column or 1) - 1
            elif final == "m":
                self.sgr = "" if params in ("", "0") else params
        self._text(data[position:])

    def _text(self, text: str) -> None:
        for char in text:
            if char in "\r\n":
                continue  # Textual positions every span with a cursor move
            width = cell_len(char)
            if 0 <= self.y < self.height and 0 <= self.x < self.width:
                self.cells[self.y][self.x] = (char, self.sgr)
                if width == 2 and self.x + 1 < self.width:
                    self.cells[self.y][self.x + 1] = ("", self.sgr)
            self.x += width

    def lines(self) -> list[str]:
        return ["".join(char for char, _ in row) for row in self.cells]
