"""Could the keyring need its password? Judged without loading ``keyring`` (0.2 s).

``wallboard run`` with its source's secrets in the environment detects the keyring
before the board only when this says yes (tests/test_run_start_order.py): a yes where
the answer is no costs 0.2 s of start-up, a no where an encrypted file exists would leave
its password to the Historical tab's setup screen instead of the terminal.
"""

from __future__ import annotations

import sys

import pytest

from wallboard.credentials.store import BOARD_NAMES, ENV_VARS, _linux_keyring_roots, may_need_keyring_password

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the directories checked are Linux's")


@pytest.fixture
def env(tmp_path):
    """Only the realtime token in the environment; keyring's directories empty, under tmp_path."""
    return {
        "WALLBOARD_REALTIME_TOKEN": "demo",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@linux_only
def test_no_keyring_directory_means_no_password(env):
    assert may_need_keyring_password(env) is False


@linux_only
def test_an_empty_keyring_directory_means_no_password(env, tmp_path):
    (tmp_path / "data" / "python_keyring").mkdir(parents=True)
    assert may_need_keyring_password(env) is False


@linux_only
@pytest.mark.parametrize("name", ["cryptfile_pass.cfg", "crypted_pass.cfg", "anything-else"])
def test_a_file_in_the_keyring_directory_may_need_it(env, tmp_path, name):
    (tmp_path / "data" / "python_keyring").mkdir(parents=True)
    (tmp_path / "data" / "python_keyring" / name).write_text("")
    assert may_need_keyring_password(env) is True


@linux_only
def test_a_backend_named_by_the_user_may_need_it(env, tmp_path):
    assert may_need_keyring_password({**env, "PYTHON_KEYRING_BACKEND": "keyrings.cryptfile.cryptfile.CryptFileKeyring"}) is True
    (tmp_path / "config" / "python_keyring").mkdir(parents=True)
    (tmp_path / "config" / "python_keyring" / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=x.Y\n")
    assert may_need_keyring_password(env) is True


def test_every_board_secret_in_the_environment_never_needs_it(env, tmp_path):
    (tmp_path / "data" / "python_keyring").mkdir(parents=True)
    (tmp_path / "data" / "python_keyring" / "cryptfile_pass.cfg").write_text("")
    everything = {**env, **{ENV_VARS[name]: "x" for name in BOARD_NAMES}}
    assert may_need_keyring_password(everything) is False
    assert may_need_keyring_password({**everything, ENV_VARS[BOARD_NAMES[-1]]: ""}) is True


@linux_only
def test_other_platforms_always_may_need_it(env, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert may_need_keyring_password(env) is True


@linux_only
@pytest.mark.parametrize("xdg", [True, False])
def test_the_directories_are_keyrings_own(env, monkeypatch, tmp_path, xdg):
    # a keyring release that moves them must fail here, not silently skip a password
    from keyring.core import _config_path
    from keyring.util import platform_

    if xdg:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            monkeypatch.setenv(name, env[name])
    else:
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        env = {}
    config, data = _linux_keyring_roots(env)
    assert (config, data) == (str(platform_.config_root()), str(platform_.data_root()))
    assert str(_config_path()) == f"{config}/keyringrc.cfg"


@linux_only
def test_the_encrypted_file_backends_keep_their_file_in_that_directory(env, monkeypatch):
    cryptfile = pytest.importorskip("keyrings.cryptfile.cryptfile")
    monkeypatch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])
    path = cryptfile.CryptFileKeyring().file_path
    assert path.startswith(_linux_keyring_roots(env)[1] + "/")
