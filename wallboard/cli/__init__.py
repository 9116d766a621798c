"""The ``wallboard`` command: parses arguments and hands off to one command module.

Each command lives in a module of this package with ``register(subparsers)``; the
module sets ``func`` on its parser. Errors a person can act on are printed as one line
(``wallboard: ...``) with exit code 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from wallboard import __version__
from wallboard.cli import board, report, secrets, simulate
from wallboard.cli import config as config_command
from wallboard.config import default_config_path
from wallboard.errors import WallboardError

COMMAND_MODULES = (board, simulate, secrets, report, config_command)
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        parser.error(f"unknown command {args_list[0]!r}; choose from {', '.join(sorted(commands))}")
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args) or 0)
    except WallboardError as error:
        print(f"wallboard: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
