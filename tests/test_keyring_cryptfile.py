"""The README's advice for machines without a keyring, ``keyrings.cryptfile``, in the real board.

Its password prompt used to print over the interactive board from a worker thread, and
the keystrokes went to the board. Now wallboard asks for that password itself: on the
terminal before the board starts when the encrypted file exists, and on the setup
screen (twice, to choose it) when the first secret is saved into a new file. Each test
runs the real ``wallboard run`` in tmux against the simulator, with the keyring file in
a directory of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import time

import pytest

from tests.helpers.keyring import ROOT
from tests.helpers.tmux import Tmux
from wallboard.sim.simulator import DEMO_TOKEN, Simulator

cryptfile = pytest.importorskip("keyrings.cryptfile.cryptfile")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BACKEND = "keyrings.cryptfile.cryptfile.CryptFileKeyring"
PASSWORD = "correct horse 42"


def keyring_in(data_home, monkeypatch):
    """The cryptfile keyring whose file lives under ``data_home`` (as the board will see it)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    backend = cryptfile.CryptFileKeyring()
    return backend, backend.file_path


def board_command(data_home, url) -> str:
    env = f"env -u WALLBOARD_REALTIME_TOKEN PYTHON_KEYRING_BACKEND={BACKEND} XDG_DATA_HOME={data_home} PYTHONPATH={ROOT}"
    return f"sh -c 'cd {ROOT} && {env} {sys.executable} -m wallboard run --tenant demo --realtime-url {url}; echo EXIT=$?; sleep 30'"


def type_slowly(tmux: Tmux, *keys: str) -> None:
    for key in keys:
        tmux.keys(key)
        time.sleep(0.3)


def test_the_keyring_password_is_asked_before_the_board_and_opens_the_stored_token(tmp_path, monkeypatch):
    backend, path = keyring_in(tmp_path, monkeypatch)
    backend.keyring_key = PASSWORD
    backend.set_password("wallboard", "realtime-token", DEMO_TOKEN)
    with Simulator(seed=2, agents=5, queues=2) as sim:
        tmux = Tmux(100, 30, board_command(tmp_path, sim.realtime_url))
        try:
            screen = tmux.wait_for("Password of the encrypted keyring")
            assert path in screen.replace("\n", "")
            type_slowly(tmux, "wrong password", "Enter")
            tmux.wait_for("wrong password for the encrypted keyring")
            type_slowly(tmux, PASSWORD, "Enter")
            screen = tmux.wait_for("● live", "demo")
            assert "Please enter password" not in screen and PASSWORD not in screen
            tmux.keys("q")
            assert "EXIT=0" in tmux.wait_for("EXIT=")
        finally:
            tmux.close()


def test_a_new_encrypted_keyring_gets_its_password_on_the_setup_screen(tmp_path, monkeypatch):
    backend, path = keyring_in(tmp_path, monkeypatch)
    assert not os.path.exists(path)
    with Simulator(seed=2, agents=5, queues=2) as sim:
        tmux = Tmux(100, 30, board_command(tmp_path, sim.realtime_url))
        try:
            screen = tmux.wait_for("Connect to 8x8", "Keyring password", "Same password")
            assert "encrypted file" in screen, "the setup screen says the keyring encrypts"
            type_slowly(tmux, DEMO_TOKEN, "Tab", PASSWORD, "Tab", PASSWORD, "Enter")
            screen = tmux.wait_for("● live")
            assert "Please set a password" not in screen
            tmux.keys("q")
            tmux.wait_for("EXIT=")
        finally:
            tmux.close()
    text = open(path).read()
    assert "[wallboard]" in text and f"= {DEMO_TOKEN}\n" not in text, "kept, encrypted"
    reopened = cryptfile.CryptFileKeyring()
    reopened.keyring_key = PASSWORD
    assert reopened.get_password("wallboard", "realtime-token") == DEMO_TOKEN
