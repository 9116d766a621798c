"""A real terminal for end-to-end tests: one tmux session on a tmux server of its own."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from pathlib import Path

PATIENCE = 120.0
"""Seconds to wait for the screen before calling the board hung: waits end as soon as the
screen shows what was asked, so this only has to outlast a busy machine."""


class Tmux:
    """One tmux session on a tmux server of its own (``-L``), so server options set here
    (set-clipboard) never touch the tmux of the person running the tests."""

    def __init__(self, width: int, height: int, command: str, record: Path | None = None) -> None:
        self.name = f"wallboard-e2e-{uuid.uuid4().hex[:8]}"
        self.server = ["tmux", "-L", self.name]
        env = {**os.environ, "TERM": "xterm-256color", "WALLBOARD_CONFIG": "", "XDG_CONFIG_HOME": "/nonexistent-wallboard"}
        env.pop("TMUX", None)
        # Hold the command until its terminal has its size: tmux may set the pane's size
        # after the command starts, and on a busy machine a board that read 0x0 (and
        # missed the resize signal while starting) would draw itself at 80x24 for good.
        command = f'while [ "$(stty size 2>/dev/null)" != "{height} {width}" ]; do sleep 0.05; done; exec {command}'
        go = None
        if record is not None:  # hold the command until every byte it writes can be recorded
            go = record.with_suffix(".go")
            command = f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.05; done; {command}"
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

    def wait_for(self, *texts: str, absent: tuple[str, ...] = (), timeout: float = PATIENCE) -> str:
        """The screen, once it shows every one of ``texts`` and none of ``absent``."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts) and not any(text in screen for text in absent):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} did not all appear (or {absent!r} did not go); the screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run([*self.server, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True)

    def wait_closed(self, timeout: float = PATIENCE) -> bool:
        """Wait until the session has ended (the command exited); whether it did."""
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        return not self.alive()
