"""Terminals that are not UTF-8: the board sends plain ASCII, laid out as before.

Over SSH in the C locale (or on a Latin-1 console) every non-ASCII character (◐ ‖ ⏎
▏ ╸, borders, numerals) arrived as bytes of garbage. Checked three ways: the pure
mapping; every screen of the board rendered as it would be sent; and the real
``wallboard demo`` under tmux with ``LANG=C``, where every byte written is recorded.
"""

from __future__ import annotations

import shutil
import sys

import pytest
from rich.cells import cell_len

from tests.helpers.board import make_app
from tests.helpers.tmux import Tmux
from wallboard.core.ascii import to_ascii, unicode_terminal
from wallboard.core.model.codes import AGENT_STATUS
from wallboard.ui.app import WallboardApp
from wallboard.ui.ascii_output import plain
from wallboard.ui.widgets.key_hints import KeyHints

pytestmark = pytest.mark.virtual_time


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C.utf8"}, True),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, False),
        ({"LC_CTYPE": "de_DE.ISO-8859-1", "LANG": "de_DE.UTF-8"}, False),
        ({"LANG": "C"}, False),
        ({"LANG": "POSIX"}, False),
        ({}, False),
        ({"LANG": "C", "WALLBOARD_ASCII": "0"}, True),
        ({"LANG": "en_GB.UTF-8", "WALLBOARD_ASCII": "1"}, False),
    ],
)
def test_the_locale_says_whether_the_terminal_takes_utf8(environ, expected):
    assert unicode_terminal(environ, platform="linux") is expected


def test_windows_terminals_take_unicode():
    assert unicode_terminal({}, platform="win32")


def test_plain_characters_keep_widths_and_tell_the_states_apart():
    symbols = [entry.symbol for entry in AGENT_STATUS]
    plain_symbols = [to_ascii(symbol) for symbol in symbols]
    assert all(symbol.isascii() and len(symbol) == 1 for symbol in plain_symbols)
    assert len(set(plain_symbols)) == len(symbols), dict(zip(symbols, plain_symbols))
    for text in ("◐ ‖ ⏎ ▏ ╸", "╭─╮│╰─╯╔═╗┏━┓", "José Müller", "漢字 名前", "▲ ALERT: 3:20 ≥ 3:00", "e\u0301"):
        converted = to_ascii(text)
        assert converted.isascii() and len(converted) == cell_len(text), (text, converted)
    assert to_ascii("╔═╗") != to_ascii("┏━┓"), "the cursor's double border is not an alert's heavy one"


def ascii_board(**settings) -> WallboardApp:
    return make_app(app_options={"ascii": True}, **settings)


def sent(app) -> str:
    """The whole screen as the board would write it to the terminal."""
    return plain(app.screen._compositor.render_update(full=True)).render_segments(app.console)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_is_sent_in_ascii(size):
    app = ascii_board()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screens = {"agents": sent(app)}
        assert "Enter" in [display for display, _ in app.screen.query_one(KeyHints).hints]
        for name, keys in (("detail", ("down", "enter")), ("queues", ("escape", "2")), ("tv", ("t",)),
                           ("historical", ("t", "3")), ("keys", ("question_mark",))):
            await pilot.press(*keys)
            await pilot.pause(0.2)
            screens[name] = sent(app)
    for name, text in screens.items():
        assert text.isascii(), f"{name}: {sorted({c for c in text if not c.isascii()})}"
    assert "+ Available" in screens["agents"] or "+ Available" in screens["detail"]


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_demo_in_the_c_locale_writes_only_ascii(tmp_path):
    written = tmp_path / "pane.bytes"
    command = f"env -u WALLBOARD_ASCII LANG=C LC_ALL=C {sys.executable} -m wallboard demo --seed 3"
    tmux = Tmux(100, 30, command, record=written)
    try:
        screen = tmux.wait_for("+ live", "In state", "Enter Details")
        assert "# Busy" in screen or "+ Available" in screen
        CLOSES = "this help / quit"  # a line of the help screen ("? Keys" is in every footer)
        # each screen, waited for until it is drawn (so its bytes are in the recording); Escape
        # goes alone, as a person presses it (with a key after it, it reads as Alt+key)
        steps = [("2", ("Sales",), ()), ("Enter", ("Queue id",), ()), ("Escape", (), ("Queue id",)),
                 ("t", ("Sales",), ()), ("t", (), ()), ("3", ("Fetch",), ()), ("?", (CLOSES,), ()), ("Escape", (), (CLOSES,))]
        for key, shown, gone in steps:
            tmux.keys(key)
            tmux.wait_for(*shown, absent=gone)
        tmux.keys("q")
        assert tmux.wait_closed()
    finally:
        tmux.close()
    output = written.read_bytes()
    assert b"Busy" in output or b"Available" in output
    strays = {byte for byte in output if byte >= 0x80}
    assert not strays, f"{len(strays)} kinds of non-ASCII bytes were written, e.g. {sorted(strays)[:8]}"
