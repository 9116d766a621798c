"""Keyring backends for tests only: never select these for real secrets.

They live in ``tests/`` and not in the package on purpose, so no installed wallboard ever
carries a backend that keeps secrets in a plain file.

- :class:`MemoryKeyring` keeps secrets in a dict of one process: for in-process tests
  (``keyring.set_keyring(MemoryKeyring())``); :class:`BlockingKeyring` is one whose calls
  hang until released, :class:`LockedKeyring` one that refuses everything.
- :class:`JsonFileKeyring` keeps them in the JSON file named by
  ``WALLBOARD_TEST_KEYRING_FILE``, so a test can share one keyring with ``wallboard``
  subprocesses: ``PYTHON_KEYRING_BACKEND=tests.helpers.keyring.JsonFileKeyring`` with
  ``PYTHONPATH`` set to the repository root (see :func:`subprocess_env`). The file is
  plain text, which is only acceptable because it lives in a test's ``tmp_path``.

Both have a negative priority, so keyring's own automatic choice never picks them just
because this module was imported.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ROOT = Path(__file__).resolve().parents[2]
FILE_ENV = "WALLBOARD_TEST_KEYRING_FILE"
MEMORY = "tests.helpers.keyring.MemoryKeyring"
JSON_FILE = "tests.helpers.keyring.JsonFileKeyring"


class MemoryKeyring(KeyringBackend):
    """An in-process keyring: a dict keyed by (service, name)."""

    priority = -0.5  # type: ignore[assignment]  # selectable, never chosen by itself

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


class JsonFileKeyring(KeyringBackend):
    """A keyring in a JSON file shared with subprocesses. Tests only: plain text."""

    priority = -0.5  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        if not os.environ.get(FILE_ENV):
            raise RuntimeError(f"{FILE_ENV} is not set")
        return Path(os.environ[FILE_ENV])

    def _load(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        return json.loads(text) if text.strip() else {}

    def _save(self, items: dict[str, str]) -> None:
        self.path.write_text(json.dumps(items), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._load()
        items[f"{service}/{username}"] = password
        self._save(items)

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        if items.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self._save(items)


class BlockingKeyring(MemoryKeyring):
    """A keyring whose every call waits on an event, like a D-Bus call nobody answers."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait(30)
        return super().get_password(service, username)

    def set_password(self, service, username, password):
        self.release.wait(30)
        super().set_password(service, username, password)


class LockedKeyring(KeyringBackend):
    """A keyring that refuses every operation, as a locked one whose unlock was dismissed."""

    priority = -0.5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


def use_keyring(backend: KeyringBackend) -> None:
    """Make ``backend`` this process's keyring and have wallboard detect it afresh."""
    import keyring

    from wallboard.credentials.store import forget_keyring

    keyring.set_keyring(backend)
    forget_keyring()


def subprocess_env(keyring_file: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for a ``wallboard`` subprocess using a test keyring.

    With ``keyring_file``: the shared JSON keyring; without: keyring's failing backend
    (a machine with no usable keyring). No ``WALLBOARD_*`` secret leaks in from the
    developer's environment.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("WALLBOARD_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if keyring_file is not None:
        env["PYTHON_KEYRING_BACKEND"] = JSON_FILE
        env[FILE_ENV] = str(keyring_file)
    else:
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        env.pop(FILE_ENV, None)
    env.update(extra)
    return env
