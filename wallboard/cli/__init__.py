"""The ``wallboard`` command: parses arguments and hands off to one command module.

Each command lives in a module of this package with ``register(subparsers)``; the
module sets ``func`` on its parser. Errors a person can act on are printed as one line
(``wallboard: ...``) with exit code 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from typing import Sequence

from wallboard import __version__, crash
from wallboard.cli import board, relay, report, secrets, serve, simulate
from wallboard.cli import config as config_command
from wallboard.config import default_config_path
from wallboard.errors import WallboardError

COMMAND_MODULES = (board, simulate, relay, serve, secrets, report, config_command)
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that never repeats a stray or wrong argument: it may be a pasted token.

    ``unrecognized arguments: MyTok-SECRET`` becomes the argument's position, and an
    invalid choice names the option and the choices, not what was given.
    """

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        given = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(given, namespace)
        if extras:
            self.error(f"unrecognized {_positions(given, extras)}; see --help")
        return parsed

    def error(self, message: str):  # type: ignore[override]
        super().error(_INVALID_CHOICE.sub("invalid choice", message))


_INVALID_CHOICE = re.compile(r"invalid choice: .*?(?= \(choose from|$)")


def _positions(given: list[str], extras: list[str]) -> str:
    """"argument 3" or "arguments 3, 4": where the strays are on the command line (1-based)."""
    remaining = list(extras)
    positions = []
    for index, argument in enumerate(given, start=1):
        if remaining and argument == remaining[0]:
            positions.append(str(index))
            remaining.pop(0)
    if not positions:
        return "arguments"
    return f"argument{'s' if len(positions) > 1 else ''} {', '.join(positions)}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wallboard",
        description="A live call-centre wallboard in the terminal for 8x8 contact centres.",
        epilog=f"Configuration file: {default_config_path()} (or --config / WALLBOARD_CONFIG). "
        "Run `wallboard demo` to see the board against the built-in simulator.",
    )
    parser.add_argument("--version", action="version", version=f"wallboard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "run")  # `wallboard` and `wallboard --tv` mean `wallboard run`
    elif args_list[0] not in commands and not args_list[0].startswith("-"):
        close = difflib.get_close_matches(args_list[0], commands, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        parser.error(f"unknown command (the first argument); {hint}choose from {', '.join(sorted(commands))}")
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args) or 0)
    except WallboardError as error:
        print(f"wallboard: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line, never a message or a local that may hold a secret
        print(crash.report(error), file=sys.stderr)
        return crash.EXIT_CRASH
