"""Which keyring backends wallboard will keep secrets in, and what it says about them.

With ``keyrings.alt`` merely installed, the keyring library picks its
``PlaintextKeyring`` by itself, and secrets went base64-encoded into a plain file. An
unencrypted file backend is now used only when the user selected it explicitly; picked
automatically, it counts as no keyring (and a chainer leaves it out). ``secrets status``
and the setup screen say which backend is used and whether it encrypts.
"""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer

from tests.helpers.keyring import MemoryKeyring, use_keyring
from wallboard.errors import KeyringUnavailableError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ENCRYPTED_FILE, NOT_ENCRYPTED, describe_backend, keyring_info, store_secret


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's (same module and class name: judged by them)."""

    priority = 0.5  # type: ignore[assignment]
    scheme = "no encyption"


PlaintextKeyring.__module__ = "keyrings.alt.file"


def cryptfile():
    module = pytest.importorskip("keyrings.cryptfile.cryptfile")
    return module.CryptFileKeyring()


class Chainer(chainer.ChainerBackend):
    def __init__(self, *backends: KeyringBackend) -> None:
        self._backends = list(backends)

    @property
    def backends(self):  # type: ignore[override]
        return self._backends


def test_an_unencrypted_file_picked_automatically_is_not_a_keyring():
    info = describe_backend(PlaintextKeyring(), explicit=False)
    assert not info.usable and info.encryption == NOT_ENCRYPTED
    assert "keeps secrets unencrypted in a plain file" in info.reason
    assert "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring" in info.reason
    assert describe_backend(Chainer(PlaintextKeyring()), explicit=False).usable is False


def test_an_unencrypted_file_selected_explicitly_is_used_and_called_unencrypted():
    info = describe_backend(PlaintextKeyring(), explicit=True)
    assert info.usable and info.describe() == "keyrings.alt.file.PlaintextKeyring (usable; NOT encrypted: plain file)"


def test_a_chainer_never_writes_to_its_unencrypted_file():
    encrypted = cryptfile()
    info = describe_backend(Chainer(encrypted, PlaintextKeyring()), explicit=False)
    assert info.usable and info.backend is encrypted
    assert info.name == "keyrings.cryptfile.cryptfile.CryptFileKeyring" and info.encryption == ENCRYPTED_FILE


def test_cryptfile_is_an_encrypted_file_judged_without_asking_its_password(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: pytest.fail("asked for the keyring password"))
    info = describe_backend(cryptfile())
    assert info.usable and info.encryption == ENCRYPTED_FILE and info.password_protected


def test_nothing_is_written_to_a_plain_file_behind_the_users_back(monkeypatch, tmp_path):
    """keyring picks the plain file by itself (no PYTHON_KEYRING_BACKEND, no keyringrc.cfg)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr("keyring.core.load_config", lambda: None)
    plain = PlaintextKeyring()
    use_keyring(plain)
    with pytest.raises(KeyringUnavailableError, match="keeps secrets unencrypted in a plain file"):
        store_secret("realtime-token", Secret("TOKEN-123"))
    assert plain.items == {}
    assert not keyring_info().usable


def test_status_names_the_backend_and_whether_it_encrypts(monkeypatch, capsys):
    from wallboard.cli import main

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr("keyring.core.load_config", lambda: None)
    use_keyring(PlaintextKeyring())
    assert main(["secrets", "status"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Keyring backend: keyrings.alt.file.PlaintextKeyring (not usable)"
    assert "keeps secrets unencrypted in a plain file" in out


async def test_the_setup_screen_offers_no_plain_file_and_names_an_encrypted_one(monkeypatch):
    from textual.widgets import Checkbox

    from tests.helpers.data import fixed_settings
    from wallboard.credentials.needs import gather
    from wallboard.ui.screens.setup import SetupScreen

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr("keyring.core.load_config", lambda: None)
    use_keyring(PlaintextKeyring())
    _, needs = gather("realtime", fixed_settings(), env={})
    assert not needs.keyring_usable and "plain file" in needs.keyring_advice

    from textual.app import App

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(SetupScreen(needs))

    async with Host().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = pilot.app.screen.query_one("#save", Checkbox)
        assert box.value is False and box.disabled


def test_status_does_not_call_a_secret_missing_when_the_keyring_could_not_be_read(capsys):
    from tests.helpers.keyring import LockedKeyring
    from wallboard.cli import main

    use_keyring(LockedKeyring())
    assert main(["secrets", "status"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[2].split()[:4] == ["realtime-token", "?", "keyring", "not"]
