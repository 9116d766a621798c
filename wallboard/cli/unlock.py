"""Asking for an encrypted file keyring's password on the terminal, before anything else.

``keyrings.cryptfile`` asks for its password itself the first time a secret is read, with
``getpass``; inside the interactive board that prompt printed over the screen and the
keystrokes went to the board. So each command that may read the keyring asks first,
here, while it still owns the terminal (see :func:`wallboard.credentials.store.unlock_keyring`).
Enter alone skips: the keyring stays locked, and whatever needs it says so (the board's
setup screen can still take the password when saving).
"""

from __future__ import annotations

import getpass
import os
import sys

from wallboard.errors import KeyringError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import (
    BOARD_NAMES,
    keyring_file,
    keyring_file_exists,
    keyring_info,
    keyring_locked,
    needs_keyring_password,
    unlock_keyring,
)

TRIES = 3


def ask_keyring_password(names: tuple[str, ...] = BOARD_NAMES, *, create: bool = False) -> None:
    """Unlock the keyring if reading ``names`` needs its password; ``create``: also when
    the file does not exist yet (about to store a secret: the password chooses it)."""
    info = keyring_info()
    if not (needs_keyring_password(names=names) or (create and keyring_locked(info))):
        return
    if not _terminal():
        return  # nobody to ask: the keyring stays locked and says so when used
    path = keyring_file(info)
    new = not keyring_file_exists(info)
    for attempt in range(1, TRIES + 1):
        if new:
            typed = getpass.getpass(f"Choose a password for the new encrypted keyring {path}: ")
            if typed and getpass.getpass("The same password again: ") != typed:
                print("wallboard: the two passwords differ; try again.", file=sys.stderr)
                continue
        else:
            typed = getpass.getpass(f"Password of the encrypted keyring {path} (Enter: skip): ")
        if not typed:
            print("wallboard: the keyring stays locked for this run.", file=sys.stderr)
            return
        try:
            unlock_keyring(Secret(typed))
            return
        except KeyringError as error:
            if attempt == TRIES:
                raise
            print(f"wallboard: {error}; try again.", file=sys.stderr)


def _terminal() -> bool:
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        return True
    except OSError:
        return sys.stdin.isatty()
