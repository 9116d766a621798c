"""``wallboard secrets set NAME`` / ``delete NAME`` / ``status``: the keyring, by hand.

``set`` reads the value from the terminal without echo, or from standard input when that
is not a terminal (``wallboard secrets set realtime-token < file`` in provisioning
scripts); never from the command line, where other users and shell history could see it.
``status`` says where each secret would come from and which backend is in use, never a
value. A bare ``wallboard secrets`` means ``status``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from wallboard.cli.unlock import ask_keyring_password
from wallboard.core.text import has_controls
from wallboard.errors import ConfigError, KeyringUnavailableError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import (
    ENV_VARS,
    LABELS,
    NAMES,
    SERVICE,
    UNKNOWN,
    check_name,
    delete_secret,
    keyring_info,
    status,
    store_secret,
)

MAX_VALUE_CHARS = 4096
"""Longer input is surely a wrong file, not a token."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "secrets",
        help="keep tokens, keys and passwords in the OS keyring",
        description=f"Manage the secrets wallboard keeps in the OS keyring (service {SERVICE!r}). "
        f"Names: {', '.join(NAMES)}. Environment variables override the keyring: "
        f"{', '.join(ENV_VARS.values())}.",
    )
    actions = parser.add_subparsers(dest="secrets_action", metavar="ACTION")
    set_parser = actions.add_parser(
        "set",
        help="store a secret (typed without echo, or read from standard input)",
        description="Store NAME in the keyring. On a terminal the value is typed without echo; "
        "otherwise it is read from standard input (one trailing newline is dropped), "
        "e.g. `wallboard secrets set realtime-token < token.txt`.",
    )
    set_parser.add_argument("name", metavar="NAME", help=", ".join(NAMES))
    set_parser.set_defaults(func=set_command)
    delete_parser = actions.add_parser("delete", help="remove a secret from the keyring")
    delete_parser.add_argument("name", metavar="NAME", help=", ".join(NAMES))
    delete_parser.set_defaults(func=delete_command)
    status_parser = actions.add_parser("status", help="where each secret comes from (never its value)")
    status_parser.set_defaults(func=status_command)
    parser.set_defaults(func=status_command)


def set_command(args: argparse.Namespace) -> int:
    name = check_name(args.name)
    info = keyring_info()
    if not info.usable:  # say so before anyone types a secret for nothing
        raise KeyringUnavailableError(info.advice())
    value = read_value(name, sys.stdin)
    ask_keyring_password((name,), create=True)  # an encrypted file keyring: its password (or a new one)
    used = store_secret(name, value)
    print(f"{name} saved in the keyring ({used.name}).")
    if _environment_has(name):
        print(f"Note: {ENV_VARS[name]} is set here and takes precedence over the keyring.")
    return 0


def read_value(name: str, stdin: TextIO) -> Secret:
    """The value from the terminal without echo, or all of standard input."""
    if stdin.isatty():
        text = getpass.getpass(f"{LABELS[name]} ({name}): ")
    else:
        text = stdin.read(MAX_VALUE_CHARS + 2)
        if text.endswith("\n"):
            text = text[:-1]
            if text.endswith("\r"):
                text = text[:-1]
    if not text.strip():
        raise ConfigError(f"{name}: the value is empty; nothing was stored")
    if len(text) > MAX_VALUE_CHARS:
        raise ConfigError(f"{name}: the value is longer than {MAX_VALUE_CHARS} characters; is that the right file? Nothing was stored")
    if has_controls(text):
        raise ConfigError(f"{name}: the value has line breaks or control characters; give one line. Nothing was stored")
    return Secret(text)


def delete_command(args: argparse.Namespace) -> int:
    name = check_name(args.name)
    ask_keyring_password((name,))
    if delete_secret(name):
        print(f"{name} deleted from the keyring ({keyring_info().name}).")
    else:
        print(f"{name} was not in the keyring; nothing to delete.")
    if _environment_has(name):
        print(f"Note: {ENV_VARS[name]} is still set in this environment.")
    return 0


def status_command(args: argparse.Namespace) -> int:
    ask_keyring_password()
    report = status()
    info = report.keyring
    print(f"Keyring backend: {info.name} ({'usable; ' + (info.encryption or UNKNOWN) if info.usable else 'not usable'})")
    rows = [("NAME", "SET", "SOURCE", "ENVIRONMENT VARIABLE")]
    for state in report.secrets:
        source = state.source
        if state.in_environment and state.in_keyring:
            source += " (overrides keyring)"
        if info.usable and state.source == "missing" and state.in_keyring is None:  # the keyring could not be read
            rows.append((state.name, "?", "keyring not read", state.env_var))
            continue
        rows.append((state.name, "yes" if state.source != "missing" else "no", source, state.env_var))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if not info.usable:
        print(info.advice())
    elif report.problem:
        print(report.problem)
    elif any(state.source == "missing" for state in report.secrets):
        print("Set a missing one with `wallboard secrets set NAME`, or with its environment variable.")
    return 0


def _environment_has(name: str) -> bool:
    return bool(os.environ.get(ENV_VARS[name]))
