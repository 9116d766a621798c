"""The real `wallboard demo` in a real terminal (tmux): start, switch tabs, drill in and out, quit."""

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    def __init__(self, width: int, height: int, command: str) -> None:
        self.name = f"wallboard-e2e-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "TERM": "xterm-256color", "WALLBOARD_CONFIG": "", "XDG_CONFIG_HOME": "/nonexistent-wallboard"}
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command],
            check=True,
            env=env,
        )

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def title(self) -> str:
        result = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_title}"], capture_output=True, text=True)
        return result.stdout.strip()

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

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
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def demo():
    sessions = []

    def start(width=160, height=45, *args):
        command = " ".join([sys.executable, "-m", "wallboard", "demo", "--seed", "3", *args])
        session = Tmux(width, height, command)
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


def test_hostile_names_cannot_retitle_the_terminal(demo):
    tmux = demo(160, 45, "--hostile-names")
    before = tmux.title()
    screen = tmux.wait_for("● live", "[b red]Mallory[/]", "Unknown (7)")
    time.sleep(1.5)
    assert "pwned" not in tmux.title(), f"the pane title was {before!r} and is now {tmux.title()!r}"
