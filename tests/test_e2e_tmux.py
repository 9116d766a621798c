"""The real `wallboard demo` in a real terminal (tmux): start, switch tabs, drill in and out, quit.

Every step waits for the screen to show what it expects (never for a time), so a busy
machine makes these slower, never wrong.
"""

import re
import shutil
import sys

import pytest

from tests.helpers.tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def demo():
    sessions = []

    def start(width=160, height=45, *args, record=None):
        command = " ".join([sys.executable, "-m", "wallboard", "demo", "--seed", "3", *args])
        session = Tmux(width, height, command, record)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


def test_demo_drives_like_a_supervisor(demo):
    tmux = demo(160, 45)
    screen = tmux.wait_for("● live", "In state", "Line 2", "agents · sort: name")
    assert "demo" in screen.splitlines()[0]
    assert any(word in screen for word in ("Available", "Busy", "On break"))

    tmux.keys("2")
    screen = tmux.wait_for("acc ·")
    assert "Sales" in screen and "Phone" in screen

    tmux.keys("Enter")
    screen = tmux.wait_for("Queue id")
    assert "Last 30 min" in screen

    tmux.keys("Escape")
    tmux.wait_for("acc ·")
    tmux.keys("1")
    tmux.wait_for("In state")
    tmux.keys("Down", "Enter")
    screen = tmux.wait_for("Login id")
    assert "Utilisation" in screen

    tmux.keys("Escape")
    tmux.wait_for("In state")
    tmux.keys("q")
    assert tmux.wait_closed(), "q quits the board (and the demo with it)"


def test_demo_fetches_historical_reports_from_the_simulator(demo):
    tmux = demo(160, 45)
    tmux.wait_for("● live", "In state")
    tmux.keys("3")
    screen = tmux.wait_for("Report", "Company summary", "Fetch")
    assert "demo-pbx" not in screen, "nothing is fetched before it is asked for"
    tmux.keys("Enter")  # Fetch has the focus: yesterday's company summary
    screen = tmux.wait_for("2 PBXs", "demo-pbx2", "Total")
    assert "Sign in" not in screen, "the demo needs no analytics credentials"
    tmux.keys(*["BTab"] * 7, "Enter")  # back to the report's list, and open it
    tmux.wait_for("Extension summary", "Ring-group summary", "Call legs")  # a person waits for the list to open
    tmux.keys("Down", "Down", "Enter")  # Ring-group summary
    tmux.wait_for("Ring-group summary", absent=("Call legs",))  # and for it to close
    tmux.keys(*["Tab"] * 6, "Enter")
    tmux.wait_for("ring groups · Enter: members", "Avg in group")
    tmux.keys("Enter")
    tmux.wait_for("Ring-group summary ›", ": members", "Offered", "Advanced")
    tmux.keys("Escape")
    screen = tmux.wait_for("ring groups · Enter: members")
    assert "›" not in screen, "back on the ring groups"
    tmux.keys("1")
    tmux.wait_for("agents · sort: name")


def test_demo_reads_at_80x24(demo):
    tmux = demo(80, 24)
    screen = tmux.wait_for("● live", "In state", "agents · sort")
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    assert "In state" in screen
    tmux.keys("?")
    tmux.wait_for("Keys")


def test_hostile_names_cannot_retitle_the_terminal(demo, tmp_path):
    """Names carrying OSC title and clipboard sequences, CSI colours, C1 and bidi controls:
    the terminal's title, colours and clipboard stay as they were, because not one byte of
    those sequences is ever written to it (every byte the board writes is recorded)."""
    written = tmp_path / "pane.bytes"
    tmux = demo(160, 45, "--hostile-names", record=written)
    before = tmux.title()
    screen = tmux.wait_for("● live", "[b red]Mallory[/]", "Unknown (7)", "Eve Osc", "Red Trudy", "C1 Carol")
    assert "Bidi evil Bob" in screen
    tmux.keys("2")  # the queue whose name carries an OSC 52 clipboard write
    tmux.wait_for("[reverse]Fraud[/] Queue")  # drawn: whatever came with it has reached the terminal
    assert tmux.title() == before, f"the pane title was {before!r} and is now {tmux.title()!r}"
    assert tmux.buffers() == "", "nothing reached the clipboard"
    tmux.keys("q")
    assert tmux.wait_closed()
    output = written.read_bytes()

    assert b"Eve Osc" in output and b"Fraud" in output, "the hostile names were drawn"
    for payload in (b"pwned", b"aGk=", b"\x1b[31;1mRed", b"\x9b2J", b"\xc2\x9b", "\u202e".encode()):
        assert payload not in output, payload
    # the only OSC sequences the board writes are Textual's own (pointer shape, links)
    assert set(re.findall(rb"\x1b\](\d*)", output)) <= {b"22", b"8"}, set(re.findall(rb"\x1b\](\d*)", output))


def test_demo_on_the_v5_source_with_push(demo):
    tmux = demo(160, 45, "--source", "cc-realtime", "--events")
    screen = tmux.wait_for("● live", "⚡ push", "In state")
    assert any(word in screen for word in ("Available", "Busy", "On break"))
    tmux.keys("2")
    screen = tmux.wait_for("acc ·")
    assert "SLA 15m" in screen  # the tile's v5 interval line
    tmux.keys("Enter")
    screen = tmux.wait_for("Queue id", "Intervals", "Service level")
    assert "15 min" in screen and "12 h" in screen
    tmux.keys("q")
    assert tmux.wait_closed()
