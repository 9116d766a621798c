"""The real `wallboard demo` in a real terminal (tmux): start, switch tabs, drill in and out, quit."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One tmux session on a tmux server of its own (``-L``), so server options set here
    (set-clipboard) never touch the tmux of the person running the tests."""

    def __init__(self, width: int, height: int, command: str, record: Path | None = None) -> None:
        self.name = f"wallboard-e2e-{uuid.uuid4().hex[:8]}"
        self.server = ["tmux", "-L", self.name]
        env = {**os.environ, "TERM": "xterm-256color", "WALLBOARD_CONFIG": "", "XDG_CONFIG_HOME": "/nonexistent-wallboard"}
        env.pop("TMUX", None)
        go = None
        if record is not None:  # hold the command until every byte it writes can be recorded
            go = record.with_suffix(".go")
            command = f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.05; done; exec {command}"
        subprocess.run(
            [*self.server, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command],
            check=True,
            env=env,
        )
        if record is not None:
            self.tmux("set-option", "-s", "set-clipboard", "on")  # OSC 52 from the app would make a buffer
            self.tmux("pipe-pane", "-o", "-t", self.name, f"cat >> {shlex.quote(str(record))}")
            go.touch()

    def tmux(self, *args: str) -> str:
        return subprocess.run([*self.server, *args], capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def title(self) -> str:
        return self.tmux("display-message", "-p", "-t", self.name, "#{pane_title}").strip()

    def buffers(self) -> str:
        return self.tmux("list-buffers")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.server, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} did not all appear; the screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run([*self.server, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True)


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
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive(), "q quits the board (and the demo with it)"


def test_demo_fetches_historical_reports_from_the_simulator(demo):
    tmux = demo(160, 45)
    tmux.wait_for("● live", "In state")
    tmux.keys("3")
    screen = tmux.wait_for("Report", "Company summary", "Fetch")
    assert "demo-pbx" not in screen, "nothing is fetched before it is asked for"
    tmux.keys("Enter")  # Fetch has the focus: yesterday's company summary
    screen = tmux.wait_for("2 PBXs", "demo-pbx2", "Total")
    assert "Sign in" not in screen, "the demo needs no analytics credentials"
    for keys in (["BTab"] * 7, ["Enter"], ["Down", "Down"], ["Enter"], ["Tab"] * 6, ["Enter"]):  # Ring-group summary
        tmux.keys(*keys)
        time.sleep(0.5)  # a person waits for the list to open before moving in it
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
    tmux.wait_for("[reverse]Fraud[/] Queue")
    time.sleep(1.5)
    assert tmux.title() == before, f"the pane title was {before!r} and is now {tmux.title()!r}"
    assert tmux.buffers() == "", "nothing reached the clipboard"
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
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
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive()
