"""Startup as a user sees it: ``wallboard run`` in a pseudo-terminal, spawn to first data.

The command runs as a person would start it (``python -m wallboard run --realtime-url
URL --tenant demo``, the token in ``WALLBOARD_REALTIME_TOKEN``, no config file) on a
pseudo-terminal of the given size, against a simulator already running in another
process. The figure is the time from spawning it until its output shows the agents bar
counting every agent ("5000 of 5000 agents"): the board draws that bar in the same frame
as the grid's first rows. Everything is in it: the interpreter, the imports, the
command line, the settings, the terminal driver, the first requests, parsing, the frame.

Python compiles each module's bytecode on its first import and keeps it in
``__pycache__`` for later starts (pip does it for installed packages at install time).
:func:`compile_package` does that first, so the figures are those of every start but the
very first after installing; on a machine where bytecode is never written
(``PYTHONDONTWRITEBYTECODE``, a read-only install) each start compiles the package again.

POSIX only (``pty``); elsewhere :func:`measure` returns ``nan``.
"""

from __future__ import annotations

import compileall
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import wallboard

DEADLINE = 30.0


def compile_package() -> None:
    """Write the package's bytecode, as Python itself does on a first start."""
    compileall.compile_dir(str(Path(wallboard.__file__).parent), quiet=1)


def measure(url: str, agents: int, *, size: str = "160x45", starts: int = 5) -> list[float]:
    """Seconds from spawn to the first frame with every agent, for ``starts`` processes."""
    try:
        import fcntl
        import pty  # noqa: F401  (POSIX only)
        import struct
        import termios
    except ImportError:
        return [float("nan")] * starts
    columns, rows = (int(n) for n in size.split("x"))
    compile_package()
    results = []
    with tempfile.TemporaryDirectory() as home:
        env = {key: value for key, value in os.environ.items() if not key.startswith("WALLBOARD_")}
        env.update(
            WALLBOARD_REALTIME_TOKEN="demo",
            WALLBOARD_CONFIG="",  # no config file: the default path under an empty XDG_CONFIG_HOME
            XDG_CONFIG_HOME=home,
            TERM="xterm-256color",
            COLORTERM="truecolor",
        )
        for _ in range(starts):
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            results.append(_one(url, agents, master, slave, env))
            time.sleep(0.5)  # let the last one's exit settle before the next starts
    return results


def _one(url: str, agents: int, master: int, slave: int, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "wallboard", "run", "--realtime-url", url, "--tenant", "demo"]
    shown = re.compile(rb"(?<![0-9])%d of %d agents" % (agents, agents))  # after an escape's "m", no \b
    spawned = time.monotonic()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    painted = float("nan")
    tail = b""
    try:
        while time.monotonic() - spawned < DEADLINE:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            tail = tail[-200:] + chunk
            if shown.search(tail):
                painted = time.monotonic() - spawned
                break
    finally:
        process.terminate()
        _drain(master, process)
        os.close(master)
    return painted


def _drain(master: int, process: subprocess.Popen) -> None:
    """Read until the board has exited: a full pseudo-terminal would keep it from exiting."""
    ends = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < ends:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                if not os.read(master, 1 << 16):
                    break
            except OSError:
                break
    if process.poll() is None:
        process.kill()
    process.wait()
