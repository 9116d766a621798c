"""``wallboard run``'s start, in the order that lets the first answers travel longest:
with the source's secrets in the environment the requests go out first, then the keyring
is detected (and an encrypted file keyring's password asked for, before the board owns
the terminal) if it may need that password, then Textual loads; the board then takes the
answers already on their way. Against the simulator over loopback HTTP; the keyring and the board are stand-ins
that note when they were reached."""

from __future__ import annotations

import time

import pytest

import wallboard.cli.board as board_cli
from wallboard.config import Settings
from wallboard.errors import KeyringError
from wallboard.sim.simulator import Simulator


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


class _Board:
    """Stands in for the board: notes what it was given and takes its first answers."""

    made: list["_Board"] = []

    def __init__(self, settings, *, source=None, **options) -> None:
        self.source, self.return_code = source, 0
        _Board.made.append(self)

    async def run_async(self) -> None:
        if self.source is not None:  # else the board's setup screen would ask for what is missing
            self.agents = await self.source.agents()


@pytest.fixture
def keyring_dirs(tmp_path, monkeypatch):
    """keyring's config and data directories, empty: no file keyring holds anything."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    return tmp_path / "data" / "python_keyring"


@pytest.fixture
def stand_ins(monkeypatch, keyring_dirs):
    steps: list[str] = []
    monkeypatch.setenv("WALLBOARD_REALTIME_TOKEN", "demo")
    keyring_dirs.mkdir(parents=True)
    (keyring_dirs / "cryptfile_pass.cfg").write_text("[keyring_2.0]\n")  # an encrypted file: its password may be needed
    monkeypatch.setattr(board_cli, "ask_keyring_password", lambda: steps.append("keyring password"))
    monkeypatch.setattr(board_cli, "_board_app_class", lambda: steps.append("textual") or _Board)
    _Board.made.clear()
    return steps


async def test_the_requests_go_out_before_the_keyring_is_detected_and_textual_loads(stand_ins, monkeypatch):
    with Simulator(seed=3, agents=7, queues=2) as sim:
        # detection runs in a thread while the event loop goes on: the requests must reach
        # the simulator meanwhile (they were asked for first), not after it
        monkeypatch.setattr(board_cli, "keyring_info", lambda: stand_ins.append(
            "keyring detected" + (" after the requests" if _wait_for(lambda: sim.requests["agents"] == 1 and sim.requests["queues"] == 1) else "")
        ))
        settings = Settings(tenant="demo", realtime_url=sim.realtime_url, timezone="UTC")
        assert await board_cli._run_board_async(settings) == 0
        assert stand_ins == ["keyring detected after the requests", "keyring password", "textual"]
        (board,) = _Board.made
        assert len(board.agents.result.records) == 7
        assert (sim.requests["agents"], sim.requests["queues"]) == (1, 1)  # the board took the early answers


async def test_a_keyring_password_refused_closes_the_early_client(stand_ins, monkeypatch):
    closed = []
    real_aclose = board_cli.RealtimeClient.aclose

    async def aclose(self):
        closed.append(True)
        await real_aclose(self)

    def refused():
        raise KeyringError("wrong password for the encrypted keyring")

    monkeypatch.setattr(board_cli.RealtimeClient, "aclose", aclose)
    monkeypatch.setattr(board_cli, "keyring_info", lambda: None)
    monkeypatch.setattr(board_cli, "ask_keyring_password", refused)
    with Simulator(seed=3, agents=7, queues=2) as sim:
        with pytest.raises(KeyringError):
            await board_cli._run_board_async(Settings(tenant="demo", realtime_url=sim.realtime_url, timezone="UTC"))
    assert closed == [True] and _Board.made == []


async def test_with_no_keyring_file_to_unlock_the_board_starts_without_detecting_the_keyring(stand_ins, keyring_dirs, monkeypatch):
    # no file in keyring's data directory: no password can be needed before the board, so
    # the 0.2 s detection is left to the first use (the Historical tab's, in a thread)
    (keyring_dirs / "cryptfile_pass.cfg").unlink()
    monkeypatch.setattr(board_cli, "keyring_info", lambda: stand_ins.append("keyring detected"))
    with Simulator(seed=3, agents=7, queues=2) as sim:
        assert await board_cli._run_board_async(Settings(tenant="demo", realtime_url=sim.realtime_url, timezone="UTC")) == 0
    assert stand_ins == ["textual"]
    (board,) = _Board.made
    assert len(board.agents.result.records) == 7


async def test_a_secret_not_in_the_environment_still_detects_the_keyring_first(stand_ins, keyring_dirs, monkeypatch):
    # the token may be in the keyring: it is looked for there before the board
    (keyring_dirs / "cryptfile_pass.cfg").unlink()
    monkeypatch.delenv("WALLBOARD_REALTIME_TOKEN")
    monkeypatch.setattr(board_cli, "keyring_info", lambda: stand_ins.append("keyring detected"))
    looked = []
    monkeypatch.setattr("wallboard.credentials.needs.gather", lambda purpose, settings: looked.append(purpose) or ({}, type("Needs", (), {"needed": True})()))
    with Simulator(seed=3, agents=7, queues=2) as sim:
        assert await board_cli._run_board_async(Settings(tenant="demo", realtime_url=sim.realtime_url, timezone="UTC")) == 0
    assert stand_ins == ["keyring detected", "keyring password", "textual"] and looked == ["realtime"]
